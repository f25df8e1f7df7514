package atsim

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// Config connects a simulated [Modem] to the rest of a simulated network.
type Config struct {
	// Number is the modem's own number: the originator the network puts
	// on what it sends.
	Number tpdu.Address
	// SMSC is the service centre address the modem shows in front of a
	// received TPDU (+CMT, +CMGR, +CMGL); the zero Address shows "00".
	SMSC tpdu.Address
	// Submit takes each SMS-SUBMIT the modem sends (the TPDU without the
	// SMSC part, in a buffer the hook may keep) and returns the
	// TP-Message-Reference to answer (+CMGS: <mr>) or an error; a
	// [CMSError] answers +CMS ERROR with its code, any other error +CMS
	// ERROR: 500. Nil takes every message and numbers them from 0. It is
	// called without the modem's lock held: it may call Deliver.
	Submit func(from tpdu.Address, submit []byte) (mr byte, err error)
	// OnAck, when set, learns the fate of each TPDU given to Deliver that
	// the modem took: ok when the modem stored it or the TE acknowledged
	// it with AT+CNMA, not ok when the TE refused it (AT+CNMA=2), did not
	// acknowledge it within AckTimeout, or the modem reset before it
	// did. It is called without the modem's lock held.
	OnAck func(deliver []byte, ok bool)
	// BeforeFinal, when set, is called with each command line just
	// before its final result code is written, without the lock held: a
	// test can have the network call Deliver there, which puts a +CMT
	// between a command's information response and its OK.
	BeforeFinal func(cmd string)
	// Storage is the number of message locations, numbered from 1: 1 to
	// 255, default 20.
	Storage int
	// AckTimeout is how long a +CMT or +CDS waits for AT+CNMA when
	// +CSMS=1. Zero waits forever, which keeps tests deterministic.
	AckTimeout time.Duration
	// ResetLines are what the modem prints when it (re)starts; default
	// {"RDY"}.
	ResetLines []string
}

// CMSError is an error a Submit hook returns to have the modem answer
// +CMS ERROR: <code> (3GPP TS 27.005 3.2.5).
type CMSError int

// Error returns "+CMS ERROR: <code>".
func (e CMSError) Error() string { return "+CMS ERROR: " + strconv.Itoa(int(e)) }

// ErrServing is returned by Serve when the modem already serves a
// connection.
var ErrServing = errors.New("atsim: the modem already serves a connection")

// maxFIFO bounds the directly routed messages waiting for the one shown to
// be acknowledged.
const maxFIFO = 64

// maxLine bounds a command line and maxHex a PDU entry.
const (
	maxLine = 512
	maxHex  = 2 * (1 + tpdu.MaxSMSCLen + 176)
)

type slot struct {
	used   bool
	stat   int    // 0 received unread, 1 received read (27.005 3.1 <stat>)
	report bool   // an SMS-STATUS-REPORT
	tp     []byte // the TPDU
}

type ackNote struct {
	tp []byte
	ok bool
}

type shown struct {
	tp     []byte
	report bool
	seq    uint64
}

// Modem is a simulated modem: the DCE side of AT over an io.ReadWriter,
// in SMS PDU mode. It is safe for concurrent use: Serve runs the AT
// session while the network calls Deliver and tests inject faults.
type Modem struct {
	cfg Config

	mu       sync.Mutex
	w        io.Writer // the connection Serve runs on; nil when none
	gen      uint64    // counts resets
	echo     bool
	cmee     int
	csms     int
	cnmi     [5]int
	store    []slot
	awaiting *shown // the +CMT or +CDS shown, waiting for AT+CNMA
	fifo     []shown
	seq      uint64
	timer    *time.Timer
	mr       byte
	failNext int
	drop     map[string]int
	resetOn  []string
	log      []string
	notes    []ackNote // acknowledgements to report once the lock is released
}

// New returns a modem in its power-on state: echo on, +CMEE=0, PDU mode,
// +CSMS=0, +CNMI=0,0,0,0,0, storage empty.
func New(cfg Config) *Modem {
	if cfg.Storage < 1 || cfg.Storage > 255 {
		cfg.Storage = 20
	}
	if cfg.ResetLines == nil {
		cfg.ResetLines = []string{"RDY"}
	}
	m := &Modem{cfg: cfg, store: make([]slot, cfg.Storage), drop: map[string]int{}}
	m.powerOn()
	return m
}

func (m *Modem) powerOn() {
	m.echo, m.cmee, m.csms, m.cnmi = true, 0, 0, [5]int{}
}

// State is a snapshot of a modem's settings and storage.
type State struct {
	Echo     bool
	CMEE     int    // +CMEE
	CSMS     int    // +CSMS <service>
	CNMI     [5]int // +CNMI <mode>,<mt>,<bm>,<ds>,<bfr>
	Stored   int    // messages in storage
	Awaiting bool   // a +CMT or +CDS waits for AT+CNMA
	Queued   int    // directly routed messages waiting behind it
	Resets   int    // resets so far
}

// State returns the modem's state.
func (m *Modem) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := State{Echo: m.echo, CMEE: m.cmee, CSMS: m.csms, CNMI: m.cnmi, Awaiting: m.awaiting != nil, Queued: len(m.fifo), Resets: int(m.gen)}
	for _, sl := range m.store {
		if sl.used {
			s.Stored++
		}
	}
	return s
}

// Commands returns the command lines the modem received, oldest first (the
// last 256).
func (m *Modem) Commands() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.log...)
}

// FailNextSend makes the next AT+CMGS answer +CMS ERROR: code after its
// PDU, without passing the message to the Submit hook.
func (m *Modem) FailNextSend(code int) {
	m.mu.Lock()
	m.failNext = code
	m.mu.Unlock()
}

// Drop makes the modem ignore the next n command lines that start with
// prefix (such as "AT+CMGS", or "" for any): no echo, no answer, as if it
// had hung or lost them.
func (m *Modem) Drop(prefix string, n int) {
	m.mu.Lock()
	m.drop[strings.ToUpper(prefix)] += n
	m.mu.Unlock()
}

// ResetOn makes the next command line that starts with prefix reset the
// modem (see Reset) instead of being answered.
func (m *Modem) ResetOn(prefix string) {
	m.mu.Lock()
	m.resetOn = append(m.resetOn, strings.ToUpper(prefix))
	m.mu.Unlock()
}

// Emit writes lines as unsolicited result codes, each framed in CR LF.
func (m *Modem) Emit(lines ...string) {
	m.mu.Lock()
	for _, l := range lines {
		m.writeLine(l)
	}
	m.mu.Unlock()
}

// Reset simulates a restart: the modem forgets its settings (echo on,
// +CMEE=0, +CSMS=0, +CNMI=0,0,0,0,0), abandons a PDU entry, refuses the
// directly routed messages not yet acknowledged (OnAck not ok), keeps its
// storage, and prints Config.ResetLines.
func (m *Modem) Reset() {
	m.mu.Lock()
	notes := m.resetLocked()
	m.mu.Unlock()
	m.notify(notes)
}

func (m *Modem) resetLocked() []ackNote {
	m.gen++
	m.powerOn()
	var notes []ackNote
	if m.awaiting != nil {
		notes = append(notes, ackNote{m.awaiting.tp, false})
		m.awaiting = nil
	}
	for _, s := range m.fifo {
		notes = append(notes, ackNote{s.tp, false})
	}
	m.fifo = nil
	if m.timer != nil {
		m.timer.Stop()
	}
	for _, l := range m.cfg.ResetLines {
		m.writeLine(l)
	}
	return notes
}

func (m *Modem) notify(notes []ackNote) {
	if m.cfg.OnAck == nil {
		return
	}
	for _, n := range notes {
		m.cfg.OnAck(n.tp, n.ok)
	}
}

// Serve runs the AT session on rw until reading fails (io.EOF returns
// nil) or ctx is done, when it closes rw if rw is an io.Closer and returns
// ctx.Err(). One connection at a time: a second Serve returns ErrServing.
func (m *Modem) Serve(ctx context.Context, rw io.ReadWriter) error {
	m.mu.Lock()
	if m.w != nil {
		m.mu.Unlock()
		return ErrServing
	}
	m.w = rw
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.w = nil
		m.mu.Unlock()
	}()
	if c, ok := rw.(io.Closer); ok {
		stop := context.AfterFunc(ctx, func() { c.Close() })
		defer stop()
	}
	var s session
	buf := make([]byte, 512)
	for {
		n, err := rw.Read(buf)
		for _, c := range buf[:n] {
			m.input(&s, c)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// session is the input state of Serve.
type session struct {
	line   []byte
	over   bool // the line is longer than maxLine
	pdu    bool // in PDU entry after the "> " prompt
	pduLen int
	gen    uint64 // the reset generation the input belongs to
	hex    []byte
}

// input takes one character from the TE.
func (m *Modem) input(s *session, c byte) {
	m.mu.Lock()
	g := m.gen
	m.mu.Unlock()
	if g != s.gen {
		// A reset empties the input: a PDU entry or a command line in
		// progress is gone.
		s.gen, s.pdu, s.line, s.over = g, false, s.line[:0], false
	}
	if s.pdu {
		switch c {
		case 0x1A: // Ctrl-Z sends (27.005 3.5.1)
			s.pdu = false
			m.submit(s)
		case 0x1B: // ESC abandons
			s.pdu = false
			m.mu.Lock()
			m.writeLine("OK")
			m.mu.Unlock()
		case '\r', '\n':
		default:
			if len(s.hex) < maxHex+1 {
				s.hex = append(s.hex, c)
			}
		}
		return
	}
	switch c {
	case '\r': // S3 ends the command line (V.250 5.2.1)
		line := s.line
		s.line = s.line[:0]
		if s.over {
			s.over = false
			m.mu.Lock()
			m.writeLine("ERROR")
			m.mu.Unlock()
			return
		}
		m.exec(s, line)
	case '\n', 0x1A, 0x1B:
	case 0x08: // S5 deletes the last character
		if len(s.line) > 0 {
			s.line = s.line[:len(s.line)-1]
		}
	default:
		if len(s.line) >= maxLine {
			s.over = true
			return
		}
		s.line = append(s.line, c)
	}
}

// writeLine writes "\r\n" line "\r\n", as V.250 5.7.1 frames a response
// with ATV1. Holding mu. Write errors end Serve at its next read.
func (m *Modem) writeLine(l string) {
	if m.w == nil {
		return
	}
	io.WriteString(m.w, "\r\n"+l+"\r\n")
}

func (m *Modem) write(s string) {
	if m.w != nil {
		io.WriteString(m.w, s)
	}
}

// cmsError is +CMS ERROR: <code> per +CMEE (27.007 9.1): ERROR with 0, the
// number with 1, the text with 2.
func (m *Modem) cmsError(code int) string {
	switch m.cmee {
	case 1:
		return "+CMS ERROR: " + strconv.Itoa(code)
	case 2:
		if n := at.CMSErrorName(code); n != "" {
			return "+CMS ERROR: " + n
		}
		return "+CMS ERROR: " + strconv.Itoa(code)
	}
	return "ERROR"
}

// exec runs one command line.
func (m *Modem) exec(s *session, line []byte) {
	// V.250 5.2.1: a command line starts with the prefix AT (or at);
	// what comes before it is not part of the command.
	up := strings.ToUpper(string(line))
	i := strings.Index(up, "AT")
	if i < 0 {
		return
	}
	cmd := string(line[i:])
	up = strings.TrimSpace(up[i:])
	m.mu.Lock()
	if len(m.log) == 256 {
		m.log = append(m.log[:0], m.log[1:]...)
	}
	m.log = append(m.log, cmd)
	for p, n := range m.drop {
		if n > 0 && strings.HasPrefix(up, p) {
			m.drop[p] = n - 1
			m.mu.Unlock()
			return
		}
	}
	for i, p := range m.resetOn {
		if strings.HasPrefix(up, p) {
			m.resetOn = append(m.resetOn[:i], m.resetOn[i+1:]...)
			if m.echo {
				m.write(cmd + "\r")
			}
			notes := m.resetLocked()
			m.mu.Unlock()
			m.notify(notes)
			return
		}
	}
	if m.echo {
		m.write(cmd + "\r")
	}
	final := m.command(s, up[2:])
	gen := m.gen
	notes := m.notes
	m.notes = nil
	m.mu.Unlock()
	m.notify(notes)
	if final == "" {
		return
	}
	m.finish(cmd, gen, final)
}

// finish writes the final result code of cmd unless the modem reset
// meanwhile, then shows the next directly routed message if one waits.
func (m *Modem) finish(cmd string, gen uint64, final string) {
	if m.cfg.BeforeFinal != nil {
		m.cfg.BeforeFinal(cmd)
	}
	m.mu.Lock()
	if m.gen == gen {
		m.writeLine(final)
		m.pump()
	}
	m.mu.Unlock()
}

// command runs the command after "AT" (upper case) and returns its final
// result code, "" for none yet (the PDU prompt). Information responses
// are written here. Holding mu.
func (m *Modem) command(s *session, c string) string {
	name, arg, hasArg := c, "", false
	if i := strings.IndexAny(c, "=?"); i >= 0 {
		name, arg, hasArg = c[:i], c[i:], true
	}
	switch name {
	case "":
		if hasArg {
			return "ERROR"
		}
		return "OK"
	case "E", "E0", "E1":
		if hasArg {
			return "ERROR"
		}
		m.echo = name == "E1"
		return "OK"
	case "+CMEE":
		switch arg {
		case "?":
			m.writeLine("+CMEE: " + strconv.Itoa(m.cmee))
			return "OK"
		case "=0", "=1", "=2":
			m.cmee = int(arg[1] - '0')
			return "OK"
		}
		return "ERROR"
	case "+CMGF":
		switch arg {
		case "?":
			m.writeLine("+CMGF: 0")
			return "OK"
		case "=0":
			return "OK"
		case "=1":
			return m.cmsError(303) // text mode: not simulated
		}
		return "ERROR"
	case "+CSMS":
		switch arg {
		case "?":
			m.writeLine("+CSMS: " + strconv.Itoa(m.csms) + ",1,1,1")
			return "OK"
		case "=0", "=1":
			m.csms = int(arg[1] - '0')
			m.writeLine("+CSMS: 1,1,1")
			return "OK"
		}
		return m.cmsError(303)
	case "+CNMI":
		return m.setCNMI(arg)
	case "+CMGS":
		n, ok := number(arg, "=")
		if !ok {
			return "ERROR"
		}
		if n < 1 || n > 164 {
			return m.cmsError(304)
		}
		m.write("\r\n> ")
		s.pdu, s.pduLen, s.hex = true, n, s.hex[:0]
		return ""
	case "+CNMA":
		return m.cnma(arg, hasArg)
	case "+CMGR":
		i, ok := number(arg, "=")
		if !ok {
			return "ERROR"
		}
		if i < 1 || i > len(m.store) || !m.store[i-1].used {
			return m.cmsError(321)
		}
		sl := &m.store[i-1]
		m.writeLine("+CMGR: " + strconv.Itoa(sl.stat) + ",," + strconv.Itoa(len(sl.tp)))
		m.write(m.pduLine(sl.tp))
		sl.stat = 1
		return "OK"
	case "+CMGD":
		return m.cmgd(arg)
	case "+CMGL":
		stat := 0 // 27.005 3.4.2: the default is "received unread"
		if hasArg {
			var ok bool
			if stat, ok = number(arg, "="); !ok || stat > 4 {
				return m.cmsError(304)
			}
		}
		for i := range m.store {
			sl := &m.store[i]
			if sl.used && (stat == 4 || stat == sl.stat) {
				m.writeLine("+CMGL: " + strconv.Itoa(i+1) + "," + strconv.Itoa(sl.stat) + ",," + strconv.Itoa(len(sl.tp)))
				m.write(m.pduLine(sl.tp))
				sl.stat = 1
			}
		}
		return "OK"
	}
	return "ERROR"
}

// pduLine returns the SMSC part and tp in hex, ended by CR LF (the line
// after +CMT, +CMGR, +CMGL, +CDS).
func (m *Modem) pduLine(tp []byte) string {
	b := tpdu.AppendSMSC(nil, &m.cfg.SMSC)
	h := at.AppendHex(nil, b)
	h = at.AppendHex(h, tp)
	return string(h) + "\r\n"
}

// number reads prefix then a decimal integer that is all of s.
func number(s, prefix string) (int, bool) {
	if !strings.HasPrefix(s, prefix) {
		return 0, false
	}
	n, err := strconv.Atoi(s[len(prefix):])
	return n, err == nil && n >= 0 && len(s) > len(prefix) && s[len(prefix)] != '+'
}

// setCNMI handles AT+CNMI (27.005 3.4.1). Omitted parameters keep their
// values. <mt>=3 is not simulated.
func (m *Modem) setCNMI(arg string) string {
	if arg == "?" {
		v := m.cnmi
		m.writeLine("+CNMI: " + strconv.Itoa(v[0]) + "," + strconv.Itoa(v[1]) + "," + strconv.Itoa(v[2]) + "," + strconv.Itoa(v[3]) + "," + strconv.Itoa(v[4]))
		return "OK"
	}
	if !strings.HasPrefix(arg, "=") {
		return "ERROR"
	}
	parts := strings.Split(arg[1:], ",")
	if len(parts) > 5 {
		return m.cmsError(303)
	}
	max := [5]int{3, 3, 3, 2, 1}
	v := m.cnmi
	for i, p := range parts {
		if p == "" {
			continue
		}
		n, ok := number(p, "")
		if !ok || n > max[i] {
			return m.cmsError(303)
		}
		v[i] = n
	}
	if v[1] == 3 || v[2] != 0 {
		return m.cmsError(303) // class 3 routing and cell broadcast: not simulated
	}
	m.cnmi = v
	return "OK"
}

// cnma handles AT+CNMA (27.005 3.4.4, PDU mode): no parameter, 0 and 1 for
// RP-ACK, 2 for RP-ERROR; a PDU after the parameter is not simulated.
func (m *Modem) cnma(arg string, hasArg bool) string {
	ok := true
	if hasArg {
		switch arg {
		case "=0", "=1":
		case "=2":
			ok = false
		default:
			if strings.HasPrefix(arg, "=") && strings.Contains(arg, ",") {
				return m.cmsError(303)
			}
			return "ERROR"
		}
	}
	if m.csms != 1 || m.awaiting == nil {
		return m.cmsError(340)
	}
	a := m.awaiting
	m.awaiting = nil
	if m.timer != nil {
		m.timer.Stop()
	}
	m.notes = append(m.notes, ackNote{a.tp, ok}) // exec calls OnAck without the lock
	return "OK"
}

// cmgd handles AT+CMGD=<index>[,<delflag>] (27.005 3.5.4).
func (m *Modem) cmgd(arg string) string {
	if !strings.HasPrefix(arg, "=") {
		return "ERROR"
	}
	idx, flag := arg[1:], "0"
	if i := strings.IndexByte(idx, ','); i >= 0 {
		idx, flag = idx[:i], idx[i+1:]
	}
	i, ok := number(idx, "")
	f, ok2 := number(flag, "")
	if !ok || !ok2 || f > 4 {
		return m.cmsError(304)
	}
	if f == 0 {
		if i < 1 || i > len(m.store) {
			return m.cmsError(321)
		}
		m.store[i-1] = slot{}
		return "OK"
	}
	// 1: all read; 2: read and sent; 3: read, sent and unsent; 4: all. The
	// storage here holds received messages only.
	for j := range m.store {
		if m.store[j].used && (f == 4 || m.store[j].stat == 1) {
			m.store[j] = slot{}
		}
	}
	return "OK"
}

// submit handles the PDU entered after the prompt of AT+CMGS.
func (m *Modem) submit(s *session) {
	code := 0
	raw, err := at.DecodeHex(nil, s.hex)
	var tp []byte
	if err == nil && len(s.hex) <= maxHex {
		var n int
		if _, n, err = tpdu.DecodeSMSC(raw); err == nil {
			tp = raw[n:]
			var sub tpdu.Submit
			// 27.005 3.5.1: <length> counts the TPDU's octets.
			if len(tp) != s.pduLen {
				code = 304
			} else if _, err = sub.Decode(tp); err != nil {
				code = 304
			}
		} else {
			code = 304
		}
	} else {
		code = 304
	}
	m.mu.Lock()
	if s.gen != m.gen {
		m.mu.Unlock()
		return
	}
	if code == 0 && m.failNext != 0 {
		code, m.failNext = m.failNext, 0
	}
	gen := m.gen
	hook := m.cfg.Submit
	var mr byte
	if code == 0 && hook == nil {
		mr = m.mr
		m.mr++
	}
	m.mu.Unlock()
	if code == 0 && hook != nil {
		var err error
		mr, err = hook(m.cfg.Number, tp)
		if err != nil {
			var ce CMSError
			if errors.As(err, &ce) {
				code = int(ce)
			} else {
				code = 500
			}
		}
	}
	m.mu.Lock()
	final := "OK"
	if code != 0 {
		final = m.cmsError(code)
	} else if m.gen == gen {
		m.writeLine("+CMGS: " + strconv.Itoa(int(mr)))
	}
	m.mu.Unlock()
	m.finish("AT+CMGS", gen, final)
}

// Deliver brings an SMS-DELIVER (or an SMS-STATUS-REPORT) TPDU in from the
// network. The modem routes it per its +CNMI setting (27.005 3.4.1):
//
//   - <mode> 0, <mt> 0, or no connection served: stored without an
//     indication;
//   - <mt> 1, and class 2 messages with <mt> 2: stored and announced with
//     +CMTI: "SM",<index>;
//   - <mt> 2: shown as +CMT: ,<length> and the PDU. With +CSMS=1 it waits
//     for AT+CNMA, and the next one is held until then (27.005 3.4.4:
//     "TA shall not send another +CMT ... before previous one is
//     acknowledged"); if Config.AckTimeout passes first, the modem
//     refuses it (OnAck not ok) and sets <mt> and <ds> to 0, as 3.4.4
//     says, so that what was held and what comes next is stored;
//   - status reports likewise per <ds>: 0 dropped, 1 +CDS, 2 +CDSI.
//
// It returns an error, a CMSError, when the storage is full (322) or the
// TPDU does not decode (304); then the modem did not take it. A stored
// message counts as acknowledged at once (OnAck ok). Deliver does not
// retain tp.
func (m *Modem) Deliver(tp []byte) error {
	typ, err := tpdu.PeekType(tp)
	if err != nil {
		return CMSError(304)
	}
	class2 := false
	switch typ {
	case tpdu.TypeDeliver:
		var d tpdu.Deliver
		if _, err := d.Decode(tp); err != nil {
			return CMSError(304)
		}
		if c, ok := d.DCS.Class(); ok && c == 2 {
			class2 = true
		}
	case tpdu.TypeStatusReport:
		var r tpdu.StatusReport
		if _, err := r.Decode(tp); err != nil {
			return CMSError(304)
		}
	default:
		return CMSError(304)
	}
	tp = append([]byte(nil), tp...)
	report := typ == tpdu.TypeStatusReport
	m.mu.Lock()
	notes, err := m.route(tp, report, class2)
	m.mu.Unlock()
	m.notify(notes)
	return err
}

// route places tp. Holding mu.
func (m *Modem) route(tp []byte, report, class2 bool) ([]ackNote, error) {
	const (
		silent = iota
		indicate
		direct
		discard
	)
	how := silent
	switch {
	case m.w == nil || m.cnmi[0] == 0:
	case report:
		how = [3]int{discard, direct, indicate}[m.cnmi[3]]
	case m.cnmi[1] == 1 || (m.cnmi[1] == 2 && class2):
		how = indicate
	case m.cnmi[1] == 2:
		how = direct
	}
	if report && m.cnmi[3] == 0 {
		how = discard
	}
	switch how {
	case discard:
		return []ackNote{{tp, true}}, nil
	case direct:
		if m.csms != 1 {
			m.show(shown{tp: tp, report: report})
			return []ackNote{{tp, true}}, nil
		}
		if m.awaiting != nil {
			if len(m.fifo) == maxFIFO {
				return nil, CMSError(322)
			}
			m.fifo = append(m.fifo, shown{tp: tp, report: report})
			return nil, nil
		}
		m.showAwait(shown{tp: tp, report: report})
		return nil, nil
	}
	i, err := m.storeLocked(tp, report)
	if err != nil {
		return nil, err
	}
	if how == indicate {
		urc := "+CMTI"
		if report {
			urc = "+CDSI"
		}
		m.writeLine(urc + ": \"SM\"," + strconv.Itoa(i))
	}
	return []ackNote{{tp, true}}, nil
}

func (m *Modem) storeLocked(tp []byte, report bool) (int, error) {
	for i := range m.store {
		if !m.store[i].used {
			m.store[i] = slot{used: true, tp: tp, report: report}
			return i + 1, nil
		}
	}
	return 0, CMSError(322)
}

// show writes +CMT or +CDS and the PDU line. Holding mu.
func (m *Modem) show(s shown) {
	if s.report {
		m.writeLine("+CDS: " + strconv.Itoa(len(s.tp)))
	} else {
		m.writeLine("+CMT: ," + strconv.Itoa(len(s.tp)))
	}
	m.write(m.pduLine(s.tp))
}

// showAwait shows s and waits for its acknowledgement. Holding mu.
func (m *Modem) showAwait(s shown) {
	m.seq++
	s.seq = m.seq
	m.awaiting = &s
	m.show(s)
	if m.cfg.AckTimeout > 0 {
		seq := s.seq
		m.timer = time.AfterFunc(m.cfg.AckTimeout, func() { m.ackTimeout(seq) })
	}
}

// pump shows the next held message once the one shown was acknowledged.
// Holding mu.
func (m *Modem) pump() {
	if m.awaiting != nil || len(m.fifo) == 0 {
		return
	}
	s := m.fifo[0]
	m.fifo = m.fifo[1:]
	m.showAwait(s)
}

// ackTimeout refuses the message shown when AT+CNMA did not come in time:
// RP-ERROR to the network, and <mt> and <ds> set to 0 (27.005 3.4.4); the
// held messages are stored instead.
func (m *Modem) ackTimeout(seq uint64) {
	m.mu.Lock()
	if m.awaiting == nil || m.awaiting.seq != seq {
		m.mu.Unlock()
		return
	}
	notes := []ackNote{{m.awaiting.tp, false}}
	m.awaiting = nil
	m.cnmi[1], m.cnmi[3] = 0, 0
	for _, s := range m.fifo {
		_, err := m.storeLocked(s.tp, s.report)
		notes = append(notes, ackNote{s.tp, err == nil})
	}
	m.fifo = nil
	m.mu.Unlock()
	m.notify(notes)
}
