package udp

import (
	"net"
	"runtime"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"github.com/iotwire/iotwire/transport"
)

// batchConn is what golang.org/x/net/ipv4.PacketConn and ipv6.PacketConn
// share: recvmmsg and sendmmsg on Linux. (ipv4.Message and ipv6.Message
// are the same type.)
type batchConn interface {
	ReadBatch(ms []ipv4.Message, flags int) (int, error)
	WriteBatch(ms []ipv4.Message, flags int) (int, error)
}

func newBatchConn(c *net.UDPConn, v6 bool) batchConn {
	if runtime.GOOS != "linux" { // elsewhere x/net moves one message per call
		return nil
	}
	if v6 {
		return ipv6.NewPacketConn(c)
	}
	return ipv4.NewPacketConn(c)
}

// batchScratch is the reusable state of one batch call: x/net's messages,
// their one-buffer vectors and, for writes, the peer addresses, whose IPs
// point into ips so that nothing is allocated once they have grown.
type batchScratch struct {
	msgs  []ipv4.Message
	bufs  [][]byte
	addrs []net.UDPAddr
	ips   [][16]byte
}

func (s *batchScratch) prepare(n int) {
	if cap(s.msgs) < n {
		s.msgs = make([]ipv4.Message, n)
		s.bufs = make([][]byte, n)
		s.addrs = make([]net.UDPAddr, n)
		s.ips = make([][16]byte, n)
	}
	s.msgs, s.bufs, s.addrs, s.ips = s.msgs[:n], s.bufs[:n], s.addrs[:n], s.ips[:n]
}

// release drops the references to the caller's buffers before the scratch
// goes back to the pool.
func (s *batchScratch) release() {
	for i := range s.msgs {
		s.bufs[i] = nil
		s.msgs[i] = ipv4.Message{}
	}
}

// ReadBatch reads up to len(ms) datagrams, blocking until at least one
// arrives, into ms[i].Buf, and sets N, Addr and Truncated of each. It
// returns how many it read. On Linux one recvmmsg call takes what is queued;
// elsewhere it reads one datagram. golang.org/x/net allocates the address of
// each datagram (two objects).
func (c *Conn) ReadBatch(ms []transport.Message) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	if c.batch == nil {
		m := &ms[0]
		var err error
		m.N, m.Addr, err = c.ReadFromAddrPort(m.Buf)
		m.Truncated = err == transport.ErrTooLarge
		if err != nil && !m.Truncated {
			return 0, err
		}
		return 1, nil
	}
	s := c.scratch.Get().(*batchScratch)
	defer c.scratch.Put(s)
	defer s.release()
	s.prepare(len(ms))
	for i := range ms {
		s.bufs[i] = ms[i].Buf
		s.msgs[i].Buffers = s.bufs[i : i+1 : i+1]
	}
	n, err := c.batch.ReadBatch(s.msgs, 0)
	for i := range n {
		m, xm := &ms[i], &s.msgs[i]
		m.N = xm.N
		m.Truncated = xm.Flags&msgTrunc != 0
		m.Addr = transport.AddrPortOf(xm.Addr)
	}
	return n, err
}

// WriteBatch sends ms[i].Buf to ms[i].Addr (ignored on a connected Conn)
// and sets ms[i].N. It returns how many datagrams were sent; fewer than
// len(ms) come with the error that stopped it. On Linux it uses sendmmsg,
// as many calls as the kernel needs, and does not allocate; IPv4 peers of
// a dual-stack IPv6 socket are written one at a time (x/net cannot encode
// them for sendmmsg).
func (c *Conn) WriteBatch(ms []transport.Message) (int, error) {
	for i := range ms {
		if len(ms[i].Buf) > c.max {
			return 0, transport.ErrTooLarge
		}
	}
	if c.batch == nil || (c.v6 && !c.raddr.IsValid() && anyIPv4(ms)) {
		for i := range ms {
			n, err := c.WriteToAddrPort(ms[i].Buf, ms[i].Addr)
			ms[i].N = n
			if err != nil {
				return i, err
			}
		}
		return len(ms), nil
	}
	s := c.scratch.Get().(*batchScratch)
	defer c.scratch.Put(s)
	defer s.release()
	s.prepare(len(ms))
	for i := range ms {
		s.bufs[i] = ms[i].Buf
		xm := &s.msgs[i]
		xm.Buffers = s.bufs[i : i+1 : i+1]
		if c.raddr.IsValid() {
			continue
		}
		a := &s.addrs[i]
		ip := ms[i].Addr.Addr()
		if ip.Is4() {
			a.IP = s.ips[i][:4]
			b := ip.As4()
			copy(a.IP, b[:])
		} else {
			a.IP = s.ips[i][:16]
			s.ips[i] = ip.As16()
		}
		a.Port, a.Zone = int(ms[i].Addr.Port()), ip.Zone()
		xm.Addr = a
	}
	sent := 0
	for sent < len(ms) {
		n, err := c.batch.WriteBatch(s.msgs[sent:], 0)
		for i := sent; i < sent+n; i++ {
			ms[i].N = s.msgs[i].N
		}
		sent += n
		if err != nil {
			return sent, err
		}
		if n == 0 {
			break
		}
	}
	return sent, nil
}

func anyIPv4(ms []transport.Message) bool {
	for i := range ms {
		if a := ms[i].Addr.Addr(); a.Is4() || a.Is4In6() {
			return true
		}
	}
	return false
}
