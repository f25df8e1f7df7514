package tlv

import (
	"math"
	"unicode/utf8"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
)

// The TLV forms of the resource data types (LwM2M Core Appendix C, TLV
// column):
//   - Integer and Time: a signed two's-complement big-endian integer of 1,
//     2, 4 or 8 bytes (Time counts seconds since the Unix epoch);
//   - Unsigned Integer: an unsigned big-endian integer of 1, 2, 4 or 8 bytes;
//   - Float: IEEE 754 binary32 (4 bytes) or binary64 (8 bytes);
//   - Boolean: 1 byte, 0 or 1 ("The Length of a Boolean value MUST always
//     be 1 byte");
//   - String and Corelnk: UTF-8 text, any length;
//   - Opaque: the bytes as they are;
//   - Objlnk: two 16-bit unsigned integers, Object ID then Object Instance
//     ID (4 bytes);
//   - None (an Executable resource): no bytes.

// DecodeValue converts the value bytes b of a Resource or Resource Instance
// TLV to a value of type t. String, Opaque and Corelnk values alias b.
//
// Integer, Unsigned Integer and Time accept any of the lengths 1, 2, 4 and
// 8, not only the shortest (the specification does not ask for the
// shortest). String and Corelnk must be valid UTF-8. Errors are [*Error]
// values with offsets within b, wrapping [ErrMalformed] (or
// [ErrUnsupported] for an unknown Type).
func DecodeValue(t lwm2m.Type, b []byte) (lwm2m.Value, error) {
	v, err := decodeValue(t, b, 0)
	if err != nil {
		return lwm2m.Value{}, err
	}
	return v, nil
}

// decodeValue is DecodeValue with the offset of b in the input, for errors.
// It returns a *Error, not an error, so that the success path stores no
// interface.
func decodeValue(t lwm2m.Type, b []byte, off int) (lwm2m.Value, *Error) {
	switch t {
	case lwm2m.Integer, lwm2m.Time:
		n, ok := beUint(b)
		if !ok {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "integer is not 1, 2, 4 or 8 bytes long")
		}
		shift := 64 - 8*uint(len(b))
		i := int64(n<<shift) >> shift // sign-extend
		if t == lwm2m.Time {
			return lwm2m.TimeValue(i), nil
		}
		return lwm2m.IntegerValue(i), nil
	case lwm2m.Unsigned:
		n, ok := beUint(b)
		if !ok {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "unsigned integer is not 1, 2, 4 or 8 bytes long")
		}
		return lwm2m.UnsignedValue(n), nil
	case lwm2m.Float:
		switch len(b) {
		case 4:
			return lwm2m.FloatValue(float64(math.Float32frombits(wire.Uint32(b)))), nil
		case 8:
			return lwm2m.FloatValue(math.Float64frombits(uint64(wire.Uint32(b))<<32 | uint64(wire.Uint32(b[4:])))), nil
		}
		return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "float is not 4 or 8 bytes long")
	case lwm2m.Boolean:
		if len(b) != 1 {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleBoolean, "boolean is not 1 byte long")
		}
		if b[0] > 1 {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleBoolean, "boolean is neither 0 nor 1")
		}
		return lwm2m.BoolValue(b[0] == 1), nil
	case lwm2m.String, lwm2m.Corelnk:
		if !utf8.Valid(b) {
			return lwm2m.Value{}, decErr("value", off+invalidUTF8(b), ErrMalformed, ruleTypes, "text is not valid UTF-8")
		}
		if t == lwm2m.String {
			return lwm2m.StringValue(b), nil
		}
		return lwm2m.CorelnkValue(b), nil
	case lwm2m.Opaque:
		return lwm2m.OpaqueValue(b), nil
	case lwm2m.Objlnk:
		if len(b) != 4 {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "object link is not 4 bytes long")
		}
		return lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: wire.Uint16(b), Instance: wire.Uint16(b[2:])}), nil
	case lwm2m.None:
		if len(b) != 0 {
			return lwm2m.Value{}, decErr("value", off, ErrMalformed, ruleTypes, "value for a resource of type none")
		}
		return lwm2m.Value{}, nil
	}
	return lwm2m.Value{}, decErr("value", off, ErrUnsupported, ruleTypes, "unknown resource type")
}

// beUint reads a big-endian unsigned integer of 1, 2, 4 or 8 bytes.
func beUint(b []byte) (uint64, bool) {
	switch len(b) {
	case 1, 2, 4, 8:
	default:
		return 0, false
	}
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return n, true
}

// invalidUTF8 returns the offset of the first invalid UTF-8 sequence in b.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// intLen returns the shortest of 1, 2, 4 and 8 bytes that holds i in two's
// complement.
func intLen(i int64) int {
	switch {
	case i == int64(int8(i)):
		return 1
	case i == int64(int16(i)):
		return 2
	case i == int64(int32(i)):
		return 4
	}
	return 8
}

// uintLen returns the shortest of 1, 2, 4 and 8 bytes that holds u.
func uintLen(u uint64) int {
	switch {
	case u <= math.MaxUint8:
		return 1
	case u <= math.MaxUint16:
		return 2
	case u <= math.MaxUint32:
		return 4
	}
	return 8
}

// floatIs32 reports whether f survives a round trip through binary32 bit
// for bit, so that 4 bytes carry it exactly.
func floatIs32(f float64) bool {
	return math.Float64bits(float64(float32(f))) == math.Float64bits(f)
}

// ValueLen returns the number of bytes AppendValue writes for v: the
// shortest integer width, 4 bytes for a float that binary32 holds exactly
// and 8 otherwise, 1 for a Boolean, 4 for an Objlnk, the length of text and
// opaque values, 0 for None.
func ValueLen(v lwm2m.Value) int {
	switch v.Type() {
	case lwm2m.Integer:
		i, _ := v.Integer()
		return intLen(i)
	case lwm2m.Time:
		i, _ := v.Time()
		return intLen(i)
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		return uintLen(u)
	case lwm2m.Float:
		if f, _ := v.Float(); floatIs32(f) {
			return 4
		}
		return 8
	case lwm2m.Boolean:
		return 1
	case lwm2m.Objlnk:
		return 4
	}
	b, _ := v.Bytes()
	return len(b)
}

// AppendValue appends the TLV form of v (the value bytes of a Resource or
// Resource Instance TLV, without a header) to b, in the shortest form: see
// ValueLen. It fails, returning b unchanged, for String and Corelnk values
// that are not valid UTF-8 and for an unknown type.
func AppendValue(b []byte, v lwm2m.Value) ([]byte, error) {
	out, err := appendValue(b, v)
	if err != nil {
		return b, err
	}
	return out, nil
}

func appendValue(b []byte, v lwm2m.Value) ([]byte, *Error) {
	switch v.Type() {
	case lwm2m.Integer, lwm2m.Time:
		i, _ := v.Integer()
		if v.Type() == lwm2m.Time {
			i, _ = v.Time()
		}
		return appendBE(b, uint64(i), intLen(i)), nil
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		return appendBE(b, u, uintLen(u)), nil
	case lwm2m.Float:
		f, _ := v.Float()
		if floatIs32(f) {
			return wire.AppendUint32(b, math.Float32bits(float32(f))), nil
		}
		return appendBE(b, math.Float64bits(f), 8), nil
	case lwm2m.Boolean:
		t, _ := v.Bool()
		if t {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		return wire.AppendUint16(wire.AppendUint16(b, l.Object), l.Instance), nil
	case lwm2m.String, lwm2m.Corelnk:
		s, _ := v.Bytes()
		if !utf8.Valid(s) {
			return b, encErr("value", rootPath, ErrMalformed, ruleTypes, "text is not valid UTF-8")
		}
		return append(b, s...), nil
	case lwm2m.Opaque:
		s, _ := v.Bytes()
		return append(b, s...), nil
	case lwm2m.None:
		return b, nil
	}
	return b, encErr("value", rootPath, ErrUnsupported, ruleTypes, "unknown resource type")
}

// appendBE appends the low n bytes of u in big-endian order.
func appendBE(b []byte, u uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(u>>(8*uint(i))))
	}
	return b
}
