package transport

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"syscall"
)

// Largest UDP payloads: 65,535 minus the IPv4 header (20) and the UDP
// header (8); over IPv6 the 40-byte fixed header is not counted in the
// payload length, so only the UDP header is (RFC 8200 section 4.5).
const (
	MaxUDP4Payload = 65507
	MaxUDP6Payload = 65527
)

// ErrTooLarge marks a datagram over a transport's MaxDatagramSize: a write
// that was refused, or a read whose datagram did not fit the buffer and was
// truncated. Stream framers report an oversized frame with their codec's
// own limit error (mqttpkt.ErrLimit, coapmsg.ErrLimit).
var ErrTooLarge = errors.New("transport: datagram too large")

// DatagramConn is a datagram transport: a net.PacketConn that knows the
// largest datagram it carries.
type DatagramConn interface {
	net.PacketConn
	// MaxDatagramSize returns the largest payload, in bytes, that one
	// datagram carries on this transport. A read buffer of this size never
	// truncates a datagram; a larger write fails with ErrTooLarge.
	MaxDatagramSize() int
}

// AddrPortConn is implemented by datagram transports that read and write
// with netip.AddrPort addresses, which need no allocation (net.Addr values
// do). Buffer ownership is that of net.PacketConn.
type AddrPortConn interface {
	ReadFromAddrPort(b []byte) (n int, addr netip.AddrPort, err error)
	WriteToAddrPort(b []byte, addr netip.AddrPort) (int, error)
}

// ContextReader is implemented by datagram transports whose reads a
// context can cancel. The read returns ctx.Err() once ctx is done.
type ContextReader interface {
	ReadFromContext(ctx context.Context, b []byte) (n int, addr netip.AddrPort, err error)
}

// Message is one datagram of a batch read or write.
type Message struct {
	// Buf is the caller's buffer. A read fills Buf[:N]; a write sends Buf.
	Buf []byte
	// N is the datagram's length after a read (bytes sent after a write).
	N int
	// Addr is the peer: set by a read, used by a write on an unconnected
	// transport (ignored on a connected one).
	Addr netip.AddrPort
	// Truncated reports, after a read, that the datagram did not fit in Buf.
	Truncated bool
}

// BatchReader is implemented by datagram transports that read several
// datagrams in one call (recvmmsg on Linux). ReadBatch blocks until at
// least one datagram arrives, fills ms[:n] and returns n.
type BatchReader interface {
	ReadBatch(ms []Message) (n int, err error)
}

// BatchWriter is implemented by datagram transports that write several
// datagrams in one call (sendmmsg on Linux). WriteBatch returns how many of
// ms it sent; n < len(ms) comes with an error.
type BatchWriter interface {
	WriteBatch(ms []Message) (n int, err error)
}

// Framer cuts a byte stream into messages: mqttpkt.Reader and
// coapmsg.Reader (through their adapters in transport/tcp) are framers.
// Next returns the next whole message; it aliases the framer's buffer and
// is valid until the next call.
type Framer interface {
	Next() ([]byte, error)
}

// MaxDatagramSize returns c's largest datagram: c.MaxDatagramSize() when
// c is a DatagramConn, otherwise the UDP limit of the address family of
// c's local address.
func MaxDatagramSize(c net.PacketConn) int {
	if d, ok := c.(DatagramConn); ok {
		return d.MaxDatagramSize()
	}
	if a, ok := c.LocalAddr().(*net.UDPAddr); ok && a.IP.To4() == nil && a.IP != nil {
		return MaxUDP6Payload
	}
	return MaxUDP4Payload
}

// ReadBatch reads datagrams into ms with c's ReadBatch when it is a
// BatchReader, otherwise one datagram with ReadFromAddrPort or ReadFrom.
func ReadBatch(c net.PacketConn, ms []Message) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	if br, ok := c.(BatchReader); ok {
		return br.ReadBatch(ms)
	}
	m := &ms[0]
	var err error
	if ap, ok := c.(AddrPortConn); ok {
		m.N, m.Addr, err = ap.ReadFromAddrPort(m.Buf)
	} else {
		var a net.Addr
		m.N, a, err = c.ReadFrom(m.Buf)
		m.Addr = AddrPortOf(a)
	}
	m.Truncated = errors.Is(err, ErrTooLarge)
	if err != nil && !m.Truncated {
		return 0, err
	}
	return 1, nil
}

// WriteBatch writes ms with c's WriteBatch when it is a BatchWriter,
// otherwise one at a time.
func WriteBatch(c net.PacketConn, ms []Message) (int, error) {
	if bw, ok := c.(BatchWriter); ok {
		return bw.WriteBatch(ms)
	}
	ap, _ := c.(AddrPortConn)
	for i := range ms {
		m := &ms[i]
		var err error
		if ap != nil {
			m.N, err = ap.WriteToAddrPort(m.Buf, m.Addr)
		} else {
			m.N, err = c.WriteTo(m.Buf, net.UDPAddrFromAddrPort(m.Addr))
		}
		if err != nil {
			return i, err
		}
	}
	return len(ms), nil
}

// AddrPortOf returns the address and port of a *net.UDPAddr or
// *net.TCPAddr, IPv4-mapped IPv6 addresses unmapped, or the zero AddrPort.
func AddrPortOf(a net.Addr) netip.AddrPort {
	switch a := a.(type) {
	case *net.UDPAddr:
		ap := a.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	case *net.TCPAddr:
		ap := a.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return netip.AddrPort{}
}

// IsPeerUnreachable reports whether err comes from an ICMP error about a
// peer, such as a refused port on a connected UDP socket (ECONNREFUSED) or
// an unreachable host or network. Such errors concern one exchange: the
// transport stays usable.
func IsPeerUnreachable(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTDOWN)
}
