package senml

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// rawRecords reads every raw record of b, copying their bytes.
func rawRecords(b []byte, lim Limits) ([]Record, error) {
	var d JSONDecoder
	d.Reset(b, lim)
	var recs []Record
	for r, ok := d.Next(); ok; r, ok = d.Next() {
		for _, p := range []*[]byte{&r.BaseName, &r.BaseUnit, &r.Name, &r.Unit, &r.String, &r.Data, &r.ObjLink} {
			*p = bytes.Clone(*p)
		}
		recs = append(recs, r)
	}
	return recs, d.Err()
}

// showRecord formats a raw record, one "label=value" per field present.
func showRecord(r Record) string {
	var parts []string
	num := func(n Number) string {
		if n.IsFloat() {
			return strconv.FormatUint(math.Float64bits(n.Float()), 16) + "f"
		}
		if i, ok := n.Int(); ok {
			return strconv.FormatInt(i, 10)
		}
		u, _ := n.Uint()
		return strconv.FormatUint(u, 10) + "u"
	}
	for _, f := range recordOrder {
		if !r.Has(f) {
			continue
		}
		var v string
		switch f {
		case BaseName:
			v = strconv.Quote(string(r.BaseName))
		case BaseUnit:
			v = strconv.Quote(string(r.BaseUnit))
		case Name:
			v = strconv.Quote(string(r.Name))
		case Unit:
			v = strconv.Quote(string(r.Unit))
		case StringValue:
			v = strconv.Quote(string(r.String))
		case DataValue:
			v = strconv.Quote(string(r.Data))
		case ObjLinkValue:
			v = strconv.Quote(string(r.ObjLink))
		case BoolValue:
			v = strconv.FormatBool(r.Bool)
		case BaseVersion:
			v = strconv.FormatInt(r.BaseVersion, 10)
		case BaseTime:
			v = num(r.BaseTime)
		case BaseValue:
			v = num(r.BaseValue)
		case BaseSum:
			v = num(r.BaseSum)
		case Value:
			v = num(r.Value)
		case Sum:
			v = num(r.Sum)
		case Time:
			v = num(r.Time)
		case UpdateTime:
			v = num(r.UpdateTime)
		}
		parts = append(parts, f.Label()+"="+v)
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func showRecords(recs []Record) string {
	var s []string
	for _, r := range recs {
		s = append(s, showRecord(r))
	}
	return strings.Join(s, "\n")
}

func TestJSONDecoderFields(t *testing.T) {
	in := `[{"bver":10,"bn":"/3/","bt":1.5,"bu":"m","bv":-2,"bs":1e3,"n":"0/1","u":"s","v":18446744073709551615,"s":0,"t":-0.0,"ut":60,"x":[{}]},` +
		`{"vs":"\"\u00e9\ud83d\ude00\"","vb":true},{"vd":"AQID","vlo":"3:0"},{}]`
	recs, err := rawRecords([]byte(in), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{bver=10 bn="/3/" bt=3ff8000000000000f bu="m" bv=-2 bs=408f400000000000f n="0/1" u="s" v=18446744073709551615u s=0 t=8000000000000000f ut=60}
{vs="\"é😀\"" vb=true}
{vd="\x01\x02\x03" vlo="3:0"}
{}`
	if got := showRecords(recs); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// AppendJSON writes them back; decoding that gives the same records.
	out, err := AppendJSON(nil, recs)
	if err != nil {
		t.Fatal(err)
	}
	const wantOut = `[{"bver":10,"bn":"/3/","bt":1.5,"bu":"m","bv":-2,"bs":1000.0,"n":"0/1","u":"s","v":18446744073709551615,"s":0,"t":-0.0,"ut":60},` +
		`{"vs":"\"é😀\"","vb":true},{"vd":"AQID","vlo":"3:0"},{}]`
	if string(out) != wantOut {
		t.Fatalf("AppendJSON:\n got %s\nwant %s", out, wantOut)
	}
	again, err := rawRecords(out, Limits{})
	if err != nil || showRecords(again) != want {
		t.Fatalf("%s: %v", showRecords(again), err)
	}
}

// Byte fields alias the input when there is no escape, with the capacity
// clipped, and the scratch buffer otherwise.
func TestJSONDecoderAliasing(t *testing.T) {
	in := []byte(`[{"n":"/3/0/0","vs":"plain"},{"n":"/3/0/1","vs":"esc\naped"}]`)
	var d JSONDecoder
	d.Reset(in, Limits{})
	r, _ := d.Next()
	if &r.String[0] != &in[21] || cap(r.String) != len(r.String) || cap(r.Name) != len(r.Name) {
		t.Fatal("not an alias of the input")
	}
	r, _ = d.Next()
	if string(r.String) != "esc\naped" || cap(r.String) != len(r.String) {
		t.Fatalf("%q", r.String)
	}
	if p := &r.String[0]; p == &in[48] {
		t.Fatal("escaped string aliases the input")
	}
	if _, ok := d.Next(); ok || d.Err() != nil {
		t.Fatal(d.Err())
	}
	if _, ok := d.Next(); ok || d.Err() != nil {
		t.Fatal("Next after the end")
	}
}

// DecodeJSON keeps values valid after it returns, escapes and vd included.
func TestDecodeJSONValuesOutliveCall(t *testing.T) {
	in := `[{"bn":"/31024/0/","n":"1","vs":"a\tb"},{"n":"2","vd":"AQID"},{"n":"3","vs":"\u00e9"},{"n":"4","vd":"\u0041QI"}]`
	recs, err := decodeAllJSON([]byte(in), path.Path{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `/31024/0/1 string "a\tb"|/31024/0/2 opaque 010203|/31024/0/3 string "é"|/31024/0/4 opaque 0102`
	if got := strings.Join(showAll(recs), "|"); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

type jsonErrCase struct {
	name  string
	in    string
	lim   Limits
	class error
	field string
	off   int
}

var jsonErrCases = []jsonErrCase{
	{"empty", ``, Limits{}, ErrTruncated, "json", 0},
	{"truncated-record", `[{"n":"/3/0/0","v":1`, Limits{}, ErrTruncated, "json", 20},
	{"truncated-pack", `[{"n":"/3/0/0","v":1}`, Limits{}, ErrTruncated, "json", 21},
	{"truncated-string", `[{"n":"/3/0/0","vs":"ab`, Limits{}, ErrTruncated, "json", 23},
	{"not-array", `{"n":"/3/0/0","v":1}`, Limits{}, ErrMalformed, "pack", 0},
	{"not-object", `[{"n":"/3/0/0","v":1},2]`, Limits{}, ErrMalformed, "record", 22},
	{"nested-pack", `[[{"n":"/3/0/0","v":1}]]`, Limits{}, ErrMalformed, "record", 1},
	{"trailing", `[]]`, Limits{}, ErrMalformed, "json", 2},
	{"trailing-comma", `[{"n":"/3/0/0","v":1},]`, Limits{}, ErrMalformed, "json", 22},
	{"bad-json", `[{"n":"/3/0/0","v":01}]`, Limits{}, ErrMalformed, "json", 20},
	{"nan", `[{"n":"/3/0/0","v":NaN}]`, Limits{}, ErrMalformed, "json", 19},
	{"control", "[{\"n\":\"/3/0/0\",\"vs\":\"a\x01\"}]", Limits{}, ErrMalformed, "json", 22},
	{"bad-utf8", "[{\"n\":\"/3/0/0\",\"vs\":\"a\xff\"}]", Limits{}, ErrMalformed, "json", 22},
	{"lone-surrogate", `[{"n":"/3/0/0","vs":"\udc00"}]`, Limits{}, ErrMalformed, "json", 21},
	{"n-number", `[{"n":3,"v":1}]`, Limits{}, ErrMalformed, "n", 6},
	{"v-string", `[{"n":"/3/0/9","v":"1"}]`, Limits{}, ErrMalformed, "v", 19},
	{"vb-number", `[{"n":"/3/0/9","vb":1}]`, Limits{}, ErrMalformed, "vb", 20},
	{"vs-null", `[{"n":"/3/0/9","vs":null}]`, Limits{}, ErrMalformed, "vs", 20},
	{"bt-bool", `[{"bt":true}]`, Limits{}, ErrMalformed, "bt", 7},
	{"bver-float", `[{"bver":10.0}]`, Limits{}, ErrMalformed, "bver", 9},
	{"v-huge", `[{"n":"/3/0/9","v":1e999}]`, Limits{}, ErrMalformed, "v", 19},
	{"label-twice", `[{"n":"/3/0/9","v":1,"v":2}]`, Limits{}, ErrMalformed, "v", 21},
	{"label-twice-escaped", `[{"n":"/3/0/9","v":1,"\u0076":2}]`, Limits{}, ErrMalformed, "v", 21},
	{"must-understand", `[{"n":"/3/0/9","v":1,"x_":{}}]`, Limits{}, ErrUnsupported, "record", 21},
	{"vd-padding-bits", `[{"n":"/0/0/3","vd":"AR"}]`, Limits{}, ErrMalformed, "vd", 22},
	{"vd-space", `[{"n":"/0/0/3","vd":"AQ ID"}]`, Limits{}, ErrMalformed, "vd", 23},
	{"vd-mixed", `[{"n":"/0/0/3","vd":"-+AA"}]`, Limits{}, ErrMalformed, "vd", 22},
	{"vd-bad-padding", `[{"n":"/0/0/3","vd":"AQI=="}]`, Limits{}, ErrMalformed, "vd", 24},
	{"vd-escaped", `[{"n":"/0/0/3","vd":"A\u0051="}]`, Limits{}, ErrMalformed, "vd", 20},
	{"max-records", `[{"n":"/3/0/9","v":1},{"n":"/3/0/10","v":1}]`, Limits{MaxRecords: 1}, ErrLimit, "record", 22},
	{"max-depth", `[{"n":"/3/0/9","v":1,"x":[[1]]}]`, Limits{MaxDepth: 3}, ErrLimit, "json", 26},
	{"max-string", `[{"n":"/3/0/0","vs":"abcdefg"}]`, Limits{MaxStringLen: 6}, ErrLimit, "vs", 20},
}

func TestJSONErrors(t *testing.T) {
	for _, c := range jsonErrCases {
		t.Run(c.name, func(t *testing.T) {
			var d JSONDecoder
			d.Reset([]byte(c.in), c.lim)
			var z Resolver
			err := d.Resolve(&z, func(Resolved) error { return nil })
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Field != c.field || e.Offset != c.off {
				t.Fatalf("got %v, want %v in %s at %d", err, c.class, c.field, c.off)
			}
			if c.class == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatal("not io.ErrUnexpectedEOF")
			}
			if !strings.HasPrefix(e.Error(), "senml: "+c.field) || e.Rule == "" {
				t.Fatal(e.Error())
			}
		})
	}
	// Limits just large enough pass.
	if _, err := rawRecords([]byte(`[{"n":"/3/0/0","vs":"abcde","x":[[1]]}]`), Limits{MaxRecords: 1, MaxDepth: 4, MaxStringLen: 6}); err != nil {
		t.Fatal(err)
	}
	// A callback error is returned as is.
	stop := errors.New("stop")
	if err := DecodeJSON([]byte(`[{"n":"/3/0/9","v":1}]`), path.Path{}, nil, func(Resolved) error { return stop }); err != stop {
		t.Fatal(err)
	}
}

func TestAppendJSONErrors(t *testing.T) {
	b := []byte("x")
	for _, c := range []struct {
		r     Record
		class error
		field string
	}{
		{Record{Fields: Name, Name: []byte("\xff")}, ErrMalformed, "n"},
		{Record{Fields: StringValue, String: []byte("a\xc0")}, ErrMalformed, "vs"},
		{Record{Fields: Value, Value: FloatNumber(math.NaN())}, ErrUnsupported, "v"},
		{Record{Fields: Time, Time: FloatNumber(math.Inf(-1))}, ErrUnsupported, "t"},
	} {
		out, err := AppendJSON(b, []Record{{Fields: Name, Name: []byte("ok")}, c.r})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Field != c.field || e.Offset != -1 || string(out) != "x" {
			t.Errorf("%+v: %q %v", c.r, out, err)
		}
	}
	if out, err := AppendJSON(b, nil); err != nil || string(out) != "x[]" {
		t.Fatal(out, err)
	}
}

func TestEncodeJSON(t *testing.T) {
	str := func(s string) lwm2m.Value { return lwm2m.StringValue([]byte(s)) }
	for _, c := range []struct {
		name string
		base path.Path
		recs []Resolved
		want string
	}{
		{"empty", path.Path{}, nil, `[]`},
		{"single", path.Resource(3, 0, 0), []Resolved{{Path: path.Resource(3, 0, 0), Value: str("x")}}, `[{"n":"/3/0/0","vs":"x"}]`},
		{"instance", path.Instance(3, 0), []Resolved{
			{Path: path.Resource(3, 0, 0), Value: str("x")},
			{Path: path.ResourceInstance(3, 0, 6, 0), Value: lwm2m.IntegerValue(1)},
		}, `[{"n":"/3/0/0","vs":"x"},{"n":"/3/0/6/0","v":1}]`}, // a bn does not pay for two records
		{"instance-3", path.Instance(3, 0), []Resolved{
			{Path: path.Resource(3, 0, 0), Value: str("x")},
			{Path: path.ResourceInstance(3, 0, 6, 0), Value: lwm2m.IntegerValue(1)},
			{Path: path.ResourceInstance(3, 0, 6, 1), Value: lwm2m.IntegerValue(5)},
		}, `[{"bn":"/3/0/","n":"0","vs":"x"},{"n":"6/0","v":1},{"n":"6/1","v":5}]`},
		{"whole-prefix", path.Path{}, []Resolved{
			{Path: path.Resource(3, 0, 6)},
			{Path: path.ResourceInstance(3, 0, 6, 0)},
			{Path: path.ResourceInstance(3, 0, 6, 1)},
		}, `[{"bn":"/3/0/6"},{"n":"/0"},{"n":"/1"}]`},
		{"no-common-prefix", path.Path{}, []Resolved{
			{Path: path.Resource(3, 0, 0)},
			{Path: path.Resource(1, 0, 1)},
		}, `[{"n":"/3/0/0"},{"n":"/1/0/1"}]`},
		{"prefix-not-at-slash", path.Path{}, []Resolved{
			{Path: path.Resource(3, 0, 10), Value: lwm2m.IntegerValue(1)},
			{Path: path.Resource(3, 0, 11)},
			{Path: path.Resource(3, 0, 12)},
		}, `[{"bn":"/3/0/","n":"10","v":1},{"n":"11"},{"n":"12"}]`},
		{"root", path.Path{}, []Resolved{{Path: path.Path{}}}, `[{"n":"/"}]`},
		{"types", path.Object(9000), []Resolved{
			{Path: path.Resource(9000, 0, 4), Value: lwm2m.FloatValue(-0.0)},
			{Path: path.Resource(9000, 0, 3), Value: lwm2m.UnsignedValue(math.MaxUint64)},
			{Path: path.Resource(9000, 0, 7), Value: lwm2m.TimeValue(-1)},
			{Path: path.Resource(9000, 0, 9), Value: lwm2m.CorelnkValue([]byte(`</3>;ct="60"`))},
			{Path: path.Resource(9000, 0, 5), Value: lwm2m.BoolValue(true)},
			{Path: path.Resource(9000, 0, 6), Value: lwm2m.OpaqueValue([]byte{0xfb, 0xff})},
			{Path: path.Resource(9000, 0, 8), Value: lwm2m.ObjlnkValue(lwm2m.NullObjLink)},
			{Path: path.ResourceInstance(9000, 0, 104, 0), Value: lwm2m.FloatValue(1e21)},
			{Path: path.ResourceInstance(9000, 0, 104, 1), Value: lwm2m.FloatValue(math.Copysign(0, -1))},
		}, `[{"bn":"/9000/0/","n":"4","v":0.0},{"n":"3","v":18446744073709551615},{"n":"7","v":-1},{"n":"9","vs":"</3>;ct=\"60\""},` +
			`{"n":"5","vb":true},{"n":"6","vd":"-_8"},{"n":"8","vlo":"65535:65535"},{"n":"104/0","v":1e21},{"n":"104/1","v":-0.0}]`},
		{"times-relative", path.Path{}, []Resolved{
			{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(22.4), Time: 1700000000, HasTime: true},
			{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(22.5), Time: 1700000060, HasTime: true},
			{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(22.6), Time: 1700000000.5, HasTime: true},
		}, `[{"bn":"/3303/0/5700","bt":1700000000,"v":22.4},{"v":22.5,"t":60},{"v":22.6,"t":0.5}]`},
		{"times-some", path.Path{}, []Resolved{
			{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(1), Time: 5, HasTime: true},
			{Path: path.Resource(3303, 0, 5701), Value: str("C")},
		}, `[{"n":"/3303/0/5700","v":1.0,"t":5},{"n":"/3303/0/5701","vs":"C"}]`},
		{"times-inexact", path.Path{}, []Resolved{
			{Path: path.Resource(1, 0, 1), Time: 1e300, HasTime: true},
			{Path: path.Resource(1, 0, 2), Time: 1, HasTime: true},
		}, `[{"n":"/1/0/1","t":1e300},{"n":"/1/0/2","t":1}]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := EncodeJSON([]byte("x"), c.base, c.recs)
			if err != nil || string(out) != "x"+c.want {
				t.Fatalf("got %s, %v\nwant x%s", out, err, c.want)
			}
			got, err := decodeAllJSON(out[1:], c.base, codectest.TypesRegistry(t))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(showAll(got), "\n") != strings.Join(showAll(c.recs), "\n") {
				t.Fatalf("decodes to\n%s\nnot\n%s", strings.Join(showAll(got), "\n"), strings.Join(showAll(c.recs), "\n"))
			}
		})
	}
}

func TestEncodeJSONErrors(t *testing.T) {
	for _, c := range []struct {
		base  path.Path
		r     Resolved
		class error
		field string
	}{
		{path.Instance(3, 0), Resolved{Path: path.Resource(3, 1, 0)}, ErrMalformed, "n"},
		{path.Path{}, Resolved{Path: path.Instance(3, 0), Value: lwm2m.IntegerValue(1)}, ErrMalformed, "v"},
		{path.Path{}, Resolved{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte{0xff})}, ErrMalformed, "vs"},
		{path.Path{}, Resolved{Path: path.Resource(3, 0, 0), Value: lwm2m.FloatValue(math.Inf(1))}, ErrUnsupported, "v"},
		{path.Path{}, Resolved{Path: path.Resource(3, 0, 0), Time: math.NaN(), HasTime: true}, ErrUnsupported, "t"},
	} {
		out, err := EncodeJSON([]byte("x"), c.base, []Resolved{{Path: c.base}, c.r})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Field != c.field || e.Offset != -1 || string(out) != "x" {
			t.Errorf("%+v: %q %v", c.r, out, err)
		}
	}
}

// checkEncodingJSON is the differential check against encoding/json: a
// pack this package accepts is a JSON array of objects for encoding/json
// too, with the same records, labels and values.
func checkEncodingJSON(t *testing.T, in []byte, recs []Record) {
	t.Helper()
	var ms []map[string]any
	d := json.NewDecoder(bytes.NewReader(in))
	d.UseNumber()
	if err := d.Decode(&ms); err != nil {
		t.Fatalf("encoding/json rejects %q: %v", in, err)
	}
	if len(ms) != len(recs) {
		t.Fatalf("%q: encoding/json finds %d records, not %d", in, len(ms), len(recs))
	}
	for i, m := range ms {
		r := recs[i]
		for k, x := range m {
			f := fieldByLabel(k)
			if f == 0 {
				continue
			}
			if !r.Has(f) {
				t.Fatalf("%q record %d: %s missing", in, i, k)
			}
			var ok bool
			switch x := x.(type) {
			case string:
				var b []byte
				switch f {
				case BaseName:
					b = r.BaseName
				case BaseUnit:
					b = r.BaseUnit
				case Name:
					b = r.Name
				case Unit:
					b = r.Unit
				case StringValue:
					b = r.String
				case ObjLinkValue:
					b = r.ObjLink
				case DataValue:
					dec, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(x), "="))
					ok = err == nil && bytes.Equal(dec, r.Data)
				}
				if f != DataValue {
					ok = string(b) == x
				}
			case bool:
				ok = f == BoolValue && r.Bool == x
			case json.Number:
				var n Number
				switch f {
				case BaseTime:
					n = r.BaseTime
				case BaseValue:
					n = r.BaseValue
				case BaseSum:
					n = r.BaseSum
				case Value:
					n = r.Value
				case Sum:
					n = r.Sum
				case Time:
					n = r.Time
				case UpdateTime:
					n = r.UpdateTime
				case BaseVersion:
					n = IntNumber(r.BaseVersion)
				}
				if i, err := x.Int64(); err == nil {
					got, exact := n.Int()
					ok = exact && got == i && !n.IsFloat()
				} else if u, err := strconv.ParseUint(string(x), 10, 64); err == nil {
					got, exact := n.Uint()
					ok = exact && got == u && !n.IsFloat()
				} else {
					f, err := x.Float64()
					ok = err == nil && n.IsFloat() && math.Float64bits(f) == math.Float64bits(n.Float())
				}
			}
			if !ok {
				t.Fatalf("%q record %d: %s is %v for encoding/json, %s here", in, i, k, x, showRecord(r))
			}
		}
		for f := Field(1); f != 0; f <<= 1 {
			if r.Has(f) {
				if _, ok := m[f.Label()]; !ok {
					t.Fatalf("%q record %d: encoding/json lacks %s", in, i, f.Label())
				}
			}
		}
	}
}

func TestJSONDifferential(t *testing.T) {
	inputs := []string{
		`[{"bver":10,"bn":"/3/","bt":1.5,"bu":"m","bv":-2,"bs":1e3,"n":"0/1","u":"s","v":18446744073709551615,"s":0,"t":-0.0,"ut":60,"x":[{}]}]`,
		`[{"vs":"\"\u00e9\ud83d\ude00\"","vb":true},{"vd":"AQID","vlo":"3:0"},{"vd":"AQIDBAU="},{}]`,
		`[ { "n" : "/3/0/9" , "v" : -12.5e-3 } ]`,
	}
	for _, v := range codectest.LoadVectors(t, "senml+json") {
		inputs = append(inputs, v.Text)
	}
	for _, in := range inputs {
		recs, err := rawRecords([]byte(in), Limits{})
		if err != nil {
			continue // the invalid vectors fail at resolution, not here
		}
		checkEncodingJSON(t, []byte(in), recs)
	}
}
