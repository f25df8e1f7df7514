package coapmsg

import (
	"bytes"
	"errors"
	"testing"
)

// signalingBuilds are the signaling builders with the frames they must
// produce (RFC 8323 section 5; option numbers from section 11.2).
var signalingBuilds = []struct {
	name  string
	build func(m *Message)
	hex   string
}{
	{"csm-base", func(m *Message) { m.SetCSM(CSMOptions{}) }, `
		00 e1                       // Len 0, 7.01 CSM: no options, base values (5.3)`},
	{"csm-8192-blockwise", func(m *Message) {
		m.SetCSM(CSMOptions{MaxMessageSize: 8192, HasMaxMessageSize: true, BlockWiseTransfer: true})
	}, `
		40 e1                       // Len 4, 7.01 CSM
		22 20 00                    // Max-Message-Size (2): 8192 (5.3.1)
		20                          // Block-Wise-Transfer (4) (5.3.2)`},
	{"csm-max-message-size-0", func(m *Message) { m.SetCSM(CSMOptions{HasMaxMessageSize: true}) }, `
		10 e1                       // Len 1, 7.01 CSM
		20                          // Max-Message-Size: 0, the empty uint (RFC 7252 3.2)`},
	{"csm-max-message-size-max", func(m *Message) {
		m.SetCSM(CSMOptions{MaxMessageSize: 0xffffffff, HasMaxMessageSize: true})
	}, `
		50 e1                       // Len 5, 7.01 CSM
		24 ff ff ff ff              // Max-Message-Size: 4294967295, 4 bytes (the bound of 5.3.1)`},
	{"ping", func(m *Message) { m.SetPing(PingOptions{}); m.Token = []byte{0x42} }, `
		01 e2 42                    // RFC 8323 5.7, Ping example`},
	{"ping-custody", func(m *Message) { m.SetPing(PingOptions{Custody: true}) }, `
		10 e2                       // Len 1, 7.02 Ping
		20                          // Custody (2): delay the Pong (5.4.1)`},
	{"pong", func(m *Message) { m.SetPong(PingOptions{}); m.Token = []byte{0x42} }, `
		01 e3 42                    // RFC 8323 5.7, Pong example`},
	{"release", func(m *Message) {
		m.SetRelease(ReleaseOptions{HoldOff: 60, HasHoldOff: true})
		m.AddOption(AlternativeAddress, []byte("example.com:5684"))
		m.AddOption(AlternativeAddress, []byte("[::1]:5684"))
	}, `
		d0 12                       // Len 13, 18 + 13 = 31 bytes
		e4                          // 7.04 Release (5.5)
		2d 03                       // Alternative-Address (2), length 16
		65 78 61 6d 70 6c 65 2e 63 6f 6d 3a 35 36 38 34 // "example.com:5684"
		0a                          // Alternative-Address again (delta 0), length 10
		5b 3a 3a 31 5d 3a 35 36 38 34 // "[::1]:5684"
		21 3c                       // Hold-Off (4): 60`},
	{"release-hold-off-max", func(m *Message) { m.SetRelease(ReleaseOptions{HoldOff: 1<<24 - 1, HasHoldOff: true}) }, `
		40 e4                       // Len 4, 7.04 Release
		43 ff ff ff                 // Hold-Off: 16777215, 3 bytes (the bound of 5.5)`},
	{"abort", func(m *Message) {
		m.SetAbort(AbortOptions{BadCSMOption: 1, HasBadCSMOption: true})
		m.Payload = []byte("bad")
	}, `
		60 e5                       // Len 6, 7.05 Abort (5.6)
		21 01                       // Bad-CSM-Option (2): 1
		ff 62 61 64                 // diagnostic payload "bad"`},
	{"abort-bad-csm-option-0", func(m *Message) { m.SetAbort(AbortOptions{HasBadCSMOption: true}) }, `
		10 e5 20                    // Bad-CSM-Option: 0, the empty uint`},
}

// TestSignalingBuild checks each builder against its frame, decodes the
// frame back and reads the options again.
func TestSignalingBuild(t *testing.T) {
	for _, c := range signalingBuilds {
		t.Run(c.name, func(t *testing.T) {
			var m Message
			m.Type, m.MessageID, m.Payload = Confirmable, 9, []byte("old") // reset by the builder
			m.SetUint(URIPath, 1)
			c.build(&m)
			want := unhex(t, c.hex)
			out, err := m.AppendTCP(nil)
			if err != nil || !bytes.Equal(out, want) {
				t.Fatalf("%v\n got %x\nwant %x", err, out, want)
			}
			var d Message
			if _, err := d.DecodeTCP(out); err != nil || !tcpSame(&m, &d) {
				t.Fatalf("decode: %v", err)
			}
			if got, want := signalingView(&d), signalingView(&m); got != want {
				t.Fatalf("read %+v, built %+v", got, want)
			}
		})
	}
}

// sigView gathers what the readers return.
type sigView struct {
	csm         CSMOptions
	ping        PingOptions
	rel         ReleaseOptions
	abort       AbortOptions
	okC, okP    bool
	okR, okA    bool
	addrs, code int
}

func signalingView(m *Message) sigView {
	var v sigView
	v.csm, v.okC = m.CSMOptions()
	v.ping, v.okP = m.PingOptions()
	v.rel, v.okR = m.ReleaseOptions()
	v.abort, v.okA = m.AbortOptions()
	if v.okR {
		for it := m.Values(AlternativeAddress); it.Next(); {
			v.addrs++
		}
	}
	v.code = int(m.Code)
	return v
}

// TestSignalingReaders checks which reader answers for which code, and
// that a reader ignores an option that breaks its bound (RFC 7252 5.4.3).
func TestSignalingReaders(t *testing.T) {
	for _, c := range []struct {
		code               Code
		okC, okP, okR, okA bool
	}{
		{CSM, true, false, false, false},
		{Ping, false, true, false, false},
		{Pong, false, true, false, false},
		{Release, false, false, true, false},
		{Abort, false, false, false, true},
		{Content, false, false, false, false},
		{NewCode(7, 6), false, false, false, false},
	} {
		m := Message{Code: c.code}
		v := signalingView(&m)
		if v.okC != c.okC || v.okP != c.okP || v.okR != c.okR || v.okA != c.okA {
			t.Errorf("%v: %+v", c.code, v)
		}
	}
	// Values past their bounds, as DecodeTCP leaves them after ErrAbort or ErrBadOption.
	for _, c := range []struct {
		name string
		hex  string
		want sigView
	}{
		{"csm-mms-5-bytes", `60 e1 25 01 02 03 04 05 // Max-Message-Size of 5 bytes`, sigView{okC: true}},
		{"csm-bwt-with-value", `20 e1 41 01 // Block-Wise-Transfer with a value`, sigView{okC: true}},
		{"csm-mms-twice", `40 e1 21 01 01 02 // the first occurrence counts`, sigView{okC: true, csm: CSMOptions{MaxMessageSize: 1, HasMaxMessageSize: true}}},
		{"ping-custody-value", `20 e2 21 01`, sigView{okP: true}},
		{"release-hold-off-4-bytes", `50 e4 44 01 00 00 00`, sigView{okR: true}},
		{"abort-bad-csm-3-bytes", `40 e5 23 01 02 03`, sigView{okA: true}},
	} {
		var m Message
		_, err := m.DecodeTCP(unhex(t, c.hex))
		if !errors.Is(err, ErrBadOption) && !errors.Is(err, ErrAbort) {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := signalingView(&m)
		got.code = 0
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestCapabilities(t *testing.T) {
	c := BaseCapabilities()
	if c.MaxMessageSize != 1152 || c.BlockWiseTransfer || c.BERT() {
		t.Fatalf("base %+v", c)
	}
	// RFC 8323 5.3: options are cumulative; an empty CSM changes nothing.
	c.Apply(CSMOptions{BlockWiseTransfer: true})
	if c.MaxMessageSize != 1152 || !c.BlockWiseTransfer || c.BERT() {
		t.Fatalf("after block-wise %+v", c)
	}
	c.Apply(CSMOptions{MaxMessageSize: 8192, HasMaxMessageSize: true})
	if c.MaxMessageSize != 8192 || !c.BlockWiseTransfer || !c.BERT() {
		t.Fatalf("after 8192 %+v", c)
	}
	c.Apply(CSMOptions{})
	if c.MaxMessageSize != 8192 || !c.BlockWiseTransfer {
		t.Fatalf("after empty CSM %+v", c)
	}
	// 5.3.2: BERT is no longer indicated once Max-Message-Size drops to 1152 or less.
	c.Apply(CSMOptions{MaxMessageSize: 1152, HasMaxMessageSize: true})
	if c.BERT() {
		t.Fatalf("BERT at 1152: %+v", c)
	}
}

// TestSignalingUnknownCriticalEncodes checks that the encoder lets an
// unknown signaling option through (an extension the peer may know), while
// the decoder reports it for an abort (RFC 8323 5.2).
func TestSignalingUnknownCriticalEncodes(t *testing.T) {
	var m Message
	m.SetCSM(CSMOptions{})
	m.AddOption(7, []byte{1})
	out, err := m.AppendTCP(nil)
	if err != nil {
		t.Fatal(err)
	}
	var d Message
	_, err = d.DecodeTCP(out)
	var e *Error
	if !errors.As(err, &e) || e.Err != ErrAbort || e.Option != 7 {
		t.Fatalf("%v", err)
	}
	// Abort with Bad-CSM-Option set from the error.
	var a Message
	a.SetAbort(AbortOptions{BadCSMOption: e.Option, HasBadCSMOption: true})
	if o, ok := a.AbortOptions(); !ok || o.BadCSMOption != 7 {
		t.Fatalf("%+v", o)
	}
}

func BenchmarkSignaling(b *testing.B) {
	for _, c := range []struct {
		name string
		fn   func(testing.TB) func()
	}{
		{"build-csm", buildCSMFn},
		{"read-csm", readCSMFn},
		{"pong", pongFn},
	} {
		b.Run("op="+c.name, func(b *testing.B) {
			fn := c.fn(b)
			b.ReportAllocs()
			for b.Loop() {
				fn()
			}
		})
	}
}

// buildCSMFn builds and encodes a CSM into reused storage.
func buildCSMFn(tb testing.TB) func() {
	var m Message
	buf := make([]byte, 0, 16)
	return func() {
		m.SetCSM(CSMOptions{MaxMessageSize: 8192, HasMaxMessageSize: true, BlockWiseTransfer: true})
		var err error
		if buf, err = m.AppendTCP(buf[:0]); err != nil || len(buf) != 6 {
			tb.Fatal(err)
		}
	}
}

// readCSMFn decodes a CSM and applies it to the peer's capabilities.
func readCSMFn(tb testing.TB) func() {
	wire := []byte{0x40, 0xe1, 0x22, 0x20, 0x00, 0x20}
	var m Message
	return func() {
		if _, err := m.DecodeTCP(wire); err != nil {
			tb.Fatal(err)
		}
		o, ok := m.CSMOptions()
		c := BaseCapabilities()
		c.Apply(o)
		if !ok || !c.BERT() {
			tb.Fatal("CSM not read")
		}
	}
}

// pongFn answers a Ping with Custody by a Pong with its token.
func pongFn(tb testing.TB) func() {
	ping := []byte{0x18, 0xe2, 1, 2, 3, 4, 5, 6, 7, 8, 0x20}
	var in, out Message
	buf := make([]byte, 0, 16)
	return func() {
		if _, err := in.DecodeTCP(ping); err != nil {
			tb.Fatal(err)
		}
		o, _ := in.PingOptions()
		out.SetPong(o)
		out.Token = in.Token
		var err error
		if buf, err = out.AppendTCP(buf[:0]); err != nil || buf[1] != byte(Pong) {
			tb.Fatal(err)
		}
	}
}
