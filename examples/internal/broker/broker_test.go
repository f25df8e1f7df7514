package broker_test

import (
	"context"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/examples/internal/broker"
	"github.com/iotwire/iotwire/examples/internal/mqttbridge"
	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/tcp"
)

const ioTimeout = 10 * time.Second // a failure guard

// checkGoroutines fails the test if goroutines it started outlive it.
func checkGoroutines(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond) // waiting for goroutines to exit
		}
	})
}

func start(t *testing.T, o broker.Options) *broker.Broker {
	t.Helper()
	b, err := broker.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func dial(t *testing.T, url string, o mqttbridge.Options) *mqttbridge.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := mqttbridge.Dial(ctx, url, o)
	if err != nil {
		t.Fatalf("Dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestBroker starts a broker with both listeners, passes a message from a
// WebSocket client to a TCP client, and closes it.
func TestBroker(t *testing.T) {
	checkGoroutines(t)
	b := start(t, broker.Options{WSAddr: "127.0.0.1:0"})
	if host, port, err := net.SplitHostPort(b.Addr()); err != nil || host != "127.0.0.1" || port == "0" {
		t.Errorf("Addr = %q", b.Addr())
	}
	if !strings.HasPrefix(b.URL(), "mqtt://127.0.0.1:") || !strings.HasPrefix(b.WSURL(), "ws://127.0.0.1:") || !strings.HasSuffix(b.WSURL(), "/mqtt") {
		t.Errorf("URL %q, WSURL %q", b.URL(), b.WSURL())
	}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	sub := dial(t, b.URL(), mqttbridge.Options{})
	got := make(chan *mqttbridge.Message, 1)
	if err := sub.Subscribe(ctx, func(m *mqttbridge.Message) { got <- m }, "t/#"); err != nil {
		t.Fatal(err)
	}
	pub := dial(t, b.WSURL(), mqttbridge.Options{})
	if err := pub.Publish(ctx, &mqttbridge.Message{Topic: "t/1", Payload: []byte("hi"), QoS: 1,
		Props: mqttbridge.Props{User: []mqttbridge.UserProperty{{Key: "k", Value: "v"}}}}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if m.Topic != "t/1" || string(m.Payload) != "hi" {
			t.Errorf("got %q %q", m.Topic, m.Payload)
		}
	case <-ctx.Done():
		t.Fatal("message not delivered")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// Close ends the clients' connections: the broker says it is shutting down.
	for _, c := range []*mqttbridge.Client{sub, pub} {
		select {
		case <-c.Done():
		case <-ctx.Done():
			t.Fatal("a client outlived the broker")
		}
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestBrokerPortInUse checks that a busy port fails Start.
func TestBrokerPortInUse(t *testing.T) {
	checkGoroutines(t)
	b := start(t, broker.Options{})
	if _, err := broker.Start(broker.Options{Addr: b.Addr()}); err == nil {
		t.Error("Start on a busy port: no error")
	}
}

// TestBrokerPuback checks that the broker answers a QoS 1 PUBLISH with a
// PUBACK a strict MQTT 5.0 decoder accepts (mochi 2.7.9 alone sends 0x01).
func TestBrokerPuback(t *testing.T) {
	checkGoroutines(t)
	b := start(t, broker.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	nc, err := tcp.Dial(ctx, "tcp", b.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := tcp.NewMQTT(nc, &tcp.Options{ReadTimeout: ioTimeout, WriteTimeout: ioTimeout})
	defer m.Close()
	recv := func() []byte {
		t.Helper()
		_, p, err := m.NextPacket()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pub := &mqttpkt.Publish{Version: mqttpkt.V5, Topic: []byte("t"), QoS: 1, PacketID: 7}
	pub.Props.User.Add("k", "v") // mochi copied these into the PUBACK too
	for _, p := range []mqttpkt.Packet{&mqttpkt.Connect{Version: mqttpkt.V5, CleanStart: true, ClientID: []byte("strict")}, pub} {
		if err := m.WritePacket(p); err != nil {
			t.Fatal(err)
		}
	}
	var ack mqttpkt.Connack
	if _, err := ack.Decode(recv(), mqttpkt.V5); err != nil || ack.ReasonCode != 0 {
		t.Fatalf("CONNACK %v %v", ack.ReasonCode, err)
	}
	var pa mqttpkt.Ack
	if _, err := pa.Decode(recv(), mqttpkt.V5); err != nil || pa.PacketID != 7 || pa.ReasonCode != 0 || !pa.Props.Empty() {
		t.Errorf("PUBACK %+v: %v", pa, err)
	}
}

// TestBrokerBurstLowReceiveMaximum sends 10,000 QoS 1 messages to a
// subscriber whose Receive Maximum is below 65,535 but at least the
// broker's in-flight cap: the case the send-quota hook covers (mochi 2.7.9
// alone could stop for good on it).
func TestBrokerBurstLowReceiveMaximum(t *testing.T) {
	checkGoroutines(t)
	const n = 10000
	b := start(t, broker.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sub := dial(t, b.URL(), mqttbridge.Options{ReceiveMaximum: 65534})
	got, all := 0, make(chan struct{})
	if err := sub.Subscribe(ctx, func(m *mqttbridge.Message) {
		if got++; got == n { // handlers run one at a time
			close(all)
		}
	}, "burst"); err != nil {
		t.Fatal(err)
	}
	pub := dial(t, b.URL(), mqttbridge.Options{})
	for i := range n {
		if err := pub.PublishAsync(ctx, &mqttbridge.Message{Topic: "burst", QoS: 1, Payload: []byte(strconv.Itoa(i))}, nil); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-all:
	case <-ctx.Done():
		t.Fatal("the burst did not get through")
	}
}
