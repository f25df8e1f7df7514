package dtls_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/transport/internal/transporttest"
	"github.com/iotwire/iotwire/transport/udp"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

const ioTimeout = 10 * time.Second

var keys = map[string][]byte{
	"device-1": []byte("secret-key-1"),
	"device-2": []byte("secret-key-2"),
}

func pskLookup(identity []byte) ([]byte, error) {
	if k, ok := keys[string(identity)]; ok {
		return k, nil
	}
	return nil, errors.New("unknown identity")
}

// echoServer starts a DTLS server whose handler echoes every record,
// prefixed with the peer's PSK identity, and reports each Conn it served.
func echoServer(t *testing.T, network, addr string, cfg *dtls.Config) (*dtls.Listener, chan *dtls.Conn) {
	t.Helper()
	l, err := dtls.Listen(context.Background(), network, addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return serveEcho(t, l)
}

// echoServerOn is echoServer over a socket of the given kind, through
// NewListener: "listen" (dtls.Listen), "udp.Conn" or "net.UDPConn", on
// 127.0.0.1.
func echoServerOn(t *testing.T, kind string, cfg *dtls.Config) (*dtls.Listener, chan *dtls.Conn) {
	t.Helper()
	var pc net.PacketConn
	switch kind {
	case "listen":
		return echoServer(t, "udp4", "127.0.0.1:0", cfg)
	case "udp.Conn":
		c, err := udp.Listen(context.Background(), "udp4", "127.0.0.1:0", nil)
		if err != nil {
			t.Fatal(err)
		}
		pc = c
	case "net.UDPConn": // no AddrPortConn: peers are keyed by net.Addr strings
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		pc = c
	default:
		t.Fatalf("unknown socket kind %q", kind)
	}
	l, err := dtls.NewListener(pc, cfg)
	if err != nil {
		pc.Close()
		t.Fatal(err)
	}
	return serveEcho(t, l)
}

// serveEcho runs the echo handler of echoServer on l until the test ends.
func serveEcho(t *testing.T, l *dtls.Listener) (*dtls.Listener, chan *dtls.Conn) {
	t.Helper()
	conns := make(chan *dtls.Conn, 16)
	served := make(chan error, 1)
	go func() {
		served <- l.Serve(func(ctx context.Context, c *dtls.Conn) {
			conns <- c
			buf := make([]byte, 2048)
			for {
				c.SetReadDeadline(time.Now().Add(ioTimeout))
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				c.Write(append(append(c.PSKIdentity(), ':'), buf[:n]...))
			}
		})
	}()
	t.Cleanup(func() {
		l.Close()
		if err := <-served; !errors.Is(err, dtls.ErrListenerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return l, conns
}

func roundTrip(t *testing.T, c net.Conn, msg, want string) {
	t.Helper()
	c.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != want {
		t.Fatalf("read %q, %v; want %q", buf[:n], err, want)
	}
}

func dialCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	t.Cleanup(cancel)
	return ctx
}

func TestPSK(t *testing.T) {
	l, conns := echoServer(t, "udp4", "127.0.0.1:0", &dtls.Config{PSK: pskLookup, PSKIdentity: []byte("iotwire")})
	c, err := dtls.Dial(dialCtx(t), "udp4", l.Addr().String(), &dtls.Config{
		PSK:         func(hint []byte) ([]byte, error) { return keys["device-1"], nil },
		PSKIdentity: []byte("device-1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	roundTrip(t, c, "hello", "device-1:hello")
	if got := c.CipherSuite(); got != dtls.TLS_PSK_WITH_AES_128_CCM_8 {
		t.Errorf("cipher suite %v, want TLS_PSK_WITH_AES_128_CCM_8", got)
	}
	if hint := c.PSKIdentity(); string(hint) != "iotwire" {
		t.Errorf("client sees hint %q", hint)
	}
	sc := <-conns
	if id := sc.PSKIdentity(); string(id) != "device-1" {
		t.Errorf("server sees identity %q", id)
	}
	// Connection ID on by default: the server expects an 8-byte ID that
	// the client sends; the client offered a zero-length one.
	sl, sr := sc.ConnectionIDs()
	cl, cr := c.ConnectionIDs()
	if len(sl) != dtls.DefaultConnectionIDLength || !bytes.Equal(sl, cr) || len(cl) != 0 || len(sr) != 0 {
		t.Errorf("connection IDs: server %x/%x, client %x/%x", sl, sr, cl, cr)
	}

	// Unknown identity and wrong key fail the handshake.
	for _, bad := range []dtls.Config{
		{PSK: func([]byte) ([]byte, error) { return []byte("x"), nil }, PSKIdentity: []byte("nobody")},
		{PSK: func([]byte) ([]byte, error) { return []byte("wrong"), nil }, PSKIdentity: []byte("device-2")},
	} {
		bad.HandshakeTimeout = time.Second
		if c, err := dtls.Dial(dialCtx(t), "udp4", l.Addr().String(), &bad); err == nil {
			c.Close()
			t.Errorf("handshake with identity %q succeeded", bad.PSKIdentity)
		}
	}
}

func TestManyPeers(t *testing.T) {
	l, _ := echoServer(t, "udp4", "127.0.0.1:0", &dtls.Config{PSK: pskLookup})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			id := "device-" + strconv.Itoa(1+i%2)
			c, err := dtls.Dial(dialCtx(t), "udp4", l.Addr().String(), &dtls.Config{
				PSK: func([]byte) ([]byte, error) { return keys[id], nil }, PSKIdentity: []byte(id)})
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			for j := range 3 {
				msg := strconv.Itoa(i) + "." + strconv.Itoa(j)
				c.SetDeadline(time.Now().Add(ioTimeout))
				c.Write([]byte(msg))
				buf := make([]byte, 64)
				n, err := c.Read(buf)
				if err != nil || string(buf[:n]) != id+":"+msg {
					t.Errorf("peer %d: %q, %v", i, buf[:n], err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestCertificates(t *testing.T) {
	ca := transporttest.NewCA(t)
	srvCert, _ := ca.Issue(t, "localhost")
	cliCert, _ := ca.Issue(t, "device-42")
	for _, network := range []string{"udp4", "udp6"} {
		t.Run(network, func(t *testing.T) {
			addr := "127.0.0.1:0"
			if network == "udp6" {
				if c, err := net.ListenPacket("udp6", "[::1]:0"); err != nil {
					t.Skip("no IPv6 loopback")
				} else {
					c.Close()
				}
				addr = "[::1]:0"
			}
			l, conns := echoServer(t, network, addr, &dtls.Config{
				Certificates: []tls.Certificate{srvCert}, ClientCAs: ca.Pool, ClientAuth: dtlsRequireAndVerify,
			})
			c, err := dtls.Dial(dialCtx(t), network, l.Addr().String(), &dtls.Config{
				Certificates: []tls.Certificate{cliCert}, RootCAs: ca.Pool, ServerName: "localhost",
			})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			roundTrip(t, c, "x509", ":x509")
			if got := c.CipherSuite(); got != dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 {
				t.Errorf("cipher suite %v", got)
			}
			sc := <-conns
			if pc := sc.PeerCertificates(); len(pc) != 1 || pc[0].Subject.CommonName != "device-42" {
				t.Errorf("server sees peer certificates %v", pc)
			}
			// A client that does not trust the server's CA fails.
			other := transporttest.NewCA(t)
			if c, err := dtls.Dial(dialCtx(t), network, l.Addr().String(), &dtls.Config{
				Certificates: []tls.Certificate{cliCert}, RootCAs: other.Pool, ServerName: "localhost", HandshakeTimeout: time.Second,
			}); err == nil {
				c.Close()
				t.Error("handshake with an untrusted server succeeded")
			}
		})
	}
}

func TestHandshakeTimeout(t *testing.T) {
	silent, err := udp.Listen(context.Background(), "udp4", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	start := time.Now()
	_, err = dtls.Dial(context.Background(), "udp4", silent.LocalAddrPort().String(), &dtls.Config{
		PSK: pskLookup, PSKIdentity: []byte("device-1"), HandshakeTimeout: 200 * time.Millisecond})
	if err == nil {
		t.Fatal("handshake with a silent peer succeeded")
	}
	if d := time.Since(start); d > ioTimeout {
		t.Errorf("handshake gave up after %v", d)
	}
	// The context bounds it too.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := dtls.Dial(ctx, "udp4", silent.LocalAddrPort().String(), &dtls.Config{PSK: pskLookup, PSKIdentity: []byte("device-1")}); err == nil {
		t.Fatal("handshake past the context succeeded")
	}
}

// TestClientOverUDPConn: the client runs over this module's udp.Conn.
func TestClientOverUDPConn(t *testing.T) {
	l, _ := echoServer(t, "udp4", "127.0.0.1:0", &dtls.Config{PSK: pskLookup})
	pc, err := udp.Listen(context.Background(), "udp4", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := dtls.Client(dialCtx(t), pc, l.Addr(), &dtls.Config{
		PSK: func([]byte) ([]byte, error) { return keys["device-2"], nil }, PSKIdentity: []byte("device-2")})
	if err != nil {
		pc.Close()
		t.Fatal(err)
	}
	defer c.Close()
	roundTrip(t, c, "over udp.Conn", "device-2:over udp.Conn")
}

func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/pion/dtls/v3", "github.com/pion/dtls/v3/pkg/protocol/extension",
		"github.com/pion/dtls/v3/pkg/protocol/handshake", "github.com/iotwire/iotwire/transport",
		"github.com/iotwire/iotwire/transport/udp")
}

// TestNewListenerPSK: PSK handshakes of two peers with a server run by
// NewListener over a udp.Conn and over a net.UDPConn, each peer's identity
// reaching its session.
func TestNewListenerPSK(t *testing.T) {
	for _, kind := range []string{"udp.Conn", "net.UDPConn"} {
		t.Run("socket="+kind, func(t *testing.T) {
			l, conns := echoServerOn(t, kind, &dtls.Config{PSK: pskLookup, PSKIdentity: []byte("iotwire")})
			for _, id := range []string{"device-1", "device-2"} {
				c, err := dtls.Dial(dialCtx(t), "udp4", l.Addr().String(), &dtls.Config{
					PSK: func([]byte) ([]byte, error) { return keys[id], nil }, PSKIdentity: []byte(id)})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				roundTrip(t, c, "hello", id+":hello")
				if hint := c.PSKIdentity(); string(hint) != "iotwire" {
					t.Errorf("client sees hint %q", hint)
				}
				sc := <-conns
				if got := sc.PSKIdentity(); string(got) != id {
					t.Errorf("server sees identity %q, want %q", got, id)
				}
				if sl, _ := sc.ConnectionIDs(); len(sl) != dtls.DefaultConnectionIDLength {
					t.Errorf("server's connection ID %x, want %d bytes", sl, dtls.DefaultConnectionIDLength)
				}
			}
		})
	}
}

// TestNewListenerClose: closing the Listener closes the socket it was
// given once no session remains, and a failed NewListener leaves the
// socket open.
func TestNewListenerClose(t *testing.T) {
	pc, err := udp.Listen(context.Background(), "udp4", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if _, err := dtls.NewListener(pc, &dtls.Config{}); err == nil {
		t.Fatal("NewListener without keys or certificates succeeded")
	}
	if _, err := pc.WriteToAddrPort([]byte("x"), pc.LocalAddrPort()); err != nil {
		t.Fatalf("socket closed by a failed NewListener: %v", err)
	}
	l, err := dtls.NewListener(pc, &dtls.Config{PSK: pskLookup})
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan error, 1)
	go func() {
		_, err := l.Accept()
		accepted <- err
	}()
	if err := l.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := <-accepted; err == nil {
		t.Error("Accept after Close succeeded")
	}
	if _, err := pc.WriteToAddrPort([]byte("x"), pc.LocalAddrPort()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write to the socket after Close: %v, want net.ErrClosed", err)
	}
}
