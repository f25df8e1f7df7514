package lwm2m

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// textVectors are canonical Plain Text payloads: ParseText then AppendText
// gives the payload back.
var textVectors = []struct {
	name string
	typ  Type
	text string
	want Value
}{
	// LwM2M Core 1.2 7.4.1: GET /3/0/0 answers "Open Mobile Alliance".
	{"spec-7.4.1-manufacturer", String, "Open Mobile Alliance", StringValue([]byte("Open Mobile Alliance"))},
	// LwM2M Core 1.2 Table C.2, Integer: -750 is the 4-byte "-750".
	{"spec-C.2-integer", Integer, "-750", IntegerValue(-750)},
	// Table C.2, Unsigned Integer: 18 is "18".
	{"spec-C.2-unsigned", Unsigned, "18", UnsignedValue(18)},
	// Table C.2, Float: 6.667e-11 is "0.00000000006667".
	{"spec-C.2-float", Float, "0.00000000006667", FloatValue(6.667e-11)},
	// Table C.2, Boolean: the ASCII value 0 or 1.
	{"spec-C.2-boolean-true", Boolean, "1", BoolValue(true)},
	{"spec-C.2-boolean-false", Boolean, "0", BoolValue(false)},
	// Table C.2, Opaque: 01 02 03 04 05 is "AQIDBAU=".
	{"spec-C.2-opaque", Opaque, "AQIDBAU=", OpaqueValue([]byte{1, 2, 3, 4, 5})},
	// Table C.2, Time: 1476186613 (Tuesday, 11-Oct-16 11:50:13 UTC).
	{"spec-C.2-time", Time, "1476186613", TimeValue(1476186613)},
	// Table C.2, Objlnk: two 16-bit integers separated by ':'.
	{"spec-C.2-objlnk", Objlnk, "3:0", ObjlnkValue(ObjLink{3, 0})},
	{"objlnk-null", Objlnk, "65535:65535", ObjlnkValue(NullObjLink)},
	// Table C.2, Corelnk: "</3303/0/5700>;gt=23".
	{"spec-C.2-corelnk", Corelnk, "</3303/0/5700>;gt=23", CorelnkValue([]byte("</3303/0/5700>;gt=23"))},
	{"none", None, "", Value{}},
	{"string-empty", String, "", StringValue(nil)},
	{"string-utf8", String, "Zürich 東京 🙂", StringValue([]byte("Zürich 東京 🙂"))},
	{"opaque-empty", Opaque, "", OpaqueValue(nil)},
	{"opaque-pad1", Opaque, "AQID", OpaqueValue([]byte{1, 2, 3})},
	{"opaque-pad2", Opaque, "AQ==", OpaqueValue([]byte{1})},
	{"opaque-all", Opaque, "+/8=", OpaqueValue([]byte{0xfb, 0xff})},
	{"integer-min", Integer, "-9223372036854775808", IntegerValue(math.MinInt64)},
	{"integer-max", Integer, "9223372036854775807", IntegerValue(math.MaxInt64)},
	{"integer-zero", Integer, "0", IntegerValue(0)},
	{"unsigned-max", Unsigned, "18446744073709551615", UnsignedValue(math.MaxUint64)},
	{"time-negative", Time, "-1", TimeValue(-1)},
	{"float-zero", Float, "0", FloatValue(0)},
	{"float-negative-zero", Float, "-0", FloatValue(math.Copysign(0, -1))},
	{"float-latitude", Float, "-43.5723", FloatValue(-43.5723)},
	{"float-integral", Float, "153", FloatValue(153)},
	{"float-smallest", Float, "0." + zeros(323) + "5", FloatValue(5e-324)},
	{"float-max", Float, strconv.FormatFloat(math.MaxFloat64, 'f', -1, 64), FloatValue(math.MaxFloat64)},
}

func zeros(n int) string { return string(bytes.Repeat([]byte{'0'}, n)) }

func TestTextVectors(t *testing.T) {
	for _, v := range textVectors {
		t.Run(v.name, func(t *testing.T) {
			got, err := ParseText(v.typ, []byte(v.text), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(v.want) {
				t.Fatalf("ParseText(%v, %q) = %+v, want %+v", v.typ, v.text, got, v.want)
			}
			out, err := AppendText([]byte("prefix"), got)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != "prefix"+v.text {
				t.Fatalf("AppendText = %q, want %q", out[6:], v.text)
			}
			if n := TextLen(got); n != len(v.text) {
				t.Fatalf("TextLen = %d, want %d", n, len(v.text))
			}
		})
	}
}

// textAccepted are non-canonical payloads that parse: their canonical form
// is given.
var textAccepted = []struct {
	typ       Type
	text, out string
}{
	{Float, "6.667e-11", "0.00000000006667"},
	{Float, "6.667E-11", "0.00000000006667"},
	{Float, "0.5e+1", "5"},
	{Float, "1.0", "1"},
	{Float, "100e-2", "1"},
	{Float, "-0.0", "-0"},
	{Float, "1e-400", "0"},
	{Float, "-1e-400", "-0"},
	{Float, "1e99999999999999999999999", ""}, // overflow: see textErrors
	{Float, "0.1000000000000000055511151231257827021181583404541015625", "0.1"},
	{Float, "1.7976931348623157e308", strconv.FormatFloat(math.MaxFloat64, 'f', -1, 64)},
	{Float, "2.4e-324", "0"},
	{Float, "2.5e-324", "0." + zeros(323) + "5"},
}

func TestTextNonCanonical(t *testing.T) {
	for _, c := range textAccepted {
		if c.out == "" {
			continue
		}
		v, err := ParseText(c.typ, []byte(c.text), nil)
		if err != nil {
			t.Errorf("%v %q: %v", c.typ, c.text, err)
			continue
		}
		out, err := AppendText(nil, v)
		if err != nil || string(out) != c.out {
			t.Errorf("%v %q: canonical %q, %v; want %q", c.typ, c.text, out, err, c.out)
		}
	}
}

// textErrors are payloads a strict decoder rejects, with the byte offset
// of the error.
var textErrors = []struct {
	typ    Type
	text   string
	class  error
	offset int
}{
	{Integer, "", ErrMalformed, 0},
	{Integer, "+5", ErrMalformed, 0},
	{Integer, "05", ErrMalformed, 0},
	{Integer, "-0", ErrMalformed, 0},
	{Integer, "-", ErrMalformed, 1},
	{Integer, " 5", ErrMalformed, 0},
	{Integer, "5 ", ErrMalformed, 1},
	{Integer, "1.5", ErrMalformed, 1},
	{Integer, "9223372036854775808", ErrMalformed, 0},
	{Integer, "-9223372036854775809", ErrMalformed, 1},
	{Integer, "99999999999999999999999", ErrMalformed, 0},
	{Time, "1e9", ErrMalformed, 1},
	{Unsigned, "-1", ErrMalformed, 0},
	{Unsigned, "18446744073709551616", ErrMalformed, 0},
	{Float, "", ErrMalformed, 0},
	{Float, "-", ErrMalformed, 1},
	{Float, ".5", ErrMalformed, 0},
	{Float, "5.", ErrMalformed, 2},
	{Float, "01", ErrMalformed, 1},
	{Float, "+1", ErrMalformed, 0},
	{Float, "1e", ErrMalformed, 2},
	{Float, "1e+", ErrMalformed, 3},
	{Float, "NaN", ErrMalformed, 0},
	{Float, "Inf", ErrMalformed, 0},
	{Float, "-Infinity", ErrMalformed, 1},
	{Float, "0x1p-2", ErrMalformed, 1},
	{Float, "1_000", ErrMalformed, 1},
	{Float, "1,5", ErrMalformed, 1},
	{Float, "1e309", ErrMalformed, 0},
	{Float, "1e99999999999999999999999", ErrMalformed, 0},
	{Float, "-1.8e308", ErrMalformed, 0},
	// 2^1024 - 2^970 is the midpoint between MaxFloat64 and 2^1024: it and
	// anything above rounds to infinity; just below rounds to MaxFloat64.
	{Float, overflowDigits, ErrMalformed, 0},
	{Boolean, "", ErrMalformed, 0},
	{Boolean, "true", ErrMalformed, 0},
	{Boolean, "2", ErrMalformed, 0},
	{Boolean, "10", ErrMalformed, 1},
	{Boolean, "01", ErrMalformed, 1},
	{Objlnk, "3", ErrMalformed, 1},
	{Objlnk, "", ErrMalformed, 0},
	{Objlnk, ":0", ErrMalformed, 0},
	{Objlnk, "3:", ErrMalformed, 2},
	{Objlnk, "65536:0", ErrMalformed, 0},
	{Objlnk, "3:65536", ErrMalformed, 2},
	{Objlnk, "3:0:1", ErrMalformed, 3},
	{Objlnk, "03:0", ErrMalformed, 0},
	{Objlnk, "-3:0", ErrMalformed, 0},
	{String, "ok\xffno", ErrMalformed, 2},
	{String, "\xed\xa0\x80", ErrMalformed, 0}, // a UTF-16 surrogate
	{Corelnk, "</3>\xc0", ErrMalformed, 4},
	{Opaque, "AQIDBAU", ErrMalformed, 4},
	{Opaque, "AQIDBA==AQID", ErrMalformed, 6},
	{Opaque, "AQ=D", ErrMalformed, 2},
	{Opaque, "A===", ErrMalformed, 1},
	{Opaque, "AQID\n", ErrMalformed, 4},
	{Opaque, "AQ-_", ErrMalformed, 2}, // base64url is not the text alphabet
	{Opaque, "AR==", ErrMalformed, 1}, // non-zero pad bits (RFC 4648 3.5)
	{Opaque, "AQIE=", ErrMalformed, 4},
	{Opaque, "AQJ=", ErrMalformed, 2},
	{None, "x", ErrMalformed, 0},
	{Type(200), "1", ErrUnsupported, 0},
}

func TestTextErrors(t *testing.T) {
	for _, c := range textErrors {
		in := []byte(c.text)
		v, err := ParseText(c.typ, in, make([]byte, 0, 16))
		var e *Error
		if !errors.Is(err, c.class) || !errors.As(err, &e) || e.Offset != c.offset {
			t.Errorf("%v %q: %v, %+v (want offset %d)", c.typ, c.text, err, v, c.offset)
			continue
		}
		if e.Object != -1 || e.Resource != -1 || e.Rule == "" || string(in) != c.text {
			t.Errorf("%v %q: error %+v", c.typ, c.text, e)
		}
	}
}

func TestAppendTextErrors(t *testing.T) {
	for _, v := range []Value{
		FloatValue(math.NaN()),
		FloatValue(math.Inf(1)),
		FloatValue(math.Inf(-1)),
		StringValue([]byte("a\xffb")),
		CorelnkValue([]byte{0xc3}),
		{typ: Type(10)},
	} {
		b := []byte("keep")
		out, err := AppendText(b, v)
		var e *Error
		if !errors.As(err, &e) || e.Offset != -1 || string(out) != "keep" {
			t.Errorf("%+v: %q %v", v, out, err)
		}
		if TextLen(v) != -1 {
			t.Errorf("%+v: TextLen %d", v, TextLen(v))
		}
	}
	if _, err := AppendText(nil, FloatValue(math.NaN())); !errors.Is(err, ErrUnsupported) {
		t.Error(err)
	}
}

// TestFloatRoundTrip checks that AppendText writes every finite float64 so
// that ParseText gives back the same bits.
func TestFloatRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	special := []float64{0, 1, -1, 0.1, 1e21, 1e-7, 123456789.125, math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, math.Float64frombits(0x000fffffffffffff), math.Float64frombits(0x0010000000000000),
		float64(math.MaxFloat32), math.Pi, 9007199254740993}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	var buf []byte
	for i := 0; i < n+len(special); i++ {
		var f float64
		if i < len(special) {
			f = special[i]
		} else {
			f = math.Float64frombits(r.Uint64())
			if math.IsNaN(f) || math.IsInf(f, 0) {
				continue
			}
		}
		v := FloatValue(f)
		var err error
		buf, err = AppendText(buf[:0], v)
		if err != nil {
			t.Fatal(err)
		}
		if len(buf) != TextLen(v) {
			t.Fatalf("%v: TextLen %d, wrote %d", f, TextLen(v), len(buf))
		}
		w, err := ParseText(Float, buf, nil)
		if err != nil || !w.Equal(v) {
			t.Fatalf("%x: %q parses as %v, %v", math.Float64bits(f), buf, w, err)
		}
		// The exponent form parses to the same bits too.
		g := strconv.AppendFloat(nil, f, 'g', -1, 64)
		if w, err := ParseText(Float, g, nil); err != nil || !w.Equal(v) {
			t.Fatalf("%x: %q parses as %v, %v", math.Float64bits(f), g, w, err)
		}
	}
}

func TestOpaqueText(t *testing.T) {
	// The decoded bytes go to dst, not to the payload.
	in := []byte("AQIDBAU=")
	dst := make([]byte, 0, 8)
	v, err := ParseText(Opaque, in, dst)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := v.Bytes()
	if &b[0] != &dst[:1][0] || string(in) != "AQIDBAU=" {
		t.Fatal("opaque value does not alias dst")
	}
	// A short dst grows.
	v, err = ParseText(Opaque, in, make([]byte, 0, 2))
	if b, _ := v.Bytes(); err != nil || !bytes.Equal(b, []byte{1, 2, 3, 4, 5}) {
		t.Fatal(v, err)
	}
	// Every length up to 3 quanta round-trips.
	for n := 0; n < 12; n++ {
		raw := bytes.Repeat([]byte{0xa5}, n)
		txt, err := AppendText(nil, OpaqueValue(raw))
		if err != nil {
			t.Fatal(err)
		}
		v, err := ParseText(Opaque, txt, nil)
		if b, _ := v.Bytes(); err != nil || !bytes.Equal(b, raw) {
			t.Fatalf("%d: %q -> %x, %v", n, txt, b, err)
		}
	}
}

func TestStringAliases(t *testing.T) {
	in := []byte("Open Mobile Alliance")
	v, err := ParseText(String, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := v.Bytes()
	if &b[0] != &in[0] {
		t.Fatal("string value does not alias the payload")
	}
}

func TestOpaqueFormat(t *testing.T) {
	in := []byte{0, 1, 0xff}
	v, err := ParseOpaque(Opaque, in)
	if b, _ := v.Bytes(); err != nil || &b[0] != &in[0] {
		t.Fatal(v, err)
	}
	out, err := AppendOpaque([]byte{9}, v)
	if err != nil || !bytes.Equal(out, []byte{9, 0, 1, 0xff}) {
		t.Fatal(out, err)
	}
	for _, typ := range []Type{None, String, Integer, Unsigned, Float, Boolean, Time, Objlnk, Corelnk} {
		_, err := ParseOpaque(typ, in)
		var e *Error
		if !errors.Is(err, ErrUnsupported) || !errors.As(err, &e) || e.Rule != "LwM2M Core 7.4.2" {
			t.Errorf("ParseOpaque(%v): %v", typ, err)
		}
	}
	if out, err := AppendOpaque([]byte{9}, StringValue([]byte("x"))); !errors.Is(err, ErrUnsupported) || len(out) != 1 {
		t.Error(out, err)
	}
	if v, err := ParseOpaque(Opaque, nil); err != nil || v.Type() != Opaque {
		t.Error(v, err)
	}
}

func TestErrorText(t *testing.T) {
	_, err := ParseText(Integer, []byte("12x"), nil)
	if got, want := err.Error(), "lwm2m: at offset 2: not a decimal digit [LwM2M Core Appendix C]"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	_, err = AppendText(nil, FloatValue(math.Inf(1)))
	if got, want := err.Error(), "lwm2m: encode: NaN and infinities have no text representation [LwM2M Core Appendix C]"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
