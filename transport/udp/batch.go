package udp

import (
	"github.com/iotwire/iotwire/transport"
)

// ReadBatch reads up to len(ms) datagrams, blocking until at least one
// arrives, into ms[i].Buf, and sets N, Addr and Truncated of each. It
// returns how many it read. On Linux one recvmmsg call takes what is
// queued, without allocating; elsewhere it reads one datagram.
func (c *Conn) ReadBatch(ms []transport.Message) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	if c.mm == nil {
		return c.readOne(ms)
	}
	return c.readBatch(ms)
}

// readOne is ReadBatch without recvmmsg.
func (c *Conn) readOne(ms []transport.Message) (int, error) {
	m := &ms[0]
	var err error
	m.N, m.Addr, err = c.ReadFromAddrPort(m.Buf)
	m.Truncated = err == transport.ErrTooLarge
	if err != nil && !m.Truncated {
		return 0, err
	}
	return 1, nil
}

// WriteBatch sends ms[i].Buf to ms[i].Addr (ignored on a connected Conn)
// and sets ms[i].N. It returns how many datagrams were sent; fewer than
// len(ms) come with the error that stopped it. On Linux it uses sendmmsg,
// as many calls as the kernel needs, without allocating; elsewhere one
// system call per datagram.
func (c *Conn) WriteBatch(ms []transport.Message) (int, error) {
	for i := range ms {
		if len(ms[i].Buf) > c.max {
			return 0, transport.ErrTooLarge
		}
	}
	if c.mm == nil || len(ms) == 0 {
		return c.writeEach(ms)
	}
	return c.writeBatch(ms)
}

// writeEach is WriteBatch without sendmmsg.
func (c *Conn) writeEach(ms []transport.Message) (int, error) {
	for i := range ms {
		n, err := c.WriteToAddrPort(ms[i].Buf, ms[i].Addr)
		ms[i].N = n
		if err != nil {
			return i, err
		}
	}
	return len(ms), nil
}
