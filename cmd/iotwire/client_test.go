package main

// Tests of iotwire coap and iotwire mqtt against real peers on loopback:
// libcoap's coap-server-notls (UDP and TCP on one port), mosquitto (TCP
// and WebSocket listeners), and in-process servers of our own transports
// for DTLS with a pre-shared key and CoAP over TLS. A missing peer skips
// its test, or fails it when CI=true (codectest.LookTool).

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/transport/tcp"
	"github.com/iotwire/iotwire/transport/udp/dtls"
	"github.com/iotwire/iotwire/transport/ws"
)

const peerTimeout = 10 * time.Second

func freePort(t *testing.T, network string) string {
	t.Helper()
	var addr net.Addr
	if network == "udp" {
		c, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		addr = c.LocalAddr()
	} else {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		addr = ln.Addr()
	}
	_, port, _ := net.SplitHostPort(addr.String())
	return port
}

// startProcess starts bin; it is killed when the test ends.
func startProcess(t *testing.T, bin string, args ...string) *codectest.LockedBuffer {
	t.Helper()
	log := new(codectest.LockedBuffer)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("%s output:\n%s", filepath.Base(bin), log)
		}
	})
	return log
}

// waitTCP waits until addr accepts TCP connections.
func waitTCP(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(peerTimeout)
	for {
		c, err := net.DialTimeout("tcp4", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not accepting: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startLibcoap runs coap-server-notls on a free port (UDP and TCP) and
// returns "127.0.0.1:port".
func startLibcoap(t *testing.T) string {
	t.Helper()
	bin := codectest.LookTool(t, "coap-server-notls", "/usr/bin/coap-server-notls", "/usr/local/bin/coap-server-notls")
	port := freePort(t, "tcp")
	startProcess(t, bin, "-A", "127.0.0.1", "-p", port, "-v", "3")
	addr := "127.0.0.1:" + port
	waitTCP(t, addr) // the TCP listener opens with the UDP one
	return addr
}

func TestCoAPClientLibcoap(t *testing.T) {
	addr := startLibcoap(t)
	for _, scheme := range []string{"coap", "coap+tcp"} {
		t.Run("scheme="+scheme, func(t *testing.T) {
			base := scheme + "://" + addr
			// PUT then GET of libcoap's writable resource.
			body := "iotwire " + scheme
			if out, errOut, code := runCmd(t, "", "coap", "put", base+"/example_data", "--payload", body, "--content-format", "text"); code != 0 {
				t.Fatalf("put: status %d, %q %q", code, out, errOut)
			}
			out, errOut, code := runCmd(t, "", "coap", "get", base+"/example_data")
			if code != 0 || out != body+"\n" {
				t.Fatalf("get: status %d, %q %q", code, out, errOut)
			}
			// --json follows the decode contract.
			out, errOut, code = runCmd(t, "", "coap", "get", "--json", base+"/example_data")
			var obj map[string]any
			if code != 0 || json.Unmarshal([]byte(out), &obj) != nil {
				t.Fatalf("get --json: status %d, %q %q", code, out, errOut)
			}
			if obj["code"] != "2.05" || obj["payload"] != hexOf(body) {
				t.Errorf("get --json: %s", out)
			}
			if _, hasType := obj["type"]; hasType == (scheme == "coap+tcp") {
				t.Errorf("get --json over %s: %s", scheme, out)
			}
			// An error response is a clear sentence and status 1.
			_, errOut, code = runCmd(t, "", "coap", "get", base+"/no/such/thing")
			if want := "iotwire: coap get " + base + "/no/such/thing: server answered 4.04 Not Found\n"; code != 1 || errOut != want {
				t.Errorf("not found: status %d, %q, want %q", code, errOut, want)
			}
			// Observe: the first response and one notification (/time
			// changes every second).
			out, errOut, code = runCmd(t, "", "coap", "observe", base+"/time", "--count", "2")
			if lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); code != 0 || len(lines) != 2 || lines[0] == "" {
				t.Errorf("observe: status %d, %q %q", code, out, errOut)
			}
		})
	}
}

func hexOf(s string) string {
	const digits = "0123456789abcdef"
	var b []byte
	for i := 0; i < len(s); i++ {
		b = append(b, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(b)
}

// TestCoAPClientBlock2 fetches a body larger than one block: libcoap's
// client uploads it block-wise (Block1), ours reads it back (Block2).
func TestCoAPClientBlock2(t *testing.T) {
	addr := startLibcoap(t)
	client := codectest.LookTool(t, "coap-client-notls", "/usr/bin/coap-client-notls", "/usr/local/bin/coap-client-notls")
	body := strings.Repeat("0123456789abcdef", 250) // 4000 bytes
	file := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
	defer cancel()
	if out, err := exec.CommandContext(ctx, client, "-m", "put", "-b", "256", "-f", file, "coap://"+addr+"/example_data").CombinedOutput(); err != nil {
		t.Fatalf("coap-client put: %v\n%s", err, out)
	}
	for _, scheme := range []string{"coap", "coap+tcp"} {
		out, errOut, code := runCmd(t, "", "coap", "get", scheme+"://"+addr+"/example_data")
		if code != 0 || out != body+"\n" {
			t.Errorf("%s: status %d, %d bytes, %q", scheme, code, len(out), errOut)
		}
		out, _, code = runCmd(t, "", "coap", "get", "--json", scheme+"://"+addr+"/example_data")
		if code != 0 || !strings.Contains(out, `"payload":"`+hexOf(body)+`"`) || strings.Contains(out, `"Block2"`) {
			t.Errorf("%s --json: status %d, %.200s", scheme, code, out)
		}
	}
}

// TestCoAPClientTimeout: a server that never answers gets the first
// transmission and 4 retransmissions (RFC 7252 4.2), then a clear error.
func TestCoAPClientTimeout(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	got := make(chan int, 1)
	go func() {
		n := 0
		buf := make([]byte, 2048)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				got <- n
				return
			}
			n++
		}
	}()
	uri := "coap://" + pc.LocalAddr().String() + "/3/0"
	_, errOut, code := runCmd(t, "", "coap", "get", uri, "--timeout", "20ms")
	if want := "iotwire: coap get " + uri + ": no answer after 4 retransmissions (timeout 20ms)\n"; code != 1 || errOut != want {
		t.Errorf("status %d, %q, want %q", code, errOut, want)
	}
	pc.Close()
	if n := <-got; n != 5 {
		t.Errorf("%d transmissions, want 5", n)
	}
}

// coapHello answers GET /hello with 2.05 "world" and anything else with
// 4.04; m is the decoded request.
func coapHello(m *coapmsg.Message) *coapmsg.Message {
	resp := &coapmsg.Message{Type: coapmsg.Acknowledgement, MessageID: m.MessageID, Token: m.Token, Code: coapmsg.NotFound}
	if string(m.AppendPath(nil)) == "/hello" && m.Code == coapmsg.GET {
		resp.Code, resp.Payload = coapmsg.Content, []byte("world")
	}
	return resp
}

// TestCoAPClientDTLS: a PSK GET against our own DTLS server.
func TestCoAPClientDTLS(t *testing.T) {
	key := []byte("secret-key-16byt")
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
	defer cancel()
	l, err := dtls.Listen(ctx, "udp4", "127.0.0.1:0", &dtls.Config{PSK: func(id []byte) ([]byte, error) {
		if string(id) != "device-1" {
			return nil, errors.New("unknown identity")
		}
		return key, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go l.Serve(func(ctx context.Context, c *dtls.Conn) {
		buf := make([]byte, 2048)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			var m coapmsg.Message
			if _, err := m.Decode(buf[:n]); err != nil {
				continue
			}
			out, _ := coapHello(&m).AppendBinary(nil)
			c.Write(out)
		}
	})
	uri := "coaps://" + l.Addr().String() + "/hello"
	out, errOut, code := runCmd(t, "", "coap", "get", uri, "--psk-identity", "device-1", "--psk-key", "0x"+hexOf(string(key)))
	if code != 0 || out != "world\n" {
		t.Errorf("get: status %d, %q %q", code, out, errOut)
	}
	out, errOut, code = runCmd(t, "", "coap", "get", uri, "--psk-identity", "device-2", "--psk-key", string(key), "--timeout", "200ms")
	if code != 1 || !strings.Contains(errOut, "DTLS handshake with") {
		t.Errorf("unknown identity: status %d, %q %q", code, out, errOut)
	}
}

// selfSigned returns a certificate for 127.0.0.1 and its PEM file.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "iotwire test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, file
}

// TestCoAPClientTLS: coaps+tcp against our own TLS server, with --ca,
// without it (refused) and with --insecure.
func TestCoAPClientTLS(t *testing.T) {
	cert, caFile := selfSigned(t)
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
	defer cancel()
	l, err := tcp.Listen(ctx, "tcp4", "127.0.0.1:0", &tcp.ListenOptions{TLS: &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"coap"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go l.Serve(func(ctx context.Context, c net.Conn) {
		m := tcp.NewCoAP(c, &tcp.Options{ReadTimeout: peerTimeout})
		var in coapmsg.Message
		for {
			b, err := m.Next()
			if err != nil {
				return
			}
			if _, err := in.DecodeTCP(b); err != nil {
				return
			}
			if in.Code == coapmsg.CSM {
				var csm coapmsg.Message
				csm.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 1152})
				m.WriteMessage(&csm)
				continue
			}
			m.WriteMessage(coapHello(&in))
		}
	})
	uri := "coaps+tcp://" + l.Addr().String() + "/hello"
	out, errOut, code := runCmd(t, "", "coap", "get", uri, "--ca", caFile)
	if code != 0 || out != "world\n" {
		t.Errorf("--ca: status %d, %q %q", code, out, errOut)
	}
	if _, errOut, code = runCmd(t, "", "coap", "get", uri); code != 1 || !strings.Contains(errOut, "certificate") {
		t.Errorf("unknown CA: status %d, %q", code, errOut)
	}
	if out, errOut, code = runCmd(t, "", "coap", "get", uri, "--insecure", "--json"); code != 0 || !strings.Contains(out, `"payload":"776f726c64"`) {
		t.Errorf("--insecure: status %d, %q %q", code, out, errOut)
	}
}

func TestCoAPClientUsage(t *testing.T) {
	for _, args := range [][]string{
		{"coap"},
		{"coap", "fetch", "coap://h/"},
		{"coap", "get"},
		{"coap", "get", "http://h/"},
		{"coap", "get", "coap:///x"},
		{"coap", "get", "coap://h/", "--payload", "x"},
		{"coap", "put", "coap://h/", "--payload", "x", "--payload-file", "f"},
		{"coap", "get", "coap://h/", "--accept", "nonsense"},
		{"coap", "get", "coap://h/", "--timeout", "0s"},
	} {
		if _, errOut, code := runCmd(t, "", args...); code != 2 || !strings.HasPrefix(errOut, "iotwire: coap") {
			t.Errorf("%q: status %d, %q", args, code, errOut)
		}
	}
}

// startMosquitto runs mosquitto with a TCP and a websockets listener (a
// websockets listener alone makes mosquitto 2.0.11 exit) and returns their
// addresses.
func startMosquitto(t *testing.T) (plain, ws string) {
	t.Helper()
	bin := codectest.LookTool(t, "mosquitto", "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	p1, p2 := freePort(t, "tcp"), freePort(t, "tcp")
	conf := "per_listener_settings false\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type all\n" +
		"listener " + p1 + " 127.0.0.1\nlistener " + p2 + " 127.0.0.1\nprotocol websockets\n"
	path := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	startProcess(t, bin, "-c", path)
	plain, ws = "127.0.0.1:"+p1, "127.0.0.1:"+p2
	waitTCP(t, plain)
	waitTCP(t, ws)
	return plain, ws
}

func TestMQTTClientMosquitto(t *testing.T) {
	plain, ws := startMosquitto(t)
	for _, c := range []struct {
		version, sub, pub string
	}{
		{"3.1.1", "ws://" + ws, "mqtt://" + plain},
		{"5", "mqtt://" + plain, "ws://" + ws + "/mqtt"},
	} {
		t.Run("v="+c.version, func(t *testing.T) {
			topic := "iw/" + c.version + "/" + strconv.Itoa(int(time.Now().UnixNano()%1e6))
			var out, errOut codectest.LockedBuffer
			done := make(chan int, 1)
			go func() {
				done <- run([]string{"mqtt", "sub", c.sub, "-t", topic + "/#", "--qos", "2", "--version", c.version, "--json", "--count", "3"}, nil, &out, &errOut)
			}()
			deadline := time.Now().Add(peerTimeout)
			for !strings.Contains(out.String(), `"SUBACK"`) {
				if time.Now().After(deadline) {
					t.Fatalf("no SUBACK: %q %q", out.String(), errOut.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			for qos, msg := range []string{"zero", "one", "two"} {
				o, e, code := runCmd(t, "", "mqtt", "pub", c.pub, "-t", topic+"/"+msg, "-m", msg, "--qos", strconv.Itoa(qos), "--version", c.version)
				if code != 0 || o != "" {
					t.Fatalf("pub QoS %d: status %d, %q %q", qos, code, o, e)
				}
			}
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("sub: status %d, %q", code, errOut.String())
				}
			case <-time.After(peerTimeout):
				t.Fatal("sub did not end")
			}
			var publishes []map[string]any
			for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				var obj map[string]any
				if err := json.Unmarshal([]byte(line), &obj); err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				if obj["type"] == "PUBLISH" {
					publishes = append(publishes, obj)
				}
			}
			if len(publishes) != 3 {
				t.Fatalf("%d PUBLISH objects:\n%s", len(publishes), out.String())
			}
			for i, msg := range []string{"zero", "one", "two"} {
				p := publishes[i]
				if p["topic"] != topic+"/"+msg || p["payload"] != hexOf(msg) || p["qos"] != float64(i) {
					t.Errorf("PUBLISH %d: %v", i, p)
				}
			}
		})
	}
	// Plain output: the payloads, one a line; -v adds the topic.
	var out, errOut codectest.LockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"mqtt", "sub", "ws://" + ws, "-t", "iw/plain", "-t", "iw/plain2", "-v", "--count", "1", "--qos", "1"}, nil, &out, &errOut)
	}()
	// No --json: poll with retained messages instead of SUBACK.
	o, e, code := runCmd(t, "", "mqtt", "pub", "mqtt://"+plain, "-t", "iw/plain2", "-m", "hello", "--retain", "--qos", "1")
	if code != 0 {
		t.Fatalf("pub: %d %q %q", code, o, e)
	}
	select {
	case code := <-done:
		if code != 0 || out.String() != "iw/plain2 hello\n" {
			t.Errorf("sub -v: status %d, %q %q", code, out.String(), errOut.String())
		}
	case <-time.After(peerTimeout):
		t.Fatal("sub did not end")
	}
	runCmd(t, "", "mqtt", "pub", "mqtt://"+plain, "-t", "iw/plain2", "--retain") // clear the retained message
}

func TestMQTTClientErrors(t *testing.T) {
	port := freePort(t, "tcp")
	_, errOut, code := runCmd(t, "", "mqtt", "pub", "mqtt://127.0.0.1:"+port, "-t", "x", "-m", "y")
	if want := "iotwire: mqtt pub mqtt://127.0.0.1:" + port + ": cannot connect to 127.0.0.1:" + port + ": connection refused\n"; code != 1 || errOut != want {
		t.Errorf("refused: status %d, %q, want %q", code, errOut, want)
	}
	for _, args := range [][]string{
		{"mqtt"},
		{"mqtt", "get", "mqtt://h"},
		{"mqtt", "pub", "mqtt://h"},
		{"mqtt", "pub", "mqtt://h", "-t", "a/#"},
		{"mqtt", "sub", "mqtt://h", "-t", "a/#/b"},
		{"mqtt", "sub", "mqtt://h", "-t", "a", "--qos", "3"},
		{"mqtt", "sub", "mqtt://h", "-t", "a", "--version", "4.0"},
	} {
		if _, errOut, code := runCmd(t, "", args...); code != 2 || !strings.HasPrefix(errOut, "iotwire: mqtt") {
			t.Errorf("%q: status %d, %q", args, code, errOut)
		}
	}
	_, errOut, code = runCmd(t, "", "mqtt", "pub", "http://h", "-t", "a")
	if code != 1 || !strings.Contains(errOut, "the scheme must be mqtt, mqtts, ws or wss") {
		t.Errorf("bad scheme: %d %q", code, errOut)
	}
}

// TestMQTTClientSilentBroker: a broker that accepts the connection and never
// answers; --timeout bounds the wait for CONNACK even with keep alive on (it
// used to be the framer's idle timeout, twice the keep alive, that won).
func TestMQTTClientSilentBroker(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent: read nothing, answer nothing
		}
	}()
	done := make(chan struct{})
	var errOut string
	var code int
	go func() {
		defer close(done)
		_, errOut, code = runCmd(t, "", "mqtt", "pub", "mqtt://"+l.Addr().String(), "-t", "x", "-m", "y", "--timeout", "300ms", "--keepalive", "60")
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("--timeout 300ms not honoured: still waiting after 60 s")
	}
	if code != 1 || !strings.Contains(errOut, "no answer from the broker within 300ms") {
		t.Errorf("status %d, %q", code, errOut)
	}
}

// TestCoAPClientBlock1: a put of 4000 bytes goes to libcoap's server in
// Block1 blocks (RFC 7959 2.5), and reads back whole with Block2.
func TestCoAPClientBlock1(t *testing.T) {
	addr := startLibcoap(t)
	body := strings.Repeat("fedcba9876543210", 250) // 4000 bytes
	file := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, size := range []string{"256", "1024"} {
		uri := "coap://" + addr + "/example_data"
		out, errOut, code := runCmd(t, "", "coap", "put", uri, "--payload-file", file, "--block-size", size)
		if code != 0 {
			t.Fatalf("put --block-size %s: status %d, %q %q", size, code, out, errOut)
		}
		out, errOut, code = runCmd(t, "", "coap", "get", uri)
		if code != 0 || out != body+"\n" {
			t.Errorf("get after put --block-size %s: status %d, %d bytes, %q", size, code, len(out), errOut)
		}
	}
	if _, errOut, code := runCmd(t, "", "coap", "put", "coap://"+addr+"/example_data", "--payload", "x", "--block-size", "100"); code != 2 || !strings.Contains(errOut, "--block-size must be") {
		t.Errorf("--block-size 100: status %d, %q", code, errOut)
	}
}

// TestCoAPClientBlock1Sizes: the blocks arrive in order with Size1 on the
// first, and a server that asks for smaller blocks in its 2.31 Continue
// gets them from the next block on (RFC 7959 2.5).
func TestCoAPClientBlock1Sizes(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	type seen struct {
		num   uint32
		szx   uint8
		n     int
		size1 bool
	}
	got := make(chan []seen, 1)
	var body []byte
	go func() {
		var blocks []seen
		buf := make([]byte, 4096)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var m coapmsg.Message
			if _, err := m.Decode(buf[:n]); err != nil {
				continue
			}
			blk, ok, _ := m.Block1(false)
			_, hasSize1 := m.Uint(coapmsg.Size1)
			resp := &coapmsg.Message{Type: coapmsg.Acknowledgement, MessageID: m.MessageID, Token: m.Token, Code: coapmsg.Changed}
			if ok {
				blocks = append(blocks, seen{blk.Num, blk.SZX, len(m.Payload), hasSize1})
				body = append(body, m.Payload...)
				if blk.More {
					ack := blk
					if ack.SZX > 4 {
						ack.SZX = 4 // ask for 256-byte blocks
					}
					resp.Code = coapmsg.Continue
					resp.SetBlock1(ack)
				}
			}
			out, _ := resp.AppendBinary(nil)
			pc.WriteTo(out, from)
			if ok && !blk.More {
				got <- blocks
				return
			}
		}
	}()
	payload := strings.Repeat("0123456789abcdef", 150) // 2400 bytes
	out, errOut, code := runCmd(t, "", "coap", "post", "coap://"+pc.LocalAddr().String()+"/fw", "--payload", payload)
	if code != 0 {
		t.Fatalf("post: status %d, %q %q", code, out, errOut)
	}
	blocks := <-got
	// 1024 bytes first, then 256-byte blocks from offset 1024 (NUM 4).
	want := []seen{{0, 6, 1024, true}, {4, 4, 256, false}, {5, 4, 256, false}, {6, 4, 256, false}, {7, 4, 256, false}, {8, 4, 256, false}, {9, 4, 96, false}}
	if len(blocks) != len(want) {
		t.Fatalf("blocks %+v, want %+v", blocks, want)
	}
	for i := range want {
		if blocks[i] != want[i] {
			t.Errorf("block %d: %+v, want %+v", i, blocks[i], want[i])
		}
	}
	if string(body) != payload {
		t.Error("the server got another body")
	}
}

// TestCoAPClientWS: coap+ws:// (RFC 8323 section 4) against a CoAP over
// WebSocket endpoint at /.well-known/coap built on transport/ws.
func TestCoAPClientWS(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle(ws.WellKnownCoAP, ws.CoAPHandler(nil, nil, func(ctx context.Context, c *ws.CoAPConn) {
		var in coapmsg.Message
		for {
			b, err := c.Next()
			if err != nil {
				return
			}
			if _, err := in.DecodeWS(b); err != nil {
				return
			}
			if in.Code == coapmsg.CSM {
				var csm coapmsg.Message
				csm.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 1152})
				c.WriteMessage(&csm)
				continue
			}
			resp := coapHello(&in)
			resp.Type, resp.MessageID = 0, 0 // no type or message ID over WebSocket
			if err := c.WriteMessage(resp); err != nil {
				return
			}
		}
	}))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	out, errOut, code := runCmd(t, "", "coap", "get", "coap+ws://"+host+"/hello")
	if code != 0 || out != "world\n" {
		t.Errorf("get: status %d, %q %q", code, out, errOut)
	}
	out, errOut, code = runCmd(t, "", "coap", "get", "--json", "coap+ws://"+host+"/nothing")
	if code != 1 || !strings.Contains(out, `"code":"4.04"`) {
		t.Errorf("get /nothing: status %d, %q %q", code, out, errOut)
	}
	_, errOut, code = runCmd(t, "", "coap", "get", "coap+ws://127.0.0.1:1/hello")
	if code != 1 || !strings.Contains(errOut, "cannot open the WebSocket") {
		t.Errorf("nothing listening: status %d, %q", code, errOut)
	}
}
