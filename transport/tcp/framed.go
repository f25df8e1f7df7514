package tcp

import (
	"io"
	"net"
	"sync"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport"
)

// DefaultReadBufferSize is the initial size of a framed connection's read
// buffer when Options.ReadBufferSize is 0.
const DefaultReadBufferSize = 32 << 10

// Options configures MQTTConn and CoAPConn. The zero value (or nil) means
// defaults.
type Options struct {
	// MaxSize is the largest packet or message accepted, header included;
	// 0 means the framer's default (mqttpkt.DefaultMaxPacketSize,
	// coapmsg.DefaultMaxMessageSize).
	MaxSize int
	// ReadBufferSize is the initial size of the framer's read buffer, the
	// most that one read from the connection asks for (the buffer grows
	// for a larger message); 0 means DefaultReadBufferSize, a negative
	// value the framer's own 512 bytes (less memory per connection, more
	// system calls).
	ReadBufferSize int
	// ReadTimeout, when positive, sets the read deadline before each read
	// of the connection (an idle timeout, such as 1.5 times an MQTT Keep
	// Alive): a Next that finds its packet buffered does not touch it, and
	// a deadline set on the connection by the caller is replaced at the
	// next read. Leave it 0 to manage read deadlines yourself.
	// WriteTimeout does the same before each write.
	ReadTimeout, WriteTimeout time.Duration
}

// framed is what MQTTConn and CoAPConn share: the connection, the read side
// (owned by the one reading goroutine) and the write side (serialised).
type framed struct {
	net.Conn
	rsize int // initial read buffer size, 0 for the framer's default
	rtime time.Duration
	idle  idleReader // the source with a ReadTimeout
	wtime time.Duration

	wmu  sync.Mutex
	wbuf []byte
}

func (f *framed) init(c net.Conn, o *Options) {
	f.Conn = c
	if o == nil {
		o = &Options{}
	}
	f.rtime, f.wtime = o.ReadTimeout, o.WriteTimeout
	switch {
	case o.ReadBufferSize == 0:
		f.rsize = DefaultReadBufferSize
	case o.ReadBufferSize > 0:
		f.rsize = o.ReadBufferSize
	}
}

// readBuffer is the framer's initial buffer: the framer reads the
// connection directly, so that a message costs no copy out of a bufio
// layer; nil leaves the framer's default.
func (f *framed) readBuffer() []byte {
	if f.rsize == 0 {
		return nil
	}
	return make([]byte, f.rsize)
}

// source is what the framer reads: the connection itself, or, with a
// ReadTimeout, the connection behind a reader that sets the idle deadline
// before each read of it. A packet the framer has buffered already then
// costs no timer update.
func (f *framed) source() io.Reader {
	if f.rtime <= 0 {
		return f.Conn
	}
	f.idle = idleReader{f.Conn, f.rtime}
	return &f.idle
}

// idleReader sets the read deadline of c to now + t before each read.
type idleReader struct {
	c net.Conn
	t time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	if err := r.c.SetReadDeadline(time.Now().Add(r.t)); err != nil {
		return 0, err
	}
	return r.c.Read(p)
}

// WriteFrame writes b, one or more whole encoded packets or messages, as
// one write. It is safe to call concurrently with the other write methods
// and with Next.
func (f *framed) WriteFrame(b []byte) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	return f.write(b)
}

func (f *framed) write(b []byte) error {
	if f.wtime > 0 {
		if err := f.Conn.SetWriteDeadline(time.Now().Add(f.wtime)); err != nil {
			return err
		}
	}
	_, err := f.Conn.Write(b)
	return err
}

// MQTTConn is a connection that reads and writes whole MQTT packets. Next
// must be called from one goroutine at a time; the write methods may be
// called from any.
type MQTTConn struct {
	framed
	r mqttpkt.Reader
}

// NewMQTT frames MQTT packets on c.
func NewMQTT(c net.Conn, opts *Options) *MQTTConn {
	m := &MQTTConn{}
	m.framed.init(c, opts)
	if opts != nil {
		m.r.MaxPacketSize = opts.MaxSize
	}
	m.r.Reset(m.source())
	if b := m.readBuffer(); b != nil {
		m.r.Buffer(b)
	}
	return m
}

// NextPacket reads the next packet and returns its fixed header and bytes
// (fixed header included), ready for a Decode method. The bytes are valid
// until the next call. A packet over the size limit gives an error wrapping
// mqttpkt.ErrLimit before its body is read.
func (m *MQTTConn) NextPacket() (mqttpkt.FixedHeader, []byte, error) {
	return m.r.Next()
}

// Next is NextPacket without the header, for transport.Framer.
func (m *MQTTConn) Next() ([]byte, error) {
	_, b, err := m.NextPacket()
	return b, err
}

// WritePacket encodes p into the connection's write buffer and writes it.
func (m *MQTTConn) WritePacket(p mqttpkt.Packet) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	b, err := p.AppendBinary(m.wbuf[:0])
	if err != nil {
		return err
	}
	m.wbuf = b
	return m.write(b)
}

// CoAPConn is a connection that reads and writes whole CoAP over TCP or
// TLS messages (RFC 8323 section 3.2). Next must be called from one
// goroutine at a time; the write methods may be called from any.
type CoAPConn struct {
	framed
	r coapmsg.Reader
}

// NewCoAP frames CoAP messages on c. Set Options.MaxSize together with the
// Max-Message-Size option of the CSM you send (RFC 8323 section 5.3.1).
func NewCoAP(c net.Conn, opts *Options) *CoAPConn {
	m := &CoAPConn{}
	m.framed.init(c, opts)
	if opts != nil {
		m.r.MaxMessageSize = opts.MaxSize
	}
	m.r.Reset(m.source())
	if b := m.readBuffer(); b != nil {
		m.r.Buffer(b)
	}
	return m
}

// Next reads the next message frame, ready for Message.DecodeTCP; it is
// valid until the next call. A message over the size limit gives an error
// wrapping coapmsg.ErrLimit before its body is read.
func (m *CoAPConn) Next() ([]byte, error) {
	return m.r.Next()
}

// WriteMessage encodes msg as a TCP frame into the connection's write
// buffer and writes it.
func (m *CoAPConn) WriteMessage(msg *coapmsg.Message) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	b, err := msg.AppendTCP(m.wbuf[:0])
	if err != nil {
		return err
	}
	m.wbuf = b
	return m.write(b)
}

var (
	_ transport.Framer = (*MQTTConn)(nil)
	_ transport.Framer = (*CoAPConn)(nil)
)
