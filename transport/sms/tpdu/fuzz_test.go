package tpdu

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/iotwire/iotwire/internal/codectest"
)

func fuzzSeeds(f *testing.F) {
	for _, v := range vectors {
		f.Add(codectest.Unhex(f, v.hex))
	}
	for _, c := range errorCases {
		b := codectest.Unhex(f, c.hex)
		if c.typ != "smsc" {
			b = append([]byte{0}, b...)
		}
		f.Add(b)
	}
}

// tpduLen returns the Len of the TPDU that b holds after its SMSC.
func tpduLen(t *testing.T, tp []byte) int {
	typ, _ := PeekType(tp)
	switch typ {
	case TypeDeliver:
		var d Deliver
		d.Decode(tp)
		return d.Len()
	case TypeSubmit:
		var s Submit
		s.Decode(tp)
		return s.Len()
	}
	var r StatusReport
	r.Decode(tp)
	return r.Len()
}

// FuzzDecode decodes a modem PDU (SMSC, then a TPDU by its TP-MTI) and
// checks: no panic, no mutation of the input, errors of this package with
// offsets inside it, and decode -> encode -> decode a fixpoint whose
// encoding is the size Len says and no longer than the input: only
// ignored bits may differ, and an SMSC of length 1 with Type-of-Address 0
// shrinks to the single 00 (TestSMSCTypeOnly, a crasher of this target).
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		line, out, err := describe(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			codectest.CheckFuzzError(t, err, len(b), errorAt, ErrTruncated, ErrMalformed, ErrUnsupported)
			return
		}
		if len(out) > len(b) {
			t.Fatalf("re-encoded to %d octets from %d: %x", len(out), len(b), out)
		}
		smsc, tp, _ := DecodeModemPDU(b)
		if n := SMSCLen(&smsc) + tpduLen(t, tp); n != len(out) {
			t.Fatalf("Len %d, encoded %d", n, len(out))
		}
		again, out2, err := describe(out)
		if err != nil {
			t.Fatalf("cannot decode own encoding %x: %v", out, err)
		}
		if again != line || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n%s\n%s", line, again)
		}
	})
}

// FuzzText checks that GSM 7-bit packing and UCS-2 round-trip any text
// they accept, with any fill.
func FuzzText(f *testing.F) {
	f.Add("hellohello", byte(0))
	f.Add(allGSM7(), byte(3))
	f.Add("😀 ✓ é", byte(6))
	f.Fuzz(func(t *testing.T, text string, fill byte) {
		fl := int(fill % 7)
		if packed, n, err := AppendGSM7(nil, text, fl); err == nil {
			back, err := AppendGSM7Text(nil, packed, fl, n)
			if err != nil || string(back) != text {
				t.Fatalf("GSM 7-bit %q -> %x -> %q, %v", text, packed, back, err)
			}
		}
		if !utf8.ValidString(text) {
			return
		}
		b := AppendUCS2(nil, text)
		back, err := AppendUCS2Text(nil, b)
		if err != nil || string(back) != text {
			t.Fatalf("UCS-2 %q -> %x -> %q, %v", text, b, back, err)
		}
	})
}
