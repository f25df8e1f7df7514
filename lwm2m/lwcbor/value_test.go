package lwcbor

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
)

// valueCases are the LwM2M CBOR forms of the data types (LwM2M Core
// Appendix C, LwM2M CBOR column): AppendValue writes hex for want, and
// DecodeValue reads it back as type t.
var valueCases = []struct {
	name string
	t    lwm2m.Type
	hex  string
	want lwm2m.Value
}{
	{"string", lwm2m.String, "63 4f4d41", lwm2m.StringValue([]byte("OMA"))},
	{"empty-string", lwm2m.String, "60", lwm2m.StringValue(nil)},
	{"integer-small", lwm2m.Integer, "17", lwm2m.IntegerValue(23)},
	{"integer-negative", lwm2m.Integer, "38 63", lwm2m.IntegerValue(-100)},
	{"integer-min", lwm2m.Integer, "3b 7fffffffffffffff", lwm2m.IntegerValue(math.MinInt64)},
	{"unsigned-max", lwm2m.Unsigned, "1b ffffffffffffffff", lwm2m.UnsignedValue(math.MaxUint64)},
	{"float-half", lwm2m.Float, "f9 4100", lwm2m.FloatValue(2.5)},
	{"float-single", lwm2m.Float, "fa 47c35000", lwm2m.FloatValue(100000)},
	{"float-double", lwm2m.Float, "fb 40516b851eb851ec", lwm2m.FloatValue(69.68)},
	{"boolean", lwm2m.Boolean, "f5", lwm2m.BoolValue(true)},
	{"opaque", lwm2m.Opaque, "44 11223344", lwm2m.OpaqueValue([]byte{0x11, 0x22, 0x33, 0x44})},
	{"time", lwm2m.Time, "1a 5182428f", lwm2m.TimeValue(1367491215)},
	{"objlnk", lwm2m.Objlnk, "65 31323a3334", lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: 12, Instance: 34})},
	{"objlnk-null", lwm2m.Objlnk, "6b 36353533353a3635353335", lwm2m.ObjlnkValue(lwm2m.NullObjLink)},
	{"corelnk", lwm2m.Corelnk, "64 3c2f333e", lwm2m.CorelnkValue([]byte("</3>"))},
	{"none", lwm2m.None, "f6", lwm2m.Value{}},
}

func TestValues(t *testing.T) {
	for _, c := range valueCases {
		t.Run(c.name, func(t *testing.T) {
			want := codectest.Unhex(t, c.hex)
			out, err := AppendValue([]byte{0xaa}, c.want)
			if err != nil || !bytes.Equal(out[1:], want) || out[0] != 0xaa {
				t.Fatalf("AppendValue: %x, %v", out, err)
			}
			if n := ValueLen(c.want); n != len(want) {
				t.Fatalf("ValueLen %d, wrote %d", n, len(want))
			}
			v, n, err := DecodeValue(c.t, append(want, 0xff))
			if err != nil || n != len(want) || !v.Equal(c.want) {
				t.Fatalf("DecodeValue: %v %d %v", show(rootPath, v), n, err)
			}
		})
	}
}

func TestValueErrors(t *testing.T) {
	for _, c := range []struct {
		t      lwm2m.Type
		hex    string
		class  error
		offset int
	}{
		{lwm2m.String, "", ErrTruncated, 0},
		{lwm2m.String, "62 61", ErrTruncated, 0},
		{lwm2m.Opaque, "63 616263", ErrMalformed, 0},
		{lwm2m.Corelnk, "f4", ErrMalformed, 0},
		{lwm2m.Time, "f9 3e00", ErrMalformed, 0},
		{lwm2m.None, "a0", ErrMalformed, 0},
		{lwm2m.None, "ff", ErrMalformed, 0},
		{lwm2m.Unsigned, "fb 43f0000000000000", ErrMalformed, 0}, // 2^64
		{lwm2m.Integer, "fb 43e0000000000000", ErrMalformed, 0},  // 2^63
		{lwm2m.Float, "3b fffffffffffffffe", ErrMalformed, 0},    // -2^64+1 has no exact float64
	} {
		_, _, err := DecodeValue(c.t, codectest.Unhex(t, c.hex))
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset {
			t.Errorf("%v %s: got %v, want %v at %d", c.t, c.hex, err, c.class, c.offset)
		}
	}
	// -2^63 as a float is an Integer, -2^64 a Float.
	if v, _, err := DecodeValue(lwm2m.Integer, codectest.Unhex(t, "fb c3e0000000000000")); err != nil || show(rootPath, v) != "/ integer -9223372036854775808" {
		t.Errorf("-2^63 as a float: %v %v", show(rootPath, v), err)
	}
	if v, _, err := DecodeValue(lwm2m.Float, codectest.Unhex(t, "3b ffffffffffffffff")); err != nil || show(rootPath, v) != "/ float -1.8446744073709552e+19" {
		t.Errorf("-2^64 as a float: %v %v", show(rootPath, v), err)
	}
	bad := lwm2m.StringValue([]byte{0xff})
	if out, err := AppendValue([]byte{1}, bad); !errors.Is(err, ErrMalformed) || len(out) != 1 {
		t.Errorf("invalid UTF-8: %x %v", out, err)
	}
	if ValueLen(bad) != -1 || ValueLen(lwm2m.CorelnkValue([]byte{0xff})) != -1 {
		t.Error("ValueLen of invalid UTF-8")
	}
}
