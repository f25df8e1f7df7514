package coapmsg

import (
	"bytes"
	"testing"
)

func TestNoResponseSuppresses(t *testing.T) {
	codes := []Code{Content, Changed, NotFound, BadRequest, InternalServerError, ServiceUnavailable}
	for _, c := range []struct {
		name string
		v    uint8
		want []bool // per code in codes
	}{
		// RFC 7967 section 2.1: one bit per response class, 2^(class-1).
		{"rfc7967-2.1-value-0-all-responses", 0, []bool{false, false, false, false, false, false}},
		{"rfc7967-2.1-value-2-no-2xx", NoResponse2xx, []bool{true, true, false, false, false, false}},
		{"rfc7967-2.1-value-8-no-4xx", NoResponse4xx, []bool{false, false, true, true, false, false}},
		{"rfc7967-2.1-value-16-no-5xx", NoResponse5xx, []bool{false, false, false, false, true, true}},
		// RFC 7967 section 2.1: bits combine; 26 suppresses every class.
		{"rfc7967-2.1-value-18-no-2xx-5xx", NoResponse2xx | NoResponse5xx, []bool{true, true, false, false, true, true}},
		{"rfc7967-2.1-value-26-none", NoResponseAll, []bool{true, true, true, true, true, true}},
		// Bits of other classes suppress nothing here.
		{"other-bits", 1 | 4 | 32 | 64 | 128, []bool{false, false, false, false, false, false}},
	} {
		for i, code := range codes {
			if got := NoResponseSuppresses(c.v, code); got != c.want[i] {
				t.Errorf("%s: %v suppressed = %v, want %v", c.name, code, got, c.want[i])
			}
		}
		// Requests, Empty and signaling codes are never responses to suppress.
		for _, code := range []Code{Empty, GET, CSM, Pong} {
			if NoResponseSuppresses(0xff, code) {
				t.Errorf("%v suppressed", code)
			}
		}
	}
	if NoResponseAll != 26 {
		t.Fatal(NoResponseAll)
	}
}

func TestMessageNoResponse(t *testing.T) {
	// A NON PUT that wants no 2.xx answer (RFC 7967 section 2.1, value 2).
	var m Message
	m.Type, m.Code, m.MessageID = NonConfirmable, PUT, 42
	m.SetPath([]byte("l"))
	m.SetNoResponse(NoResponse2xx)
	out, err := m.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, `
		50 03 00 2a   // NON, TKL 0, 0.03 PUT, MID 42
		b1 6c         // delta 11 Uri-Path, len 1: "l"
		d1 ea 02      // delta 13+234 = 247 -> 258 No-Response, len 1: 2`)
	if !bytes.Equal(out, want) {
		t.Fatalf("encoded %x, want %x", out, want)
	}
	back := mustDecodeMsg(t, out)
	if v, ok := back.NoResponse(); !ok || v != NoResponse2xx {
		t.Fatalf("NoResponse = %d %v", v, ok)
	}
	if !back.ResponseSuppressed(Changed) || back.ResponseSuppressed(NotFound) {
		t.Fatal("ResponseSuppressed")
	}
	// No option: nothing is suppressed. Value 0 is the empty value.
	var plain Message
	if _, ok := plain.NoResponse(); ok || plain.ResponseSuppressed(Content) {
		t.Fatal("absent option")
	}
	plain.SetNoResponse(0)
	if raw, _ := plain.Option(NoResponse); len(raw) != 0 {
		t.Fatalf("value 0 encoded as %x", raw)
	}
	if v, ok := plain.NoResponse(); !ok || v != 0 || plain.ResponseSuppressed(Content) {
		t.Fatal("value 0")
	}
	// A 2-byte value breaks the registry bound; the accessors ignore it.
	plain.SetOption(NoResponse, []byte{0, 2})
	if _, ok := plain.NoResponse(); ok || plain.ResponseSuppressed(Content) {
		t.Fatal("2-byte value used")
	}
}

// noResponseCases are pinned by TestOptionAllocs and timed by
// BenchmarkNoResponse.
func noResponseCases(tb testing.TB) []optCase {
	var m Message
	m.SetNoResponse(NoResponse2xx | NoResponse4xx)
	var out Message
	return []optCase{
		{"suppressed", 0, 1, func() {
			if !m.ResponseSuppressed(Content) {
				tb.Fatal("not suppressed")
			}
		}},
		{"set", 0, 1, func() {
			out.Reset()
			out.SetNoResponse(NoResponseAll)
		}},
	}
}

func BenchmarkNoResponse(b *testing.B) { benchOpt(b, noResponseCases(b)) }
