package mqttbridge

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
	"github.com/iotwire/iotwire/mqttpkt"
)

// fakeLwM2M plays the LwM2M server with one device, "dev1".
type fakeLwM2M struct {
	mu       sync.Mutex
	calls    []string         // "op path [args]", in order
	written  []senml.Resolved // the values of the last write
	running  int              // operations on /9/0/0 in progress
	peak     int              // the most running at once
	entered  chan struct{}    // an operation on /9/0/0 started
	released chan struct{}    // closed: operations on /9/0/0 may end
}

func newFakeLwM2M() *fakeLwM2M {
	return &fakeLwM2M{entered: make(chan struct{}, 64), released: make(chan struct{})}
}

var (
	errNotFound   = &CodeError{Code: coapmsg.NotFound}
	errNotAllowed = &CodeError{Code: coapmsg.MethodNotAllowed, Msg: "read-only resource"}
)

func deviceValues(p path.Path) ([]senml.Resolved, bool) {
	all := []senml.Resolved{
		{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte("iotwire"))},
		{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(87)},
		{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1767366245)},
	}
	var out []senml.Resolved
	for _, r := range all {
		if p.Contains(r.Path) {
			out = append(out, r)
		}
	}
	return out, len(out) > 0
}

func (f *fakeLwM2M) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeLwM2M) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// block waits on /9/0/0 until released, or ctx; /9/0/1 until ctx.
func (f *fakeLwM2M) block(ctx context.Context, p path.Path) (bool, error) {
	switch p {
	case path.Resource(9, 0, 0):
		f.mu.Lock()
		f.running++
		f.peak = max(f.peak, f.running)
		f.mu.Unlock()
		f.entered <- struct{}{}
		defer func() {
			f.mu.Lock()
			f.running--
			f.mu.Unlock()
		}()
		select {
		case <-f.released:
			return true, nil
		case <-ctx.Done():
			return true, ctx.Err()
		}
	case path.Resource(9, 0, 1):
		<-ctx.Done()
		return true, ctx.Err()
	}
	return false, nil
}

func (f *fakeLwM2M) Read(ctx context.Context, ep string, p path.Path) ([]senml.Resolved, error) {
	f.record("read " + p.String())
	if ep != "dev1" {
		return nil, &CodeError{Code: coapmsg.NotFound, Msg: "no endpoint " + ep}
	}
	if ok, err := f.block(ctx, p); ok {
		return nil, err
	}
	if v, ok := deviceValues(p); ok {
		return v, nil
	}
	return nil, errNotFound
}

func (f *fakeLwM2M) Write(ctx context.Context, ep string, p path.Path, values []senml.Resolved) error {
	f.record("write " + p.String())
	if p == path.Resource(3, 0, 0) {
		return errNotAllowed
	}
	f.mu.Lock()
	f.written = values
	f.mu.Unlock()
	return nil
}

func (f *fakeLwM2M) Execute(ctx context.Context, ep string, p path.Path, args string) error {
	f.record("execute " + p.String() + " " + args)
	if p != path.Resource(3, 0, 4) {
		return errNotAllowed
	}
	return nil
}

func (f *fakeLwM2M) Observe(ctx context.Context, ep string, p path.Path) ([]senml.Resolved, error) {
	f.record("observe " + p.String())
	if v, ok := deviceValues(p); ok {
		return v, nil
	}
	return nil, errNotFound
}

func (f *fakeLwM2M) Cancel(ctx context.Context, ep string, p path.Path) error {
	f.record("cancel " + p.String())
	return errors.New("no such observation")
}

// collector gathers the messages of a subscription by topic.
type collector struct {
	mu    sync.Mutex
	byTop map[string][]*Message
	ready chan struct{}
	// live drops retained messages: a subscriber that was there first gets
	// the messages live. (mochi sends retained messages after SUBACK, so
	// one published meanwhile may arrive both live and retained.)
	live bool
}

func newCollector() *collector {
	return &collector{byTop: make(map[string][]*Message), ready: make(chan struct{}, 1)}
}

func (c *collector) handle(m *Message) {
	if c.live && m.Retain {
		return
	}
	c.mu.Lock()
	c.byTop[m.Topic] = append(c.byTop[m.Topic], m)
	c.mu.Unlock()
	select {
	case c.ready <- struct{}{}:
	default:
	}
}

// next returns the next message on topic, waiting for it.
func (c *collector) next(t *testing.T, ctx context.Context, topic string) *Message {
	t.Helper()
	for {
		c.mu.Lock()
		if q := c.byTop[topic]; len(q) > 0 {
			c.byTop[topic] = q[1:]
			c.mu.Unlock()
			return q[0]
		}
		c.mu.Unlock()
		select {
		case <-c.ready:
		case <-ctx.Done():
			t.Fatalf("no message on %s", topic)
		}
	}
}

func checkProps(t *testing.T, m *Message, want map[string]string) {
	t.Helper()
	if m.Props.ContentType != ContentTypeJSON || !m.Props.PayloadUTF8 {
		t.Errorf("%s: content type %q, UTF-8 %v", m.Topic, m.Props.ContentType, m.Props.PayloadUTF8)
	}
	for k, v := range want {
		if got, ok := m.Props.Get(k); !ok || got != v {
			t.Errorf("%s: user property %s = %q, want %q", m.Topic, k, got, v)
		}
	}
	if ts, ok := m.Props.Get(PropTime); !ok || !strings.HasSuffix(ts, "Z") {
		t.Errorf("%s: %s = %q", m.Topic, PropTime, ts)
	}
}

// TestBridge runs the gateway's MQTT flows end to end on each broker:
// registration, notification, Send, de-registration, and commands with
// Response Topic and Correlation Data answered from a fake LwM2M server.
func TestBridge(t *testing.T) {
	checkGoroutines(t)
	for _, b := range brokers(t) {
		t.Run(b.name, func(t *testing.T) { testBridge(t, b.url) })
	}
}

func testBridge(t *testing.T, url string) {
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	lw := newFakeLwM2M()
	var (
		logMu sync.Mutex
		log   bytes.Buffer
	)
	gw := dial(t, url, Options{ClientID: "gw-" + t.Name()})
	br := NewBridge(gw, lw, Config{CommandTimeout: 300 * time.Millisecond, OnEvent: func(e Event) {
		logMu.Lock()
		defer logMu.Unlock()
		log.WriteString(e.String() + "\n")
	}})
	if err := br.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer br.Stop()

	app := dial(t, url, Options{ClientID: "app-" + t.Name()})
	seen := newCollector()
	seen.live = true
	if err := app.Subscribe(ctx, seen.handle, "lwm2m/#", "app/replies/#"); err != nil {
		t.Fatal(err)
	}
	tp := br.Topics()

	// Registration: retained.
	reg := Registration{Endpoint: "dev1", Location: "/rd/1", Lifetime: 300, Version: "1.2", Binding: "U",
		Objects: []ObjectLink{{Path: path.Instance(3, 0)}}, Transport: "udp", Address: "127.0.0.1:5683"}
	if err := br.Registered(ctx, reg); err != nil {
		t.Fatal(err)
	}
	m := seen.next(t, ctx, "lwm2m/dev1/registration")
	checkProps(t, m, map[string]string{PropEndpoint: "dev1", PropOp: "register", PropTransport: "udp"})
	if r, err := DecodeRegistration(m.Payload); err != nil || r.Event != EventRegistered || r.Lifetime != 300 || r.Time.IsZero() {
		t.Errorf("registration %+v, %v", r, err)
	}
	// A subscriber that comes later gets the retained registration. (It is
	// another client: mochi sends a retained message without the new
	// subscription's identifier, so a client routes it to every
	// subscription that matches.)
	late := newCollector()
	lateClient := dial(t, url, Options{})
	if err := lateClient.Subscribe(ctx, late.handle, "lwm2m/+/registration"); err != nil {
		t.Fatal(err)
	}
	if m := late.next(t, ctx, "lwm2m/dev1/registration"); !m.Retain {
		t.Error("a late subscriber's registration is not marked retained")
	}
	lateClient.Close()
	reg.Lifetime = 600
	if err := br.Updated(ctx, reg); err != nil {
		t.Fatal(err)
	}
	m = seen.next(t, ctx, "lwm2m/dev1/registration")
	if r, err := DecodeRegistration(m.Payload); err != nil || r.Event != EventUpdated || r.Lifetime != 600 {
		t.Errorf("update %+v, %v", r, err)
	}

	// A notification of two values, and a Send.
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	vals := []senml.Resolved{
		{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(21.5), Time: 1767366240, HasTime: true},
		{Path: path.Resource(3303, 0, 5701), Value: lwm2m.StringValue([]byte("Cel"))},
	}
	meta := Meta{ContentFormat: coapmsg.AppSenMLCBOR, HasContentFormat: true, Transport: "udp", Received: now}
	if err := br.Notify(ctx, "dev1", vals, meta); err != nil {
		t.Fatal(err)
	}
	if err := br.Send(ctx, "dev1", vals[:1], Meta{}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		v  senml.Resolved
		op string
	}{{vals[0], OpNotify}, {vals[1], OpNotify}, {vals[0], OpSend}} {
		topic := tp.Data("dev1", want.v.Path)
		m := seen.next(t, ctx, topic)
		props := map[string]string{PropEndpoint: "dev1", PropOp: want.op, PropPath: want.v.Path.String()}
		if want.op == OpNotify {
			props[PropContentFormat] = "112"
			props[PropTransport] = "udp"
		} else if _, ok := m.Props.Get(PropContentFormat); ok {
			t.Error("Send without a content format has lwm2m-content-format")
		}
		checkProps(t, m, props)
		d, err := DecodeData(m.Payload)
		if err != nil {
			t.Fatalf("data %d: %v", i, err)
		}
		if d.Endpoint != "dev1" || d.Op != want.op || (want.op == OpNotify && !d.Received.Equal(now)) {
			t.Errorf("data %d: %+v", i, d)
		}
		checkRecords(t, []senml.Resolved{d.Record}, []senml.Resolved{want.v})
	}

	// Commands.
	cmds := []struct {
		json   string
		noResp bool // no Response Topic: the answer goes to lwm2m/dev1/response
		code   string
		values int
		errSub string
	}{
		{`{"id":"r1","op":"read","path":"/3/0"}`, false, "2.05", 3, ""},
		{`{"op":"read","path":"/3/0/13"}`, true, "2.05", 1, ""},
		{`{"op":"read","path":"/4/0"}`, false, "4.04", 0, "Not Found"},
		{`{"op":"write","path":"/1/0/1","value":120}`, false, "2.04", 0, ""},
		{`{"op":"write","path":"/3/0/0","value":"x"}`, false, "4.05", 0, "read-only"},
		{`{"op":"execute","path":"/3/0/4","args":"0='now'"}`, false, "2.04", 0, ""},
		{`{"op":"observe","path":"/3/0/9"}`, false, "2.05", 1, ""},
		{`{"op":"cancel","path":"/3/0/9"}`, false, "5.00", 0, "no such observation"},
		{`{"op":"read","path":"/9/0/1"}`, false, "5.04", 0, "deadline"},
		{`{"op":"reboot"}`, false, "4.00", 0, "unknown op"},
		{`{"op":"write","path":"/1/0/1","value":"soon"}`, false, "4.00", 0, "integer"},
	}
	for i, c := range cmds {
		corr := []byte{0xc0, byte(i)}
		reply := "app/replies/" + strconv.Itoa(i)
		cm := &Message{Topic: tp.Command("dev1"), Payload: []byte(c.json), QoS: mqttpkt.QoS1,
			Props: Props{ContentType: ContentTypeJSON, CorrelationData: corr}}
		if c.noResp {
			reply = tp.Response("dev1")
		} else {
			cm.Props.ResponseTopic = reply
		}
		if err := app.Publish(ctx, cm); err != nil {
			t.Fatal(err)
		}
		m := seen.next(t, ctx, reply)
		if !bytes.Equal(m.Props.CorrelationData, corr) {
			t.Errorf("command %d: correlation data %x, want %x", i, m.Props.CorrelationData, corr)
		}
		checkProps(t, m, map[string]string{PropEndpoint: "dev1", PropCode: c.code})
		r, err := DecodeResult(m.Payload)
		if err != nil {
			t.Fatalf("command %d: result %s: %v", i, m.Payload, err)
		}
		if r.Code.Dotted() != c.code || len(r.Values) != c.values || !strings.Contains(r.Error, c.errSub) || r.Endpoint != "dev1" {
			t.Errorf("command %d %s: result %s", i, c.json, m.Payload)
		}
		if i == 0 && (r.ID != "r1" || r.Op != OpRead || r.Path != path.Instance(3, 0)) {
			t.Errorf("result %+v", r)
		}
	}
	lw.mu.Lock()
	written := lw.written
	lw.mu.Unlock()
	checkRecords(t, written, []senml.Resolved{{Path: path.Resource(1, 0, 1), Value: lwm2m.IntegerValue(120)}})
	if got, want := strings.Join(lw.Calls(), "|"), "read /3/0|read /3/0/13|read /4/0|write /1/0/1|write /3/0/0|execute /3/0/4 0='now'|observe /3/0/9|cancel /3/0/9|read /9/0/1"; got != want {
		t.Errorf("LwM2M calls:\n got %s\nwant %s", got, want)
	}

	// De-registration: a message, and the retained registration cleared.
	if err := br.Deregistered(ctx, "dev1", ReasonDeregistered); err != nil {
		t.Fatal(err)
	}
	m = seen.next(t, ctx, "lwm2m/dev1/deregistered")
	if d, err := DecodeDeregistration(m.Payload); err != nil || d.Reason != ReasonDeregistered {
		t.Errorf("de-registration %+v, %v", d, err)
	}
	if m = seen.next(t, ctx, "lwm2m/dev1/registration"); len(m.Payload) != 0 {
		t.Errorf("registration after de-registration: %q, want empty (deletes the retained message)", m.Payload)
	}

	if err := br.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	st := br.Stats()
	// 2 registrations, 3 data, 2 de-registration messages, 11 results.
	if st.Published != 18 || st.PublishErrors != 0 || st.Commands != 11 || st.CommandErrors != 6 {
		t.Errorf("stats %+v", st)
	}
	logMu.Lock()
	defer logMu.Unlock()
	text := log.String()
	for _, want := range []string{
		"registered   dev1 -> lwm2m/dev1/registration: lt=300 lwm2m=1.2 b=U via udp objects /3/0",
		"notify       dev1 -> lwm2m/dev1/data/3303/0/5700 (+1): /3303/0/5700=21.5 (float), /3303/0/5701=\"Cel\" (string)",
		"send         dev1 /3303/0/5700 -> lwm2m/dev1/data/3303/0/5700: /3303/0/5700=21.5 (float)",
		"command      dev1 /3/0/13 <- lwm2m/dev1/command: read -> 2.05 Content: /3/0/13=1767366245 (time) in ",
		"command      dev1 /9/0/1 <- lwm2m/dev1/command: read -> 5.04 Gateway Timeout (context deadline exceeded)",
		"deregistered dev1 -> lwm2m/dev1/deregistered: deregistered",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %q:\n%s", want, text)
		}
	}
}

// TestBridgeCommandBound checks that at most MaxCommands commands run at
// once, and that every command is answered.
func TestBridgeCommandBound(t *testing.T) {
	checkGoroutines(t)
	url, _ := startMochi(t)
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	lw := newFakeLwM2M()
	gw := dial(t, url, Options{})
	br := NewBridge(gw, lw, Config{MaxCommands: 2})
	if err := br.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer br.Stop()
	app := dial(t, url, Options{})
	seen := newCollector()
	if err := app.Subscribe(ctx, seen.handle, "app/r"); err != nil {
		t.Fatal(err)
	}
	const n = 6
	for i := range n {
		m := &Message{Topic: br.Topics().Command("dev1"), QoS: 1, Payload: []byte(`{"op":"read","path":"/9/0/0","id":"` + strconv.Itoa(i) + `"}`),
			Props: Props{ResponseTopic: "app/r"}}
		if err := app.Publish(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // two are running; the others wait
		select {
		case <-lw.entered:
		case <-ctx.Done():
			t.Fatal("commands did not start")
		}
	}
	close(lw.released)
	ids := map[string]bool{}
	for range n {
		r, err := DecodeResult(seen.next(t, ctx, "app/r").Payload)
		if err != nil || r.Code != coapmsg.Content {
			t.Errorf("result %+v, %v", r, err)
		}
		ids[r.ID] = true
	}
	if len(ids) != n {
		t.Errorf("answers to %d distinct commands, want %d", len(ids), n)
	}
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.peak != 2 {
		t.Errorf("at most %d commands ran at once, want 2", lw.peak)
	}
}

// TestBridgeBurst sends 10,000 notifications through the bridge and checks
// that a subscriber receives every one.
func TestBridgeBurst(t *testing.T) {
	checkGoroutines(t)
	const n = 10000
	for _, b := range brokers(t) {
		if b.name == "mochi-ws" {
			continue // the same broker as mochi
		}
		t.Run(b.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), burstTimeout)
			defer cancel()
			gw := dial(t, b.url, Options{})
			br := NewBridge(gw, newFakeLwM2M(), Config{})
			app := dial(t, b.url, Options{})
			var (
				mu   sync.Mutex
				got  = make(map[int64]bool)
				done = make(chan struct{})
			)
			if err := app.Subscribe(ctx, func(m *Message) {
				d, err := DecodeData(m.Payload)
				if err != nil {
					t.Errorf("data: %v", err)
					return
				}
				v, _ := d.Record.Value.Integer()
				mu.Lock()
				defer mu.Unlock()
				got[v] = true
				if len(got) == n {
					close(done)
				}
			}, "lwm2m/+/data/#"); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			for i := range n {
				v := []senml.Resolved{{Path: path.Resource(3303, uint16(i%8), 5700), Value: lwm2m.IntegerValue(int64(i))}}
				if err := br.Notify(ctx, "dev"+strconv.Itoa(i%3), v, Meta{}); err != nil {
					t.Fatalf("notification %d: %v", i, err)
				}
			}
			if err := br.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			acked := time.Since(start)
			select {
			case <-done:
			case <-ctx.Done():
				mu.Lock()
				k := len(got)
				mu.Unlock()
				t.Fatalf("received %d of %d notifications", k, n)
			}
			if st := br.Stats(); st.Published != n || st.PublishErrors != 0 {
				t.Errorf("stats %+v", st)
			}
			t.Logf("%s: %d notifications through the bridge: acknowledged after %v, received after %v",
				b.name, n, acked.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestBridgeStop checks that Stop answers a running command (5.03) before
// it returns, and that Run ends with its context and with the connection.
func TestBridgeStop(t *testing.T) {
	checkGoroutines(t)
	url, _ := startMochi(t)
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	lw := newFakeLwM2M()
	gw := dial(t, url, Options{})
	br := NewBridge(gw, lw, Config{})
	if err := br.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := br.Start(ctx); err == nil {
		t.Error("second Start: no error")
	}
	app := dial(t, url, Options{})
	seen := newCollector()
	if err := app.Subscribe(ctx, seen.handle, "app/r"); err != nil {
		t.Fatal(err)
	}
	m := &Message{Topic: br.Topics().Command("dev1"), QoS: 1, Payload: []byte(`{"op":"read","path":"/9/0/0"}`),
		Props: Props{ResponseTopic: "app/r"}}
	if err := app.Publish(ctx, m); err != nil {
		t.Fatal(err)
	}
	select {
	case <-lw.entered:
	case <-ctx.Done():
		t.Fatal("the command did not start")
	}
	br.Stop()
	if r, err := DecodeResult(seen.next(t, ctx, "app/r").Payload); err != nil || r.Code != coapmsg.ServiceUnavailable {
		t.Errorf("result %+v, %v; want 5.03", r, err)
	}
	br.Stop()

	// Run returns when its context ends...
	br = NewBridge(gw, lw, Config{})
	runCtx, stopRun := context.WithCancel(ctx)
	res := make(chan error, 1)
	go func() { res <- br.Run(runCtx) }()
	stopRun()
	if err := <-res; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	// ... and when the connection does.
	br = NewBridge(gw, lw, Config{})
	go func() { res <- br.Run(ctx) }()
	gw.Close()
	if err := <-res; !errors.Is(err, ErrClosed) {
		t.Errorf("Run = %v, want ErrClosed", err)
	}
}

// TestBridgeNoRetain checks the bridge on a broker without retained
// messages (Retain Available 0), and that values without a resource path
// are not published.
func TestBridgeNoRetain(t *testing.T) {
	checkGoroutines(t)
	ack := &mqttpkt.Connack{}
	ack.Props.Set(mqttpkt.PropRetainAvailable)
	c, f := fakeSession(t, ack, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	br := NewBridge(c, newFakeLwM2M(), Config{RetainData: true, DataExpiry: 90 * time.Second})
	expect := func(topic string) *mqttpkt.Publish {
		t.Helper()
		p := recvAs[*mqttpkt.Publish](f)
		if string(p.Topic) != topic || p.Retain {
			t.Errorf("PUBLISH %q retain %v, want %q unretained", p.Topic, p.Retain, topic)
		}
		if p.QoS == 1 {
			f.send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: mqttpkt.V5, PacketID: p.PacketID})
		}
		return p
	}
	if err := br.Registered(ctx, Registration{Endpoint: "d"}); err != nil {
		t.Fatal(err)
	}
	expect("lwm2m/d/registration")
	vals := []senml.Resolved{{Path: path.Instance(3, 1)}, {Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(50)}}
	if err := br.Notify(ctx, "d", vals, Meta{}); err != nil {
		t.Fatal(err)
	}
	if p := expect("lwm2m/d/data/3/0/9"); p.Props.MessageExpiry != 90 || p.QoS != 1 {
		t.Errorf("data message expiry %d QoS %d, want 90 and 1", p.Props.MessageExpiry, p.QoS)
	}
	if err := br.Deregistered(ctx, "d", ReasonExpired); err != nil {
		t.Fatal(err)
	}
	expect("lwm2m/d/deregistered") // and no empty retained registration
	if err := br.Registered(ctx, Registration{Endpoint: "d"}); err != nil {
		t.Fatal(err)
	}
	expect("lwm2m/d/registration")
	if err := br.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if st := br.Stats(); st.Published != 4 || st.PublishErrors != 0 {
		t.Errorf("stats %+v", st)
	}
	q0 := NewBridge(c, nil, Config{DataQoS0: true})
	if err := q0.Send(ctx, "d", vals[1:], Meta{}); err != nil {
		t.Fatal(err)
	}
	if p := expect("lwm2m/d/data/3/0/9"); p.QoS != 0 || p.Props.MessageExpiry != 0 {
		t.Errorf("QoS %d expiry %d, want 0 and none", p.QoS, p.Props.MessageExpiry)
	}
}
