package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/examples/internal/server"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/smstest"
	"github.com/iotwire/iotwire/transport/udp"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

// guard bounds every wait of these tests: a failure guard, never a
// synchronisation.
const guard = 20 * time.Second

// testLogger writes the examples' log to the test's log (go test -v).
func testLogger(t *testing.T, who string) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo})).With("who", who)
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

// checkGoroutines fails the test if goroutines started during it are
// still running at its end (waiting up to the guard for them to exit).
func checkGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(guard)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// env is a server serving one transport, and a way for devices to reach it.
type env struct {
	t      *testing.T
	srv    *server.Server
	events chan server.Event
	ctx    context.Context
	// dial opens a device's transport to the server.
	dial func(ep string) (net.PacketConn, net.Addr)
	uri  string
	sms  *smstest.Network // the simulated network, over SMS
}

// smsDrop, when set before newEnv, is the simulated network's Drop hook.
var smsDrop func(from, to string, n uint64, m *sms.SMS) bool

var pskKeys = map[string][]byte{
	"dev-dtls": []byte("secret-key-dtls!"),
	"dev-fw":   []byte("secret-key-fw!!!"),
}

const serverNumber = "+15550000001"

// newEnv starts a server on transport "udp", "dtls" or "sms".
func newEnv(t *testing.T, transport string, cfg server.Config) *env {
	t.Helper()
	checkGoroutines(t)
	ctx, cancel := context.WithCancel(context.Background())
	e := &env{t: t, events: make(chan server.Event, 10000), ctx: ctx}
	reg := lwm2m.CoreRegistry()
	if err := reg.Register(device.TemperatureDef); err != nil {
		t.Fatal(err)
	}
	cfg.Registry = reg
	cfg.OnEvent = func(ev server.Event) { e.events <- ev }
	cfg.AckTimeout = 200 * time.Millisecond
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t, "server")
	}
	e.srv = server.New(cfg)
	var wg sync.WaitGroup
	serve := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				t.Errorf("serve: %v", err)
			}
		}()
	}
	switch transport {
	case "udp":
		pc, err := udp.Listen(ctx, "udp", "127.0.0.1:0", nil)
		if err != nil {
			t.Fatal(err)
		}
		e.uri = "coap://" + pc.LocalAddr().String()
		serve(func() error { return e.srv.ServePacketConn(ctx, "udp", pc) })
		e.dial = func(ep string) (net.PacketConn, net.Addr) { return e.dialURI(e.uri, device.DialOptions{}) }
	case "dtls":
		l, err := dtls.Listen(ctx, "udp", "127.0.0.1:0", server.PSKConfig(pskKeys))
		if err != nil {
			t.Fatal(err)
		}
		e.uri = "coaps://" + l.Addr().String()
		serve(func() error { return e.srv.ServeDTLS(ctx, l) })
		e.dial = func(ep string) (net.PacketConn, net.Addr) {
			return e.dialURI(e.uri, device.DialOptions{PSKIdentity: []byte(ep), PSKKey: pskKeys[ep]})
		}
	case "sms":
		network := smstest.New(smstest.Config{Drop: smsDrop})
		e.sms = network
		t.Cleanup(func() { network.Close() })
		lk, err := network.Link(serverNumber)
		if err != nil {
			t.Fatal(err)
		}
		pc, err := sms.NewConn(lk, sms.Config{Local: serverNumber})
		if err != nil {
			t.Fatal(err)
		}
		e.uri = "sms:" + serverNumber
		serve(func() error { return e.srv.ServePacketConn(ctx, "sms", pc) })
		next := 2
		e.dial = func(ep string) (net.PacketConn, net.Addr) {
			number := fmt.Sprintf("+1555000%04d", next)
			next++
			lk, err := network.Link(number)
			if err != nil {
				t.Fatal(err)
			}
			return e.dialURI(e.uri, device.DialOptions{SMSLink: lk, SMSNumber: number})
		}
	default:
		t.Fatalf("transport %q", transport)
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		e.srv.Close()
	})
	return e
}

func (e *env) dialURI(uri string, o device.DialOptions) (net.PacketConn, net.Addr) {
	ctx, cancel := context.WithTimeout(e.ctx, guard)
	defer cancel()
	pc, addr, err := device.Dial(ctx, uri, o)
	if err != nil {
		e.t.Fatalf("dial %s: %v", uri, err)
	}
	return pc, addr
}

// run starts a device; it is stopped (and de-registers) at the end of the
// test, or with the returned stop.
func (e *env) run(c *device.Client, ep string) (stop func() error) {
	pc, addr := e.dial(ep)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, pc, addr) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(guard):
				err = errors.New("Run did not return")
			}
		})
		return err
	}
	e.t.Cleanup(func() { stop() })
	return stop
}

// wait returns the next event of kind for endpoint ep, skipping others.
func (e *env) wait(kind server.EventKind, ep string) server.Event {
	e.t.Helper()
	timeout := time.After(guard)
	for {
		select {
		case ev := <-e.events:
			if ev.Kind == kind && ev.Client.Endpoint == ep {
				return ev
			}
		case <-timeout:
			e.t.Fatalf("no %v event for %s", kind, ep)
			return server.Event{}
		}
	}
}

func newDevice(t *testing.T, cfg device.Config) *device.Client {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t, cfg.Endpoint)
	}
	cfg.AckTimeout = 200 * time.Millisecond
	c, err := device.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddObject(device.TemperatureObject(nil)); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(path.Resource(3303, 0, 5700), lwm2m.FloatValue(21.5)); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(path.Resource(3303, 0, 5701), lwm2m.StringValue([]byte("Cel"))); err != nil {
		t.Fatal(err)
	}
	return c
}

func find(recs []content.Record, p path.Path) (lwm2m.Value, bool) {
	for _, r := range recs {
		if r.Path == p {
			return r.Value, true
		}
	}
	return lwm2m.Value{}, false
}

func text(v lwm2m.Value) string {
	if b, ok := v.Bytes(); ok {
		return string(b)
	}
	out, _ := lwm2m.AppendText(nil, v)
	return string(out)
}

// TestDeviceManagement runs the device against the server over each
// transport: register, reads in every format, writes, execute, discover,
// attributes and observation with notifications, Send, Create and Delete
// with the Update they cause, and de-registration.
func TestDeviceManagement(t *testing.T) {
	for _, tr := range []string{"udp", "dtls", "sms"} {
		t.Run(tr, func(t *testing.T) {
			e := newEnv(t, tr, server.Config{})
			ep := "dev-" + tr
			reboots := make(chan struct{}, 1)
			cfg := device.Config{Endpoint: ep, OnReboot: func() { reboots <- struct{}{} }}
			if tr == "sms" {
				cfg.Binding = "S"
			}
			c := newDevice(t, cfg)
			stop := e.run(c, ep)
			ctx, cancel := context.WithTimeout(context.Background(), guard)
			defer cancel()

			reg := e.wait(server.EventRegistered, ep).Client
			if reg.Transport != tr || reg.Version != (link.Version{Major: 1, Minor: 1}) || !reg.HasObject(3303) || !reg.HasObject(5) {
				t.Errorf("registration %+v", reg)
			}
			if reg.PreferredFormat() != coapmsg.AppSenMLCBOR {
				t.Errorf("preferred format %v", reg.PreferredFormat())
			}
			if tr == "dtls" && reg.PSKIdentity != ep {
				t.Errorf("PSK identity %q", reg.PSKIdentity)
			}

			// Read /3/0 in each format.
			for _, f := range []coapmsg.MediaType{coapmsg.AppLwM2MTLV, coapmsg.AppSenMLJSON, coapmsg.AppSenMLCBOR,
				coapmsg.AppLwM2MCBOR, coapmsg.AppLwM2MJSON, server.Preferred} {
				got, err := e.srv.Read(ctx, ep, path.Instance(3, 0), f)
				if err != nil {
					t.Fatalf("Read /3/0 %v: %v", f, err)
				}
				if f != server.Preferred && got.Format != f || f == server.Preferred && got.Format != coapmsg.AppSenMLCBOR {
					t.Errorf("Read in %v answered in %v", f, got.Format)
				}
				if v, _ := find(got.Records, path.Resource(3, 0, 0)); text(v) != "iotwire" {
					t.Errorf("%v: manufacturer %q", f, text(v))
				}
				if v, _ := find(got.Records, path.ResourceInstance(3, 0, 11, 0)); v.Type() != lwm2m.Integer {
					t.Errorf("%v: error code %v", f, v)
				}
				if v, _ := find(got.Records, path.Resource(3, 0, 13)); v.Type() != lwm2m.Time {
					t.Errorf("%v: current time %v", f, v)
				}
				if _, ok := find(got.Records, path.Resource(3, 0, 4)); ok {
					t.Errorf("%v: an executable resource was read", f)
				}
			}
			got, err := e.srv.Read(ctx, ep, path.Resource(3, 0, 1), coapmsg.TextPlain)
			if err != nil || got.Format != coapmsg.TextPlain || string(got.Payload) != "example-device" {
				t.Errorf("Read /3/0/1 text: %v %v", got, err)
			}
			var se *server.StatusError
			if _, err := e.srv.Read(ctx, ep, path.Resource(3, 0, 11), coapmsg.TextPlain); !errors.As(err, &se) || se.Code != coapmsg.NotAcceptable {
				t.Errorf("text Read of a multiple resource: %v, want 4.06", err)
			}
			if _, err := e.srv.Read(ctx, ep, path.Instance(3303, 7), server.Preferred); !errors.As(err, &se) || se.Code != coapmsg.NotFound {
				t.Errorf("Read of a missing instance: %v, want 4.04", err)
			}
			if _, err := e.srv.Read(ctx, ep, path.Resource(5, 0, 0), server.Preferred); !errors.As(err, &se) || se.Code != coapmsg.MethodNotAllowed {
				t.Errorf("Read of a write-only resource: %v, want 4.05", err)
			}

			// Write: replace a resource, partial update of an instance.
			str := func(s string) lwm2m.Value { return lwm2m.StringValue([]byte(s)) }
			if err := e.srv.Write(ctx, ep, path.Resource(3, 0, 14), []content.Record{{Path: path.Resource(3, 0, 14), Value: str("+02:00")}},
				server.WriteOptions{Format: coapmsg.TextPlain, Single: true}); err != nil {
				t.Fatalf("Write text: %v", err)
			}
			if err := e.srv.Write(ctx, ep, path.Instance(3, 0), []content.Record{{Path: path.Resource(3, 0, 15), Value: str("Europe/Paris")}},
				server.WriteOptions{Partial: true, Format: coapmsg.AppLwM2MTLV}); err != nil {
				t.Fatalf("Write partial: %v", err)
			}
			if v, _ := c.Get(path.Resource(3, 0, 14)); text(v) != "+02:00" {
				t.Errorf("UTC offset %q", text(v))
			}
			if v, _ := c.Get(path.Resource(3, 0, 15)); text(v) != "Europe/Paris" {
				t.Errorf("timezone %q", text(v))
			}
			err = e.srv.Write(ctx, ep, path.Resource(3, 0, 0), []content.Record{{Path: path.Resource(3, 0, 0), Value: str("x")}}, server.WriteOptions{})
			if !errors.As(err, &se) || se.Code != coapmsg.MethodNotAllowed {
				t.Errorf("Write of a read-only resource: %v, want 4.05", err)
			}

			// Execute.
			if err := e.srv.Execute(ctx, ep, path.Resource(3, 0, 4), nil); err != nil {
				t.Fatalf("Execute reboot: %v", err)
			}
			select {
			case <-reboots:
			case <-ctx.Done():
				t.Fatal("reboot not called")
			}
			if err := e.srv.Execute(ctx, ep, path.Resource(3, 0, 0), nil); !errors.As(err, &se) || se.Code != coapmsg.MethodNotAllowed {
				t.Errorf("Execute of a readable resource: %v, want 4.05", err)
			}

			// Write-Attributes, then Discover shows them.
			if err := e.srv.WriteAttributes(ctx, ep, path.Resource(3303, 0, 5700),
				op.Attributes{Set: link.AttrPmax | link.AttrSt, Pmax: 600, St: 1}); err != nil {
				t.Fatalf("Write-Attributes: %v", err)
			}
			links, err := e.srv.Discover(ctx, ep, path.Instance(3303, 0))
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			var sawAttrs bool
			for _, l := range links {
				if l.Path == path.Resource(3303, 0, 5700) && l.Attrs.Has(link.AttrPmax|link.AttrSt) && l.Attrs.Pmax == 600 {
					sawAttrs = true
				}
			}
			if !sawAttrs || len(links) != 4 { // the instance, 5605 (executable), 5700 and 5701
				t.Errorf("Discover /3303/0: %+v", links)
			}
			links, err = e.srv.Discover(ctx, ep, path.Resource(3, 0, 11))
			if err != nil || len(links) != 1 || !links[0].Attrs.Has(link.AttrDim) || links[0].Attrs.Dim != 1 {
				t.Errorf("Discover /3/0/11: %+v %v", links, err)
			}

			// Observe with st=1: a change of 0.5 is not notified, one of 2 is.
			obs, first, err := e.srv.Observe(ctx, ep, path.Resource(3303, 0, 5700), server.Preferred)
			if err != nil {
				t.Fatalf("Observe: %v", err)
			}
			if v, _ := find(first.Records, path.Resource(3303, 0, 5700)); text(v) != "21.5" {
				t.Errorf("first value %v", first.Records)
			}
			c.Set(path.Resource(3303, 0, 5700), lwm2m.FloatValue(22.0))
			c.Set(path.Resource(3303, 0, 5700), lwm2m.FloatValue(24.0))
			n := e.wait(server.EventNotification, ep)
			if v, _ := find(n.Records, path.Resource(3303, 0, 5700)); text(v) != "24" || n.Observation != obs {
				t.Errorf("notification %v", n.Records)
			}
			// An observation of the instance sees a change of any resource.
			obs2, _, err := e.srv.Observe(ctx, ep, path.Instance(3, 0), coapmsg.AppLwM2MCBOR)
			if err != nil {
				t.Fatalf("Observe /3/0: %v", err)
			}
			c.Set(path.Resource(3, 0, 9), lwm2m.IntegerValue(42))
			for {
				n = e.wait(server.EventNotification, ep)
				if n.Path != path.Instance(3, 0) {
					continue
				}
				if v, _ := find(n.Records, path.Resource(3, 0, 9)); text(v) == "42" && n.Format == coapmsg.AppLwM2MCBOR {
					break
				}
			}
			for _, o := range []*server.Observation{obs, obs2} {
				if err := o.Cancel(ctx); err != nil {
					t.Errorf("Cancel: %v", err)
				}
			}
			if ps := c.Observations(); len(ps) != 0 {
				t.Errorf("observations left on the device: %v", ps)
			}

			// Send.
			if err := c.Send(ctx, path.Resource(3303, 0, 5700), path.Resource(3, 0, 9)); err != nil {
				t.Fatalf("Send: %v", err)
			}
			sent := e.wait(server.EventSend, ep)
			if v, _ := find(sent.Records, path.Resource(3, 0, 9)); text(v) != "42" || !sent.Records[0].HasTime {
				t.Errorf("Send records %+v", sent.Records)
			}

			// Create and Delete, each followed by an Update with the objects.
			p, err := e.srv.Create(ctx, ep, 3303, []content.Record{{Path: path.Resource(3303, 1, 5700), Value: lwm2m.FloatValue(-3)}})
			if err != nil || p != path.Instance(3303, 1) {
				t.Fatalf("Create: %v %v", p, err)
			}
			for {
				up := e.wait(server.EventUpdated, ep).Client
				if has(up.Objects, path.Instance(3303, 1)) {
					break
				}
			}
			if err := e.srv.Delete(ctx, ep, path.Instance(3303, 1)); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if err := e.srv.Delete(ctx, ep, path.Instance(3, 0)); !errors.As(err, &se) || se.Code != coapmsg.MethodNotAllowed {
				t.Errorf("Delete /3/0: %v, want 4.05", err)
			}

			// Registration Update Trigger, then de-registration.
			if err := e.srv.Execute(ctx, ep, path.Resource(1, 0, 8), nil); err != nil {
				t.Fatal(err)
			}
			e.wait(server.EventUpdated, ep)
			if err := stop(); err != nil {
				t.Errorf("Run: %v", err)
			}
			e.wait(server.EventDeregistered, ep)
			if _, ok := e.srv.Client(ep); ok {
				t.Error("client still registered")
			}
		})
	}
}

func has(objs []server.ObjectLink, p path.Path) bool {
	for _, o := range objs {
		if o.Path == p {
			return true
		}
	}
	return false
}

// TestLifetime: a device updates before its lifetime ends; a device that
// goes silent expires; a device whose server forgot it registers again
// after the 4.04 answering its Update.
func TestLifetime(t *testing.T) {
	e := newEnv(t, "udp", server.Config{})
	c := newDevice(t, device.Config{Endpoint: "dev-lt", Lifetime: 2 * time.Second})
	e.run(c, "dev-lt")
	reg := e.wait(server.EventRegistered, "dev-lt").Client
	up := e.wait(server.EventUpdated, "dev-lt").Client
	if up.Location != reg.Location || up.Lifetime != 2*time.Second {
		t.Errorf("update %+v", up)
	}

	// A device whose transport dies: no De-register, the lifetime ends.
	silent := newDevice(t, device.Config{Endpoint: "dev-silent", Lifetime: time.Second})
	pc, addr := e.dial("dev-silent")
	cut := &cutPC{PacketConn: pc}
	done := make(chan error, 1)
	go func() { done <- silent.Run(context.Background(), cut, addr) }()
	e.wait(server.EventRegistered, "dev-silent")
	cut.PacketConn.Close()
	if err := <-done; err == nil {
		t.Error("Run returned nil after its transport failed")
	}
	exp := e.wait(server.EventExpired, "dev-silent")
	if _, ok := e.srv.Client("dev-silent"); ok || exp.Client.Endpoint != "dev-silent" {
		t.Error("expired client still registered")
	}
}

// cutPC lets a test close a device's transport under it.
type cutPC struct{ net.PacketConn }

// TestReregisterAfterNotFound: the server restarts and forgets the
// registration; the device's next Update gets 4.04 and it registers again.
func TestReregisterAfterNotFound(t *testing.T) {
	checkGoroutines(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pc, err := udp.Listen(ctx, "udp", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	events := make(chan server.Event, 100)
	start := func(pc net.PacketConn) (stop func()) {
		s := server.New(server.Config{OnEvent: func(ev server.Event) { events <- ev }, Logger: testLogger(t, "server")})
		sctx, scancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); s.ServePacketConn(sctx, "udp", pc) }()
		return func() { scancel(); <-done; s.Close() }
	}
	waitKind := func(k server.EventKind) server.Event {
		t.Helper()
		for {
			select {
			case ev := <-events:
				if ev.Kind == k {
					return ev
				}
			case <-time.After(guard):
				t.Fatalf("no %v event", k)
			}
		}
	}
	stop1 := start(pc)
	registered := make(chan string, 2)
	c := newDevice(t, device.Config{Endpoint: "dev-rereg", OnRegistered: func(loc string) { registered <- loc }})
	dpc, daddr, err := device.Dial(ctx, "coap://"+addr, device.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dctx, dcancel := context.WithCancel(ctx)
	runDone := make(chan error, 1)
	go func() { runDone <- c.Run(dctx, dpc, daddr) }()
	first := waitKind(server.EventRegistered).Client.Location
	select { // the device has the answer: the server may go
	case <-registered:
	case <-time.After(guard):
		t.Fatal("the device did not register")
	}
	stop1()

	pc2, err := udp.Listen(ctx, "udp", addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop2 := start(pc2)
	defer stop2()
	c.TriggerUpdate()
	again := waitKind(server.EventRegistered).Client
	select {
	case loc := <-registered:
		if loc != again.Location {
			t.Errorf("device registered at %q, server says %q", loc, again.Location)
		}
	case <-time.After(guard):
		t.Fatal("the device did not register again")
	}
	t.Logf("registered at %s, then again at %s", first, again.Location)
	dcancel()
	if err := <-runDone; err != nil {
		t.Error(err)
	}
	waitKind(server.EventDeregistered)
}

// TestFirmwareUpdate pushes images with Block1 over each transport: a
// good one ends in Update Result 1 with the new version in /3/0/3, a
// corrupted one in Update Result 5, one above the device's limit in 2.
func TestFirmwareUpdate(t *testing.T) {
	for _, tc := range []struct {
		transport string
		size      int
		block     int
	}{{"udp", 16 << 10, 512}, {"dtls", 16 << 10, 1024}, {"sms", 2 << 10, 256}} {
		t.Run(tc.transport, func(t *testing.T) {
			e := newEnv(t, tc.transport, server.Config{Logger: quietLogger()})
			ep := "dev-fw"
			applied := make(chan string, 1)
			c := newDevice(t, device.Config{Endpoint: ep, FirmwareMaxSize: 32 << 10, Logger: quietLogger(),
				FirmwareApply: func(ctx context.Context, version string, payload []byte) error {
					applied <- version
					return nil
				}})
			e.run(c, ep)
			e.wait(server.EventRegistered, ep)
			ctx, cancel := context.WithTimeout(context.Background(), 2*guard)
			defer cancel()

			payload := bytes.Repeat([]byte("firmware-payload-"), tc.size/17+1)[:tc.size]
			image := device.MakeImage("2.0.0", payload)
			var states []string
			var routed uint64
			if e.sms != nil {
				routed = e.sms.Stats().Routed
			}
			start := time.Now()
			err := e.srv.UpdateFirmware(ctx, ep, image, server.FirmwareOptions{BlockSize: tc.block,
				Progress: func(st server.FirmwareStatus) { states = append(states, st.String()) }})
			took := time.Since(start)
			if err != nil {
				t.Fatalf("UpdateFirmware: %v (states %v)", err, states)
			}
			t.Logf("firmware update of %d bytes (%d KiB payload) over %s in blocks of %d: %v", len(image), tc.size>>10, tc.transport, tc.block, took)
			if e.sms != nil {
				t.Logf("short messages routed during the update: %d", e.sms.Stats().Routed-routed)
			}
			if v := <-applied; v != "2.0.0" {
				t.Errorf("applied version %q", v)
			}
			if v, _ := c.Get(path.Resource(3, 0, 3)); text(v) != "2.0.0" {
				t.Errorf("firmware version %q", text(v))
			}
			got, err := e.srv.Read(ctx, ep, path.Instance(5, 0), server.Preferred)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := find(got.Records, path.Resource(5, 0, 5)); text(v) != "1" {
				t.Errorf("update result %v", got.Records)
			}

			// A corrupted image: integrity check failure.
			bad := bytes.Clone(image)
			bad[len(bad)-1] ^= 0xff
			err = e.srv.UpdateFirmware(ctx, ep, bad, server.FirmwareOptions{BlockSize: tc.block})
			var fe *server.FirmwareError
			if !errors.As(err, &fe) || fe.Status.Result != device.ResultIntegrity || fe.Status.State != device.StateIdle {
				t.Errorf("corrupted image: %v, want Update Result 5", err)
			}
			// An image above the device's limit: not enough storage.
			big := device.MakeImage("3.0.0", make([]byte, 40<<10))
			err = e.srv.UpdateFirmware(ctx, ep, big, server.FirmwareOptions{BlockSize: tc.block})
			if !errors.As(err, &fe) || fe.Status.Result != device.ResultNoStorage {
				t.Errorf("image too large: %v, want Update Result 2", err)
			}
			// Execute Update with nothing downloaded: 4.05.
			var se *server.StatusError
			if err := e.srv.Execute(ctx, ep, path.Resource(5, 0, 2), nil); !errors.As(err, &se) || se.Code != coapmsg.MethodNotAllowed {
				t.Errorf("Update in Idle: %v, want 4.05", err)
			}
		})
	}
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// TestBootstrap: the device asks the bootstrap server for its accounts,
// gets a server account written, and registers with it.
func TestBootstrap(t *testing.T) {
	// The server's URI is known once newEnv returns; the callback runs on
	// the server's goroutine, hence the atomic.
	var uri atomic.Value
	e := newEnv(t, "udp", server.Config{Bootstrap: func(ep string) (server.BootstrapAccount, bool) {
		if ep != "dev-bs" {
			return server.BootstrapAccount{}, false
		}
		return server.BootstrapAccount{ServerURI: uri.Load().(string), SSID: 7, Lifetime: 120 * time.Second}, true
	}})
	uri.Store(e.uri)
	c := newDevice(t, device.Config{Endpoint: "dev-bs", BootstrapURI: "coap://bootstrap.invalid"})
	if a := c.Accounts(); len(a) != 1 || !a[0].Bootstrap {
		t.Fatalf("accounts before bootstrap: %+v", a)
	}
	pc, addr := e.dial("dev-bs")
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	if err := c.Bootstrap(ctx, pc, addr); err != nil {
		t.Fatalf("Bootstrap: %v", err)
	}
	e.wait(server.EventBootstrapped, "dev-bs")
	accts := c.Accounts()
	if len(accts) != 2 || accts[0].Bootstrap || accts[0].URI != e.uri || accts[0].SSID != 7 || accts[0].Lifetime != 120*time.Second || !accts[1].Bootstrap {
		t.Fatalf("accounts after bootstrap: %+v", accts)
	}
	e.run(c, "dev-bs")
	reg := e.wait(server.EventRegistered, "dev-bs").Client
	if reg.Lifetime != 120*time.Second {
		t.Errorf("registered with lifetime %v", reg.Lifetime)
	}
	// A device the bootstrap server does not know is refused.
	unknown := newDevice(t, device.Config{Endpoint: "dev-unknown", BootstrapURI: e.uri})
	pc, addr = e.dial("dev-unknown")
	if err := unknown.Bootstrap(ctx, pc, addr); err == nil {
		t.Error("Bootstrap of an unknown endpoint succeeded")
	}
}

// TestLwM2M10 registers a device as LwM2M 1.0: its reads default to TLV.
func TestLwM2M10(t *testing.T) {
	e := newEnv(t, "udp", server.Config{})
	c := newDevice(t, device.Config{Endpoint: "dev-10", Version: link.Version{Major: 1, Minor: 0}})
	e.run(c, "dev-10")
	reg := e.wait(server.EventRegistered, "dev-10").Client
	if reg.Version != (link.Version{Major: 1, Minor: 0}) || reg.PreferredFormat() != coapmsg.AppLwM2MTLV {
		t.Errorf("registration %+v", reg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	got, err := e.srv.Read(ctx, "dev-10", path.Object(3303), server.Preferred)
	if err != nil || got.Format != coapmsg.AppLwM2MTLV {
		t.Fatalf("Read: %v %v", got, err)
	}
	if v, _ := find(got.Records, path.Resource(3303, 0, 5700)); text(v) != "21.5" || v.Type() != lwm2m.Float {
		t.Errorf("records %+v", got.Records)
	}
}

// TestFirmwareOverLossySMS: the simulated network loses every tenth short
// message; retransmissions (RFC 7252 4.2) and the reassembler's timeout
// still bring the update to Update Result 1.
func TestFirmwareOverLossySMS(t *testing.T) {
	smsDrop = func(from, to string, n uint64, m *sms.SMS) bool { return n%10 == 0 }
	defer func() { smsDrop = nil }()
	e := newEnv(t, "sms", server.Config{Logger: quietLogger()})
	c := newDevice(t, device.Config{Endpoint: "dev-lossy", Binding: "S", Logger: quietLogger()})
	e.run(c, "dev-lossy")
	e.wait(server.EventRegistered, "dev-lossy")
	ctx, cancel := context.WithTimeout(context.Background(), 3*guard)
	defer cancel()
	image := device.MakeImage("2.0.1", bytes.Repeat([]byte{0x5a}, 2<<10))
	start := time.Now()
	if err := e.srv.UpdateFirmware(ctx, "dev-lossy", image, server.FirmwareOptions{BlockSize: 256}); err != nil {
		t.Fatalf("UpdateFirmware: %v", err)
	}
	st := e.sms.Stats()
	t.Logf("2 KiB over SMS losing 1 message in 10: %v, %d routed, %d dropped", time.Since(start), st.Routed, st.Dropped)
	if v, _ := c.Get(path.Resource(3, 0, 3)); text(v) != "2.0.1" {
		t.Errorf("firmware version %q", text(v))
	}
}
