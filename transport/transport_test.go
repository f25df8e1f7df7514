package transport_test

import (
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport"
)

// The helpers fall back to the plain net.PacketConn methods.
func TestFallbacks(t *testing.T) {
	a, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := transport.MaxDatagramSize(a); got != transport.MaxUDP4Payload {
		t.Errorf("MaxDatagramSize = %d", got)
	}
	// Hide the optional methods of *net.UDPConn behind net.PacketConn only.
	type plain struct{ net.PacketConn }
	pa, pb := plain{a}, plain{b}
	to := transport.AddrPortOf(b.LocalAddr())
	out := []transport.Message{{Buf: []byte("x"), Addr: to}, {Buf: []byte("yz"), Addr: to}}
	if n, err := transport.WriteBatch(pa, out); n != 2 || err != nil || out[1].N != 2 {
		t.Fatalf("WriteBatch: %d, %v, %+v", n, err, out)
	}
	b.SetReadDeadline(time.Now().Add(3 * time.Second))
	in := []transport.Message{{Buf: make([]byte, 8)}, {Buf: make([]byte, 8)}}
	for _, want := range []string{"x", "yz"} {
		n, err := transport.ReadBatch(pb, in)
		if n != 1 || err != nil || string(in[0].Buf[:in[0].N]) != want || in[0].Addr != transport.AddrPortOf(a.LocalAddr()) {
			t.Fatalf("ReadBatch: %d, %v, %+v", n, err, in[0])
		}
	}
	if n, err := transport.ReadBatch(pb, nil); n != 0 || err != nil {
		t.Errorf("ReadBatch of nothing: %d, %v", n, err)
	}
}

func TestIsPeerUnreachable(t *testing.T) {
	refused := &net.OpError{Op: "read", Net: "udp", Err: syscall.ECONNREFUSED}
	if !transport.IsPeerUnreachable(refused) {
		t.Error("ECONNREFUSED not recognised")
	}
	if transport.IsPeerUnreachable(net.ErrClosed) || transport.IsPeerUnreachable(errors.New("x")) || transport.IsPeerUnreachable(nil) {
		t.Error("false positive")
	}
}
