package mqttbridge

import (
	"math"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// TestValueJSON renders a value of every type, parses it back with its
// type, and checks the JSON text.
func TestValueJSON(t *testing.T) {
	tests := []struct {
		name string
		v    lwm2m.Value
		json string
	}{
		{"string", lwm2m.StringValue([]byte("Open Mobile Alliance")), `"Open Mobile Alliance"`},
		{"string escapes", lwm2m.StringValue([]byte("a\"b\\c\n<&>\x01é")), `"a\"b\\c\n<&>\u0001é"`},
		{"string empty", lwm2m.StringValue(nil), `""`},
		{"integer", lwm2m.IntegerValue(-42), `-42`},
		{"integer min", lwm2m.IntegerValue(math.MinInt64), `-9223372036854775808`},
		{"integer max", lwm2m.IntegerValue(math.MaxInt64), `9223372036854775807`},
		{"unsigned", lwm2m.UnsignedValue(7), `7`},
		{"unsigned max", lwm2m.UnsignedValue(math.MaxUint64), `18446744073709551615`},
		{"float", lwm2m.FloatValue(21.5), `21.5`},
		{"float integral", lwm2m.FloatValue(3), `3`},
		{"float negative zero", lwm2m.FloatValue(math.Copysign(0, -1)), `-0`},
		{"float small", lwm2m.FloatValue(1e-7), `1e-7`},
		{"float large", lwm2m.FloatValue(1e21), `1e+21`},
		{"float max", lwm2m.FloatValue(math.MaxFloat64), `1.7976931348623157e+308`},
		{"float NaN", lwm2m.FloatValue(math.NaN()), `"NaN"`},
		{"float +Inf", lwm2m.FloatValue(math.Inf(1)), `"+Inf"`},
		{"float -Inf", lwm2m.FloatValue(math.Inf(-1)), `"-Inf"`},
		{"boolean true", lwm2m.BoolValue(true), `true`},
		{"boolean false", lwm2m.BoolValue(false), `false`},
		{"opaque", lwm2m.OpaqueValue([]byte{1, 2, 3, 0xff}), `"AQID/w=="`},
		{"opaque empty", lwm2m.OpaqueValue(nil), `""`},
		{"time", lwm2m.TimeValue(1767366245), `1767366245`},
		{"time negative", lwm2m.TimeValue(-1), `-1`},
		{"objlnk", lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: 3, Instance: 0}), `"3:0"`},
		{"objlnk null", lwm2m.ObjlnkValue(lwm2m.NullObjLink), `"65535:65535"`},
		{"corelnk", lwm2m.CorelnkValue([]byte(`</3/0>;ver=1.1,</1/0>`)), `"</3/0>;ver=1.1,</1/0>"`},
		{"none", lwm2m.Value{}, `null`},
	}
	seen := map[lwm2m.Type]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen[tt.v.Type()] = true
			got := string(AppendValue([]byte("x"), tt.v))
			if got != "x"+tt.json {
				t.Fatalf("AppendValue = %s, want %s", got[1:], tt.json)
			}
			back, err := ParseValue(tt.v.Type(), []byte(tt.json))
			if err != nil {
				t.Fatalf("ParseValue(%v, %s): %v", tt.v.Type(), tt.json, err)
			}
			if !back.Equal(tt.v) {
				t.Errorf("round trip: %v, want %v", back, tt.v)
			}
		})
	}
	for typ := lwm2m.None; typ <= lwm2m.Corelnk; typ++ {
		if !seen[typ] {
			t.Errorf("no case for type %v", typ)
		}
	}
}

// TestParseValueLenient checks the conveniences ParseValue offers to
// commands, and its errors.
func TestParseValueLenient(t *testing.T) {
	ok := []struct {
		typ  lwm2m.Type
		json string
		want lwm2m.Value
	}{
		{lwm2m.Integer, `"42"`, lwm2m.IntegerValue(42)},
		{lwm2m.Integer, `20.0`, lwm2m.IntegerValue(20)},
		{lwm2m.Integer, `2e3`, lwm2m.IntegerValue(2000)},
		{lwm2m.Unsigned, `"18446744073709551615"`, lwm2m.UnsignedValue(math.MaxUint64)},
		{lwm2m.Float, `"1.5"`, lwm2m.FloatValue(1.5)},
		{lwm2m.Float, ` 2 `, lwm2m.FloatValue(2)},
		{lwm2m.Time, `"2026-01-02T15:04:05Z"`, lwm2m.TimeValue(1767366245)},
		{lwm2m.Time, `"1767366245"`, lwm2m.TimeValue(1767366245)},
		{lwm2m.Time, `1.767366245e9`, lwm2m.TimeValue(1767366245)},
	}
	for _, tt := range ok {
		v, err := ParseValue(tt.typ, []byte(tt.json))
		if err != nil || !v.Equal(tt.want) {
			t.Errorf("ParseValue(%v, %s) = %v, %v; want %v", tt.typ, tt.json, v, err, tt.want)
		}
	}
	bad := []struct {
		typ  lwm2m.Type
		json string
	}{
		{lwm2m.String, `42`},
		{lwm2m.Corelnk, `null`},
		{lwm2m.Integer, `20.5`},
		{lwm2m.Integer, `9223372036854775808`},
		{lwm2m.Integer, `true`},
		{lwm2m.Unsigned, `-1`},
		{lwm2m.Float, `"abc"`},
		{lwm2m.Float, `1e999`},
		{lwm2m.Float, `[1]`},
		{lwm2m.Boolean, `"true"`},
		{lwm2m.Boolean, `1`},
		{lwm2m.Opaque, `"not base64!"`},
		{lwm2m.Opaque, `[1,2]`},
		{lwm2m.Time, `"yesterday"`},
		{lwm2m.Objlnk, `"3"`},
		{lwm2m.Objlnk, `"3:65536"`},
		{lwm2m.Objlnk, `3`},
		{lwm2m.None, `0`},
		{lwm2m.String, ``},
		{lwm2m.String, `"unterminated`},
	}
	for _, tt := range bad {
		if v, err := ParseValue(tt.typ, []byte(tt.json)); err == nil {
			t.Errorf("ParseValue(%v, %s) = %v, want an error", tt.typ, tt.json, v)
		}
	}
}

func TestInferValue(t *testing.T) {
	tests := []struct {
		json string
		want lwm2m.Value
	}{
		{`"on"`, lwm2m.StringValue([]byte("on"))},
		{`true`, lwm2m.BoolValue(true)},
		{`false`, lwm2m.BoolValue(false)},
		{`null`, lwm2m.Value{}},
		{`600`, lwm2m.IntegerValue(600)},
		{`-3`, lwm2m.IntegerValue(-3)},
		{`18446744073709551615`, lwm2m.UnsignedValue(math.MaxUint64)},
		{`21.5`, lwm2m.FloatValue(21.5)},
		{`2e3`, lwm2m.FloatValue(2000)},
		{`1e400`, lwm2m.Value{}}, // error
	}
	for _, tt := range tests {
		v, err := InferValue([]byte(tt.json))
		if tt.json == `1e400` {
			if err == nil {
				t.Errorf("InferValue(%s) = %v, want an error", tt.json, v)
			}
			continue
		}
		if err != nil || !v.Equal(tt.want) {
			t.Errorf("InferValue(%s) = %v, %v; want %v", tt.json, v, err, tt.want)
		}
	}
	for _, s := range []string{`[1]`, `{"a":1}`, ``} {
		if _, err := InferValue([]byte(s)); err == nil {
			t.Errorf("InferValue(%s): no error", s)
		}
	}
}

// TestRecords round-trips records of every type through EncodeRecords.
func TestRecords(t *testing.T) {
	recs := []senml.Resolved{
		{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte("ACME"))},
		{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(87)},
		{Path: path.Resource(3, 0, 21), Value: lwm2m.UnsignedValue(1 << 40)},
		{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(21.25), Time: 1767366245.5, HasTime: true},
		{Path: path.Resource(1, 0, 6), Value: lwm2m.BoolValue(true)},
		{Path: path.Resource(5, 0, 0), Value: lwm2m.OpaqueValue([]byte("firmware"))},
		{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1767366245)},
		{Path: path.ResourceInstance(3, 0, 22, 1), Value: lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: 6, Instance: 0})},
		{Path: path.Resource(0, 0, 99), Value: lwm2m.CorelnkValue([]byte("</1/0>"))},
		{Path: path.Instance(3, 0)},
	}
	b, err := EncodeRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[{"path":"/3/0/0","type":"string","value":"ACME"},{"path":"/3/0/9","type":"integer","value":87},` +
		`{"path":"/3/0/21","type":"unsigned","value":1099511627776},{"path":"/3303/0/5700","type":"float","value":21.25,"time":1767366245.5},` +
		`{"path":"/1/0/6","type":"boolean","value":true},{"path":"/5/0/0","type":"opaque","value":"ZmlybXdhcmU="},` +
		`{"path":"/3/0/13","type":"time","value":1767366245},{"path":"/3/0/22/1","type":"objlnk","value":"6:0"},` +
		`{"path":"/0/0/99","type":"corelnk","value":"</1/0>"},{"path":"/3/0","type":"none","value":null}]`
	if string(b) != want {
		t.Errorf("EncodeRecords:\n got %s\nwant %s", b, want)
	}
	back, err := DecodeRecords(b)
	if err != nil {
		t.Fatal(err)
	}
	checkRecords(t, back, recs)
	if b, _ := EncodeRecords(nil); string(b) != "[]" {
		t.Errorf("EncodeRecords(nil) = %s", b)
	}
	for _, s := range []string{
		`[{"path":"/3/0/0","type":"strin","value":"x"}]`,
		`[{"path":"/3/0/0","value":"x"}]`,
		`[{"path":"3/0/0","type":"string","value":"x"}]`,
		`[{"path":"/3/0/0","type":"integer","value":"x"}]`,
		`{"path":"/3/0/0"}`,
	} {
		if _, err := DecodeRecords([]byte(s)); err == nil {
			t.Errorf("DecodeRecords(%s): no error", s)
		}
	}
}

func checkRecords(t *testing.T, got, want []senml.Resolved) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Path != w.Path || !g.Value.Equal(w.Value) || g.HasTime != w.HasTime || g.Time != w.Time {
			t.Errorf("record %d: %v %v %v %v, want %v %v %v %v", i, g.Path, g.Value, g.HasTime, g.Time, w.Path, w.Value, w.HasTime, w.Time)
		}
	}
}

func TestSummarize(t *testing.T) {
	recs := []senml.Resolved{
		{Path: path.Resource(3, 0, 13), Value: lwm2m.TimeValue(1767366245)},
		{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte(strings.Repeat("x", 60)))},
		{Path: path.Resource(3, 0, 1), Value: lwm2m.IntegerValue(1)},
		{Path: path.Resource(3, 0, 2), Value: lwm2m.IntegerValue(2)},
		{Path: path.Resource(3, 0, 3), Value: lwm2m.IntegerValue(3)},
	}
	got := summarize(recs)
	want := `/3/0/13=1767366245 (time), /3/0/0="` + strings.Repeat("x", 38) + `… (string), /3/0/1=1 (integer), /3/0/2=2 (integer) …`
	if got != want {
		t.Errorf("summarize:\n got %s\nwant %s", got, want)
	}
}
