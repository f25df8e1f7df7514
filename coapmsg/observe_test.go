package coapmsg

import (
	"bytes"
	"testing"
	"time"
)

// observeVectors are the first messages of RFC 7641 Appendix A, Figure 3
// ("A Client Registers and Receives One Notification of the Current State
// and One of a New State upon a State Change"). The RFC gives the header
// bytes; the options are encoded per RFC 7252 section 3.1.
var observeVectors = []struct {
	name string
	hex  string
	want uint32
}{
	{"rfc7641-a-fig3-register", `
		41 01 16 33   // CON, TKL 1, 0.01 GET, MID 0x1633
		4a            // token
		60            // delta 6 Observe, len 0: 0 (register)
		5b 74 65 6d 70 65 72 61 74 75 72 65 // delta 5 = 11 Uri-Path "temperature"`, ObserveRegister},
	{"rfc7641-a-fig3-notification-9", `
		61 45 16 33   // ACK, TKL 1, 2.05 Content, MID 0x1633
		4a            // token
		61 09         // delta 6 Observe, len 1: 9
		81 0f         // delta 8 = 14 Max-Age, len 1: 15
		ff 31 38 2e 35 20 43 65 6c // payload "18.5 Cel"`, 9},
	{"rfc7641-a-fig3-notification-16", `
		51 45 7b 50   // NON, TKL 1, 2.05 Content, MID 0x7b50
		4a            // token
		61 10         // delta 6 Observe, len 1: 16
		81 0f         // delta 8 = 14 Max-Age, len 1: 15
		ff 31 39 2e 32 20 43 65 6c // payload "19.2 Cel"`, 16},
}

func TestObserveVectors(t *testing.T) {
	for _, v := range observeVectors {
		t.Run(v.name, func(t *testing.T) {
			wire := unhex(t, v.hex)
			m := mustDecodeMsg(t, wire)
			got, ok := m.Observe()
			if !ok || got != v.want {
				t.Fatalf("Observe = %d %v, want %d", got, ok, v.want)
			}
			// Rebuild the Observe option with SetObserve: same bytes.
			m.RemoveOption(Observe)
			m.SetObserve(v.want)
			out, err := m.AppendBinary(nil)
			if err != nil || !bytes.Equal(out, wire) {
				t.Fatalf("re-encoded %x %v\nwant %x", out, err, wire)
			}
		})
	}
}

func TestObserveOption(t *testing.T) {
	var m Message
	if _, ok := m.Observe(); ok {
		t.Fatal("absent Observe found")
	}
	for _, c := range []struct {
		set  uint32
		want uint32
		val  []byte
	}{
		{ObserveDeregister, 1, []byte{1}},
		{MaxObserve, MaxObserve, []byte{0xff, 0xff, 0xff}},
		{1 << 24, 0, nil},         // RFC 7641 4.4: sequence numbers wrap at 2^24
		{1<<24 + 5, 5, []byte{5}}, // so does a running counter passed in
		{0x12345678, 0x345678, []byte{0x34, 0x56, 0x78}},
	} {
		m.SetObserve(c.set)
		v, ok := m.Observe()
		raw, _ := m.Option(Observe)
		if !ok || v != c.want || !bytes.Equal(raw, c.val) {
			t.Errorf("SetObserve(%#x): %#x %v value %x, want %#x %x", c.set, v, ok, raw, c.want, c.val)
		}
	}
	// A value longer than 3 bytes breaks the registry; the accessor ignores it.
	m.SetOption(Observe, []byte{0, 0, 0, 1})
	if _, ok := m.Observe(); ok {
		t.Fatal("4-byte Observe accepted")
	}
	// Leading zeros are accepted (RFC 7252 section 3.2).
	m.SetOption(Observe, []byte{0, 0, 7})
	if v, ok := m.Observe(); !ok || v != 7 {
		t.Fatalf("Observe = %d %v", v, ok)
	}
}

func TestObserveNewer(t *testing.T) {
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	soon := t1.Add(time.Second)
	for _, c := range []struct {
		name   string
		v1, v2 uint32
		t2     time.Time
		want   bool
	}{
		// RFC 7641 Appendix A, Figure 3: 16 follows 9.
		{"rfc7641-a-9-then-16", 9, 16, soon, true},
		{"reordered-16-then-9", 16, 9, soon, false},
		{"duplicate", 16, 16, soon, false},
		// RFC 7641 3.4: V1 < V2 and V2 - V1 < 2^23.
		{"just-below-half", 0, 1<<23 - 1, soon, true},
		{"exactly-half-up", 0, 1 << 23, soon, false},
		// RFC 7641 3.4: V1 > V2 and V1 - V2 > 2^23 (wrap-around).
		{"wrap", MaxObserve, 0, soon, true},
		{"wrap-back", 0, MaxObserve, soon, false},
		{"exactly-half-down", 1 << 23, 0, soon, false},
		{"just-above-half-down", 1<<23 + 1, 0, soon, true},
		// RFC 7641 3.4: T2 > T1 + 128 seconds makes any value newer.
		{"old-after-128s", 16, 9, t1.Add(128*time.Second + time.Nanosecond), true},
		{"old-at-128s", 16, 9, t1.Add(128 * time.Second), false},
		{"duplicate-after-128s", 16, 16, t1.Add(129 * time.Second), true},
		// Values are taken modulo 2^24.
		{"masked", 1<<24 + 9, 16, soon, true},
	} {
		if got := ObserveNewer(c.v1, t1, c.v2, c.t2); got != c.want {
			t.Errorf("%s: ObserveNewer(%#x, %#x) = %v, want %v", c.name, c.v1, c.v2, got, c.want)
		}
	}
	// Monotonic readings from time.Now work as well.
	now := time.Now()
	if ObserveNewer(5, now, 4, now.Add(time.Minute)) || !ObserveNewer(5, now, 4, now.Add(3*time.Minute)) {
		t.Error("monotonic times")
	}
}

// observeCases are pinned by TestOptionAllocs and timed by BenchmarkObserve.
func observeCases(tb testing.TB) []optCase {
	m := mustDecodeMsg(tb, unhex(tb, observeVectors[1].hex))
	var out Message
	t1 := time.Now()
	t2 := t1.Add(time.Second)
	return []optCase{
		{"get", 0, 1, func() {
			if v, ok := m.Observe(); !ok || v != 9 {
				tb.Fatal(v, ok)
			}
		}},
		{"set", 0, 3, func() {
			out.Reset()
			out.SetObserve(0xabcdef)
		}},
		{"newer", 0, 0, func() {
			if !ObserveNewer(9, t1, 16, t2) {
				tb.Fatal("not newer")
			}
		}},
	}
}

func BenchmarkObserve(b *testing.B) { benchOpt(b, observeCases(b)) }
