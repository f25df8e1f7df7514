package transporttest

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/tcp"
)

// MQTTClient is the minimal MQTT client of the interop tests: it sends
// packets and reads them back typed, failing the test on any error.
type MQTTClient struct {
	T testing.TB
	V mqttpkt.Version
	M *tcp.MQTTConn
}

// Connect sends CONNECT with client id id and expects a successful CONNACK.
func (c *MQTTClient) Connect(id string) {
	c.T.Helper()
	c.Send(&mqttpkt.Connect{Version: c.V, CleanStart: true, KeepAlive: 30, ClientID: []byte(id)})
	if ack := Recv[*mqttpkt.Connack](c); ack.ReasonCode != mqttpkt.Success {
		c.T.Fatalf("CONNACK %#x", uint8(ack.ReasonCode))
	}
}

// Send writes p.
func (c *MQTTClient) Send(p mqttpkt.Packet) {
	c.T.Helper()
	if err := c.M.WritePacket(p); err != nil {
		c.T.Fatalf("write %v: %v", p.PacketType(), err)
	}
}

// Recv reads the next packet, which must be a T.
func Recv[T mqttpkt.Packet](c *MQTTClient) T {
	c.T.Helper()
	_, b, err := c.M.NextPacket()
	if err != nil {
		c.T.Fatalf("read: %v", err)
	}
	p, _, err := mqttpkt.Decode(b, c.V)
	if err != nil {
		c.T.Fatalf("decode % x: %v", b, err)
	}
	q, ok := p.(T)
	if !ok {
		c.T.Fatalf("got %v, want %T", p.PacketType(), q)
	}
	return q
}

// WaitListening waits until every one of addrs accepts TCP connections, or
// until timeout passes, or until done (the peer process's exit) reports.
func WaitListening(done chan error, timeout time.Duration, addrs ...string) error {
	deadline := time.Now().Add(timeout)
	for _, a := range addrs {
		for {
			select {
			case err := <-done:
				done <- err
				return fmt.Errorf("peer exited: %v", err)
			default:
			}
			c, err := net.DialTimeout("tcp4", a, 200*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s not accepting: %v", a, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return nil
}
