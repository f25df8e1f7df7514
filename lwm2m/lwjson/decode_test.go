package lwjson

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

type decodeCase struct {
	name  string
	in    string
	base  string
	reg   int // 0: testRegistry, 1: nil
	lim   Limits
	want  []string
	class error
	field string
	off   int
}

var decodeCases = []decodeCase{
	{name: "types", base: "/9000/0", in: `{"bn":"/9000/0/","e":[{"n":"1","sv":"s"},{"n":"2","v":-3},{"n":"3","v":18446744073709551615},` +
		`{"n":"4","v":1},{"n":"5","bv":true},{"n":"6","sv":"AQID"},{"n":"7","v":1.7e9},{"n":"8","ov":"3:0"},{"n":"9","sv":"</3>"},{"n":"102/7","v":2.0}]}`,
		want: []string{`/9000/0/1 string "s"`, "/9000/0/2 integer -3", "/9000/0/3 unsigned 18446744073709551615", "/9000/0/4 float 1/3ff0000000000000",
			"/9000/0/5 boolean true", "/9000/0/6 opaque 010203", "/9000/0/7 time 1700000000", "/9000/0/8 objlnk 3:0", `/9000/0/9 corelnk "</3>"`, "/9000/0/102/7 integer 2"}},
	{name: "wire-types", reg: 1, in: `{"bn":"/31024/0/","e":[{"n":"1","v":1},{"n":"2","v":1.0},{"n":"3","v":9223372036854775808},{"n":"4","sv":"AQID"},{"n":"5","ov":"1:2"}]}`,
		want: []string{"/31024/0/1 integer 1", "/31024/0/2 float 1/3ff0000000000000", "/31024/0/3 unsigned 9223372036854775808", `/31024/0/4 string "AQID"`, "/31024/0/5 objlnk 1:2"}},
	{name: "escapes", reg: 1, in: `{"\u0062n":"\/31024\/0\/","e":[{"\u006e":"1","sv":"caf\u00e9\n"}]}`, want: []string{`/31024/0/1 string "café\n"`}},
	{name: "unknown-members", reg: 1, in: `{"ver":1,"bn":"/31024/0/","x":{"y":[1]},"e":[{"n":"1","v":1,"u":"m","z":[]}]}`, want: []string{"/31024/0/1 integer 1"}},
	{name: "entry-without-n", base: "/3/0/9", in: `{"e":[{"v":95}]}`, want: []string{"/3/0/9 integer 95"}},
	{name: "relative-from-root", in: `{"e":[{"n":"3/0/9","v":95}]}`, want: []string{"/3/0/9 integer 95"}},
	{name: "bt-only", in: `{"bt":10,"e":[{"n":"/3/0/9","v":95},{"n":"/3/0/10","v":1,"t":-0.5}]}`, want: []string{"/3/0/9 integer 95 @10", "/3/0/10 integer 1 @9.5"}},
	{name: "time-series", in: `{"bn":"/3/0/9","e":[{"v":95,"t":1},{"v":96,"t":2}]}`, want: []string{"/3/0/9 integer 95 @1", "/3/0/9 integer 96 @2"}},

	{name: "empty", in: ``, class: ErrTruncated, field: "json", off: 0},
	{name: "truncated", in: `{"e":[{"n":"/3/0/9","v":95}`, class: ErrTruncated, field: "json", off: 27},
	{name: "not-object", in: `[{"n":"/3/0/9","v":95}]`, class: ErrMalformed, field: "root", off: 0},
	{name: "trailing", in: `{"e":[]} {}`, class: ErrMalformed, field: "json", off: 9},
	{name: "bad-json-after-e", in: `{"e":[{"n":"/3/0/9","v":95}],"bt":01}`, class: ErrMalformed, field: "json", off: 35},
	{name: "e-not-array", in: `{"e":{}}`, class: ErrMalformed, field: "e", off: 5},
	{name: "e-twice", in: `{"e":[],"e":[]}`, class: ErrMalformed, field: "e", off: 8},
	{name: "bn-twice", in: `{"bn":"/","bn":"/","e":[]}`, class: ErrMalformed, field: "bn", off: 10},
	{name: "bn-number", in: `{"bn":3,"e":[]}`, class: ErrMalformed, field: "bn", off: 6},
	{name: "bt-string", in: `{"bt":"3","e":[]}`, class: ErrMalformed, field: "bt", off: 6},
	{name: "bt-huge", in: `{"bt":1e999,"e":[]}`, class: ErrMalformed, field: "bt", off: 6},
	{name: "bn-long", in: `{"bn":"/65534/65534/65534/65534/","e":[]}`, class: ErrMalformed, field: "bn", off: 6},
	{name: "entry-not-object", in: `{"e":[1]}`, class: ErrMalformed, field: "entry", off: 6},
	{name: "two-values", in: `{"e":[{"n":"/3/0/9","v":95,"sv":"95"}]}`, class: ErrMalformed, field: "entry", off: 6},
	{name: "n-twice", in: `{"e":[{"n":"/3/0/9","n":"/3/0/9","v":95}]}`, class: ErrMalformed, field: "n", off: 20},
	{name: "n-number", in: `{"e":[{"n":9,"v":95}]}`, class: ErrMalformed, field: "n", off: 11},
	{name: "v-string", in: `{"e":[{"n":"/3/0/9","v":"95"}]}`, class: ErrMalformed, field: "v", off: 24},
	{name: "bv-null", in: `{"e":[{"n":"/3/0/9","bv":null}]}`, class: ErrMalformed, field: "bv", off: 25},
	{name: "t-huge", in: `{"e":[{"n":"/3/0/9","v":1,"t":1e999}]}`, class: ErrMalformed, field: "t", off: 30},
	{name: "time-overflow", in: `{"bt":1e308,"e":[{"n":"/3/0/9","v":1,"t":1e308}]}`, class: ErrMalformed, field: "t", off: 37},
	{name: "name-not-path", in: `{"e":[{"n":"/3/x","v":1}]}`, class: ErrMalformed, field: "n", off: 7},
	{name: "name-instance", in: `{"e":[{"n":"/3/0","v":1}]}`, class: ErrMalformed, field: "n", off: 7},
	{name: "name-outside", base: "/3/0", in: `{"e":[{"n":"/3/1/0","sv":"x"}]}`, class: ErrMalformed, field: "n", off: 7},
	{name: "bn-outside", base: "/3/0", in: `{"bn":"/4/0/","e":[{"n":"0","v":1}]}`, class: ErrMalformed, field: "n", off: 20},
	{name: "bn-not-path", in: `{"bn":"/3/0/0/","e":[{"v":1}]}`, class: ErrMalformed, field: "n", off: 1},
	{name: "reg-integer-sv", in: `{"e":[{"n":"/9000/0/2","sv":"1"}]}`, class: ErrMalformed, field: "sv", off: 23},
	{name: "reg-integer-fraction", in: `{"e":[{"n":"/9000/0/2","v":1.5}]}`, class: ErrMalformed, field: "v", off: 27},
	{name: "reg-unsigned-negative", in: `{"e":[{"n":"/9000/0/3","v":-1}]}`, class: ErrMalformed, field: "v", off: 27},
	{name: "reg-opaque-unpadded", in: `{"e":[{"n":"/9000/0/6","sv":"AQIDBA"}]}`, class: ErrMalformed, field: "sv", off: 35},
	{name: "reg-opaque-url", in: `{"e":[{"n":"/9000/0/6","sv":"-_8="}]}`, class: ErrMalformed, field: "sv", off: 29},
	{name: "reg-objlnk-bad", in: `{"e":[{"n":"/9000/0/8","ov":"3-0"}]}`, class: ErrMalformed, field: "ov", off: 23},
	{name: "reg-executable", in: `{"e":[{"n":"/9000/0/0","sv":""}]}`, class: ErrMalformed, field: "sv", off: 23},
	{name: "reg-multiple-as-single", in: `{"e":[{"n":"/9000/0/102","v":1}]}`, class: ErrMalformed, field: "v", off: 25},
	{name: "reg-single-as-multiple", in: `{"e":[{"n":"/9000/0/2/0","v":1}]}`, class: ErrMalformed, field: "v", off: 25},
	{name: "dup-same-time", in: `{"bt":5,"e":[{"n":"/3/0/9","v":1},{"n":"/3/0/9","v":1,"t":0}]}`, class: ErrMalformed, field: "n", off: 35},
	{name: "max-records", lim: Limits{MaxRecords: 1}, in: `{"e":[{"n":"/3/0/9","v":1},{"n":"/3/0/10","v":1}]}`, class: ErrLimit, field: "entry", off: 27},
	{name: "max-depth", lim: Limits{MaxDepth: 4}, in: `{"e":[{"n":"/3/0/9","v":1,"x":[[1]]}]}`, class: ErrLimit, field: "json", off: 31},
	{name: "max-string", lim: Limits{MaxStringLen: 6}, in: `{"e":[{"n":"/3/0/0","sv":"abcdefg"}]}`, class: ErrLimit, field: "sv", off: 25},
}

func TestDecode(t *testing.T) {
	reg := codectest.TypesRegistry(t)
	for _, c := range decodeCases {
		t.Run(c.name, func(t *testing.T) {
			base := path.Path{}
			if c.base != "" {
				base, _ = path.Parse(c.base)
			}
			r := reg
			if c.reg == 1 {
				r = nil
			}
			var d Decoder
			d.Reset([]byte(c.in), base, r, c.lim)
			var recs []Record
			for rec, ok := d.Next(); ok; rec, ok = d.Next() {
				recs = append(recs, own(rec))
			}
			err := d.Err()
			if c.class != nil {
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Field != c.field || e.Offset != c.off {
					t.Fatalf("got %v, want %v in %s at %d", err, c.class, c.field, c.off)
				}
				if c.class == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatal("not io.ErrUnexpectedEOF")
				}
				if !strings.HasPrefix(e.Error(), "lwjson: "+c.field) {
					t.Fatal(e.Error())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(showAll(recs), "\n"); got != strings.Join(c.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", got, strings.Join(c.want, "\n"))
			}
			out, err := Encode(nil, base, recs)
			if err != nil {
				t.Fatal(err)
			}
			again, err := decodeAll(out, base, r)
			if err != nil || strings.Join(showAll(again), "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("%s decodes to %q, %v", out, showAll(again), err)
			}
		})
	}
	// A callback error is returned as is.
	stop := errors.New("stop")
	if err := Decode([]byte(`{"e":[{"n":"/3/0/9","v":1}]}`), path.Path{}, nil, func(Record) error { return stop }); err != stop {
		t.Fatal(err)
	}
}

// own copies the bytes of r's value, which may alias a decoder's buffer.
func own(r Record) Record {
	if b, ok := r.Value.Bytes(); ok {
		c := append([]byte{}, b...)
		switch r.Value.Type() {
		case lwm2m.String:
			r.Value = lwm2m.StringValue(c)
		case lwm2m.Opaque:
			r.Value = lwm2m.OpaqueValue(c)
		case lwm2m.Corelnk:
			r.Value = lwm2m.CorelnkValue(c)
		}
	}
	return r
}

func TestEncode(t *testing.T) {
	for _, c := range []struct {
		name string
		base path.Path
		recs []Record
		want string
	}{
		{"empty", path.Instance(3, 0), nil, `{"bn":"/3/0","e":[]}`},
		{"single", path.Resource(3, 0, 0), []Record{{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte("x"))}}, `{"bn":"/3/0/0","e":[{"sv":"x"}]}`},
		{"root", path.Path{}, []Record{{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(95)}}, `{"bn":"/","e":[{"n":"3/0/9","v":95}]}`},
		{"mixed-levels", path.Resource(31024, 0, 1), []Record{
			{Path: path.ResourceInstance(31024, 0, 1, 0), Value: lwm2m.FloatValue(1)},
			{Path: path.Resource(31024, 0, 1), Value: lwm2m.FloatValue(2), Time: 1.5, HasTime: true},
		}, `{"bn":"/31024/0/1","e":[{"n":"/0","v":1.0},{"v":2.0,"t":1.5}]}`},
		{"types", path.Instance(9000, 0), []Record{
			{Path: path.Resource(9000, 0, 3), Value: lwm2m.UnsignedValue(math.MaxUint64)},
			{Path: path.Resource(9000, 0, 5), Value: lwm2m.BoolValue(false)},
			{Path: path.Resource(9000, 0, 6), Value: lwm2m.OpaqueValue([]byte{1, 2, 3, 4, 5})},
			{Path: path.Resource(9000, 0, 7), Value: lwm2m.TimeValue(1367491215)},
			{Path: path.Resource(9000, 0, 8), Value: lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: 66, Instance: 1})},
			{Path: path.Resource(9000, 0, 9), Value: lwm2m.CorelnkValue([]byte(`</3/0>;ver="1.1"`))},
		}, `{"bn":"/9000/0/","e":[{"n":"3","v":18446744073709551615},{"n":"5","bv":false},{"n":"6","sv":"AQIDBAU="},{"n":"7","v":1367491215},` +
			`{"n":"8","ov":"66:1"},{"n":"9","sv":"</3/0>;ver=\"1.1\""}]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Encode([]byte("x"), c.base, c.recs)
			if err != nil || string(out) != "x"+c.want {
				t.Fatalf("got %s, %v\nwant x%s", out, err, c.want)
			}
			got, err := decodeAll(out[1:], c.base, codectest.TypesRegistry(t))
			if err != nil || strings.Join(showAll(got), "\n") != strings.Join(showAll(c.recs), "\n") {
				t.Fatalf("decodes to %q, %v", showAll(got), err)
			}
		})
	}
	for _, c := range []struct {
		base  path.Path
		r     Record
		class error
		field string
	}{
		{path.Instance(3, 0), Record{Path: path.Resource(3, 1, 0), Value: lwm2m.IntegerValue(1)}, ErrMalformed, "n"},
		{path.Path{}, Record{Path: path.Instance(3, 0), Value: lwm2m.IntegerValue(1)}, ErrMalformed, "n"},
		{path.Path{}, Record{Path: path.Resource(3, 0, 0)}, ErrUnsupported, "entry"},
		{path.Path{}, Record{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte{0xff})}, ErrMalformed, "sv"},
		{path.Path{}, Record{Path: path.Resource(3, 0, 0), Value: lwm2m.FloatValue(math.NaN())}, ErrUnsupported, "v"},
		{path.Path{}, Record{Path: path.Resource(3, 0, 0), Value: lwm2m.IntegerValue(1), Time: math.Inf(1), HasTime: true}, ErrUnsupported, "t"},
	} {
		out, err := Encode([]byte("x"), c.base, []Record{c.r})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Field != c.field || e.Offset != -1 || string(out) != "x" {
			t.Errorf("%+v: %q %v", c.r, out, err)
		}
	}
}

func TestLimits(t *testing.T) {
	var l Limits
	if l.maxRecords() != DefaultMaxRecords || l.maxDepth() != DefaultMaxDepth || l.maxStringLen() != DefaultMaxStringLen {
		t.Error("defaults")
	}
	l = Limits{MaxRecords: 2, MaxDepth: 3, MaxStringLen: 9}
	if l.maxRecords() != 2 || l.maxDepth() != 3 || l.maxStringLen() != 9 {
		t.Error("set")
	}
	l = Limits{MaxRecords: 1 << 25, MaxDepth: 2, MaxStringLen: -1}
	if l.maxRecords() != DefaultMaxRecords || l.maxDepth() != DefaultMaxDepth || l.maxStringLen() != DefaultMaxStringLen {
		t.Error("out of range")
	}
}
