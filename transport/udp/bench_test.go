package udp_test

import (
	"testing"

	"github.com/iotwire/iotwire/transport"
)

// backlog is how many datagrams wait in the socket before each read round.
const backlog = 64

// benchRead measures reading a backlog of datagrams: each iteration queues
// backlog datagrams of size bytes (timer stopped, one sendmmsg) and reads
// them all with read, which returns how many it consumed.
func benchRead(b *testing.B, size int, read func(p pair) int) {
	p := newPair(b)
	msg := make([]byte, size)
	out := make([]transport.Message, backlog)
	for i := range out {
		out[i].Buf = msg
	}
	b.ReportAllocs()
	b.SetBytes(int64(size * backlog))
	for b.Loop() {
		b.StopTimer()
		if n, err := p.cli.WriteBatch(out); n != backlog || err != nil {
			b.Fatal(n, err)
		}
		b.StartTimer()
		for got := 0; got < backlog; {
			got += read(p)
		}
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/backlog, "ns/datagram")
	b.ReportMetric(1e9*backlog/perOp, "datagrams/s")
}

func BenchmarkRead(b *testing.B) {
	buf := make([]byte, 2048)
	in := make([]transport.Message, backlog)
	for i := range in {
		in[i].Buf = make([]byte, 2048)
	}
	for _, size := range []int{64, 1024} {
		name := "size=" + map[int]string{64: "64B", 1024: "1024B"}[size]
		b.Run(name+"/mode=plain/impl=net.UDPConn", func(b *testing.B) {
			benchRead(b, size, func(p pair) int {
				_, _, err := p.raw.ReadFromUDPAddrPort(buf)
				check(b, err)
				return 1
			})
		})
		b.Run(name+"/mode=plain/impl=udp", func(b *testing.B) {
			benchRead(b, size, func(p pair) int {
				_, _, err := p.srv.ReadFromAddrPort(buf)
				check(b, err)
				return 1
			})
		})
		b.Run(name+"/mode=batch/impl=udp", func(b *testing.B) {
			benchRead(b, size, func(p pair) int {
				n, err := p.srv.ReadBatch(in)
				check(b, err)
				return n
			})
		})
	}
}

// BenchmarkWrite measures sending backlog datagrams per iteration to a
// socket that drains nothing (the kernel drops what does not fit).
func BenchmarkWrite(b *testing.B) {
	for _, size := range []int{64, 1024} {
		name := "size=" + map[int]string{64: "64B", 1024: "1024B"}[size]
		run := func(b *testing.B, write func(p pair, msg []byte, out []transport.Message)) {
			p := newPair(b)
			msg := make([]byte, size)
			out := make([]transport.Message, backlog)
			for i := range out {
				out[i] = transport.Message{Buf: msg, Addr: p.cli.LocalAddrPort()}
			}
			b.ReportAllocs()
			b.SetBytes(int64(size * backlog))
			for b.Loop() {
				write(p, msg, out)
			}
			perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(perOp/backlog, "ns/datagram")
			b.ReportMetric(1e9*backlog/perOp, "datagrams/s")
		}
		b.Run(name+"/mode=plain/impl=net.UDPConn", func(b *testing.B) {
			run(b, func(p pair, msg []byte, _ []transport.Message) {
				to := p.cli.LocalAddrPort()
				for range backlog {
					_, err := p.raw.WriteToUDPAddrPort(msg, to)
					check(b, err)
				}
			})
		})
		b.Run(name+"/mode=plain/impl=udp", func(b *testing.B) {
			run(b, func(p pair, msg []byte, _ []transport.Message) {
				to := p.cli.LocalAddrPort()
				for range backlog {
					_, err := p.srv.WriteToAddrPort(msg, to)
					check(b, err)
				}
			})
		})
		b.Run(name+"/mode=batch/impl=udp", func(b *testing.B) {
			run(b, func(p pair, _ []byte, out []transport.Message) {
				_, err := p.srv.WriteBatch(out)
				check(b, err)
			})
		})
	}
}
