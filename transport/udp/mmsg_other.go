//go:build !linux

package udp

import (
	"net"

	"github.com/iotwire/iotwire/transport"
)

// mmsg is the batch state of Linux (recvmmsg, sendmmsg); other systems
// move one datagram per system call.
type mmsg struct{}

func newMmsg(*net.UDPConn) *mmsg { return nil }

func (c *Conn) readBatch(ms []transport.Message) (int, error)  { return c.readOne(ms) }
func (c *Conn) writeBatch(ms []transport.Message) (int, error) { return c.writeEach(ms) }
