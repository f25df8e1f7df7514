package ws_test

// Interoperability with mosquitto (https://mosquitto.org) over WebSockets:
// the test starts a broker with a websockets listener on a free port (and
// a plain TCP listener beside it: mosquitto 2.0.11 exits with "Unable to
// start any listening sockets" when a websockets listener is its only
// one), then runs CONNECT / SUBSCRIBE / PUBLISH / receive round trips over
// ws:// with MQTT 3.1.1 and 5.0, and across ws:// and TCP. Without
// mosquitto the test skips, or fails when CI=true.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/internal/transporttest"
	"github.com/iotwire/iotwire/transport/tcp"
	"github.com/iotwire/iotwire/transport/ws"
)

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// startMosquitto returns the addresses of a broker's TCP and websockets
// listeners; the broker is stopped when the test ends.
func startMosquitto(t *testing.T) (plain, wsAddr string) {
	t.Helper()
	bin := codectest.LookTool(t, "mosquitto", "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	var errs []error
	for attempt := range 3 {
		p1, p2 := freePort(t), freePort(t)
		conf := "per_listener_settings false\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type all\n" +
			"listener " + p1 + " 127.0.0.1\n" +
			"listener " + p2 + " 127.0.0.1\nprotocol websockets\n"
		path := filepath.Join(dir, "mosquitto"+strconv.Itoa(attempt)+".conf")
		if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		log := new(codectest.LockedBuffer)
		cmd := exec.Command(bin, "-c", path)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		stop := func() { cmd.Process.Kill(); <-done }
		plain, wsAddr = "127.0.0.1:"+p1, "127.0.0.1:"+p2
		if err := transporttest.WaitListening(done, ioTimeout, plain, wsAddr); err != nil {
			stop()
			errs = append(errs, fmt.Errorf("%v; log:\n%s", err, log))
			continue
		}
		t.Cleanup(func() {
			stop()
			if t.Failed() {
				t.Logf("mosquitto log:\n%s", log)
			}
		})
		return plain, wsAddr
	}
	t.Fatalf("mosquitto did not start: %v", errors.Join(errs...))
	return "", ""
}

// client is the interop tests' MQTT client.
type client = transporttest.MQTTClient

// connect opens an MQTT session over ws:// (wsAddr) or TCP.
func connect(t *testing.T, addr string, overWS bool, v mqttpkt.Version, id string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	var m *tcp.MQTTConn
	if overWS {
		var err error
		m, err = ws.DialMQTT(ctx, "ws://"+addr+"/mqtt", &ws.Options{ReadTimeout: ioTimeout, WriteTimeout: ioTimeout})
		if err != nil {
			t.Fatalf("dial ws://%s: %v", addr, err)
		}
	} else {
		c, err := tcp.Dial(ctx, "tcp4", addr, nil)
		if err != nil {
			t.Fatalf("dial %s: %v", addr, err)
		}
		m = tcp.NewMQTT(c, &tcp.Options{ReadTimeout: ioTimeout, WriteTimeout: ioTimeout})
	}
	t.Cleanup(func() { m.Close() })
	cl := &client{T: t, V: v, M: m}
	cl.Connect(id)
	return cl
}

func TestInteropMosquittoWS(t *testing.T) {
	plain, wsAddr := startMosquitto(t)
	type side struct {
		name string
		addr string
		ws   bool
	}
	sws, stcp := side{"ws", wsAddr, true}, side{"tcp", plain, false}
	for _, v := range []mqttpkt.Version{mqttpkt.V311, mqttpkt.V5} {
		for _, pair := range [][2]side{{sws, sws}, {sws, stcp}, {stcp, sws}} {
			t.Run("v="+v.String()+"/sub="+pair[0].name+"/pub="+pair[1].name, func(t *testing.T) {
				topic := "iw/" + t.Name()
				id := strconv.Itoa(int(time.Now().UnixNano() % 1e9))
				sub := connect(t, pair[0].addr, pair[0].ws, v, "sub-"+id)
				sub.Send(&mqttpkt.Subscribe{Version: v, PacketID: 1, Subscriptions: []mqttpkt.Subscription{{Filter: []byte(topic), QoS: mqttpkt.QoS1}}})
				if ack := transporttest.Recv[*mqttpkt.Suback](sub); ack.PacketID != 1 || len(ack.ReasonCodes) != 1 || ack.ReasonCodes[0] != mqttpkt.GrantedQoS1 {
					t.Fatalf("SUBACK %+v", ack)
				}
				pub := connect(t, pair[1].addr, pair[1].ws, v, "pub-"+id)
				payload := bytes.Repeat([]byte("0123456789"), 2000) // 20 kB (mosquitto 2.0.11 sends large WebSocket messages slowly: 100 kB takes seconds)
				pub.Send(&mqttpkt.Publish{Version: v, QoS: mqttpkt.QoS1, PacketID: 5, Topic: []byte(topic), Payload: payload})
				if ack := transporttest.Recv[*mqttpkt.Ack](pub); ack.Type != mqttpkt.TypePuback || ack.PacketID != 5 {
					t.Fatalf("PUBACK %+v", ack)
				}
				got := transporttest.Recv[*mqttpkt.Publish](sub)
				if string(got.Topic) != topic || !bytes.Equal(got.Payload, payload) || got.QoS != mqttpkt.QoS1 {
					t.Fatalf("received topic %q, %d bytes, QoS %d", got.Topic, len(got.Payload), got.QoS)
				}
				sub.Send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: v, PacketID: got.PacketID})
				// A burst of QoS 0 packets in one WebSocket message (or
				// one TCP write), framed back one by one.
				var burst []byte
				for i := range 50 {
					p := &mqttpkt.Publish{Version: v, Topic: []byte(topic), Payload: []byte(strconv.Itoa(i))}
					burst, _ = p.AppendBinary(burst)
				}
				if err := pub.M.WriteFrame(burst); err != nil {
					t.Fatal(err)
				}
				for i := range 50 {
					if got := transporttest.Recv[*mqttpkt.Publish](sub); string(got.Payload) != strconv.Itoa(i) {
						t.Fatalf("burst packet %d: payload %q", i, got.Payload)
					}
				}
				sub.Send(&mqttpkt.Disconnect{Version: v})
				pub.Send(&mqttpkt.Disconnect{Version: v})
			})
		}
	}
}
