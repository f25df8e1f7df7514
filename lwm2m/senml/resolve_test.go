package senml

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

type resolveCase struct {
	name string
	in   string
	base string
	reg  int // 0: testRegistry, 1: nil
	want []string
	// for errors:
	class error
	field string
	off   int
}

var resolveCases = []resolveCase{
	// Names: bn + n, plain concatenation (RFC 8428 4.6).
	{name: "bn-n", in: `[{"bn":"/3/0/","n":"1","vs":"a"},{"n":"2","vs":"b"}]`, want: []string{`/3/0/1 string "a"`, `/3/0/2 string "b"`}},
	{name: "bn-only", in: `[{"bn":"/3/0/0","vs":"a"}]`, want: []string{`/3/0/0 string "a"`}},
	{name: "bn-replaced", in: `[{"bn":"/3/0/","n":"0","vs":"a"},{"bn":"/1/0/","n":"1","v":5}]`, want: []string{`/3/0/0 string "a"`, `/1/0/1 integer 5`}},
	{name: "bn-empty-resets", in: `[{"bn":"/3/0/","n":"0","vs":"a"},{"bn":"","n":"/1/0/1","v":5}]`, want: []string{`/3/0/0 string "a"`, `/1/0/1 integer 5`}},
	{name: "n-escaped", in: `[{"n":"\/3\u002f0/0","vs":"\u00e9"}]`, want: []string{`/3/0/0 string "é"`}},
	{name: "names-only", in: `[{"n":"/3/0"},{"n":"/3"},{"n":"/"},{"n":"/3/0/6/0"}]`, want: []string{"/3/0 none null", "/3 none null", "/ none null", "/3/0/6/0 none null"}},
	{name: "no-name", in: `[{"vs":"x"}]`, class: ErrMalformed, field: "n", off: 1},
	{name: "empty-name", in: `[{"n":"","vs":"x"}]`, class: ErrMalformed, field: "n", off: 2},
	{name: "relative-name", in: `[{"n":"3/0/0","vs":"x"}]`, class: ErrMalformed, field: "n", off: 2},
	{name: "trailing-slash", in: `[{"bn":"/3/0/","vs":"x"}]`, class: ErrMalformed, field: "bn", off: 2},
	{name: "leading-zero", in: `[{"n":"/3/0/01","vs":"x"}]`, class: ErrMalformed, field: "n", off: 2},
	{name: "max-id", in: `[{"n":"/3/65535","vs":"x"}]`, class: ErrMalformed, field: "n", off: 2},
	{name: "five-ids", in: `[{"n":"/3/0/6/0/1","v":1}]`, class: ErrMalformed, field: "n", off: 2},
	{name: "long-bn", in: `[{"bn":"/65534/65534/65534/65534/","n":"1","v":1}]`, class: ErrMalformed, field: "bn", off: 2},
	{name: "long-name", in: `[{"bn":"/65534/65534/","n":"65534/65534/1","v":1}]`, class: ErrMalformed, field: "n", off: 23},
	{name: "outside-base", base: "/3/0", in: `[{"n":"/3/1/0","vs":"x"}]`, class: ErrMalformed, field: "n", off: 2},
	{name: "outside-base-shorter", base: "/3/0", in: `[{"n":"/3","vs":"x"}]`, class: ErrMalformed, field: "n", off: 2},
	{name: "value-on-instance", in: `[{"n":"/3/0","v":1}]`, class: ErrMalformed, field: "v", off: 13},

	// bver (RFC 8428 4.4).
	{name: "bver-10", in: `[{"bver":10,"n":"/3/0/9","v":1}]`, want: []string{"/3/0/9 integer 1"}},
	{name: "bver-5", in: `[{"bver":5,"n":"/3/0/9","v":1}]`, want: []string{"/3/0/9 integer 1"}},
	{name: "bver-11", in: `[{"bver":11,"n":"/3/0/9","v":1}]`, class: ErrUnsupported, field: "bver", off: 2},
	{name: "bver-0", in: `[{"bver":0,"n":"/3/0/9","v":1}]`, class: ErrMalformed, field: "bver", off: 2},
	{name: "bver-later-record", in: `[{"n":"/3/0/9","v":1},{"bver":12,"n":"/3/0/10","v":1}]`, class: ErrUnsupported, field: "bver", off: 23},

	// Must-understand and unknown labels (RFC 8428 4.4).
	{name: "unknown-label", in: `[{"n":"/3/0/9","x":{"y":[1,"2",null]},"v":1,"ct":"60"}]`, want: []string{"/3/0/9 integer 1"}},
	{name: "must-understand", in: `[{"n":"/3/0/9","v":1,"ct_":"60"}]`, class: ErrUnsupported, field: "record", off: 21},
	{name: "must-understand-escaped", in: `[{"n":"/3/0/9","v":1,"ct\u005f":1}]`, class: ErrUnsupported, field: "record", off: 21},
	{name: "escaped-label", in: `[{"\u006e":"/3/0/9","\u0076":1}]`, want: []string{"/3/0/9 integer 1"}},
	{name: "units-ignored", in: `[{"bu":"%","n":"/3/0/9","u":"%","ut":60,"v":1}]`, want: []string{"/3/0/9 integer 1"}},

	// Times: bt + t.
	{name: "bt-t", in: `[{"bt":100,"n":"/3/0/9","v":1,"t":-5},{"n":"/3/0/10","v":2}]`, want: []string{"/3/0/9 integer 1 @95", "/3/0/10 integer 2 @100"}},
	{name: "t-only", in: `[{"n":"/3/0/9","v":1,"t":1.5}]`, want: []string{"/3/0/9 integer 1 @1.5"}},
	{name: "t-zero", in: `[{"n":"/3/0/9","v":1,"t":-0.0}]`, want: []string{"/3/0/9 integer 1 @0"}},
	{name: "time-overflow", in: `[{"bt":1e308,"n":"/3/0/9","v":1,"t":1e308}]`, class: ErrMalformed, field: "t", off: 32},

	// Values: one value field; bv + v; bs + s.
	{name: "two-values", in: `[{"n":"/3/0/9","v":1,"vb":true}]`, class: ErrMalformed, field: "record", off: 1},
	{name: "bv-v", in: `[{"bv":100,"n":"/3/0/9","v":-5},{"n":"/3/0/10","v":2.0}]`, want: []string{"/3/0/9 integer 95", "/3/0/10 integer 102"}},
	{name: "bv-not-on-vs", in: `[{"bv":100,"n":"/3/0/0","vs":"x"}]`, want: []string{`/3/0/0 string "x"`}},
	{name: "bv-float-unknown", reg: 1, in: `[{"bv":0.5,"n":"/31024/0/1","v":1}]`, want: []string{"/31024/0/1 float 1.5/3ff8000000000000"}},
	{name: "sum-as-value", reg: 1, in: `[{"bs":10,"n":"/31024/0/1","s":5}]`, want: []string{"/31024/0/1 integer 15"}},
	{name: "sum-next-to-value", reg: 1, in: `[{"n":"/31024/0/1","v":1,"s":5}]`, want: []string{"/31024/0/1 integer 1"}},
	{name: "value-overflow", in: `[{"bv":1e308,"n":"/3/0/9","v":1e308}]`, class: ErrMalformed, field: "v", off: 26},

	// Typing by the registry (LwM2M Core 7.4.5).
	{name: "reg-integer", in: `[{"n":"/9000/0/2","v":-7},{"n":"/9000/0/102/1","v":20.0}]`, want: []string{"/9000/0/2 integer -7", "/9000/0/102/1 integer 20"}},
	{name: "reg-integer-fraction", in: `[{"n":"/9000/0/2","v":20.5}]`, class: ErrMalformed, field: "v", off: 18},
	{name: "reg-integer-range", in: `[{"n":"/9000/0/2","v":9223372036854775808}]`, class: ErrMalformed, field: "v", off: 18},
	{name: "reg-integer-vs", in: `[{"n":"/9000/0/2","vs":"1"}]`, class: ErrMalformed, field: "vs", off: 18},
	{name: "reg-unsigned", in: `[{"n":"/9000/0/3","v":18446744073709551615}]`, want: []string{"/9000/0/3 unsigned 18446744073709551615"}},
	{name: "reg-unsigned-negative", in: `[{"n":"/9000/0/3","v":-1}]`, class: ErrMalformed, field: "v", off: 18},
	{name: "reg-float", in: `[{"n":"/9000/0/4","v":18},{"n":"/9000/0/104/0","v":9007199254740993}]`, want: []string{"/9000/0/4 float 18/4032000000000000", "/9000/0/104/0 float 9.007199254740992e+15/4340000000000000"}},
	{name: "reg-boolean", in: `[{"n":"/9000/0/5","vb":true}]`, want: []string{"/9000/0/5 boolean true"}},
	{name: "reg-boolean-v", in: `[{"n":"/9000/0/5","v":1}]`, class: ErrMalformed, field: "v", off: 18},
	{name: "reg-opaque", in: `[{"n":"/9000/0/6","vd":"AQI"}]`, want: []string{"/9000/0/6 opaque 0102"}},
	{name: "reg-opaque-vs", in: `[{"n":"/9000/0/6","vs":"AQI"}]`, class: ErrMalformed, field: "vs", off: 18},
	{name: "reg-time", in: `[{"n":"/9000/0/7","v":1367491215}]`, want: []string{"/9000/0/7 time 1367491215"}},
	{name: "reg-time-fraction", in: `[{"n":"/9000/0/7","v":1.5}]`, class: ErrMalformed, field: "v", off: 18},
	{name: "reg-objlnk", in: `[{"n":"/9000/0/8","vlo":"3:0"}]`, want: []string{"/9000/0/8 objlnk 3:0"}},
	{name: "reg-objlnk-vs", in: `[{"n":"/9000/0/8","vs":"3:0"}]`, class: ErrMalformed, field: "vs", off: 18},
	{name: "reg-corelnk", in: `[{"n":"/9000/0/9","vs":"</3/0>"}]`, want: []string{`/9000/0/9 corelnk "</3/0>"`}},
	{name: "reg-string-v", in: `[{"n":"/9000/0/1","v":1}]`, class: ErrMalformed, field: "v", off: 18},
	{name: "reg-executable", in: `[{"n":"/9000/0/0","vs":""}]`, class: ErrMalformed, field: "vs", off: 18},
	{name: "reg-executable-name", in: `[{"n":"/9000/0/0"}]`, want: []string{"/9000/0/0 none null"}},
	{name: "reg-multiple-as-single", in: `[{"n":"/9000/0/102","v":1}]`, class: ErrMalformed, field: "v", off: 20},
	{name: "reg-single-as-multiple", in: `[{"n":"/9000/0/2/0","v":1}]`, class: ErrMalformed, field: "v", off: 20},
	{name: "reg-multiple-name", in: `[{"n":"/9000/0/102"}]`, want: []string{"/9000/0/102 none null"}},

	// Typing by the wire.
	{name: "wire", reg: 1, in: `[{"bn":"/31024/0/","n":"1","v":1},{"n":"2","v":1.0},{"n":"3","v":9223372036854775808},{"n":"4","v":1e2},` +
		`{"n":"5","vs":"s"},{"n":"6","vb":false},{"n":"7","vd":"-_8"},{"n":"8","vlo":"65535:65535"},{"n":"9/3","v":-1}]`,
		want: []string{"/31024/0/1 integer 1", "/31024/0/2 float 1/3ff0000000000000", "/31024/0/3 unsigned 9223372036854775808",
			"/31024/0/4 float 100/4059000000000000", `/31024/0/5 string "s"`, "/31024/0/6 boolean false", "/31024/0/7 opaque fbff",
			"/31024/0/8 objlnk 65535:65535", "/31024/0/9/3 integer -1"}},
	{name: "wire-big-integer", reg: 1, in: `[{"n":"/31024/0/1","v":18446744073709551616}]`, want: []string{"/31024/0/1 float 1.8446744073709552e+19/43f0000000000000"}},
	{name: "objlnk-bad", reg: 1, in: `[{"n":"/31024/0/1","vlo":"3"}]`, class: ErrMalformed, field: "vlo", off: 19},
	{name: "objlnk-range", reg: 1, in: `[{"n":"/31024/0/1","vlo":"65536:0"}]`, class: ErrMalformed, field: "vlo", off: 19},
	{name: "objlnk-zero", reg: 1, in: `[{"n":"/31024/0/1","vlo":"03:0"}]`, class: ErrMalformed, field: "vlo", off: 19},
	{name: "objlnk-sign", reg: 1, in: `[{"n":"/31024/0/1","vlo":"3:+0"}]`, class: ErrMalformed, field: "vlo", off: 19},
	{name: "objlnk-trailing", reg: 1, in: `[{"n":"/31024/0/1","vlo":"3:0:"}]`, class: ErrMalformed, field: "vlo", off: 19},

	// Duplicates.
	{name: "dup-time-series", in: `[{"n":"/3/0/9","v":1,"t":1},{"n":"/3/0/9","v":2,"t":2}]`, want: []string{"/3/0/9 integer 1 @1", "/3/0/9 integer 2 @2"}},
	{name: "dup-with-and-without-time", in: `[{"n":"/3/0/9","v":1},{"n":"/3/0/9","v":2,"t":0}]`, want: []string{"/3/0/9 integer 1", "/3/0/9 integer 2 @0"}},
	{name: "dup-same-time", in: `[{"bt":5,"n":"/3/0/9","v":1},{"n":"/3/0/9","v":2}]`, class: ErrMalformed, field: "n", off: 30},
	{name: "dup-names", in: `[{"n":"/3/0/9"},{"n":"/3/0/9"}]`, class: ErrMalformed, field: "n", off: 17},
	{name: "dup-zero-times", in: `[{"n":"/3/0/9","v":1,"t":0},{"n":"/3/0/9","v":2,"t":-0.0}]`, class: ErrMalformed, field: "n", off: 29},
}

func TestResolve(t *testing.T) {
	reg := codectest.TypesRegistry(t)
	for _, c := range resolveCases {
		t.Run(c.name, func(t *testing.T) {
			base := path.Path{}
			if c.base != "" {
				base, _ = path.Parse(c.base)
			}
			r := reg
			if c.reg == 1 {
				r = nil
			}
			recs, err := decodeAllJSON([]byte(c.in), base, r)
			if c.class != nil {
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Field != c.field || e.Offset != c.off {
					t.Fatalf("got %v, want %v in %s at %d", err, c.class, c.field, c.off)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(showAll(recs), "\n"); got != strings.Join(c.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", got, strings.Join(c.want, "\n"))
			}
			// The round trip keeps the records.
			out, err := EncodeJSON(nil, base, recs)
			if err != nil {
				t.Fatal(err)
			}
			again, err := decodeAllJSON(out, base, r)
			if err != nil || strings.Join(showAll(again), "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("%s decodes to %q, %v", out, showAll(again), err)
			}
		})
	}
}

// Past 32 records the duplicate check uses its hash index; a reused
// Resolver finds duplicates there too, and keeps finding none in a clean
// pack.
func TestResolveManyRecords(t *testing.T) {
	var b strings.Builder
	b.WriteString(`[{"bn":"/31024/","n":"0/0","v":0}`)
	for i := 1; i < 3000; i++ {
		b.WriteString(`,{"n":"` + strconv.Itoa(i%7) + "/" + strconv.Itoa(i) + `","v":` + strconv.Itoa(i) + `}`)
	}
	clean := b.String() + "]"
	dup := b.String() + `,{"n":"3/1333","v":1}]`
	var d JSONDecoder
	var z Resolver
	for round := 0; round < 3; round++ {
		d.Reset([]byte(clean), Limits{})
		z.Reset(path.Path{}, nil)
		n := 0
		if err := d.Resolve(&z, func(Resolved) error { n++; return nil }); err != nil || n != 3000 {
			t.Fatal(n, err)
		}
		d.Reset([]byte(dup), Limits{})
		z.Reset(path.Path{}, nil)
		err := d.Resolve(&z, func(Resolved) error { return nil })
		var e *Error
		if !errors.As(err, &e) || e.Path != path.Resource(31024, 3, 1333) || !strings.Contains(e.Msg, "twice") {
			t.Fatal(err)
		}
	}
	// Time series of one path.
	b.Reset()
	b.WriteString(`[{"bn":"/3/0/9","bt":1000,"v":0}`)
	for i := 1; i < 100; i++ {
		b.WriteString(`,{"v":1,"t":` + strconv.Itoa(i) + `}`)
	}
	if _, err := decodeAllJSON([]byte(b.String()+`]`), path.Path{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeAllJSON([]byte(b.String()+`,{"v":1,"t":50}]`), path.Path{}, nil); err == nil {
		t.Fatal("duplicate time accepted")
	}
}

// Resolve used directly: errors have Offset -1 and name the label.
func TestResolverDirect(t *testing.T) {
	var z Resolver
	z.Reset(path.Instance(3, 0), lwm2m.CoreRegistry())
	res, err := z.Resolve(&Record{Fields: BaseName | Name | Value, BaseName: []byte("/3/0/"), Name: []byte("9"), Value: IntNumber(80)})
	if err != nil || res.Path != path.Resource(3, 0, 9) || res.Value.Type() != lwm2m.Integer || res.HasTime {
		t.Fatal(res, err)
	}
	_, err = z.Resolve(&Record{Fields: Name | StringValue, Name: []byte("9"), String: []byte("x")})
	var e *Error
	if !errors.As(err, &e) || e.Offset != -1 || e.Field != "vs" || e.Path != path.Resource(3, 0, 9) {
		t.Fatal(err)
	}
	if !strings.Contains(e.Error(), "senml: vs /3/0/9: an integer resource takes v [LwM2M Core 7.4.5") {
		t.Fatal(e.Error())
	}
	// Base fields that are not finite (only a hand-made record has them).
	z.Reset(path.Path{}, nil)
	if _, err := z.Resolve(&Record{Fields: BaseTime, BaseTime: FloatNumber(math.Inf(1))}); !errors.Is(err, ErrMalformed) {
		t.Fatal(err)
	}
}
