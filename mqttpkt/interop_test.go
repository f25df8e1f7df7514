package mqttpkt_test

// Interoperability tests against a real broker: each test starts its own
// mosquitto (https://mosquitto.org) on a free 127.0.0.1 port and talks to it
// over raw TCP with mqttpkt alone, as MQTT 3.1.1 and MQTT 5.0 clients.
// Every packet the broker sends must decode, and re-encode to Len() bytes.
//
// Without a mosquitto binary the tests skip, or fail when CI=true.
//
// With IOTWIRE_CAPTURE_DIR set, every packet read from the broker is also
// written there as a seed for the differential fuzz targets, in Go's fuzz
// corpus format: DIR/mqtt-v5/<TYPE>-<sha256 prefix> (and mqtt-v311).
// fuzz/captures.sh runs these tests that way and copies a few seeds of each
// packet type into fuzz/testdata/fuzz (see fuzz/README.md).
// To add a case: start a broker with startMosquitto, open clients with
// newClient (CONNECT and CONNACK done) or dialBroker (raw), and drive the
// flow with send, recv/recvAs, expectSilence and expectClosed. Give each
// subtest its own topics (prefix) so parallel subtests on one broker do
// not see each other's messages.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/mqttpkt"
)

const (
	ioTimeout     = 3 * time.Second        // any single read or write
	silenceWindow = 200 * time.Millisecond // how long "nothing arrives" is watched
	startTimeout  = 5 * time.Second        // broker start-up
)

// lookTool finds a peer program; see codectest.LookTool.
func lookTool(t *testing.T, name string, paths ...string) string {
	t.Helper()
	return codectest.LookTool(t, name, paths...)
}

// lockedBuffer collects the broker's log.
type lockedBuffer = codectest.LockedBuffer

// brokerStartMu serialises "pick a free port, start mosquitto, wait for it"
// so that parallel tests of this package never race for one port.
var brokerStartMu sync.Mutex

// broker is a running mosquitto.
type broker struct {
	addr string        // 127.0.0.1:port
	log  *lockedBuffer // its stderr
}

// startMosquitto starts a broker for the test. The broker is killed when
// the test ends; its log is printed if the test failed.
func startMosquitto(t *testing.T) *broker {
	t.Helper()
	bin := lookTool(t, "mosquitto", "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
	dir := t.TempDir()
	var errs []error
	for attempt := range 3 {
		b, err := tryStartMosquitto(t, bin, filepath.Join(dir, "mosquitto"+strconv.Itoa(attempt)+".conf"))
		if err == nil {
			return b
		}
		errs = append(errs, err)
	}
	t.Fatalf("mosquitto did not start: %v", errors.Join(errs...))
	return nil
}

// waitLog waits until the broker's log contains s: the log is how the test
// sees what mosquitto made of a packet it does not echo.
func (b *broker) waitLog(t *testing.T, s string) {
	t.Helper()
	for deadline := time.Now().Add(ioTimeout); !strings.Contains(b.log.String(), s); {
		if time.Now().After(deadline) {
			t.Errorf("mosquitto log lacks %q", s)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tryStartMosquitto(t *testing.T, bin, conf string) (*broker, error) {
	brokerStartMu.Lock()
	defer brokerStartMu.Unlock()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(addr)
	cfg := "listener " + port + " 127.0.0.1\n" +
		"allow_anonymous true\n" +
		"persistence false\n" +
		"log_dest stderr\n" +
		"log_type all\n"
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	log := new(lockedBuffer)
	cmd := exec.Command(bin, "-c", conf)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-done
	}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case err := <-done:
			return nil, fmt.Errorf("mosquitto exited: %v; log:\n%s", err, log)
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("%s not accepting after %v: %v; log:\n%s", addr, startTimeout, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("mosquitto on %s, log:\n%s", addr, log)
		}
	})
	return &broker{addr, log}, nil
}

// clientSeq makes client identifiers unique across the package's tests.
var clientSeq atomic.Uint64

func clientID(role string) string {
	return "iw" + strconv.FormatUint(clientSeq.Add(1), 10) + "-" + role
}

// mqttClient is a bare MQTT client: raw net.Conn, mqttpkt.Reader, mqttpkt codecs.
// It is used from the test goroutine only.
type mqttClient struct {
	t     *testing.T
	name  string
	v     mqttpkt.Version
	conn  net.Conn
	r     *mqttpkt.Reader
	wbuf  []byte
	trace []string // "-> TYPE hex" and "<- TYPE hex", printed if the test fails
}

// dialBroker opens a TCP connection to the broker; no CONNECT is sent.
func dialBroker(t *testing.T, addr string, v mqttpkt.Version, name string) *mqttClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatalf("%s: dial %s: %v", name, addr, err)
	}
	c := &mqttClient{t: t, name: name, v: v, conn: conn, r: mqttpkt.NewReader(conn, 0)}
	t.Cleanup(func() {
		conn.Close()
		if t.Failed() && len(c.trace) > 0 {
			t.Logf("client %s (MQTT %v) trace:\n\t%s", c.name, c.v, strings.Join(c.trace, "\n\t"))
		}
	})
	return c
}

func hexTrace(dir string, typ mqttpkt.PacketType, b []byte) string {
	const max = 96
	s := fmt.Sprintf("% x", b[:min(len(b), max)])
	if len(b) > max {
		s += " ..."
	}
	return dir + " " + typ.String() + " " + s
}

// send encodes p with AppendBinary and writes it.
func (c *mqttClient) send(p mqttpkt.Packet) {
	c.t.Helper()
	b, err := p.AppendBinary(c.wbuf[:0])
	if err != nil {
		c.t.Fatalf("%s: encode %v: %v", c.name, p.PacketType(), err)
	}
	if len(b) != p.Len() {
		c.t.Errorf("%s: encoded %v is %d bytes, Len() = %d", c.name, p.PacketType(), len(b), p.Len())
	}
	c.wbuf = b
	c.trace = append(c.trace, hexTrace("->", p.PacketType(), b))
	c.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatalf("%s: write %v: %v", c.name, p.PacketType(), err)
	}
}

// recv reads and decodes the next packet. The packet owns its bytes.
func (c *mqttClient) recv() mqttpkt.Packet {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(ioTimeout))
	h, b, err := c.r.Next()
	if err != nil {
		c.t.Fatalf("%s: reading a packet: %v", c.name, err)
	}
	return c.decode(h, b)
}

func (c *mqttClient) decode(h mqttpkt.FixedHeader, b []byte) mqttpkt.Packet {
	c.t.Helper()
	b = bytes.Clone(b) // keep the packet valid after the next read
	capturePacket(c.t, c.v, h.Type, b)
	c.trace = append(c.trace, hexTrace("<-", h.Type, b))
	p, n, err := mqttpkt.Decode(b, c.v)
	if err != nil {
		c.t.Fatalf("%s: decoding %v from the broker (% x): %v", c.name, h.Type, b, err)
	}
	if n != len(b) {
		c.t.Errorf("%s: decoding %v consumed %d of %d bytes", c.name, h.Type, n, len(b))
	}
	// What we decoded must encode again, to exactly Len() bytes, and decode
	// to the same packet type.
	out, err := p.AppendBinary(nil)
	switch {
	case err != nil:
		c.t.Errorf("%s: re-encoding %v received as % x: %v", c.name, h.Type, b, err)
	case len(out) != p.Len():
		c.t.Errorf("%s: re-encoded %v is %d bytes, Len() = %d", c.name, h.Type, len(out), p.Len())
	case c.v != mqttpkt.V5 && !bytes.Equal(out, b):
		// Without properties the encoding is canonical: what we decode must
		// re-encode to the same bytes. (MQTT 5.0 may differ in property order.)
		c.t.Errorf("%s: %v received as % x re-encodes to % x", c.name, h.Type, b, out)
	default:
		if q, _, err := mqttpkt.Decode(out, c.v); err != nil || q.PacketType() != p.PacketType() {
			c.t.Errorf("%s: re-encoded %v (% x) does not decode: %v", c.name, h.Type, out, err)
		}
	}
	return p
}

// capturePacket writes packet b, read from the broker in a session of
// version v, under IOTWIRE_CAPTURE_DIR if it is set (MQTT 3.1.1 and 5.0
// only: the fuzz targets have no MQTT 3.1 mode). One file per distinct
// packet, named after its type and content.
func capturePacket(t *testing.T, v mqttpkt.Version, typ mqttpkt.PacketType, b []byte) {
	dir := os.Getenv("IOTWIRE_CAPTURE_DIR")
	if dir == "" || (v != mqttpkt.V311 && v != mqttpkt.V5) {
		return
	}
	kind := "mqtt-v5"
	if v == mqttpkt.V311 {
		kind = "mqtt-v311"
	}
	sum := sha256.Sum256(b)
	name := filepath.Join(dir, kind, typ.String()+"-"+hex.EncodeToString(sum[:8]))
	if err := writeCorpusFile(name, b); err != nil {
		t.Errorf("IOTWIRE_CAPTURE_DIR: %v", err)
	}
}

// writeCorpusFile writes b to name as a Go fuzz corpus file of one []byte
// argument, through a temporary file, so that parallel tests writing the
// same packet never leave a partial file.
func writeCorpusFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".capture-*")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "go test fuzz v1\n[]byte(%q)\n", b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// recvAs reads the next packet and requires it to be a T.
func recvAs[T mqttpkt.Packet](c *mqttClient) T {
	c.t.Helper()
	p := c.recv()
	q, ok := p.(T)
	if !ok {
		c.t.Fatalf("%s: got %v, want %T", c.name, p.PacketType(), q)
	}
	return q
}

// recvAck reads the next packet and requires a PUBACK, PUBREC, PUBREL or
// PUBCOMP of the given type and packet identifier.
func (c *mqttClient) recvAck(typ mqttpkt.PacketType, id uint16) *mqttpkt.Ack {
	c.t.Helper()
	a := recvAs[*mqttpkt.Ack](c)
	if a.Type != typ || a.PacketID != id {
		c.t.Fatalf("%s: got %v id %d, want %v id %d", c.name, a.Type, a.PacketID, typ, id)
	}
	if a.Version != c.v {
		c.t.Errorf("%s: %v Version = %v, want %v", c.name, typ, a.Version, c.v)
	}
	return a
}

// expectSilence checks that no packet arrives within silenceWindow.
func (c *mqttClient) expectSilence(why string) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(silenceWindow))
	h, b, err := c.r.Next()
	if err == nil {
		p := c.decode(h, b)
		c.t.Fatalf("%s: %s: got %v %s, want nothing", c.name, why, h.Type, describe(p))
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		c.t.Fatalf("%s: %s: waiting for silence: %v", c.name, why, err)
	}
}

// expectClosed checks that the broker closes the connection without sending anything.
func (c *mqttClient) expectClosed() {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(ioTimeout))
	h, b, err := c.r.Next()
	if err == nil {
		p := c.decode(h, b)
		c.t.Fatalf("%s: got %v %s, want the broker to close the connection", c.name, h.Type, describe(p))
	}
	if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		c.t.Fatalf("%s: got %v, want the broker to close the connection", c.name, err)
	}
}

// expectServerDisconnect checks that the broker closes the connection,
// after an MQTT 5.0 DISCONNECT with one of the given reason codes if it
// sends one (section 4.13: the DISCONNECT is optional).
func (c *mqttClient) expectServerDisconnect(codes ...mqttpkt.ReasonCode) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(ioTimeout))
	h, b, err := c.r.Next()
	if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
			c.t.Fatalf("%s: got %v, want a DISCONNECT or the connection closed", c.name, err)
		}
		return
	}
	p := c.decode(h, b)
	d, ok := p.(*mqttpkt.Disconnect)
	if !ok || c.v != mqttpkt.V5 {
		c.t.Fatalf("%s: got %v %s, want the connection closed", c.name, h.Type, describe(p))
	}
	if !slices.Contains(codes, d.ReasonCode) {
		c.t.Errorf("%s: DISCONNECT reason code %#02x %v, want one of % x", c.name, uint8(d.ReasonCode), d.ReasonCode, codes)
	}
	c.t.Logf("%s: broker sent DISCONNECT %#02x %v", c.name, uint8(d.ReasonCode), d.ReasonCode)
	c.expectClosed()
}

// sync sends PINGREQ and requires PINGRESP as the very next packet: the
// broker has nothing else queued for this client.
func (c *mqttClient) sync() {
	c.t.Helper()
	c.send(&mqttpkt.Pingreq{})
	recvAs[*mqttpkt.Pingresp](c)
}

func describe(p mqttpkt.Packet) string {
	if pub, ok := p.(*mqttpkt.Publish); ok {
		return fmt.Sprintf("topic %q payload %q QoS %d retain %v", pub.Topic, pub.Payload, pub.QoS, pub.Retain)
	}
	return ""
}

// connect sends p (its Version set to the client's) and requires a
// successful CONNACK.
func (c *mqttClient) connect(p *mqttpkt.Connect) *mqttpkt.Connack {
	c.t.Helper()
	p.Version = c.v
	c.send(p)
	ack := recvAs[*mqttpkt.Connack](c)
	if ack.ReasonCode != mqttpkt.Success {
		c.t.Fatalf("%s: CONNACK reason code %#02x %s, want 0x00", c.name, uint8(ack.ReasonCode), ack.ReasonCode.Name(mqttpkt.TypeConnack, c.v))
	}
	if ack.Version != c.v {
		c.t.Errorf("%s: CONNACK Version = %v, want %v", c.name, ack.Version, c.v)
	}
	return ack
}

// newClient connects a clean-session client with a unique identifier.
func newClient(t *testing.T, addr string, v mqttpkt.Version, role string) *mqttClient {
	t.Helper()
	id := clientID(role)
	c := dialBroker(t, addr, v, id)
	c.connect(&mqttpkt.Connect{CleanStart: true, KeepAlive: 30, ClientID: []byte(id)})
	return c
}

// subscribe sends s (Version set) and requires a SUBACK with the given codes.
func (c *mqttClient) subscribe(s *mqttpkt.Subscribe, want ...mqttpkt.ReasonCode) *mqttpkt.Suback {
	c.t.Helper()
	s.Version = c.v
	c.send(s)
	ack := recvAs[*mqttpkt.Suback](c)
	if ack.PacketID != s.PacketID {
		c.t.Errorf("%s: SUBACK packet id %d, want %d", c.name, ack.PacketID, s.PacketID)
	}
	if !slices.Equal(ack.ReasonCodes, want) {
		c.t.Fatalf("%s: SUBACK codes % x, want % x", c.name, ack.ReasonCodes, want)
	}
	return ack
}

// sub subscribes to filters at one QoS and requires them all granted.
func (c *mqttClient) sub(id uint16, qos mqttpkt.QoS, filters ...string) {
	c.t.Helper()
	s := &mqttpkt.Subscribe{PacketID: id}
	want := make([]mqttpkt.ReasonCode, len(filters))
	for i, f := range filters {
		s.Subscriptions = append(s.Subscriptions, mqttpkt.Subscription{Filter: []byte(f), QoS: qos})
		want[i] = mqttpkt.ReasonCode(qos)
	}
	c.subscribe(s, want...)
}

// publish sends p (Version set) and completes its QoS 1 or QoS 2 flow as
// the sender. It returns the reason code of the PUBACK or PUBREC.
func (c *mqttClient) publish(p *mqttpkt.Publish) mqttpkt.ReasonCode {
	c.t.Helper()
	p.Version = c.v
	c.send(p)
	switch p.QoS {
	case mqttpkt.QoS1:
		return c.recvAck(mqttpkt.TypePuback, p.PacketID).ReasonCode
	case mqttpkt.QoS2:
		rc := c.recvAck(mqttpkt.TypePubrec, p.PacketID).ReasonCode
		c.send(&mqttpkt.Ack{Type: mqttpkt.TypePubrel, Version: c.v, PacketID: p.PacketID})
		c.recvAck(mqttpkt.TypePubcomp, p.PacketID)
		return rc
	}
	return mqttpkt.Success
}

// receive reads the next packet, requires a PUBLISH and completes its QoS
// 1 or QoS 2 flow as the receiver.
func (c *mqttClient) receive() *mqttpkt.Publish {
	c.t.Helper()
	p := recvAs[*mqttpkt.Publish](c)
	if p.Version != c.v {
		c.t.Errorf("%s: PUBLISH Version = %v, want %v", c.name, p.Version, c.v)
	}
	switch p.QoS {
	case mqttpkt.QoS1:
		c.send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: c.v, PacketID: p.PacketID})
	case mqttpkt.QoS2:
		c.send(&mqttpkt.Ack{Type: mqttpkt.TypePubrec, Version: c.v, PacketID: p.PacketID})
		c.recvAck(mqttpkt.TypePubrel, p.PacketID)
		c.send(&mqttpkt.Ack{Type: mqttpkt.TypePubcomp, Version: c.v, PacketID: p.PacketID})
	}
	return p
}

// disconnect sends DISCONNECT with a reason code (MQTT 5.0) and requires
// the broker to close the connection.
func (c *mqttClient) disconnect(rc mqttpkt.ReasonCode) {
	c.t.Helper()
	c.send(&mqttpkt.Disconnect{Version: c.v, ReasonCode: rc})
	c.expectClosed()
}

func checkPublish(t *testing.T, p *mqttpkt.Publish, topic, payload string, qos mqttpkt.QoS, retain bool) {
	t.Helper()
	if string(p.Topic) != topic || string(p.Payload) != payload || p.QoS != qos || p.Retain != retain || p.Dup {
		t.Errorf("got PUBLISH topic %q payload %q QoS %d retain %v dup %v, want topic %q payload %q QoS %d retain %v dup false",
			p.Topic, p.Payload, p.QoS, p.Retain, p.Dup, topic, payload, qos, retain)
	}
	if (p.QoS == 0) != (p.PacketID == 0) {
		t.Errorf("PUBLISH QoS %d with packet id %d", p.QoS, p.PacketID)
	}
}

// forVersions runs f as parallel subtests "v=3.1.1" and "v=5.0". prefix is a
// topic prefix unique to the subtest.
func forVersions(t *testing.T, f func(t *testing.T, v mqttpkt.Version, prefix string)) {
	for _, v := range []mqttpkt.Version{mqttpkt.V311, mqttpkt.V5} {
		t.Run("v="+v.String(), func(t *testing.T) {
			t.Parallel()
			f(t, v, "iw/"+t.Name())
		})
	}
}

// TestInteropConnect: CONNECT with will, user name, password and (MQTT 5.0)
// properties; CONNACK, Session Present, Assigned Client Identifier.
func TestInteropConnect(t *testing.T) {
	t.Parallel()
	br := startMosquitto(t)
	addr := br.addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		id := clientID("full")
		c := dialBroker(t, addr, v, id)
		p := &mqttpkt.Connect{
			CleanStart: true,
			KeepAlive:  30,
			ClientID:   []byte(id),
			WillFlag:   true,
			Will:       mqttpkt.Will{QoS: mqttpkt.QoS1, Topic: []byte(prefix + "/will"), Payload: []byte("gone")},
			Username:   []byte("user"),
			Password:   []byte("s3cr\x00t"), // binary data
		}
		if v == mqttpkt.V5 {
			p.Props.SessionExpiry = 60
			p.Props.ReceiveMaximum = 20
			p.Props.TopicAliasMaximum = 10
			p.Props.MaximumPacketSize = 1 << 16
			p.Props.RequestProblemInfo = 1
			p.Props.User.Add("client", "iotwire")
			p.Props.User.Add("lang", "go")
			p.Will.Props.ContentType = []byte("text/plain")
			p.Will.Props.MessageExpiry = 120
			p.Will.Props.User.Add("will", "1")
		}
		ack := c.connect(p)
		if ack.SessionPresent {
			t.Errorf("CONNACK Session Present with a clean start")
		}
		if v == mqttpkt.V311 && !ack.Props.Empty() {
			t.Errorf("MQTT 3.1.1 CONNACK has properties")
		}
		if v == mqttpkt.V5 {
			// mosquitto 2.0 announces its topic alias limit (max_topic_alias, default 10).
			if ack.Props.TopicAliasMaximum == 0 {
				t.Errorf("CONNACK Topic Alias Maximum = 0, want mosquitto's default 10")
			}
			if ack.Props.Has(mqttpkt.PropAssignedClientID) {
				t.Errorf("CONNACK Assigned Client Identifier %q for a client that sent one", ack.Props.AssignedClientID)
			}
			t.Logf("MQTT 5.0 CONNACK properties: topic alias max %d, receive max %d, max QoS %d (has %v), retain %d (has %v)",
				ack.Props.TopicAliasMaximum, ack.Props.ReceiveMaximum, ack.Props.MaximumQoS, ack.Props.Has(mqttpkt.PropMaximumQoS),
				ack.Props.RetainAvailable, ack.Props.Has(mqttpkt.PropRetainAvailable))
		}
		// What mosquitto read: protocol (its p2 is 3.1.1), clean start,
		// keep alive, user name, and the will's length, retain and QoS.
		proto := map[mqttpkt.Version]string{mqttpkt.V311: "p2", mqttpkt.V5: "p5"}[v]
		br.waitLog(t, " as "+id+" ("+proto+", c1, k30, u'user').")
		br.waitLog(t, "Will message specified (4 bytes) (r0, q1).")
		br.waitLog(t, ": \t"+prefix+"/will\n")
		c.sync()
		c.disconnect(mqttpkt.NormalDisconnection)

		t.Run("session-present", func(t *testing.T) {
			id := clientID("sess")
			connect := func(clean bool) *mqttpkt.Connack {
				c := dialBroker(t, addr, v, id)
				p := &mqttpkt.Connect{CleanStart: clean, KeepAlive: 30, ClientID: []byte(id)}
				if v == mqttpkt.V5 {
					p.Props.SessionExpiry = 300 // else the session ends with the connection
				}
				ack := c.connect(p)
				c.disconnect(mqttpkt.NormalDisconnection)
				return ack
			}
			if ack := connect(false); ack.SessionPresent {
				t.Errorf("first connect: Session Present, want none")
			}
			if ack := connect(false); !ack.SessionPresent {
				t.Errorf("second connect without clean start: Session Present = false, want true")
			}
			if ack := connect(true); ack.SessionPresent {
				t.Errorf("connect with clean start: Session Present = true, want false [MQTT-3.2.2-2]")
			}
		})

		t.Run("takeover", func(t *testing.T) {
			// A second connection with the same client identifier takes the
			// session over; the broker closes the first one [MQTT-3.1.4-3],
			// in MQTT 5.0 with DISCONNECT 0x8E Session taken over.
			id := clientID("dup")
			first := dialBroker(t, addr, v, id+"#1")
			first.connect(&mqttpkt.Connect{CleanStart: true, KeepAlive: 30, ClientID: []byte(id)})
			second := dialBroker(t, addr, v, id+"#2")
			second.connect(&mqttpkt.Connect{CleanStart: true, KeepAlive: 30, ClientID: []byte(id)})
			// mosquitto 2.0.11 closes without the DISCONNECT, which section 4.13 allows.
			first.expectServerDisconnect(mqttpkt.SessionTakenOver)
			second.sync()
		})

		if v == mqttpkt.V5 {
			t.Run("bad-auth-method", func(t *testing.T) {
				// No authentication plugin: an Authentication Method is refused
				// with CONNACK 0x8C and the connection closed.
				c := dialBroker(t, addr, v, clientID("auth"))
				p := &mqttpkt.Connect{Version: v, CleanStart: true, KeepAlive: 30, ClientID: []byte(c.name)}
				p.Props.AuthMethod = []byte("SCRAM-SHA-1")
				p.Props.AuthData = []byte{1, 2, 3}
				c.send(p)
				ack := recvAs[*mqttpkt.Connack](c)
				if ack.ReasonCode != mqttpkt.BadAuthenticationMethod || ack.SessionPresent {
					t.Errorf("CONNACK reason code %#02x %v, session present %v; want 0x8c, false", uint8(ack.ReasonCode), ack.ReasonCode, ack.SessionPresent)
				}
				c.expectClosed()
			})
		}

		t.Run("empty-client-id", func(t *testing.T) {
			c := dialBroker(t, addr, v, "empty-id")
			ack := c.connect(&mqttpkt.Connect{CleanStart: true, KeepAlive: 30, ClientID: []byte{}})
			if v == mqttpkt.V5 && len(ack.Props.AssignedClientID) == 0 {
				t.Errorf("MQTT 5.0 CONNACK for an empty client id has no Assigned Client Identifier [MQTT-3.2.2-16]")
			}
			c.sync()
		})
	})
}

// TestInteropConnectV31: mosquitto also speaks MQTT 3.1 ("MQIsdp", level 3).
func TestInteropConnectV31(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	const v = mqttpkt.V31
	sub := newClient(t, addr, v, "sub31")
	pub := newClient(t, addr, v, "pub31")
	topic := "iw/" + t.Name()
	sub.sub(1, mqttpkt.QoS2, topic)
	pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS2, PacketID: 1, Topic: []byte(topic), Payload: []byte("3.1")})
	checkPublish(t, sub.receive(), topic, "3.1", mqttpkt.QoS2, false)
	sub.send(&mqttpkt.Unsubscribe{Version: v, PacketID: 2, Filters: [][]byte{[]byte(topic)}})
	if ua := recvAs[*mqttpkt.Unsuback](sub); ua.PacketID != 2 {
		t.Errorf("UNSUBACK packet id %d, want 2", ua.PacketID)
	}
	sub.sync()
	pub.disconnect(0)
}

// TestInteropSubscribe: SUBSCRIBE with '+' and '#' filters, SUBACK codes,
// and which topics the broker delivers (compared with MatchTopic too).
func TestInteropSubscribe(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		sub := newClient(t, addr, v, "sub")
		pub := newClient(t, addr, v, "pub")
		filters := []string{prefix + "/+/temp", prefix + "/dev/#", prefix + "/q2/+"}
		sub.subscribe(&mqttpkt.Subscribe{PacketID: 7, Subscriptions: []mqttpkt.Subscription{
			{Filter: []byte(filters[0]), QoS: mqttpkt.QoS0},
			{Filter: []byte(filters[1]), QoS: mqttpkt.QoS1},
			{Filter: []byte(filters[2]), QoS: mqttpkt.QoS2},
		}}, mqttpkt.GrantedQoS0, mqttpkt.GrantedQoS1, mqttpkt.GrantedQoS2)

		topics := []struct {
			topic string
			match bool
		}{
			{prefix + "/k1/temp", true},     // '+'
			{prefix + "/k1/k2/temp", false}, // '+' is one level
			{prefix + "//temp", true},       // '+' matches an empty level
			{prefix + "/k1/humidity", false},
			{prefix + "/température/temp", true}, // UTF-8 level
			{prefix + "/dev", true},              // '#' matches the parent level
			{prefix + "/dev/a/b", true},          // and any number of child levels
			{prefix + "/devx/a", false},          // not a prefix match
			{prefix + "/q2/x", true},             // third filter
			{prefix + "/q2/x/y", false},
		}
		var want []string
		for _, tc := range topics {
			matched := false
			for _, f := range filters {
				matched = matched || mqttpkt.MatchTopic([]byte(f), []byte(tc.topic))
			}
			if matched != tc.match {
				t.Errorf("MatchTopic(%q, %q) = %v, want %v", filters, tc.topic, matched, tc.match)
			}
			if tc.match {
				want = append(want, tc.topic)
			}
			pub.publish(&mqttpkt.Publish{Topic: []byte(tc.topic), Payload: []byte("x")})
		}
		var got []string
		for range want {
			p := sub.receive()
			got = append(got, string(p.Topic))
			if p.QoS != 0 {
				t.Errorf("topic %q delivered at QoS %d, published at QoS 0", p.Topic, p.QoS)
			}
		}
		sub.sync() // nothing else was delivered
		if !slices.Equal(got, want) {
			t.Errorf("delivered topics:\n%q\nwant:\n%q", got, want)
		}

		// QoS is the minimum of the published and the granted QoS.
		pub.publish(&mqttpkt.Publish{Topic: []byte(prefix + "/k9/temp"), QoS: mqttpkt.QoS2, PacketID: 1, Payload: []byte("down")})
		checkPublish(t, sub.receive(), prefix+"/k9/temp", "down", mqttpkt.QoS0, false)
		pub.publish(&mqttpkt.Publish{Topic: []byte(prefix + "/dev/z"), QoS: mqttpkt.QoS2, PacketID: 2, Payload: []byte("down1")})
		checkPublish(t, sub.receive(), prefix+"/dev/z", "down1", mqttpkt.QoS1, false)
		sub.sync()
	})
}

// TestInteropPublish: PUBLISH at QoS 0, 1 and 2 from one client to another,
// with the PUBACK and PUBREC/PUBREL/PUBCOMP flows on both sides, spelled out.
func TestInteropPublish(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		for _, qos := range []mqttpkt.QoS{mqttpkt.QoS0, mqttpkt.QoS1, mqttpkt.QoS2} {
			t.Run("qos="+strconv.Itoa(int(qos)), func(t *testing.T) {
				t.Parallel()
				topic := "iw/" + t.Name()
				sub := newClient(t, addr, v, "sub")
				pub := newClient(t, addr, v, "pub")
				sub.sub(1, mqttpkt.QoS2, topic)

				payload := bytes.Repeat([]byte{0x00, 0xff, 'q', byte('0' + qos)}, 100) // binary, 400 bytes: a two-byte remaining length
				const pubID = 0x1234
				p := &mqttpkt.Publish{Version: v, QoS: qos, Topic: []byte(topic), Payload: payload}
				if qos > 0 {
					p.PacketID = pubID
				}
				pub.send(p)
				switch qos {
				case mqttpkt.QoS1:
					if a := pub.recvAck(mqttpkt.TypePuback, pubID); a.ReasonCode != mqttpkt.Success {
						t.Errorf("PUBACK reason code %#02x, want 0x00", uint8(a.ReasonCode))
					}
				case mqttpkt.QoS2:
					if a := pub.recvAck(mqttpkt.TypePubrec, pubID); a.ReasonCode != mqttpkt.Success {
						t.Errorf("PUBREC reason code %#02x, want 0x00", uint8(a.ReasonCode))
					}
					pub.send(&mqttpkt.Ack{Type: mqttpkt.TypePubrel, Version: v, PacketID: pubID})
					if a := pub.recvAck(mqttpkt.TypePubcomp, pubID); a.ReasonCode != mqttpkt.Success {
						t.Errorf("PUBCOMP reason code %#02x, want 0x00", uint8(a.ReasonCode))
					}
				}
				pub.sync()

				got := recvAs[*mqttpkt.Publish](sub)
				checkPublish(t, got, topic, string(payload), qos, false)
				switch qos {
				case mqttpkt.QoS1:
					sub.send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: v, PacketID: got.PacketID})
				case mqttpkt.QoS2:
					sub.send(&mqttpkt.Ack{Type: mqttpkt.TypePubrec, Version: v, PacketID: got.PacketID})
					rel := sub.recvAck(mqttpkt.TypePubrel, got.PacketID)
					if rel.ReasonCode != mqttpkt.Success {
						t.Errorf("PUBREL reason code %#02x, want 0x00", uint8(rel.ReasonCode))
					}
					sub.send(&mqttpkt.Ack{Type: mqttpkt.TypePubcomp, Version: v, PacketID: got.PacketID})
				}
				sub.sync() // no redelivery, no stray PUBREL
			})
		}
		t.Run("large", func(t *testing.T) {
			// 300 KB: a three-byte Remaining Length, and a Reader buffer that grows.
			t.Parallel()
			topic := "iw/" + t.Name()
			sub := newClient(t, addr, v, "sub")
			pub := newClient(t, addr, v, "pub")
			sub.sub(1, mqttpkt.QoS1, topic)
			payload := bytes.Repeat([]byte("0123456789abcdef"), 300*1024/16)
			pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 1, Topic: []byte(topic), Payload: payload})
			got := sub.receive()
			if string(got.Topic) != topic || !bytes.Equal(got.Payload, payload) {
				t.Errorf("got topic %q and %d payload bytes, want %q and %d", got.Topic, len(got.Payload), topic, len(payload))
			}
			sub.sync()
		})
		if v == mqttpkt.V5 {
			// MQTT 5.0 3.4.2.1: PUBACK and PUBREC may say 0x10 No matching subscribers.
			t.Run("no-subscribers", func(t *testing.T) {
				t.Parallel()
				pub := newClient(t, addr, v, "pub")
				for _, qos := range []mqttpkt.QoS{mqttpkt.QoS1, mqttpkt.QoS2} {
					rc := pub.publish(&mqttpkt.Publish{QoS: qos, PacketID: 9, Topic: []byte("iw/" + t.Name() + "/nobody"), Payload: []byte("x")})
					if rc != mqttpkt.Success && rc != mqttpkt.NoMatchingSubscribers {
						t.Errorf("QoS %d: acknowledgement reason code %#02x, want 0x00 or 0x10", qos, uint8(rc))
					}
					t.Logf("QoS %d to a topic without subscribers: reason code %#02x", qos, uint8(rc))
				}
			})
		}
	})
}

// TestInteropRedelivery: a QoS 1 PUBLISH and a QoS 2 PUBREL left
// unacknowledged are sent again, the PUBLISH with DUP set, when the client
// resumes its session [MQTT-4.4.0-1].
func TestInteropRedelivery(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		id := clientID("resume")
		connect := func() *mqttClient {
			c := dialBroker(t, addr, v, id)
			p := &mqttpkt.Connect{KeepAlive: 30, ClientID: []byte(id)} // no clean start
			if v == mqttpkt.V5 {
				p.Props.SessionExpiry = 300
			}
			c.connect(p)
			return c
		}
		sub := connect()
		sub.sub(1, mqttpkt.QoS2, prefix+"/#")
		pub := newClient(t, addr, v, "pub")
		pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 1, Topic: []byte(prefix + "/q1"), Payload: []byte("one")})
		pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS2, PacketID: 2, Topic: []byte(prefix + "/q2"), Payload: []byte("two")})

		p1 := recvAs[*mqttpkt.Publish](sub) // not acknowledged
		checkPublish(t, p1, prefix+"/q1", "one", mqttpkt.QoS1, false)
		p2 := recvAs[*mqttpkt.Publish](sub)
		checkPublish(t, p2, prefix+"/q2", "two", mqttpkt.QoS2, false)
		sub.send(&mqttpkt.Ack{Type: mqttpkt.TypePubrec, Version: v, PacketID: p2.PacketID})
		sub.recvAck(mqttpkt.TypePubrel, p2.PacketID) // no PUBCOMP
		sub.sync()
		sub.conn.Close()

		sub = connect()
		// The connect helper already checked the CONNACK; the session is back.
		again := recvAs[*mqttpkt.Publish](sub)
		if !again.Dup || again.PacketID != p1.PacketID || string(again.Payload) != "one" || again.QoS != mqttpkt.QoS1 {
			t.Errorf("redelivered PUBLISH: dup %v id %d payload %q QoS %d; want dup true id %d payload \"one\" QoS 1 [MQTT-3.3.1-1]",
				again.Dup, again.PacketID, again.Payload, again.QoS, p1.PacketID)
		}
		sub.send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: v, PacketID: again.PacketID})
		sub.recvAck(mqttpkt.TypePubrel, p2.PacketID)
		sub.send(&mqttpkt.Ack{Type: mqttpkt.TypePubcomp, Version: v, PacketID: p2.PacketID})
		sub.sync()
		sub.disconnect(0)
		if v == mqttpkt.V5 {
			// End the session, so nothing is kept.
			c := dialBroker(t, addr, v, id)
			c.connect(&mqttpkt.Connect{CleanStart: true, KeepAlive: 30, ClientID: []byte(id)})
			c.disconnect(0)
		}
	})
}

// TestInteropRetained: a retained PUBLISH reaches a later subscriber with
// the retain flag set; an empty retained PUBLISH clears it.
func TestInteropRetained(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		topic := prefix + "/state"
		pub := newClient(t, addr, v, "pub")
		live := newClient(t, addr, v, "live")
		live.sub(1, mqttpkt.QoS1, topic)
		pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 1, Retain: true, Topic: []byte(topic), Payload: []byte("on")})
		// Delivered to an existing subscription: the retain flag is 0
		// [MQTT-3.3.1-9] (MQTT 5.0: unless Retain As Published).
		checkPublish(t, live.receive(), topic, "on", mqttpkt.QoS1, false)

		late := newClient(t, addr, v, "late")
		late.sub(2, mqttpkt.QoS1, prefix+"/#")
		checkPublish(t, late.receive(), topic, "on", mqttpkt.QoS1, true) // [MQTT-3.3.1-8]
		late.sync()

		if v == mqttpkt.V5 {
			// Retain Handling 2: no retained messages on subscribe.
			rap := newClient(t, addr, v, "rap")
			rap.subscribe(&mqttpkt.Subscribe{PacketID: 3, Subscriptions: []mqttpkt.Subscription{
				{Filter: []byte(topic), QoS: mqttpkt.QoS1, RetainAsPublished: true, RetainHandling: 2},
			}}, mqttpkt.GrantedQoS1)
			rap.sync()
			// Retain As Published keeps the flag on live delivery.
			pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 2, Retain: true, Topic: []byte(topic), Payload: []byte("on2")})
			checkPublish(t, rap.receive(), topic, "on2", mqttpkt.QoS1, true)
			checkPublish(t, live.receive(), topic, "on2", mqttpkt.QoS1, false)
		}

		// An empty retained message clears the retained message [MQTT-3.3.1-10].
		pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 3, Retain: true, Topic: []byte(topic), Payload: []byte{}})
		checkPublish(t, live.receive(), topic, "", mqttpkt.QoS1, false)
		later := newClient(t, addr, v, "later")
		later.sub(4, mqttpkt.QoS1, topic)
		later.expectSilence("retained message was cleared")
	})
}

// TestInteropProperties (MQTT 5.0): user properties, content type, message
// expiry, payload format, response topic, correlation data, subscription
// identifier and topic aliases through the broker.
func TestInteropProperties(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	const v = mqttpkt.V5
	prefix := "iw/" + t.Name()
	topicA, topicB := prefix+"/a", prefix+"/b"

	sub := newClient(t, addr, v, "sub") // Topic Alias Maximum 0: the broker must not send aliases
	sub.subscribe(&mqttpkt.Subscribe{
		PacketID:      1,
		Props:         mqttpkt.Properties{SubscriptionIDs: []uint32{300}}, // two-byte variable byte integer
		Subscriptions: []mqttpkt.Subscription{{Filter: []byte(prefix + "/#"), QoS: mqttpkt.QoS1}},
	}, mqttpkt.GrantedQoS1)

	pubID := clientID("pub")
	pub := dialBroker(t, addr, v, pubID)
	ack := pub.connect(&mqttpkt.Connect{CleanStart: true, KeepAlive: 30, ClientID: []byte(pubID)})
	if ack.Props.TopicAliasMaximum < 1 {
		t.Fatalf("broker Topic Alias Maximum %d: cannot test topic aliases", ack.Props.TopicAliasMaximum)
	}

	type userProp struct{ k, v string }
	users := []userProp{{"b", "2"}, {"a", "1"}, {"a", "3"}, {"ключ", "значение"}, {"empty", ""}}
	const expiry = 3600
	first := &mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 1, Topic: []byte(topicA), Payload: []byte(`{"n":1}`)}
	first.Props.TopicAlias = 1
	first.Props.ContentType = []byte("application/json")
	first.Props.MessageExpiry = expiry
	first.Props.PayloadFormat = 1
	first.Props.ResponseTopic = []byte(prefix + "/reply")
	first.Props.CorrelationData = []byte{0, 1, 2, 0xff}
	for _, u := range users {
		first.Props.User.Add(u.k, u.v)
	}
	second := &mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 2, Topic: []byte{}, Payload: []byte(`{"n":2}`)}
	second.Props.TopicAlias = 1
	second.Props.User.Add("seq", "2")
	third := &mqttpkt.Publish{Topic: []byte(topicB), Payload: []byte("3")} // remaps alias 1
	third.Props.TopicAlias = 1
	fourth := &mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 3, Topic: []byte{}, Payload: []byte("4")}
	fourth.Props.TopicAlias = 1

	for _, p := range []*mqttpkt.Publish{first, second, third, fourth} {
		if rc := pub.publish(p); rc != mqttpkt.Success {
			t.Errorf("PUBACK reason code %#02x, want 0x00", uint8(rc))
		}
	}

	got1 := sub.receive()
	checkPublish(t, got1, topicA, `{"n":1}`, mqttpkt.QoS1, false)
	if string(got1.Props.ContentType) != "application/json" {
		t.Errorf("Content Type %q, want %q [MQTT-3.3.2-20]", got1.Props.ContentType, "application/json")
	}
	if !got1.Props.Has(mqttpkt.PropMessageExpiry) || got1.Props.MessageExpiry == 0 || got1.Props.MessageExpiry > expiry {
		t.Errorf("Message Expiry Interval %d (present %v), want 1 to %d [MQTT-3.3.2-6]",
			got1.Props.MessageExpiry, got1.Props.Has(mqttpkt.PropMessageExpiry), expiry)
	}
	if got1.Props.PayloadFormat != 1 {
		t.Errorf("Payload Format Indicator %d, want 1 [MQTT-3.3.2-4]", got1.Props.PayloadFormat)
	}
	if string(got1.Props.ResponseTopic) != prefix+"/reply" {
		t.Errorf("Response Topic %q, want %q [MQTT-3.3.2-15]", got1.Props.ResponseTopic, prefix+"/reply")
	}
	if !bytes.Equal(got1.Props.CorrelationData, []byte{0, 1, 2, 0xff}) {
		t.Errorf("Correlation Data % x, want 00 01 02 ff [MQTT-3.3.2-16]", got1.Props.CorrelationData)
	}
	var gotUsers []userProp
	for it := got1.Props.User.Iter(); it.Next(); {
		k, v := it.Pair()
		gotUsers = append(gotUsers, userProp{string(k), string(v)})
	}
	if !slices.Equal(gotUsers, users) {
		t.Errorf("User Properties %q, want %q in order [MQTT-3.3.2-17], [MQTT-3.3.2-18]", gotUsers, users)
	}
	if val, ok := got1.Props.User.Get("a"); !ok || string(val) != "1" {
		t.Errorf("User.Get(\"a\") = %q, %v, want \"1\", true", val, ok)
	}

	got2 := sub.receive()
	checkPublish(t, got2, topicA, `{"n":2}`, mqttpkt.QoS1, false) // the broker resolved the alias
	if val, ok := got2.Props.User.Get("seq"); !ok || string(val) != "2" || got2.Props.User.Len() != 1 {
		t.Errorf("second PUBLISH User Properties: Get(seq) = %q, %v, Len %d; want \"2\", true, 1", val, ok, got2.Props.User.Len())
	}
	if got2.Props.Has(mqttpkt.PropContentType) || got2.Props.Has(mqttpkt.PropMessageExpiry) {
		t.Errorf("second PUBLISH carries properties of the first")
	}
	checkPublish(t, sub.receive(), topicB, "3", mqttpkt.QoS0, false)
	checkPublish(t, sub.receive(), topicB, "4", mqttpkt.QoS1, false) // alias 1 now means topicB

	for i, p := range []*mqttpkt.Publish{got1, got2} {
		if p.Props.TopicAlias != 0 {
			t.Errorf("PUBLISH %d to a client with Topic Alias Maximum 0 has Topic Alias %d [MQTT-3.1.2-26]", i+1, p.Props.TopicAlias)
		}
		if !slices.Equal(p.Props.SubscriptionIDs, []uint32{300}) {
			t.Errorf("PUBLISH %d Subscription Identifiers %v, want [300] [MQTT-3.3.4-3]", i+1, p.Props.SubscriptionIDs)
		}
	}
	sub.sync()

	// A Topic Alias above the broker's maximum is a protocol error: the
	// broker closes the connection, with a DISCONNECT 0x94 in MQTT 5.0
	// (mosquitto may close without one).
	bad := &mqttpkt.Publish{Version: v, Topic: []byte(topicA), Payload: []byte("x")}
	bad.Props.TopicAlias = ack.Props.TopicAliasMaximum + 1
	pub.send(bad)
	pub.expectServerDisconnect(mqttpkt.TopicAliasInvalid, mqttpkt.ProtocolError)
	sub.expectSilence("PUBLISH with an invalid topic alias")
}

// TestInteropSubscriptionOptions (MQTT 5.0): No Local and shared subscriptions.
func TestInteropSubscriptionOptions(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	const v = mqttpkt.V5
	prefix := "iw/" + t.Name()

	// No Local (bit 2 of the options): a client does not get its own messages [MQTT-3.8.3-3].
	self := newClient(t, addr, v, "self")
	self.subscribe(&mqttpkt.Subscribe{PacketID: 1, Subscriptions: []mqttpkt.Subscription{
		{Filter: []byte(prefix + "/nl"), QoS: mqttpkt.QoS1, NoLocal: true},
	}}, mqttpkt.GrantedQoS1)
	other := newClient(t, addr, v, "other")
	other.sub(1, mqttpkt.QoS1, prefix+"/nl")
	self.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 2, Topic: []byte(prefix + "/nl"), Payload: []byte("mine")})
	checkPublish(t, other.receive(), prefix+"/nl", "mine", mqttpkt.QoS1, false)
	self.expectSilence("own PUBLISH with No Local")

	// A shared subscription delivers with the plain topic name.
	shared := newClient(t, addr, v, "shared")
	shared.subscribe(&mqttpkt.Subscribe{PacketID: 3, Subscriptions: []mqttpkt.Subscription{
		{Filter: []byte("$share/grp/" + prefix + "/sh/+"), QoS: mqttpkt.QoS1},
	}}, mqttpkt.GrantedQoS1)
	other.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 4, Topic: []byte(prefix + "/sh/x"), Payload: []byte("s")})
	checkPublish(t, shared.receive(), prefix+"/sh/x", "s", mqttpkt.QoS1, false)
	shared.sync()

}

// TestInteropUnsubscribe: UNSUBSCRIBE, UNSUBACK, and no delivery afterwards.
func TestInteropUnsubscribe(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		sub := newClient(t, addr, v, "sub")
		pub := newClient(t, addr, v, "pub")
		gone, kept := prefix+"/gone/+", prefix+"/kept"
		sub.sub(10, mqttpkt.QoS1, gone, kept)
		pub.publish(&mqttpkt.Publish{Topic: []byte(prefix + "/gone/x"), Payload: []byte("before")})
		checkPublish(t, sub.receive(), prefix+"/gone/x", "before", mqttpkt.QoS0, false)

		u := &mqttpkt.Unsubscribe{Version: v, PacketID: 11, Filters: [][]byte{[]byte(gone), []byte(prefix + "/never")}}
		if v == mqttpkt.V5 {
			u.Props.User.Add("why", "test")
		}
		sub.send(u)
		ua := recvAs[*mqttpkt.Unsuback](sub)
		if ua.PacketID != 11 {
			t.Errorf("UNSUBACK packet id %d, want 11", ua.PacketID)
		}
		var want []mqttpkt.ReasonCode
		if v == mqttpkt.V5 {
			want = []mqttpkt.ReasonCode{mqttpkt.Success, mqttpkt.NoSubscriptionExisted}
		}
		if !slices.Equal(ua.ReasonCodes, want) {
			t.Errorf("UNSUBACK reason codes % x, want % x", ua.ReasonCodes, want)
		}

		pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 1, Topic: []byte(prefix + "/gone/x"), Payload: []byte("after")})
		sub.expectSilence("PUBLISH after UNSUBSCRIBE")
		// The other subscription still works, and is the next packet.
		pub.publish(&mqttpkt.Publish{QoS: mqttpkt.QoS1, PacketID: 2, Topic: []byte(kept), Payload: []byte("kept")})
		checkPublish(t, sub.receive(), kept, "kept", mqttpkt.QoS1, false)
		sub.sync()
	})
}

// TestInteropPing: PINGREQ gets PINGRESP, several times in a row.
func TestInteropPing(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		c := newClient(t, addr, v, "ping")
		for range 3 {
			c.sync()
		}
		// Two PINGREQs in one write: two PINGRESPs, framed by the Reader.
		var ping mqttpkt.Pingreq
		b, err := ping.AppendBinary(nil)
		if err == nil {
			b, err = ping.AppendBinary(b)
		}
		if err != nil || !bytes.Equal(b, []byte{0xc0, 0x00, 0xc0, 0x00}) {
			t.Fatalf("two PINGREQs: % x, %v; want c0 00 c0 00", b, err)
		}
		c.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
		if _, err := c.conn.Write(b); err != nil {
			t.Fatal(err)
		}
		recvAs[*mqttpkt.Pingresp](c)
		recvAs[*mqttpkt.Pingresp](c)
		c.sync()
	})
}

// TestInteropWill: DISCONNECT and the Will Message. A normal DISCONNECT
// discards the will [MQTT-3.1.2-10], [MQTT-3.14.4-3]; a dropped connection
// publishes it [MQTT-3.1.2-8]; in MQTT 5.0, DISCONNECT 0x04 (Disconnect with
// Will Message) publishes it too (section 3.14.2.1).
func TestInteropWill(t *testing.T) {
	t.Parallel()
	addr := startMosquitto(t).addr
	forVersions(t, func(t *testing.T, v mqttpkt.Version, prefix string) {
		type tc struct {
			name    string
			end     func(c *mqttClient)
			publish bool
		}
		cases := []tc{
			{"normal-disconnect", func(c *mqttClient) { c.disconnect(mqttpkt.NormalDisconnection) }, false},
			{"connection-dropped", func(c *mqttClient) { c.conn.Close() }, true},
		}
		if v == mqttpkt.V5 {
			cases = append(cases, tc{"disconnect-with-will", func(c *mqttClient) { c.disconnect(mqttpkt.DisconnectWithWillMessage) }, true})
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				prefix := "iw/" + t.Name()
				watcher := newClient(t, addr, v, "watch")
				watcher.sub(1, mqttpkt.QoS2, prefix+"/#")

				id := clientID("will")
				c := dialBroker(t, addr, v, id)
				p := &mqttpkt.Connect{CleanStart: true, KeepAlive: 30, ClientID: []byte(id), WillFlag: true,
					Will: mqttpkt.Will{QoS: mqttpkt.QoS1, Topic: []byte(prefix + "/status"), Payload: []byte("offline")}}
				if v == mqttpkt.V5 {
					p.Will.Props.ContentType = []byte("text/plain")
					p.Will.Props.MessageExpiry = 120
					p.Will.Props.User.Add("cause", tc.name)
				}
				c.connect(p)
				c.sync()
				tc.end(c)

				if !tc.publish {
					// The client's connection is closed, so the broker has
					// dropped the will already; the next message must be ours.
					other := newClient(t, addr, v, "other")
					other.publish(&mqttpkt.Publish{Topic: []byte(prefix + "/marker"), Payload: []byte("m")})
					got := watcher.receive()
					if string(got.Topic) != prefix+"/marker" {
						t.Fatalf("got %s, want the marker: the will was published", describe(got))
					}
					watcher.sync()
					return
				}
				got := watcher.receive()
				checkPublish(t, got, prefix+"/status", "offline", mqttpkt.QoS1, false)
				if v == mqttpkt.V5 {
					if string(got.Props.ContentType) != "text/plain" {
						t.Errorf("will Content Type %q, want text/plain", got.Props.ContentType)
					}
					if got.Props.MessageExpiry == 0 || got.Props.MessageExpiry > 120 {
						t.Errorf("will Message Expiry Interval %d, want 1 to 120", got.Props.MessageExpiry)
					}
					if val, ok := got.Props.User.Get("cause"); !ok || string(val) != tc.name {
						t.Errorf("will User Property cause = %q, %v, want %q", val, ok, tc.name)
					}
				}
				watcher.sync()
			})
		}
	})
}
