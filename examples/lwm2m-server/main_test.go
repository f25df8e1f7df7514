package main

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/examples/internal/device"
)

const guard = 20 * time.Second

// logBuffer collects the command's log; waitFor waits for a line.
type logBuffer struct {
	mu      sync.Mutex
	b       strings.Builder
	written chan struct{}
}

func newLogBuffer() *logBuffer { return &logBuffer{written: make(chan struct{}, 1)} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case l.written <- struct{}{}:
	default:
	}
	return l.b.Write(p)
}

func (l *logBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(guard)
	for !strings.Contains(l.String(), s) {
		select {
		case <-l.written:
		case <-timeout:
			t.Fatalf("log lacks %q:\n%s", s, l.String())
		}
	}
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRun runs the command on UDP and DTLS with the firmware update of
// every device that registers: a device on each transport gets the
// generated image, and the command stops cleanly when its context ends.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	key := []byte("0123456789abcdef")
	addrs := make(chan [2]net.Addr, 1)
	log := newLogBuffer()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-udp", "127.0.0.1:0", "-dtls", "127.0.0.1:0", "-psk", "dev-dtls:30313233343536373839616263646566",
			"-update-firmware", "*", "-image-size", "6000", "-image-version", "3.1.4"}, log,
			func(u, d net.Addr) { addrs <- [2]net.Addr{u, d} })
	}()
	var a [2]net.Addr
	select {
	case a = <-addrs:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}

	var wg sync.WaitGroup
	for _, d := range []struct{ ep, uri string }{
		{"dev-udp", "coap://" + a[0].String()},
		{"dev-dtls", "coaps://" + a[1].String()},
	} {
		applied := make(chan string, 1)
		c, err := device.New(device.Config{Endpoint: d.ep, FirmwareApply: func(_ context.Context, v string, _ []byte) error {
			applied <- v
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		pc, addr, err := device.Dial(ctx, d.uri, device.DialOptions{PSKIdentity: []byte(d.ep), PSKKey: key})
		if err != nil {
			t.Fatal(err)
		}
		dctx, stop := context.WithCancel(ctx)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Run(dctx, pc, addr); err != nil {
				t.Errorf("%s: %v", d.ep, err)
			}
		}()
		select {
		case v := <-applied:
			if v != "3.1.4" {
				t.Errorf("%s: version %q", d.ep, v)
			}
		case <-time.After(guard):
			t.Fatalf("%s: no firmware update; log:\n%s", d.ep, log.String())
		}
		log.waitFor(t, `firmware update done" who=server ep=`+d.ep)
		stop()
	}
	wg.Wait()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	log.waitFor(t, "deregistered ep=dev-dtls")
}
