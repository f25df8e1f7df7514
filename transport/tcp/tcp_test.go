package tcp_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/internal/transporttest"
	"github.com/iotwire/iotwire/transport/tcp"
)

const ioTimeout = 10 * time.Second

// connPair returns both ends of a loopback TCP connection.
func connPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ch := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		ch <- c
	}()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	client, err = tcp.Dial(ctx, "tcp4", ln.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	server = <-ch
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

func TestMQTTFraming(t *testing.T) {
	a, b := connPair(t)
	w := tcp.NewMQTT(a, &tcp.Options{WriteTimeout: ioTimeout})
	r := tcp.NewMQTT(b, &tcp.Options{ReadTimeout: ioTimeout, MaxSize: 4096})
	pub := &mqttpkt.Publish{Version: mqttpkt.V5, QoS: mqttpkt.QoS1, PacketID: 7, Topic: []byte("a/b"), Payload: make([]byte, 1000)}
	for range 3 {
		if err := w.WritePacket(pub); err != nil {
			t.Fatal(err)
		}
	}
	w.WritePacket(&mqttpkt.Pingreq{})
	for i := range 3 {
		h, pkt, err := r.NextPacket()
		if err != nil || h.Type != mqttpkt.TypePublish || len(pkt) != pub.Len() {
			t.Fatalf("packet %d: %v %d bytes, %v", i, h.Type, len(pkt), err)
		}
		var got mqttpkt.Publish
		if _, err := got.Decode(pkt, mqttpkt.V5); err != nil || got.PacketID != 7 || string(got.Topic) != "a/b" {
			t.Fatalf("decode: %+v, %v", got, err)
		}
	}
	if pkt, err := r.Next(); err != nil || len(pkt) != 2 {
		t.Fatalf("PINGREQ: % x, %v", pkt, err)
	}
	// Over the limit: rejected from the header; the body never comes.
	big := []byte{0x30, 0x80, 0x80, 0x01} // PUBLISH, Remaining Length 16384
	if err := w.WriteFrame(big); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.NextPacket(); !errors.Is(err, mqttpkt.ErrLimit) {
		t.Fatalf("oversized packet: %v, want ErrLimit", err)
	}
	// End of stream between packets.
	a.Close()
	if _, err := tcp.NewMQTT(b, nil).Next(); err == nil {
		t.Fatal("read after close: no error")
	}
}

func TestCoAPFraming(t *testing.T) {
	a, b := connPair(t)
	w := tcp.NewCoAP(a, nil)
	r := tcp.NewCoAP(b, &tcp.Options{ReadTimeout: ioTimeout})
	var m coapmsg.Message
	m.Code, m.Token = coapmsg.GET, []byte{1, 2}
	m.SetPath([]byte("/sensors/temp"))
	var csm coapmsg.Message
	csm.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 1152})
	if err := w.WriteMessage(&csm); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessage(&m); err != nil {
		t.Fatal(err)
	}
	for _, want := range []coapmsg.Code{csm.Code, coapmsg.GET} {
		f, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		var got coapmsg.Message
		if _, err := got.DecodeTCP(f); err != nil || got.Code != want {
			t.Fatalf("got %v, %v; want %v", got.Code, err, want)
		}
		if want == coapmsg.GET && string(got.AppendPath(nil)) != "/sensors/temp" {
			t.Errorf("path %q", got.AppendPath(nil))
		}
	}
	// Len nibble 15: a 32-bit extended length of about 1 MB, over the 1152 default (RFC 8323 3.2).
	if err := w.WriteFrame([]byte{0xf0, 0x00, 0x0f, 0x00, 0x00, 0x01}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); !errors.Is(err, coapmsg.ErrLimit) {
		t.Fatalf("oversized message: %v, want ErrLimit", err)
	}
}

func TestReadTimeout(t *testing.T) {
	_, b := connPair(t)
	r := tcp.NewMQTT(b, &tcp.Options{ReadTimeout: 20 * time.Millisecond})
	start := time.Now()
	_, err := r.Next()
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("idle read: %v, want a deadline error", err)
	}
	if d := time.Since(start); d > ioTimeout {
		t.Errorf("timeout took %v", d)
	}
}

func TestDialContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tcp.Dial(ctx, "tcp4", "127.0.0.1:1", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("dial with a cancelled context: %v", err)
	}
	// A TLS server that never answers: the handshake ends with the context.
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	}()
	tctx, tcancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer tcancel()
	_, err = tcp.Dial(tctx, "tcp4", ln.Addr().String(), &tls.Config{ServerName: "localhost"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("TLS dial to a silent server: %v, want DeadlineExceeded", err)
	}
}

// serveEcho serves MQTT PINGREQ -> PINGRESP until the peer leaves or, when
// polite, the listener shuts down.
func serveEcho(polite bool) func(ctx context.Context, c net.Conn) {
	return func(ctx context.Context, c net.Conn) {
		m := tcp.NewMQTT(c, nil)
		if polite {
			stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
			defer stop()
		}
		for {
			h, _, err := m.NextPacket()
			if err != nil {
				return
			}
			if h.Type == mqttpkt.TypePingreq {
				m.WritePacket(&mqttpkt.Pingresp{})
			}
		}
	}
}

func ping(t *testing.T, c net.Conn) {
	t.Helper()
	m := tcp.NewMQTT(c, &tcp.Options{ReadTimeout: ioTimeout, ReadBufferSize: -1})
	if err := m.WritePacket(&mqttpkt.Pingreq{}); err != nil {
		t.Fatal(err)
	}
	if h, _, err := m.NextPacket(); err != nil || h.Type != mqttpkt.TypePingresp {
		t.Fatalf("got %v, %v; want PINGRESP", h.Type, err)
	}
}

func startServer(t *testing.T, opts *tcp.ListenOptions, h func(context.Context, net.Conn)) (*tcp.Listener, chan error) {
	t.Helper()
	l, err := tcp.Listen(context.Background(), "tcp4", "127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- l.Serve(h) }()
	t.Cleanup(func() { l.Close() })
	return l, served
}

func TestShutdown(t *testing.T) {
	dialT := func(t *testing.T, l *tcp.Listener, conf *tls.Config) net.Conn {
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		defer cancel()
		c, err := tcp.Dial(ctx, "tcp4", l.Addr().String(), conf)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	t.Run("graceful", func(t *testing.T) {
		l, served := startServer(t, nil, serveEcho(true))
		c1, c2 := dialT(t, l, nil), dialT(t, l, nil)
		ping(t, c1)
		ping(t, c2)
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		defer cancel()
		if err := l.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, tcp.ErrListenerClosed) {
			t.Errorf("Serve returned %v", err)
		}
		c1.SetReadDeadline(time.Now().Add(ioTimeout))
		if _, err := c1.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
			t.Errorf("client after shutdown: %v, want EOF", err)
		}
		if _, err := net.DialTimeout("tcp4", l.Addr().String(), ioTimeout); err == nil {
			t.Error("listener still accepts after Shutdown")
		}
	})
	t.Run("forced", func(t *testing.T) {
		l, served := startServer(t, nil, serveEcho(false)) // ignores the context
		c := dialT(t, l, nil)
		ping(t, c)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if err := l.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown: %v, want DeadlineExceeded", err)
		}
		<-served
		c.SetReadDeadline(time.Now().Add(ioTimeout))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Error("connection open after a forced shutdown")
		}
	})
	t.Run("tls-handshake-timeout", func(t *testing.T) {
		ca := transporttest.NewCA(t)
		cert, _ := ca.Issue(t, "localhost")
		called := make(chan struct{}, 1)
		l, _ := startServer(t, &tcp.ListenOptions{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}, HandshakeTimeout: time.Second},
			func(ctx context.Context, c net.Conn) { called <- struct{}{} })
		raw, err := net.DialTimeout("tcp4", l.Addr().String(), ioTimeout)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		raw.SetReadDeadline(time.Now().Add(ioTimeout))
		if _, err := raw.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("silent client: %v, want the server to hang up", err)
		}
		// A real TLS client gets through.
		c := dialT(t, l, &tls.Config{RootCAs: ca.Pool, ServerName: "localhost"})
		c.Write([]byte{0xc0, 0})
		select {
		case <-called:
		case <-time.After(ioTimeout):
			t.Fatal("handler not called")
		}
		select {
		case <-called:
			t.Error("handler called for the silent client")
		default:
		}
	})
}

func TestTLSFraming(t *testing.T) {
	ca := transporttest.NewCA(t)
	cert, _ := ca.Issue(t, "localhost")
	l, _ := startServer(t, &tcp.ListenOptions{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}}, serveEcho(true))
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := tcp.Dial(ctx, "tcp4", l.Addr().String(), &tls.Config{RootCAs: ca.Pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.(*tls.Conn); !ok {
		t.Fatalf("Dial with TLS returned %T", c)
	}
	ping(t, c)
	// An untrusted server certificate fails the handshake.
	ctx2, cancel2 := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel2()
	_, err = tcp.Dial(ctx2, "tcp4", l.Addr().String(), &tls.Config{ServerName: "localhost"})
	var uae x509UnknownAuthority
	if err == nil || !errors.As(err, &uae) {
		t.Errorf("dial without the CA: %v", err)
	}
}

func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/iotwire/iotwire/transport", "github.com/iotwire/iotwire/mqttpkt", "github.com/iotwire/iotwire/coapmsg")
}
