package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device"
	"github.com/iotwire/iotwire/examples/internal/server"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/transport/udp"
)

const guard = 20 * time.Second

// logBuffer collects the command's log for the test.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRun runs the command against the example server: it bootstraps,
// registers, answers a read, takes a firmware update and de-registers when
// its context ends.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pc, err := udp.Listen(ctx, "udp", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	uri := "coap://" + pc.LocalAddr().String()
	events := make(chan server.Event, 1000)
	reg := lwm2m.CoreRegistry()
	reg.Register(device.TemperatureDef)
	s := server.New(server.Config{Registry: reg, OnEvent: func(ev server.Event) { events <- ev },
		Bootstrap: func(ep string) (server.BootstrapAccount, bool) {
			return server.BootstrapAccount{ServerURI: uri, Lifetime: time.Minute}, ep == "cmd-dev"
		}})
	defer s.Close()
	served := make(chan error, 1)
	go func() { served <- s.ServePacketConn(ctx, "udp", pc) }()

	var log logBuffer
	devCtx, stopDev := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(devCtx, []string{"-bootstrap", uri, "-ep", "cmd-dev", "-interval", "50ms", "-update-time", "10ms"}, &log)
	}()
	var seen []server.Event
	wait := func(k server.EventKind) server.Event {
		t.Helper()
		for i, ev := range seen {
			if ev.Kind == k {
				seen = append(seen[:i], seen[i+1:]...)
				return ev
			}
		}
		for {
			select {
			case ev := <-events:
				if ev.Kind == k {
					return ev
				}
				seen = append(seen, ev)
			case <-time.After(guard):
				t.Fatalf("no %v event; log:\n%s", k, log.String())
			}
		}
	}
	wait(server.EventBootstrapped)
	if c := wait(server.EventRegistered).Client; c.Endpoint != "cmd-dev" || c.Lifetime != time.Minute {
		t.Errorf("registered %+v", c)
	}
	opctx, opcancel := context.WithTimeout(ctx, guard)
	defer opcancel()
	got, err := s.Read(opctx, "cmd-dev", path.Resource(3303, 0, 5701), coapmsg.TextPlain)
	if err != nil || string(got.Payload) != "Cel" {
		t.Errorf("read units: %v %v", got, err)
	}
	if err := s.UpdateFirmware(opctx, "cmd-dev", device.MakeImage("9.9.9", make([]byte, 3000)), server.FirmwareOptions{}); err != nil {
		t.Errorf("firmware update: %v", err)
	}
	got, err = s.Read(opctx, "cmd-dev", path.Resource(3, 0, 3), coapmsg.TextPlain)
	if err != nil || string(got.Payload) != "9.9.9" {
		t.Errorf("firmware version after the update: %v %v", got, err)
	}
	stopDev()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	wait(server.EventDeregistered)
	cancel()
	if err := <-served; err != nil {
		t.Error(err)
	}
	for _, want := range []string{"registered", "bootstrap finished", "installing firmware", "de-registered"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

// TestFlags: a bad flag is an error, not a panic.
func TestFlags(t *testing.T) {
	var log logBuffer
	if err := run(context.Background(), []string{"-psk-key", "zz"}, &log); err == nil {
		t.Error("bad -psk-key accepted")
	}
	if err := run(context.Background(), []string{"-lwm2m", "2.0"}, &log); err == nil {
		t.Error("bad -lwm2m accepted")
	}
}
