package sms

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/transport"
	"github.com/iotwire/iotwire/transport/sms/segment"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// Network is the network name of an [Addr].
const Network = "sms"

// MaxCachedAddrs is how many senders' *Addr values a Conn keeps for
// ReadFrom; past it the cache starts over.
const MaxCachedAddrs = 256

// Addr is the address of an SMS endpoint: its telephone number, "+" and the
// digits for an international (E.164) number, the digits alone for another
// (3GPP TS 23.040 section 9.1.2.5). It implements net.Addr.
type Addr struct {
	Number string
}

// Network returns "sms".
func (a *Addr) Network() string { return Network }

// String returns the number.
func (a *Addr) String() string { return a.Number }

// ParseAddr returns the address of s: a number as [Addr] describes it,
// optionally written as an "sms://" or "sms:" URI (RFC 5724 section 2) or
// with a "tel:" prefix. Alphanumeric senders cannot be written to and are
// refused.
func ParseAddr(s string) (*Addr, error) {
	num := s
	for _, p := range []string{"sms://", "sms:", "tel:"} {
		if len(num) > len(p) && num[:len(p)] == p {
			num = num[len(p):]
			break
		}
	}
	a, err := tpdu.ParseAddress(num)
	if err != nil {
		return nil, &AddrError{Addr: s, Err: err}
	}
	if a.IsZero() || a.TON() == tpdu.TONAlphanumeric {
		return nil, &AddrError{Addr: s, Err: ErrNotNumber}
	}
	return &Addr{Number: num}, nil
}

// ErrNotNumber is the error of an address that is not a telephone number:
// empty, or alphanumeric (which a network only shows as a sender).
var ErrNotNumber = errors.New("not a telephone number")

// AddrError is an address a Conn cannot use; Err says why.
type AddrError struct {
	Addr string
	Err  error
}

// Error describes the error.
func (e *AddrError) Error() string {
	return "sms: address " + strconv.Quote(e.Addr) + ": " + e.Err.Error()
}

// Unwrap returns e.Err.
func (e *AddrError) Unwrap() error { return e.Err }

// tpduAddr returns the TP address of a net.Addr written to.
func tpduAddr(a net.Addr) (tpdu.Address, error) {
	if a == nil {
		return tpdu.Address{}, &AddrError{Err: ErrNotNumber}
	}
	num := a.String()
	if sa, ok := a.(*Addr); ok {
		num = sa.Number
	}
	t, err := tpdu.ParseAddress(num)
	if err != nil {
		return tpdu.Address{}, &AddrError{Addr: num, Err: err}
	}
	if t.IsZero() || t.TON() == tpdu.TONAlphanumeric {
		return tpdu.Address{}, &AddrError{Addr: num, Err: ErrNotNumber}
	}
	return t, nil
}

// SMS is one short message as a [Link] carries it.
type SMS struct {
	// Peer is the destination of a message sent, the originator of a
	// message received (TP-DA, TP-OA).
	Peer tpdu.Address
	// DCS is the data coding scheme (TP-DCS): 8-bit data for the binding.
	DCS tpdu.DCS
	// UserData is the user data with its header. On receipt it may alias
	// the Link's buffer until the next Receive.
	UserData tpdu.UserData
}

// Link moves single short messages. Implementations: [ModemLink] over
// an AT modem, [SMPPLink] over an SMPP session, and the simulated network
// of package smstest.
type Link interface {
	// Send sends m. It returns when the network accepted the message (the
	// modem's +CMGS, the SMSC's submit_sm_resp), or with ctx's error.
	Send(ctx context.Context, m *SMS) error
	// Receive waits for the next message and fills m, or returns ctx's
	// error; a message must not be lost when ctx ends the wait.
	Receive(ctx context.Context, m *SMS) error
	// Close ends the link; blocked calls return net.ErrClosed.
	Close() error
}

// Config configures a [Conn]. The zero value works: 8-bit references, no
// ports, DCS 0x04, the default reassembly limits.
type Config struct {
	// Local is the Conn's own number, for LocalAddr; may be empty.
	Local string
	// Ref16 sends 16-bit concatenation references (23.040 9.2.3.24.8)
	// instead of 8-bit ones (9.2.3.24.1), one octet less per part.
	Ref16 bool
	// Ports, when not nil, is sent in every message as a 16-bit
	// application port addressing element (23.040 9.2.3.24.4): Dst the
	// peer's port, Src the Conn's own. ReadFrom then keeps only messages
	// whose destination port is Ports.Src.
	Ports *tpdu.Ports
	// DCS is the data coding scheme of messages sent; it must be an
	// 8-bit data scheme (23.038 section 4). 0 means 0x04.
	DCS tpdu.DCS
	// Reassembly bounds the incomplete datagrams held (see
	// [segment.Limits]).
	Reassembly segment.Limits
	// Now returns the time for reassembly timeouts; nil means time.Now.
	Now func() time.Time
}

// Stats counts what a Conn did.
type Stats struct {
	Sent         uint64 // datagrams written
	PartsSent    uint64 // short messages sent
	Received     uint64 // datagrams returned by ReadFrom
	PartsRead    uint64 // short messages received
	DroppedText  uint64 // messages received that were not 8-bit data
	DroppedPort  uint64 // messages for another application port
	DroppedParts uint64 // parts rejected by the reassembler
	DroppedPeer  uint64 // datagrams from another number than a PeerConn's
	Reassembly   segment.Stats
}

// Conn is a datagram connection over short messages. It implements
// net.PacketConn and transport.DatagramConn; its methods are safe for
// concurrent use.
type Conn struct {
	link  Link
	cfg   Config
	local *Addr
	opts  segment.Options
	now   func() time.Time

	closeOnce sync.Once
	closed    chan struct{}
	ctx       context.Context // canceled by Close
	cancel    context.CancelFunc

	rmu   sync.Mutex // one reader at a time: the reassembler and the cache
	reasm *segment.Reassembler
	addrs map[string]*Addr
	in    SMS
	key   []byte

	wmu sync.Mutex // one writer at a time: references and parts in order
	ref uint16
	hdr []byte
	out SMS

	rd, wd deadline

	smu   sync.Mutex
	stats Stats
}

var (
	_ net.PacketConn         = (*Conn)(nil)
	_ transport.DatagramConn = (*Conn)(nil)
	_ net.Addr               = (*Addr)(nil)
)

// NewConn returns a Conn over link. It fails on a Config it cannot use (a
// DCS that is not 8-bit data, a Local that is not a number).
func NewConn(link Link, cfg Config) (*Conn, error) {
	if cfg.DCS == 0 {
		cfg.DCS = tpdu.DCS8Bit
	}
	if cfg.DCS.Alphabet() != tpdu.Data8 || cfg.DCS.Compressed() {
		return nil, errors.New("sms: DCS 0x" + strconv.FormatUint(uint64(cfg.DCS), 16) + " is not uncompressed 8-bit data (3GPP TS 23.038 4)")
	}
	local := &Addr{}
	if cfg.Local != "" {
		a, err := ParseAddr(cfg.Local)
		if err != nil {
			return nil, err
		}
		local = a
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	c := &Conn{
		link: link, cfg: cfg, local: local, now: now,
		closed: make(chan struct{}),
		reasm:  segment.NewReassembler(cfg.Reassembly),
		addrs:  make(map[string]*Addr),
		hdr:    make([]byte, 0, 16),
		key:    make([]byte, 0, segment.MaxKeyLen),
		opts:   segment.Options{Ref8: !cfg.Ref16},
	}
	if cfg.Ports != nil {
		c.opts.Ports, c.opts.HasPorts = *cfg.Ports, true
		c.opts.Ports.Wide = true
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.rd.init(c.ctx)
	c.wd.init(c.ctx)
	return c, nil
}

// MaxDatagramSize returns the largest datagram: 255 parts.
func (c *Conn) MaxDatagramSize() int { return segment.MaxParts * c.opts.PartCapacity() }

// LocalAddr returns the Conn's own number (Config.Local).
func (c *Conn) LocalAddr() net.Addr { return c.local }

// Stats returns the counters.
func (c *Conn) Stats() Stats {
	c.smu.Lock()
	defer c.smu.Unlock()
	s := c.stats
	return s
}

func (c *Conn) count(f func(*Stats)) {
	c.smu.Lock()
	f(&c.stats)
	c.smu.Unlock()
}

// ReadFrom waits for the next whole datagram, copies it into p and returns
// its length and sender. A datagram longer than p fills p and comes with
// transport.ErrTooLarge.
func (c *Conn) ReadFrom(p []byte) (int, net.Addr, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	for {
		if err := c.readErr(); err != nil {
			return 0, nil, err
		}
		ctx, err := c.rd.context()
		if err != nil {
			return 0, nil, c.opErr("read", nil, err)
		}
		if err = c.link.Receive(ctx, &c.in); err != nil {
			if c.isClosed() {
				return 0, nil, c.opErr("read", nil, net.ErrClosed)
			}
			if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
				continue // the deadline passed: c.rd.context says so
			}
			return 0, nil, c.opErr("read", nil, err)
		}
		n, from, ok, err := c.accept(p)
		if ok || err != nil {
			return n, from, err
		}
	}
}

// readErr reports a closed Conn.
func (c *Conn) readErr() error {
	if c.isClosed() {
		return c.opErr("read", nil, net.ErrClosed)
	}
	return nil
}

// accept takes c.in: it reports ok with the datagram copied into p when
// the message completes one.
func (c *Conn) accept(p []byte) (int, net.Addr, bool, error) {
	m := &c.in
	c.count(func(s *Stats) { s.PartsRead++ })
	if m.DCS.Alphabet() != tpdu.Data8 || m.DCS.Compressed() {
		c.count(func(s *Stats) { s.DroppedText++ })
		return 0, nil, false, nil
	}
	c.key = m.Peer.AppendText(c.key[:0])
	if len(c.key) > segment.MaxKeyLen {
		c.key = c.key[:segment.MaxKeyLen]
	}
	now := c.now()
	c.reasm.Expire(now)
	msg, ok, err := c.reasm.Add(now, c.key, &m.UserData)
	st := c.reasm.Stats()
	c.count(func(s *Stats) {
		s.Reassembly = st
		if err != nil {
			s.DroppedParts++
		}
	})
	if err != nil || !ok {
		return 0, nil, false, nil
	}
	if c.opts.HasPorts && (!msg.HasPorts || msg.Ports.Dst != c.opts.Ports.Src) {
		c.count(func(s *Stats) { s.DroppedPort++ })
		return 0, nil, false, nil
	}
	from := c.addrs[string(c.key)]
	if from == nil {
		if len(c.addrs) >= MaxCachedAddrs {
			clear(c.addrs)
		}
		from = &Addr{Number: string(c.key)}
		c.addrs[from.Number] = from
	}
	n := copy(p, msg.Payload)
	c.count(func(s *Stats) { s.Received++ })
	if n < len(msg.Payload) {
		return n, from, true, c.opErr("read", from, transport.ErrTooLarge)
	}
	return n, from, true, nil
}

// WriteTo sends p to addr (an *Addr, or any net.Addr whose String is a
// number) as one short message or concatenated parts, and returns len(p)
// once the Link has sent every part. A datagram over MaxDatagramSize fails
// with transport.ErrTooLarge before anything is sent; a failure after the
// first part leaves the receiver an incomplete datagram, which its
// reassembler drops after its timeout.
func (c *Conn) WriteTo(p []byte, addr net.Addr) (int, error) {
	to, err := tpduAddr(addr)
	if err != nil {
		return 0, c.opErr("write", addr, err)
	}
	if len(p) == 0 {
		return 0, c.opErr("write", addr, errors.New("empty datagram"))
	}
	if len(p) > c.MaxDatagramSize() {
		return 0, c.opErr("write", addr, transport.ErrTooLarge)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.isClosed() {
		return 0, c.opErr("write", addr, net.ErrClosed)
	}
	o := c.opts
	c.ref++
	o.Ref = c.ref
	s, err := segment.Split(p, o)
	if err != nil {
		return 0, c.opErr("write", addr, err)
	}
	for {
		ud, hdr, ok := s.Next(c.hdr[:0])
		if !ok {
			break
		}
		c.hdr = hdr
		ctx, err := c.wd.context()
		if err != nil {
			return 0, c.opErr("write", addr, err)
		}
		c.out = SMS{Peer: to, DCS: c.cfg.DCS, UserData: ud}
		if err = c.link.Send(ctx, &c.out); err != nil {
			switch {
			case c.isClosed():
				err = net.ErrClosed
			case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
				// The deadline passed while the part was being sent.
				err = os.ErrDeadlineExceeded
			}
			return 0, c.opErr("write", addr, err)
		}
		c.count(func(st *Stats) { st.PartsSent++ })
	}
	c.count(func(st *Stats) { st.Sent++ })
	return len(p), nil
}

// Close closes the Conn and its Link; blocked calls return net.ErrClosed.
func (c *Conn) Close() error {
	err := net.ErrClosed
	c.closeOnce.Do(func() {
		close(c.closed)
		c.cancel()
		c.rd.stop()
		c.wd.stop()
		err = c.link.Close()
	})
	return err
}

func (c *Conn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// SetDeadline sets the read and write deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.rd.set(t)
	c.wd.set(t)
	return nil
}

// SetReadDeadline sets the read deadline; the zero time means none.
func (c *Conn) SetReadDeadline(t time.Time) error { c.rd.set(t); return nil }

// SetWriteDeadline sets the write deadline; the zero time means none.
func (c *Conn) SetWriteDeadline(t time.Time) error { c.wd.set(t); return nil }

func (c *Conn) opErr(op string, addr net.Addr, err error) error {
	return &net.OpError{Op: op, Net: Network, Source: c.local, Addr: addr, Err: err}
}

// deadline is a deadline that calls blocked on it follow as it changes:
// its context is cancelled when the deadline passes (or Close cancels the
// parent), never merely because the deadline moved, so that a deadline
// extended or cleared while a call waits lets the call go on, as net.Conn
// requires.
type deadline struct {
	mu      sync.Mutex
	parent  context.Context // ends at Close
	t       time.Time
	timer   *time.Timer
	ctx     context.Context
	cancel  context.CancelFunc
	expired bool // ctx was cancelled by an expiry
}

func (d *deadline) init(parent context.Context) {
	d.parent = parent
	d.ctx, d.cancel = context.WithCancel(parent)
	d.timer = time.AfterFunc(time.Hour, d.fire)
	d.timer.Stop()
}

func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.timer.Stop()
	if d.expired {
		// The calls it ended are gone: later ones get a fresh context.
		d.ctx, d.cancel = context.WithCancel(d.parent)
		d.expired = false
	}
	d.t = t
	if t.IsZero() {
		return
	}
	if wait := time.Until(t); wait > 0 {
		d.timer.Reset(wait)
		return
	}
	d.expired = true
	d.cancel()
}

// fire cancels the context when the deadline has passed; a timer armed
// for a deadline moved since does nothing.
func (d *deadline) fire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.t.IsZero() && !time.Now().Before(d.t) && !d.expired {
		d.expired = true
		d.cancel()
	}
}

// context returns the context for a call, or os.ErrDeadlineExceeded when
// the deadline has passed.
func (d *deadline) context() (context.Context, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.expired || !d.t.IsZero() && !time.Now().Before(d.t) {
		return nil, os.ErrDeadlineExceeded
	}
	return d.ctx, nil
}

// stop releases the timer and the context.
func (d *deadline) stop() {
	d.mu.Lock()
	d.timer.Stop()
	d.cancel()
	d.mu.Unlock()
}
