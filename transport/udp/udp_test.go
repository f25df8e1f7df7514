package udp_test

import (
	"bytes"
	"context"
	"errors"
	"go/parser"
	"go/token"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport"
	"github.com/iotwire/iotwire/transport/udp"
)

const ioTimeout = 10 * time.Second

// families lists the loopback networks to test; IPv6 is skipped where ::1
// cannot be bound.
func families(t *testing.T) []struct{ network, addr string } {
	t.Helper()
	fs := []struct{ network, addr string }{{"udp4", "127.0.0.1:0"}}
	if c, err := net.ListenPacket("udp6", "[::1]:0"); err == nil {
		c.Close()
		fs = append(fs, struct{ network, addr string }{"udp6", "[::1]:0"})
	} else {
		t.Logf("no IPv6 loopback: %v", err)
	}
	return fs
}

func listen(t testing.TB, network, addr string, opts *udp.Options) *udp.Conn {
	t.Helper()
	c, err := udp.Listen(context.Background(), network, addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func dial(t testing.TB, network string, to netip.AddrPort, opts *udp.Options) *udp.Conn {
	t.Helper()
	c, err := udp.Dial(context.Background(), network, to.String(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestListenDial(t *testing.T) {
	for _, f := range families(t) {
		t.Run(f.network, func(t *testing.T) {
			srv := listen(t, f.network, f.addr, nil)
			cli := dial(t, f.network, srv.LocalAddrPort(), nil)
			if !cli.Connected() || srv.Connected() {
				t.Fatalf("Connected: client %v, server %v", cli.Connected(), srv.Connected())
			}
			want := transport.MaxUDP4Payload
			if f.network == "udp6" {
				want = transport.MaxUDP6Payload
			}
			if srv.MaxDatagramSize() != want || transport.MaxDatagramSize(srv) != want {
				t.Errorf("MaxDatagramSize = %d, want %d", srv.MaxDatagramSize(), want)
			}
			deadline := time.Now().Add(ioTimeout)
			srv.SetDeadline(deadline)
			cli.SetDeadline(deadline)
			if _, err := cli.Write([]byte("ping")); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 64)
			n, from, err := srv.ReadFromAddrPort(buf)
			if err != nil || string(buf[:n]) != "ping" || from != cli.LocalAddrPort() {
				t.Fatalf("server read %q from %v, %v; want ping from %v", buf[:n], from, err, cli.LocalAddrPort())
			}
			if _, err := srv.WriteToAddrPort([]byte("pong"), from); err != nil {
				t.Fatal(err)
			}
			n, err = cli.Read(buf)
			if err != nil || string(buf[:n]) != "pong" {
				t.Fatalf("client read %q, %v", buf[:n], err)
			}
			// The net.PacketConn methods.
			if _, err := srv.WriteTo([]byte("again"), cli.LocalAddr()); err != nil {
				t.Fatal(err)
			}
			n, a, err := cli.ReadFrom(buf)
			if err != nil || string(buf[:n]) != "again" || transport.AddrPortOf(a) != srv.LocalAddrPort() {
				t.Fatalf("client ReadFrom %q from %v, %v", buf[:n], a, err)
			}
			// A connected socket refuses other destinations.
			other := netip.AddrPortFrom(srv.LocalAddrPort().Addr(), 9)
			if _, err := cli.WriteToAddrPort([]byte("x"), other); !errors.Is(err, net.ErrWriteToConnected) {
				t.Errorf("connected WriteToAddrPort elsewhere: %v, want ErrWriteToConnected", err)
			}
		})
	}
}

// TestDualStack: an IPv6 wildcard socket reports IPv4 peers unmapped and
// writes to them, one at a time and in a batch.
func TestDualStack(t *testing.T) {
	srv, err := udp.Listen(context.Background(), "udp", "[::]:0", nil)
	if err != nil {
		t.Skipf("no dual-stack socket: %v", err)
	}
	defer srv.Close()
	port := srv.LocalAddrPort().Port()
	cli := dial(t, "udp4", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port), nil)
	deadline := time.Now().Add(ioTimeout)
	srv.SetDeadline(deadline)
	cli.SetDeadline(deadline)
	cli.Write([]byte("hi"))
	buf := make([]byte, 16)
	n, from, err := srv.ReadFromAddrPort(buf)
	if err != nil || !from.Addr().Is4() || from != cli.LocalAddrPort() {
		t.Fatalf("read %q from %v, %v; want from %v", buf[:n], from, err, cli.LocalAddrPort())
	}
	ms := []transport.Message{{Buf: []byte("a"), Addr: from}, {Buf: []byte("b"), Addr: from}}
	if n, err := srv.WriteBatch(ms); n != 2 || err != nil {
		t.Fatalf("WriteBatch to an IPv4 peer: %d, %v", n, err)
	}
	for _, want := range []string{"a", "b"} {
		n, err := cli.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("read %q, %v; want %q", buf[:n], err, want)
		}
	}
}

func TestTruncatedAndTooLarge(t *testing.T) {
	srv := listen(t, "udp4", "127.0.0.1:0", &udp.Options{MaxDatagramSize: 100})
	cli := dial(t, "udp4", srv.LocalAddrPort(), nil)
	if srv.MaxDatagramSize() != 100 {
		t.Fatalf("MaxDatagramSize = %d", srv.MaxDatagramSize())
	}
	if n, err := srv.WriteToAddrPort(make([]byte, 101), cli.LocalAddrPort()); n != 0 || !errors.Is(err, transport.ErrTooLarge) {
		t.Errorf("write of 101 bytes: %d, %v; want ErrTooLarge", n, err)
	}
	srv.SetDeadline(time.Now().Add(ioTimeout))
	cli.Write(bytes.Repeat([]byte{'x'}, 50))
	buf := make([]byte, 10)
	n, from, err := srv.ReadFromAddrPort(buf)
	if n != 10 || from != cli.LocalAddrPort() || !errors.Is(err, transport.ErrTooLarge) {
		t.Errorf("truncated read: %d from %v, %v; want 10, ErrTooLarge", n, from, err)
	}
	// The next datagram is whole.
	cli.Write([]byte("ok"))
	n, _, err = srv.ReadFromAddrPort(buf)
	if err != nil || string(buf[:n]) != "ok" {
		t.Errorf("read after truncation: %q, %v", buf[:n], err)
	}
}

func TestDeadline(t *testing.T) {
	c := listen(t, "udp4", "127.0.0.1:0", nil)
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, _, err := c.ReadFromAddrPort(make([]byte, 8))
	var ne net.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read past the deadline: %v", err)
	}
	// ReadFromContext honours the deadline too.
	_, _, err = c.ReadFromContext(context.Background(), make([]byte, 8))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("ReadFromContext past the deadline: %v", err)
	}
}

func TestCloseUnblocksReaders(t *testing.T) {
	c, err := udp.Listen(context.Background(), "udp4", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 3)
	go func() { _, _, err := c.ReadFromAddrPort(make([]byte, 8)); errs <- err }()
	go func() { _, _, err := c.ReadFromContext(context.Background(), make([]byte, 8)); errs <- err }()
	go func() {
		_, err := c.ReadBatch([]transport.Message{{Buf: make([]byte, 8)}, {Buf: make([]byte, 8)}})
		errs <- err
	}()
	time.Sleep(20 * time.Millisecond)
	c.Close()
	for range 3 {
		select {
		case err := <-errs:
			if !errors.Is(err, net.ErrClosed) {
				t.Errorf("blocked read after Close: %v, want net.ErrClosed", err)
			}
		case <-time.After(ioTimeout):
			t.Fatal("Close did not unblock a reader")
		}
	}
}

func TestReadFromContext(t *testing.T) {
	c := listen(t, "udp4", "127.0.0.1:0", nil)
	peer := dial(t, "udp4", c.LocalAddrPort(), nil)
	buf := make([]byte, 16)

	// A cancelled context returns at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := c.ReadFromContext(ctx, buf); !errors.Is(err, context.Canceled) {
		t.Fatalf("read with a cancelled context: %v", err)
	}

	// A cancel unblocks a waiting read; a second reader on the same socket
	// is not disturbed and gets the next datagram; the user's deadline
	// survives.
	userDeadline := time.Now().Add(time.Hour)
	c.SetReadDeadline(userDeadline)
	ctx, cancel = context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, _, err := c.ReadFromContext(ctx, make([]byte, 16)); first <- err }()
	type res struct {
		s   string
		err error
	}
	second := make(chan res, 1)
	bctx, bcancel := context.WithTimeout(context.Background(), ioTimeout)
	defer bcancel()
	go func() {
		b := make([]byte, 16)
		n, _, err := c.ReadFromContext(bctx, b)
		second <- res{string(b[:n]), err}
	}()
	time.Sleep(30 * time.Millisecond)
	cancel()
	select {
	case err := <-first:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled read: %v, want context.Canceled", err)
		}
	case <-time.After(ioTimeout):
		t.Fatal("cancel did not unblock the read")
	}
	time.Sleep(30 * time.Millisecond)
	peer.Write([]byte("for-second"))
	select {
	case r := <-second:
		if r.err != nil || r.s != "for-second" {
			t.Fatalf("second reader: %q, %v", r.s, r.err)
		}
	case <-time.After(ioTimeout):
		t.Fatal("second reader got nothing")
	}

	// A timeout context ends the read with DeadlineExceeded.
	tctx, tcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer tcancel()
	if _, _, err := c.ReadFromContext(tctx, buf); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read with a timeout context: %v", err)
	}
	// Plain reads still work afterwards (the deadline was restored, not left in the past).
	peer.Write([]byte("after"))
	n, _, err := c.ReadFromAddrPort(buf)
	if err != nil || string(buf[:n]) != "after" {
		t.Fatalf("read after cancellations: %q, %v", buf[:n], err)
	}
}

// TestICMPRefused: on a connected socket an ICMP port unreachable shows as
// ECONNREFUSED on one call; the Conn keeps working once the peer is there.
func TestICMPRefused(t *testing.T) {
	// Find a free port, then leave it closed.
	tmp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	addr := tmp.LocalAddr().(*net.UDPAddr).AddrPort()
	tmp.Close()

	c := dial(t, "udp4", addr, nil)
	c.SetDeadline(time.Now().Add(ioTimeout))
	buf := make([]byte, 16)
	var got error
	for range 10 { // the ICMP error arrives asynchronously
		if _, err := c.Write([]byte("anyone?")); err != nil {
			got = err
			break
		}
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := c.Read(buf); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			got = err
			break
		}
	}
	if !transport.IsPeerUnreachable(got) {
		t.Fatalf("error after writing to a closed port: %v, want ECONNREFUSED", got)
	}
	t.Logf("surfaced: %v", got)

	// The peer appears on that port: the same Conn works.
	srv, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(addr))
	if err != nil {
		t.Skipf("port %v taken meanwhile: %v", addr, err)
	}
	defer srv.Close()
	srv.SetDeadline(time.Now().Add(ioTimeout))
	c.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := c.Write([]byte("back")); err != nil {
		t.Fatalf("write after ECONNREFUSED: %v", err)
	}
	n, from, err := srv.ReadFromUDPAddrPort(buf)
	if err != nil || string(buf[:n]) != "back" {
		t.Fatalf("peer read %q, %v", buf[:n], err)
	}
	srv.WriteToUDPAddrPort([]byte("yes"), from)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "yes" {
		t.Fatalf("read after ECONNREFUSED: %q, %v", buf[:n], err)
	}
}

func TestBatch(t *testing.T) {
	for _, f := range families(t) {
		t.Run(f.network, func(t *testing.T) {
			srv := listen(t, f.network, f.addr, nil)
			cli := listen(t, f.network, f.addr, nil)
			const n = 20
			out := make([]transport.Message, n)
			for i := range out {
				out[i] = transport.Message{Buf: []byte{byte(i), 'd', 'g'}, Addr: srv.LocalAddrPort()}
			}
			cli.SetDeadline(time.Now().Add(ioTimeout))
			if k, err := transport.WriteBatch(cli, out); k != n || err != nil {
				t.Fatalf("WriteBatch: %d, %v", k, err)
			}
			for i := range out {
				if out[i].N != 3 {
					t.Errorf("message %d: N = %d, want 3", i, out[i].N)
				}
			}
			in := make([]transport.Message, 8)
			for i := range in {
				in[i].Buf = make([]byte, 64)
			}
			srv.SetDeadline(time.Now().Add(ioTimeout))
			next := 0
			for next < n {
				k, err := transport.ReadBatch(srv, in)
				if err != nil {
					t.Fatalf("ReadBatch after %d: %v", next, err)
				}
				for _, m := range in[:k] {
					if m.N != 3 || m.Buf[0] != byte(next) || m.Addr != cli.LocalAddrPort() || m.Truncated {
						t.Fatalf("datagram %d: % x from %v truncated %v", next, m.Buf[:m.N], m.Addr, m.Truncated)
					}
					next++
				}
			}
			// Truncation is flagged per message.
			cli.WriteToAddrPort(make([]byte, 100), srv.LocalAddrPort())
			k, err := srv.ReadBatch(in[:1])
			if k != 1 || err != nil || !in[0].Truncated || in[0].N != 64 {
				t.Errorf("truncated batch read: %d, %v, %+v", k, err, in[0])
			}
		})
	}
}

func TestConcurrentWriters(t *testing.T) {
	srv := listen(t, "udp4", "127.0.0.1:0", nil)
	cli := listen(t, "udp4", "127.0.0.1:0", &udp.Options{ReadBuffer: 1 << 20, WriteBuffer: 1 << 20})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			ms := []transport.Message{{Buf: []byte{byte(g)}, Addr: srv.LocalAddrPort()}}
			for range 10 {
				cli.WriteBatch(ms)
				cli.WriteToAddrPort([]byte{byte(g)}, srv.LocalAddrPort())
			}
		})
	}
	wg.Wait()
	srv.SetDeadline(time.Now().Add(ioTimeout))
	in := make([]transport.Message, 16)
	for i := range in {
		in[i].Buf = make([]byte, 4)
	}
	got := 0
	for got < 80 {
		k, err := srv.ReadBatch(in)
		if err != nil {
			t.Fatalf("after %d datagrams: %v", got, err)
		}
		got += k
	}
}

// TestImports: the standard library and transport only. Unlike
// codectest.CheckImports it allows unsafe, in the one file that passes
// pointers to recvmmsg and sendmmsg.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			switch {
			case path == "unsafe" && f == "mmsg_linux.go":
			case path == "fmt", path == "reflect", path == "encoding/json", path == "unsafe":
				t.Errorf("%s imports %s", f, path)
			case strings.Contains(strings.SplitN(path, "/", 2)[0], ".") && path != "github.com/iotwire/iotwire/transport":
				t.Errorf("%s imports non-standard %s", f, path)
			}
		}
	}
}

// TestBatchICMPRefused: on a connected Conn, batch calls surface an ICMP
// port unreachable as ECONNREFUSED, as Read and Write do.
func TestBatchICMPRefused(t *testing.T) {
	tmp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	addr := tmp.LocalAddr().(*net.UDPAddr).AddrPort()
	tmp.Close()
	c := dial(t, "udp4", addr, nil)
	out := []transport.Message{{Buf: []byte("anyone?")}}
	in := []transport.Message{{Buf: make([]byte, 16)}, {Buf: make([]byte, 16)}}
	var got error
	for range 10 { // the ICMP error arrives asynchronously
		if _, err := c.WriteBatch(out); err != nil {
			got = err
			break
		}
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := c.ReadBatch(in); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			got = err
			break
		}
	}
	if !transport.IsPeerUnreachable(got) {
		t.Fatalf("batch error after writing to a closed port: %v, want ECONNREFUSED", got)
	}
}

// TestBatchBadAddress: a destination the socket cannot reach in its family,
// or none, fails the batch before anything is sent.
func TestBatchBadAddress(t *testing.T) {
	c := listen(t, "udp4", "127.0.0.1:0", nil)
	for _, a := range []netip.AddrPort{{}, netip.MustParseAddrPort("[2001:db8::1]:5683")} {
		ms := []transport.Message{{Buf: []byte("x"), Addr: c.LocalAddrPort()}, {Buf: []byte("y"), Addr: a}}
		if n, err := c.WriteBatch(ms); n != 0 || err == nil {
			t.Errorf("WriteBatch to %v: %d, %v; want 0 and an error", a, n, err)
		}
	}
}

// TestConcurrentBatchReaders: batch reads in parallel each get their own
// storage and together read every datagram once.
func TestConcurrentBatchReaders(t *testing.T) {
	srv := listen(t, "udp4", "127.0.0.1:0", &udp.Options{ReadBuffer: 1 << 20})
	cli := dial(t, "udp4", srv.LocalAddrPort(), nil)
	const total = 100
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got = map[byte]int{}
	)
	srv.SetDeadline(time.Now().Add(ioTimeout))
	for range 3 {
		wg.Go(func() {
			in := make([]transport.Message, 7)
			for i := range in {
				in[i].Buf = make([]byte, 4)
			}
			for {
				k, err := srv.ReadBatch(in)
				if err != nil {
					return // closed below
				}
				mu.Lock()
				for _, m := range in[:k] {
					got[m.Buf[0]]++
				}
				n := 0
				for _, v := range got {
					n += v
				}
				mu.Unlock()
				if n == total {
					srv.Close()
				}
			}
		})
	}
	for i := range total {
		if _, err := cli.Write([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
		if i%25 == 24 {
			time.Sleep(time.Millisecond) // let the readers drain the socket
		}
	}
	wg.Wait()
	if len(got) != total {
		t.Fatalf("read %d distinct datagrams of %d", len(got), total)
	}
	for b, n := range got {
		if n != 1 {
			t.Errorf("datagram %d read %d times", b, n)
		}
	}
}

// TestReadErrorLength: a read that fails reports 0 bytes, never the
// system call's -1 (which would make b[:n] panic in the caller).
func TestReadErrorLength(t *testing.T) {
	c, err := udp.Listen(context.Background(), "udp4", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(-time.Second))
	buf := make([]byte, 16)
	if n, _, err := c.ReadFromAddrPort(buf); err == nil || n != 0 {
		t.Errorf("ReadFromAddrPort past the deadline: %d, %v", n, err)
	}
	if n, _, err := c.ReadFrom(buf); err == nil || n != 0 {
		t.Errorf("ReadFrom past the deadline: %d, %v", n, err)
	}
	c.Close()
	if n, _, err := c.ReadFrom(buf); err == nil || n != 0 {
		t.Errorf("ReadFrom after Close: %d, %v", n, err)
	}
}
