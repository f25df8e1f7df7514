//go:build !noopt

package udp_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport"
	"github.com/iotwire/iotwire/transport/udp"
)

// The allocation counts are exact (STYLE.md 6, as net.TestAllocs): they
// change under -gcflags=all=-N -l, hence the noopt build tag.

// pair is a loopback server and a client, deadlines far away.
type pair struct {
	srv, cli *udp.Conn
	raw      *net.UDPConn // srv's socket, for the bare net.UDPConn loop
}

func newPair(tb testing.TB) pair {
	tb.Helper()
	opts := &udp.Options{ReadBuffer: 4 << 20, WriteBuffer: 4 << 20}
	srv := listen(tb, "udp4", "127.0.0.1:0", opts)
	cli := dial(tb, "udp4", srv.LocalAddrPort(), opts)
	d := time.Now().Add(time.Minute)
	srv.SetDeadline(d)
	cli.SetDeadline(d)
	return pair{srv, cli, srv.UDPConn()}
}

func check(tb testing.TB, err error) {
	if err != nil {
		tb.Helper()
		tb.Fatal(err)
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	p := newPair(t)
	buf := make([]byte, 2048)
	msg := []byte("0123456789abcdef0123456789abcdef")
	to := p.srv.LocalAddrPort()
	const batch = 4
	out := make([]transport.Message, batch)
	in := make([]transport.Message, batch)
	for i := range out {
		out[i] = transport.Message{Buf: msg, Addr: to}
		in[i].Buf = make([]byte, 2048)
	}
	srvOut := []transport.Message{{Buf: msg, Addr: p.cli.LocalAddrPort()}}
	bg := context.Background()
	cctx, cancel := context.WithCancel(bg)
	defer cancel()
	cases := []struct {
		name string
		want float64
		fn   func()
	}{
		{"Write+ReadFromAddrPort", 0, func() {
			_, err := p.cli.Write(msg)
			check(t, err)
			_, _, err = p.srv.ReadFromAddrPort(buf)
			check(t, err)
		}},
		{"WriteToAddrPort+Read", 0, func() {
			_, err := p.srv.WriteToAddrPort(msg, p.cli.LocalAddrPort())
			check(t, err)
			_, err = p.cli.Read(buf)
			check(t, err)
		}},
		{"ReadFromContext/background", 0, func() {
			p.cli.Write(msg)
			_, _, err := p.srv.ReadFromContext(bg, buf)
			check(t, err)
		}},
		// context.AfterFunc and the channel that orders the deadline reset.
		{"ReadFromContext/cancellable", 4, func() {
			p.cli.Write(msg)
			_, _, err := p.srv.ReadFromContext(cctx, buf)
			check(t, err)
		}},
		{"WriteBatch/connected", 0, func() {
			n, err := p.cli.WriteBatch(out)
			check(t, err)
			for range n {
				p.srv.ReadFromAddrPort(buf)
			}
		}},
		{"WriteBatch/unconnected", 0, func() {
			_, err := p.srv.WriteBatch(srvOut)
			check(t, err)
			p.cli.Read(buf)
		}},
		{"ReadBatch/4-datagrams", 0, func() {
			p.cli.WriteBatch(out)
			for got := 0; got < batch; {
				n, err := p.srv.ReadBatch(in[:batch-got])
				check(t, err)
				got += n
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
				t.Errorf("%s: %v allocs, want %v", c.name, got, c.want)
			}
		})
	}
}
