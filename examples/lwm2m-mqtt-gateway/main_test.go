package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/brokertest"
	"github.com/iotwire/iotwire/examples/internal/mqttbridge"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// batteryLevel is the resource the commands read.
var batteryLevel = path.Resource(3, 0, 9)

// guard bounds every wait: a failure guard, not a synchronisation.
const guard = 60 * time.Second

// mqttWatch counts what arrives on lwm2m/#.
type mqttWatch struct {
	mu      sync.Mutex
	regs    map[string]int // registration messages per endpoint
	data    map[string]int // data messages per endpoint
	last    map[string][]byte
	answers chan *mqttbridge.Message
}

func (w *mqttWatch) handle(m *mqttbridge.Message) {
	ep, _ := m.Props.Get(mqttbridge.PropEndpoint)
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case strings.HasSuffix(m.Topic, "/registration"):
		w.regs[ep]++
	case strings.Contains(m.Topic, "/data/"):
		w.data[ep]++
		w.last[ep] = append([]byte(nil), m.Payload...)
	case strings.HasPrefix(m.Topic, "e2e/answers"):
		w.answers <- m
	}
}

func (w *mqttWatch) count(f func() bool) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return f()
}

// waitFor polls cond until it holds, failing the test after guard.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(guard); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestEndToEnd runs the gateway against mosquitto with its three demo
// devices (UDP, DTLS with a pre-shared key and Connection ID, SMS through
// a simulated modem and SMSC): registrations and telemetry arrive on MQTT,
// a command published on MQTT reaches a device of each transport and its
// answer comes back with the Correlation Data, and a burst of 10,000
// notifications reaches MQTT with no message lost.
func TestEndToEnd(t *testing.T) {
	brokerURL := brokertest.Mosquitto(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan *demo, 1)
	var logs bytes.Buffer
	var logMu sync.Mutex
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-broker", brokerURL, "-udp", "127.0.0.1:0", "-dtls", "127.0.0.1:0",
			"-interval", "1h", "-command-every", "0", "-quiet"}, writerFunc(func(p []byte) (int, error) {
			logMu.Lock()
			defer logMu.Unlock()
			return logs.Write(p)
		}), func(d *demo) { started <- d })
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		if t.Failed() {
			logMu.Lock()
			t.Logf("gateway output:\n%s", logs.String())
			logMu.Unlock()
		}
	}()
	var d *demo
	select {
	case d = <-started:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(guard):
		t.Fatal("the gateway did not start")
	}

	// An MQTT application watching the gateway.
	w := &mqttWatch{regs: map[string]int{}, data: map[string]int{}, last: map[string][]byte{}, answers: make(chan *mqttbridge.Message, 8)}
	app, err := mqttbridge.Dial(ctx, brokerURL, mqttbridge.Options{ClientID: "e2e-app"})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if err := app.Subscribe(ctx, w.handle, "lwm2m/#", "e2e/answers"); err != nil {
		t.Fatal(err)
	}

	// Every device registers (the registration message is retained or
	// published again on the next Update: wait for the registrations).
	srv := d.gw.Server()
	waitFor(t, "3 registrations", func() bool { return len(srv.Clients()) == 3 })
	// The DTLS device's session runs with a Connection ID (RFC 9146),
	// which the gateway's DTLS server asks for by default.
	if c, ok := srv.Client("demo-dtls"); !ok || c.Transport != "dtls" || len(c.DTLSConnID) == 0 {
		t.Errorf("demo-dtls: transport %q, Connection ID %x: want DTLS with a Connection ID", c.Transport, c.DTLSConnID)
	}
	for _, ep := range d.names {
		// Notifications as soon as a value changes (pmin 0), so that each
		// change gives one.
		if err := srv.WriteAttributes(ctx, ep, temperature, op.Attributes{Set: link.AttrPmin, Pmin: 0}); err != nil {
			t.Fatalf("%s: write-attributes: %v", ep, err)
		}
	}
	waitFor(t, "the temperature observed on every device", func() bool {
		return d.gw.Observed(temperature) == 3
	})

	// Telemetry: one change per device reaches MQTT.
	for i, s := range d.sensors {
		s.set(30 + float64(i))
	}
	waitFor(t, "telemetry from every device", func() bool {
		return w.count(func() bool { return w.data["demo-udp"] > 0 && w.data["demo-dtls"] > 0 && w.data["demo-sms"] > 0 })
	})

	// A command per transport: read the battery level, answered on our
	// Response Topic with our Correlation Data.
	topics := d.gw.Bridge().Topics()
	for _, ep := range d.names {
		cmd, _ := mqttbridge.EncodeCommand(&mqttbridge.Command{ID: ep, Op: mqttbridge.OpRead, Path: batteryLevel})
		if err := app.Publish(ctx, &mqttbridge.Message{Topic: topics.Command(ep), Payload: cmd, QoS: 1,
			Props: mqttbridge.Props{ResponseTopic: "e2e/answers", CorrelationData: []byte("corr-" + ep)}}); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-w.answers:
			r, err := mqttbridge.DecodeResult(m.Payload)
			if err != nil || string(m.Props.CorrelationData) != "corr-"+ep || r.Code != coapmsg.Content || len(r.Values) != 1 {
				t.Errorf("%s: answer %s (correlation %q): %+v %v", ep, m.Payload, m.Props.CorrelationData, r, err)
			}
		case <-time.After(guard):
			t.Fatalf("%s: no answer to the command", ep)
		}
	}

	// A write, read back, and an execute, through the gateway.
	utcOffset := path.Resource(3, 0, 14)
	for _, c := range []struct {
		ep   string
		cmd  mqttbridge.Command
		want coapmsg.Code
	}{
		{"demo-dtls", mqttbridge.Command{ID: "w", Op: mqttbridge.OpWrite, Path: utcOffset,
			Values: []senml.Resolved{{Path: utcOffset, Value: lwm2m.StringValue([]byte("+02:00"))}}}, coapmsg.Changed},
		{"demo-dtls", mqttbridge.Command{ID: "r", Op: mqttbridge.OpRead, Path: utcOffset}, coapmsg.Content},
		{"demo-sms", mqttbridge.Command{ID: "x", Op: mqttbridge.OpExecute, Path: path.Resource(3303, 0, 5605)}, coapmsg.Changed},
		{"demo-udp", mqttbridge.Command{ID: "e", Op: mqttbridge.OpExecute, Path: path.Resource(3, 0, 0)}, coapmsg.MethodNotAllowed},
	} {
		payload, err := mqttbridge.EncodeCommand(&c.cmd)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.Publish(ctx, &mqttbridge.Message{Topic: topics.Command(c.ep), Payload: payload, QoS: 1,
			Props: mqttbridge.Props{ResponseTopic: "e2e/answers", CorrelationData: []byte(c.cmd.ID)}}); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-w.answers:
			r, err := mqttbridge.DecodeResult(m.Payload)
			if err != nil || string(m.Props.CorrelationData) != c.cmd.ID || r.Code != c.want {
				t.Errorf("%s %s %v: answer %s: %+v %v, want %v", c.ep, c.cmd.Op, c.cmd.Path, m.Payload, r, err, c.want)
			}
			if c.cmd.ID == "r" && (len(r.Values) != 1 || !bytesEq(r.Values[0].Value, "+02:00")) {
				t.Errorf("read back %+v, want +02:00", r.Values)
			}
		case <-time.After(guard):
			t.Fatalf("%s: no answer to %s", c.ep, c.cmd.Op)
		}
	}

	// The burst: 10,000 notifications, 4,000 over UDP, 4,000 over DTLS and
	// 2,000 over SMS at once, each value a change the device notifies.
	burst := []int{4000, 4000, 2000}
	before := map[string]int{}
	w.count(func() bool {
		for ep, n := range w.data {
			before[ep] = n
		}
		return true
	})
	sent := make([]uint64, 3)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range d.devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, s := d.devices[i], d.sensors[i]
			n0 := c.Notified()
			for k := 1; k <= burst[i]; k++ {
				s.set(1000 + float64(k))
				for deadline := time.Now().Add(guard); c.Notified() < n0+uint64(k); {
					if time.Now().After(deadline) {
						t.Errorf("%s: notification %d not sent", d.names[i], k)
						return
					}
					time.Sleep(20 * time.Microsecond)
				}
			}
			sent[i] = c.Notified() - n0
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	waitFor(t, "the burst on MQTT", func() bool {
		return w.count(func() bool {
			for i, ep := range d.names {
				if w.data[ep]-before[ep] < int(sent[i]) {
					return false
				}
			}
			return true
		})
	})
	elapsed := time.Since(start)
	time.Sleep(100 * time.Millisecond) // late duplicates would show here
	w.count(func() bool {
		total := 0
		for i, ep := range d.names {
			got := w.data[ep] - before[ep]
			total += got
			if got != int(sent[i]) {
				t.Errorf("%s: %d data messages on MQTT for %d notifications", ep, got, sent[i])
			}
		}
		t.Logf("burst: %d notifications from 3 devices reached MQTT in %v (%.0f/s)", total, elapsed, float64(total)/elapsed.Seconds())
		return true
	})
	if st := d.gw.Bridge().Stats(); st.PublishErrors != 0 {
		t.Errorf("bridge stats %+v", st)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestDemo runs the README's demo as a new user would (embedded broker,
// the three devices, the demo application's commands) for a few seconds
// and checks that each flow shows in its output.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) })
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	err := run(ctx, []string{"-udp", "127.0.0.1:0", "-dtls", "127.0.0.1:0", "-run-for", "4s",
		"-interval", "300ms", "-command-every", "700ms"}, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{
		"embedded MQTT broker on",
		"registered   demo-udp", "registered   demo-dtls", "registered   demo-sms",
		"notify       demo-udp /3303/0/5700", "notify       demo-dtls /3303/0/5700", "notify       demo-sms /3303/0/5700",
		"demo app  → lwm2m/demo-udp/command", `demo app  ← demo-app/responses  correlation "cmd-1"`,
		"stopped:",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
			break
		}
	}
}

// bytesEq reports whether v is a string value equal to s.
func bytesEq(v lwm2m.Value, s string) bool {
	b, ok := v.Bytes()
	return ok && string(b) == s
}
