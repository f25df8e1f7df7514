package dtls_test

import (
	"context"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/udp/dtls"
)

func clientPSK() *dtls.Config {
	return &dtls.Config{PSK: func([]byte) ([]byte, error) { return keys["device-1"], nil }, PSKIdentity: []byte("device-1")}
}

// BenchmarkHandshake: one PSK (TLS_PSK_WITH_AES_128_CCM_8) handshake over
// loopback, with a Connection ID.
func BenchmarkHandshake(b *testing.B) {
	l, err := dtls.Listen(context.Background(), "udp4", "127.0.0.1:0", &dtls.Config{PSK: pskLookup})
	if err != nil {
		b.Fatal(err)
	}
	go l.Serve(func(ctx context.Context, c *dtls.Conn) { c.Read(make([]byte, 16)) })
	defer l.Close()
	b.ReportAllocs()
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		c, err := dtls.Dial(ctx, "udp4", l.Addr().String(), clientPSK())
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkRecords: echo round trips of a 64-byte record (one CoAP-sized
// message each way) over an established session.
func BenchmarkRecords(b *testing.B) {
	l, err := dtls.Listen(context.Background(), "udp4", "127.0.0.1:0", &dtls.Config{PSK: pskLookup})
	if err != nil {
		b.Fatal(err)
	}
	go l.Serve(func(ctx context.Context, c *dtls.Conn) {
		buf := make([]byte, 2048)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			c.Write(buf[:n])
		}
	})
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := dtls.Dial(ctx, "udp4", l.Addr().String(), clientPSK())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg, buf := make([]byte, 64), make([]byte, 2048)
	c.SetDeadline(time.Now().Add(time.Minute))
	b.ReportAllocs()
	b.SetBytes(int64(2 * len(msg)))
	for b.Loop() {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
