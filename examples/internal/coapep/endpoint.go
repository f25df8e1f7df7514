// Package coapep is the CoAP message layer the examples share (RFC 7252
// section 4): one Endpoint on a datagram transport (UDP, DTLS, SMS: any
// net.PacketConn, or a connected net.Conn through PacketConnOf) that serves
// requests with a handler and sends requests of its own, with confirmable
// retransmission, duplicate detection, separate responses, Observe
// (RFC 7641) and block-wise transfers (RFC 7959).
//
// It is example code built on coapmsg: small, and complete enough for an
// LwM2M device, server and gateway, not a general CoAP stack.
package coapep

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport"
)

// Transmission parameters (RFC 7252 section 4.8).
const (
	DefaultAckTimeout = 2 * time.Second
	MaxRetransmit     = 4
	ackRandomFactor   = 1.5
	// dedupEntries bounds the responses kept for duplicate requests
	// (RFC 7252 section 4.5); they are kept ExchangeLifetime at most.
	dedupEntries     = 512
	ExchangeLifetime = 247 * time.Second
	maxMessage       = 64 << 10
)

// Errors of requests.
var (
	ErrTimeout = errors.New("coapep: no answer after the retransmissions (RFC 7252 4.2)")
	ErrReset   = errors.New("coapep: the peer answered with Reset")
	ErrClosed  = errors.New("coapep: endpoint closed")
)

// Request is a request being served. Msg and its byte fields are valid
// only during the handler call.
type Request struct {
	Msg  *coapmsg.Message
	From net.Addr
	// Resp is the response the handler fills: Code, options, Payload.
	// Type, MessageID and Token are set by the endpoint. A handler that
	// leaves Code at 0 sends 5.00.
	Resp *coapmsg.Message
}

// Handler serves a request. It runs on the endpoint's read goroutine: it
// must not wait for another exchange of the same endpoint (start a
// goroutine for that).
type Handler func(r *Request)

// Config configures an Endpoint.
type Config struct {
	// AckTimeout is ACK_TIMEOUT; 0 means DefaultAckTimeout.
	AckTimeout time.Duration
	// Handler serves requests; nil answers 4.04 to every request.
	Handler Handler
	// OnReset is called with the message ID and peer of a Reset received
	// for one of our messages (an observer cancelling, RFC 7641 3.6).
	OnReset func(mid uint16, from net.Addr)
}

// Endpoint is a CoAP endpoint on a datagram transport.
type Endpoint struct {
	pc  net.PacketConn
	cfg Config

	mu      sync.Mutex
	mid     uint16
	calls   map[string]*call       // by peer + token
	waiting map[string]chan uint16 // our CON messages waiting for an ACK: peer + MID -> type of answer
	dedup   map[string]dedupEntry
	order   []string // dedup keys, oldest first

	closeOnce sync.Once
	done      chan struct{}
	served    chan struct{}
}

type call struct {
	ch      chan *coapmsg.Message
	observe bool
}

type dedupEntry struct {
	resp []byte // nil while the handler runs (a NON request has no cached answer)
	at   time.Time
}

// New returns an endpoint on pc. Serve must run for anything to be read.
func New(pc net.PacketConn, cfg Config) *Endpoint {
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = DefaultAckTimeout
	}
	var r [2]byte
	rand.Read(r[:])
	return &Endpoint{
		pc: pc, cfg: cfg, mid: uint16(r[0])<<8 | uint16(r[1]),
		calls: map[string]*call{}, waiting: map[string]chan uint16{}, dedup: map[string]dedupEntry{},
		done: make(chan struct{}), served: make(chan struct{}),
	}
}

// LocalAddr returns the transport's address.
func (e *Endpoint) LocalAddr() net.Addr { return e.pc.LocalAddr() }

// Close closes the transport; Serve returns and waiting requests fail.
func (e *Endpoint) Close() error {
	var err error
	e.closeOnce.Do(func() {
		close(e.done)
		err = e.pc.Close()
	})
	return err
}

// Serve reads and dispatches messages until the transport fails or ctx is
// done (which closes the endpoint).
func (e *Endpoint) Serve(ctx context.Context) error {
	defer close(e.served)
	stop := context.AfterFunc(ctx, func() { e.Close() })
	defer stop()
	buf := make([]byte, maxMessage)
	for {
		n, from, err := e.pc.ReadFrom(buf)
		if err != nil {
			select {
			case <-e.done:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || transport.IsPeerUnreachable(err) {
				continue // a deadline, or an ICMP error about an earlier send
			}
			if n <= 0 || from == nil {
				return err
			}
		}
		e.dispatch(buf[:n], from)
	}
}

// Wait waits until Serve has returned.
func (e *Endpoint) Wait() { <-e.served }

func key(a net.Addr, b []byte) string {
	return a.String() + "|" + string(b)
}

func midKey(a net.Addr, mid uint16) string {
	return a.String() + "#" + strconv.Itoa(int(mid))
}

func (e *Endpoint) dispatch(b []byte, from net.Addr) {
	var m coapmsg.Message
	if _, err := m.Decode(b); err != nil && !errors.Is(err, coapmsg.ErrBadOption) {
		if len(b) >= 4 && b[0]>>4&3 == byte(coapmsg.Confirmable) {
			// RFC 7252 4.2: a confirmable message that cannot be processed is rejected with Reset.
			e.send(&coapmsg.Message{Type: coapmsg.Reset, MessageID: uint16(b[2])<<8 | uint16(b[3])}, from)
		}
		return
	}
	switch {
	case m.Code == coapmsg.Empty:
		switch m.Type {
		case coapmsg.Acknowledgement, coapmsg.Reset:
			e.answered(from, m.MessageID, m.Type)
			if m.Type == coapmsg.Reset && e.cfg.OnReset != nil {
				e.cfg.OnReset(m.MessageID, from)
			}
		case coapmsg.Confirmable: // a CoAP ping (RFC 7252 4.3)
			e.send(&coapmsg.Message{Type: coapmsg.Reset, MessageID: m.MessageID}, from)
		}
	case m.Code.IsRequest():
		e.serve(&m, from)
	case m.Code.IsResponse():
		if m.Type == coapmsg.Acknowledgement {
			e.answered(from, m.MessageID, m.Type)
		}
		e.mu.Lock()
		c := e.calls[key(from, m.Token)]
		if c != nil && !c.observe {
			delete(e.calls, key(from, m.Token))
		}
		e.mu.Unlock()
		if c == nil {
			if m.Type == coapmsg.Confirmable || m.Type == coapmsg.NonConfirmable {
				// Unknown token: reject (RFC 7252 5.3.2; RFC 7641 3.6 cancels an observation).
				e.send(&coapmsg.Message{Type: coapmsg.Reset, MessageID: m.MessageID}, from)
			}
			return
		}
		cp := new(coapmsg.Message)
		m.CopyTo(cp, nil)
		select {
		case c.ch <- cp:
			if m.Type == coapmsg.Confirmable {
				e.send(&coapmsg.Message{Type: coapmsg.Acknowledgement, MessageID: m.MessageID}, from)
			}
		default:
			// An observer that does not keep up: a confirmable
			// notification is left unacknowledged, so the server sends it
			// again later (RFC 7252 4.2); a non-confirmable one is lost,
			// as its type allows.
		}
	}
}

// serve answers a request, or repeats the answer to a duplicate.
func (e *Endpoint) serve(m *coapmsg.Message, from net.Addr) {
	k := midKey(from, m.MessageID)
	now := time.Now()
	e.mu.Lock()
	if d, ok := e.dedup[k]; ok && now.Sub(d.at) < ExchangeLifetime {
		e.mu.Unlock()
		if d.resp != nil {
			e.pc.WriteTo(d.resp, from) // RFC 7252 4.5: the same response again
		}
		return
	}
	e.remember(k, dedupEntry{at: now})
	e.mu.Unlock()

	var resp coapmsg.Message
	r := Request{Msg: m, From: from, Resp: &resp}
	if e.cfg.Handler != nil {
		e.cfg.Handler(&r)
	} else {
		resp.Code = coapmsg.NotFound
	}
	if resp.Code == coapmsg.Empty {
		resp.Code = coapmsg.InternalServerError
	}
	resp.Token = m.Token
	if m.Type == coapmsg.Confirmable {
		resp.Type, resp.MessageID = coapmsg.Acknowledgement, m.MessageID // piggybacked (RFC 7252 5.2.1)
	} else {
		resp.Type, resp.MessageID = coapmsg.NonConfirmable, e.nextMID()
	}
	resp.SortOptions()
	b, err := resp.AppendBinary(nil)
	if err != nil {
		resp = coapmsg.Message{Type: resp.Type, MessageID: resp.MessageID, Token: m.Token, Code: coapmsg.InternalServerError}
		b, _ = resp.AppendBinary(nil)
	}
	e.mu.Lock()
	if m.Type == coapmsg.Confirmable {
		e.dedup[k] = dedupEntry{resp: b, at: now}
	}
	e.mu.Unlock()
	e.pc.WriteTo(b, from)
}

// remember adds a dedup entry, dropping the oldest past dedupEntries.
func (e *Endpoint) remember(k string, d dedupEntry) {
	e.dedup[k] = d
	e.order = append(e.order, k)
	for len(e.order) > dedupEntries {
		delete(e.dedup, e.order[0])
		e.order = e.order[1:]
	}
}

// answered notes an ACK or Reset for one of our confirmable messages.
func (e *Endpoint) answered(from net.Addr, mid uint16, t coapmsg.Type) {
	e.mu.Lock()
	ch := e.waiting[midKey(from, mid)]
	e.mu.Unlock()
	if ch != nil {
		select {
		case ch <- uint16(t):
		default:
		}
	}
}

func (e *Endpoint) nextMID() uint16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mid++
	return e.mid
}

// NewToken returns a random 4-byte token.
func NewToken() []byte {
	t := make([]byte, 4)
	rand.Read(t)
	return t
}

func (e *Endpoint) send(m *coapmsg.Message, to net.Addr) error {
	b, err := m.AppendBinary(nil)
	if err != nil {
		return err
	}
	_, err = e.pc.WriteTo(b, to)
	return err
}

// Send sends m to to. A confirmable message is retransmitted until it is
// acknowledged (RFC 7252 4.2); Send then returns nil, or ErrReset when the
// peer rejected it, or ErrTimeout. A non-confirmable one is sent once.
// Send sets m's MessageID.
func (e *Endpoint) Send(ctx context.Context, m *coapmsg.Message, to net.Addr) error {
	m.MessageID = e.nextMID()
	if m.Type != coapmsg.Confirmable {
		return e.send(m, to)
	}
	t, err := e.transmit(ctx, m, to, nil)
	if err != nil {
		return err
	}
	if t == uint16(coapmsg.Reset) {
		return ErrReset
	}
	return nil
}

// transmit sends a confirmable message with retransmission until it is
// acknowledged or reset, or until a response arrives on resp (a
// piggybacked response acknowledges too). It returns the type of the
// answer (Acknowledgement or Reset), or 0xffff when resp delivered.
func (e *Endpoint) transmit(ctx context.Context, m *coapmsg.Message, to net.Addr, resp <-chan *coapmsg.Message) (uint16, error) {
	b, err := m.AppendBinary(nil)
	if err != nil {
		return 0, err
	}
	k := midKey(to, m.MessageID)
	ch := make(chan uint16, 1)
	e.mu.Lock()
	e.waiting[k] = ch
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.waiting, k)
		e.mu.Unlock()
	}()
	// The first timeout is random between ACK_TIMEOUT and ACK_TIMEOUT *
	// ACK_RANDOM_FACTOR, doubled at each retransmission (RFC 7252 4.2).
	spread, _ := rand.Int(rand.Reader, big.NewInt(int64(float64(e.cfg.AckTimeout)*(ackRandomFactor-1))+1))
	timeout := e.cfg.AckTimeout + time.Duration(spread.Int64())
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for attempt := 0; ; attempt++ {
		if _, err := e.pc.WriteTo(b, to); err != nil {
			return 0, err
		}
		select {
		case t := <-ch:
			return t, nil
		case <-timer.C:
			if attempt == MaxRetransmit {
				return 0, ErrTimeout
			}
			timeout *= 2
			timer.Reset(timeout)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-e.done:
			return 0, ErrClosed
		}
	}
}

// Do sends the request req to to and returns the response, a copy that
// owns its memory. req's Token is set when empty, its MessageID always.
// A confirmable request (Type 0) is retransmitted until acknowledged; the
// response may come piggybacked or separately (RFC 7252 5.2).
func (e *Endpoint) Do(ctx context.Context, req *coapmsg.Message, to net.Addr) (*coapmsg.Message, error) {
	resp, err := e.start(req, to, false)
	if err != nil {
		return nil, err
	}
	defer e.forget(to, req.Token)
	return e.await(ctx, req, to, resp)
}

// start registers a call for req's token and sets its IDs.
func (e *Endpoint) start(req *coapmsg.Message, to net.Addr, observe bool) (chan *coapmsg.Message, error) {
	if len(req.Token) == 0 {
		req.Token = NewToken()
	}
	req.MessageID = e.nextMID()
	c := &call{ch: make(chan *coapmsg.Message, 16), observe: observe}
	e.mu.Lock()
	defer e.mu.Unlock()
	k := key(to, req.Token)
	if _, busy := e.calls[k]; busy {
		return nil, errors.New("coapep: token in use")
	}
	e.calls[k] = c
	return c.ch, nil
}

func (e *Endpoint) forget(to net.Addr, token []byte) {
	e.mu.Lock()
	delete(e.calls, key(to, token))
	e.mu.Unlock()
}

// await sends req and waits for its first response.
func (e *Endpoint) await(ctx context.Context, req *coapmsg.Message, to net.Addr, resp chan *coapmsg.Message) (*coapmsg.Message, error) {
	if req.Type == coapmsg.Confirmable {
		t, err := e.transmit(ctx, req, to, resp)
		if err != nil {
			return nil, err
		}
		if t == uint16(coapmsg.Reset) {
			return nil, ErrReset
		}
	} else if err := e.send(req, to); err != nil {
		return nil, err
	}
	// After the ACK (piggybacked response or empty ACK) the response is in
	// resp or still to come as a separate response.
	deadline := time.NewTimer(e.cfg.AckTimeout * (1 << (MaxRetransmit + 1)))
	defer deadline.Stop()
	select {
	case m := <-resp:
		return m, nil
	case <-deadline.C:
		return nil, ErrTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-e.done:
		return nil, ErrClosed
	}
}

// Observe registers an observation with req (a GET or FETCH; Observe 0 is
// set here) and returns the first response and a channel of the
// notifications that follow. cancel deregisters locally: the next
// notification is answered with Reset, which ends the observation at the
// server (RFC 7641 3.6).
func (e *Endpoint) Observe(ctx context.Context, req *coapmsg.Message, to net.Addr) (first *coapmsg.Message, notes <-chan *coapmsg.Message, cancel func(), err error) {
	req.SetObserve(coapmsg.ObserveRegister)
	ch, err := e.start(req, to, true)
	if err != nil {
		return nil, nil, nil, err
	}
	token := append([]byte(nil), req.Token...)
	cancel = func() { e.forget(to, token) }
	first, err = e.await(ctx, req, to, ch)
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	if _, ok := first.Observe(); !ok || !first.Code.IsResponse() || first.Code.Class() != 2 {
		cancel() // the server does not observe (RFC 7641 3.1)
		closed := make(chan *coapmsg.Message)
		close(closed)
		return first, closed, func() {}, nil
	}
	return first, ch, cancel, nil
}

// Upload sends payload with req (a PUT or POST) in Block1 blocks of 2^(szx+4)
// bytes (RFC 7959 2.5), waiting for 2.31 Continue after each, and returns
// the final response.
func (e *Endpoint) Upload(ctx context.Context, req *coapmsg.Message, payload []byte, szx uint8, to net.Addr) (*coapmsg.Message, error) {
	size := 1 << (szx + 4)
	if len(payload) <= size {
		req.Payload = payload
		return e.Do(ctx, req, to)
	}
	for num := 0; ; num++ {
		lo := num * size
		hi := min(lo+size, len(payload))
		blk := *req
		blk.Options = append([]coapmsg.Option(nil), req.Options...)
		blk.Token, blk.Payload = nil, payload[lo:hi]
		if err := blk.SetBlock1(coapmsg.Block{Num: uint32(num), More: hi < len(payload), SZX: szx}); err != nil {
			return nil, err
		}
		if num == 0 {
			blk.SetSize1(uint32(len(payload)))
		}
		resp, err := e.Do(ctx, &blk, to)
		if err != nil {
			return nil, err
		}
		if hi == len(payload) {
			return resp, nil
		}
		if resp.Code != coapmsg.Continue {
			return resp, nil // the server stopped the transfer (4.08, 4.13, ...)
		}
	}
}

// Fetch sends req and, when the response is the first block of a Block2
// transfer, fetches the rest (RFC 7959 2.4) and returns the response with
// the whole body as its Payload.
func (e *Endpoint) Fetch(ctx context.Context, req *coapmsg.Message, to net.Addr) (*coapmsg.Message, error) {
	first, err := e.Do(ctx, req, to)
	if err != nil {
		return nil, err
	}
	blk, ok, err := first.Block2(false)
	if err != nil || !ok || !blk.More {
		return first, err
	}
	body := append([]byte(nil), first.Payload...)
	for n := 0; blk.More; n++ {
		if n > 4096 {
			return nil, errors.New("coapep: Block2 transfer of more than 4096 blocks")
		}
		next := *req
		next.Options = append([]coapmsg.Option(nil), req.Options...)
		next.Token = nil
		if err := next.SetBlock2(coapmsg.Block{Num: blk.Num + 1, SZX: blk.SZX}); err != nil {
			return nil, err
		}
		resp, err := e.Do(ctx, &next, to)
		if err != nil {
			return nil, err
		}
		if blk, ok, err = resp.Block2(false); err != nil || !ok {
			return nil, errors.New("coapep: Block2 transfer interrupted")
		}
		body = append(body, resp.Payload...)
		first = resp
	}
	first.Payload = body
	first.Options = removeOption(first.Options, coapmsg.Block2)
	return first, nil
}

func removeOption(opts []coapmsg.Option, n coapmsg.OptionNumber) []coapmsg.Option {
	out := opts[:0:0]
	for _, o := range opts {
		if o.Number != n {
			out = append(out, o)
		}
	}
	return out
}

// PacketConnOf adapts a connected datagram connection (a DTLS client
// connection, an sms.PeerConn, a connected UDP socket) to the
// net.PacketConn an Endpoint takes: reads come from its RemoteAddr, writes
// go to it whatever the address.
func PacketConnOf(c net.Conn) net.PacketConn {
	return &connPC{Conn: c, peer: c.RemoteAddr()}
}

type connPC struct {
	net.Conn
	peer net.Addr // fixed: exchanges are keyed by address
}

func (c *connPC) ReadFrom(b []byte) (int, net.Addr, error) {
	n, err := c.Conn.Read(b)
	return max(n, 0), c.peer, err
}

func (c *connPC) WriteTo(b []byte, _ net.Addr) (int, error) { return c.Conn.Write(b) }
