package ws

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// streamConn is the byte stream of a WebSocket connection as MQTT uses it
// (MQTT 5.0 section 6, MQTT 3.1.1 section 6): binary messages only
// [MQTT-6.0.0-1], whose boundaries carry no meaning [MQTT-6.0.0-2]; each
// Write is one message. Unlike websocket.NetConn it hands the library a
// context without a Done channel, for which the library arms nothing per
// call (websocket.NetConn's cancellable context costs two allocations per
// read and per write); deadlines are instead one reusable timer per
// direction that closes the connection when it fires, which is what
// websocket.NetConn does on a deadline too.
type streamConn struct {
	c      *websocket.Conn
	r      io.Reader // the message being read, nil between messages
	rd, wd wsDeadline
}

func newStreamConn(c *websocket.Conn) *streamConn {
	c.SetReadLimit(-1) // a stream: mqttpkt's framer bounds the packets
	s := &streamConn{c: c}
	s.rd.c, s.wd.c = c, c
	return s
}

var _ net.Conn = (*streamConn)(nil)

func (s *streamConn) Read(p []byte) (int, error) {
	for {
		if s.rd.expired() {
			return 0, errTimeout
		}
		if s.r == nil {
			typ, r, err := s.c.Reader(context.Background())
			if err != nil {
				return 0, s.rd.err(streamErr(err))
			}
			if typ != websocket.MessageBinary {
				// [MQTT-6.0.0-1]: close on any other data frame.
				s.c.Close(websocket.StatusUnsupportedData, "binary messages only")
				return 0, ErrNotBinary
			}
			s.r = r
		}
		n, err := s.r.Read(p)
		if err == io.EOF {
			s.r = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			return n, s.rd.err(streamErr(err))
		}
		return n, nil
	}
}

func (s *streamConn) Write(p []byte) (int, error) {
	if s.wd.expired() {
		return 0, errTimeout
	}
	if err := s.c.Write(context.Background(), websocket.MessageBinary, p); err != nil {
		return 0, s.wd.err(err)
	}
	return len(p), nil
}

// streamErr turns a normal close by the peer into io.EOF.
func streamErr(err error) error {
	switch websocket.CloseStatus(err) {
	case websocket.StatusNormalClosure, websocket.StatusGoingAway:
		return io.EOF
	}
	return err
}

func (s *streamConn) Close() error {
	s.rd.stop()
	s.wd.stop()
	return s.c.Close(websocket.StatusNormalClosure, "")
}

func (s *streamConn) LocalAddr() net.Addr  { return wsAddr{} }
func (s *streamConn) RemoteAddr() net.Addr { return wsAddr{} }

func (s *streamConn) SetDeadline(t time.Time) error {
	s.rd.set(t)
	s.wd.set(t)
	return nil
}

func (s *streamConn) SetReadDeadline(t time.Time) error  { s.rd.set(t); return nil }
func (s *streamConn) SetWriteDeadline(t time.Time) error { s.wd.set(t); return nil }

// wsAddr is the address of a WebSocket stream, which the library does not
// expose.
type wsAddr struct{}

func (wsAddr) Network() string { return "websocket" }
func (wsAddr) String() string  { return "websocket" }

// wsDeadline is a deadline whose expiry closes the connection, with one
// timer reused across calls.
type wsDeadline struct {
	c     *websocket.Conn
	mu    sync.Mutex
	timer *time.Timer
	at    time.Time
	fired bool
}

func (d *wsDeadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.at = t
	if d.timer != nil {
		d.timer.Stop()
	}
	if t.IsZero() || d.fired {
		return
	}
	wait := time.Until(t)
	if d.timer == nil {
		d.timer = time.AfterFunc(wait, d.fire)
	} else {
		d.timer.Reset(wait)
	}
}

// fire closes the connection when the deadline has passed.
func (d *wsDeadline) fire() {
	d.mu.Lock()
	if d.at.IsZero() || time.Now().Before(d.at) {
		d.mu.Unlock()
		return // moved since the timer was armed
	}
	d.fired = true
	d.mu.Unlock()
	d.c.CloseNow()
}

// expired reports a deadline that has passed (the connection is then
// closed or closing).
func (d *wsDeadline) expired() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.fired || !d.at.IsZero() && !time.Now().Before(d.at)
}

// err returns errTimeout for a call ended by the deadline, err otherwise.
func (d *wsDeadline) err(err error) error {
	if d.expired() && !errors.Is(err, io.EOF) {
		return errTimeout
	}
	return err
}

// errTimeout ends a call whose deadline or timeout passed: a net.Error
// whose Timeout is true, matching both os.ErrDeadlineExceeded (net.Conn's
// convention) and context.DeadlineExceeded (what the library returned
// when timeouts were contexts) with errors.Is.
var errTimeout error = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string   { return "ws: i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
func (timeoutError) Is(target error) bool {
	return target == os.ErrDeadlineExceeded || target == context.DeadlineExceeded
}

func (d *wsDeadline) stop() {
	d.mu.Lock()
	if d.timer != nil {
		d.timer.Stop()
	}
	d.mu.Unlock()
}
