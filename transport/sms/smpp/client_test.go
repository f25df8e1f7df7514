package smpp_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/transport/sms/segment"
	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/smpp/smppsim"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// guard bounds every wait of these tests; nothing waits for it to pass.
const guard = 10 * time.Second

func guardCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}

// noLeaks fails t if goroutines of the client or the simulator outlive the
// test (after its cleanups, which close both and wait for them).
func noLeaks(t *testing.T) {
	t.Cleanup(func() {
		deadline := time.Now().Add(guard)
		for {
			buf := make([]byte, 1<<20)
			stacks := string(buf[:runtime.Stack(buf, true)])
			var live []string
			for _, g := range strings.Split(stacks, "\n\n") {
				if strings.Contains(g, "smpp.(*Client)") || strings.Contains(g, "smppsim.(*") {
					live = append(live, g)
				}
			}
			if len(live) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("leaked goroutines:\n%s", strings.Join(live, "\n\n"))
			}
			runtime.Gosched()
			time.Sleep(time.Millisecond) // a goroutine past wg.Done, returning
		}
	})
}

// sim starts a simulated SMSC with the account esme/secret.
func sim(t *testing.T, cfg smppsim.Config) *smppsim.SMSC {
	t.Helper()
	if cfg.Accounts == nil {
		cfg.Accounts = map[string]string{"esme": "secret"}
	}
	s := smppsim.New(cfg)
	if err := s.ListenAndServe(guardCtx(t), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// dial binds a client to s as esme/secret unless cfg says otherwise.
func dial(t *testing.T, s *smppsim.SMSC, cfg smpp.Config) *smpp.Client {
	t.Helper()
	if cfg.SystemID == "" {
		cfg.SystemID, cfg.Password = "esme", "secret"
	}
	c, err := smpp.Dial(guardCtx(t), s.Addr().String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// observer records the PDUs the simulator reads and signals each.
type observer struct {
	mu   sync.Mutex
	seen []smpp.CommandID
	ch   chan smpp.CommandID
}

func newObserver() *observer { return &observer{ch: make(chan smpp.CommandID, 1000)} }

func (o *observer) on(_ string, h smpp.Header) {
	o.mu.Lock()
	o.seen = append(o.seen, h.ID)
	o.mu.Unlock()
	o.ch <- h.ID
}

// await waits for the simulator to read a PDU of command id.
func (o *observer) await(t *testing.T, id smpp.CommandID) {
	t.Helper()
	timer := time.NewTimer(guard)
	defer timer.Stop()
	for {
		select {
		case got := <-o.ch:
			if got == id {
				return
			}
		case <-timer.C:
			t.Fatalf("no %v within the guard", id)
		}
	}
}

func (o *observer) count(id smpp.CommandID) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, x := range o.seen {
		if x == id {
			n++
		}
	}
	return n
}

func waitDone(t *testing.T, c *smpp.Client) {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(guard):
		t.Fatal("client did not end within the guard")
	}
}

func TestBind(t *testing.T) {
	noLeaks(t)
	s := sim(t, smppsim.Config{SystemID: "SMSC-1"})
	c := dial(t, s, smpp.Config{})
	if got := c.SMSCSystemID(); got != "SMSC-1" {
		t.Fatalf("SMSC system_id %q", got)
	}
	if n := s.Bound("esme"); n != 1 {
		t.Fatalf("%d sessions bound", n)
	}
	if err := c.Bind(guardCtx(t)); !errors.Is(err, smpp.StatusAlyBnd) {
		t.Fatalf("second Bind: %v", err)
	}
	for _, tc := range []struct {
		id, pw string
		want   smpp.Status
	}{
		{"esme", "wrong", smpp.StatusInvPaswd},
		{"nobody", "secret", smpp.StatusInvSysID},
	} {
		_, err := smpp.Dial(guardCtx(t), s.Addr().String(), smpp.Config{SystemID: tc.id, Password: tc.pw})
		if !errors.Is(err, tc.want) {
			t.Fatalf("bind %s/%s: %v, want %v", tc.id, tc.pw, err, tc.want)
		}
	}
	_, err := smpp.Dial(guardCtx(t), s.Addr().String(), smpp.Config{SystemID: strings.Repeat("x", 16)})
	var e *smpp.Error
	if !errors.As(err, &e) || e.Field != "system_id" {
		t.Fatalf("long system_id: %v", err)
	}
}

// userData returns TP-UD as SMPP carries it with UDHI: UDHL, the header,
// then the body (3GPP TS 23.040 9.2.3.24).
func userData(ud tpdu.UserData) []byte {
	b := append([]byte{byte(len(ud.Header))}, ud.Header...)
	return append(b, ud.Body...)
}

// splitUD parses TP-UD with a User Data Header.
func splitUD(t *testing.T, b []byte) tpdu.UserData {
	t.Helper()
	if len(b) == 0 || int(b[0])+1 > len(b) {
		t.Fatalf("no header in %x", b)
	}
	n := int(b[0])
	return tpdu.UserData{Header: b[1 : 1+n], Body: b[1+n:]}
}

// TestSubmitSegmentedCoAP submits a CoAP message of 300 octets as three
// concatenated binary SMS (esm_class UDHI, data_coding 0x04, 16-bit
// reference and the LwM2M ports), and reassembles it at the SMSC.
func TestSubmitSegmentedCoAP(t *testing.T) {
	noLeaks(t)
	var mu sync.Mutex
	var got [][]byte
	s := sim(t, smppsim.Config{Submit: func(sys string, sm *smpp.SubmitSM) (string, smpp.Status) {
		if sys != "esme" || !sm.ESMClass.UDHI() || sm.DataCoding != smpp.CodingBinary || string(sm.DestinationAddr) != "15551234567" {
			return "", smpp.StatusSubmitFail
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, bytes.Clone(sm.ShortMessage)) // sm aliases the SMSC's buffer
		return "msg-" + strconv.Itoa(len(got)), smpp.StatusOK
	}})
	c := dial(t, s, smpp.Config{})

	coap := append([]byte{0x42, 0x02, 0x30, 0x39, 0xaa, 0xbb, 0xff}, bytes.Repeat([]byte("0123456789"), 30)[:293]...)
	sp, err := segment.Split(coap, segment.Options{Ref: 0x0102, Ports: tpdu.Ports{Dst: 5684, Src: 5684, Wide: true}, HasPorts: true})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Total() != 3 {
		t.Fatalf("%d parts", sp.Total())
	}
	hdr := make([]byte, 0, 16)
	for i := 1; ; i++ {
		ud, b, ok := sp.Next(hdr[:0])
		if !ok {
			break
		}
		hdr = b
		id, err := c.Submit(guardCtx(t), smpp.SubmitSM{
			SourceAddr: []byte("12345"), DestAddrTON: smpp.TONInternational, DestAddrNPI: smpp.NPIISDN,
			DestinationAddr: []byte("15551234567"), ESMClass: smpp.ESMUDHI, DataCoding: smpp.CodingBinary,
			ShortMessage: userData(ud),
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := "msg-" + strconv.Itoa(i); id != want {
			t.Fatalf("message_id %q, want %q", id, want)
		}
	}
	var r segment.Reassembler
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var payload []byte
	for i, sm := range got {
		if len(sm) > tpdu.MaxUserData {
			t.Fatalf("part %d: %d octets", i, len(sm))
		}
		ud := splitUD(t, sm)
		c, ok := ud.Concat()
		if !ok || c.Total != 3 || int(c.Seq) != i+1 || c.Ref != 0x0102 {
			t.Fatalf("part %d: concat %+v", i, c)
		}
		m, done, err := r.Add(now, []byte("12345"), &ud)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			payload = bytes.Clone(m.Payload)
			if m.Ports.Dst != 5684 {
				t.Fatalf("ports %+v", m.Ports)
			}
		}
	}
	if !bytes.Equal(payload, coap) {
		t.Fatalf("reassembled %x", payload)
	}
	if st := c.Stats(); st.Submitted != 3 {
		t.Fatalf("stats %+v", st)
	}
}

// TestDeliver pushes a binary deliver_sm from the simulated network to the
// client.
func TestDeliver(t *testing.T) {
	noLeaks(t)
	s := sim(t, smppsim.Config{})
	c := dial(t, s, smpp.Config{})
	ud := []byte{0x06, 0x05, 0x04, 0x16, 0x34, 0x16, 0x34, 0x60, 0x45, 0x30, 0x39}
	dm := smpp.DeliverSM{
		SourceAddrTON: smpp.TONInternational, SourceAddrNPI: smpp.NPIISDN, SourceAddr: []byte("15551234567"),
		DestinationAddr: []byte("12345"), ESMClass: smpp.ESMUDHI, DataCoding: smpp.CodingBinary, ShortMessage: ud,
	}
	if err := s.Deliver(guardCtx(t), "esme", dm); err != nil {
		t.Fatal(err)
	}
	got, err := c.Receive(guardCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if string(got.SourceAddr) != "15551234567" || !bytes.Equal(got.UserData(), ud) || !got.ESMClass.UDHI() || got.DataCoding != smpp.CodingBinary {
		t.Fatalf("received %+v", got)
	}
	if err := s.Deliver(guardCtx(t), "other", dm); !errors.Is(err, smppsim.ErrNotBound) {
		t.Fatalf("deliver to nobody: %v", err)
	}
	dm.ScheduleDeliveryTime = []byte("x")
	if err := s.Deliver(guardCtx(t), "esme", dm); err == nil {
		t.Fatal("deliver_sm with a bad time was sent")
	}
}

// TestReceiveQueueFull fills a queue of one: the next deliver_sm is
// answered ESME_RX_T_APPN.
func TestReceiveQueueFull(t *testing.T) {
	noLeaks(t)
	s := sim(t, smppsim.Config{})
	c := dial(t, s, smpp.Config{ReceiveQueue: 1})
	dm := smpp.DeliverSM{SourceAddr: []byte("1"), DestinationAddr: []byte("2"), ShortMessage: []byte("first")}
	if err := s.Deliver(guardCtx(t), "esme", dm); err != nil {
		t.Fatal(err)
	}
	dm.ShortMessage = []byte("second")
	if err := s.Deliver(guardCtx(t), "esme", dm); !errors.Is(err, smpp.StatusXTAppn) {
		t.Fatalf("second deliver: %v", err)
	}
	got, err := c.Receive(guardCtx(t))
	if err != nil || string(got.ShortMessage) != "first" {
		t.Fatalf("%q %v", got.ShortMessage, err)
	}
	if err := s.Deliver(guardCtx(t), "esme", dm); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Dropped != 1 || st.Received != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestEnquireLink(t *testing.T) {
	noLeaks(t)
	o := newObserver()
	s := sim(t, smppsim.Config{OnPDU: o.on})
	t.Run("client-to-smsc", func(t *testing.T) {
		c := dial(t, s, smpp.Config{EnquireInterval: -1})
		if err := c.EnquireLink(guardCtx(t)); err != nil {
			t.Fatal(err)
		}
		if o.count(smpp.CmdEnquireLink) != 1 {
			t.Fatal("the SMSC saw no enquire_link")
		}
	})
	t.Run("smsc-to-client", func(t *testing.T) {
		c := dial(t, s, smpp.Config{EnquireInterval: -1})
		if err := s.EnquireLink(guardCtx(t), "esme"); err != nil {
			t.Fatal(err)
		}
		if c.Stats().EnquireAns != 1 {
			t.Fatalf("stats %+v", c.Stats())
		}
	})
	t.Run("idle-timer", func(t *testing.T) {
		c := dial(t, s, smpp.Config{EnquireInterval: 5 * time.Millisecond})
		o.await(t, smpp.CmdEnquireLink)
		o.await(t, smpp.CmdEnquireLink) // and again: answers keep the link up
		select {
		case <-c.Done():
			t.Fatal(c.Err())
		default:
		}
	})
}

// TestLinkDead stops the SMSC answering enquire_link: the client declares
// the link dead after MaxMissedEnquire of them.
func TestLinkDead(t *testing.T) {
	noLeaks(t)
	o := newObserver()
	s := sim(t, smppsim.Config{OnPDU: o.on})
	s.Inject(smppsim.Fault{Command: smpp.CmdEnquireLink, Action: smppsim.DropResponse, Count: -1})
	c := dial(t, s, smpp.Config{EnquireInterval: 2 * time.Millisecond, MaxMissedEnquire: 2})
	waitDone(t, c)
	if !errors.Is(c.Err(), smpp.ErrLinkDead) {
		t.Fatalf("ended with %v", c.Err())
	}
	if n := c.Stats().EnquireSent; n != 2 {
		t.Fatalf("%d enquire_link sent, want 2", n)
	}
	if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); !errors.Is(err, smpp.ErrLinkDead) {
		t.Fatalf("Submit after: %v", err)
	}
}

// TestWindowFull keeps two submit_sm unanswered with Window 2: a third
// waits, and gets a slot when the response timer frees the two.
func TestWindowFull(t *testing.T) {
	noLeaks(t)
	o := newObserver()
	s := sim(t, smppsim.Config{OnPDU: o.on})
	s.Inject(smppsim.Fault{Command: smpp.CmdSubmitSM, Action: smppsim.DropResponse, Count: 2})
	c := dial(t, s, smpp.Config{Window: 2, ResponseTimeout: 300 * time.Millisecond, EnquireInterval: -1})
	sm := smpp.SubmitSM{DestinationAddr: []byte("15551234567"), ShortMessage: []byte("hi")}
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := c.Submit(guardCtx(t), sm)
			errs <- err
		}()
	}
	o.await(t, smpp.CmdSubmitSM)
	o.await(t, smpp.CmdSubmitSM)
	// Both slots are taken and the SMSC will not answer: a third Submit
	// cannot send.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	_, err := c.Submit(ctx, sm)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third Submit: %v", err)
	}
	if n := o.count(smpp.CmdSubmitSM); n != 2 {
		t.Fatalf("the SMSC read %d submit_sm", n)
	}
	for range 2 {
		if err := <-errs; !errors.Is(err, smpp.ErrResponseTimeout) {
			t.Fatalf("unanswered Submit: %v", err)
		}
	}
	id, err := c.Submit(guardCtx(t), sm)
	if err != nil || id != "3" { // the SMSC numbered the two it did not answer
		t.Fatalf("after the window freed: %q %v", id, err)
	}
}

// TestWindowConcurrent submits from many goroutines through a small window.
func TestWindowConcurrent(t *testing.T) {
	noLeaks(t)
	s := sim(t, smppsim.Config{})
	c := dial(t, s, smpp.Config{Window: 3})
	var wg sync.WaitGroup
	ids := make(chan string, 40)
	for range 40 {
		wg.Go(func() {
			id, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1"), ShortMessage: []byte("x")})
			if err != nil {
				t.Error(err)
			}
			ids <- id
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("message_id %s twice", id)
		}
		seen[id] = true
	}
	if len(seen) != 40 {
		t.Fatalf("%d ids", len(seen))
	}
}

func TestGenericNack(t *testing.T) {
	noLeaks(t)
	s := sim(t, smppsim.Config{})
	s.Inject(smppsim.Fault{Command: smpp.CmdSubmitSM, Action: smppsim.RespondNack, Status: smpp.StatusInvCmdLen})
	c := dial(t, s, smpp.Config{})
	_, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")})
	var ne *smpp.NackError
	if !errors.As(err, &ne) || ne.Command != smpp.CmdSubmitSM || !errors.Is(err, smpp.StatusInvCmdLen) {
		t.Fatalf("got %v", err)
	}
	if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); err != nil {
		t.Fatal(err)
	}
}

func TestSubmitErrors(t *testing.T) {
	noLeaks(t)
	o := newObserver()
	s := sim(t, smppsim.Config{OnPDU: o.on})
	c := dial(t, s, smpp.Config{})
	s.Inject(smppsim.Fault{Command: smpp.CmdSubmitSM, Action: smppsim.RespondStatus, Status: smpp.StatusThrottled})
	if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); !errors.Is(err, smpp.StatusThrottled) {
		t.Fatalf("throttled: %v", err)
	}
	// The SMSC validates: priority_flag 0-3 (5.2.14).
	if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1"), PriorityFlag: 5}); !errors.Is(err, smpp.StatusInvPrtFlg) {
		t.Fatalf("priority: %v", err)
	}
	// UDHI without a header.
	if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1"), ESMClass: smpp.ESMUDHI, ShortMessage: []byte{9}}); !errors.Is(err, smpp.StatusInvESMClass) {
		t.Fatalf("udhi: %v", err)
	}
	// Encoding errors send nothing.
	before := o.count(smpp.CmdSubmitSM)
	_, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: bytes.Repeat([]byte("1"), 21)})
	var e *smpp.Error
	if !errors.As(err, &e) || e.Field != "destination_addr" {
		t.Fatalf("long address: %v", err)
	}
	if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); err != nil {
		t.Fatal(err)
	}
	if n := o.count(smpp.CmdSubmitSM) - before; n != 1 {
		t.Fatalf("SMSC read %d submit_sm, want 1", n)
	}
	rx := dial(t, s, smpp.Config{BindMode: smpp.CmdBindReceiver})
	if _, err := rx.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); !errors.Is(err, smpp.StatusInvBndSts) {
		t.Fatalf("receiver submits: %v", err)
	}
}

func TestCancel(t *testing.T) {
	noLeaks(t)
	o := newObserver()
	s := sim(t, smppsim.Config{OnPDU: o.on})
	c := dial(t, s, smpp.Config{Window: 1, ResponseTimeout: 200 * time.Millisecond, EnquireInterval: -1})

	// A Submit whose context ends while it waits for the response.
	s.Inject(smppsim.Fault{Command: smpp.CmdSubmitSM, Action: smppsim.DropResponse})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Submit(ctx, smpp.SubmitSM{DestinationAddr: []byte("1")})
		errc <- err
	}()
	o.await(t, smpp.CmdSubmitSM)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	// Its slot stays taken until the response timer frees it; then the
	// window of one serves the next Submit.
	if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); err != nil {
		t.Fatal(err)
	}

	done, stop := context.WithCancel(context.Background())
	stop()
	if _, err := c.Receive(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Receive: %v", err)
	}
	if _, err := c.Submit(done, smpp.SubmitSM{DestinationAddr: []byte("1")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Submit: %v", err)
	}

	// A bind that gets no answer before its context ends ends the client.
	s.Inject(smppsim.Fault{Command: smpp.CmdBindTransceiver, Action: smppsim.DropResponse})
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := smpp.Dial(ctx, s.Addr().String(), smpp.Config{SystemID: "esme", Password: "secret"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial: %v", err)
	}
}

func TestUnbind(t *testing.T) {
	noLeaks(t)
	o := newObserver()
	s := sim(t, smppsim.Config{OnPDU: o.on})
	t.Run("by-client", func(t *testing.T) {
		c := dial(t, s, smpp.Config{})
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if o.count(smpp.CmdUnbind) != 1 {
			t.Fatal("the SMSC saw no unbind")
		}
		if !errors.Is(c.Err(), smpp.ErrClosed) {
			t.Fatalf("Err %v", c.Err())
		}
		if _, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); !errors.Is(err, smpp.ErrClosed) {
			t.Fatalf("Submit after Close: %v", err)
		}
		if _, err := c.Receive(guardCtx(t)); !errors.Is(err, smpp.ErrClosed) {
			t.Fatalf("Receive after Close: %v", err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("by-smsc", func(t *testing.T) {
		c := dial(t, s, smpp.Config{})
		dm := smpp.DeliverSM{SourceAddr: []byte("1"), DestinationAddr: []byte("2"), ShortMessage: []byte("last")}
		if err := s.Deliver(guardCtx(t), "esme", dm); err != nil {
			t.Fatal(err)
		}
		if err := s.Unbind(guardCtx(t), "esme"); err != nil {
			t.Fatal(err)
		}
		waitDone(t, c)
		if !errors.Is(c.Err(), smpp.ErrUnbound) {
			t.Fatalf("Err %v", c.Err())
		}
		// What was queued is still received, then the end.
		if d, err := c.Receive(guardCtx(t)); err != nil || string(d.ShortMessage) != "last" {
			t.Fatalf("%q %v", d.ShortMessage, err)
		}
		if _, err := c.Receive(guardCtx(t)); !errors.Is(err, smpp.ErrUnbound) {
			t.Fatalf("Receive: %v", err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLinkLoss(t *testing.T) {
	noLeaks(t)
	o := newObserver()
	s := sim(t, smppsim.Config{OnPDU: o.on})
	c := dial(t, s, smpp.Config{})
	s.Inject(smppsim.Fault{Command: smpp.CmdSubmitSM, Action: smppsim.DropResponse})
	errc := make(chan error, 1)
	go func() {
		_, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")})
		errc <- err
	}()
	o.await(t, smpp.CmdSubmitSM)
	if n := s.Disconnect("esme"); n != 1 {
		t.Fatalf("%d disconnected", n)
	}
	if err := <-errc; !errors.Is(err, smpp.ErrConnLost) {
		t.Fatalf("pending Submit: %v", err)
	}
	waitDone(t, c)
	if !errors.Is(c.Err(), smpp.ErrConnLost) {
		t.Fatalf("Err %v", c.Err())
	}
	if _, err := c.Receive(guardCtx(t)); !errors.Is(err, smpp.ErrConnLost) {
		t.Fatalf("Receive: %v", err)
	}
	s.Inject(smppsim.Fault{Command: smpp.CmdSubmitSM, Action: smppsim.CloseConn})
	c2 := dial(t, s, smpp.Config{})
	if _, err := c2.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")}); !errors.Is(err, smpp.ErrConnLost) {
		t.Fatalf("Submit on a closing SMSC: %v", err)
	}
}

// rawSMSC accepts one connection, answers its bind, and hands it to the
// test to play the SMSC with hand-written PDUs.
func rawSMSC(t *testing.T) (*smpp.Client, net.Conn, *smpp.Reader) {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(guardCtx(t), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type accepted struct {
		conn net.Conn
		err  error
	}
	ac := make(chan accepted, 1)
	go func() {
		conn, err := ln.Accept()
		ac <- accepted{conn, err}
	}()
	cconn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := smpp.NewClient(cconn, smpp.Config{SystemID: "esme", EnquireInterval: -1})
	t.Cleanup(func() { c.Close() })
	a := <-ac
	if a.err != nil {
		t.Fatal(a.err)
	}
	t.Cleanup(func() { a.conn.Close() })
	a.conn.SetDeadline(time.Now().Add(guard))
	rd := smpp.NewReader(a.conn, 0)
	errc := make(chan error, 1)
	go func() { errc <- c.Bind(guardCtx(t)) }()
	h, _, err := rd.Next()
	if err != nil || h.ID != smpp.CmdBindTransceiver {
		t.Fatalf("%v %v", h.ID, err)
	}
	resp := smpp.BindResp{Header: smpp.Header{ID: smpp.CmdBindTransceiverResp, Seq: h.Seq}, SystemID: []byte("raw")}
	out, _ := resp.AppendBinary(nil)
	a.conn.Write(out)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return c, a.conn, rd
}

// TestClientAnswers plays an SMSC that sends what a client must answer
// with generic_nack or an error status (SMPP 3.4 5.1.3).
func TestClientAnswers(t *testing.T) {
	noLeaks(t)
	c, conn, rd := rawSMSC(t)
	expect := func(hexPDU string, id smpp.CommandID, st smpp.Status, seq uint32) {
		t.Helper()
		if _, err := conn.Write(codectest.Unhex(t, hexPDU)); err != nil {
			t.Fatal(err)
		}
		h, _, err := rd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if h.ID != id || h.Status != st || h.Seq != seq {
			t.Fatalf("got %v %v seq %d, want %v %v seq %d", h.ID, h.Status, h.Seq, id, st, seq)
		}
	}
	// An unknown command_id (cloudhopper decodeUnsupportedRequestCommandId).
	expect(`0000001000000110000000000a342ee7`, smpp.CmdGenericNack, smpp.StatusInvCmdID, 0x0a342ee7)
	// data_sm: known, not supported by the client.
	expect(`00000010 00000103 00000000 00000005`, smpp.CmdGenericNack, smpp.StatusInvCmdID, 5)
	// enquire_link with a body.
	expect(`00000011 00000015 00000000 00000006 00`, smpp.CmdGenericNack, smpp.StatusInvCmdLen, 6)
	// A deliver_sm whose sm_length runs past the end.
	expect(`00000039000000050000000000000007000101393939393139393134353933000000363436340000000000000000080010c1e1e9edf3faf1fc`,
		smpp.CmdDeliverSMResp, smpp.StatusInvMsgLen, 7)
	// enquire_link.
	expect(`00000010 00000015 00000000 00000008`, smpp.CmdEnquireLinkResp, smpp.StatusOK, 8)
	// A response to nothing is ignored: the next answer is to the next request.
	conn.Write(codectest.Unhex(t, `00000011 80000004 00000000 00000063 00`))
	expect(`00000010 00000015 00000000 00000009`, smpp.CmdEnquireLinkResp, smpp.StatusOK, 9)
	if st := c.Stats(); st.LateOrStrays != 1 || st.NacksSent != 3 || st.Rejected != 1 {
		t.Fatalf("stats %+v", st)
	}
	// A command_length below 16 loses the framing: generic_nack, then the end.
	expect(`00000008 00000015 00000000 0000000a`, smpp.CmdGenericNack, smpp.StatusInvCmdLen, 10)
	waitDone(t, c)
	if !errors.Is(c.Err(), smpp.ErrConnLost) || !errors.Is(c.Err(), smpp.ErrMalformed) {
		t.Fatalf("Err %v", c.Err())
	}
}

// TestClientResponses plays an SMSC that answers a submit_sm with the
// response of another command, and with a malformed submit_sm_resp.
func TestClientResponses(t *testing.T) {
	noLeaks(t)
	c, conn, rd := rawSMSC(t)
	submit := func(resp func(seq uint32) string) error {
		errc := make(chan error, 1)
		go func() {
			_, err := c.Submit(guardCtx(t), smpp.SubmitSM{DestinationAddr: []byte("1")})
			errc <- err
		}()
		h, _, err := rd.Next()
		if err != nil || h.ID != smpp.CmdSubmitSM {
			t.Fatalf("%v %v", h.ID, err)
		}
		conn.Write(codectest.Unhex(t, resp(h.Seq)))
		return <-errc
	}
	seqHex := func(seq uint32) string { return strconv.FormatUint(uint64(seq)|1<<32, 16)[1:] }
	err := submit(func(seq uint32) string { return `00000010 80000015 00000000 ` + seqHex(seq) })
	var e *smpp.Error
	if !errors.As(err, &e) || e.Field != "command_id" {
		t.Fatalf("wrong response: %v", err)
	}
	err = submit(func(seq uint32) string { return `00000012 80000004 00000000 ` + seqHex(seq) + ` 3131` })
	if !errors.As(err, &e) || e.Field != "message_id" {
		t.Fatalf("malformed response: %v", err)
	}
	err = submit(func(seq uint32) string { return `00000013 80000004 00000000 ` + seqHex(seq) + ` 414200` })
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkClient measures submit_sm round trips through the simulated SMSC
// on loopback: one at a time, and from 16 goroutines through a window of
// 10; and deliver_sm from the SMSC to Receive. Allocations are the whole
// process's (client and SMSC).
func BenchmarkClient(b *testing.B) {
	s := smppsim.New(smppsim.Config{Accounts: map[string]string{"esme": "secret"},
		Submit: func(string, *smpp.SubmitSM) (string, smpp.Status) { return "1", smpp.StatusOK }})
	if err := s.ListenAndServe(context.Background(), "127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c, err := smpp.Dial(context.Background(), s.Addr().String(), smpp.Config{SystemID: "esme", Password: "secret"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	part := make([]byte, 140) // a full segment: UDH and CoAP
	copy(part, []byte{0x0b, 0x08, 0x04, 0x01, 0x02, 0x03, 0x01, 0x05, 0x04, 0x16, 0x34, 0x16, 0x34})
	sm := smpp.SubmitSM{DestinationAddr: []byte("15551234567"), ESMClass: smpp.ESMUDHI, DataCoding: smpp.CodingBinary, ShortMessage: part}
	ctx := context.Background()
	b.Run("op=submit/seq", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(part)))
		for b.Loop() {
			if _, err := c.Submit(ctx, sm); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("op=submit/par=16", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(part)))
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Submit(ctx, sm); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("op=deliver", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(part)))
		dm := smpp.DeliverSM(sm)
		for b.Loop() {
			if err := s.Deliver(ctx, "esme", dm); err != nil {
				b.Fatal(err)
			}
			if _, err := c.Receive(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
