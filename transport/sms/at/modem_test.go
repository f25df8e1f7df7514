package at_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/at/atsim"
	"github.com/iotwire/iotwire/transport/sms/segment"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// guard bounds every wait of these tests: it is a failure guard, never a
// synchronisation.
const guard = 10 * time.Second

// rig is a driver on one end of a net.Pipe and a simulated modem on the
// other, with a network that records what the modem sends.
type rig struct {
	t      *testing.T
	sim    *atsim.Modem
	m      *at.Modem
	events chan at.Event
	served chan error
	acks   chan bool

	mu   sync.Mutex
	sent [][]byte
	mr   byte
}

func (r *rig) submit(from tpdu.Address, submit []byte) (byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, submit)
	r.mr++
	return r.mr, nil
}

func (r *rig) submitted() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.sent...)
}

// newSim returns a rig's modem and network without a driver.
func newSim(t *testing.T, sc atsim.Config) *rig {
	r := &rig{t: t, events: make(chan at.Event, 64), served: make(chan error, 1), acks: make(chan bool, 64)}
	sc.Number = mustAddr(t, "+15550001111")
	if sc.Submit == nil {
		sc.Submit = r.submit
	}
	if sc.OnAck == nil {
		sc.OnAck = func(_ []byte, ok bool) { r.acks <- ok }
	}
	r.sim = atsim.New(sc)
	return r
}

// start serves the simulated modem on a pipe and opens the driver on it.
func (r *rig) start(c at.Config) {
	t := r.t
	t.Helper()
	a, b := net.Pipe()
	go func() { r.served <- r.sim.Serve(context.Background(), a) }()
	c.Events = r.events
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	m, err := at.Open(ctx, b, c)
	if err != nil {
		t.Fatal(err)
	}
	r.m = m
	t.Cleanup(r.stop)
}

func (r *rig) stop() {
	if err := r.m.Close(); err != nil {
		r.t.Error(err)
	}
	select {
	case <-r.served:
	case <-time.After(guard):
		r.t.Error("atsim.Serve did not return after Close")
	}
}

func newRig(t *testing.T, c at.Config, sc atsim.Config) *rig {
	r := newSim(t, sc)
	r.start(c)
	return r
}

// sync waits for the work the driver queued (an AT+CNMA, an AT+CMGD) by
// sending a message, which takes the command lock after it.
func (r *rig) sync() {
	r.t.Helper()
	if _, err := r.m.Send(ctxT(r.t), coapSubmits(r.t, []byte{1}, "+1555")[0]); err != nil {
		r.t.Fatal(err)
	}
}

func mustAddr(t testing.TB, s string) tpdu.Address {
	a, err := tpdu.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}

// waitEvent waits for an event of kind k, skipping others.
func (r *rig) waitEvent(k at.EventKind) at.Event {
	r.t.Helper()
	tm := time.NewTimer(guard)
	defer tm.Stop()
	for {
		select {
		case e := <-r.events:
			if e.Kind == k {
				return e
			}
		case <-tm.C:
			r.t.Fatalf("no %v event", k)
		}
	}
}

func (r *rig) waitAck() bool {
	r.t.Helper()
	select {
	case ok := <-r.acks:
		return ok
	case <-time.After(guard):
		r.t.Fatal("no acknowledgement reached the network")
	}
	return false
}

// coapSubmits splits a CoAP-sized payload into SMS-SUBMIT TPDUs with
// 16-bit ports, as the LwM2M SMS binding sends it.
func coapSubmits(t testing.TB, payload []byte, to string) [][]byte {
	s, err := segment.Split(payload, segment.Options{Ref: 0x4242, Ports: tpdu.Ports{Dst: 5684, Src: 5683, Wide: true}, HasPorts: true})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for {
		ud, _, ok := s.Next(nil)
		if !ok {
			break
		}
		sub := tpdu.Submit{Destination: mustAddr(t, to), DCS: tpdu.DCS8Bit, UserData: ud}
		b, err := sub.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// deliverFor turns a SUBMIT into the DELIVER the recipient gets.
func deliverFor(t testing.TB, from string, submit []byte) []byte {
	var s tpdu.Submit
	if _, err := s.Decode(submit); err != nil {
		t.Fatal(err)
	}
	d := tpdu.Deliver{Originator: mustAddr(t, from), PID: s.PID, DCS: s.DCS, UserData: s.UserData,
		SCTS: tpdu.Timestamp{Year: 26, Month: 3, Day: 14, Hour: 15, Minute: 9, Second: 26}}
	b, err := d.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func payload(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + 3)
	}
	return p
}

func TestInit(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    at.Config
		cnmi [5]int
		cmd  string
	}{
		{"direct", at.Config{}, [5]int{2, 2, 0, 0, 0}, "AT+CNMI=2,2,0,0,0"},
		{"direct+reports", at.Config{StatusReports: true}, [5]int{2, 2, 0, 1, 0}, "AT+CNMI=2,2,0,1,0"},
		{"store", at.Config{Mode: at.ModeStore}, [5]int{2, 1, 0, 0, 0}, "AT+CNMI=2,1,0,0,0 AT+CMGL=4"},
		{"store+reports", at.Config{Mode: at.ModeStore, StatusReports: true}, [5]int{2, 1, 0, 2, 0}, "AT+CNMI=2,1,0,2,0 AT+CMGL=4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, tc.c, atsim.Config{})
			st := r.sim.State()
			want := atsim.State{Echo: false, CMEE: 1, CSMS: 1, CNMI: tc.cnmi}
			if st != want {
				t.Errorf("state %+v, want %+v", st, want)
			}
			// The ESC before AT (which abandons a PDU entry) is ignored
			// in command mode.
			cmds := strings.Join(r.sim.Commands(), " ")
			if want := "AT ATE0 AT+CMEE=1 AT+CMGF=0 AT+CSMS=1 " + tc.cmd; cmds != want {
				t.Errorf("commands %q, want %q", cmds, want)
			}
		})
	}
}

func TestSendSegments(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{})
	subs := coapSubmits(t, payload(300), "+15557654321")
	if len(subs) != 3 {
		t.Fatalf("%d segments, want 3", len(subs))
	}
	ctx := ctxT(t)
	for i, s := range subs {
		mr, err := r.m.Send(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if mr != byte(i+1) {
			t.Errorf("segment %d: mr %d, want %d", i, mr, i+1)
		}
	}
	got := r.submitted()
	if len(got) != 3 {
		t.Fatalf("network got %d TPDUs", len(got))
	}
	for i := range got {
		if !bytes.Equal(got[i], subs[i]) {
			t.Errorf("segment %d: network got %X, want %X", i, got[i], subs[i])
		}
	}
	if st := r.m.Stats(); st.Sent != 3 {
		t.Errorf("Stats.Sent %d", st.Sent)
	}
}

// receiveAll takes n messages and reassembles them.
func receiveAll(t *testing.T, m *at.Modem, n int) []byte {
	t.Helper()
	ctx := ctxT(t)
	var ra segment.Reassembler
	for i := 0; i < n; i++ {
		in, err := m.Receive(ctx)
		if err != nil {
			t.Fatalf("%v %+v", err, m.Stats())
		}
		var d tpdu.Deliver
		if err := in.Deliver(&d); err != nil {
			t.Fatal(err)
		}
		msg, ok, err := ra.AddDeliver(time.Unix(0, 0), &d)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if i != n-1 {
				t.Fatalf("complete after %d of %d parts", i+1, n)
			}
			return append([]byte(nil), msg.Payload...)
		}
	}
	t.Fatal("message not complete")
	return nil
}

func TestReceiveCMT(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{})
	p := payload(300)
	for _, s := range coapSubmits(t, p, "+15550001111") {
		if err := r.sim.Deliver(deliverFor(t, "+15557654321", s)); err != nil {
			t.Fatal(err)
		}
	}
	if got := receiveAll(t, r.m, 3); !bytes.Equal(got, p) {
		t.Fatal("payload differs")
	}
	for range 3 {
		if !r.waitAck() {
			t.Fatal("negative acknowledgement")
		}
	}
	r.sync()
	st := r.m.Stats()
	if st.Received != 3 || st.Acked != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestReceiveCMTI(t *testing.T) {
	r := newRig(t, at.Config{Mode: at.ModeStore}, atsim.Config{})
	p := payload(300)
	for _, s := range coapSubmits(t, p, "+15550001111") {
		if err := r.sim.Deliver(deliverFor(t, "+15557654321", s)); err != nil {
			t.Fatal(err)
		}
	}
	if got := receiveAll(t, r.m, 3); !bytes.Equal(got, p) {
		t.Fatal("payload differs")
	}
	r.sync()
	if n := r.sim.State().Stored; n != 0 {
		t.Errorf("%d messages left in storage", n)
	}
}

// Messages stored before the driver starts are taken by the scan of
// ModeStore's initialisation, and deleted.
func TestScanAtInit(t *testing.T) {
	r := newSim(t, atsim.Config{})
	p := payload(300)
	for _, s := range coapSubmits(t, p, "+15550001111") {
		if err := r.sim.Deliver(deliverFor(t, "+15557654321", s)); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.sim.State().Stored; n != 3 {
		t.Fatalf("%d stored", n)
	}
	r.start(at.Config{Mode: at.ModeStore, QueueLen: 1}) // the scan takes one, then one per Receive
	if got := receiveAll(t, r.m, 3); !bytes.Equal(got, p) {
		t.Fatal("payload differs")
	}
	r.sync()
	if n := r.sim.State().Stored; n != 0 {
		t.Errorf("%d messages left in storage", n)
	}
}

func TestSendCMSError(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{})
	r.sim.FailNextSend(331)
	sub := coapSubmits(t, []byte("hi"), "+15557654321")[0]
	_, err := r.m.Send(ctxT(t), sub)
	var me *at.ModemError
	if !errors.As(err, &me) || !errors.Is(err, at.ErrModem) {
		t.Fatalf("err %v", err)
	}
	if me.Kind != at.KindCMSError || me.Code != 331 || me.Name() != "no network service" || me.Op != "AT+CMGS" {
		t.Errorf("%#v", me)
	}
	if want := "at: AT+CMGS: +CMS ERROR: 331 (no network service)"; err.Error() != want {
		t.Errorf("%q, want %q", err, want)
	}
	// The next one goes through.
	if _, err := r.m.Send(ctxT(t), sub); err != nil {
		t.Fatal(err)
	}
}

func TestSendRejectsBadTPDU(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{})
	_, err := r.m.Send(ctxT(t), []byte{0x01, 0x00, 0x15})
	if !errors.Is(err, tpdu.ErrMalformed) && !errors.Is(err, tpdu.ErrTruncated) {
		t.Fatalf("err %v", err)
	}
	if len(r.submitted()) != 0 {
		t.Error("sent")
	}
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

var _ = io.EOF
var _ = runtime.NumGoroutine

// TestCloseSendsOwedAcks: a message taken just before Close is still
// acknowledged, so that the modem routes the next one to whoever opens it
// next (27.005 3.4.4: it waits for AT+CNMA).
func TestCloseSendsOwedAcks(t *testing.T) {
	r := newSim(t, atsim.Config{})
	a, b := net.Pipe()
	go func() { r.served <- r.sim.Serve(context.Background(), a) }()
	ctx := ctxT(t)
	m, err := at.Open(ctx, b, at.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s := coapSubmits(t, payload(20), "+15550001111")[0]
	if err := r.sim.Deliver(deliverFor(t, "+15557654321", s)); err != nil {
		t.Fatal(err)
	}
	var in at.Incoming
	if err := m.ReceiveInto(ctx, &in); err != nil {
		t.Fatal(err)
	}
	m.Close() // at once, with the AT+CNMA owed
	select {
	case ok := <-r.acks:
		if !ok {
			t.Error("negative acknowledgement")
		}
	case <-time.After(guard):
		t.Fatal("Close left the message unacknowledged")
	}
	<-r.served
}
