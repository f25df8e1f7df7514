package tpdu

import (
	"bytes"
	"errors"
	"testing"
)

func TestDecodeOctets(t *testing.T) {
	// A concatenated part as SMPP carries it with esm_class UDHI: UDHL 5,
	// IEI 00 (8-bit reference), length 3, ref 0x2a, total 3, seq 1, then
	// the payload (3GPP TS 23.040 9.2.3.24.1).
	part := []byte{0x05, 0x00, 0x03, 0x2a, 0x03, 0x01, 0x40, 0x01, 0x5a, 0x3c}
	u, err := DecodeOctets(part, DCS8Bit, true)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := u.Concat()
	if !ok || c.Ref != 0x2a || c.Total != 3 || c.Seq != 1 || c.Wide {
		t.Errorf("Concat = %+v, %v", c, ok)
	}
	if !bytes.Equal(u.Body, part[6:]) {
		t.Errorf("Body = %x", u.Body)
	}
	out, err := u.AppendOctets(nil)
	if err != nil || !bytes.Equal(out, part) {
		t.Errorf("AppendOctets = %x, %v; want %x", out, err, part)
	}

	plain, err := DecodeOctets(part, DCS8Bit, false)
	if err != nil || plain.Header != nil || !bytes.Equal(plain.Body, part) {
		t.Errorf("without UDHI: %+v, %v", plain, err)
	}

	for _, c := range []struct {
		name string
		b    []byte
		dcs  DCS
		udhi bool
		want error
	}{
		{"GSM 7-bit", []byte{1}, 0x00, false, ErrUnsupported},
		{"over 140 octets", make([]byte, 141), DCS8Bit, false, ErrMalformed},
		{"UDHI on nothing", nil, DCS8Bit, true, ErrMalformed},
		{"header past the end", []byte{5, 0, 3}, DCS8Bit, true, ErrMalformed},
		{"concat element of length 2", []byte{4, 0, 2, 1, 1}, DCS8Bit, true, ErrMalformed},
	} {
		if _, err := DecodeOctets(c.b, c.dcs, c.udhi); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	long := UserData{Body: make([]byte, 141)}
	if out, err := long.AppendOctets([]byte{7}); !errors.Is(err, ErrMalformed) || len(out) != 1 {
		t.Errorf("AppendOctets of 141 octets = %x, %v", out, err)
	}
}

func TestAppendOctetsAllocs(t *testing.T) {
	part := []byte{0x05, 0x00, 0x03, 0x2a, 0x03, 0x01, 0x40, 0x01, 0x5a, 0x3c}
	buf := make([]byte, 0, 160)
	n := testing.AllocsPerRun(100, func() {
		u, err := DecodeOctets(part, DCS8Bit, true)
		if err != nil {
			t.Fatal(err)
		}
		if buf, err = u.AppendOctets(buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("DecodeOctets + AppendOctets: %v allocs, want 0", n)
	}
}

// FuzzOctets: DecodeOctets never panics, and what it accepts encodes with
// AppendOctets to the same octets.
func FuzzOctets(f *testing.F) {
	f.Add([]byte{0x05, 0x00, 0x03, 0x2a, 0x03, 0x01, 0x40}, true)
	f.Add([]byte{0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01, 0xff}, true)
	f.Add([]byte("plain"), false)
	f.Fuzz(func(t *testing.T, b []byte, udhi bool) {
		u, err := DecodeOctets(b, DCS8Bit, udhi)
		if err != nil {
			return
		}
		out, err := u.AppendOctets(nil)
		if err != nil {
			t.Fatalf("AppendOctets of decoded %x: %v", b, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip %x -> %x", b, out)
		}
	})
}
