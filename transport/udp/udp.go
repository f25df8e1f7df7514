package udp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/iotwire/iotwire/transport"
)

// Options configures a Conn. The zero value (or a nil *Options) means
// defaults.
type Options struct {
	// MaxDatagramSize is the largest datagram written or expected, 1 to the
	// family's UDP maximum; 0 means that maximum (65,507 bytes over IPv4,
	// 65,527 over IPv6).
	MaxDatagramSize int
	// ReadBuffer and WriteBuffer set the socket's receive and send buffer
	// sizes (SO_RCVBUF, SO_SNDBUF) when positive; the kernel may cap them.
	ReadBuffer, WriteBuffer int
}

// Conn is a UDP socket. Its methods are safe for concurrent use.
type Conn struct {
	c     *net.UDPConn
	max   int
	v6    bool           // the socket is AF_INET6
	raddr netip.AddrPort // the peer of a connected (Dial) socket
	rdl   atomic.Int64   // the read deadline the user set, Unix nanoseconds; 0 for none
	mm    *mmsg          // recvmmsg/sendmmsg state, nil when unavailable
}

var aLongTimeAgo = time.Unix(1, 0)

// Listen opens an unconnected UDP socket on address ("127.0.0.1:5683",
// "[::1]:0"); network is "udp", "udp4" or "udp6". ctx bounds the address
// resolution.
func Listen(ctx context.Context, network, address string, opts *Options) (*Conn, error) {
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, network, address)
	if err != nil {
		return nil, err
	}
	uc, ok := pc.(*net.UDPConn)
	if !ok {
		pc.Close()
		return nil, &net.OpError{Op: "listen", Net: network, Err: errors.New("udp: not a UDP network")}
	}
	return newConn(uc, opts)
}

// Dial opens a UDP socket connected to address: it sends to and receives
// from that peer only, and learns of ICMP errors about it. ctx bounds the
// address resolution.
func Dial(ctx context.Context, network, address string, opts *Options) (*Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	uc, ok := nc.(*net.UDPConn)
	if !ok {
		nc.Close()
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("udp: not a UDP network")}
	}
	return newConn(uc, opts)
}

// New wraps an open UDP socket; the Conn owns it from then on.
func New(c *net.UDPConn, opts *Options) (*Conn, error) { return newConn(c, opts) }

func newConn(uc *net.UDPConn, opts *Options) (*Conn, error) {
	if opts == nil {
		opts = &Options{}
	}
	c := &Conn{c: uc}
	la, _ := uc.LocalAddr().(*net.UDPAddr)
	c.v6 = la != nil && la.IP.To4() == nil && la.IP != nil
	c.max = transport.MaxUDP4Payload
	if c.v6 {
		c.max = transport.MaxUDP6Payload
	}
	if opts.MaxDatagramSize > 0 && opts.MaxDatagramSize < c.max {
		c.max = opts.MaxDatagramSize
	}
	if ra, ok := uc.RemoteAddr().(*net.UDPAddr); ok && ra != nil {
		c.raddr = transport.AddrPortOf(ra)
	}
	if opts.ReadBuffer > 0 {
		if err := uc.SetReadBuffer(opts.ReadBuffer); err != nil {
			uc.Close()
			return nil, err
		}
	}
	if opts.WriteBuffer > 0 {
		if err := uc.SetWriteBuffer(opts.WriteBuffer); err != nil {
			uc.Close()
			return nil, err
		}
	}
	c.mm = newMmsg(uc)
	return c, nil
}

// UDPConn returns the underlying socket, for socket options this package
// does not cover. Reading from it directly bypasses the Conn's deadline
// bookkeeping.
func (c *Conn) UDPConn() *net.UDPConn { return c.c }

// MaxDatagramSize returns the largest datagram the Conn writes.
func (c *Conn) MaxDatagramSize() int { return c.max }

// Connected reports whether the Conn was made by Dial (or New of a
// connected socket).
func (c *Conn) Connected() bool { return c.raddr.IsValid() }

// ReadFromAddrPort reads one datagram into b and returns its length and
// sender, IPv4-mapped IPv6 addresses unmapped. A datagram longer than b
// fills b and comes with transport.ErrTooLarge. It does not allocate.
func (c *Conn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	n, _, flags, addr, err := c.c.ReadMsgUDPAddrPort(b, nil)
	if err != nil {
		// The system call's -1 comes through net on some errors (a
		// deadline, a closed socket): a read that failed read nothing.
		return max(n, 0), addr, err
	}
	addr = netip.AddrPortFrom(addr.Addr().Unmap(), addr.Port())
	if flags&msgTrunc != 0 {
		return n, addr, transport.ErrTooLarge
	}
	return n, addr, nil
}

// ReadFrom implements net.PacketConn; it allocates the returned address.
// Use ReadFromAddrPort on hot paths.
func (c *Conn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, addr, err := c.ReadFromAddrPort(b)
	if !addr.IsValid() {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(addr), err
}

// Read reads one datagram from the peer of a connected Conn.
func (c *Conn) Read(b []byte) (int, error) {
	n, _, err := c.ReadFromAddrPort(b)
	return n, err
}

// ReadFromContext is ReadFromAddrPort that returns ctx.Err() once ctx is
// done. Cancellation works by moving the read deadline into the past;
// other readers blocked on the Conn at that moment retry transparently,
// and the deadline set with SetReadDeadline is restored afterwards.
func (c *Conn) ReadFromContext(ctx context.Context, b []byte) (int, netip.AddrPort, error) {
	if ctx.Done() == nil {
		return c.readRetry(ctx, b)
	}
	if err := ctx.Err(); err != nil {
		return 0, netip.AddrPort{}, err
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		c.c.SetReadDeadline(aLongTimeAgo)
		close(fired)
	})
	n, addr, err := c.readRetry(ctx, b)
	if !stop() {
		<-fired
		c.restoreReadDeadline()
		if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
			err = ctx.Err()
		}
	}
	return n, addr, err
}

// readRetry reads, retrying a deadline error that was not meant for this
// read: another reader's context cancelled, and neither ctx nor the user's
// deadline has expired.
func (c *Conn) readRetry(ctx context.Context, b []byte) (int, netip.AddrPort, error) {
	for {
		n, addr, err := c.ReadFromAddrPort(b)
		if err == nil || !errors.Is(err, os.ErrDeadlineExceeded) || ctx.Err() != nil {
			return n, addr, err
		}
		if d := c.rdl.Load(); d != 0 && time.Now().UnixNano() >= d {
			return n, addr, err
		}
		runtime.Gosched() // the canceller restores the deadline
	}
}

func (c *Conn) restoreReadDeadline() {
	var t time.Time
	if d := c.rdl.Load(); d != 0 {
		t = time.Unix(0, d)
	}
	c.c.SetReadDeadline(t)
}

// WriteToAddrPort sends b to addr; on a connected Conn addr must be the
// peer or the zero AddrPort. It does not allocate.
func (c *Conn) WriteToAddrPort(b []byte, addr netip.AddrPort) (int, error) {
	if len(b) > c.max {
		return 0, transport.ErrTooLarge
	}
	if c.raddr.IsValid() {
		if addr.IsValid() && addr != c.raddr {
			return 0, &net.OpError{Op: "write", Net: "udp", Addr: net.UDPAddrFromAddrPort(addr), Err: net.ErrWriteToConnected}
		}
		return c.c.Write(b)
	}
	return c.c.WriteToUDPAddrPort(b, addr)
}

// WriteTo implements net.PacketConn; addr must be a *net.UDPAddr.
func (c *Conn) WriteTo(b []byte, addr net.Addr) (int, error) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: addr, Err: errors.New("udp: not a *net.UDPAddr")}
	}
	return c.WriteToAddrPort(b, ua.AddrPort())
}

// Write sends b to the peer of a connected Conn.
func (c *Conn) Write(b []byte) (int, error) {
	if len(b) > c.max {
		return 0, transport.ErrTooLarge
	}
	return c.c.Write(b)
}

// Close closes the socket; blocked reads and writes return an error
// wrapping net.ErrClosed.
func (c *Conn) Close() error { return c.c.Close() }

// LocalAddr returns the socket's address (a *net.UDPAddr).
func (c *Conn) LocalAddr() net.Addr { return c.c.LocalAddr() }

// LocalAddrPort returns the socket's address, unmapped.
func (c *Conn) LocalAddrPort() netip.AddrPort { return transport.AddrPortOf(c.c.LocalAddr()) }

// RemoteAddr returns the peer of a connected Conn, or nil.
func (c *Conn) RemoteAddr() net.Addr { return c.c.RemoteAddr() }

// RemoteAddrPort returns the peer of a connected Conn, or the zero AddrPort.
func (c *Conn) RemoteAddrPort() netip.AddrPort { return c.raddr }

// SetDeadline sets the read and write deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.storeReadDeadline(t)
	return c.c.SetDeadline(t)
}

// SetReadDeadline sets the read deadline; a zero t means none.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.storeReadDeadline(t)
	return c.c.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline; a zero t means none.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.c.SetWriteDeadline(t) }

func (c *Conn) storeReadDeadline(t time.Time) {
	if t.IsZero() {
		c.rdl.Store(0)
	} else {
		c.rdl.Store(max(t.UnixNano(), 1))
	}
}

// Interface checks.
var (
	_ transport.DatagramConn  = (*Conn)(nil)
	_ transport.AddrPortConn  = (*Conn)(nil)
	_ transport.ContextReader = (*Conn)(nil)
	_ transport.BatchReader   = (*Conn)(nil)
	_ transport.BatchWriter   = (*Conn)(nil)
	_ net.Conn                = (*Conn)(nil)
)
