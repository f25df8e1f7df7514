package lwm2m

import (
	"math"
	"strconv"
)

// Type is a resource data type (LwM2M Core 1.2 Appendix C).
type Type uint8

// The resource types. None is the type of an Executable resource and of a
// value that carries nothing (an empty instance in a Discover response).
const (
	None Type = iota
	String
	Integer
	Unsigned
	Float
	Boolean
	Opaque
	Time
	Objlnk
	Corelnk
)

// The names used by the object model XML files and by iotwire's JSON.
var typeNames = [...]string{"none", "string", "integer", "unsigned", "float", "boolean", "opaque", "time", "objlnk", "corelnk"}

// String returns the type name as iotwire's JSON writes it: "string",
// "integer", "unsigned", "float", "boolean", "opaque", "time", "objlnk",
// "corelnk" or "none".
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// ParseType returns the type named s (as String writes it; the object model
// spellings "Unsigned Integer" and "Corelnk" are accepted too).
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if n == s {
			return Type(i), true
		}
	}
	switch s {
	case "String":
		return String, true
	case "Integer":
		return Integer, true
	case "Unsigned Integer":
		return Unsigned, true
	case "Float":
		return Float, true
	case "Boolean":
		return Boolean, true
	case "Opaque":
		return Opaque, true
	case "Time":
		return Time, true
	case "Objlnk":
		return Objlnk, true
	case "Corelnk":
		return Corelnk, true
	case "None", "":
		return None, true
	}
	return None, false
}

// ObjLink is an Objlnk value: an object ID and an object instance ID
// (LwM2M Core 1.2 Appendix C). 65535:65535 is the null link.
type ObjLink struct {
	Object, Instance uint16
}

// NullObjLink is the Objlnk value that points nowhere.
var NullObjLink = ObjLink{0xffff, 0xffff}

// Value is one resource value of any Type. The zero Value has type None.
// Make values with the constructors; read them with the accessor of their
// type, which reports false for a value of another type.
type Value struct {
	typ Type
	num uint64 // Integer and Time: int64 bits; Unsigned; Float: float64 bits; Boolean 0/1; Objlnk: object<<16|instance
	b   []byte // String, Opaque, Corelnk
}

// StringValue returns a String value aliasing s (UTF-8 text).
func StringValue(s []byte) Value { return Value{typ: String, b: s} }

// IntegerValue returns an Integer value.
func IntegerValue(v int64) Value { return Value{typ: Integer, num: uint64(v)} }

// UnsignedValue returns an Unsigned Integer value.
func UnsignedValue(v uint64) Value { return Value{typ: Unsigned, num: v} }

// FloatValue returns a Float value.
func FloatValue(v float64) Value { return Value{typ: Float, num: math.Float64bits(v)} }

// BoolValue returns a Boolean value.
func BoolValue(v bool) Value {
	var n uint64
	if v {
		n = 1
	}
	return Value{typ: Boolean, num: n}
}

// OpaqueValue returns an Opaque value aliasing b.
func OpaqueValue(b []byte) Value { return Value{typ: Opaque, b: b} }

// TimeValue returns a Time value: seconds since the Unix epoch.
func TimeValue(sec int64) Value { return Value{typ: Time, num: uint64(sec)} }

// ObjlnkValue returns an Objlnk value.
func ObjlnkValue(l ObjLink) Value {
	return Value{typ: Objlnk, num: uint64(l.Object)<<16 | uint64(l.Instance)}
}

// CorelnkValue returns a Corelnk value (CoRE Link Format text) aliasing b.
func CorelnkValue(b []byte) Value { return Value{typ: Corelnk, b: b} }

// Type returns the value's type.
func (v Value) Type() Type { return v.typ }

// Integer returns an Integer value.
func (v Value) Integer() (int64, bool) { return int64(v.num), v.typ == Integer }

// Unsigned returns an Unsigned Integer value.
func (v Value) Unsigned() (uint64, bool) { return v.num, v.typ == Unsigned }

// Float returns a Float value.
func (v Value) Float() (float64, bool) { return math.Float64frombits(v.num), v.typ == Float }

// Bool returns a Boolean value.
func (v Value) Bool() (bool, bool) { return v.num != 0, v.typ == Boolean }

// Time returns a Time value in seconds since the Unix epoch.
func (v Value) Time() (int64, bool) { return int64(v.num), v.typ == Time }

// Objlnk returns an Objlnk value.
func (v Value) Objlnk() (ObjLink, bool) {
	return ObjLink{uint16(v.num >> 16), uint16(v.num)}, v.typ == Objlnk
}

// Bytes returns the bytes of a String, Opaque or Corelnk value.
func (v Value) Bytes() ([]byte, bool) {
	return v.b, v.typ == String || v.typ == Opaque || v.typ == Corelnk
}

// Equal reports whether v and w have the same type and value (bytes
// compared by content; floats by bits, so NaN equals the same NaN).
func (v Value) Equal(w Value) bool {
	if v.typ != w.typ || v.num != w.num || len(v.b) != len(w.b) {
		return false
	}
	for i := range v.b {
		if v.b[i] != w.b[i] {
			return false
		}
	}
	return true
}
