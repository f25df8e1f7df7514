package tcp_test

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/tcp"
)

// A tiny MQTT server on loopback that answers PINGREQ with PINGRESP, and a
// client that frames the answer: the framer reads a packet's fixed header,
// checks its size against Options.MaxSize and hands out the whole packet
// for a Decode method, reusing one buffer.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l, err := tcp.Listen(ctx, "tcp4", "127.0.0.1:0", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	go l.Serve(func(ctx context.Context, c net.Conn) {
		m := tcp.NewMQTT(c, &tcp.Options{MaxSize: 1024})
		for {
			h, _, err := m.NextPacket()
			if err != nil {
				return
			}
			if h.Type == mqttpkt.TypePingreq {
				m.WritePacket(&mqttpkt.Pingresp{})
			}
		}
	})
	defer l.Shutdown(ctx)

	c, err := tcp.Dial(ctx, "tcp4", l.Addr().String(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	m := tcp.NewMQTT(c, &tcp.Options{ReadTimeout: 5 * time.Second})
	if err := m.WritePacket(&mqttpkt.Pingreq{}); err != nil {
		fmt.Println(err)
		return
	}
	h, pkt, err := m.NextPacket()
	fmt.Println(h.Type, fmt.Sprintf("% x", pkt), err)
	// Output: PINGRESP d0 00 <nil>
}
