package coapmsg

import (
	"bytes"
	"testing"
)

func TestHopLimit(t *testing.T) {
	var req Message
	req.Type, req.Code, req.MessageID = Confirmable, GET, 0x100
	if _, ok, err := req.HopLimit(); ok || err != nil {
		t.Fatal("absent Hop-Limit found", err)
	}
	// RFC 8768 section 3: a proxy inserts the default, 16.
	if err := req.SetHopLimit(DefaultHopLimit); err != nil {
		t.Fatal(err)
	}
	wire, err := req.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, `
		40 01 01 00   // CON, TKL 0, 0.01 GET, MID 0x100
		d1 03 10      // delta 13+3 = 16 Hop-Limit, len 1: 16`)
	if !bytes.Equal(wire, want) {
		t.Fatalf("encoded %x, want %x", wire, want)
	}
	back := mustDecodeMsg(t, wire)
	if v, ok, err := back.HopLimit(); !ok || err != nil || v != 16 {
		t.Fatalf("HopLimit = %d %v %v", v, ok, err)
	}
	for _, v := range []uint8{1, 255} {
		if err := req.SetHopLimit(v); err != nil {
			t.Fatal(err)
		}
		if got, _, err := req.HopLimit(); got != v || err != nil {
			t.Fatalf("HopLimit %d %v, want %d", got, err, v)
		}
	}
	// RFC 8768 section 3: 0 is not a valid Hop-Limit; the message keeps 255.
	wantOptErr(t, req.SetHopLimit(0), ErrBadOption, -1, HopLimit)
	if got, _, _ := req.HopLimit(); got != 255 {
		t.Fatalf("HopLimit changed to %d", got)
	}
}

func TestHopLimitErrors(t *testing.T) {
	// A one-byte 0 passes the registry (length 1) but not RFC 8768
	// section 3; the request is answered with 4.00 Bad Request.
	m := mustDecodeMsg(t, unhex(t, `
		40 01 00 01   // CON, GET, MID 1
		d1 03 00      // delta 16 Hop-Limit, len 1: 0`))
	_, ok, err := m.HopLimit()
	if !ok {
		t.Fatal("absent")
	}
	wantOptErr(t, err, ErrBadOption, 0, HopLimit)
	// The empty value (the uint 0) and two bytes break the registry; the
	// accessor rejects them too.
	for _, v := range [][]byte{{}, {0, 5}} {
		var bad Message
		bad.SetOption(HopLimit, v)
		_, _, err := bad.HopLimit()
		wantOptErr(t, err, ErrBadOption, 0, HopLimit)
	}
}

// hopLimitCases are pinned by TestOptionAllocs and timed by
// BenchmarkHopLimit.
func hopLimitCases(tb testing.TB) []optCase {
	var m Message
	zero := mustDecodeMsg(tb, []byte{0x40, 0x01, 0x00, 0x01, 0xd1, 0x03, 0x00})
	return []optCase{
		{"set-get", 0, 1, func() {
			m.Reset()
			if m.SetHopLimit(DefaultHopLimit) != nil {
				tb.Fatal("set")
			}
			if v, ok, err := m.HopLimit(); v != DefaultHopLimit || !ok || err != nil {
				tb.Fatal(v, ok, err)
			}
		}},
		{"get-error", 1, 1, func() {
			if _, _, err := zero.HopLimit(); err == nil {
				tb.Fatal("accepted 0")
			}
		}},
	}
}

func BenchmarkHopLimit(b *testing.B) { benchOpt(b, hopLimitCases(b)) }
