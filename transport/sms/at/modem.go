package at

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// Sizes of what the modem hands over. A TPDU the tpdu package decodes is
// at most 173 octets (an SMS-STATUS-REPORT with every optional field and
// 140 octets of user data); the SMSC part adds at most 12.
const (
	maxTPDU     = 176
	maxModemPDU = 1 + tpdu.MaxSMSCLen + maxTPDU
	maxJobs     = 64
	maxVerbose  = 64 // octets of a verbose error text kept
)

// The commands, as Error.Op and ModemError.Op name them.
const (
	opAT   = "AT"
	opE0   = "ATE0"
	opCMEE = "AT+CMEE"
	opCMGF = "AT+CMGF"
	opCSMS = "AT+CSMS"
	opCNMI = "AT+CNMI"
	opCMGS = "AT+CMGS"
	opCNMA = "AT+CNMA"
	opCMGR = "AT+CMGR"
	opCMGD = "AT+CMGD"
	opCMGL = "AT+CMGL"
)

// The control characters of PDU entry (27.005 3.5.1): Ctrl-Z ends the PDU
// and sends it, ESC abandons it.
const (
	ctrlZ = 0x1A
	esc   = 0x1B
)

var escLine = []byte{esc}

// Incoming is a TPDU the modem received: an SMS-DELIVER, or an
// SMS-STATUS-REPORT when Config.StatusReports is set. It is a value that
// holds its octets inline: TPDU and PDU point into it, so they are valid
// as long as the Incoming they came from, and decoding with Deliver or
// StatusReport aliases it likewise.
type Incoming struct {
	Type tpdu.MessageType // tpdu.TypeDeliver or tpdu.TypeStatusReport
	SMSC tpdu.Address     // the service centre the modem showed in front of the TPDU
	// Index is the storage location it was read from (+CMTI, +CDSI, a
	// storage scan) and deleted from, or -1 when the modem routed it
	// directly (+CMT, +CDS).
	Index      int
	start, end uint8
	pdu        [maxModemPDU]byte
}

// TPDU returns the TPDU, without the SMSC part.
func (in *Incoming) TPDU() []byte { return in.pdu[in.start:in.end:in.end] }

// PDU returns the PDU as the modem showed it: the SMSC part, then the TPDU.
func (in *Incoming) PDU() []byte { return in.pdu[:in.end:in.end] }

// Deliver decodes the TPDU into d, which then aliases in.
func (in *Incoming) Deliver(d *tpdu.Deliver) error {
	_, err := d.Decode(in.TPDU())
	return err
}

// StatusReport decodes the TPDU into r, which then aliases in.
func (in *Incoming) StatusReport(r *tpdu.StatusReport) error {
	_, err := r.Decode(in.TPDU())
	return err
}

// set decodes the PDU line h, checks it against the <length> before it
// (27.005 3.1: the TPDU's octets, the SMSC part not counted) and decodes
// the TPDU strictly: want is its type, or -1 for either received type.
func (in *Incoming) set(h []byte, length, index int, want int) *Error {
	if len(h) > 2*maxModemPDU {
		return opErr("receive", ErrLimit, rulePDU, "PDU longer than a modem shows")
	}
	b, err := DecodeHex(in.pdu[:0], h)
	if err != nil {
		return &Error{Op: "receive", Offset: -1, Rule: rulePDU, Msg: "PDU line", Err: ErrMalformed, Cause: err}
	}
	smsc, n, err := tpdu.DecodeSMSC(b)
	if err != nil {
		return &Error{Op: "receive", Offset: -1, Rule: rulePDU, Msg: "SMSC address", Err: ErrMalformed, Cause: err}
	}
	tp := b[n:]
	if len(tp) != length {
		return opErr("receive", ErrMalformed, rulePDU, "<length> disagrees with the PDU")
	}
	typ, err := tpdu.PeekType(tp)
	if err == nil && (want >= 0 && typ != tpdu.MessageType(want) || typ != tpdu.TypeDeliver && typ != tpdu.TypeStatusReport) {
		return opErr("receive", ErrMalformed, rulePDU, "not an SMS-DELIVER or SMS-STATUS-REPORT where one was announced")
	}
	if err == nil {
		if typ == tpdu.TypeDeliver {
			var d tpdu.Deliver
			_, err = d.Decode(tp)
		} else {
			var r tpdu.StatusReport
			_, err = r.Decode(tp)
		}
	}
	if err != nil {
		return &Error{Op: "receive", Offset: -1, Rule: rulePDU, Msg: "TPDU", Err: ErrMalformed, Cause: err}
	}
	in.Type, in.SMSC, in.Index = typ, smsc, index
	in.start, in.end = uint8(n), uint8(len(b))
	return nil
}

type cmdKind uint8

const (
	cmdPlain cmdKind = iota
	cmdCMGS
	cmdCMGR
	cmdCMGL
)

// command is the state of the command in flight, which the reader updates.
type command struct {
	op        string
	kind      cmdKind
	active    bool // the reader routes responses to it
	prompt    bool // it waits for "> "
	gotPrompt bool
	done      bool // a final result code came
	reset     bool // a reset indication came instead
	final     Kind
	code      int
	vn        int
	verbose   [maxVerbose]byte
	mr        int
	hasMR     bool
	csmsMT    int
	hasCSMS   bool
	stat      int    // +CMGR <stat>
	pdu       bool   // +CMGR: the PDU line came
	pduErr    *Error // +CMGR: it did not decode
}

// What the next line must be: the PDU after a +CMT, +CDS, +CMGR or +CMGL.
const (
	expNone uint8 = iota
	expCMT
	expCDS
	expCMGR
	expCMGL
)

type job struct {
	op    uint8
	index int
}

const (
	jobAck uint8 = iota + 1
	jobNack
	jobRead
)

// Modem drives a modem in SMS PDU mode (3GPP TS 27.005 section 3, with
// the basics of 27.007) over an io.ReadWriter. It is safe for concurrent
// use: commands go one at a time, in the order they get the command lock.
type Modem struct {
	rw     io.ReadWriter
	closer io.Closer // rw, when it is one
	cfg    Config
	cnmi   string // the AT+CNMI command line
	smsc   []byte // the SMSC part, in hex

	ctx       context.Context // done at Close
	cancel    context.CancelFunc
	closeOnce sync.Once
	closeErr  error
	wgIO      sync.WaitGroup // reader and writer
	wgWork    sync.WaitGroup // worker
	dead      chan struct{}  // closed when the reader ends

	// The command lock and what it guards.
	sem        chan struct{}
	timer      *time.Timer
	wreq       chan []byte // to the writer, capacity 1
	wres       chan error  // from the writer, capacity 1
	wpending   bool        // a write is with the writer: wbuf is in use
	recovering bool        // ensureReady is running: a timeout does not ask the worker to recover again
	wbuf       []byte
	rd         Incoming // the message of +CMGR (written by the reader while the command runs)
	del        []int    // the indexes a scan took (written by the reader while AT+CMGL runs)

	wake     chan struct{} // capacity 1: wakes the worker
	queue    chan Incoming
	scanWait atomic.Bool // a scan waits for room in the queue

	mu        sync.Mutex // guards what follows; the reader holds it while it handles input
	cmd       command
	sig       chan struct{} // capacity 1: the reader changed cmd
	line      []byte
	discard   bool // dropping the rest of a line longer than MaxLine
	expect    uint8
	expLen    int
	expIndex  int
	expStat   int
	scratch   Incoming
	needInit  bool // a reset indication came
	needProbe bool // a command timed out
	recover   bool // the worker should probe or initialise
	needScan  bool // storage may hold messages not taken
	resetGen  uint64
	inited    bool
	ackMode   bool // AT+CSMS=1 took: +CMT and +CDS need AT+CNMA
	jobs      [maxJobs]job
	acking    atomic.Bool // the worker is sending an acknowledgement
	jobHead   int
	jobN      int
	stats     Stats
	readErr   error
}

// New starts a driver on rw without initialising the modem: call Init, or
// use Open. The Modem owns rw from then on: Close closes it when it is an
// io.Closer. If it is not, Close cannot interrupt a Read or Write in
// progress and does not wait for them; the goroutines end when they return.
func New(rw io.ReadWriter, cfg Config) *Modem {
	cfg = cfg.resolve()
	m := &Modem{
		rw:    rw,
		cfg:   cfg,
		cnmi:  "AT+CNMI=" + cfg.cnmi(),
		dead:  make(chan struct{}),
		sem:   make(chan struct{}, 1),
		timer: time.NewTimer(time.Hour),
		wreq:  make(chan []byte, 1),
		wres:  make(chan error, 1),
		wbuf:  make([]byte, 0, 2*maxModemPDU+16),
		del:   make([]int, 0, cfg.QueueLen),
		wake:  make(chan struct{}, 1),
		queue: make(chan Incoming, cfg.QueueLen),
		sig:   make(chan struct{}, 1),
		line:  make([]byte, 0, cfg.MaxLine),
	}
	m.timer.Stop()
	var smsc []byte
	smsc = tpdu.AppendSMSC(smsc, &cfg.SMSC)
	m.smsc = AppendHex(nil, smsc)
	m.closer, _ = rw.(io.Closer)
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.wgIO.Add(2)
	go m.readLoop()
	go m.writeLoop()
	m.wgWork.Add(1)
	go m.work()
	return m
}

// Open starts a driver on rw and initialises the modem (see [Modem.Init]).
// On error it closes the Modem, and so rw when it is an io.Closer.
func Open(ctx context.Context, rw io.ReadWriter, cfg Config) (*Modem, error) {
	m := New(rw, cfg)
	if err := m.Init(ctx); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// Init initialises the modem: ESC (to leave a PDU entry a previous user
// left open), AT, ATE0 (no echo), AT+CMEE=1 (numeric +CME ERROR codes,
// 27.007 9.1), AT+CMGF=0 (PDU mode, 27.005 3.2.3), AT+CSMS=1 (phase 2+,
// which makes the modem wait for AT+CNMA, 27.005 3.2.1), AT+CNMI per
// Config.Mode (27.005 3.4.1) and, in ModeStore, a scan of the storage.
// A failing AT+CMEE is ignored; a failing AT+CSMS=1 leaves the modem in
// phase 2, where +CMT needs no acknowledgement. A reset announced during
// Init makes it start over, up to three times.
func (m *Modem) Init(ctx context.Context) error {
	if err := m.acquire(ctx); err != nil {
		return err
	}
	defer m.release()
	m.mu.Lock()
	m.needInit = true
	m.inited = false // an initialisation asked for is not a recovery
	m.mu.Unlock()
	var err error
	for range 3 {
		if err = m.ensureReady(ctx); !errors.Is(err, ErrReset) {
			break
		}
	}
	return err
}

// Close stops the driver: it closes rw when it is an io.Closer, fails the
// calls in progress with ErrClosed and waits for its goroutines. Later
// calls return the same result.
func (m *Modem) Close() error {
	m.closeOnce.Do(func() {
		m.flushAcks()
		m.cancel()
		if m.closer != nil {
			m.closeErr = m.closer.Close()
		}
		m.wgWork.Wait()
		if m.closer != nil {
			m.wgIO.Wait()
		}
	})
	return m.closeErr
}

// Stats returns the counters.
func (m *Modem) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stats
}

// Send sends one SMS-SUBMIT TPDU (without the SMSC part, which the driver
// writes from Config.SMSC): AT+CMGS=<length>, the "> " prompt, the PDU in
// hexadecimal and Ctrl-Z (27.005 3.5.1). It returns the TP-Message-
// Reference the modem gave it. The TPDU is checked with tpdu.Submit
// first, and a malformed one is refused with the tpdu error. Send does not
// retain submit.
//
// If the prompt does not come within CommandTimeout, or the result within
// SendTimeout, Send writes ESC (which abandons an unfinished PDU), fails
// with ErrTimeout, and the driver probes and initialises the modem again;
// after a timeout that came after the PDU was written, the message may
// have been sent. A reset during the command fails it with ErrReset.
func (m *Modem) Send(ctx context.Context, submit []byte) (mr byte, err error) {
	var s tpdu.Submit
	if _, err := s.Decode(submit); err != nil {
		return 0, err
	}
	if len(submit) > maxTPDU {
		return 0, opErr(opCMGS, ErrLimit, rulePDU, "TPDU longer than a modem takes")
	}
	if err := m.acquire(ctx); err != nil {
		return 0, err
	}
	defer m.release()
	if err := m.ensureReady(ctx); err != nil {
		return 0, err
	}
	defer m.timer.Stop()
	m.timer.Reset(m.cfg.CommandTimeout)
	if err := m.flushWriter(ctx, opCMGS); err != nil {
		return 0, err
	}
	b := append(m.wbuf[:0], "AT+CMGS="...)
	b = strconv.AppendInt(b, int64(len(submit)), 10)
	m.wbuf = append(b, '\r')
	m.begin(cmdCMGS, opCMGS, true)
	if err := m.write(ctx, opCMGS, m.wbuf); err != nil {
		return 0, err
	}
	if err := m.wait(ctx, true); err != nil {
		return 0, err
	}
	m.mu.Lock()
	prompt := m.cmd.gotPrompt
	m.mu.Unlock()
	if !prompt {
		return 0, opErr(opCMGS, ErrMalformed, ruleCMGS, "final result code without the prompt")
	}
	m.timer.Reset(m.cfg.SendTimeout)
	b = append(m.wbuf[:0], m.smsc...)
	b = AppendHex(b, submit)
	m.wbuf = append(b, ctrlZ)
	if err := m.write(ctx, opCMGS, m.wbuf); err != nil {
		return 0, err
	}
	if err := m.wait(ctx, false); err != nil {
		return 0, err
	}
	if !m.cmd.hasMR {
		return 0, opErr(opCMGS, ErrMalformed, ruleCMGS, "OK without +CMGS: <mr>")
	}
	m.mu.Lock()
	m.stats.Sent++
	m.mu.Unlock()
	return byte(m.cmd.mr), nil
}

// Receive returns the next received TPDU, waiting for one until ctx is
// done. After Close it returns ErrClosed; after the connection ended, the
// TPDUs still queued and then an *Error of class ErrClosed holding the
// read error.
func (m *Modem) Receive(ctx context.Context) (Incoming, error) {
	select {
	case in := <-m.queue:
		m.took()
		return in, nil
	default:
	}
	select {
	case in := <-m.queue:
		m.took()
		return in, nil
	case <-ctx.Done():
		return Incoming{}, ctx.Err()
	case <-m.ctx.Done():
		return Incoming{}, ErrClosed
	case <-m.dead:
		select {
		case in := <-m.queue:
			return in, nil
		default:
		}
		return Incoming{}, m.deadErr("receive")
	}
}

// ReceiveInto is Receive that copies the TPDU into *dst. Decoding a TPDU
// with package tpdu makes its buffer escape to the heap, so an Incoming
// returned by Receive and then decoded costs an allocation; a dst reused
// from message to message does not.
func (m *Modem) ReceiveInto(ctx context.Context, dst *Incoming) error {
	in, err := m.Receive(ctx)
	if err != nil {
		return err
	}
	*dst = in
	return nil
}

func (m *Modem) took() {
	if m.scanWait.Load() {
		m.wakeWorker()
	}
}

// acquire takes the command lock.
func (m *Modem) acquire(ctx context.Context) error {
	select {
	case m.sem <- struct{}{}:
		if m.ctx.Err() != nil {
			<-m.sem
			return ErrClosed
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-m.ctx.Done():
		return ErrClosed
	}
}

func (m *Modem) release() { <-m.sem }

func (m *Modem) wakeWorker() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

func (m *Modem) signal() {
	select {
	case m.sig <- struct{}{}:
	default:
	}
}

// emit sends an event without blocking.
func (m *Modem) emit(k EventKind, err error) {
	if m.cfg.Events == nil {
		return
	}
	select {
	case m.cfg.Events <- Event{Kind: k, Err: err}:
	default:
	}
}

func (m *Modem) deadErr(op string) error {
	m.mu.Lock()
	err := m.readErr
	m.mu.Unlock()
	return &Error{Op: op, Offset: -1, Msg: "the connection to the modem ended", Err: ErrClosed, Cause: err}
}

// begin makes cmd the command in flight. Holding the command lock.
func (m *Modem) begin(kind cmdKind, op string, prompt bool) {
	m.mu.Lock()
	m.cmd = command{op: op, kind: kind, active: true, prompt: prompt}
	if kind == cmdCMGL {
		m.del = m.del[:0]
	}
	m.mu.Unlock()
	select {
	case <-m.sig:
	default:
	}
}

// abort gives up the command in flight after a timeout (timeout set) or a
// cancelled context: the modem's answer, if it comes, is stale; an
// unfinished PDU entry is abandoned with ESC; the worker probes the modem.
func (m *Modem) abort(timeout bool, err error) {
	m.mu.Lock()
	kind := m.cmd.kind
	m.cmd.active = false
	m.needProbe = true
	if !m.recovering {
		m.recover = true
	}
	if timeout {
		m.stats.Timeouts++
		m.emit(EventTimeout, err)
	}
	m.mu.Unlock()
	if kind == cmdCMGS && !m.wpending {
		m.wreq <- escLine
		m.wpending = true
	}
	m.wakeWorker()
}

func (m *Modem) timeoutErr(op string) error {
	err := opErr(op, ErrTimeout, "", "no answer in time")
	m.abort(true, err)
	return err
}

// write hands b to the writer and waits until it is written. Holding the
// command lock, with the timer armed.
func (m *Modem) write(ctx context.Context, op string, b []byte) error {
	if err := m.flushWriter(ctx, op); err != nil {
		return err
	}
	m.wreq <- b
	m.wpending = true
	return m.flushWriter(ctx, op)
}

// flushWriter waits for the write in progress, if any: wbuf may be reused
// afterwards.
func (m *Modem) flushWriter(ctx context.Context, op string) error {
	if !m.wpending {
		return nil
	}
	select {
	case err := <-m.wres:
		m.wpending = false
		if err != nil {
			return &Error{Op: op, Offset: -1, Msg: "write", Err: ErrClosed, Cause: err}
		}
		return nil
	case <-ctx.Done():
		m.abort(false, nil)
		return ctx.Err()
	case <-m.timer.C:
		return m.timeoutErr(op)
	case <-m.ctx.Done():
		return ErrClosed
	}
}

// wait waits for the final result code of the command in flight or, with
// prompt, for the "> " prompt (or a final result code instead). A final
// result code other than OK gives a *ModemError.
func (m *Modem) wait(ctx context.Context, prompt bool) error {
	dead := false
	for {
		m.mu.Lock()
		c := &m.cmd
		switch {
		case c.reset:
			m.mu.Unlock()
			return &Error{Op: c.op, Offset: -1, Msg: "the modem reset during the command", Err: ErrReset}
		case c.done && c.final != KindOK:
			e := &ModemError{Op: c.op, Kind: c.final, Code: c.code, Text: string(c.verbose[:c.vn])}
			if c.final != KindCMSError && c.final != KindCMEError {
				e.Code = -1
			}
			m.mu.Unlock()
			return e
		case c.done, prompt && c.gotPrompt:
			m.mu.Unlock()
			return nil
		}
		m.mu.Unlock()
		if dead {
			return m.deadErr(c.op)
		}
		select {
		case <-m.sig:
		case <-ctx.Done():
			m.abort(false, nil)
			return ctx.Err()
		case <-m.timer.C:
			return m.timeoutErr(c.op)
		case <-m.ctx.Done():
			return ErrClosed
		case <-m.dead:
			dead = true // look at the state once more: the answer may have come first
		}
	}
}

// simple runs a command line: text, then n in decimal unless n < 0.
// Holding the command lock.
func (m *Modem) simple(ctx context.Context, kind cmdKind, op, text string, n int, timeout time.Duration) error {
	defer m.timer.Stop()
	m.timer.Reset(timeout)
	if err := m.flushWriter(ctx, op); err != nil {
		return err
	}
	b := append(m.wbuf[:0], text...)
	if n >= 0 {
		b = strconv.AppendInt(b, int64(n), 10)
	}
	m.wbuf = append(b, '\r')
	m.begin(kind, op, false)
	if err := m.write(ctx, op, m.wbuf); err != nil {
		return err
	}
	return m.wait(ctx, false)
}

// ensureReady probes the modem after a timeout and initialises it after a
// reset, a probe or a first Init. Holding the command lock.
func (m *Modem) ensureReady(ctx context.Context) error {
	m.mu.Lock()
	probe, need, gen, was := m.needProbe, m.needInit, m.resetGen, m.inited
	m.mu.Unlock()
	if !probe && !need {
		return nil
	}
	m.recovering = true
	err := m.initSeq(ctx, probe)
	m.recovering = false
	if err != nil {
		if was {
			m.emit(EventRecoverFailed, err)
		}
		return err
	}
	m.mu.Lock()
	m.needProbe = false
	if m.resetGen == gen {
		m.needInit = false
	}
	if was {
		m.stats.Recoveries++
		m.emit(EventRecovered, nil)
	}
	m.inited = true
	m.mu.Unlock()
	return nil
}

// initSeq runs the initialisation (see Init). Holding the command lock.
func (m *Modem) initSeq(ctx context.Context, probe bool) error {
	t := m.cfg.CommandTimeout
	if probe {
		t = m.cfg.ProbeTimeout
	}
	// 27.005 3.5.1: ESC abandons a PDU entry; in command mode modems
	// ignore it.
	m.timer.Reset(t)
	if err := m.flushWriter(ctx, opAT); err != nil {
		m.timer.Stop()
		return err
	}
	m.wreq <- escLine
	m.wpending = true
	if err := m.simple(ctx, cmdPlain, opAT, "AT", -1, t); err != nil {
		return err
	}
	t = m.cfg.CommandTimeout
	if err := m.simple(ctx, cmdPlain, opE0, "ATE0", -1, t); err != nil {
		return err
	}
	// 27.007 9.1: numeric +CME ERROR codes. Not every modem has +CMEE;
	// errors then come as ERROR.
	if err := m.simple(ctx, cmdPlain, opCMEE, "AT+CMEE=1", -1, t); err != nil && !errors.Is(err, ErrModem) {
		return err
	}
	if err := m.simple(ctx, cmdPlain, opCMGF, "AT+CMGF=0", -1, t); err != nil {
		return err
	}
	// 27.005 3.2.1: <service> 1 (phase 2+) makes the modem wait for
	// AT+CNMA after +CMT and +CDS; the answer's <mt> says whether it can.
	ack := false
	err := m.simple(ctx, cmdPlain, opCSMS, "AT+CSMS=1", -1, t)
	switch {
	case err == nil:
		ack = m.cmd.hasCSMS && m.cmd.csmsMT == 1
	case !errors.Is(err, ErrModem):
		return err
	}
	m.mu.Lock()
	m.ackMode = ack
	m.mu.Unlock()
	if err := m.simple(ctx, cmdPlain, opCNMI, m.cnmi, -1, t); err != nil {
		return err
	}
	if m.cfg.Mode == ModeStore {
		m.scan(ctx)
	}
	return nil
}

// scan lists the storage (AT+CMGL=4, every message; 27.005 3.4.2), takes
// the received messages that fit in the queue and deletes them. Holding
// the command lock. Errors leave needScan set for a later try.
func (m *Modem) scan(ctx context.Context) {
	if err := m.simple(ctx, cmdCMGL, opCMGL, "AT+CMGL=4", -1, m.cfg.CommandTimeout); err != nil {
		m.mu.Lock()
		m.needScan = true
		m.mu.Unlock()
		return
	}
	for _, i := range m.del {
		if err := m.simple(ctx, cmdPlain, opCMGD, "AT+CMGD=", i, m.cfg.CommandTimeout); err != nil && !errors.Is(err, ErrModem) {
			return
		}
	}
}

// readStored reads the message at index (AT+CMGR, 27.005 3.4.3), queues
// it and deletes it (AT+CMGD, 27.005 3.5.4). Holding the command lock.
func (m *Modem) readStored(ctx context.Context, index int) {
	if len(m.queue) == cap(m.queue) {
		m.mu.Lock()
		m.scanLater()
		m.stats.Dropped++
		m.emit(EventDropped, nil)
		m.mu.Unlock()
		return
	}
	err := m.simple(ctx, cmdCMGR, opCMGR, "AT+CMGR=", index, m.cfg.CommandTimeout)
	if err != nil {
		if e, ok := err.(*ModemError); !ok || e.Code != 321 { // 321: invalid memory index, nothing there
			m.mu.Lock()
			m.needScan = true
			m.mu.Unlock()
		}
		return
	}
	c := &m.cmd
	switch {
	case !c.pdu || c.stat > 1:
		return // empty, or a stored SMS-SUBMIT: not for us
	case c.pduErr != nil:
		m.mu.Lock()
		m.stats.Malformed++
		m.emit(EventMalformed, c.pduErr)
		m.mu.Unlock()
	default:
		m.rd.Index = index
		select {
		case m.queue <- m.rd:
			m.mu.Lock()
			m.stats.Received++
			m.mu.Unlock()
		default:
			m.mu.Lock()
			m.scanLater()
			m.stats.Dropped++
			m.emit(EventDropped, nil)
			m.mu.Unlock()
			return
		}
	}
	m.simple(ctx, cmdPlain, opCMGD, "AT+CMGD=", index, m.cfg.CommandTimeout)
}

// work is the worker goroutine: it acknowledges, reads stored messages and
// recovers the modem, taking the command lock like Send.
func (m *Modem) work() {
	defer m.wgWork.Done()
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-m.wake:
		}
		for m.step() {
		}
	}
}

// step does one piece of the worker's work and reports whether there may
// be more.
func (m *Modem) step() bool {
	if m.ctx.Err() != nil {
		return false
	}
	m.mu.Lock()
	recov := m.recover
	m.recover = false
	var j job
	if !recov && m.jobN > 0 {
		j = m.jobs[m.jobHead]
		m.jobHead = (m.jobHead + 1) % maxJobs
		m.jobN--
		if j.op == jobAck || j.op == jobNack {
			m.acking.Store(true)
		}
	}
	scan := !recov && j.op == 0 && m.needScan && m.cfg.Mode == ModeStore && len(m.queue) < cap(m.queue)
	if scan {
		m.needScan = false
	}
	m.scanWait.Store(m.needScan && m.cfg.Mode == ModeStore)
	m.mu.Unlock()
	if !recov && j.op == 0 && !scan {
		return false
	}
	if m.acquire(m.ctx) != nil {
		return false
	}
	defer m.release()
	if err := m.ensureReady(m.ctx); err != nil {
		// The modem is not answering or not ready: acknowledgements are
		// void, reads wait for a scan once it is back.
		m.mu.Lock()
		m.dropJobs(true)
		if j.op == jobRead || scan {
			m.needScan = true
		}
		m.mu.Unlock()
		return false
	}
	switch {
	case j.op == jobAck || j.op == jobNack:
		m.ack(j.op == jobAck)
		m.acking.Store(false)
	case j.op == jobRead:
		m.readStored(m.ctx, j.index)
	case scan:
		m.scan(m.ctx)
	}
	return true
}

// ack acknowledges the last +CMT or +CDS (27.005 3.4.4): AT+CNMA for
// RP-ACK, AT+CNMA=2 for RP-ERROR. Holding the command lock.
func (m *Modem) ack(ok bool) {
	text := "AT+CNMA"
	if !ok {
		text = "AT+CNMA=2"
	}
	err := m.simple(m.ctx, cmdPlain, opCNMA, text, -1, m.cfg.CommandTimeout)
	m.mu.Lock()
	defer m.mu.Unlock()
	switch e, _ := err.(*ModemError); {
	case err == nil && ok:
		m.stats.Acked++
	case err == nil:
		m.stats.Nacked++
	case e != nil && e.Kind == KindCMSError && e.Code == 340:
		// "no +CNMA acknowledgement expected": the acknowledgement came
		// too late, and 27.005 3.4.4 has the modem then set <mt> and
		// <ds> of +CNMI to 0. Initialise it again to route messages.
		m.needInit, m.recover = true, true
		m.wakeWorker()
	}
}

// flushAcks waits, at most Config.CommandTimeout, until the worker has
// sent the acknowledgements it owes: a message handed to Receive has been
// taken, and an AT+CNMA left unsent would keep the modem from routing the
// next one until its network timeout (27.005 3.4.4), whoever opens it
// next.
func (m *Modem) flushAcks() {
	deadline := time.Now().Add(m.cfg.CommandTimeout)
	for time.Now().Before(deadline) {
		m.mu.Lock()
		owed := m.acking.Load()
		for i := 0; i < m.jobN && !owed; i++ {
			op := m.jobs[(m.jobHead+i)%maxJobs].op
			owed = op == jobAck || op == jobNack
		}
		m.mu.Unlock()
		if !owed || m.ctx.Err() != nil {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// dropJobs removes acknowledgements (and, with all, reads, marking a scan)
// from the work queue. Holding mu.
func (m *Modem) dropJobs(all bool) {
	n := 0
	for i := 0; i < m.jobN; i++ {
		j := m.jobs[(m.jobHead+i)%maxJobs]
		if j.op == jobRead {
			if all {
				m.needScan = true
				continue
			}
			m.jobs[(m.jobHead+n)%maxJobs] = j
			n++
		}
	}
	m.jobN = n
}

func (m *Modem) pushJob(j job) {
	if m.jobN == maxJobs {
		m.stats.Overruns++
		if j.op == jobRead {
			m.needScan = true
		}
		return
	}
	m.jobs[(m.jobHead+m.jobN)%maxJobs] = j
	m.jobN++
	m.wakeWorker()
}

// writeLoop is the writer goroutine: writes may block (a pipe, hardware
// flow control) and so are made here, where a command can stop waiting
// for them.
func (m *Modem) writeLoop() {
	defer m.wgIO.Done()
	for {
		select {
		case b := <-m.wreq:
			_, err := m.rw.Write(b)
			m.wres <- err
		case <-m.ctx.Done():
			return
		}
	}
}

// readLoop is the reader goroutine.
func (m *Modem) readLoop() {
	defer m.wgIO.Done()
	buf := make([]byte, 512)
	for {
		n, err := m.rw.Read(buf)
		if n > 0 {
			m.mu.Lock()
			m.feed(buf[:n])
			m.mu.Unlock()
		}
		if err != nil {
			m.mu.Lock()
			m.readErr = err
			m.mu.Unlock()
			close(m.dead)
			return
		}
	}
}

// feed splits the input into lines at CR and LF (V.250 5.7.1: the modem
// frames responses with CR LF) and handles them. The "> " prompt of
// AT+CMGS comes without a line end: a ">" at the start of a line is the
// prompt when the command waits for one. Holding mu.
func (m *Modem) feed(b []byte) {
	for _, c := range b {
		if c == '\r' || c == '\n' {
			if m.discard {
				m.discard = false
			} else if len(m.line) > 0 {
				m.handleLine(m.line)
			}
			m.line = m.line[:0]
			continue
		}
		if m.discard {
			continue
		}
		if len(m.line) == cap(m.line) {
			m.discard = true
			m.stats.BadLines++
			m.line = m.line[:0]
			if m.expect != expNone {
				exp := m.expect
				m.expect = expNone
				m.missingPDU(exp)
			}
			continue
		}
		if c == '>' && len(m.line) == 0 && m.cmd.active && m.cmd.prompt && !m.cmd.gotPrompt {
			m.cmd.gotPrompt = true
			m.signal()
			continue
		}
		m.line = append(m.line, c)
	}
}

// handleLine routes one line: a response to the command in flight, or an
// unsolicited result code. Holding mu.
func (m *Modem) handleLine(raw []byte) {
	var l Line
	err := l.Parse(raw)
	if m.expect != expNone {
		exp := m.expect
		m.expect = expNone
		if err == nil && l.Kind == KindPDU {
			m.handlePDU(exp, &l)
			return
		}
		m.missingPDU(exp)
	}
	if err != nil {
		m.stats.BadLines++
		if !l.Kind.Final() {
			return
		}
	}
	c := &m.cmd
	switch l.Kind {
	case KindInfo:
		if len(l.Text) > 0 && !c.active {
			m.stats.Unexpected++
		}
	case KindEcho, KindRing:
	case KindPrompt:
		if c.active && c.prompt && !c.gotPrompt {
			c.gotPrompt = true
			m.signal()
		}
	case KindPDU:
		m.stats.Unexpected++
	case KindCMT:
		m.expect, m.expLen = expCMT, l.Length
	case KindCDS:
		m.expect, m.expLen = expCDS, l.Length
	case KindCMTI, KindCDSI:
		// The driver reads from the storage AT+CMGR uses (<mem1>); it
		// assumes that is the <mem> announced, as with the default
		// settings of AT+CPMS.
		m.pushJob(job{op: jobRead, index: l.Index})
	case KindReset:
		m.onReset()
	case KindCMGS:
		if c.active && c.kind == cmdCMGS {
			c.mr, c.hasMR = l.MR, true
		} else {
			m.stats.Unexpected++
		}
	case KindCSMS:
		if c.active {
			c.csmsMT, c.hasCSMS = l.MT, true
		}
	case KindCMGR:
		if c.active && c.kind == cmdCMGR {
			m.expect, m.expLen, c.stat = expCMGR, l.Length, l.Stat
		} else {
			m.stats.Unexpected++
		}
	case KindCMGL:
		if c.active && c.kind == cmdCMGL {
			m.expect, m.expLen, m.expIndex, m.expStat = expCMGL, l.Length, l.Index, l.Stat
		} else {
			m.stats.Unexpected++
		}
	default: // a final result code
		if !c.active {
			m.stats.Unexpected++
			return
		}
		c.active, c.done = false, true
		c.final, c.code = l.Kind, l.Code
		if l.Code < 0 {
			c.vn = copy(c.verbose[:], l.Text)
		}
		m.signal()
	}
}

// handlePDU handles the PDU line after a +CMT, +CDS, +CMGR or +CMGL.
// Holding mu.
func (m *Modem) handlePDU(exp uint8, l *Line) {
	c := &m.cmd
	switch exp {
	case expCMT, expCDS:
		want := int(tpdu.TypeDeliver)
		if exp == expCDS {
			want = int(tpdu.TypeStatusReport)
		}
		if e := m.scratch.set(l.Text, m.expLen, -1, want); e != nil {
			// A message that does not decode would not decode on a second
			// try: acknowledge it so that the network does not repeat it,
			// and drop it.
			m.malformed(e)
			m.ackLater(true)
			return
		}
		select {
		case m.queue <- m.scratch:
			m.stats.Received++
			m.ackLater(true)
		default:
			// Queue full: RP-ERROR (AT+CNMA=2), and the network tries
			// again later. Without +CSMS=1 the message is lost.
			m.stats.Dropped++
			m.emit(EventDropped, nil)
			m.ackLater(false)
		}
	case expCMGR:
		if c.active && c.kind == cmdCMGR && c.stat <= 1 {
			c.pdu = true
			c.pduErr = m.rd.set(l.Text, m.expLen, -1, -1)
		} else if c.active && c.kind == cmdCMGR {
			c.pdu = true
		}
	case expCMGL:
		if !c.active || c.kind != cmdCMGL || m.expStat > 1 {
			return // a stored SMS-SUBMIT (stat 2, 3) is not ours to take
		}
		if len(m.del) == cap(m.del) {
			m.scanLater()
			return
		}
		if e := m.scratch.set(l.Text, m.expLen, m.expIndex, -1); e != nil {
			m.malformed(e)
			m.del = append(m.del, m.expIndex)
			return
		}
		select {
		case m.queue <- m.scratch:
			m.stats.Received++
			m.del = append(m.del, m.expIndex)
		default:
			m.scanLater()
		}
	}
}

// scanLater notes that the storage holds messages the queue had no room
// for, and wakes the worker, which lists the storage once Receive makes
// room. (After an error needScan is set without waking it: the next
// trigger tries again, rather than a loop against a broken modem.)
// Holding mu.
func (m *Modem) scanLater() {
	m.needScan = true
	m.wakeWorker()
}

// missingPDU handles a +CMT, +CDS, +CMGR or +CMGL header whose PDU line
// did not come. Holding mu.
func (m *Modem) missingPDU(exp uint8) {
	e := opErr("receive", ErrMalformed, rulePDU, "no PDU line after the header")
	switch exp {
	case expCMT, expCDS:
		m.malformed(e)
		m.ackLater(true)
	case expCMGR:
		if m.cmd.active && m.cmd.kind == cmdCMGR {
			m.cmd.pdu, m.cmd.pduErr = true, e
		}
	default:
		m.stats.Malformed++
	}
}

func (m *Modem) malformed(e *Error) {
	m.stats.Malformed++
	m.emit(EventMalformed, e)
}

// ackLater queues an AT+CNMA when the modem waits for one. Holding mu.
func (m *Modem) ackLater(ok bool) {
	if !m.ackMode {
		return
	}
	if ok {
		m.pushJob(job{op: jobAck})
	} else {
		m.pushJob(job{op: jobNack})
	}
}

// onReset handles a reset indication. Holding mu.
func (m *Modem) onReset() {
	m.stats.Resets++
	m.resetGen++
	m.needInit, m.recover = true, true
	m.dropJobs(false) // the modem forgot the messages it waited to have acknowledged
	if m.cmd.active {
		m.cmd.active, m.cmd.reset = false, true
		m.signal()
	}
	m.emit(EventReset, nil)
	m.wakeWorker()
}
