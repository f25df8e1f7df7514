package ws

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport"
)

// CoAPConn is a CoAP over WebSocket connection (RFC 8323 section 4): one
// CoAP message per binary WebSocket message. Next and NextContext must be
// called from one goroutine at a time; the write methods may be called from
// any.
type CoAPConn struct {
	c            *websocket.Conn
	max          int
	rtime, wtime time.Duration
	rbuf         []byte // owned by the reading goroutine
	rd, wd       wsDeadline

	wmu  sync.Mutex
	wbuf []byte
}

// DialCoAP opens a CoAP connection to a ws:// or wss:// URL, normally
// ws://host:port/.well-known/coap (WellKnownCoAP), offering the subprotocol
// "coap". ctx bounds the handshake only. As on any reliable transport, both
// sides then send a CSM (RFC 8323 section 5.3); that is the caller's.
func DialCoAP(ctx context.Context, url string, opts *Options) (*CoAPConn, error) {
	o := opts.orDefault()
	c, err := dial(ctx, url, SubprotocolCoAP, o)
	if err != nil {
		return nil, err
	}
	return newCoAP(c, o), nil
}

func newCoAP(c *websocket.Conn, o *Options) *CoAPConn {
	m := &CoAPConn{c: c, max: o.MaxSize, rtime: o.ReadTimeout, wtime: o.WriteTimeout}
	m.rd.c, m.wd.c = c, c
	if m.max <= 0 {
		m.max = coapmsg.DefaultMaxMessageSize
	}
	// Our own check below stops at max+1 bytes; this is a backstop.
	c.SetReadLimit(int64(m.max) + 1)
	return m
}

// Conn returns the underlying WebSocket connection.
func (m *CoAPConn) Conn() *websocket.Conn { return m.c }

// Next reads the next message, ready for Message.DecodeWS, bounded by
// Options.ReadTimeout; it is valid until the next call. At a normal close
// by the peer it returns io.EOF.
func (m *CoAPConn) Next() ([]byte, error) {
	if m.rtime <= 0 {
		b, err := m.NextContext(context.Background())
		if err != nil {
			return nil, m.rd.err(err) // a SetReadDeadline that passed
		}
		return b, nil
	}
	// One reused timer rather than a context per call: a context with a
	// deadline costs the library allocations per message.
	m.rd.set(time.Now().Add(m.rtime))
	b, err := m.NextContext(context.Background())
	m.rd.set(time.Time{})
	if err != nil {
		return nil, m.rd.err(err)
	}
	return b, nil
}

// NextContext is Next bounded by ctx instead of Options.ReadTimeout. When
// ctx is done before a message arrives, the WebSocket connection is closed
// and NextContext returns an error.
func (m *CoAPConn) NextContext(ctx context.Context) ([]byte, error) {
	typ, r, err := m.c.Reader(ctx)
	if err != nil {
		return nil, readErr(err)
	}
	if typ != websocket.MessageBinary {
		m.c.Close(websocket.StatusUnsupportedData, "binary messages only")
		return nil, ErrNotBinary
	}
	n := 0
	for {
		if n == len(m.rbuf) {
			if n > m.max {
				m.c.Close(websocket.StatusMessageTooBig, "message too big")
				return nil, &coapmsg.Error{Field: "message", Offset: m.max, Rule: "RFC 8323 5.3.1", Msg: "message larger than the maximum message size", Err: coapmsg.ErrLimit}
			}
			nb := make([]byte, min(max(2*len(m.rbuf), 512), m.max+1))
			copy(nb, m.rbuf[:n])
			m.rbuf = nb
		}
		k, err := r.Read(m.rbuf[n:])
		n += k
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readErr(err)
		}
	}
	if n > m.max {
		m.c.Close(websocket.StatusMessageTooBig, "message too big")
		return nil, &coapmsg.Error{Field: "message", Offset: m.max, Rule: "RFC 8323 5.3.1", Msg: "message larger than the maximum message size", Err: coapmsg.ErrLimit}
	}
	return m.rbuf[:n:n], nil
}

// readErr turns a normal close by the peer into io.EOF.
func readErr(err error) error {
	switch websocket.CloseStatus(err) {
	case websocket.StatusNormalClosure, websocket.StatusGoingAway:
		return io.EOF
	}
	return err
}

// WriteMessage encodes msg in the WebSocket format (Message.AppendWS) into
// the connection's write buffer and sends it as one binary message.
func (m *CoAPConn) WriteMessage(msg *coapmsg.Message) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	b, err := msg.AppendWS(m.wbuf[:0])
	if err != nil {
		return err
	}
	m.wbuf = b
	return m.write(b)
}

// WriteFrame sends b, one encoded message (Message.AppendWS), as one binary
// message.
func (m *CoAPConn) WriteFrame(b []byte) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	return m.write(b)
}

func (m *CoAPConn) write(b []byte) error {
	if m.wtime <= 0 {
		return m.c.Write(context.Background(), websocket.MessageBinary, b)
	}
	m.wd.set(time.Now().Add(m.wtime))
	err := m.c.Write(context.Background(), websocket.MessageBinary, b)
	m.wd.set(time.Time{})
	if err != nil {
		return m.wd.err(err)
	}
	return nil
}

// SetReadDeadline sets a deadline for Next when Options.ReadTimeout is 0
// (with a ReadTimeout, each Next sets its own). When it passes, the
// connection is closed, as websocket.NetConn's deadlines do, and Next
// returns an error that is a timeout (net.Error) and matches
// os.ErrDeadlineExceeded. The zero time means none.
func (m *CoAPConn) SetReadDeadline(t time.Time) error {
	m.rd.set(t)
	return nil
}

// Close closes the connection with status 1000 (Normal Closure), waiting a
// bounded time for the peer's close frame.
func (m *CoAPConn) Close() error {
	m.rd.stop()
	m.wd.stop()
	return m.c.Close(websocket.StatusNormalClosure, "")
}

var _ transport.Framer = (*CoAPConn)(nil)
