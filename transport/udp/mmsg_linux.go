package udp

import (
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/iotwire/iotwire/transport"
)

// This file moves batches with recvmmsg(2) and sendmmsg(2) through the
// socket's syscall.RawConn, so that the runtime's poller still does the
// waiting (deadlines, Close). It uses the syscall package: its Msghdr,
// Iovec and RawSockaddrInet4/6 types are the kernel's, and only the
// sendmmsg number is missing on amd64 and 386 (sysSendmmsg). x/net's
// ReadBatch, used before, built a *net.UDPAddr per datagram.

// mmsghdr is struct mmsghdr of <sys/socket.h>: a msghdr and the length
// the kernel moved for it. Go pads it to the C size on every
// architecture (64 bytes on 64-bit systems, 32 on 32-bit ones).
type mmsghdr struct {
	hdr syscall.Msghdr
	n   uint32
}

// mmsg is a Conn's batch state: the socket's RawConn and one reusable
// buffer set per direction.
type mmsg struct {
	rc syscall.RawConn
	v6 bool // the socket is AF_INET6
	// rd and wr hold the idle buffer set of each direction. A call takes
	// it (Swap) and puts it back; a concurrent call that finds none
	// allocates its own, so batch calls never wait for each other.
	rd, wr atomic.Pointer[mmsgBuf]
}

// mmsgBuf is the storage of one batch call, grown to the largest batch
// seen: the kernel's headers, one-buffer vectors and socket addresses
// (sockaddr_in6, large enough for sockaddr_in too).
type mmsgBuf struct {
	hdrs  []mmsghdr
	iovs  []syscall.Iovec
	names []syscall.RawSockaddrInet6

	// The call in progress, for op (bound once, so that passing it to
	// RawConn.Read or Write does not allocate).
	trap      uintptr
	off, vlen int
	n         int
	errno     syscall.Errno
	op        func(fd uintptr) bool

	// The last IPv6 zone seen or written and its interface index, so that
	// link-local peers cost an interface lookup only when the zone changes.
	zone   string
	zoneID uint32
}

func newMmsg(c *net.UDPConn) *mmsg {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil
	}
	m := &mmsg{rc: rc}
	var family int
	err = rc.Control(func(fd uintptr) {
		switch sa, _ := syscall.Getsockname(int(fd)); sa.(type) {
		case *syscall.SockaddrInet4:
			family = syscall.AF_INET
		case *syscall.SockaddrInet6:
			family = syscall.AF_INET6
		}
	})
	if err != nil || family == 0 {
		return nil
	}
	m.v6 = family == syscall.AF_INET6
	return m
}

func (b *mmsgBuf) prepare(n int) {
	if cap(b.hdrs) < n {
		b.hdrs = make([]mmsghdr, n)
		b.iovs = make([]syscall.Iovec, n)
		b.names = make([]syscall.RawSockaddrInet6, n)
	}
	b.hdrs, b.iovs, b.names = b.hdrs[:n], b.iovs[:n], b.names[:n]
}

// setBuf points message i at p.
func (b *mmsgBuf) setBuf(i int, p []byte) {
	iov := &b.iovs[i]
	iov.Base = nil
	if len(p) > 0 {
		iov.Base = &p[0]
	}
	iov.SetLen(len(p))
	b.hdrs[i] = mmsghdr{hdr: syscall.Msghdr{Iov: iov, Iovlen: 1}}
}

// release drops the references to the caller's buffers.
func (b *mmsgBuf) release() {
	for i := range b.iovs {
		b.iovs[i].Base = nil
	}
}

// call runs the system call on b.hdrs[off:off+vlen]. It returns false to
// wait for the socket to be ready (EAGAIN).
func (b *mmsgBuf) call(fd uintptr) bool {
	for {
		r, _, e := syscall.Syscall6(b.trap, fd, uintptr(unsafe.Pointer(&b.hdrs[b.off])), uintptr(b.vlen), 0, 0, 0)
		switch e {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		}
		b.n, b.errno = int(r), e
		return true
	}
}

func (m *mmsg) get(p *atomic.Pointer[mmsgBuf], trap uintptr) *mmsgBuf {
	b := p.Swap(nil)
	if b == nil {
		b = new(mmsgBuf)
		b.op = b.call
	}
	b.trap = trap
	return b
}

// readBatch is ReadBatch with recvmmsg.
func (c *Conn) readBatch(ms []transport.Message) (int, error) {
	m := c.mm
	b := m.get(&m.rd, syscall.SYS_RECVMMSG)
	defer m.rd.Store(b)
	defer b.release()
	b.prepare(len(ms))
	for i := range ms {
		b.setBuf(i, ms[i].Buf)
		h := &b.hdrs[i].hdr
		h.Name = (*byte)(unsafe.Pointer(&b.names[i]))
		h.Namelen = syscall.SizeofSockaddrInet6
	}
	b.off, b.vlen = 0, len(ms)
	if err := m.rc.Read(b.op); err != nil {
		return 0, err
	}
	if b.errno != 0 {
		return 0, &net.OpError{Op: "read", Net: "udp", Source: c.c.LocalAddr(), Err: os.NewSyscallError("recvmmsg", b.errno)}
	}
	for i := range b.n {
		msg, h := &ms[i], &b.hdrs[i]
		msg.N = min(int(h.n), len(msg.Buf))
		msg.Truncated = h.hdr.Flags&syscall.MSG_TRUNC != 0
		msg.Addr = b.addrPort(i)
	}
	return b.n, nil
}

// addrPort parses the sender of message i without allocating (a new IPv6
// zone aside), IPv4-mapped addresses unmapped.
func (b *mmsgBuf) addrPort(i int) netip.AddrPort {
	sa := &b.names[i]
	port := (*[2]byte)(unsafe.Pointer(&sa.Port))
	p := uint16(port[0])<<8 | uint16(port[1])
	switch sa.Family {
	case syscall.AF_INET:
		sa4 := (*syscall.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), p)
	case syscall.AF_INET6:
		ip := netip.AddrFrom16(sa.Addr)
		if ip.Is4In6() {
			ip = ip.Unmap()
		} else if sa.Scope_id != 0 {
			ip = ip.WithZone(b.zoneName(sa.Scope_id))
		}
		return netip.AddrPortFrom(ip, p)
	}
	return netip.AddrPort{}
}

// zoneName returns the name of interface id, as the net package names
// zones: the interface's name, or the index in decimal.
func (b *mmsgBuf) zoneName(id uint32) string {
	if id != b.zoneID || b.zone == "" {
		b.zoneID, b.zone = id, strconv.FormatUint(uint64(id), 10)
		if ifi, err := net.InterfaceByIndex(int(id)); err == nil {
			b.zone = ifi.Name
		}
	}
	return b.zone
}

// zoneIndex is the reverse of zoneName.
func (b *mmsgBuf) zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if zone != b.zone {
		b.zone, b.zoneID = zone, 0
		if ifi, err := net.InterfaceByName(zone); err == nil {
			b.zoneID = uint32(ifi.Index)
		} else if id, err := strconv.ParseUint(zone, 10, 32); err == nil {
			b.zoneID = uint32(id)
		}
	}
	return b.zoneID
}

// setAddr writes addr as the destination of message i, in the socket's
// family (IPv4 peers of an IPv6 socket as IPv4-mapped addresses).
func (b *mmsgBuf) setAddr(i int, addr netip.AddrPort, v6 bool) bool {
	ip := addr.Addr()
	sa := &b.names[i]
	h := &b.hdrs[i].hdr
	h.Name = (*byte)(unsafe.Pointer(sa))
	switch {
	case !v6:
		if !ip.Unmap().Is4() {
			return false
		}
		sa4 := (*syscall.RawSockaddrInet4)(unsafe.Pointer(sa))
		*sa4 = syscall.RawSockaddrInet4{Family: syscall.AF_INET, Addr: ip.Unmap().As4()}
		h.Namelen = syscall.SizeofSockaddrInet4
	case ip.IsValid():
		*sa = syscall.RawSockaddrInet6{Family: syscall.AF_INET6, Addr: ip.As16()}
		if ip.Is6() && !ip.Is4In6() {
			sa.Scope_id = b.zoneIndex(ip.Zone())
		}
		h.Namelen = syscall.SizeofSockaddrInet6
	default:
		return false
	}
	port := (*[2]byte)(unsafe.Pointer(&sa.Port))
	port[0], port[1] = byte(addr.Port()>>8), byte(addr.Port())
	return true
}

// writeBatch is WriteBatch with sendmmsg.
func (c *Conn) writeBatch(ms []transport.Message) (int, error) {
	m := c.mm
	connected := c.raddr.IsValid()
	b := m.get(&m.wr, sysSendmmsg)
	defer m.wr.Store(b)
	defer b.release()
	b.prepare(len(ms))
	for i := range ms {
		b.setBuf(i, ms[i].Buf)
		if !connected && !b.setAddr(i, ms[i].Addr, m.v6) {
			return 0, badAddr(ms[i].Addr)
		}
	}
	sent := 0
	for sent < len(ms) {
		b.off, b.vlen = sent, len(ms)-sent
		if err := m.rc.Write(b.op); err != nil {
			return sent, err
		}
		if b.errno != 0 {
			return sent, &net.OpError{Op: "write", Net: "udp", Source: c.c.LocalAddr(), Err: os.NewSyscallError("sendmmsg", b.errno)}
		}
		if b.n <= 0 { // not seen: sendmmsg fails rather than send nothing
			return sent, io.ErrShortWrite
		}
		for i := sent; i < sent+b.n; i++ {
			ms[i].N = int(b.hdrs[i].n)
		}
		sent += b.n
	}
	return sent, nil
}

// badAddr is the error of a destination the socket cannot send to.
func badAddr(a netip.AddrPort) error {
	msg := "missing address"
	var addr net.Addr
	if a.Addr().IsValid() {
		msg = "non-IPv4 address"
		addr = net.UDPAddrFromAddrPort(a)
	}
	return &net.OpError{Op: "write", Net: "udp", Addr: addr, Err: &net.AddrError{Err: msg, Addr: a.Addr().String()}}
}
