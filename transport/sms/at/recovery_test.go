package at_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/at/atsim"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// A +CMT, a RING and a +CMTI between the +CMGS answer and its OK: the
// driver completes the send and takes both messages.
func TestURCsInterleaved(t *testing.T) {
	p := payload(300)
	var r *rig
	var parts [][]byte
	for _, s := range coapSubmits(t, p, "+15550001111") {
		parts = append(parts, deliverFor(t, "+15557654321", s))
	}
	fired := false
	r = newSim(t, atsim.Config{BeforeFinal: func(cmd string) {
		if cmd != "AT+CMGS" || fired {
			return
		}
		fired = true
		r.sim.Emit("RING")
		if err := r.sim.Deliver(parts[0]); err != nil { // +CMT
			t.Error(err)
		}
		r.sim.Emit("+CMTI: \"SM\",7") // nothing at 7: the read fails with 321
		r.sim.Emit("RING")
	}})
	r.start(at.Config{})
	mr, err := r.m.Send(ctxT(t), coapSubmits(t, []byte("ping"), "+15557654321")[0])
	if err != nil || mr != 1 {
		t.Fatalf("mr %d err %v", mr, err)
	}
	if err := r.sim.Deliver(parts[1]); err != nil {
		t.Fatal(err)
	}
	if err := r.sim.Deliver(parts[2]); err != nil {
		t.Fatal(err)
	}
	if got := receiveAll(t, r.m, 3); !bytes.Equal(got, p) {
		t.Fatal("payload differs")
	}
	r.sync()
	if st := r.m.Stats(); st.BadLines != 0 || st.Malformed != 0 || st.Received != 3 {
		t.Errorf("stats %+v", st)
	}
}

// The modem answers nothing to AT+CMGS: the prompt never comes, Send
// fails with ErrTimeout, the driver probes with AT, initialises the
// modem again, and the next Send works.
func TestTimeoutRecovery(t *testing.T) {
	r := newRig(t, at.Config{CommandTimeout: 200 * time.Millisecond}, atsim.Config{})
	r.sim.Drop("AT+CMGS", 1)
	sub := coapSubmits(t, []byte("hello"), "+15557654321")[0]
	_, err := r.m.Send(ctxT(t), sub)
	if !errors.Is(err, at.ErrTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	var e *at.Error
	if !errors.As(err, &e) || e.Op != "AT+CMGS" {
		t.Errorf("%#v", err)
	}
	r.waitEvent(at.EventTimeout)
	r.waitEvent(at.EventRecovered)
	if _, err := r.m.Send(ctxT(t), sub); err != nil {
		t.Fatal(err)
	}
	st := r.m.Stats()
	if st.Timeouts != 1 || st.Recoveries != 1 {
		t.Errorf("stats %+v", st)
	}
	if n := len(r.submitted()); n != 1 {
		t.Errorf("%d sent", n)
	}
}

// A reset while idle: the driver sees RDY, initialises the modem again and
// messages flow.
func TestResetRecovery(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{ResetLines: []string{"RDY", "+CFUN: 1", "+CPIN: READY", "SMS Ready"}})
	r.sim.Reset()
	r.waitEvent(at.EventReset)
	r.waitEvent(at.EventRecovered)
	r.sync() // the four reset lines may cause further initialisations: wait for them
	if st := r.sim.State(); st.CSMS != 1 || st.CNMI != [5]int{2, 2, 0, 0, 0} || st.Echo {
		t.Fatalf("not initialised again: %+v", st)
	}
	p := payload(200)
	for _, s := range coapSubmits(t, p, "+15550001111") {
		if err := r.sim.Deliver(deliverFor(t, "+15557654321", s)); err != nil {
			t.Fatal(err)
		}
	}
	if got := receiveAll(t, r.m, 2); !bytes.Equal(got, p) {
		t.Fatal("payload differs")
	}
	if st := r.m.Stats(); st.Resets != 4 || st.Recoveries < 1 {
		t.Errorf("stats %+v", st)
	}
}

// A reset while AT+CMGS waits for its prompt fails that send with
// ErrReset, not a hang; the next send works.
func TestResetDuringSend(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{})
	r.sim.ResetOn("AT+CMGS")
	sub := coapSubmits(t, []byte("hello"), "+15557654321")[0]
	_, err := r.m.Send(ctxT(t), sub)
	if !errors.Is(err, at.ErrReset) {
		t.Fatalf("err %v", err)
	}
	r.waitEvent(at.EventRecovered)
	if _, err := r.m.Send(ctxT(t), sub); err != nil {
		t.Fatal(err)
	}
}

// A reset while a +CMT waits for AT+CNMA: the modem refuses it to the
// network, as a real one would.
func TestResetDropsUnacked(t *testing.T) {
	r := newRig(t, at.Config{QueueLen: 1}, atsim.Config{})
	parts := coapSubmits(t, payload(300), "+15550001111")
	for _, s := range parts[:2] {
		if err := r.sim.Deliver(deliverFor(t, "+15557654321", s)); err != nil {
			t.Fatal(err)
		}
	}
	// The first is queued and acknowledged, the second refused (queue
	// full: AT+CNMA=2).
	if !r.waitAck() || r.waitAck() {
		t.Fatal("want one positive and one negative acknowledgement")
	}
	r.sync()
	if st := r.m.Stats(); st.Dropped != 1 || st.Nacked != 1 || st.Acked != 1 {
		t.Errorf("stats %+v", st)
	}
	r.waitEvent(at.EventDropped)
}

// The modem's storage is the buffer in ModeStore: with the queue full the
// driver leaves messages there and takes them when Receive makes room.
func TestStoreBackpressure(t *testing.T) {
	r := newRig(t, at.Config{Mode: at.ModeStore, QueueLen: 1}, atsim.Config{})
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
		t.Errorf("%d left in storage", n)
	}
}

// A PDU that does not decode is acknowledged and dropped; the +CNMA the
// simulated modem did not expect (it did not send that +CMT) answers 340,
// on which the driver initialises the modem again.
func TestMalformedCMT(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{})
	r.sim.Emit("+CMT: ,3", "00000000") // TPDU 00 00 00: an SMS-DELIVER cut short
	e := r.waitEvent(at.EventMalformed)
	if !errors.Is(e.Err, at.ErrMalformed) || !errors.Is(e.Err, tpdu.ErrTruncated) {
		t.Errorf("event error %v", e.Err)
	}
	r.waitEvent(at.EventRecovered)
	r.sim.Emit("+CMT: ,4", "000000") // <length> says 4, the PDU has 2
	r.waitEvent(at.EventMalformed)
	r.sim.Emit("+CMT: ,4", "+CMTI: \"SM\",1") // no PDU line
	r.waitEvent(at.EventMalformed)
	r.sync()
	if st := r.m.Stats(); st.Malformed != 3 || st.Received != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestStatusReport(t *testing.T) {
	r := newRig(t, at.Config{StatusReports: true}, atsim.Config{})
	rep := tpdu.StatusReport{MR: 7, Recipient: mustAddr(t, "+15557654321"), Status: 0}
	b, err := rep.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.sim.Deliver(b); err != nil {
		t.Fatal(err)
	}
	in, err := r.m.Receive(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var got tpdu.StatusReport
	if in.Type != tpdu.TypeStatusReport || in.Index != -1 {
		t.Fatalf("type %v index %d", in.Type, in.Index)
	}
	if err := in.StatusReport(&got); err != nil || got.MR != 7 {
		t.Fatalf("%+v %v", got, err)
	}
	if !r.waitAck() {
		t.Error("not acknowledged")
	}
}

func TestContextCancel(t *testing.T) {
	r := newRig(t, at.Config{}, atsim.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := r.m.Receive(ctx)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Receive: %v", err)
		}
	case <-time.After(guard):
		t.Fatal("Receive did not return")
	}
	// A send the modem never answers, bounded by the caller's deadline.
	r.sim.Drop("AT+CMGS", 1)
	dctx, dcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer dcancel()
	_, err := r.m.Send(dctx, coapSubmits(t, []byte("x"), "+1555")[0])
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send: %v", err)
	}
	r.waitEvent(at.EventRecovered)
	r.sync()
}

// Close ends every goroutine, is idempotent, and fails later calls.
func TestCloseNoLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		r := newSim(t, atsim.Config{})
		a, b := net.Pipe()
		served := make(chan error, 1)
		go func() { served <- r.sim.Serve(context.Background(), a) }()
		m, err := at.Open(ctxT(t), b, at.Config{Mode: at.ModeStore})
		if err != nil {
			t.Fatal(err)
		}
		blocked := make(chan error, 1)
		go func() {
			_, err := m.Receive(context.Background())
			blocked <- err
		}()
		if _, err := m.Send(ctxT(t), coapSubmits(t, []byte("x"), "+1555")[0]); err != nil {
			t.Fatal(err)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		if err := m.Close(); err != nil {
			t.Fatal("second Close:", err)
		}
		if err := <-blocked; !errors.Is(err, at.ErrClosed) || !errors.Is(err, net.ErrClosed) {
			t.Errorf("Receive during Close: %v", err)
		}
		if _, err := m.Send(ctxT(t), coapSubmits(t, []byte("x"), "+1555")[0]); !errors.Is(err, at.ErrClosed) {
			t.Errorf("Send after Close: %v", err)
		}
		if _, err := m.Receive(ctxT(t)); !errors.Is(err, at.ErrClosed) {
			t.Errorf("Receive after Close: %v", err)
		}
		<-served
	}()
	waitGoroutines(t, before)
}

// waitGoroutines waits until at most n goroutines run: goroutines that
// were joined may still be finishing their last instructions.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// The modem's side goes away: calls fail with ErrClosed holding the cause.
func TestConnectionEnds(t *testing.T) {
	r := newSim(t, atsim.Config{})
	a, b := net.Pipe()
	go r.sim.Serve(context.Background(), a)
	m, err := at.Open(ctxT(t), b, at.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	a.Close()
	_, err = m.Receive(ctxT(t))
	if !errors.Is(err, at.ErrClosed) || !errors.Is(err, io.EOF) {
		t.Fatalf("Receive: %v", err)
	}
	if _, err := m.Send(ctxT(t), coapSubmits(t, []byte("x"), "+1555")[0]); !errors.Is(err, at.ErrClosed) {
		t.Fatalf("Send: %v", err)
	}
}

// Open fails cleanly on a modem that never answers.
func TestOpenTimeout(t *testing.T) {
	before := runtime.NumGoroutine()
	a, b := net.Pipe()
	go io.Copy(io.Discard, a)
	_, err := at.Open(ctxT(t), b, at.Config{CommandTimeout: 50 * time.Millisecond})
	if !errors.Is(err, at.ErrTimeout) {
		t.Fatalf("err %v", err)
	}
	a.Close()
	waitGoroutines(t, before)
}
