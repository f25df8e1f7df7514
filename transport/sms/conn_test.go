package sms_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport"
	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/segment"
	"github.com/iotwire/iotwire/transport/sms/smstest"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

const (
	serverNum = "+15550001111"
	deviceNum = "+15551234567"
)

// clock is a settable time for reassembly timeouts.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// pair returns two Conns on network n, closed when the test ends.
func pair(t *testing.T, n *smstest.Network, cfg sms.Config) (server, device *sms.Conn) {
	t.Helper()
	mk := func(num string) *sms.Conn {
		l, err := n.Link(num)
		if err != nil {
			t.Fatal(err)
		}
		c := cfg
		c.Local = num
		conn, err := sms.NewConn(l, c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	return mk(serverNum), mk(deviceNum)
}

// readWithin reads one datagram, failing the test after a guard timeout.
func readWithin(t *testing.T, c *sms.Conn, p []byte) (int, net.Addr, error) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	return c.ReadFrom(p)
}

func payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	for _, size := range []int{1, 140, 141, 300, 34170} {
		n := smstest.New(smstest.Config{})
		srv, dev := pair(t, n, sms.Config{})
		p := payload(size)
		if _, err := srv.WriteTo(p, &sms.Addr{Number: deviceNum}); err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		buf := make([]byte, dev.MaxDatagramSize())
		got, from, err := readWithin(t, dev, buf)
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		if !bytes.Equal(buf[:got], p) {
			t.Errorf("%d bytes: datagram differs", size)
		}
		if from.Network() != "sms" || from.String() != serverNum {
			t.Errorf("from = %s %s", from.Network(), from)
		}
		o := segment.Options{Ref8: true}
		parts, _ := o.Parts(size)
		if st := n.Stats(); st.Routed != uint64(parts) || st.Delivered != uint64(parts) {
			t.Errorf("%d bytes: network stats %+v, want %d parts", size, st, parts)
		}
	}
}

// TestCoAPThreeSegments: a CoAP response that needs 3 short messages goes
// through and decodes.
func TestCoAPThreeSegments(t *testing.T) {
	n := smstest.New(smstest.Config{})
	srv, dev := pair(t, n, sms.Config{})
	m := coapmsg.Message{Type: coapmsg.Acknowledgement, Code: coapmsg.Content, MessageID: 7, Token: []byte{1, 2}}
	m.SetUint(coapmsg.ContentFormat, 11542)
	m.Payload = payload(300)
	wire, err := m.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dev.WriteTo(wire, &sms.Addr{Number: serverNum}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2048)
	k, from, err := readWithin(t, srv, buf)
	if err != nil {
		t.Fatal(err)
	}
	var got coapmsg.Message
	if _, err := got.Decode(buf[:k]); err != nil {
		t.Fatal(err)
	}
	if got.MessageID != 7 || !bytes.Equal(got.Payload, m.Payload) || from.String() != deviceNum {
		t.Errorf("got %+v from %s", got, from)
	}
	if st := n.Stats(); st.Routed != 3 {
		t.Errorf("routed %d messages, want 3", st.Routed)
	}
	if st := dev.Stats(); st.Sent != 1 || st.PartsSent != 3 {
		t.Errorf("device stats %+v", st)
	}
}

// TestLostSegment: when one part of three is lost, the datagram never
// arrives, its parts are dropped at the timeout, and the next datagram
// comes through.
func TestLostSegment(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	n := smstest.New(smstest.Config{Drop: func(_, _ string, k uint64, _ *sms.SMS) bool { return k == 2 }})
	srv, dev := pair(t, n, sms.Config{Now: clk.now, Reassembly: segment.Limits{Timeout: time.Minute}})
	to := &sms.Addr{Number: serverNum}
	if _, err := dev.WriteTo(payload(300), to); err != nil {
		t.Fatal(err)
	}
	// The two parts that arrived are read and held; nothing is returned.
	readParts(t, srv, 2)
	if st := srv.Stats(); st.PartsRead != 2 || st.Received != 0 {
		t.Fatalf("stats after the incomplete datagram: %+v", st)
	}
	clk.add(2 * time.Minute)
	if _, err := dev.WriteTo([]byte("next"), to); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	k, _, err := readWithin(t, srv, buf)
	if err != nil || string(buf[:k]) != "next" {
		t.Fatalf("read %q, %v", buf[:k], err)
	}
	st := srv.Stats()
	if st.Reassembly.Expired != 1 || st.Received != 1 {
		t.Errorf("stats %+v: want 1 expired and 1 received", st)
	}
	if n.Stats().Dropped != 1 {
		t.Errorf("network stats %+v", n.Stats())
	}
}

func TestDropsTextAndOtherPorts(t *testing.T) {
	n := smstest.New(smstest.Config{})
	ports := &tpdu.Ports{Dst: 5683, Src: 5684}
	_, dev := pair(t, n, sms.Config{Ports: &tpdu.Ports{Dst: 5684, Src: 5683}})
	from, _ := tpdu.ParseAddress(serverNum)
	to, _ := tpdu.ParseAddress(deviceNum)
	// A text message, GSM 7-bit (DCS 0).
	n.Route(from, &sms.SMS{Peer: to, DCS: 0, UserData: tpdu.UserData{Body: []byte{0x31}, Septets: 1}})
	// 8-bit data to another port.
	other := tpdu.AppendPorts(nil, tpdu.Ports{Dst: 9999, Src: 5684, Wide: true})
	n.Route(from, &sms.SMS{Peer: to, DCS: tpdu.DCS8Bit, UserData: tpdu.UserData{Header: other, Body: []byte("x")}})
	// Then the right port, through a Conn.
	l, _ := n.Link(serverNum)
	srv, err := sms.NewConn(l, sms.Config{Local: serverNum, Ports: ports})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.WriteTo([]byte("ok"), &sms.Addr{Number: deviceNum}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	k, _, err := readWithin(t, dev, buf)
	if err != nil || string(buf[:k]) != "ok" {
		t.Fatalf("read %q, %v", buf[:k], err)
	}
	if st := dev.Stats(); st.DroppedText != 1 || st.DroppedPort != 1 || st.PartsRead != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestErrors(t *testing.T) {
	n := smstest.New(smstest.Config{})
	srv, dev := pair(t, n, sms.Config{})
	if _, err := srv.WriteTo(make([]byte, srv.MaxDatagramSize()+1), &sms.Addr{Number: deviceNum}); !errors.Is(err, transport.ErrTooLarge) {
		t.Errorf("oversized write: %v", err)
	}
	if _, err := srv.WriteTo([]byte("x"), &sms.Addr{Number: "ACME"}); err == nil {
		t.Error("write to an alphanumeric address succeeded")
	}
	if _, err := srv.WriteTo(nil, &sms.Addr{Number: deviceNum}); err == nil {
		t.Error("empty write succeeded")
	}
	// A datagram longer than the buffer fills it and says so.
	srv.WriteTo([]byte("0123456789"), &sms.Addr{Number: deviceNum})
	buf := make([]byte, 4)
	k, _, err := readWithin(t, dev, buf)
	if k != 4 || string(buf) != "0123" || !errors.Is(err, transport.ErrTooLarge) {
		t.Errorf("short buffer: %d %q %v", k, buf, err)
	}
	if _, err := sms.NewConn(nil, sms.Config{DCS: 0x00}); err != nil {
		// DCS 0 means the default 0x04.
		t.Errorf("DCS 0: %v", err)
	}
	if _, err := sms.NewConn(nil, sms.Config{DCS: 0x08}); err == nil {
		t.Error("UCS-2 DCS accepted")
	}
	if _, err := sms.NewConn(nil, sms.Config{Local: "not a number"}); err == nil {
		t.Error("alphanumeric Local accepted")
	}
	for _, s := range []string{"sms://+15551234567", "sms:+15551234567", "tel:+15551234567", "15551234567"} {
		if a, err := sms.ParseAddr(s); err != nil || a.Network() != "sms" {
			t.Errorf("ParseAddr(%q) = %v, %v", s, a, err)
		}
	}
	for _, s := range []string{"", "sms://", "+", "Hello"} {
		if a, err := sms.ParseAddr(s); err == nil {
			t.Errorf("ParseAddr(%q) = %v", s, a)
		}
	}
}

// TestDeadlinesAndClose: a deadline ends a blocked read, a new deadline
// applies to a read already blocked, and Close ends blocked reads; no
// goroutine stays behind.
func TestDeadlinesAndClose(t *testing.T) {
	before := runtime.NumGoroutine()
	n := smstest.New(smstest.Config{})
	l, _ := n.Link(deviceNum)
	c, err := sms.NewConn(l, sms.Config{Local: deviceNum})
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	if _, _, err := c.ReadFrom(make([]byte, 8)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("expired read: %v", err)
	}
	var ne net.Error
	if _, _, err := c.ReadFrom(make([]byte, 8)); !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("read past the deadline: %v is not a timeout net.Error", err)
	}

	c.SetReadDeadline(time.Time{})
	done := make(chan error, 1)
	go func() { _, _, err := c.ReadFrom(make([]byte, 8)); done <- err }()
	time.Sleep(10 * time.Millisecond) // let the read block (not needed for correctness)
	c.SetReadDeadline(time.Now())
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("read after a deadline moved into the past: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a new deadline did not end a blocked read")
	}

	c.SetReadDeadline(time.Time{})
	go func() { _, _, err := c.ReadFrom(make([]byte, 8)); done <- err }()
	time.Sleep(10 * time.Millisecond)
	c.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("read after Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end a blocked read")
	}
	if _, err := c.WriteTo([]byte("x"), &sms.Addr{Number: serverNum}); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after Close: %v", err)
	}
	if err := c.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	waitGoroutines(t, before)
}

// TestDTLSOverSMS: a DTLS 1.2 PSK session (LwM2M SMS security mode 1) runs
// over two Conns, and a CoAP request of 3 short messages per record goes
// through it.
func TestDTLSOverSMS(t *testing.T) {
	n := smstest.New(smstest.Config{})
	srv, dev := pair(t, n, sms.Config{})
	key := []byte("sms-psk-secret-1")
	ln, err := dtls.NewListener(srv, &dtls.Config{PSK: func(id []byte) ([]byte, error) {
		if string(id) != "device-1" {
			return nil, errors.New("unknown identity")
		}
		return key, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		k, err := c.Read(buf)
		if err != nil {
			got <- nil
			return
		}
		c.Write(buf[:k]) // echo
		got <- append([]byte(nil), buf[:k]...)
	}()

	c, err := dtls.Client(ctx, dev, &sms.Addr{Number: serverNum}, &dtls.Config{
		PSK: func([]byte) ([]byte, error) { return key, nil }, PSKIdentity: []byte("device-1")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m := coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.POST, MessageID: 9, Token: []byte{7}}
	m.SetPath([]byte("/rd"))
	m.Payload = payload(300)
	wire, _ := m.AppendBinary(nil)
	if _, err := c.Write(wire); err != nil {
		t.Fatal(err)
	}
	select {
	case b := <-got:
		if !bytes.Equal(b, wire) {
			t.Fatalf("server read %d bytes, want the %d-byte request", len(b), len(wire))
		}
	case <-ctx.Done():
		t.Fatal("no request through DTLS over SMS")
	}
	buf := make([]byte, 4096)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	k, err := c.Read(buf)
	if err != nil || !bytes.Equal(buf[:k], wire) {
		t.Fatalf("echo: %d bytes, %v", k, err)
	}
}

// waitGoroutines fails the test when more goroutines than before are still
// running after a bounded wait.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
}

// TestPeerConn: a connected Conn reads only its peer's datagrams.
func TestPeerConn(t *testing.T) {
	n := smstest.New(smstest.Config{})
	srvLink, _ := n.Link(serverNum)
	srv, err := sms.NewConn(srvLink, sms.Config{Local: serverNum})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	devLink, _ := n.Link(deviceNum)
	dev, err := sms.Dial(devLink, "sms://15550001111", sms.Config{Local: deviceNum})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if dev.RemoteAddr().String() != "15550001111" {
		t.Errorf("RemoteAddr = %s", dev.RemoteAddr())
	}
	// A stranger writes first; then the server.
	strangerLink, _ := n.Link("+15559999999")
	stranger, _ := sms.NewConn(strangerLink, sms.Config{})
	defer stranger.Close()
	stranger.WriteTo([]byte("spam"), &sms.Addr{Number: deviceNum})
	srv.WriteTo([]byte("hello"), &sms.Addr{Number: deviceNum})
	dev.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 64)
	k, err := dev.Read(buf)
	if err != nil || string(buf[:k]) != "hello" {
		t.Fatalf("Read = %q, %v", buf[:k], err)
	}
	if dev.Stats().DroppedPeer != 1 {
		t.Errorf("stats %+v", dev.Stats())
	}
	if _, err := dev.Write([]byte("reply")); err != nil {
		t.Fatal(err)
	}
	k, from, err := readWithin(t, srv, buf)
	if err != nil || string(buf[:k]) != "reply" || from.String() != deviceNum {
		t.Fatalf("server read %q from %v: %v", buf[:k], from, err)
	}
	if _, err := sms.Dial(devLink, "nope", sms.Config{}); err == nil {
		t.Error("Dial to an alphanumeric number succeeded")
	}
}

// atomicBool is a flag shared with network hooks.
type atomicBool struct {
	mu sync.Mutex
	v  bool
}

func (b *atomicBool) set(v bool) { b.mu.Lock(); b.v = v; b.mu.Unlock() }
func (b *atomicBool) get() bool  { b.mu.Lock(); defer b.mu.Unlock(); return b.v }

// readParts reads from c until it has taken want short messages in all,
// failing the test if a datagram comes out or after a guard time.
func readParts(t *testing.T, c *sms.Conn, want uint64) {
	t.Helper()
	guard := time.Now().Add(10 * time.Second)
	buf := make([]byte, 4096)
	for c.Stats().PartsRead < want {
		if time.Now().After(guard) {
			t.Fatalf("stats %+v: %d short messages never arrived", c.Stats(), want)
		}
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if k, _, err := c.ReadFrom(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("read %d bytes, %v: want nothing until the deadline", k, err)
		}
	}
	c.SetReadDeadline(time.Time{})
}

// blockLink is a Link whose Send waits until released or its context ends.
type blockLink struct {
	release chan struct{}
}

func (l *blockLink) Send(ctx context.Context, _ *sms.SMS) error {
	select {
	case <-l.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *blockLink) Receive(ctx context.Context, _ *sms.SMS) error {
	<-ctx.Done()
	return ctx.Err()
}

func (l *blockLink) Close() error { return nil }

// TestDeadlineExtended: extending or clearing a deadline while a write
// waits lets the write go on (net.Conn's rule); only a deadline that
// passes ends it.
func TestDeadlineExtended(t *testing.T) {
	l := &blockLink{release: make(chan struct{})}
	c, err := sms.NewConn(l, sms.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetWriteDeadline(time.Now().Add(time.Hour))
	done := make(chan error, 1)
	go func() { _, err := c.WriteTo([]byte("x"), &sms.Addr{Number: deviceNum}); done <- err }()
	time.Sleep(10 * time.Millisecond) // let the write block (not needed for correctness)
	c.SetWriteDeadline(time.Now().Add(2 * time.Hour))
	c.SetDeadline(time.Time{})
	c.SetReadDeadline(time.Now().Add(time.Minute))
	select {
	case err := <-done:
		t.Fatalf("the write ended when its deadline moved: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(l.release)
	if err := <-done; err != nil {
		t.Errorf("write: %v", err)
	}

	// A deadline that passes ends a waiting write with a timeout.
	l2 := &blockLink{release: make(chan struct{})}
	c2, _ := sms.NewConn(l2, sms.Config{})
	defer c2.Close()
	c2.SetWriteDeadline(time.Now().Add(30 * time.Millisecond))
	if _, err := c2.WriteTo([]byte("x"), &sms.Addr{Number: deviceNum}); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("write past its deadline: %v", err)
	}
	// And a new deadline in the future lets the next write through.
	c2.SetWriteDeadline(time.Now().Add(time.Hour))
	go func() { time.Sleep(10 * time.Millisecond); close(l2.release) }()
	if _, err := c2.WriteTo([]byte("x"), &sms.Addr{Number: deviceNum}); err != nil {
		t.Errorf("write after a new deadline: %v", err)
	}
}
