package sms_test

import (
	"testing"

	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/smstest"
)

// BenchmarkNetwork: datagrams of 1 and 3 short messages written by one Conn
// and read by another through the in-memory simulated network; segments/s
// counts short messages. Allocations per op include the network's copy of
// each message (2 per segment), which a modem or SMPP link replaces by its
// own buffers.
func BenchmarkNetwork(b *testing.B) {
	for _, c := range []struct {
		name string
		size int
	}{{"1-segment", 100}, {"3-segments", 300}} {
		b.Run(c.name, func(b *testing.B) {
			n := smstest.New(smstest.Config{})
			mk := func(num string) *sms.Conn {
				l, err := n.Link(num)
				if err != nil {
					b.Fatal(err)
				}
				conn, err := sms.NewConn(l, sms.Config{Local: num})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { conn.Close() })
				return conn
			}
			srv, dev := mk(serverNum), mk(deviceNum)
			to := &sms.Addr{Number: deviceNum}
			p := payload(c.size)
			buf := make([]byte, 4096)
			parts := 1
			if c.size > 140 {
				parts = (c.size + 133) / 134
			}
			b.ReportAllocs()
			b.SetBytes(int64(c.size))
			for b.Loop() {
				if _, err := srv.WriteTo(p, to); err != nil {
					b.Fatal(err)
				}
				if _, _, err := dev.ReadFrom(buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(parts*b.N)/b.Elapsed().Seconds(), "segments/s")
		})
	}
}
