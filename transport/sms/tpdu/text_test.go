package tpdu

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

// allGSM7 is every character of the default alphabet (but the escape) and
// of the extension table.
func allGSM7() string {
	var b []byte
	for i, r := range gsm7Default {
		if i != esc {
			b = utf8.AppendRune(b, r)
		}
	}
	for _, e := range gsm7Ext {
		b = utf8.AppendRune(b, e.r)
	}
	return string(b)
}

func TestGSM7RoundTrip(t *testing.T) {
	text := allGSM7()
	for fill := 0; fill <= 6; fill++ {
		packed, n, err := AppendGSM7([]byte{0xAA}, text, fill)
		if err != nil {
			t.Fatal(err)
		}
		if n != 127+2*len(gsm7Ext) || len(packed)-1 != packedLen(fill, n) {
			t.Fatalf("fill %d: %d septets in %d octets", fill, n, len(packed)-1)
		}
		got, err := AppendGSM7Text(nil, packed[1:], fill, n)
		if err != nil || string(got) != text {
			t.Fatalf("fill %d: got %q, %v\nwant %q", fill, got, err, text)
		}
	}
}

// TestGSM7Vectors checks packing against the published examples (23.038
// 6.1.2.1.1 packing; the vectors of vectors_test.go).
func TestGSM7Vectors(t *testing.T) {
	tests := []struct{ text, hex string }{
		{"hellohello", "e8329bfd4697d9ec37"},
		{"How are you?", "c8f71d14969741f977fd07"},
		{"€", "9b32"},
		{"[]{}", "1bdec6b7416d52"}, // 1B 3C 1B 3E 1B 28 1B 29, packed by hand
	}
	for _, tt := range tests {
		b, n, err := AppendGSM7(nil, tt.text, 0)
		if err != nil || hex.EncodeToString(b) != tt.hex {
			t.Errorf("AppendGSM7(%q) = %x, %v; want %s", tt.text, b, err, tt.hex)
		}
		back, _ := AppendGSM7Text(nil, b, 0, n)
		if string(back) != tt.text {
			t.Errorf("unpacked %q, want %q", back, tt.text)
		}
	}
	if _, _, err := AppendGSM7(nil, "日本", 0); !errors.Is(err, ErrMalformed) {
		t.Errorf("AppendGSM7 of CJK: %v", err)
	}
}

func TestGSM7Tolerated(t *testing.T) {
	// 23.038 6.2.1.1: an unknown extension code displays as the default
	// character; a trailing escape, and escape escape, as a space.
	pack := func(septets ...byte) []byte {
		b := make([]byte, packedLen(0, len(septets)))
		for i, c := range septets {
			pos := 7 * i
			b[pos/8] |= c << (pos % 8)
			if pos%8 > 1 {
				b[pos/8+1] |= c >> (8 - pos%8)
			}
		}
		return b
	}
	for _, tt := range []struct {
		septets []byte
		want    string
	}{
		{[]byte{esc, 0x41}, "A"},
		{[]byte{0x41, esc}, "A "},
		{[]byte{esc, esc, 0x41}, " A"},
	} {
		got, err := AppendGSM7Text(nil, pack(tt.septets...), 0, len(tt.septets))
		if err != nil || string(got) != tt.want {
			t.Errorf("%x: got %q, %v; want %q", tt.septets, got, err, tt.want)
		}
	}
	if _, err := AppendGSM7Text(nil, []byte{1}, 0, 2); !errors.Is(err, ErrTruncated) {
		t.Errorf("short packed: %v", err)
	}
}

func TestUCS2(t *testing.T) {
	text := "héllo ✓ 😀"
	b := AppendUCS2(nil, text)
	if len(b) != UCS2Len(text) {
		t.Fatalf("UCS2Len %d, wrote %d", UCS2Len(text), len(b))
	}
	got, err := AppendUCS2Text(nil, b)
	if err != nil || string(got) != text {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, bad := range []string{"00", "d83d", "d83d0041", "de00"} {
		raw, _ := hex.DecodeString(bad)
		got, err := AppendUCS2Text([]byte("x"), raw)
		if !errors.Is(err, ErrMalformed) || string(got) != "x" {
			t.Errorf("%s: got %q, %v", bad, got, err)
		}
	}
}

func TestSetText(t *testing.T) {
	var d Deliver
	d.Header = AppendConcat(nil, Concat{Ref: 7, Total: 2, Seq: 1})
	buf, err := d.SetText(nil, DCSGSM7, "hello €")
	if err != nil {
		t.Fatal(err)
	}
	if d.Fill() != 1 || d.Septets != 8 || len(buf) != len(d.Body) {
		t.Fatalf("fill %d septets %d", d.Fill(), d.Septets)
	}
	out, err := d.AppendBinary(nil)
	if err != nil || len(out) != d.Len() {
		t.Fatalf("%v, %d != Len %d", err, len(out), d.Len())
	}
	var back Deliver
	if _, err := back.Decode(out); err != nil {
		t.Fatal(err)
	}
	text, _ := back.AppendText(nil, back.DCS)
	if c, ok := back.Concat(); string(text) != "hello €" || !ok || c.Ref != 7 {
		t.Errorf("got %q %v", text, c)
	}
	long := string(bytes.Repeat([]byte("a"), 154))
	if _, err := d.SetText(nil, DCSGSM7, long); !errors.Is(err, ErrMalformed) {
		t.Errorf("154 septets after a 6-octet header: %v", err)
	}
	if _, err := d.SetText(nil, DCS8Bit, "x"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("8-bit: %v", err)
	}
	if _, err := d.SetText(nil, DCSUCS2, string(bytes.Repeat([]byte("a"), 68))); !errors.Is(err, ErrMalformed) {
		t.Errorf("136 UCS-2 octets after a 6-octet header: %v", err)
	}
}

func TestDCS(t *testing.T) {
	tests := []struct {
		dcs      DCS
		alpha    Alphabet
		class    int // -1: none
		compress bool
	}{
		{0x00, GSM7, -1, false}, {0x04, Data8, -1, false}, {0x08, UCS2, -1, false}, {0x0C, GSM7, -1, false},
		{0x11, GSM7, 1, false}, {0x16, Data8, 2, false}, {0x18, UCS2, 0, false}, {0x20, GSM7, -1, true},
		{0x44, Data8, -1, false}, {0x80, GSM7, -1, false}, {0xC0, GSM7, -1, false}, {0xD8, GSM7, -1, false},
		{0xE0, UCS2, -1, false}, {0xF0, GSM7, 0, false}, {0xF5, Data8, 1, false}, {0xF6, Data8, 2, false},
	}
	for _, tt := range tests {
		c, ok := tt.dcs.Class()
		class := -1
		if ok {
			class = int(c)
		}
		if tt.dcs.Alphabet() != tt.alpha || class != tt.class || tt.dcs.Compressed() != tt.compress {
			t.Errorf("DCS %#x: %v class %d compressed %v", byte(tt.dcs), tt.dcs.Alphabet(), class, tt.dcs.Compressed())
		}
	}
}

func TestAddress(t *testing.T) {
	for _, s := range []string{"+31641600986", "1861", "*100#", "+0612345678", "Telekom", ""} {
		a, err := ParseAddress(s)
		if err != nil || a.String() != s {
			t.Errorf("ParseAddress(%q) = %q, %v", s, a.String(), err)
		}
	}
	for _, s := range []string{"+123456789012345678901", "Twelve chars"} {
		if _, err := ParseAddress(s); err == nil {
			t.Errorf("ParseAddress(%q) succeeded", s)
		}
	}
	a, _ := ParseAddress("+31641600986")
	if a.TON() != TONInternational || a.NPI() != NPIISDN || a.Digits() != 11 || hex.EncodeToString(a.Value()) != "1346610089f6" {
		t.Errorf("%x %d %x", a.Type, a.Digits(), a.Value())
	}
}

func TestRelativeDuration(t *testing.T) {
	// 9.2.3.12.1: the edges of each range.
	for _, tt := range []struct {
		v    uint8
		want string
	}{{0, "5m0s"}, {143, "12h0m0s"}, {144, "12h30m0s"}, {167, "24h0m0s"}, {168, "48h0m0s"}, {196, "720h0m0s"}, {197, "840h0m0s"}, {255, "10584h0m0s"}} {
		if got := RelativeDuration(tt.v).String(); got != tt.want {
			t.Errorf("RelativeDuration(%d) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

// TestSMSCTypeOnly: an SMSC address of one octet, a Type-of-Address 0 and
// no digits, is the zero Address, which encodes as 00 (found by FuzzDecode).
func TestSMSCTypeOnly(t *testing.T) {
	smsc, n, err := DecodeSMSC([]byte{0x01, 0x00, 0xFF})
	if err != nil || n != 2 || !smsc.IsZero() || !bytes.Equal(AppendSMSC(nil, &smsc), []byte{0}) {
		t.Errorf("got %v, %d, %v", smsc, n, err)
	}
	smsc, n, err = DecodeSMSC([]byte{0x01, 0x91})
	if err != nil || n != 2 || smsc.IsZero() || !bytes.Equal(AppendSMSC(nil, &smsc), []byte{1, 0x91}) {
		t.Errorf("got %v, %d, %v", smsc, n, err)
	}
}

func TestTimestampOf(t *testing.T) {
	tm := time.Date(2002, 8, 26, 19, 37, 41, 0, time.FixedZone("", -(5*3600+45*60)))
	ts, err := TimestampOf(tm)
	if err != nil || string(ts.AppendText(nil)) != "2002-08-26T19:37:41-05:45" || !ts.Time().Equal(tm) {
		t.Errorf("got %s, %v", ts.AppendText(nil), err)
	}
	if _, err := TimestampOf(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, ErrMalformed) {
		t.Errorf("year 2100: %v", err)
	}
	if _, err := TimestampOf(time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone("", 600))); !errors.Is(err, ErrMalformed) {
		t.Errorf("zone +00:10: %v", err)
	}
}
