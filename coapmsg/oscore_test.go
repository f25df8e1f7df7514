package coapmsg

import (
	"bytes"
	"errors"
	"testing"
)

// oscoreVectors are OSCORE option values. All are canonical: AppendOSCORE
// gives the same bytes back.
var oscoreVectors = []struct {
	name string
	hex  string
	want OSCOREOption
}{
	// RFC 8613 Appendix C.4: request, Sender ID empty, Sender Sequence Number 20.
	{"rfc8613-c4", `
		09            // flags: k, n = 1
		14            // Partial IV 20
		              // kid: the rest, empty`,
		OSCOREOption{PartialIV: []byte{0x14}, KID: []byte{}, HasKID: true}},
	// RFC 8613 Appendix C.5: request, Sender ID 0x00, Sender Sequence Number 20.
	{"rfc8613-c5", `
		09            // flags: k, n = 1
		14            // Partial IV 20
		00            // kid 0x00`,
		OSCOREOption{PartialIV: []byte{0x14}, KID: []byte{0}, HasKID: true}},
	// RFC 8613 Appendix C.6: request with ID Context 0x37cbf3210017a2d3.
	{"rfc8613-c6", `
		19            // flags: h, k, n = 1
		14            // Partial IV 20
		08            // s = 8
		37 cb f3 21 00 17 a2 d3 // kid context
		              // kid: empty`,
		OSCOREOption{PartialIV: []byte{0x14}, KIDContext: []byte{0x37, 0xcb, 0xf3, 0x21, 0x00, 0x17, 0xa2, 0xd3}, KID: []byte{}, HasKIDContext: true, HasKID: true}},
	// RFC 8613 Appendix C.7: response reusing the request nonce: empty value.
	{"rfc8613-c7-empty", ``, OSCOREOption{}},
	// RFC 8613 Appendix C.8: response with Partial IV, Sender Sequence Number 0.
	{"rfc8613-c8", `
		01            // flags: n = 1
		00            // Partial IV 0`,
		OSCOREOption{PartialIV: []byte{0}}},
	// RFC 8613 section 6.3, example 1: kid 0x25, Partial IV 0x05.
	{"rfc8613-6.3-ex1", "09 05 25 // flags k n=1, Partial IV 5, kid 0x25",
		OSCOREOption{PartialIV: []byte{5}, KID: []byte{0x25}, HasKID: true}},
	// RFC 8613 section 6.3, example 3: kid empty, Partial IV 0x05, kid context "Dalek".
	{"rfc8613-6.3-ex3", "19 05 05 44 61 6c 65 6b // flags h k n=1, PIV 5, s 5, \"Dalek\"",
		OSCOREOption{PartialIV: []byte{5}, KIDContext: []byte("Dalek"), KID: []byte{}, HasKIDContext: true, HasKID: true}},
	// RFC 8613 section 6.3, example 5: response with Partial IV 0x07.
	{"rfc8613-6.3-ex5", "01 07 // flags n=1, Partial IV 7",
		OSCOREOption{PartialIV: []byte{7}}},
	// The largest Partial IV, 2^40-1, and a kid.
	{"piv-5-bytes", "0d ff ff ff ff ff 01 02 // flags k n=5, PIV, kid 0x0102",
		OSCOREOption{PartialIV: []byte{0xff, 0xff, 0xff, 0xff, 0xff}, KID: []byte{1, 2}, HasKID: true}},
	// A kid context of length 0 is present and differs from none.
	{"empty-kid-context", "10 00 // flags h, s 0",
		OSCOREOption{KIDContext: []byte{}, HasKIDContext: true}},
	// The k flag alone: an empty kid.
	{"k-only", "08 // flags k", OSCOREOption{KID: []byte{}, HasKID: true}},
}

// equalOSCORE compares two options, with nil and empty slices equal.
func equalOSCORE(a, b OSCOREOption) bool {
	return bytes.Equal(a.PartialIV, b.PartialIV) && bytes.Equal(a.KIDContext, b.KIDContext) &&
		bytes.Equal(a.KID, b.KID) && a.HasKID == b.HasKID && a.HasKIDContext == b.HasKIDContext
}

// aliasesInput reports whether f starts inside b.
func aliasesInput(b, f []byte) bool {
	for i := range b {
		if &b[i] == &f[0] {
			return true
		}
	}
	return false
}

func TestDecodeOSCORE(t *testing.T) {
	for _, v := range oscoreVectors {
		t.Run(v.name, func(t *testing.T) {
			wire := unhex(t, v.hex)
			o, err := DecodeOSCORE(wire)
			if err != nil {
				t.Fatal(err)
			}
			if !equalOSCORE(o, v.want) {
				t.Fatalf("got %+v, want %+v", o, v.want)
			}
			if o.Len() != len(wire) {
				t.Fatalf("Len %d, wire %d", o.Len(), len(wire))
			}
			out, err := AppendOSCORE([]byte{0xaa}, o)
			if err != nil || !bytes.Equal(out[1:], wire) || out[0] != 0xaa {
				t.Fatalf("AppendOSCORE = %x %v, want aa%x", out, err, wire)
			}
			// The fields alias the input with clipped capacity.
			for _, f := range [][]byte{o.PartialIV, o.KIDContext, o.KID} {
				if len(f) > 0 && (cap(f) != len(f) || !aliasesInput(wire, f)) {
					t.Fatalf("field %x does not alias the input with clipped capacity", f)
				}
			}
		})
	}
}

func TestOSCORESequenceNumber(t *testing.T) {
	for _, c := range []struct {
		seq  uint64
		want string
	}{
		{0, "00"}, {20, "14"}, {255, "ff"}, {256, "01 00"}, {MaxPartialIV, "ff ff ff ff ff"},
	} {
		piv, err := AppendPartialIV(nil, c.seq)
		if err != nil || !bytes.Equal(piv, unhex(t, c.want)) {
			t.Errorf("AppendPartialIV(%d) = %x %v, want %s", c.seq, piv, err, c.want)
		}
		o := OSCOREOption{PartialIV: piv}
		if seq, ok := o.SequenceNumber(); !ok || seq != c.seq {
			t.Errorf("SequenceNumber = %d %v, want %d", seq, ok, c.seq)
		}
	}
	b := []byte{1}
	out, err := AppendPartialIV(b, MaxPartialIV+1)
	wantOptErr(t, err, ErrLimit, -1, OSCORE)
	if !bytes.Equal(out, b) {
		t.Fatal("b changed on error")
	}
	if _, ok := (OSCOREOption{}).SequenceNumber(); ok {
		t.Fatal("sequence number without Partial IV")
	}
}

func TestDecodeOSCOREErrors(t *testing.T) {
	for _, c := range []struct {
		name, hex string
		off       int
	}{
		// RFC 8613 section 6.1: the three high bits are reserved.
		{"reserved-bit-7", "89 14", 0},
		{"reserved-bit-5", "29 14", 0},
		// RFC 8613 section 6.1: n = 6 and n = 7 are reserved.
		{"n-6", "0e 01 02 03 04 05 06", 0},
		{"n-7", "07 01 02 03 04 05 06 07", 0},
		// RFC 8613 section 2: all flags zero means the value is empty.
		{"flags-zero", "00", 0},
		{"flags-zero-trailing", "00 14", 0},
		// RFC 8613 section 6.1: fields past the end.
		{"piv-truncated", "03 01 02", 1},
		{"kid-context-length-missing", "11 05", 2},
		{"kid-context-truncated", "19 14 08 37 cb f3", 3},
		// RFC 8613 section 6.1: without k the value ends after the kid context.
		{"trailing-without-k", "01 05 25", 2},
		{"trailing-after-context", "10 01 aa bb", 3},
		// RFC 8613 section 5: no leading zero byte in the Partial IV.
		{"piv-leading-zero", "0a 00 14", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := DecodeOSCORE(unhex(t, c.hex))
			wantOptErr(t, err, ErrBadOption, c.off, OSCORE)
			if !equalOSCORE(o, OSCOREOption{}) {
				t.Fatalf("option %+v on error", o)
			}
		})
	}
	// RFC 8613 section 2: at most 255 bytes.
	long := append([]byte{0x08}, make([]byte, 255)...)
	_, err := DecodeOSCORE(long)
	wantOptErr(t, err, ErrBadOption, 255, OSCORE)
	if _, err := DecodeOSCORE(long[:255]); err != nil {
		t.Fatal(err)
	}
}

func TestAppendOSCOREErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		o    OSCOREOption
	}{
		{"piv-6-bytes", OSCOREOption{PartialIV: make([]byte, 6)}},
		{"piv-leading-zero", OSCOREOption{PartialIV: []byte{0, 1}}},
		{"kid-without-k", OSCOREOption{KID: []byte{1}}},
		{"kid-context-without-h", OSCOREOption{KIDContext: []byte{1}}},
		{"kid-context-256", OSCOREOption{KIDContext: make([]byte, 256), HasKIDContext: true}},
		{"too-long", OSCOREOption{PartialIV: []byte{1}, KIDContext: make([]byte, 200), HasKIDContext: true, KID: make([]byte, 53), HasKID: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := []byte{0xaa}
			out, err := AppendOSCORE(b, c.o)
			wantOptErr(t, err, ErrBadOption, -1, OSCORE)
			if !bytes.Equal(out, b) {
				t.Fatalf("b changed to %x", out)
			}
		})
	}
	// One byte less fits exactly: 1 + 1 + 1 + 200 + 52 = 255.
	o := OSCOREOption{PartialIV: []byte{1}, KIDContext: make([]byte, 200), HasKIDContext: true, KID: make([]byte, 52), HasKID: true}
	if out, err := AppendOSCORE(nil, o); err != nil || len(out) != 255 || o.Len() != 255 {
		t.Fatalf("255-byte value: %d %v", len(out), err)
	}
}

// oscoreC4 is the protected request of RFC 8613 Appendix C.4.
const oscoreC4 = `
	44 02 5d 1f   // CON, TKL 4, 0.02 POST, MID 0x5d1f
	00 00 39 74   // token
	39 6c 6f 63 61 6c 68 6f 73 74 // delta 3 Uri-Host, len 9: "localhost"
	62 09 14      // delta 6 = 9 OSCORE, len 2: flags k n=1, Partial IV 20
	ff 61 2f 10 92 f1 77 6f 1c 16 68 b3 82 5e // ciphertext`

func TestMessageOSCORE(t *testing.T) {
	for _, c := range []struct {
		name, hex string
		want      OSCOREOption
	}{
		{"rfc8613-c4", oscoreC4, OSCOREOption{PartialIV: []byte{0x14}, HasKID: true}},
		// RFC 8613 Appendix C.6: the protected request with an ID Context.
		{"rfc8613-c6", `
			44 02 2f 8e   // CON, TKL 4, 0.02 POST, MID 0x2f8e
			ef 9b bf 7a   // token
			39 6c 6f 63 61 6c 68 6f 73 74 // Uri-Host "localhost"
			6b 19 14 08 37 cb f3 21 00 17 a2 d3 // delta 6 = 9 OSCORE, len 11
			ff 72 cd 72 73 fd 33 1a c4 5c ff be 55 c3 // ciphertext`,
			OSCOREOption{PartialIV: []byte{0x14}, KIDContext: []byte{0x37, 0xcb, 0xf3, 0x21, 0x00, 0x17, 0xa2, 0xd3}, HasKIDContext: true, HasKID: true}},
		// RFC 8613 Appendix C.7: the protected response, empty OSCORE option.
		{"rfc8613-c7", `
			64 44 5d 1f   // ACK, TKL 4, 2.04 Changed, MID 0x5d1f
			00 00 39 74   // token
			90            // delta 9 OSCORE, len 0
			ff db aa d1 e9 a7 e7 b2 a8 13 d3 c3 15 24 37 83 03 cd af ae 11 91 06`,
			OSCOREOption{}},
		// RFC 8613 Appendix C.8: the protected response with Partial IV 0.
		{"rfc8613-c8", `
			64 44 5d 1f   // ACK, TKL 4, 2.04 Changed, MID 0x5d1f
			00 00 39 74   // token
			92 01 00      // delta 9 OSCORE, len 2: flags n=1, Partial IV 0
			ff 4d 4c 13 66 93 84 b6 73 54 b2 b6 17 5f f4 b8 65 8c 66 6a 6c f8 8e`,
			OSCOREOption{PartialIV: []byte{0}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			wire := unhex(t, c.hex)
			m := mustDecodeMsg(t, wire)
			o, ok, err := m.OSCORE()
			if !ok || err != nil || !equalOSCORE(o, c.want) {
				t.Fatalf("OSCORE = %+v %v %v", o, ok, err)
			}
			// Rebuild the option with SetOSCORE: the same message.
			m.RemoveOption(OSCORE)
			buf, err := m.SetOSCORE(make([]byte, 0, 16), o)
			if err != nil || len(buf) != o.Len() {
				t.Fatal(err, len(buf))
			}
			out, err := m.AppendBinary(nil)
			if err != nil || !bytes.Equal(out, wire) {
				t.Fatalf("re-encoded %x %v\nwant %x", out, err, wire)
			}
		})
	}

	// RFC 8613 section 2: an OSCORE option without payload is malformed.
	m := mustDecodeMsg(t, unhex(t, oscoreC4)[:21])
	o, ok, err := m.OSCORE()
	if !ok || !errors.Is(err, ErrMalformed) || !equalOSCORE(o, OSCOREOption{PartialIV: []byte{0x14}, HasKID: true}) {
		t.Fatalf("no payload: %+v %v %v", o, ok, err)
	}
	wantOptErr(t, err, ErrMalformed, 0, OSCORE)
	// A bad value gives DecodeOSCORE's error.
	m.SetOption(OSCORE, []byte{0x80})
	m.Payload = []byte{1}
	_, _, err = m.OSCORE()
	wantOptErr(t, err, ErrBadOption, 0, OSCORE)
	// SetOSCORE on error keeps the message and buf.
	buf := []byte{7}
	out, err := m.SetOSCORE(buf, OSCOREOption{KID: []byte{1}})
	if err == nil || !bytes.Equal(out, buf) {
		t.Fatal("SetOSCORE accepted a kid without HasKID")
	}
	if v, _ := m.Option(OSCORE); !bytes.Equal(v, []byte{0x80}) {
		t.Fatalf("option changed to %x", v)
	}
	var none Message
	if _, ok, err := none.OSCORE(); ok || err != nil {
		t.Fatal("absent option found")
	}
}

// FuzzDecodeOSCORE checks DecodeOSCORE: no panic, no mutation of the input,
// errors are *Error with an offset inside the value, and a decoded value
// encodes back to exactly the input (the encoding is canonical), with Len
// equal to its size, and decodes again to the same option.
func FuzzDecodeOSCORE(f *testing.F) {
	for _, v := range oscoreVectors {
		f.Add(unhex(f, v.hex))
	}
	f.Add([]byte{0x00})
	f.Add([]byte{0x19, 0x14, 0xff})
	f.Add([]byte{0x0e, 1, 2, 3, 4, 5, 6})
	f.Fuzz(func(t *testing.T, v []byte) {
		orig := bytes.Clone(v)
		o, err := DecodeOSCORE(v)
		if !bytes.Equal(v, orig) {
			t.Fatal("DecodeOSCORE modified its input")
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrBadOption) || e.Offset < 0 || e.Offset > len(v) || e.Option != OSCORE {
				t.Fatalf("bad error %T %v", err, err)
			}
			_ = e.Error()
			return
		}
		out, err := AppendOSCORE(nil, o)
		if err != nil {
			t.Fatalf("decoded %x but cannot encode: %v", v, err)
		}
		if !bytes.Equal(out, v) || o.Len() != len(out) {
			t.Fatalf("not byte-exact: in %x out %x Len %d", v, out, o.Len())
		}
		again, err := DecodeOSCORE(out)
		if err != nil || !equalOSCORE(again, o) {
			t.Fatalf("not a fixpoint: %+v -> %x -> %+v %v", o, out, again, err)
		}
		if seq, ok := o.SequenceNumber(); ok != (len(o.PartialIV) > 0) || seq > MaxPartialIV {
			t.Fatalf("sequence number %d %v", seq, ok)
		}
	})
}

// oscoreCases are pinned by TestOptionAllocs and timed by BenchmarkOSCORE.
func oscoreCases(tb testing.TB) []optCase {
	c6 := unhex(tb, oscoreVectors[2].hex)
	bad := []byte{0x19, 0x14, 0x08, 0x37}
	o, err := DecodeOSCORE(c6)
	if err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, 0, 32)
	m := mustDecodeMsg(tb, unhex(tb, oscoreC4))
	var out Message
	return []optCase{
		{"decode", 0, len(c6), func() {
			if _, err := DecodeOSCORE(c6); err != nil {
				tb.Fatal(err)
			}
		}},
		{"decode-error", 1, len(bad), func() {
			if _, err := DecodeOSCORE(bad); err == nil {
				tb.Fatal("accepted")
			}
		}},
		{"append", 0, len(c6), func() {
			var err error
			if buf, err = AppendOSCORE(buf[:0], o); err != nil {
				tb.Fatal(err)
			}
		}},
		{"message-get", 0, 2, func() {
			if _, ok, err := m.OSCORE(); !ok || err != nil {
				tb.Fatal(ok, err)
			}
		}},
		{"message-set", 0, len(c6), func() {
			out.Reset()
			var err error
			if buf, err = out.SetOSCORE(buf[:0], o); err != nil {
				tb.Fatal(err)
			}
		}},
	}
}

func BenchmarkOSCORE(b *testing.B) { benchOpt(b, oscoreCases(b)) }
