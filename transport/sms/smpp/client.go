package smpp

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotwire/iotwire/internal/wire"
)

// The errors of a [Client] beyond the codec's and the [Status] values.
var (
	// ErrClosed is returned by calls on a Client that Close has ended.
	ErrClosed = errors.New("smpp: client closed")
	// ErrUnbound ends a Client whose SMSC sent unbind (SMPP 3.4 4.2): the
	// client answered unbind_resp and closed the connection.
	ErrUnbound = errors.New("smpp: SMSC ended the session with unbind")
	// ErrLinkDead ends a Client whose peer did not answer
	// Config.MaxMissedEnquire enquire_link PDUs in a row (SMPP 3.4 7.2,
	// enquire_link_timer).
	ErrLinkDead = errors.New("smpp: link dead: enquire_link unanswered")
	// ErrConnLost ends a Client whose connection failed; the error it
	// ends with also wraps the connection's error.
	ErrConnLost = errors.New("smpp: connection lost")
	// ErrResponseTimeout is returned for a request whose response did not
	// come within Config.ResponseTimeout (SMPP 3.4 7.2, response_timer).
	ErrResponseTimeout = errors.New("smpp: no response within the response timeout")
	// ErrNotBound is returned by Submit before Bind succeeded. (Bind on a
	// Client that is bound or binding returns StatusAlyBnd.)
	ErrNotBound = errors.New("smpp: not bound")
)

// NackError is returned when the peer answered a request with generic_nack
// (SMPP 3.4 4.3). It wraps the Status, so errors.Is(err,
// smpp.StatusInvCmdLen) works.
type NackError struct {
	Command CommandID // the request answered
	Status  Status    // the generic_nack's command_status
}

// Error returns "smpp: generic_nack to submit_sm: ESME_RINVCMDLEN".
func (e *NackError) Error() string {
	return "smpp: generic_nack to " + e.Command.String() + ": " + e.Status.String()
}

// Unwrap returns the Status.
func (e *NackError) Unwrap() error { return e.Status }

// linkError is ErrConnLost with the connection's error.
type linkError struct{ cause error }

// Error returns "smpp: connection lost: " and the cause.
func (e *linkError) Error() string { return "smpp: connection lost: " + e.cause.Error() }

// Unwrap returns ErrConnLost and the cause.
func (e *linkError) Unwrap() []error { return []error{ErrConnLost, e.cause} }

// Config is the configuration of a [Client]. The zero value of each field
// means its default; values out of range mean the default too.
type Config struct {
	// The bind fields (SMPP 3.4 4.1): system_id (max 15 characters),
	// password (max 8), system_type (max 12), addr_ton, addr_npi and
	// address_range (max 40). interface_version is 0x34.
	SystemID, Password, SystemType string
	AddrTON, AddrNPI               byte
	AddressRange                   string

	// BindMode is the bind request: CmdBindTransceiver (the default),
	// CmdBindTransmitter or CmdBindReceiver.
	BindMode CommandID

	// Window is the number of submit_sm requests outstanding at once, 1 to
	// 1024; default 10. Submit blocks while the window is full. bind,
	// unbind and enquire_link do not count.
	Window int
	// ReceiveQueue is the number of deliver_sm PDUs held for Receive, 1 to
	// 65536; default 64. When it is full, a deliver_sm is answered with
	// ESME_RX_T_APPN (a temporary error: the SMSC retries it later) and
	// dropped; Stats counts it.
	ReceiveQueue int

	// EnquireInterval is the idle time after which the client sends
	// enquire_link (SMPP 3.4 7.2, enquire_link_timer), 1 ms to 1 hour;
	// default 30 s; negative disables. Any PDU received counts as
	// activity. MaxMissedEnquire enquire_link PDUs sent without any PDU
	// received in between, 1 to 100 (default 3), end the client with
	// ErrLinkDead at the next interval.
	EnquireInterval  time.Duration
	MaxMissedEnquire int
	// ResponseTimeout bounds the wait for a response (response_timer),
	// 1 ms to 1 hour; default 60 s. A request abandoned by its context
	// keeps its window slot until its response comes or this expires.
	ResponseTimeout time.Duration
	// WriteTimeout bounds each write to the connection, 1 ms to 1 hour;
	// default 10 s. A write that times out ends the client.
	WriteTimeout time.Duration
	// UnbindTimeout bounds Close's wait for unbind_resp, 1 ms to 1 hour;
	// default 5 s.
	UnbindTimeout time.Duration
	// MaxCommandLength is the largest PDU read, 16 to MaxCommandLength
	// (the default).
	MaxCommandLength int
}

// The bounds of Config.
const (
	MaxWindow       = 1024
	maxReceiveQueue = 65536
	maxDuration     = time.Hour
)

func limitDur(d, def time.Duration) time.Duration {
	if d < time.Millisecond || d > maxDuration {
		return def
	}
	return d
}

func (c Config) resolve() Config {
	if c.BindMode != CmdBindTransmitter && c.BindMode != CmdBindReceiver {
		c.BindMode = CmdBindTransceiver
	}
	c.Window = wire.Limit(c.Window, 1, MaxWindow, 10)
	c.ReceiveQueue = wire.Limit(c.ReceiveQueue, 1, maxReceiveQueue, 64)
	if c.EnquireInterval >= 0 {
		c.EnquireInterval = limitDur(c.EnquireInterval, 30*time.Second)
	}
	c.MaxMissedEnquire = wire.Limit(c.MaxMissedEnquire, 1, 100, 3)
	c.ResponseTimeout = limitDur(c.ResponseTimeout, time.Minute)
	c.WriteTimeout = limitDur(c.WriteTimeout, 10*time.Second)
	c.UnbindTimeout = limitDur(c.UnbindTimeout, 5*time.Second)
	c.MaxCommandLength = wire.Limit(c.MaxCommandLength, HeaderLen, MaxCommandLength, MaxCommandLength)
	return c
}

// ClientStats counts what a Client did.
type ClientStats struct {
	Submitted    uint64 // submit_sm answered with ESME_ROK
	Received     uint64 // deliver_sm queued for Receive
	Dropped      uint64 // deliver_sm answered ESME_RX_T_APPN: the queue was full
	Rejected     uint64 // deliver_sm answered with an error: malformed
	EnquireSent  uint64 // enquire_link sent by the idle timer
	EnquireAns   uint64 // enquire_link from the peer answered
	NacksSent    uint64 // generic_nack sent
	NacksGot     uint64 // generic_nack received
	LateOrStrays uint64 // responses matching no outstanding request (but the idle timer's enquire_link)
}

// The session states.
const (
	stateOpen = iota
	stateBinding
	stateBound
	stateClosing
)

// call is one outstanding request: a slot of the window or a control slot.
type call struct {
	seq       uint32
	want      CommandID // the response expected
	active    bool
	abandoned bool // its caller gave up: free the slot when it completes
	deadline  time.Time
	ch        chan result // capacity 1, made once
	pool      chan int    // the free list the slot returns to
}

type result struct {
	status Status
	id     string // message_id or the SMSC's system_id
	err    error
}

// Client is an ESME: an SMPP 3.4 client of an SMSC (SMPP 3.4 section 2).
// It binds as a transceiver (or as configured), submits short messages
// with a window of outstanding requests matched to their responses by
// sequence number, queues the deliver_sm PDUs the SMSC sends for Receive,
// answers enquire_link and sends it when the link is idle, and ends the
// session with unbind on Close. Its methods are safe for concurrent use.
//
// A Client runs two goroutines, a reader and a timer, which end when the
// connection does; Close waits for them.
type Client struct {
	cfg  Config
	conn net.Conn
	rd   *Reader

	wmu  sync.Mutex
	wbuf []byte

	seq atomic.Uint32

	mu      sync.Mutex
	state   int
	err     error // why the client ended; set once
	smscID  string
	calls   []call // Window slots, then 2 control slots
	free    chan int
	ctrl    chan int
	done    chan struct{}
	closing bool

	rx chan []byte // deliver_sm PDUs, each its own copy

	lastRead atomic.Int64 // unix nanoseconds of the last PDU read
	missed   atomic.Int32 // enquire_link sent since the last PDU read

	stats struct {
		submitted, received, dropped, rejected, enqSent, enqAns, nacksSent, nacksGot, strays atomic.Uint64
	}

	// Used by the reader goroutine only.
	rSub   SubmitSMResp
	rBind  BindResp
	rDel   DeliverSM
	rEmpty Header

	wg sync.WaitGroup
}

// Dial connects to an SMSC at addr over TCP and binds with cfg. ctx bounds
// both; the Client outlives it.
func Dial(ctx context.Context, addr string, cfg Config) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := NewClient(conn, cfg)
	if err := c.Bind(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// NewClient returns a Client on conn, which it owns from then on, and
// starts its goroutines. Call Bind next.
func NewClient(conn net.Conn, cfg Config) *Client {
	cfg = cfg.resolve()
	c := &Client{
		cfg:  cfg,
		conn: conn,
		rd:   NewReader(conn, cfg.MaxCommandLength),
		wbuf: make([]byte, 0, 512),
		free: make(chan int, cfg.Window),
		ctrl: make(chan int, 2),
		done: make(chan struct{}),
		rx:   make(chan []byte, cfg.ReceiveQueue),
	}
	c.rd.Buffer(make([]byte, 4096))
	c.calls = make([]call, cfg.Window+2)
	for i := range c.calls {
		c.calls[i].ch = make(chan result, 1)
		if i < cfg.Window {
			c.calls[i].pool = c.free
		} else {
			c.calls[i].pool = c.ctrl
		}
		c.calls[i].pool <- i
	}
	c.lastRead.Store(time.Now().UnixNano())
	c.wg.Add(2)
	go c.readLoop()
	go c.timerLoop()
	return c
}

// Done returns a channel that is closed when the client has ended: closed,
// unbound by the SMSC, or its connection lost. Err says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the client ended (ErrClosed, ErrUnbound, ErrLinkDead, an
// error wrapping ErrConnLost, or the bind error), or nil while it runs.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// SMSCSystemID returns the system_id of the SMSC's bind response.
func (c *Client) SMSCSystemID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.smscID
}

// Stats returns the client's counters.
func (c *Client) Stats() ClientStats {
	s := &c.stats
	return ClientStats{
		Submitted: s.submitted.Load(), Received: s.received.Load(), Dropped: s.dropped.Load(),
		Rejected: s.rejected.Load(), EnquireSent: s.enqSent.Load(), EnquireAns: s.enqAns.Load(),
		NacksSent: s.nacksSent.Load(), NacksGot: s.nacksGot.Load(), LateOrStrays: s.strays.Load(),
	}
}

// nextSeq returns the next sequence_number, 1 to MaxSeq and around (5.1.4).
func (c *Client) nextSeq() uint32 {
	for {
		old := c.seq.Load()
		n := old%MaxSeq + 1
		if c.seq.CompareAndSwap(old, n) {
			return n
		}
	}
}

// fail ends the client with err, once: it completes every outstanding
// request with err, closes the connection and Done.
func (c *Client) fail(err error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err = err
	for i := range c.calls {
		c.finish(i, result{err: err})
	}
	c.mu.Unlock()
	close(c.done)
	c.conn.Close()
}

// finish completes active call i with r; c.mu is held.
func (c *Client) finish(i int, r result) {
	cl := &c.calls[i]
	if !cl.active {
		return
	}
	cl.active = false
	if cl.abandoned {
		cl.pool <- i
		return
	}
	cl.ch <- r
}

// acquire takes a free slot of pool.
func (c *Client) acquire(ctx context.Context, pool chan int) (int, error) {
	if err := ctx.Err(); err != nil {
		return -1, err
	}
	select {
	case <-c.done:
		return -1, c.Err()
	default:
	}
	select {
	case i := <-pool:
		return i, nil
	default:
	}
	select {
	case i := <-pool:
		return i, nil
	case <-ctx.Done():
		return -1, ctx.Err()
	case <-c.done:
		return -1, c.Err()
	}
}

// register makes slot i wait for the response want to seq.
func (c *Client) register(i int, seq uint32, want CommandID) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		c.calls[i].pool <- i
		return c.err
	}
	cl := &c.calls[i]
	cl.seq, cl.want, cl.active, cl.abandoned = seq, want, true, false
	cl.deadline = time.Now().Add(c.cfg.ResponseTimeout)
	return nil
}

// unregister frees slot i whose request was never sent.
func (c *Client) unregister(i int) {
	c.mu.Lock()
	cl := &c.calls[i]
	if cl.active {
		cl.active = false
		cl.pool <- i
	} else {
		// fail completed it meanwhile: take the result, free the slot.
		<-cl.ch
		cl.pool <- i
	}
	c.mu.Unlock()
}

// wait waits for the response of slot i or the end of ctx.
func (c *Client) wait(ctx context.Context, i int) (result, error) {
	cl := &c.calls[i]
	select {
	case r := <-cl.ch:
		cl.pool <- i
		return r, nil
	case <-ctx.Done():
	}
	c.mu.Lock()
	if cl.active {
		cl.abandoned = true
		c.mu.Unlock()
		return result{}, ctx.Err()
	}
	c.mu.Unlock()
	r := <-cl.ch // completed meanwhile
	cl.pool <- i
	return r, nil
}

// complete hands the response to seq to its waiter. It reports whether a
// request was waiting for it.
func (c *Client) complete(seq uint32, id CommandID, r result) bool {
	if !c.match(seq, id, r) {
		c.stats.strays.Add(1)
		return false
	}
	return true
}

// match is complete without counting strays.
func (c *Client) match(seq uint32, id CommandID, r result) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.calls {
		cl := &c.calls[i]
		if cl.active && cl.seq == seq {
			if id != cl.want && id != CmdGenericNack {
				r = result{err: &Error{Op: id.op(), Field: "command_id", Rule: ruleID, Offset: 4,
					Msg: "response does not match the request of its sequence_number", Status: StatusInvCmdID, Err: ErrMalformed}}
			}
			c.finish(i, r)
			return true
		}
	}
	return false
}

// expire completes the requests whose response is overdue.
func (c *Client) expire(now time.Time) {
	c.mu.Lock()
	for i := range c.calls {
		if cl := &c.calls[i]; cl.active && now.After(cl.deadline) {
			c.finish(i, result{err: ErrResponseTimeout})
		}
	}
	c.mu.Unlock()
}

// writeLocked writes b; c.wmu is held. A failed write ends the client.
func (c *Client) writeLocked(b []byte) error {
	c.conn.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
	if _, err := c.conn.Write(b); err != nil {
		c.fail(&linkError{err})
		return c.Err()
	}
	return nil
}

// sendEmpty writes a PDU without body.
func (c *Client) sendEmpty(id CommandID, st Status, seq uint32) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.wbuf = appendHeader(c.wbuf[:0], HeaderLen, id, st, seq)
	return c.writeLocked(c.wbuf)
}

// sendDeliverResp writes a deliver_sm_resp with a NULL message_id.
func (c *Client) sendDeliverResp(seq uint32, st Status) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.wbuf = appendHeader(c.wbuf[:0], HeaderLen+1, CmdDeliverSMResp, st, seq)
	c.wbuf = append(c.wbuf, 0)
	return c.writeLocked(c.wbuf)
}

// Bind sends the bind request of Config.BindMode and waits for its
// response. A bind that fails (with the Status the SMSC answered, which
// errors.Is matches, or because ctx ended first) ends the client.
func (c *Client) Bind(ctx context.Context) error {
	c.mu.Lock()
	if c.err != nil {
		defer c.mu.Unlock()
		return c.err
	}
	if c.state != stateOpen {
		c.mu.Unlock()
		return StatusAlyBnd
	}
	c.state = stateBinding
	c.mu.Unlock()
	err := c.bind(ctx)
	if err != nil {
		c.fail(err)
		return err
	}
	return nil
}

func (c *Client) bind(ctx context.Context) error {
	i, err := c.acquire(ctx, c.ctrl)
	if err != nil {
		return err
	}
	seq := c.nextSeq()
	if err := c.register(i, seq, c.cfg.BindMode.Resp()); err != nil {
		return err
	}
	p := Bind{
		Header:   Header{ID: c.cfg.BindMode, Seq: seq},
		SystemID: []byte(c.cfg.SystemID), Password: []byte(c.cfg.Password), SystemType: []byte(c.cfg.SystemType),
		InterfaceVersion: InterfaceVersion, AddrTON: c.cfg.AddrTON, AddrNPI: c.cfg.AddrNPI,
		AddressRange: []byte(c.cfg.AddressRange),
	}
	c.wmu.Lock()
	buf, err := p.AppendBinary(c.wbuf[:0])
	if err == nil {
		c.wbuf = buf
		c.writeLocked(buf)
	}
	c.wmu.Unlock()
	if err != nil {
		c.unregister(i)
		return err
	}
	r, err := c.wait(ctx, i)
	if err != nil {
		return err
	}
	if r.err != nil {
		return r.err
	}
	if r.status != StatusOK {
		return r.status
	}
	c.mu.Lock()
	c.smscID = r.id
	if c.state == stateBinding {
		c.state = stateBound
	}
	c.mu.Unlock()
	return nil
}

// Submit sends sm as a submit_sm (its Seq and Status are set by the
// client) and waits for the submit_sm_resp. It returns the message_id
// the SMSC assigned, or the error: the command_status as a [Status], a
// [*NackError], an encoding *Error (nothing was sent), ErrResponseTimeout,
// ctx's error, or why the client ended. It blocks while Config.Window
// requests are outstanding.
func (c *Client) Submit(ctx context.Context, sm SubmitSM) (string, error) {
	if err := c.ready(); err != nil {
		return "", err
	}
	i, err := c.acquire(ctx, c.free)
	if err != nil {
		return "", err
	}
	seq := c.nextSeq()
	if err := c.register(i, seq, CmdSubmitSMResp); err != nil {
		return "", err
	}
	sm.Seq, sm.Status = seq, StatusOK
	c.wmu.Lock()
	buf, err := sm.AppendBinary(c.wbuf[:0])
	if err == nil {
		c.wbuf = buf
		c.writeLocked(buf)
	}
	c.wmu.Unlock()
	if err != nil {
		c.unregister(i)
		return "", err
	}
	r, err := c.wait(ctx, i)
	switch {
	case err != nil:
		return "", err
	case r.err != nil:
		return "", r.err
	case r.status != StatusOK:
		return "", r.status
	}
	c.stats.submitted.Add(1)
	return r.id, nil
}

// bound reports whether the session is bound (enquire_link is sent only
// then: before, the bind's own timeout applies).
func (c *Client) bound() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == stateBound
}

// ready checks that the client is bound for submitting.
func (c *Client) ready() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.err != nil:
		return c.err
	case c.state == stateClosing:
		return ErrClosed
	case c.state != stateBound:
		return ErrNotBound
	case c.cfg.BindMode == CmdBindReceiver:
		return StatusInvBndSts
	}
	return nil
}

// EnquireLink sends enquire_link and waits for its response: a link check
// on demand, besides the idle timer's.
func (c *Client) EnquireLink(ctx context.Context) error {
	return c.control(ctx, CmdEnquireLink)
}

// control sends a request without body on a control slot and waits for
// its response.
func (c *Client) control(ctx context.Context, id CommandID) error {
	i, err := c.acquire(ctx, c.ctrl)
	if err != nil {
		return err
	}
	seq := c.nextSeq()
	if err := c.register(i, seq, id.Resp()); err != nil {
		return err
	}
	c.sendEmpty(id, StatusOK, seq)
	r, err := c.wait(ctx, i)
	switch {
	case err != nil:
		return err
	case r.err != nil:
		return r.err
	case r.status != StatusOK:
		return r.status
	}
	return nil
}

// Receive returns the next deliver_sm, waiting for one until ctx ends. The
// client has answered it already (deliver_sm_resp ESME_ROK). Its fields
// alias a buffer of its own, which the caller may keep. After the client
// ended, Receive returns the PDUs still queued, then why it ended.
func (c *Client) Receive(ctx context.Context) (DeliverSM, error) {
	var d DeliverSM
	select {
	case b := <-c.rx:
		d.Decode(b) // checked by the reader already
		return d, nil
	default:
	}
	select {
	case b := <-c.rx:
		d.Decode(b)
		return d, nil
	case <-ctx.Done():
		return d, ctx.Err()
	case <-c.done:
		select {
		case b := <-c.rx:
			d.Decode(b)
			return d, nil
		default:
			return d, c.Err()
		}
	}
}

// Close ends the session: if bound, it sends unbind and waits up to
// Config.UnbindTimeout for unbind_resp, then closes the connection and
// waits for the client's goroutines. Outstanding requests fail with
// ErrClosed. It returns the unbind's error, if any (nil after a clean
// unbind); closing again returns nil.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		c.wg.Wait()
		return nil
	}
	c.closing = true
	bound := c.state == stateBound && c.err == nil
	c.state = stateClosing
	c.mu.Unlock()
	var err error
	if bound {
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.UnbindTimeout)
		err = c.control(ctx, CmdUnbind)
		cancel()
	}
	c.fail(ErrClosed)
	c.wg.Wait()
	return err
}

// readLoop reads and dispatches PDUs until the connection ends.
func (c *Client) readLoop() {
	defer c.wg.Done()
	for {
		h, pdu, err := c.rd.Next()
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Err != ErrTruncated {
				// A command_length out of bounds: the PDU boundaries are
				// lost. Say why, then end (5.1.3 ESME_RINVCMDLEN).
				c.stats.nacksSent.Add(1)
				c.sendEmpty(CmdGenericNack, StatusInvCmdLen, h.Seq)
			}
			c.mu.Lock()
			closing := c.closing
			c.mu.Unlock()
			if closing {
				// The SMSC closes the connection after unbind_resp.
				c.fail(ErrClosed)
			} else {
				c.fail(&linkError{err})
			}
			return
		}
		c.lastRead.Store(time.Now().UnixNano())
		c.missed.Store(0)
		if !c.dispatch(h, pdu) {
			return
		}
	}
}

// dispatch handles one PDU; it returns false when the session ended.
func (c *Client) dispatch(h Header, pdu []byte) bool {
	switch h.ID {
	case CmdSubmitSMResp:
		if _, err := c.rSub.Decode(pdu); err != nil {
			c.complete(h.Seq, h.ID, result{err: err})
			return true
		}
		c.complete(h.Seq, h.ID, result{status: c.rSub.Status, id: string(c.rSub.MessageID)})
	case CmdBindTransceiverResp, CmdBindTransmitterResp, CmdBindReceiverResp:
		if _, err := c.rBind.Decode(pdu); err != nil {
			c.complete(h.Seq, h.ID, result{err: err})
			return true
		}
		c.complete(h.Seq, h.ID, result{status: c.rBind.Status, id: string(c.rBind.SystemID)})
	case CmdEnquireLinkResp, CmdUnbindResp:
		r := result{status: h.Status}
		if _, err := decodeEmpty(&c.rEmpty, pdu, h.ID); err != nil {
			r = result{err: err}
		}
		if !c.match(h.Seq, h.ID, r) && h.ID != CmdEnquireLinkResp {
			// (an unmatched enquire_link_resp answers the idle timer)
			c.stats.strays.Add(1)
		}
	case CmdGenericNack:
		c.stats.nacksGot.Add(1)
		var n GenericNack
		if _, err := n.Decode(pdu); err != nil {
			c.complete(h.Seq, h.ID, result{err: err})
			return true
		}
		c.mu.Lock()
		want := CommandID(0)
		for i := range c.calls {
			if cl := &c.calls[i]; cl.active && cl.seq == h.Seq {
				want = cl.want &^ respBit
			}
		}
		c.mu.Unlock()
		c.complete(h.Seq, h.ID, result{err: &NackError{Command: want, Status: n.Status}})
	case CmdDeliverSM:
		c.deliver(h, pdu)
	case CmdEnquireLink:
		var e EnquireLink
		if _, err := e.Decode(pdu); err != nil {
			c.nack(h, err)
			return true
		}
		c.stats.enqAns.Add(1)
		c.sendEmpty(CmdEnquireLinkResp, StatusOK, h.Seq)
	case CmdUnbind:
		var u Unbind
		if _, err := u.Decode(pdu); err != nil {
			c.nack(h, err)
			return true
		}
		c.sendEmpty(CmdUnbindResp, StatusOK, h.Seq)
		c.fail(ErrUnbound)
		return false
	default:
		if !h.ID.IsResponse() {
			// An unknown or unsupported request (5.1.3 ESME_RINVCMDID).
			c.stats.nacksSent.Add(1)
			c.sendEmpty(CmdGenericNack, StatusInvCmdID, h.Seq)
		} else {
			c.stats.strays.Add(1) // a response to nothing this client sends
		}
	}
	return true
}

// nack answers a request whose decoding failed with generic_nack.
func (c *Client) nack(h Header, err error) {
	st := StatusSysErr
	var e *Error
	if errors.As(err, &e) {
		st = e.Status
	}
	c.stats.nacksSent.Add(1)
	c.sendEmpty(CmdGenericNack, st, h.Seq)
}

// deliver checks a deliver_sm, queues a copy and answers it.
func (c *Client) deliver(h Header, pdu []byte) {
	if _, err := c.rDel.Decode(pdu); err != nil {
		c.stats.rejected.Add(1)
		st := StatusSysErr
		var e *Error
		if errors.As(err, &e) {
			st = e.Status
		}
		c.sendDeliverResp(h.Seq, st)
		return
	}
	cp := make([]byte, len(pdu))
	copy(cp, pdu)
	st := StatusOK
	select {
	case c.rx <- cp:
		c.stats.received.Add(1)
	default:
		st = StatusXTAppn
		c.stats.dropped.Add(1)
	}
	c.sendDeliverResp(h.Seq, st)
}

// timerLoop sends enquire_link on an idle link, declares it dead, and
// expires overdue requests.
func (c *Client) timerLoop() {
	defer c.wg.Done()
	every := c.cfg.ResponseTimeout
	if iv := c.cfg.EnquireInterval; iv > 0 && iv < every {
		every = iv
	}
	tick := min(max(every/4, time.Millisecond), time.Second)
	t := time.NewTicker(tick)
	defer t.Stop()
	var lastSent time.Time
	for {
		select {
		case <-c.done:
			return
		case now := <-t.C:
			c.expire(now)
			iv := c.cfg.EnquireInterval
			if iv <= 0 || !c.bound() {
				continue
			}
			idle := now.Sub(time.Unix(0, c.lastRead.Load()))
			if idle < iv || now.Sub(lastSent) < iv {
				continue
			}
			if int(c.missed.Load()) >= c.cfg.MaxMissedEnquire {
				c.fail(ErrLinkDead)
				return
			}
			c.missed.Add(1)
			lastSent = now
			c.stats.enqSent.Add(1)
			c.sendEmpty(CmdEnquireLink, StatusOK, c.nextSeq())
		}
	}
}
