package mqttbridge

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// The JSON rendering of LwM2M values, after iotwire's CLI contract
// (iotwire decode --proto tlv): a record is {"path", "type", "value"}
// with the type named as lwm2m.Type.String writes it. Differences: opaque
// values are base64 (standard alphabet, padded) rather than hex, which is
// what JSON consumers expect, and a float that JSON cannot hold (NaN,
// infinities) is the string "NaN", "+Inf" or "-Inf".

// AppendValue appends v as a JSON value by its type: "string" and
// "corelnk" a string, "integer", "unsigned" and "time" (seconds since
// 1970) an integer, "float" a number, "boolean" true or false, "opaque" a
// base64 string, "objlnk" "object:instance" (such as "3:0"), "none" null.
func AppendValue(b []byte, v lwm2m.Value) []byte {
	switch v.Type() {
	case lwm2m.String, lwm2m.Corelnk:
		s, _ := v.Bytes()
		return appendJSONString(b, s)
	case lwm2m.Integer:
		i, _ := v.Integer()
		return strconv.AppendInt(b, i, 10)
	case lwm2m.Time:
		i, _ := v.Time()
		return strconv.AppendInt(b, i, 10)
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		return strconv.AppendUint(b, u, 10)
	case lwm2m.Float:
		f, _ := v.Float()
		return appendJSONFloat(b, f)
	case lwm2m.Boolean:
		x, _ := v.Bool()
		return strconv.AppendBool(b, x)
	case lwm2m.Opaque:
		o, _ := v.Bytes()
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, o)
		return append(b, '"')
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		b = append(b, '"')
		b = lwm2m.AppendObjlnk(b, l)
		return append(b, '"')
	default: // None
		return append(b, "null"...)
	}
}

// appendJSONFloat writes f the way encoding/json does (the shortest form
// that parses back to f, an exponent below 1e-6 and from 1e21 on), and a
// non-finite f as a string.
func appendJSONFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Inf"`...)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 to e-7, as encoding/json
		b = b[:n-1]
	}
	return b
}

// appendJSONString appends s as a JSON string without HTML escaping (so a
// CoRE link reads "</3/0>"); invalid UTF-8 becomes U+FFFD.
func appendJSONString(b, s []byte) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(string(s)) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...)
}

// ParseValue reads the JSON value raw as a value of type t, the inverse of
// AppendValue. It also accepts, for convenience in commands: a number
// written as a JSON string for the numeric types ("42"), and for "time"
// an RFC 3339 date ("2026-01-02T15:04:05Z"). Bytes of the result do not
// alias raw.
func ParseValue(t lwm2m.Type, raw []byte) (lwm2m.Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return lwm2m.Value{}, errors.New("missing value")
	}
	var str string
	isString := raw[0] == '"'
	if isString {
		if err := json.Unmarshal(raw, &str); err != nil {
			return lwm2m.Value{}, err
		}
	}
	bad := func(want string) (lwm2m.Value, error) {
		return lwm2m.Value{}, errors.New(t.String() + " value: want " + want + ", got " + abbreviate(raw))
	}
	// number is the text of a number: the JSON number, or a string's content.
	number := string(raw)
	if isString {
		number = str
	}
	switch t {
	case lwm2m.String, lwm2m.Corelnk:
		if !isString {
			return bad("a JSON string")
		}
		if t == lwm2m.Corelnk {
			return lwm2m.CorelnkValue([]byte(str)), nil
		}
		return lwm2m.StringValue([]byte(str)), nil
	case lwm2m.Integer:
		if i, err := strconv.ParseInt(number, 10, 64); err == nil {
			return lwm2m.IntegerValue(i), nil
		}
		if f, ok := integralFloat(number); ok && f >= -(1<<63) && f < 1<<63 {
			return lwm2m.IntegerValue(int64(f)), nil // 20.0 or 2e3
		}
		return bad("an integer from -2^63 to 2^63-1")
	case lwm2m.Unsigned:
		if u, err := strconv.ParseUint(number, 10, 64); err == nil {
			return lwm2m.UnsignedValue(u), nil
		}
		if f, ok := integralFloat(number); ok && f >= 0 && f < 1<<64 {
			return lwm2m.UnsignedValue(uint64(f)), nil
		}
		return bad("an integer from 0 to 2^64-1")
	case lwm2m.Time:
		if i, err := strconv.ParseInt(number, 10, 64); err == nil {
			return lwm2m.TimeValue(i), nil
		}
		if f, ok := integralFloat(number); ok && f >= -(1<<63) && f < 1<<63 {
			return lwm2m.TimeValue(int64(f)), nil
		}
		if isString {
			if tm, err := time.Parse(time.RFC3339, str); err == nil {
				return lwm2m.TimeValue(tm.Unix()), nil
			}
		}
		return bad("seconds since 1970 or an RFC 3339 date")
	case lwm2m.Float:
		switch number {
		case "NaN":
			return lwm2m.FloatValue(math.NaN()), nil
		case "+Inf", "Inf":
			return lwm2m.FloatValue(math.Inf(1)), nil
		case "-Inf":
			return lwm2m.FloatValue(math.Inf(-1)), nil
		}
		if f, err := strconv.ParseFloat(number, 64); err == nil && !math.IsInf(f, 0) && (isString || json.Valid(raw)) {
			return lwm2m.FloatValue(f), nil
		}
		return bad("a number")
	case lwm2m.Boolean:
		switch string(raw) {
		case "true":
			return lwm2m.BoolValue(true), nil
		case "false":
			return lwm2m.BoolValue(false), nil
		}
		return bad("true or false")
	case lwm2m.Opaque:
		if !isString {
			return bad("a base64 string")
		}
		b, err := base64.StdEncoding.DecodeString(str)
		if err != nil {
			return bad("a base64 string")
		}
		return lwm2m.OpaqueValue(b), nil
	case lwm2m.Objlnk:
		if l, ok := lwm2m.ParseObjlnk([]byte(str)); isString && ok {
			return lwm2m.ObjlnkValue(l), nil
		}
		return bad(`"object:instance" such as "3:0"`)
	case lwm2m.None:
		if string(raw) != "null" {
			return bad("null")
		}
		return lwm2m.Value{}, nil
	}
	return lwm2m.Value{}, errors.New("unknown type " + t.String())
}

// integralFloat parses a JSON number with an integral value, such as 20.0.
func integralFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && f == math.Trunc(f) && !math.IsInf(f, 0)
}

// InferValue reads a JSON value whose type nobody gave: a string is
// "string", true and false "boolean", an integral number "integer" (or
// "unsigned" above 2^63-1), another number "float", null "none".
func InferValue(raw []byte) (lwm2m.Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return lwm2m.Value{}, errors.New("missing value")
	}
	switch c := raw[0]; {
	case c == '"':
		return ParseValue(lwm2m.String, raw)
	case c == 't' || c == 'f':
		return ParseValue(lwm2m.Boolean, raw)
	case c == 'n':
		return ParseValue(lwm2m.None, raw)
	case c == '-' || '0' <= c && c <= '9':
		if v, err := ParseValue(lwm2m.Integer, raw); err == nil && !bytes.ContainsAny(raw, ".eE") {
			return v, nil
		}
		if v, err := ParseValue(lwm2m.Unsigned, raw); err == nil && !bytes.ContainsAny(raw, ".eE") {
			return v, nil
		}
		return ParseValue(lwm2m.Float, raw)
	}
	return lwm2m.Value{}, errors.New("cannot tell the type of " + abbreviate(raw) + ": give \"type\"")
}

// abbreviate quotes the start of a JSON text for an error message.
func abbreviate(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}

// record is the JSON shape of one resource value.
type record struct {
	Path  string          `json:"path"`
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
	Time  *float64        `json:"time,omitempty"` // SenML time, seconds (RFC 8428 4.5.3)
}

func toRecord(r senml.Resolved) record {
	out := record{Path: r.Path.String(), Type: r.Value.Type().String(), Value: AppendValue(nil, r.Value)}
	if r.HasTime {
		t := r.Time
		out.Time = &t
	}
	return out
}

func toRecords(rs []senml.Resolved) []record {
	if rs == nil {
		return nil
	}
	out := make([]record, len(rs))
	for i, r := range rs {
		out[i] = toRecord(r)
	}
	return out
}

// fromRecord reads a record; its type must be given.
func fromRecord(r record) (senml.Resolved, error) {
	var out senml.Resolved
	p, err := path.Parse(r.Path)
	if err != nil {
		return out, errors.New("path " + strconv.Quote(r.Path) + ": " + err.Error())
	}
	t, ok := lwm2m.ParseType(r.Type)
	if !ok || r.Type == "" {
		return out, errors.New("record " + r.Path + ": unknown type " + strconv.Quote(r.Type))
	}
	if r.Value == nil {
		r.Value = json.RawMessage("null")
	}
	v, err := ParseValue(t, r.Value)
	if err != nil {
		return out, errors.New("record " + r.Path + ": " + err.Error())
	}
	out.Path, out.Value = p, v
	if r.Time != nil {
		out.Time, out.HasTime = *r.Time, true
	}
	return out, nil
}

func fromRecords(rs []record) ([]senml.Resolved, error) {
	if rs == nil {
		return nil, nil
	}
	out := make([]senml.Resolved, len(rs))
	for i, r := range rs {
		var err error
		if out[i], err = fromRecord(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EncodeRecords renders resource values as a JSON array of records:
// [{"path":"/3/0/13","type":"time","value":1767366245}, ...], with
// "time" (seconds, as SenML resolved it) when a value has one.
func EncodeRecords(rs []senml.Resolved) ([]byte, error) {
	if rs == nil {
		rs = []senml.Resolved{}
	}
	return marshal(toRecords(rs))
}

// DecodeRecords reads what EncodeRecords writes.
func DecodeRecords(b []byte) ([]senml.Resolved, error) {
	var rs []record
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, err
	}
	return fromRecords(rs)
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}
