package lwcbor

import (
	"math"
	"unicode/utf8"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
)

// DecodeValue reads the resource value at the start of b, one CBOR item in
// its LwM2M CBOR form, as type t, and returns it with the number of bytes
// it took. With t [lwm2m.None] the type follows the item:
//
//   - an unsigned integer (major type 0) is [lwm2m.Unsigned];
//   - a negative integer (major type 1) is [lwm2m.Integer] (below -2^63:
//     ErrUnsupported);
//   - a float of any width is [lwm2m.Float];
//   - a decimal fraction (tag 4) is an integer as above when its exponent
//     is >= 0 and the value fits, else a Float (RFC 8949 section 3.4.4);
//   - a text string is [lwm2m.String], a byte string [lwm2m.Opaque], true
//     and false [lwm2m.Boolean];
//   - null is a value of type None: a path without a value, as in a
//     Read-Composite request.
//
// With another t the item must fit the type (LwM2M Core Appendix C):
// Integer and Time take integers from -2^63 to 2^63-1, and floats and
// decimal fractions with such an integral value; Unsigned the same from 0
// to 2^64-1; Float any number that float64 holds exactly (every float, an
// integer up to 2^53, a decimal fraction rounded to nearest); Boolean true
// or false; String and Corelnk text; Opaque bytes; Objlnk text "oid:iid"
// (two decimal 16-bit numbers, as in the Plain Text format). Null is
// accepted for every type and gives a None value.
//
// Text must be UTF-8. String, Corelnk and Opaque values alias b. Errors are
// [*Error] values with the offset in b.
func DecodeValue(t lwm2m.Type, b []byte) (lwm2m.Value, int, error) {
	v, next, err := decodeValue(b, 0, t)
	if err != nil {
		return lwm2m.Value{}, 0, err
	}
	return v, next, nil
}

// decodeValue reads the value at b[off:] as type t (None: the wire type)
// and returns it and the offset past it.
func decodeValue(b []byte, off int, t lwm2m.Type) (lwm2m.Value, int, *Error) {
	h, e := wire.ReadCBORHead(b, off)
	if e != wire.CBOROK {
		return lwm2m.Value{}, off, cborErr("value", off, e)
	}
	switch h.Major {
	case wire.CBORUint, wire.CBORNeg, wire.CBORTag:
		n, next, e := wire.ReadCBORNumber(b, off)
		if e != wire.CBOROK {
			return lwm2m.Value{}, off, cborErr("value", next, e)
		}
		v, err := numberValue(n, t, off)
		return v, next, err
	case wire.CBORBytes, wire.CBORText:
		s, next, e := wire.ReadCBORString(b, off, h.Major)
		if e != wire.CBOROK {
			return lwm2m.Value{}, off, cborErr("value", next, e)
		}
		if h.Major == wire.CBORBytes {
			if t != lwm2m.None && t != lwm2m.Opaque {
				return lwm2m.Value{}, off, mismatch(off, t)
			}
			return lwm2m.OpaqueValue(s), next, nil
		}
		switch t {
		case lwm2m.None, lwm2m.String:
			return lwm2m.StringValue(s), next, nil
		case lwm2m.Corelnk:
			return lwm2m.CorelnkValue(s), next, nil
		case lwm2m.Objlnk:
			l, bad := parseObjlnk(s)
			if bad >= 0 {
				return lwm2m.Value{}, off, decErr("value", h.End+bad, ErrMalformed, ruleTypes, "objlnk is not \"oid:iid\"")
			}
			return lwm2m.ObjlnkValue(l), next, nil
		}
		return lwm2m.Value{}, off, mismatch(off, t)
	case wire.CBORArray:
		return lwm2m.Value{}, off, decErr("value", off, ErrMalformed, ruleKey, "an array is a key, not a value")
	case wire.CBORMap:
		return lwm2m.Value{}, off, decErr("value", off, ErrMalformed, ruleCBOR, "a map where a value is expected")
	}
	// Major type 7.
	switch {
	case h.IsFloat():
		f, next, _ := wire.ReadCBORFloat(b, off)
		v, err := numberValue(wire.CBORNum{Float: true, F: f}, t, off)
		return v, next, err
	case h.Info == wire.CBORFalse || h.Info == wire.CBORTrue:
		if t != lwm2m.None && t != lwm2m.Boolean {
			return lwm2m.Value{}, off, mismatch(off, t)
		}
		return lwm2m.BoolValue(h.Info == wire.CBORTrue), h.End, nil
	case h.Info == wire.CBORNull:
		return lwm2m.Value{}, h.End, nil
	case h.IsBreak():
		return lwm2m.Value{}, off, decErr("value", off, ErrMalformed, "RFC 8949 3.2.2: a map has pairs", "break in place of a value")
	}
	return lwm2m.Value{}, off, decErr("value", off, ErrMalformed, ruleTypes, "simple value is not a resource value")
}

// numberValue converts a CBOR number to a value of type t (None: the wire
// type).
func numberValue(n wire.CBORNum, t lwm2m.Type, off int) (lwm2m.Value, *Error) {
	switch t {
	case lwm2m.None:
		switch {
		case n.Float:
			return lwm2m.FloatValue(n.F), nil
		case n.Neg:
			i, ok := n.Int64()
			if !ok {
				return lwm2m.Value{}, decErr("value", off, ErrUnsupported, ruleTypes, "integer below -2^63")
			}
			return lwm2m.IntegerValue(i), nil
		}
		return lwm2m.UnsignedValue(n.N), nil
	case lwm2m.Integer, lwm2m.Time:
		i, ok := n.Int64()
		if n.Float {
			i, ok = floatInt(n.F)
		}
		if !ok {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "not an integer from -2^63 to 2^63-1")
		}
		if t == lwm2m.Time {
			return lwm2m.TimeValue(i), nil
		}
		return lwm2m.IntegerValue(i), nil
	case lwm2m.Unsigned:
		u, ok := n.Uint64()
		if n.Float {
			u, ok = floatUint(n.F)
		}
		if !ok {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "not an integer from 0 to 2^64-1")
		}
		return lwm2m.UnsignedValue(u), nil
	case lwm2m.Float:
		f, exact := n.Float64()
		if !exact {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "integer has no exact float64 value")
		}
		return lwm2m.FloatValue(f), nil
	}
	return lwm2m.Value{}, mismatch(off, t)
}

// floatInt returns f as an int64 if it is integral and in range.
func floatInt(f float64) (int64, bool) {
	if f != math.Trunc(f) || f < -0x1p63 || f >= 0x1p63 {
		return 0, false // NaN fails the first test
	}
	return int64(f), true
}

// floatUint returns f as a uint64 if it is integral and in range.
func floatUint(f float64) (uint64, bool) {
	if f != math.Trunc(f) || f < 0 || f >= 0x1p64 {
		return 0, false
	}
	return uint64(f), true
}

// mismatch is the error for a CBOR item that cannot hold a value of type t.
func mismatch(off int, t lwm2m.Type) *Error {
	return decErr("value", off, ErrMalformed, ruleTypes, typeMsgs[t])
}

var typeMsgs = [...]string{
	lwm2m.None:     "not a value",
	lwm2m.String:   "a String resource takes a text string",
	lwm2m.Integer:  "an Integer resource takes an integer",
	lwm2m.Unsigned: "an Unsigned Integer resource takes an unsigned integer",
	lwm2m.Float:    "a Float resource takes a number",
	lwm2m.Boolean:  "a Boolean resource takes true or false",
	lwm2m.Opaque:   "an Opaque resource takes a byte string",
	lwm2m.Time:     "a Time resource takes an integer",
	lwm2m.Objlnk:   "an Objlnk resource takes a text string \"oid:iid\"",
	lwm2m.Corelnk:  "a Corelnk resource takes a text string",
}

// parseObjlnk parses "oid:iid", two decimal numbers of 0 to 65535 without
// leading zeros or signs (the Plain Text form, LwM2M Core Appendix C). It
// returns the offset of the first bad byte, or -1.
func parseObjlnk(s []byte) (lwm2m.ObjLink, int) {
	var ids [2]uint16
	i := 0
	for k := range ids {
		start, v := i, 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			v = v*10 + int(s[i]-'0')
			if v > math.MaxUint16 || i > start && s[start] == '0' {
				return lwm2m.ObjLink{}, start
			}
			i++
		}
		if i == start {
			return lwm2m.ObjLink{}, i
		}
		ids[k] = uint16(v)
		if k == 0 {
			if i == len(s) || s[i] != ':' {
				return lwm2m.ObjLink{}, i
			}
			i++
		}
	}
	if i != len(s) {
		return lwm2m.ObjLink{}, i
	}
	return lwm2m.ObjLink{Object: ids[0], Instance: ids[1]}, -1
}

// AppendValue appends v in its LwM2M CBOR form: String and Corelnk as text
// (which must be UTF-8), Opaque as bytes, Integer and Time as integers,
// Unsigned as an unsigned integer, Float as a float of the shortest width
// that holds it exactly, Boolean as true or false, Objlnk as the text
// "oid:iid", and None as null. Integers and lengths take the shortest head.
// On error b is returned unchanged.
func AppendValue(b []byte, v lwm2m.Value) ([]byte, error) {
	out, err := appendValue(b, v)
	if err != nil {
		return b, err
	}
	return out, nil
}

func appendValue(b []byte, v lwm2m.Value) ([]byte, *Error) {
	switch v.Type() {
	case lwm2m.None:
		return wire.AppendCBORNull(b), nil
	case lwm2m.String, lwm2m.Corelnk:
		s, _ := v.Bytes()
		if !utf8.Valid(s) {
			return b, encErr("value", rootPath, ErrMalformed, "RFC 8949 3.1: text strings are UTF-8", "text is not UTF-8")
		}
		return wire.AppendCBORString(b, wire.CBORText, s), nil
	case lwm2m.Opaque:
		s, _ := v.Bytes()
		return wire.AppendCBORString(b, wire.CBORBytes, s), nil
	case lwm2m.Integer:
		i, _ := v.Integer()
		return wire.AppendCBORInt(b, i), nil
	case lwm2m.Time:
		i, _ := v.Time()
		return wire.AppendCBORInt(b, i), nil
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		return wire.AppendCBORUint(b, u), nil
	case lwm2m.Float:
		f, _ := v.Float()
		return wire.AppendCBORFloat(b, f), nil
	case lwm2m.Boolean:
		x, _ := v.Bool()
		return wire.AppendCBORBool(b, x), nil
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		n := decimalLen(l.Object) + 1 + decimalLen(l.Instance) // at most 11: a one-byte head
		b = append(b, wire.CBORText<<5|byte(n))
		return lwm2m.AppendObjlnk(b, l), nil
	}
	return b, encErr("value", rootPath, ErrUnsupported, ruleTypes, "unknown type")
}

// ValueLen returns the length AppendValue writes for v, or -1 when it
// would fail.
func ValueLen(v lwm2m.Value) int {
	switch v.Type() {
	case lwm2m.None, lwm2m.Boolean:
		return 1
	case lwm2m.String, lwm2m.Corelnk, lwm2m.Opaque:
		s, _ := v.Bytes()
		if v.Type() != lwm2m.Opaque && !utf8.Valid(s) {
			return -1
		}
		return wire.CBORHeadLen(uint64(len(s))) + len(s)
	case lwm2m.Integer:
		i, _ := v.Integer()
		return wire.CBORIntLen(i)
	case lwm2m.Time:
		i, _ := v.Time()
		return wire.CBORIntLen(i)
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		return wire.CBORHeadLen(u)
	case lwm2m.Float:
		f, _ := v.Float()
		return wire.CBORFloatLen(f)
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		return 2 + decimalLen(l.Object) + decimalLen(l.Instance)
	}
	return -1
}

func decimalLen(v uint16) int {
	switch {
	case v < 10:
		return 1
	case v < 100:
		return 2
	case v < 1000:
		return 3
	case v < 10000:
		return 4
	}
	return 5
}
