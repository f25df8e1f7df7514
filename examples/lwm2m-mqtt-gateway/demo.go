package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/examples/internal/device"
	"github.com/iotwire/iotwire/examples/internal/gateway"
	"github.com/iotwire/iotwire/examples/internal/mqttbridge"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// sensor simulates a device's temperature (3303/0): a random walk, with
// its minimum and maximum.
type sensor struct {
	c               *device.Client
	mu              sync.Mutex
	value, min, max float64
}

// set sets the temperature to v.
func (s *sensor) set(v float64) {
	s.mu.Lock()
	if s.min == 0 && s.max == 0 {
		s.min, s.max = v, v
	}
	s.value = v
	s.min, s.max = min(s.min, v), max(s.max, v)
	s.mu.Unlock()
	s.publish()
}

func (s *sensor) drift(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		v := math.Round(s.value*10+float64(rand.IntN(11)-5)) / 10
		s.mu.Unlock()
		s.set(v)
	}
}

func (s *sensor) publish() {
	s.mu.Lock()
	v, lo, hi := s.value, s.min, s.max
	s.mu.Unlock()
	s.c.Set(path.Resource(3303, 0, 5700), lwm2m.FloatValue(v))
	s.c.Set(path.Resource(3303, 0, 5601), lwm2m.FloatValue(lo))
	s.c.Set(path.Resource(3303, 0, 5602), lwm2m.FloatValue(hi))
}

// reset runs when a server executes /3303/0/5605 (Reset Min and Max).
func (s *sensor) reset(uint16) {
	s.mu.Lock()
	s.min, s.max = s.value, s.value
	s.mu.Unlock()
	s.publish()
}

// commandLoop plays an MQTT application of the gateway: every so often it
// publishes a read command for one device's Device object resources, with
// a Response Topic and Correlation Data, and prints the answer.
func commandLoop(ctx context.Context, mc *mqttbridge.Client, gw *gateway.Gateway, names []string, every time.Duration, w io.Writer) {
	topics := gw.Bridge().Topics()
	const respTopic = "demo-app/responses"
	answers := make(chan *mqttbridge.Message, 16)
	if err := mc.Subscribe(ctx, func(m *mqttbridge.Message) {
		select {
		case answers <- m:
		default:
		}
	}, respTopic); err != nil {
		fmt.Fprintln(w, "demo app: subscribe:", err)
		return
	}
	paths := []path.Path{path.Resource(3, 0, 9), path.Resource(3, 0, 13), path.Resource(3303, 0, 5700), path.Instance(4, 0)}
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ep, p := names[i%len(names)], paths[i%len(paths)]
		id := "cmd-" + strconv.Itoa(i+1)
		cmd, _ := mqttbridge.EncodeCommand(&mqttbridge.Command{ID: id, Op: mqttbridge.OpRead, Path: p})
		fmt.Fprintf(w, "demo app  → %s  %s\n", topics.Command(ep), cmd)
		err := mc.Publish(ctx, &mqttbridge.Message{Topic: topics.Command(ep), Payload: cmd, QoS: 1,
			Props: mqttbridge.Props{ContentType: mqttbridge.ContentTypeJSON, ResponseTopic: respTopic, CorrelationData: []byte(id)}})
		if err != nil {
			if ctx.Err() == nil {
				fmt.Fprintln(w, "demo app: publish:", err)
			}
			continue
		}
		select {
		case m := <-answers:
			fmt.Fprintf(w, "demo app  ← %s  correlation %q  %s\n", m.Topic, m.Props.CorrelationData, m.Payload)
		case <-time.After(every):
			fmt.Fprintln(w, "demo app: no answer to", id)
		case <-ctx.Done():
			return
		}
	}
}
