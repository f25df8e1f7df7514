package mqttbridge

import (
	"bytes"
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotwire/iotwire/mqttpkt"
)

func dial(t *testing.T, url string, o Options) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := Dial(ctx, url, o)
	if err != nil {
		t.Fatalf("Dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestClientRoundTrip publishes QoS 0 and QoS 1 messages with every
// property and receives them through a subscription, on each broker.
func TestClientRoundTrip(t *testing.T) {
	checkGoroutines(t)
	for _, b := range brokers(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
			defer cancel()
			sub := dial(t, b.url, Options{ClientID: "rt-sub-" + b.name})
			pub := dial(t, b.url, Options{ClientID: "rt-pub-" + b.name, UseTopicAliases: true})
			got := make(chan *Message, 10)
			if err := sub.Subscribe(ctx, func(m *Message) { got <- m }, "rt/+/x"); err != nil {
				t.Fatal(err)
			}
			want := &Message{Topic: "rt/a/x", Payload: []byte(`{"v":1}`), QoS: mqttpkt.QoS1, Props: Props{
				ContentType: "application/json", PayloadUTF8: true, MessageExpiry: 60,
				ResponseTopic: "rt/reply", CorrelationData: []byte{1, 2, 3},
				User: []UserProperty{{"k", "v"}, {"k", "w"}, {"lwm2m-path", "/3/0/1"}},
			}}
			for i := range 3 { // the topic alias is defined, then used
				want.Payload = []byte(strconv.Itoa(i))
				want.QoS = mqttpkt.QoS(i % 2)
				if err := pub.Publish(ctx, want); err != nil {
					t.Fatalf("Publish %d: %v", i, err)
				}
				var m *Message
				select {
				case m = <-got:
				case <-ctx.Done():
					t.Fatalf("message %d not received", i)
				}
				if m.Topic != want.Topic || !bytes.Equal(m.Payload, want.Payload) || m.QoS != want.QoS {
					t.Errorf("got %q %q QoS %d, want %q %q QoS %d", m.Topic, m.Payload, m.QoS, want.Topic, want.Payload, want.QoS)
				}
				p := m.Props
				if p.ContentType != "application/json" || !p.PayloadUTF8 || p.ResponseTopic != "rt/reply" ||
					!bytes.Equal(p.CorrelationData, []byte{1, 2, 3}) || p.MessageExpiry == 0 || p.MessageExpiry > 60 {
					t.Errorf("properties %+v", p)
				}
				if len(p.User) != 3 || p.User[1] != (UserProperty{"k", "w"}) {
					t.Errorf("user properties %v", p.User)
				}
			}
		})
	}
}

// TestBurst publishes 10,000 QoS 1 messages as fast as the in-flight
// window allows and checks that a subscriber receives every one, once
// (QoS 1 allows duplicates: they are counted apart), on each broker.
func TestBurst(t *testing.T) {
	checkGoroutines(t)
	const n = 10000
	for _, b := range brokers(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), burstTimeout)
			defer cancel()
			// The subscriber uses TCP: over WebSocket it lags more under
			// -race, and mochi slows down with a subscriber's backlog
			// (it scans its in-flight map at each acknowledgement).
			sub := dial(t, b.tcp, Options{ClientID: "burst-sub-" + b.name})
			pub := dial(t, b.url, Options{ClientID: "burst-pub-" + b.name, UseTopicAliases: true})
			var (
				mu   sync.Mutex
				seen = make([]bool, n)
				got  int
				dups int
				all  = make(chan struct{})
			)
			err := sub.Subscribe(ctx, func(m *Message) {
				i, err := strconv.Atoi(string(m.Payload))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil || i < 0 || i >= n:
					t.Errorf("unexpected payload %q", m.Payload)
				case seen[i]:
					dups++
				default:
					seen[i] = true
					if got++; got == n {
						close(all)
					}
				}
			}, "burst/#")
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			var acked, failed atomic.Int64
			m := &Message{QoS: mqttpkt.QoS1}
			for i := range n {
				m.Topic = "burst/" + strconv.Itoa(i%10)
				m.Payload = strconv.AppendInt(m.Payload[:0], int64(i), 10)
				err := pub.PublishAsync(ctx, m, func(err error) {
					if err != nil {
						failed.Add(1)
						return
					}
					acked.Add(1)
				})
				if err != nil {
					t.Fatalf("publish %d: %v", i, err)
				}
			}
			if err := pub.Flush(ctx); err != nil {
				t.Fatalf("flush: %v", err)
			}
			sent := time.Since(start)
			select {
			case <-all:
			case <-ctx.Done():
				mu.Lock()
				g := got
				mu.Unlock()
				t.Fatalf("received %d of %d messages", g, n)
			}
			if acked.Load() != n || failed.Load() != 0 {
				t.Errorf("acknowledged %d, failed %d, want %d and 0", acked.Load(), failed.Load(), n)
			}
			t.Logf("%s: %d QoS 1 messages: all acknowledged after %v, all received after %v (window %d, %d duplicates, %d QoS 0 drops)",
				b.name, n, sent.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), pub.Inflight(), dups, sub.Dropped())
		})
	}
}
