package segment

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func payload(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ byte(i>>8) ^ seed
	}
	return b
}

// parts splits p into user data with headers of their own.
func parts(tb testing.TB, p []byte, o Options) []tpdu.UserData {
	tb.Helper()
	s, err := Split(p, o)
	if err != nil {
		tb.Fatal(err)
	}
	var out []tpdu.UserData
	for {
		ud, _, ok := s.Next(nil)
		if !ok {
			break
		}
		out = append(out, ud)
	}
	if len(out) != s.Total() {
		tb.Fatalf("got %d parts, Total %d", len(out), s.Total())
	}
	return out
}

func concatOf(tb testing.TB, ud *tpdu.UserData) (tpdu.Concat, bool) {
	tb.Helper()
	return ud.Concat()
}

func TestSplitSizes(t *testing.T) {
	wide := tpdu.Ports{Dst: 0x1234, Src: 0x5678, Wide: true}
	tests := []struct {
		name  string
		n     int
		o     Options
		parts int
	}{
		{"empty", 0, Options{}, 1},
		{"one", 1, Options{}, 1},
		{"134", 134, Options{}, 1},
		{"140-fits", 140, Options{}, 1},
		{"141-ref16", 141, Options{}, 2},
		{"141-ref8", 141, Options{Ref8: true}, 2},
		{"133-ports-fits", 133, Options{Ports: wide, HasPorts: true}, 1},
		{"134-ports", 134, Options{Ports: wide, HasPorts: true}, 2},
		{"1000-ref16", 1000, Options{}, 8},          // 133 per part
		{"1000-ref8", 1000, Options{Ref8: true}, 8}, // 134 per part
		{"1000-ports", 1000, Options{Ports: wide, HasPorts: true}, 8},
		{"255x134-ref8", 255 * 134, Options{Ref8: true}, 255},
		{"255x133-ref16", 255 * 133, Options{}, 255},
		{"255x127-ports", 255 * 127, Options{Ports: wide, HasPorts: true}, 255},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := payload(tt.n, 1)
			ps := parts(t, p, tt.o)
			if len(ps) != tt.parts {
				t.Fatalf("parts = %d, want %d", len(ps), tt.parts)
			}
			var joined []byte
			for i := range ps {
				ud := &ps[i]
				udl := len(ud.Body)
				if ud.Header != nil {
					udl += 1 + len(ud.Header)
				}
				if udl > tpdu.MaxUserData {
					t.Fatalf("part %d: TP-UD %d octets", i+1, udl)
				}
				c, ok := concatOf(t, ud)
				if tt.parts == 1 {
					if ok {
						t.Fatal("single part has a concatenation element")
					}
				} else if !ok || int(c.Seq) != i+1 || int(c.Total) != tt.parts || c.Wide == tt.o.Ref8 {
					t.Fatalf("part %d: concat %+v ok=%v", i+1, c, ok)
				}
				if pp, ok := ud.Ports(); ok != tt.o.HasPorts || (ok && pp != tt.o.Ports) {
					t.Fatalf("part %d: ports %+v ok=%v", i+1, pp, ok)
				}
				if !tt.o.HasPorts && tt.parts == 1 && ud.Header != nil {
					t.Fatal("single part without ports has a header")
				}
				// Every part but the last is full.
				if i < len(ps)-1 && tt.parts > 1 && udl != tpdu.MaxUserData {
					t.Fatalf("part %d: %d octets, want 140", i+1, udl)
				}
				joined = append(joined, ud.Body...)
			}
			if !bytes.Equal(joined, p) {
				t.Fatal("parts do not join to the payload")
			}
		})
	}
}

func TestSplitTooLarge(t *testing.T) {
	for _, tt := range []struct {
		n int
		o Options
	}{
		{255*134 + 1, Options{Ref8: true}},
		{255 * 134, Options{}}, // 16-bit reference: 133 per part
		{255*127 + 1, Options{HasPorts: true, Ports: tpdu.Ports{Wide: true}}},
	} {
		_, err := Split(make([]byte, tt.n), tt.o)
		var e *Error
		if !errors.Is(err, ErrLimit) || !errors.As(err, &e) || e.Rule != ruleConcat {
			t.Errorf("Split(%d, %+v) = %v, want ErrLimit [%s]", tt.n, tt.o, err, ruleConcat)
		}
	}
}

// TestAppendNext checks the raw TP-UD form against Next through a TPDU.
func TestAppendNext(t *testing.T) {
	p := payload(300, 2)
	o := Options{Ref: 0xBEEF, HasPorts: true, Ports: tpdu.Ports{Dst: 5684, Src: 5684, Wide: true}}
	s1, _ := Split(p, o)
	s2 := s1
	for {
		ud, _, ok := s1.Next(nil)
		raw, ok2 := s2.AppendNext(nil)
		if ok != ok2 {
			t.Fatal("Next and AppendNext disagree on the count")
		}
		if !ok {
			break
		}
		d := tpdu.Deliver{Originator: mustAddr(t), DCS: tpdu.DCS8Bit, UserData: ud}
		pdu, err := d.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		// TP-UD is the tail of the TPDU, after TP-UDL.
		if !bytes.HasSuffix(pdu, raw) || int(pdu[len(pdu)-len(raw)-1]) != len(raw) {
			t.Fatalf("AppendNext %X is not the TP-UD of % X", raw, pdu)
		}
	}
}

func mustAddr(tb testing.TB) tpdu.Address {
	tb.Helper()
	// A TPDU with originator +15551234567, decoded for its Address.
	var d tpdu.Deliver
	pdu := []byte{0x04, 0x0B, 0x91, 0x51, 0x55, 0x21, 0x43, 0x65, 0xF7, 0x00, 0x04, 0x62, 0x10, 0x20, 0x30, 0x40, 0x50, 0x00, 0x00}
	if _, err := d.Decode(pdu); err != nil {
		tb.Fatal(err)
	}
	return d.Originator
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 134, 140, 1000, 255 * 134} {
		for _, o := range []Options{
			{Ref: 7, Ref8: true},
			{Ref: 0x1234},
			{Ref: 0x4321, HasPorts: true, Ports: tpdu.Ports{Dst: 5684, Src: 5683, Wide: true}},
		} {
			if _, err := o.Parts(n); err != nil {
				continue // 255*134 needs the 8-bit reference
			}
			p := payload(n, byte(n))
			ps := parts(t, p, o)
			var r Reassembler
			// Shuffle, duplicate some, and hold one back.
			order := rng.Perm(len(ps))
			held := order[0]
			seq := append([]int(nil), order[1:]...)
			for i := 0; i < len(ps)/3; i++ {
				seq = append(seq, order[rng.IntN(len(order))])
			}
			rng.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })
			got := 0
			key := []byte("+15551234567")
			now := t0
			add := func(i int) {
				m, ok, err := r.Add(now, key, &ps[i])
				if err != nil {
					t.Fatalf("n=%d %+v: part %d: %v", n, o, i+1, err)
				}
				if ok {
					got++
					if !bytes.Equal(m.Payload, p) || m.Parts != len(ps) || m.HasPorts != o.HasPorts || m.Ports != o.Ports {
						t.Fatalf("n=%d %+v: wrong message (%d octets, %d parts)", n, o, len(m.Payload), m.Parts)
					}
				}
				now = now.Add(time.Millisecond)
			}
			for _, i := range seq {
				if i == held && len(ps) > 1 {
					continue
				}
				add(i)
			}
			if len(ps) > 1 {
				if got != 0 || r.Pending() != 1 {
					t.Fatalf("n=%d %+v: delivered %d with part %d missing", n, o, got, held+1)
				}
			}
			if got == 0 {
				add(held)
			}
			if got != 1 {
				t.Fatalf("n=%d %+v: delivered %d times", n, o, got)
			}
			// Late duplicates of a multi-part message are ignored.
			for i := range ps {
				add(i)
			}
			if len(ps) > 1 && (got != 1 || r.Pending() != 0) {
				t.Fatalf("n=%d %+v: duplicates after delivery: delivered %d, pending %d", n, o, got, r.Pending())
			}
			if r.Pending() != 0 || r.Held() != 0 {
				t.Fatalf("pending %d held %d after delivery", r.Pending(), r.Held())
			}
		}
	}
}

// TestDeliverRoundTrip goes through SMS-DELIVER TPDUs on the wire.
func TestDeliverRoundTrip(t *testing.T) {
	p := payload(700, 9)
	s, _ := Split(p, Options{Ref: 99, HasPorts: true, Ports: tpdu.Ports{Dst: 5684, Src: 5684, Wide: true}})
	var pdus [][]byte
	var hdr []byte
	for {
		ud, b, ok := s.Next(hdr[:0])
		if !ok {
			break
		}
		hdr = b
		d := tpdu.Deliver{Originator: mustAddr(t), DCS: tpdu.DCS8Bit, UserData: ud}
		pdu, err := d.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		pdus = append(pdus, pdu)
	}
	var r Reassembler
	var d tpdu.Deliver
	for i := len(pdus) - 1; i >= 0; i-- {
		if _, err := d.Decode(pdus[i]); err != nil {
			t.Fatal(err)
		}
		m, ok, err := r.AddDeliver(t0, &d)
		if err != nil {
			t.Fatal(err)
		}
		if ok != (i == 0) {
			t.Fatalf("part %d: ok = %v", i+1, ok)
		}
		if ok && !bytes.Equal(m.Payload, p) {
			t.Fatal("payload differs")
		}
	}
	d.DCS = tpdu.DCSGSM7
	if _, _, err := r.AddDeliver(t0, &d); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("GSM 7-bit: %v, want ErrUnsupported", err)
	}
}

func TestTimeout(t *testing.T) {
	r := NewReassembler(Limits{Timeout: 30 * time.Second})
	ps := parts(t, payload(400, 3), Options{Ref: 1})
	key := []byte("a")
	for _, i := range []int{0, 1} {
		if _, ok, err := r.Add(t0.Add(time.Duration(i)*10*time.Second), key, &ps[i]); ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	if n := r.Expire(t0.Add(29 * time.Second)); n != 0 || r.Pending() != 1 {
		t.Fatalf("expired %d before the timeout", n)
	}
	if n := r.Expire(t0.Add(30 * time.Second)); n != 1 || r.Pending() != 0 || r.Held() != 0 {
		t.Fatalf("Expire = %d, pending %d, held %d", n, r.Pending(), r.Held())
	}
	// The last part now starts a new message, which never completes.
	if _, ok, err := r.Add(t0.Add(31*time.Second), key, &ps[2]); ok || err != nil {
		t.Fatal("late part delivered", ok, err)
	}
	if _, ok, _ := r.Add(t0.Add(31*time.Second), key, &ps[3]); ok {
		t.Fatal("half a message delivered")
	}
	// Add expires too.
	if _, ok, err := r.Add(t0.Add(70*time.Second), []byte("b"), &ps[0]); ok || err != nil || r.Pending() != 1 {
		t.Fatal("Add did not expire", ok, err, r.Pending())
	}
	if st := r.Stats(); st.Expired != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestLimits(t *testing.T) {
	ps := func(ref uint16) []tpdu.UserData {
		return parts(t, payload(300, byte(ref)), Options{Ref: ref, Ref8: true})
	} // 3 parts
	t.Run("MaxBytes evicts the oldest", func(t *testing.T) {
		r := NewReassembler(Limits{MaxBytes: 1000}) // 7 full records of 138
		var msgs [4][]tpdu.UserData
		key := []byte("k")
		for m := range msgs {
			msgs[m] = ps(uint16(m))
		}
		for m := range 3 {
			for i := range 2 {
				if _, _, err := r.Add(t0, key, &msgs[m][i]); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, _, err := r.Add(t0, key, &msgs[3][0]); err != nil || r.Stats().Evicted != 0 {
			t.Fatal(err, r.Stats())
		}
		if _, _, err := r.Add(t0, key, &msgs[3][1]); err != nil || r.Stats().Evicted != 1 || r.Held() > 1000 {
			t.Fatal(err, r.Stats(), r.Held())
		}
		if _, ok, _ := r.Add(t0, key, &msgs[0][2]); ok {
			t.Fatal("evicted message delivered")
		}
		if m, ok, _ := r.Add(t0, key, &msgs[1][2]); !ok || !bytes.Equal(m.Payload, payload(300, 1)) {
			t.Fatal("message 1 lost")
		}
		if cap(r.arena) > 1000 {
			t.Fatalf("arena capacity %d", cap(r.arena))
		}
	})
	t.Run("message larger than MaxBytes", func(t *testing.T) {
		r := NewReassembler(Limits{MaxBytes: 300})
		m := ps(1)
		r.Add(t0, nil, &m[0])
		r.Add(t0, nil, &m[1])
		if _, _, err := r.Add(t0, nil, &m[2]); !errors.Is(err, ErrLimit) || r.Pending() != 0 || r.Held() != 0 {
			t.Fatalf("err %v pending %d", err, r.Pending())
		}
	})
	t.Run("MaxPending evicts the oldest", func(t *testing.T) {
		r := NewReassembler(Limits{MaxPending: 2})
		a, b, c := ps(1), ps(2), ps(3)
		r.Add(t0, nil, &a[0])
		r.Add(t0, nil, &b[0])
		r.Add(t0, nil, &c[0])
		if r.Pending() != 2 || r.Stats().Evicted != 1 {
			t.Fatal(r.Pending(), r.Stats())
		}
		r.Add(t0, nil, &b[1])
		if _, ok, _ := r.Add(t0, nil, &b[2]); !ok {
			t.Fatal("b lost")
		}
	})
	t.Run("MaxParts", func(t *testing.T) {
		r := NewReassembler(Limits{MaxParts: 2})
		m := ps(1)
		if _, _, err := r.Add(t0, nil, &m[0]); !errors.Is(err, ErrLimit) {
			t.Fatal(err)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		var r Reassembler
		if l := r.Limits(); l != (Limits{MaxPending: 16, MaxBytes: 128 << 10, MaxParts: 255, Timeout: 3 * time.Minute}) {
			t.Fatalf("%+v", l)
		}
	})
}

func TestErrors(t *testing.T) {
	c16 := func(ref uint16, total, seq byte) tpdu.UserData {
		return tpdu.UserData{Header: []byte{tpdu.IEConcat16, 4, byte(ref >> 8), byte(ref), total, seq}, Body: []byte("x")}
	}
	tests := []struct {
		name  string
		key   string
		prime []tpdu.UserData
		ud    tpdu.UserData
		class error
	}{
		{"total 0", "", nil, c16(1, 0, 0), ErrMalformed},
		{"seq 0", "", nil, c16(1, 3, 0), ErrMalformed},
		{"seq above total", "", nil, c16(1, 3, 4), ErrMalformed},
		{"concat8 length", "", nil, tpdu.UserData{Header: []byte{0, 4, 1, 2, 1, 0}}, ErrMalformed},
		{"concat16 length", "", nil, tpdu.UserData{Header: []byte{8, 3, 1, 2, 1}}, ErrMalformed},
		{"ports length", "", nil, tpdu.UserData{Header: []byte{5, 2, 1, 2}}, ErrMalformed},
		{"ports8 length", "", nil, tpdu.UserData{Header: []byte{4, 4, 1, 2, 3, 4, 5, 4, 0, 1, 0, 2}}, ErrMalformed},
		{"overrun", "", nil, tpdu.UserData{Header: []byte{8, 9, 1}}, tpdu.ErrMalformed},
		{"too long", "", nil, tpdu.UserData{Header: []byte{}, Body: make([]byte, 140)}, ErrMalformed},
		{"total differs", "", []tpdu.UserData{c16(1, 3, 1)}, c16(1, 4, 2), ErrConflict},
		{"ports differ", "", []tpdu.UserData{c16(1, 3, 1)},
			tpdu.UserData{Header: []byte{8, 4, 0, 1, 3, 2, 5, 4, 1, 2, 3, 4}}, ErrConflict},
		{"key", string(make([]byte, 65)), nil, c16(1, 3, 1), ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Reassembler
			for i := range tt.prime {
				if _, _, err := r.Add(t0, []byte(tt.key), &tt.prime[i]); err != nil {
					t.Fatal(err)
				}
			}
			before := r.Held()
			_, ok, err := r.Add(t0, []byte(tt.key), &tt.ud)
			if ok || !errors.Is(err, tt.class) {
				t.Fatalf("Add = %v, %v; want %v", ok, err, tt.class)
			}
			var e *Error
			if errors.As(err, &e) && (e.Rule == "" || e.Field == "" || e.Error() == "") {
				t.Fatalf("error without rule or field: %#v", e)
			}
			if r.Held() != before || r.Stats().Rejected != 1 {
				t.Fatalf("held %d -> %d, stats %+v", before, r.Held(), r.Stats())
			}
		})
	}
}

// TestSinglePart: no concatenation element, or a total of 1, passes straight
// through, and the payload is a copy.
func TestSinglePart(t *testing.T) {
	var r Reassembler
	for _, ud := range []tpdu.UserData{
		{Body: []byte("hello")},
		{Header: []byte{0, 3, 9, 1, 1}, Body: []byte("hello")},
		{Header: []byte{5, 4, 0x16, 0x34, 0x16, 0x33}, Body: []byte("hello")},
	} {
		m, ok, err := r.Add(t0, nil, &ud)
		if !ok || err != nil || string(m.Payload) != "hello" || m.Parts != 1 {
			t.Fatalf("%+v: %v %v %q", ud, ok, err, m.Payload)
		}
		ud.Body[0] = 'j'
		if string(m.Payload) != "hello" {
			t.Fatal("payload aliases the input")
		}
	}
}

// TestCompaction fills the arena with interleaved messages so that it
// compacts and grows, and checks every payload.
func TestCompaction(t *testing.T) {
	r := NewReassembler(Limits{MaxBytes: 5000, MaxPending: 8})
	rng := rand.New(rand.NewPCG(3, 4))
	type msg struct {
		p  []byte
		ps []tpdu.UserData
		at int
	}
	var live []*msg
	ref := uint16(0)
	delivered := 0
	for step := 0; step < 3000; step++ {
		if len(live) < 6 {
			ref++
			p := payload(135+rng.IntN(600), byte(ref))
			live = append(live, &msg{p: p, ps: parts(t, p, Options{Ref: ref})})
		}
		k := rng.IntN(len(live))
		m := live[k]
		got, ok, err := r.Add(t0, []byte("k"), &m.ps[m.at])
		if err != nil {
			t.Fatal(err)
		}
		m.at++
		if ok {
			if !bytes.Equal(got.Payload, m.p) {
				t.Fatalf("step %d: wrong payload", step)
			}
			delivered++
		}
		if m.at == len(m.ps) {
			if !ok {
				t.Fatalf("step %d: complete message not delivered", step)
			}
			live = append(live[:k], live[k+1:]...)
		}
		if r.Held() > 5000 || cap(r.arena) > 5000 {
			t.Fatalf("held %d cap %d", r.Held(), cap(r.arena))
		}
	}
	if delivered < 100 || r.Stats().Evicted != 0 {
		t.Fatalf("delivered %d, stats %+v", delivered, r.Stats())
	}
}
