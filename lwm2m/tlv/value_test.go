package tlv

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
)

// The TLV forms of LwM2M Core Appendix C. canon says whether AppendValue
// gives the same bytes back (the shortest form).
var valueCases = []struct {
	name  string
	t     lwm2m.Type
	hex   string
	want  lwm2m.Value
	canon bool
}{
	{"int8", lwm2m.Integer, "7f", lwm2m.IntegerValue(127), true},
	{"int8-neg", lwm2m.Integer, "80", lwm2m.IntegerValue(-128), true},
	{"int16", lwm2m.Integer, "0080", lwm2m.IntegerValue(128), true},
	{"int16-neg", lwm2m.Integer, "ff7f", lwm2m.IntegerValue(-129), true},
	{"int32", lwm2m.Integer, "00008000", lwm2m.IntegerValue(32768), true},
	{"int32-min", lwm2m.Integer, "80000000", lwm2m.IntegerValue(math.MinInt32), true},
	{"int64", lwm2m.Integer, "0000000080000000", lwm2m.IntegerValue(1 << 31), true},
	{"int64-min", lwm2m.Integer, "8000000000000000", lwm2m.IntegerValue(math.MinInt64), true},
	{"int-long-form", lwm2m.Integer, "0000000000000005", lwm2m.IntegerValue(5), false},
	{"int-minus-one-long", lwm2m.Integer, "ffff", lwm2m.IntegerValue(-1), false},
	{"uint8", lwm2m.Unsigned, "ff", lwm2m.UnsignedValue(255), true},
	{"uint16", lwm2m.Unsigned, "0100", lwm2m.UnsignedValue(256), true},
	{"uint32", lwm2m.Unsigned, "ffffffff", lwm2m.UnsignedValue(math.MaxUint32), true},
	{"uint64", lwm2m.Unsigned, "ffffffffffffffff", lwm2m.UnsignedValue(math.MaxUint64), true},
	{"time", lwm2m.Time, "5182428f", lwm2m.TimeValue(1367491215), true}, // LwM2M Core 7.4.3 example, /3/0/13
	{"time-negative", lwm2m.Time, "ff", lwm2m.TimeValue(-1), true},
	{"float32", lwm2m.Float, "3fc00000", lwm2m.FloatValue(1.5), true},
	{"float64", lwm2m.Float, "3fbf7ced916872b0", lwm2m.FloatValue(0.123), true},
	{"float64-exact32", lwm2m.Float, "3ff8000000000000", lwm2m.FloatValue(1.5), false},
	{"float-inf", lwm2m.Float, "7f800000", lwm2m.FloatValue(math.Inf(1)), true},
	{"float-nan64", lwm2m.Float, "7ff8000000000001", lwm2m.FloatValue(math.Float64frombits(0x7ff8000000000001)), true},
	{"bool-true", lwm2m.Boolean, "01", lwm2m.BoolValue(true), true},
	{"bool-false", lwm2m.Boolean, "00", lwm2m.BoolValue(false), true},
	{"string", lwm2m.String, "2b30323a3030", lwm2m.StringValue([]byte("+02:00")), true},
	{"string-empty", lwm2m.String, "", lwm2m.StringValue(nil), true},
	{"string-utf8", lwm2m.String, "c3a9", lwm2m.StringValue([]byte("é")), true},
	{"corelnk", lwm2m.Corelnk, "3c2f333e", lwm2m.CorelnkValue([]byte("</3>")), true},
	{"opaque", lwm2m.Opaque, "00ff", lwm2m.OpaqueValue([]byte{0, 0xff}), true},
	{"objlnk", lwm2m.Objlnk, "00430000", lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: 67}), true},
	{"objlnk-null", lwm2m.Objlnk, "ffffffff", lwm2m.ObjlnkValue(lwm2m.NullObjLink), true},
	{"none", lwm2m.None, "", lwm2m.Value{}, true},
}

func TestValues(t *testing.T) {
	for _, c := range valueCases {
		t.Run(c.name, func(t *testing.T) {
			in := codectest.Unhex(t, c.hex)
			v, err := DecodeValue(c.t, in)
			if err != nil {
				t.Fatal(err)
			}
			if !v.Equal(c.want) {
				t.Fatalf("got %s, want %s", showValue(v), showValue(c.want))
			}
			out, err := AppendValue([]byte("x"), v)
			if err != nil {
				t.Fatal(err)
			}
			if len(out)-1 != ValueLen(v) {
				t.Fatalf("ValueLen %d, wrote %d", ValueLen(v), len(out)-1)
			}
			if c.canon && !bytes.Equal(out[1:], in) {
				t.Fatalf("AppendValue % x, want % x", out[1:], in)
			}
			back, err := DecodeValue(c.t, out[1:])
			if err != nil || !back.Equal(v) {
				t.Fatalf("re-decode: %s %v", showValue(back), err)
			}
		})
	}
}

func TestValueErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		t      lwm2m.Type
		hex    string
		class  error
		offset int
	}{
		{"int-3-bytes", lwm2m.Integer, "010203", ErrMalformed, 0},
		{"int-empty", lwm2m.Integer, "", ErrMalformed, 0},
		{"uint-16-bytes", lwm2m.Unsigned, "00000000000000000000000000000001", ErrMalformed, 0},
		{"time-5-bytes", lwm2m.Time, "0000000001", ErrMalformed, 0},
		{"float-2-bytes", lwm2m.Float, "3c00", ErrMalformed, 0},
		{"bool-2", lwm2m.Boolean, "02", ErrMalformed, 0},
		{"bool-2-bytes", lwm2m.Boolean, "0001", ErrMalformed, 0},
		{"bool-empty", lwm2m.Boolean, "", ErrMalformed, 0},
		{"objlnk-2-bytes", lwm2m.Objlnk, "0003", ErrMalformed, 0},
		{"string-bad-utf8", lwm2m.String, "41ff42", ErrMalformed, 1},
		{"corelnk-bad-utf8", lwm2m.Corelnk, "3cc0", ErrMalformed, 1},
		{"none-with-bytes", lwm2m.None, "00", ErrMalformed, 0},
		{"unknown-type", lwm2m.Type(99), "00", ErrUnsupported, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeValue(c.t, codectest.Unhex(t, c.hex))
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset {
				t.Fatalf("got %v, want %v at %d", err, c.class, c.offset)
			}
		})
	}
	b := []byte("keep")
	for _, v := range []lwm2m.Value{lwm2m.StringValue([]byte{0xff}), lwm2m.CorelnkValue([]byte{0xc0})} {
		out, err := AppendValue(b, v)
		if !errors.Is(err, ErrMalformed) || string(out) != "keep" {
			t.Fatalf("AppendValue(bad UTF-8) = %q, %v", out, err)
		}
	}
}

// Integers take the shortest width at every boundary, and decode back.
func TestIntegerWidths(t *testing.T) {
	for _, c := range []struct {
		i int64
		n int
	}{
		{0, 1}, {-1, 1}, {127, 1}, {-128, 1}, {128, 2}, {-129, 2}, {32767, 2}, {-32768, 2},
		{32768, 4}, {-32769, 4}, {math.MaxInt32, 4}, {math.MinInt32, 4},
		{math.MaxInt32 + 1, 8}, {math.MinInt32 - 1, 8}, {math.MaxInt64, 8}, {math.MinInt64, 8},
	} {
		for _, v := range []lwm2m.Value{lwm2m.IntegerValue(c.i), lwm2m.TimeValue(c.i)} {
			out, _ := AppendValue(nil, v)
			if len(out) != c.n {
				t.Errorf("%d: %d bytes, want %d", c.i, len(out), c.n)
			}
			back, err := DecodeValue(v.Type(), out)
			if err != nil || !back.Equal(v) {
				t.Errorf("%d: back %s %v", c.i, showValue(back), err)
			}
		}
	}
	for _, c := range []struct {
		u uint64
		n int
	}{{0, 1}, {255, 1}, {256, 2}, {65535, 2}, {65536, 4}, {math.MaxUint32, 4}, {math.MaxUint32 + 1, 8}} {
		if out, _ := AppendValue(nil, lwm2m.UnsignedValue(c.u)); len(out) != c.n {
			t.Errorf("unsigned %d: %d bytes, want %d", c.u, len(out), c.n)
		}
	}
}
