package tcp_test

import (
	"io"
	"net"
	"testing"

	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/tcp"
)

// streamBlock is packets MQTT 3.1.1 PUBLISH packets with a payload of
// size bytes, back to back.
func streamBlock(tb testing.TB, packets, size int) (block []byte, pktLen int) {
	p := &mqttpkt.Publish{Version: mqttpkt.V311, QoS: mqttpkt.QoS1, PacketID: 1, Topic: []byte("dev/42/sensors/temp"), Payload: make([]byte, size)}
	for range packets {
		var err error
		block, err = p.AppendBinary(block)
		if err != nil {
			tb.Fatal(err)
		}
	}
	return block, p.Len()
}

// feed writes block to c over and over until c is closed.
func feed(b *testing.B, block []byte) net.Conn {
	a, c := connPair(b)
	go func() {
		for {
			if _, err := a.Write(block); err != nil {
				return
			}
		}
	}()
	return c
}

// BenchmarkReadMQTT: MQTT packets framed off a loopback TCP connection,
// against io.ReadFull of the same bytes in blocks as large as the
// framed connection's buffer (impl=raw-readfull), and against an
// unbuffered mqttpkt.Reader on the connection (impl=mqttpkt.Reader).
func BenchmarkReadMQTT(b *testing.B) {
	for _, size := range []int{16, 256, 4096} {
		const packets = 256
		block, pktLen := streamBlock(b, packets, size)
		name := "payload=" + map[int]string{16: "16B", 256: "256B", 4096: "4096B"}[size]
		report := func(b *testing.B) {
			b.ReportMetric(float64(packets)*float64(b.N)/b.Elapsed().Seconds(), "packets/s")
		}
		b.Run(name+"/impl=tcp.MQTTConn", func(b *testing.B) {
			m := tcp.NewMQTT(feed(b, block), nil)
			b.ReportAllocs()
			b.SetBytes(int64(len(block)))
			for b.Loop() {
				for range packets {
					if _, err := m.Next(); err != nil {
						b.Fatal(err)
					}
				}
			}
			report(b)
		})
		b.Run(name+"/impl=mqttpkt.Reader", func(b *testing.B) {
			r := mqttpkt.NewReader(feed(b, block), 0)
			b.ReportAllocs()
			b.SetBytes(int64(len(block)))
			for b.Loop() {
				for range packets {
					if _, _, err := r.Next(); err != nil {
						b.Fatal(err)
					}
				}
			}
			report(b)
		})
		b.Run(name+"/impl=raw-readfull", func(b *testing.B) {
			c := feed(b, block)
			chunk := tcp.DefaultReadBufferSize / pktLen * pktLen
			buf := make([]byte, chunk)
			b.ReportAllocs()
			b.SetBytes(int64(len(block)))
			for b.Loop() {
				for left := len(block); left > 0; {
					n := min(left, chunk)
					if _, err := io.ReadFull(c, buf[:n]); err != nil {
						b.Fatal(err)
					}
					left -= n
				}
			}
			report(b)
		})
	}
}
