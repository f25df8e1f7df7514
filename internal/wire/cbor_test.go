package wire

import (
	"bytes"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func cborHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Well-formed items from RFC 8949 Appendix A, with the value SkipCBOR's
// callers would read.
var cborWellFormed = []string{
	"00", "01", "0a", "17", "1818", "1819", "1864", "1903e8", "1a000f4240",
	"1b000000e8d4a51000", "1bffffffffffffffff", "c249010000000000000000",
	"3bffffffffffffffff", "c349010000000000000000", "20", "29", "3863", "3903e7",
	"f90000", "f98000", "f93c00", "fb3ff199999999999a", "f93e00", "f97bff",
	"fa47c35000", "fa7f7fffff", "fb7e37e43c8800759c", "f90001", "f90400", "f9c400",
	"fbc010666666666666", "f97c00", "f97e00", "f9fc00", "fa7f800000", "fa7fc00000",
	"faff800000", "fb7ff0000000000000", "fb7ff8000000000000", "fbfff0000000000000",
	"f4", "f5", "f6", "f7", "f0", "f820", "f8ff",
	"c074323031332d30332d32315432303a30343a30305a", "c11a514b67b0", "c1fb41d452d9ec200000",
	"d74401020304", "d818456449455446", "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
	"40", "4401020304", "60", "6161", "6449455446", "62225c", "62c3bc", "63e6b0b4", "64f0908591",
	"80", "83010203", "8301820203820405",
	"98190102030405060708090a0b0c0d0e0f101112131415161718181819",
	"a0", "a201020304", "a26161016162820203", "826161a161626163",
	"a56161614161626142616361436164614461656145",
	"5f42010243030405ff", "7f657374726561646d696e67ff", "9fff", "9f018202039f0405ffff",
	"9f01820203820405ff", "83018202039f0405ff", "83019f0203ff820405",
	"9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
	"bf61610161629f0203ffff", "826161bf61626163ff", "bf6346756ef563416d7421ff",
	"5fff", "7fff", "5f40ff", "7f60ff",
}

// Items that are not well-formed, from RFC 8949 Appendix F.1, with the
// error SkipCBOR gives.
var cborNotWellFormed = []struct {
	hex string
	err CBORError
	off int
}{
	// End of input in a head.
	{"18", CBORTruncated, 0}, {"19", CBORTruncated, 0}, {"1a", CBORTruncated, 0},
	{"1b", CBORTruncated, 0}, {"1901", CBORTruncated, 0}, {"1a0102", CBORTruncated, 0},
	{"1b01020304050607", CBORTruncated, 0}, {"38", CBORTruncated, 0}, {"58", CBORTruncated, 0},
	{"78", CBORTruncated, 0}, {"98", CBORTruncated, 0}, {"9a01ff00", CBORTruncated, 0},
	{"b8", CBORTruncated, 0}, {"d8", CBORTruncated, 0}, {"f8", CBORTruncated, 0},
	{"f900", CBORTruncated, 0}, {"fa0000", CBORTruncated, 0}, {"fb000000", CBORTruncated, 0},
	// Definite-length strings with short data.
	{"41", CBORTruncated, 0}, {"61", CBORTruncated, 0}, {"5affffffff00", CBORTruncated, 0},
	{"5bffffffffffffffff010203", CBORTruncated, 0}, {"7affffffff00", CBORTruncated, 0},
	{"7b7fffffffffffffff010203", CBORTruncated, 0},
	// Definite-length maps and arrays not closed with enough items.
	{"81", CBORTruncated, 0}, {"818181818181818181", CBORTruncated, 8}, {"8200", CBORTruncated, 0},
	{"a1", CBORTruncated, 0}, {"a20102", CBORTruncated, 0}, {"a100", CBORTruncated, 0},
	{"a2000000", CBORTruncated, 0},
	// Tag number not followed by tag content.
	{"c0", CBORTruncated, 1},
	// Indefinite-length strings not closed by a break.
	{"5f4100", CBORTruncated, 3}, {"7f6100", CBORTruncated, 3},
	// Indefinite-length maps and arrays not closed by a break.
	{"9f", CBORTruncated, 1}, {"9f0102", CBORTruncated, 3}, {"bf", CBORTruncated, 1},
	{"bf01020102", CBORTruncated, 5}, {"819f", CBORTruncated, 2}, {"9f8000", CBORTruncated, 3},
	{"9f9f9f9f9fffffffff", CBORTruncated, 9}, {"9f819f819f9fffffff", CBORTruncated, 9},
	// Reserved additional information values.
	{"1c", CBORReservedInfo, 0}, {"1d", CBORReservedInfo, 0}, {"1e", CBORReservedInfo, 0},
	{"3c", CBORReservedInfo, 0}, {"3d", CBORReservedInfo, 0}, {"3e", CBORReservedInfo, 0},
	{"5c", CBORReservedInfo, 0}, {"5d", CBORReservedInfo, 0}, {"5e", CBORReservedInfo, 0},
	{"7c", CBORReservedInfo, 0}, {"7d", CBORReservedInfo, 0}, {"7e", CBORReservedInfo, 0},
	{"9c", CBORReservedInfo, 0}, {"9d", CBORReservedInfo, 0}, {"9e", CBORReservedInfo, 0},
	{"bc", CBORReservedInfo, 0}, {"bd", CBORReservedInfo, 0}, {"be", CBORReservedInfo, 0},
	{"dc", CBORReservedInfo, 0}, {"dd", CBORReservedInfo, 0}, {"de", CBORReservedInfo, 0},
	{"fc", CBORReservedInfo, 0}, {"fd", CBORReservedInfo, 0}, {"fe", CBORReservedInfo, 0},
	// Reserved two-byte encodings of simple values.
	{"f800", CBORBadSimple, 0}, {"f801", CBORBadSimple, 0}, {"f818", CBORBadSimple, 0},
	{"f81f", CBORBadSimple, 0},
	// Indefinite-length string chunks not of the correct type.
	{"5f00ff", CBORBadChunk, 1}, {"5f21ff", CBORBadChunk, 1}, {"5f6100ff", CBORBadChunk, 1},
	{"5f80ff", CBORBadChunk, 1}, {"5fa0ff", CBORBadChunk, 1}, {"5fc000ff", CBORBadChunk, 1},
	{"5fe0ff", CBORBadChunk, 1}, {"7f4100ff", CBORBadChunk, 1},
	// Indefinite-length string chunks not definite length.
	{"5f5f4100ffff", CBORBadChunk, 1}, {"7f7f6100ffff", CBORBadChunk, 1},
	// Break occurring on its own outside of an indefinite-length item.
	{"ff", CBORUnexpectedBreak, 0},
	// Break occurring in a definite-length array or map or a tag.
	{"81ff", CBORUnexpectedBreak, 1}, {"8200ff", CBORUnexpectedBreak, 2}, {"a1ff", CBORTruncated, 0}, // the count is checked against the input first
	{"a1ff00", CBORUnexpectedBreak, 1}, {"a100ff", CBORUnexpectedBreak, 2}, {"a20000ff", CBORTruncated, 0}, {"a300000000ff00", CBORUnexpectedBreak, 5},
	{"9f81ff", CBORUnexpectedBreak, 2}, {"9f829f819f9fffffffff", CBORUnexpectedBreak, 9},
	// Break in an indefinite-length map that would lead to an odd number of items.
	{"bf00ff", CBORUnexpectedBreak, 2}, {"bf000000ff", CBORUnexpectedBreak, 4},
	// Major type 0, 1, 6 with additional information 31.
	{"1f", CBORBadIndefinite, 0}, {"3f", CBORBadIndefinite, 0}, {"df", CBORBadIndefinite, 0},
	// Invalid UTF-8 (not well-formed for this package: text must be UTF-8).
	{"62c328", CBORInvalidUTF8, 1}, {"7f62c328ff", CBORInvalidUTF8, 2}, {"64616263ed", CBORInvalidUTF8, 4},
	{"6461ed9fbf", CBOROK, 5}, {"6361eda080", CBORInvalidUTF8, 2},
}

func TestSkipCBORWellFormed(t *testing.T) {
	for _, h := range cborWellFormed {
		b := cborHex(t, h)
		n, e := SkipCBOR(b, 0, 16)
		if e != CBOROK || n != len(b) {
			t.Errorf("%s: got %d, %v (%s)", h, n, e, e.Msg())
		}
		// Every proper prefix is truncated.
		for i := range len(b) {
			if _, e := SkipCBOR(b[:i], 0, 16); e != CBORTruncated {
				t.Errorf("%s[:%d]: got %v, want truncated", h, i, e.Msg())
			}
		}
	}
}

func TestSkipCBORNotWellFormed(t *testing.T) {
	for _, c := range cborNotWellFormed {
		b := cborHex(t, c.hex)
		n, e := SkipCBOR(b, 0, 16)
		if e != c.err || n != c.off {
			t.Errorf("%s: got %v at %d, want %v at %d", c.hex, e.Msg(), n, c.err.Msg(), c.off)
		}
		if c.err != CBOROK && e.Rule() == "" && e != CBORTooDeep {
			t.Errorf("%s: no rule for %v", c.hex, e.Msg())
		}
	}
}

func TestSkipCBORDepth(t *testing.T) {
	for _, c := range []struct {
		hex   string
		depth int
		err   CBORError
		off   int
	}{
		{"00", 0, CBOROK, 1},
		{"8100", 0, CBORTooDeep, 0},
		{"8100", 1, CBOROK, 2},
		{"81818100", 2, CBORTooDeep, 2},
		{"81818100", 3, CBOROK, 4},
		{"c1c1c100", 2, CBORTooDeep, 2},
		{"c1c1c100", 3, CBOROK, 4},
		{"a1008100", 1, CBORTooDeep, 2},
		{"9f9fffff", 1, CBORTooDeep, 1},
		{"5f4100ff", 0, CBOROK, 4}, // chunked strings are not nesting
	} {
		n, e := SkipCBOR(cborHex(t, c.hex), 0, c.depth)
		if e != c.err || n != c.off {
			t.Errorf("%s depth %d: got %v at %d, want %v at %d", c.hex, c.depth, e.Msg(), n, c.err.Msg(), c.off)
		}
	}
	// The cap holds whatever the caller asks for.
	deep := append(bytes.Repeat([]byte{0x81}, CBORMaxSkipDepth+1), 0)
	if _, e := SkipCBOR(deep, 0, math.MaxInt); e != CBORTooDeep {
		t.Errorf("depth %d accepted: %v", CBORMaxSkipDepth+1, e.Msg())
	}
	if n, e := SkipCBOR(deep[1:], 0, math.MaxInt); e != CBOROK || n != len(deep)-1 {
		t.Errorf("depth %d: %v", CBORMaxSkipDepth, e.Msg())
	}
}

func TestReadCBORHead(t *testing.T) {
	for _, c := range []struct {
		hex        string
		major, inf uint8
		arg        uint64
		end        int
	}{
		{"00", 0, 0, 0, 1},
		{"17", 0, 23, 23, 1},
		{"1818", 0, 24, 24, 2},
		{"1903e8", 0, 25, 1000, 3},
		{"1a000f4240", 0, 26, 1000000, 5},
		{"1bffffffffffffffff", 0, 27, math.MaxUint64, 9},
		{"3bffffffffffffffff", 1, 27, math.MaxUint64, 9},
		{"5f", 2, 31, 0, 1},
		{"9f", 4, 31, 0, 1},
		{"d818", 6, 24, 24, 2},
		{"f97e00", 7, 25, 0x7e00, 3},
		{"f820", 7, 24, 32, 2},
		{"ff", 7, 31, 0, 1},
	} {
		h, e := ReadCBORHead(cborHex(t, c.hex), 0)
		if e != CBOROK || h.Major != c.major || h.Info != c.inf || h.Arg != c.arg || h.End != c.end || h.Off != 0 {
			t.Errorf("%s: got %+v, %v", c.hex, h, e.Msg())
		}
	}
	// An offset inside the input.
	h, e := ReadCBORHead(cborHex(t, "00 18 64"), 1)
	if e != CBOROK || h.Arg != 100 || h.Off != 1 || h.End != 3 {
		t.Errorf("offset 1: %+v %v", h, e.Msg())
	}
	if _, e := ReadCBORHead(nil, 0); e != CBORTruncated {
		t.Errorf("empty: %v", e.Msg())
	}
	if h, _ := ReadCBORHead(cborHex(t, "ff"), 0); !h.IsBreak() || h.Indefinite() {
		t.Errorf("break: %+v", h)
	}
	if h, _ := ReadCBORHead(cborHex(t, "bf"), 0); h.IsBreak() || !h.Indefinite() {
		t.Errorf("indefinite map: %+v", h)
	}
}

func TestReadCBORNumber(t *testing.T) {
	for _, c := range []struct {
		hex  string
		want CBORNum
		i64  int64
		fits bool // Int64
	}{
		{"00", CBORNum{}, 0, true},
		{"1bffffffffffffffff", CBORNum{N: math.MaxUint64}, 0, false},
		{"1b7fffffffffffffff", CBORNum{N: math.MaxInt64}, math.MaxInt64, true},
		{"20", CBORNum{Neg: true}, -1, true},
		{"3b7fffffffffffffff", CBORNum{Neg: true, N: math.MaxInt64}, math.MinInt64, true},
		{"3b8000000000000000", CBORNum{Neg: true, N: 1 << 63}, 0, false},
		{"3bffffffffffffffff", CBORNum{Neg: true, N: math.MaxUint64}, 0, false},
		{"f9c400", CBORNum{Float: true, F: -4}, 0, false},
		{"fa47c35000", CBORNum{Float: true, F: 100000}, 0, false},
		{"fb3ff199999999999a", CBORNum{Float: true, F: 1.1}, 0, false},
		// RFC 8949 3.4.4: 4([-2, 27315]) = 273.15.
		{"c48221196ab3", CBORNum{Float: true, F: 273.15}, 0, false},
		// Vector lwm2m_cbor_decimal_fraction_value: 4([-1, 45]) = 4.5.
		{"c48220182d", CBORNum{Float: true, F: 4.5}, 0, false},
		// Vector senml_cbor_bt_decimal_fraction_tag4: 4([0, 500000004]).
		{"c482001a1dcd6504", CBORNum{N: 500000004}, 500000004, true},
		{"c482021819", CBORNum{N: 2500}, 2500, true},
		{"c4820238ff", CBORNum{Neg: true, N: 25599}, -25600, true},
		{"c4820139ffff", CBORNum{Neg: true, N: 655359}, -655360, true},
		// Past the uint64 range the integer becomes a float.
		{"c482131bffffffffffffffff", CBORNum{Float: true, F: 1.8446744073709552e38}, 0, false},
		{"c482133bffffffffffffffff", CBORNum{Float: true, F: -1.8446744073709552e38}, 0, false},
		{"c4820000", CBORNum{}, 0, true},
		{"c4822000", CBORNum{Float: true, F: 0}, 0, false},
		{"c4823bffffffffffffffff01", CBORNum{Float: true, F: 0}, 0, false},
		{"c4823bffffffffffffffff20", CBORNum{Float: true, F: math.Copysign(0, -1)}, 0, false},
		{"c49f20182dff", CBORNum{Float: true, F: 4.5}, 0, false},
		{"c482390143182d", CBORNum{Float: true, F: 4.5e-323}, 0, false}, // subnormal
	} {
		b := cborHex(t, c.hex)
		n, next, e := ReadCBORNumber(b, 0)
		if e != CBOROK || next != len(b) || n.Float != c.want.Float || n.Neg != c.want.Neg || n.N != c.want.N ||
			math.Float64bits(n.F) != math.Float64bits(c.want.F) {
			t.Errorf("%s: got %+v at %d, %v; want %+v", c.hex, n, next, e.Msg(), c.want)
			continue
		}
		if i, ok := n.Int64(); ok != c.fits || ok && i != c.i64 {
			t.Errorf("%s: Int64 = %d, %v", c.hex, i, ok)
		}
	}
	for _, c := range []struct {
		hex string
		err CBORError
		off int
	}{
		{"c4821b7fffffffffffffff01", CBORRange, 0},
		{"c482181a01", CBOROK, 5}, // 1e26 is a float
		{"c48200c24101", CBORUnsupportedTag, 3},
		{"c48100", CBORBadDecimal, 1},
		{"c483000000", CBORBadDecimal, 1},
		{"c482f500", CBORBadDecimal, 2},
		{"c4820040", CBORBadDecimal, 3},
		{"c49f00ff", CBORBadDecimal, 3},
		{"c49f000000ff", CBORBadDecimal, 4},
		{"c49f0000", CBORTruncated, 4},
		{"c482", CBORTruncated, 2},
		{"c4", CBORTruncated, 1},
		{"c100", CBORUnsupportedTag, 0},
		{"60", CBORWrongType, 0},
		{"f5", CBORWrongType, 0},
		{"1c", CBORReservedInfo, 0},
	} {
		_, next, e := ReadCBORNumber(cborHex(t, c.hex), 0)
		if e != c.err || next != c.off {
			t.Errorf("%s: got %v at %d, want %v at %d", c.hex, e.Msg(), next, c.err.Msg(), c.off)
		}
	}
}

func TestCBORNumFloat64(t *testing.T) {
	for _, c := range []struct {
		n     CBORNum
		f     float64
		exact bool
	}{
		{CBORNum{N: 1 << 53}, 1 << 53, true},
		{CBORNum{N: 1<<53 + 1}, 1 << 53, false},
		{CBORNum{N: math.MaxUint64}, 1 << 64, false},
		{CBORNum{N: 1 << 63}, 1 << 63, true},
		{CBORNum{Neg: true, N: math.MaxUint64}, -1 << 64, true},
		{CBORNum{Neg: true, N: math.MaxUint64 - 1}, -1 << 64, false},
		{CBORNum{Neg: true, N: 1<<53 - 1}, -1 << 53, true},
		{CBORNum{Neg: true, N: 1 << 53}, -1 << 53, false},
		{CBORNum{Float: true, F: 0.5}, 0.5, true},
	} {
		f, exact := c.n.Float64()
		if f != c.f || exact != c.exact {
			t.Errorf("%+v: got %v %v, want %v %v", c.n, f, exact, c.f, c.exact)
		}
	}
}

func TestReadCBORString(t *testing.T) {
	b := cborHex(t, "6449455446 4401020304 62c328 7f6161ff 5f4101ff 00")
	s, next, e := ReadCBORString(b, 0, CBORText)
	if e != CBOROK || string(s) != "IETF" || next != 5 || cap(s) != 4 {
		t.Fatalf("text: %q %d %v", s, next, e.Msg())
	}
	s, next, e = ReadCBORString(b, next, CBORBytes)
	if e != CBOROK || !bytes.Equal(s, []byte{1, 2, 3, 4}) || next != 10 {
		t.Fatalf("bytes: %x %d %v", s, next, e.Msg())
	}
	if _, off, e := ReadCBORString(b, 10, CBORText); e != CBORInvalidUTF8 || off != 11 {
		t.Errorf("bad UTF-8: %v at %d", e.Msg(), off)
	}
	if _, off, e := ReadCBORString(b, 13, CBORText); e != CBORIndefiniteString || off != 13 {
		t.Errorf("indefinite text: %v at %d", e.Msg(), off)
	}
	if _, off, e := ReadCBORString(b, 17, CBORBytes); e != CBORIndefiniteString || off != 17 {
		t.Errorf("indefinite bytes: %v at %d", e.Msg(), off)
	}
	if _, off, e := ReadCBORString(b, 0, CBORBytes); e != CBORWrongType || off != 0 {
		t.Errorf("text as bytes: %v at %d", e.Msg(), off)
	}
	if _, off, e := ReadCBORString(b, 21, CBORBytes); e != CBORWrongType || off != 21 {
		t.Errorf("integer as bytes: %v at %d", e.Msg(), off)
	}
	if _, _, e := ReadCBORString(b[:3], 0, CBORText); e != CBORTruncated {
		t.Errorf("short text: %v", e.Msg())
	}
}

// half returns the value of half-precision bits h computed independently
// of Float16, with math.Ldexp.
func half(h uint16) float64 {
	exp, mant := int(h>>10)&0x1f, float64(h&0x3ff)
	var v float64
	switch exp {
	case 0:
		v = math.Ldexp(mant, -24)
	case 0x1f:
		if mant != 0 {
			return math.NaN()
		}
		v = math.Inf(1)
	default:
		v = math.Ldexp(1024+mant, exp-25)
	}
	if h&0x8000 != 0 {
		v = -v
	}
	return v
}

// Every half-precision value decodes exactly and is written back in the
// same two bytes.
func TestFloat16Exhaustive(t *testing.T) {
	for i := range 1 << 16 {
		h := uint16(i)
		f := Float16(h)
		want := half(h)
		if math.IsNaN(want) {
			if !math.IsNaN(f) || math.Float64bits(f)&(1<<42-1) != 0 || uint16(math.Float64bits(f)>>42)&0x3ff != h&0x3ff ||
				math.Signbit(f) != (h&0x8000 != 0) {
				t.Fatalf("%04x: NaN payload lost: %016x", h, math.Float64bits(f))
			}
		} else if math.Float64bits(f) != math.Float64bits(want) {
			t.Fatalf("%04x: got %v, want %v", h, f, want)
		}
		out := AppendCBORFloat(nil, f)
		if len(out) != 3 || out[0] != 0xf9 || Uint16(out[1:]) != h || CBORFloatLen(f) != 3 {
			t.Fatalf("%04x: written as %x", h, out)
		}
		g, next, e := ReadCBORFloat(out, 0)
		if e != CBOROK || next != 3 || math.Float64bits(g) != math.Float64bits(f) {
			t.Fatalf("%04x: read back %v", h, g)
		}
	}
}

// Singles decode exactly; those that are not halves are written back in
// the same five bytes.
func TestFloat32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := []uint32{0x7f7fffff, 0x00000001, 0x80000001, 0x7f800001, 0xffbfffff, 0x33800000, 0x33c00000, 0x387fc000, 0x38800000, 0x477fe000, 0x477ff000}
	for range 1 << 16 {
		xs = append(xs, r.Uint32())
	}
	for _, x := range xs {
		f := Float32(x)
		isNaN := x&0x7f800000 == 0x7f800000 && x&0x7fffff != 0
		if isNaN {
			if math.Float64bits(f) != uint64(x>>31)<<63|0x7ff<<52|uint64(x&0x7fffff)<<29 {
				t.Fatalf("%08x: NaN %016x", x, math.Float64bits(f))
			}
		} else if f != float64(math.Float32frombits(x)) {
			t.Fatalf("%08x: got %v", x, f)
		}
		out := AppendCBORFloat(nil, f)
		g, _, e := ReadCBORFloat(out, 0)
		if e != CBOROK || math.Float64bits(g) != math.Float64bits(f) {
			t.Fatalf("%08x: %x reads back as %v", x, out, g)
		}
		switch len(out) {
		case 5:
			if Uint32(out[1:]) != x {
				t.Fatalf("%08x: written as %x", x, out)
			}
		case 3: // must really be a half
			if Float16(Uint16(out[1:])) != f && !isNaN {
				t.Fatalf("%08x: written as %x", x, out)
			}
		default:
			t.Fatalf("%08x: written as %x", x, out)
		}
		if CBORFloatLen(f) != len(out) {
			t.Fatalf("%08x: CBORFloatLen %d, wrote %d", x, CBORFloatLen(f), len(out))
		}
	}
}

func TestAppendCBORFloat(t *testing.T) {
	for _, c := range []struct {
		f   float64
		hex string
	}{
		{0, "f90000"},
		{math.Copysign(0, -1), "f98000"},
		{1, "f93c00"},
		{1.1, "fb3ff199999999999a"},
		{1.5, "f93e00"},
		{65504, "f97bff"},
		{65505, "fa477fe100"},
		{100000, "fa47c35000"},
		{3.4028234663852886e+38, "fa7f7fffff"},
		{1e300, "fb7e37e43c8800759c"},
		{5.960464477539063e-8, "f90001"},
		{0.00006103515625, "f90400"},
		{-4, "f9c400"},
		{-4.1, "fbc010666666666666"},
		{math.Inf(1), "f97c00"},
		{math.Inf(-1), "f9fc00"},
		{math.Float64frombits(0x7ff8000000000000), "f97e00"},
		{math.Float64frombits(0x7ff8000020000000), "fa7fc00001"},
		{math.NaN(), "fb7ff8000000000001"}, // Go's NaN has a low payload bit
		{300, "f95cb0"},                    // vector senml_cbor_float16_value
		{-30, "f9cf80"},                    // vector senml_cbor_captured_wakaama_half_float
		{2.5, "f94100"},                    // vector lwm2m_cbor_all_types
		{22.4, "fb4036666666666666"},
		{1.401298464324817e-45, "fa00000001"},
		{2.9802322387695312e-8, "fa33000000"}, // 2^-25: below the half subnormals
	} {
		out := AppendCBORFloat([]byte{0xaa}, c.f)
		if hex.EncodeToString(out[1:]) != c.hex || out[0] != 0xaa {
			t.Errorf("%v: got %x, want %s", c.f, out[1:], c.hex)
		}
	}
}

func FuzzCBORFloat(f *testing.F) {
	f.Add(uint64(0x7ff8000000000001))
	f.Add(uint64(0x3ff199999999999a))
	f.Fuzz(func(t *testing.T, u uint64) {
		x := math.Float64frombits(u)
		out := AppendCBORFloat(nil, x)
		if CBORFloatLen(x) != len(out) {
			t.Fatalf("length %d, wrote %d", CBORFloatLen(x), len(out))
		}
		g, n, e := ReadCBORFloat(out, 0)
		if e != CBOROK || n != len(out) || math.Float64bits(g) != u {
			t.Fatalf("%016x: %x reads back as %016x", u, out, math.Float64bits(g))
		}
	})
}

func TestAppendCBORHead(t *testing.T) {
	for _, c := range []struct {
		major uint8
		v     uint64
		hex   string
	}{
		{0, 0, "00"}, {0, 23, "17"}, {0, 24, "1818"}, {0, 255, "18ff"}, {0, 256, "190100"},
		{0, 65535, "19ffff"}, {0, 65536, "1a00010000"}, {0, math.MaxUint32, "1affffffff"},
		{0, 1 << 32, "1b0000000100000000"}, {0, math.MaxUint64, "1bffffffffffffffff"},
		{1, 0, "20"}, {3, 5, "65"}, {4, 25, "9819"}, {5, 1, "a1"}, {6, 4, "c4"},
	} {
		out := AppendCBORHead(nil, c.major, c.v)
		if hex.EncodeToString(out) != c.hex || CBORHeadLen(c.v) != len(out) {
			t.Errorf("%d %d: got %x (len %d)", c.major, c.v, out, CBORHeadLen(c.v))
		}
		h, e := ReadCBORHead(out, 0)
		if e != CBOROK || h.Major != c.major || h.Arg != c.v || h.End != len(out) {
			t.Errorf("%d %d: read back %+v %v", c.major, c.v, h, e.Msg())
		}
	}
	for _, c := range []struct {
		v   int64
		hex string
	}{
		{0, "00"}, {-1, "20"}, {-24, "37"}, {-25, "3818"}, {-256, "38ff"}, {-257, "390100"},
		{math.MinInt64, "3b7fffffffffffffff"}, {math.MaxInt64, "1b7fffffffffffffff"},
	} {
		out := AppendCBORInt(nil, c.v)
		if hex.EncodeToString(out) != c.hex || CBORIntLen(c.v) != len(out) {
			t.Errorf("%d: got %x", c.v, out)
		}
	}
	var b []byte
	b = AppendCBORIndefinite(b, CBORMap)
	b = AppendCBORString(b, CBORText, []byte("a"))
	b = AppendCBORNum(b, CBORNum{Neg: true, N: 9})
	b = AppendCBORString(b, CBORBytes, []byte{1})
	b = AppendCBORBool(b, true)
	b = AppendCBORUint(b, 7)
	b = AppendCBORNull(b)
	b = AppendCBORNum(b, CBORNum{N: 500})
	b = AppendCBORNum(b, CBORNum{Float: true, F: 0.5})
	b = AppendCBORBreak(b)
	if got := hex.EncodeToString(b); got != "bf6161294101f507f61901f4f93800ff" {
		t.Errorf("got %s", got)
	}
	for _, fn := range []func(){
		func() { AppendCBORHead(nil, 8, 0) },
		func() { AppendCBORIndefinite(nil, CBORTag) },
		func() { AppendCBORIndefinite(nil, CBORUint) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			fn()
		}()
	}
}

func TestCBORErrorText(t *testing.T) {
	for e := CBOROK; e <= CBORBadDecimal; e++ {
		if e.Msg() == "" || strings.HasPrefix(e.Msg(), "CBORError(") {
			t.Errorf("%d: no message", e)
		}
	}
	if CBORError(200).Msg() != "CBORError(200)" || CBORError(200).Rule() != "" {
		t.Error("unknown error code")
	}
}

// FuzzSkipCBOR: no panic, an offset inside the input, and agreement with
// an item-by-item walk over what SkipCBOR accepted.
func FuzzSkipCBOR(f *testing.F) {
	for _, h := range cborWellFormed {
		f.Add(cborHex(f, h))
	}
	for _, c := range cborNotWellFormed {
		f.Add(cborHex(f, c.hex))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, e := SkipCBOR(b, 0, 8)
		if n < 0 || n > len(b) {
			t.Fatalf("offset %d outside 0..%d", n, len(b))
		}
		if e != CBOROK {
			return
		}
		if n == 0 {
			t.Fatal("accepted nothing")
		}
		// A well-formed item stays well-formed alone, and its proper
		// prefixes are truncated or not items at all.
		if m, e := SkipCBOR(b[:n], 0, 8); e != CBOROK || m != n {
			t.Fatalf("alone: %d %v", m, e.Msg())
		}
		if _, e := SkipCBOR(b[:n-1], 0, 8); e == CBOROK {
			t.Fatalf("prefix of %d bytes accepted", n-1)
		}
		if _, _, e := ReadCBORNumber(b, 0); e == CBOROK {
			out := AppendCBORNum(nil, mustNum(t, b))
			if _, e := SkipCBOR(out, 0, 0); e != CBOROK {
				t.Fatalf("number rewrite %x: %v", out, e.Msg())
			}
		}
	})
}

func mustNum(t *testing.T, b []byte) CBORNum {
	n, _, e := ReadCBORNumber(b, 0)
	if e != CBOROK {
		t.Fatal(e.Msg())
	}
	return n
}
