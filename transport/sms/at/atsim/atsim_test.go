package atsim_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/at/atsim"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

const guard = 10 * time.Second

// te is a terminal speaking raw AT to a simulated modem over a pipe.
type te struct {
	t      *testing.T
	c      net.Conn
	r      *bufio.Reader
	served chan error
}

func dial(t *testing.T, sim *atsim.Modem) *te {
	a, b := net.Pipe()
	x := &te{t: t, c: b, r: bufio.NewReader(b), served: make(chan error, 1)}
	go func() { x.served <- sim.Serve(context.Background(), a) }()
	t.Cleanup(func() {
		b.Close()
		select {
		case <-x.served:
		case <-time.After(guard):
			t.Error("Serve did not return")
		}
	})
	return x
}

// write sends raw characters.
func (x *te) write(s string) {
	x.t.Helper()
	x.c.SetWriteDeadline(time.Now().Add(guard))
	if _, err := x.c.Write([]byte(s)); err != nil {
		x.t.Fatal(err)
	}
}

// lines reads lines up to and including a final result code or the
// prompt, and returns them without the empty ones.
func (x *te) lines() []string {
	x.t.Helper()
	x.c.SetReadDeadline(time.Now().Add(guard))
	var out []string
	var cur []byte
	for {
		c, err := x.r.ReadByte()
		if err != nil {
			x.t.Fatalf("after %q: %v", out, err)
		}
		switch {
		case c == '\r' || c == '\n':
			if len(cur) > 0 {
				l := string(cur)
				out = append(out, l)
				cur = cur[:0]
				var pl at.Line
				if pl.Parse([]byte(l)) == nil && pl.Kind.Final() {
					return out
				}
			}
		default:
			cur = append(cur, c)
			if string(cur) == "> " {
				return append(out, "> ")
			}
		}
	}
}

// cmd sends a command line and returns its response lines.
func (x *te) cmd(line string) []string {
	x.t.Helper()
	x.write(line + "\r")
	return x.lines()
}

func (x *te) expect(line string, want ...string) {
	x.t.Helper()
	if got := x.cmd(line); !reflect.DeepEqual(got, want) {
		x.t.Errorf("%s: %q, want %q", line, got, want)
	}
}

func addr(t testing.TB, s string) tpdu.Address {
	a, err := tpdu.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func submitTPDU(t testing.TB, body string) []byte {
	s := tpdu.Submit{Destination: addr(t, "+15557654321"), DCS: tpdu.DCS8Bit, UserData: tpdu.UserData{Body: []byte(body)}}
	b, err := s.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deliverTPDU(t testing.TB, body string, dcs tpdu.DCS) []byte {
	d := tpdu.Deliver{Originator: addr(t, "+15550001111"), DCS: dcs, UserData: tpdu.UserData{Body: []byte(body)}}
	b, err := d.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hexPDU(tp []byte) string { return string(at.AppendHex([]byte("00"), tp)) }

// A session as the driver runs it, and the error forms of +CMEE.
func TestTranscript(t *testing.T) {
	x := dial(t, atsim.New(atsim.Config{}))
	x.expect("AT", "AT", "OK") // echo is on after power-on (V.250 6.2.4)
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT", "OK")
	x.expect("at", "OK")
	x.expect("AT+CMGF=1", "ERROR") // +CMEE=0: plain ERROR
	x.expect("AT+CMEE=1", "OK")
	x.expect("AT+CMGF=1", "+CMS ERROR: 303")
	x.expect("AT+CMEE=2", "OK")
	x.expect("AT+CMGF=1", "+CMS ERROR: operation not supported")
	x.expect("AT+CMEE=1", "OK")
	x.expect("AT+CMEE?", "+CMEE: 1", "OK")
	x.expect("AT+CMGF=0", "OK")
	x.expect("AT+CMGF?", "+CMGF: 0", "OK")
	x.expect("AT+CSMS=1", "+CSMS: 1,1,1", "OK")
	x.expect("AT+CSMS?", "+CSMS: 1,1,1,1", "OK")
	x.expect("AT+CNMI=2,1,0,0,0", "OK")
	x.expect("AT+CNMI?", "+CNMI: 2,1,0,0,0", "OK")
	x.expect("AT+CNMI=2,3,0,0,0", "+CMS ERROR: 303")
	x.expect("AT+CNMI=,2", "OK") // omitted parameters keep their values
	x.expect("AT+CNMI?", "+CNMI: 2,2,0,0,0", "OK")
	x.expect("AT+CNMA", "+CMS ERROR: 340")
	x.expect("AT+CMGR=1", "+CMS ERROR: 321")
	x.expect("AT+CMGR=x", "ERROR")
	x.expect("AT+CMGD=99", "+CMS ERROR: 321")
	x.expect("AT+CMGS=0", "+CMS ERROR: 304")
	x.expect("AT+FOO", "ERROR")
	x.expect("\x1bxyAT", "OK") // V.250 5.2.1: what comes before AT is ignored
}

func TestCMGS(t *testing.T) {
	var mu sync.Mutex
	var got [][]byte
	var from tpdu.Address
	var next error
	sim := atsim.New(atsim.Config{Number: addr(t, "+15550001111"), Submit: func(f tpdu.Address, sub []byte) (byte, error) {
		mu.Lock()
		defer mu.Unlock()
		got, from = append(got, sub), f
		err := next
		next = nil
		return byte(len(got)), err
	}})
	x := dial(t, sim)
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT+CMEE=1", "OK")
	sub := submitTPDU(t, "hello")
	send := func(length int, pdu string, want ...string) {
		t.Helper()
		x.expect("AT+CMGS="+strconv.Itoa(length), "> ")
		x.write(pdu + "\x1a")
		if l := x.lines(); !reflect.DeepEqual(l, want) {
			t.Errorf("PDU %s: %q, want %q", pdu, l, want)
		}
	}
	send(len(sub), hexPDU(sub), "+CMGS: 1", "OK")
	mu.Lock()
	if len(got) != 1 || string(got[0]) != string(sub) || from.String() != "+15550001111" {
		t.Errorf("network got %X from %v", got, from)
	}
	mu.Unlock()
	// With an SMSC part (07 91 ...), lower-case hex, CR LF inside.
	smsc := "07913366003000F0"
	send(len(sub), smsc+strings.ToLower(hexPDU(sub)[2:12])+"\r\n"+hexPDU(sub)[12:], "+CMGS: 2", "OK")
	// 27.005 3.5.1 and 3.2.5: what does not decode answers 304.
	send(len(sub)+1, hexPDU(sub), "+CMS ERROR: 304")                    // <length> disagrees
	send(len(sub), hexPDU(sub)[:len(hexPDU(sub))-1], "+CMS ERROR: 304") // odd hex
	send(len(sub), "00zz"+hexPDU(sub)[4:], "+CMS ERROR: 304")           // not hex
	send(3, "00010203", "+CMS ERROR: 304")                              // truncated SMS-SUBMIT
	send(len(sub), "0C"+hexPDU(sub)[2:], "+CMS ERROR: 304")             // SMSC longer than 11 octets
	deliver := deliverTPDU(t, "hello", tpdu.DCS8Bit)                    //
	send(len(deliver), hexPDU(deliver), "+CMS ERROR: 304")              // an SMS-DELIVER
	send(10, strings.Repeat("00", 400), "+CMS ERROR: 304")              // too long
	sim.FailNextSend(331)
	send(len(sub), hexPDU(sub), "+CMS ERROR: 331")
	mu.Lock()
	next = atsim.CMSError(38)
	mu.Unlock()
	send(len(sub), hexPDU(sub), "+CMS ERROR: 38")
	mu.Lock()
	next = errors.New("down")
	mu.Unlock()
	send(len(sub), hexPDU(sub), "+CMS ERROR: 500")
	// ESC abandons the PDU.
	x.expect("AT+CMGS=5", "> ")
	x.write("0011\x1b")
	if l := x.lines(); !reflect.DeepEqual(l, []string{"OK"}) {
		t.Errorf("ESC: %q", l)
	}
	mu.Lock()
	if len(got) != 4 {
		t.Errorf("network got %d messages, want 4", len(got))
	}
	mu.Unlock()
	if s := atsim.CMSError(38).Error(); s != "+CMS ERROR: 38" {
		t.Error(s)
	}
}

// readN reads n non-empty lines.
func (x *te) readN(n int) []string {
	x.t.Helper()
	x.c.SetReadDeadline(time.Now().Add(guard))
	var out []string
	var cur []byte
	for len(out) < n {
		c, err := x.r.ReadByte()
		if err != nil {
			x.t.Fatalf("after %q: %v", out, err)
		}
		if c == '\r' || c == '\n' {
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = cur[:0]
			}
			continue
		}
		cur = append(cur, c)
	}
	return out
}

// deliver has the network call Deliver, which writes to the pipe, and
// reads the n lines the modem shows.
func (x *te) deliver(sim *atsim.Modem, tp []byte, n int) ([]string, error) {
	x.t.Helper()
	done := make(chan error, 1)
	go func() { done <- sim.Deliver(tp) }()
	var l []string
	if n > 0 {
		l = x.readN(n)
	}
	select {
	case err := <-done:
		return l, err
	case <-time.After(guard):
		x.t.Fatal("Deliver hangs")
	}
	return nil, nil
}

func ackOf(t *testing.T, acks chan bool) bool {
	t.Helper()
	select {
	case ok := <-acks:
		return ok
	case <-time.After(guard):
		t.Fatal("no OnAck")
	}
	return false
}

func TestStorage(t *testing.T) {
	acks := make(chan bool, 8)
	sim := atsim.New(atsim.Config{Storage: 2, OnAck: func(_ []byte, ok bool) { acks <- ok }})
	x := dial(t, sim)
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT+CMEE=1", "OK")
	x.expect("AT+CNMI=2,1,0,0,0", "OK")
	d1, d2 := deliverTPDU(t, "one", tpdu.DCS8Bit), deliverTPDU(t, "two", tpdu.DCS8Bit)
	if l, err := x.deliver(sim, d1, 1); err != nil || !reflect.DeepEqual(l, []string{`+CMTI: "SM",1`}) {
		t.Fatal(l, err)
	}
	if !ackOf(t, acks) {
		t.Fatal("stored message not acknowledged")
	}
	if l, err := x.deliver(sim, d2, 1); err != nil || !reflect.DeepEqual(l, []string{`+CMTI: "SM",2`}) {
		t.Fatal(l, err)
	}
	ackOf(t, acks)
	// Full: 27.005 3.2.5 code 322.
	var ce atsim.CMSError
	if err := sim.Deliver(deliverTPDU(t, "three", tpdu.DCS8Bit)); !errors.As(err, &ce) || ce != 322 {
		t.Fatalf("full storage: %v", err)
	}
	x.expect("AT+CMGR=1", "+CMGR: 0,,"+strconv.Itoa(len(d1)), hexPDU(d1), "OK")
	x.expect("AT+CMGR=1", "+CMGR: 1,,"+strconv.Itoa(len(d1)), hexPDU(d1), "OK") // now read
	x.expect("AT+CMGL", "+CMGL: 2,0,,"+strconv.Itoa(len(d2)), hexPDU(d2), "OK") // default: unread
	x.expect("AT+CMGL=4", "+CMGL: 1,1,,"+strconv.Itoa(len(d1)), hexPDU(d1), "+CMGL: 2,1,,"+strconv.Itoa(len(d2)), hexPDU(d2), "OK")
	x.expect("AT+CMGL=0", "OK")
	x.expect("AT+CMGL=5", "+CMS ERROR: 304")
	x.expect("AT+CMGD=1", "OK")
	x.expect("AT+CMGD=1", "OK") // empty: nothing to do
	x.expect("AT+CMGR=1", "+CMS ERROR: 321")
	if n := sim.State().Stored; n != 1 {
		t.Errorf("%d stored", n)
	}
	x.expect("AT+CMGD=1,4", "OK") // delete all
	if n := sim.State().Stored; n != 0 {
		t.Errorf("%d stored", n)
	}
	// A malformed TPDU is refused.
	if err := sim.Deliver([]byte{0x00, 0x0B}); !errors.As(err, &ce) || ce != 304 {
		t.Errorf("malformed: %v", err)
	}
}

func TestDirect(t *testing.T) {
	acks := make(chan bool, 8)
	sim := atsim.New(atsim.Config{OnAck: func(_ []byte, ok bool) { acks <- ok }})
	x := dial(t, sim)
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT+CMEE=1", "OK")
	x.expect("AT+CSMS=1", "+CSMS: 1,1,1", "OK")
	x.expect("AT+CNMI=2,2,0,0,0", "OK")
	d1, d2, d3 := deliverTPDU(t, "one", tpdu.DCS8Bit), deliverTPDU(t, "two", tpdu.DCS8Bit), deliverTPDU(t, "three", tpdu.DCS8Bit)
	if l, err := x.deliver(sim, d1, 2); err != nil || !reflect.DeepEqual(l, []string{"+CMT: ," + strconv.Itoa(len(d1)), hexPDU(d1)}) {
		t.Fatal(l, err)
	}
	// 27.005 3.4.4: the next waits for the acknowledgement.
	if _, err := x.deliver(sim, d2, 0); err != nil {
		t.Fatal(err)
	}
	if st := sim.State(); !st.Awaiting || st.Queued != 1 {
		t.Fatalf("%+v", st)
	}
	x.write("AT+CNMA\r")
	if l := x.readN(3); !reflect.DeepEqual(l, []string{"OK", "+CMT: ," + strconv.Itoa(len(d2)), hexPDU(d2)}) {
		t.Fatal(l)
	}
	if !ackOf(t, acks) {
		t.Fatal("want RP-ACK")
	}
	x.expect("AT+CNMA=2", "OK")
	if ackOf(t, acks) {
		t.Fatal("want RP-ERROR")
	}
	x.expect("AT+CNMA", "+CMS ERROR: 340")
	// Class 2 goes to storage even with <mt>=2 (27.005 3.4.1).
	if l, err := x.deliver(sim, deliverTPDU(t, "sim", 0xF6), 1); err != nil || !reflect.DeepEqual(l, []string{`+CMTI: "SM",1`}) {
		t.Fatal(l, err)
	}
	ackOf(t, acks)
	// Phase 2 (+CSMS=0): no acknowledgement awaited.
	x.expect("AT+CSMS=0", "+CSMS: 1,1,1", "OK")
	if l, err := x.deliver(sim, d3, 2); err != nil || l[0] != "+CMT: ,"+strconv.Itoa(len(d3)) {
		t.Fatal(l, err)
	}
	if !ackOf(t, acks) {
		t.Fatal("want RP-ACK")
	}
	x.expect("AT+CNMA", "+CMS ERROR: 340")
}

// Status reports per <ds>: 1 shows +CDS, 2 stores and shows +CDSI, 0 drops.
func TestStatusReports(t *testing.T) {
	sim := atsim.New(atsim.Config{})
	x := dial(t, sim)
	x.expect("ATE0", "ATE0", "OK")
	rep := tpdu.StatusReport{MR: 9, Recipient: addr(t, "+15557654321")}
	b, err := rep.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	x.expect("AT+CNMI=2,2,0,1,0", "OK")
	if l, err := x.deliver(sim, b, 2); err != nil || !reflect.DeepEqual(l, []string{"+CDS: " + strconv.Itoa(len(b)), hexPDU(b)}) {
		t.Fatal(l, err)
	}
	x.expect("AT+CNMI=2,2,0,2,0", "OK")
	if l, err := x.deliver(sim, b, 1); err != nil || !reflect.DeepEqual(l, []string{`+CDSI: "SM",1`}) {
		t.Fatal(l, err)
	}
	x.expect("AT+CNMI=2,2,0,0,0", "OK")
	if _, err := x.deliver(sim, b, 0); err != nil {
		t.Fatal(err)
	}
	if n := sim.State().Stored; n != 1 {
		t.Errorf("%d stored", n)
	}
}

// 27.005 3.4.4: no AT+CNMA within the network's time: RP-ERROR, and <mt>
// and <ds> set to 0, so the next message is stored without an indication.
func TestAckTimeout(t *testing.T) {
	acks := make(chan bool, 8)
	sim := atsim.New(atsim.Config{AckTimeout: 20 * time.Millisecond, OnAck: func(_ []byte, ok bool) { acks <- ok }})
	x := dial(t, sim)
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT+CMEE=1", "OK")
	x.expect("AT+CSMS=1", "+CSMS: 1,1,1", "OK")
	x.expect("AT+CNMI=2,2,0,1,0", "OK")
	d := deliverTPDU(t, "one", tpdu.DCS8Bit)
	if _, err := x.deliver(sim, d, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := x.deliver(sim, d, 0); err != nil { // held behind the first
		t.Fatal(err)
	}
	if ackOf(t, acks) {
		t.Fatal("want RP-ERROR after the timeout")
	}
	if !ackOf(t, acks) { // the held one was stored
		t.Fatal("held message not stored")
	}
	if st := sim.State(); st.CNMI != [5]int{2, 0, 0, 0, 0} || st.Awaiting || st.Stored != 1 {
		t.Fatalf("%+v", st)
	}
	if _, err := x.deliver(sim, d, 0); err != nil {
		t.Fatal(err)
	}
	x.expect("AT+CNMA", "+CMS ERROR: 340")
	if n := sim.State().Stored; n != 2 {
		t.Errorf("%d stored", n)
	}
}

func TestFaults(t *testing.T) {
	acks := make(chan bool, 8)
	sim := atsim.New(atsim.Config{OnAck: func(_ []byte, ok bool) { acks <- ok }, ResetLines: []string{"RDY", "+CFUN: 1"}})
	x := dial(t, sim)
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT+CSMS=1", "+CSMS: 1,1,1", "OK")
	x.expect("AT+CNMI=2,2,0,0,0", "OK")
	if _, err := x.deliver(sim, deliverTPDU(t, "one", tpdu.DCS8Bit), 2); err != nil {
		t.Fatal(err)
	}
	// Drop: no echo, no answer; the next command is answered.
	sim.Drop("AT+CMGF", 1)
	x.write("AT+CMGF=0\r")
	x.expect("AT", "OK")
	// ResetOn: the command is answered by the reset lines instead.
	sim.ResetOn("AT+CMGR")
	x.write("AT+CMGR=1\r")
	if l := x.readN(2); !reflect.DeepEqual(l, []string{"RDY", "+CFUN: 1"}) {
		t.Fatal(l)
	}
	if ackOf(t, acks) {
		t.Fatal("the +CMT waiting for AT+CNMA must be refused by the reset")
	}
	if st := sim.State(); st != (atsim.State{Echo: true, Resets: 1}) {
		t.Fatalf("%+v", st)
	}
	x.expect("AT", "AT", "OK")
	// A reset during PDU entry abandons it; the rest of the PDU and the
	// Ctrl-Z are noise before the next AT.
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT+CMGS=5", "> ")
	x.write("0001")
	done := make(chan struct{})
	go func() { sim.Reset(); close(done) }() // Reset writes to the pipe: read it here
	if l := x.readN(2); !reflect.DeepEqual(l, []string{"RDY", "+CFUN: 1"}) {
		t.Fatal(l)
	}
	<-done
	x.write("0203\x1a")
	x.expect("AT", "AT", "OK")
	go sim.Emit("RING", `+CMTI: "SM",5`)
	if l := x.readN(2); !reflect.DeepEqual(l, []string{"RING", `+CMTI: "SM",5`}) {
		t.Fatal(l)
	}
	if got := sim.Commands(); got[len(got)-1] != "AT" || len(got) != 10 {
		t.Errorf("%q", got)
	}
}

// BeforeFinal runs before the final result code: a Deliver there puts the
// +CMT between the +CMGS answer and its OK.
func TestBeforeFinal(t *testing.T) {
	var sim *atsim.Modem
	d := deliverTPDU(t, "urc", tpdu.DCS8Bit)
	sim = atsim.New(atsim.Config{BeforeFinal: func(cmd string) {
		if cmd == "AT+CMGS" {
			if err := sim.Deliver(d); err != nil {
				t.Error(err)
			}
		}
	}})
	x := dial(t, sim)
	x.expect("ATE0", "ATE0", "OK")
	x.expect("AT+CNMI=2,2,0,0,0", "OK")
	sub := submitTPDU(t, "x")
	x.expect("AT+CMGS="+strconv.Itoa(len(sub)), "> ")
	x.write(hexPDU(sub) + "\x1a")
	want := []string{"+CMGS: 0", "+CMT: ," + strconv.Itoa(len(d)), hexPDU(d), "OK"}
	if l := x.readN(4); !reflect.DeepEqual(l, want) {
		t.Fatalf("%q, want %q", l, want)
	}
}
