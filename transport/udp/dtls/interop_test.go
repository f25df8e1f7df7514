package dtls_test

// Interoperability with libcoap's DTLS-capable examples (Debian
// libcoap3-bin: coap-client-openssl and coap-server-openssl, OpenSSL 3):
// coap-client does PSK GET and PUT against a coapmsg server on this
// package's Listener, and this package's client does a PSK GET against
// coap-server. Without the binaries the tests skip, or fail when CI=true.

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/transport/internal/transporttest"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

// coapsServer serves transporttest.Resources over DTLS and records the
// PSK identity and cipher suite of each session.
type coapsServer struct {
	base string // coaps://127.0.0.1:port
	res  transporttest.Resources

	mu                 sync.Mutex
	identities, suites []string
}

func startCoAPS(t *testing.T, cfg *dtls.Config) *coapsServer {
	t.Helper()
	l, err := dtls.Listen(context.Background(), "udp4", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &coapsServer{base: "coaps://" + l.Addr().String()}
	served := make(chan error, 1)
	go func() {
		served <- l.Serve(func(ctx context.Context, c *dtls.Conn) {
			s.mu.Lock()
			s.identities = append(s.identities, string(c.PSKIdentity()))
			s.suites = append(s.suites, c.CipherSuite().String())
			s.mu.Unlock()
			buf := make([]byte, 2048)
			var out []byte
			for {
				c.SetReadDeadline(time.Now().Add(ioTimeout))
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				if out = s.res.Handle(buf[:n], out[:0]); len(out) > 0 {
					c.Write(out)
				}
			}
		})
	}()
	t.Cleanup(func() { l.Close(); <-served })
	return s
}

func (s *coapsServer) seen() (identities, suites []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.identities...), append([]string(nil), s.suites...)
}

func TestInteropLibcoapClientPSK(t *testing.T) {
	bin := transporttest.LibcoapBin(t, "coap-client-openssl")
	psk := []string{"-B", "5", "-u", "device-1", "-k", string(keys["device-1"])}
	t.Run("get-put", func(t *testing.T) {
		s := startCoAPS(t, &dtls.Config{PSK: pskLookup, PSKIdentity: []byte("iotwire")})
		if out, _, st := transporttest.RunLibcoap(t, bin, append(psk, s.base+"/hello")...); st != 0 || out != "world" {
			t.Errorf("PSK GET /hello: %q, status %d", out, st)
		}
		if _, _, st := transporttest.RunLibcoap(t, bin, append(psk, "-m", "put", "-e", "over-dtls", s.base+"/store")...); st != 0 {
			t.Errorf("PSK PUT /store: status %d", st)
		}
		if got := s.res.Stored(); got != "over-dtls" {
			t.Errorf("stored %q", got)
		}
		// A wrong key gets nothing.
		if out, _, _ := transporttest.RunLibcoap(t, bin, "-B", "2", "-u", "device-1", "-k", "wrong", s.base+"/hello"); out == "world" {
			t.Error("GET with a wrong key succeeded")
		}
		ids, suites := s.seen()
		if len(ids) < 2 || ids[0] != "device-1" || ids[1] != "device-1" {
			t.Errorf("server saw PSK identities %q", ids)
		}
		// pion follows the client's order of preference: OpenSSL lists GCM first.
		t.Logf("cipher suites: %q", suites)
	})
	t.Run("ccm8-only", func(t *testing.T) {
		// LwM2M's mandatory suite alone (LwM2M 1.1 transport, section 5.2.8).
		s := startCoAPS(t, &dtls.Config{PSK: pskLookup, CipherSuites: []dtlsCipherSuiteID{dtls.TLS_PSK_WITH_AES_128_CCM_8}})
		if out, _, st := transporttest.RunLibcoap(t, bin, append(psk, s.base+"/hello")...); st != 0 || out != "world" {
			t.Errorf("PSK GET /hello: %q, status %d", out, st)
		}
		if _, suites := s.seen(); len(suites) != 1 || suites[0] != "TLS_PSK_WITH_AES_128_CCM_8" {
			t.Errorf("cipher suites %q, want TLS_PSK_WITH_AES_128_CCM_8", suites)
		}
	})
}

// startCoAPServer starts coap-server-openssl with a PSK on free ports
// (UDP port p, DTLS port p+1) and returns the DTLS address.
func startCoAPServer(t *testing.T, key string) string {
	t.Helper()
	bin := transporttest.LibcoapBin(t, "coap-server-openssl")
	for range 5 {
		// Find p such that p and p+1 are free for UDP.
		a, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := a.LocalAddr().(*net.UDPAddr).Port
		a.Close()
		if p >= 65535 {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		cmd := exec.CommandContext(ctx, bin, "-A", "127.0.0.1", "-p", strconv.Itoa(p), "-k", key, "-h", "libcoap-hint", "-v", "6")
		cmd.WaitDelay = time.Second
		log := new(codectest.LockedBuffer)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// coap-server needs a moment to bind; it exits if a port is taken.
		select {
		case err := <-done:
			cancel()
			t.Logf("coap-server exited (%v), retrying:\n%s", err, log)
			continue
		case <-time.After(300 * time.Millisecond):
		}
		t.Cleanup(func() {
			cancel()
			<-done
			if t.Failed() {
				t.Logf("coap-server log:\n%s", log)
			}
		})
		return "127.0.0.1:" + strconv.Itoa(p+1)
	}
	t.Fatal("coap-server did not start")
	return ""
}

func TestInteropLibcoapServerPSK(t *testing.T) {
	addr := startCoAPServer(t, "libcoap-secret")
	var hint []byte
	c, err := dtls.Dial(dialCtx(t), "udp4", addr, &dtls.Config{
		PSK:         func(h []byte) ([]byte, error) { hint = append([]byte(nil), h...); return []byte("libcoap-secret"), nil },
		PSKIdentity: []byte("iotwire-client"),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t.Logf("cipher suite %v, hint %q", c.CipherSuite(), hint)
	if string(hint) != "libcoap-hint" {
		t.Errorf("server hint %q, want libcoap-hint", hint)
	}
	var req coapmsg.Message
	req.Type, req.Code, req.MessageID, req.Token = coapmsg.Confirmable, coapmsg.GET, 0x1234, []byte{0xca, 0xfe}
	b, err := req.AppendBinary(nil) // GET / : libcoap's index resource
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2048)
	for attempt := 0; ; attempt++ {
		c.SetDeadline(time.Now().Add(time.Second))
		if _, err := c.Write(b); err != nil {
			t.Fatal(err)
		}
		n, err := c.Read(buf)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && attempt < 3 {
			continue // CON retransmission (RFC 7252 4.2)
		}
		if err != nil {
			t.Fatal(err)
		}
		var resp coapmsg.Message
		if _, err := resp.Decode(buf[:n]); err != nil {
			t.Fatalf("decode % x: %v", buf[:n], err)
		}
		if resp.Type != coapmsg.Acknowledgement || resp.MessageID != 0x1234 || resp.Code != coapmsg.Content || string(resp.Token) != "\xca\xfe" {
			t.Fatalf("response %v %v mid %#x token %x", resp.Type, resp.Code, resp.MessageID, resp.Token)
		}
		if !strings.Contains(string(resp.Payload), "libcoap") {
			t.Errorf("payload %q", resp.Payload)
		}
		return
	}
}
