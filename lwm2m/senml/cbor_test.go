package senml

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// A record with every field, in the order AppendCBOR writes them, and its
// raw fields.
const cborAllFields = `
	81 b0                          // array(1), map(16)
	  20 0a                        // bver 10
	  21 65 2f332f302f             // bn "/3/0/"
	  22 1a 5182428f               // bt 1367491215
	  23 61 56                     // bu "V"
	  24 f9 3c00                   // bv 1.0
	  25 c4 82 20 0f               // bs 4([-1, 15]) = 1.5
	  00 61 39                     // n "9"
	  01 61 25                     // u "%"
	  02 3b ffffffffffffffff       // v -2^64: beyond int64, the nearest float
	  03 60                        // vs ""
	  04 f5                        // vb true
	  08 42 0102                   // vd h'0102'
	  63 766c6f 63 333a30          // "vlo": "3:0"
	  05 1b ffffffffffffffff       // s 2^64-1
	  06 fb 3ff8000000000000       // t 1.5 as a double
	  07 c4 82 01 05               // ut 4([1, 5]) = 50`

func TestCBORDecoderFields(t *testing.T) {
	in := codectest.Unhex(t, cborAllFields)
	var d CBORDecoder
	d.Reset(in, Limits{})
	r, ok := d.Next()
	if !ok {
		t.Fatal(d.Err())
	}
	want := Record{
		Fields: 1<<numFields - 1, BaseVersion: 10, BaseName: []byte("/3/0/"), BaseTime: IntNumber(1367491215),
		BaseUnit: []byte("V"), BaseValue: FloatNumber(1), BaseSum: FloatNumber(1.5), Name: []byte("9"), Unit: []byte("%"),
		Value: FloatNumber(-1 << 64), String: []byte{}, Bool: true, Data: []byte{1, 2}, ObjLink: []byte("3:0"),
		Sum: UintNumber(math.MaxUint64), Time: FloatNumber(1.5), UpdateTime: IntNumber(50),
	}
	if !equalRecords(r, want) {
		t.Fatalf("got %+v\nwant %+v", r, want)
	}
	if _, ok := d.Next(); ok || d.Err() != nil {
		t.Fatal("second record", d.Err())
	}
	if d.Offset(BaseName) != 4 || d.Offset(Time) != 71 || d.Offset(0) != 1 || d.Offset(BaseName|Name) != 1 {
		t.Errorf("offsets %d %d %d", d.Offset(BaseName), d.Offset(Time), d.Offset(0))
	}
	// Written back: the same bytes except the numbers' shortest forms.
	out, err := AppendCBOR(nil, []Record{r})
	if err != nil {
		t.Fatal(err)
	}
	d.Reset(out, Limits{})
	again, ok := d.Next()
	if !ok || !equalRecords(again, r) {
		t.Fatalf("re-read %x: %+v %v", out, again, d.Err())
	}
	want2 := strings.NewReplacer("c4 82 20 0f", "f9 3e00", "fb 3ff8000000000000", "f9 3e00", "c4 82 01 05", "18 32",
		"3b ffffffffffffffff", "fa df800000").Replace(cborAllFields)
	if !bytes.Equal(out, codectest.Unhex(t, want2)) {
		t.Errorf("AppendCBOR:\n got %x\nwant %x", out, codectest.Unhex(t, want2))
	}
}

func TestCBORDecoderSkips(t *testing.T) {
	in := codectest.Unhex(t, `
		82
		  a4 00 64 2f332f30         // n "/3/0"
		     09 f6                  // label 9: unknown, skipped
		     26 a1 00 81 00         // label -7: unknown, skipped
		     62 6e78 9f 01 c1 02 ff // "nx": unknown, skipped
		  a0                        // an empty record`)
	recs, err := rawCBOR(in)
	if err != nil || len(recs) != 2 || recs[0].Fields != Name || string(recs[0].Name) != "/3/0" || recs[1].Fields != 0 {
		t.Fatalf("%+v %v", recs, err)
	}
}

func TestCBORDecoderErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		hex    string
		lim    Limits
		class  error
		offset int
		field  string
	}{
		{"empty input", "", Limits{}, ErrTruncated, 0, "pack"},
		{"not an array", "a0", Limits{}, ErrMalformed, 0, "pack"},
		{"indefinite array", "9f ff", Limits{}, ErrUnsupported, 0, "pack"},
		{"count beyond the input", "82 a0", Limits{}, ErrTruncated, 0, "pack"},
		{"count beyond MaxRecords", "82 a0 a0", Limits{MaxRecords: 1}, ErrLimit, 0, "pack"},
		{"reserved additional information", "1c", Limits{}, ErrMalformed, 0, "pack"},
		{"record not a map", "81 80", Limits{}, ErrMalformed, 1, "record"},
		{"indefinite map", "81 bf ff", Limits{}, ErrUnsupported, 1, "record"},
		{"map count beyond the input", "81 a2 00 60", Limits{}, ErrTruncated, 1, "record"},
		{"truncated value", "81 a1 02 19 01", Limits{}, ErrTruncated, 3, "v"},
		{"truncated string", "81 a1 00 62 61", Limits{}, ErrTruncated, 3, "n"},
		{"bytes after the pack", "80 00", Limits{}, ErrMalformed, 1, "pack"},
		{"label twice", "81 a2 00 60 00 60", Limits{}, ErrMalformed, 4, "n"},
		{"must-understand text label", "81 a1 62 615f 00", Limits{}, ErrUnsupported, 2, "record"},
		{"byte string label", "81 a1 41 00 00", Limits{}, ErrMalformed, 2, "record"},
		{"float label", "81 a1 f9 0000 00", Limits{}, ErrMalformed, 2, "record"},
		{"invalid UTF-8 label", "81 a1 62 c328 00", Limits{}, ErrMalformed, 3, "record"},
		{"number for n", "81 a1 00 01", Limits{}, ErrMalformed, 3, "n"},
		{"bytes for vs", "81 a1 03 40", Limits{}, ErrMalformed, 3, "vs"},
		{"text for vd", "81 a1 08 60", Limits{}, ErrMalformed, 3, "vd"},
		{"text for v", "81 a1 02 60", Limits{}, ErrMalformed, 3, "v"},
		{"null for v", "81 a1 02 f6", Limits{}, ErrMalformed, 3, "v"},
		{"integer for vb", "81 a1 04 01", Limits{}, ErrMalformed, 3, "vb"},
		{"negative bver", "81 a1 20 20", Limits{}, ErrMalformed, 3, "bver"},
		{"float bver", "81 a1 20 f9 4900", Limits{}, ErrMalformed, 3, "bver"},
		{"invalid UTF-8 in vs", "81 a1 03 62 c328", Limits{}, ErrMalformed, 4, "vs"},
		{"indefinite vs", "81 a1 03 7f ff", Limits{}, ErrUnsupported, 3, "vs"},
		{"indefinite vd", "81 a1 08 5f ff", Limits{}, ErrUnsupported, 3, "vd"},
		{"tag 1 for t", "81 a1 06 c1 00", Limits{}, ErrUnsupported, 3, "t"},
		{"decimal fraction beyond float64", "81 a1 02 c4 82 19 0400 01", Limits{}, ErrMalformed, 3, "v"},
		{"malformed decimal fraction", "81 a1 02 c4 81 00", Limits{}, ErrMalformed, 4, "v"},
		{"string beyond MaxStringLen", "81 a1 03 63 616263", Limits{MaxStringLen: 2}, ErrLimit, 3, "vs"},
		{"unknown value too deep", "81 a1 09 81 81 00", Limits{MaxDepth: 3}, ErrLimit, 4, "record"},
		{"not well-formed unknown value", "81 a1 09 81 ff", Limits{}, ErrMalformed, 4, "record"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := rawRecordsCBOR(codectest.Unhex(t, c.hex), c.lim)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset || e.Field != c.field {
				t.Fatalf("got %v (%+v), want %v at offset %d in %s", err, e, c.class, c.offset, c.field)
			}
			if e.Rule == "" || !strings.HasPrefix(err.Error(), "senml: ") {
				t.Fatalf("incomplete error: %v", err)
			}
		})
	}
	// Under the limits, the same inputs read.
	for _, h := range []string{"82 a0 a0", "81 a1 03 62 6162", "81 a1 09 81 00"} {
		if _, err := rawRecordsCBOR(codectest.Unhex(t, h), Limits{MaxRecords: 2, MaxStringLen: 2, MaxDepth: 3}); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
}

func rawRecordsCBOR(b []byte, lim Limits) ([]Record, error) {
	var d CBORDecoder
	d.Reset(b, lim)
	var recs []Record
	for r, ok := d.Next(); ok; r, ok = d.Next() {
		recs = append(recs, r)
	}
	return recs, d.Err()
}

// Resolution errors carry the offset of the key concerned.
func TestDecodeCBORErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		hex    string
		base   string
		class  error
		offset int
		field  string
	}{
		// 82 | a2 00 66 "/3/0/9" 02 01 | a2 at 12 | 00 at 13: the same path.
		{"same path twice", "82 a2 00 66 2f332f302f39 02 01 a2 00 66 2f332f302f39 02 02", "/", ErrMalformed, 13, "n"},
		// 81 | a2 00 66 "/3/0/9" | 03 at 10.
		{"text for an integer resource", "81 a2 00 66 2f332f302f39 03 61 31", "/", ErrMalformed, 10, "vs"},
		{"outside the request path", "81 a2 00 66 2f332f302f39 02 01", "/4", ErrMalformed, 2, "n"},
		{"two values", "81 a3 00 66 2f332f302f39 02 01 04 f5", "/", ErrMalformed, 1, "record"},
		{"infinite value", "81 a2 00 66 2f332f302f39 02 f9 7c00", "/", ErrMalformed, 10, "v"},
		{"name not a path", "81 a2 00 62 2f78 02 01", "/", ErrMalformed, 2, "n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := DecodeCBOR(codectest.Unhex(t, c.hex), codectest.MustPath(t, c.base), lwm2m.CoreRegistry(), func(Resolved) error { return nil })
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset || e.Field != c.field {
				t.Fatalf("got %v, want %v at offset %d in %s", err, c.class, c.offset, c.field)
			}
		})
	}
	stop := errors.New("stop")
	n := 0
	err := DecodeCBOR(codectest.Unhex(t, "82 a1 00 64 2f332f30 a1 00 64 2f332f31"), path.Path{}, nil, func(Resolved) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatal(err, n)
	}
}

func TestAppendCBORErrors(t *testing.T) {
	for _, r := range []Record{
		{Fields: Name, Name: []byte{0xff}},
		{Fields: BaseUnit, BaseUnit: []byte{0xc3}},
		{Fields: ObjLinkValue, ObjLink: []byte{0x80}},
		{Fields: BaseVersion, BaseVersion: -1},
	} {
		out, err := AppendCBOR([]byte{7}, []Record{{}, r})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset != -1 || !bytes.Equal(out, []byte{7}) {
			t.Errorf("%+v: %x %v", r, out, err)
		}
	}
	// NaN and the infinities are CBOR floats: raw records keep them.
	recs := []Record{{Fields: Value | Time, Value: FloatNumber(math.NaN()), Time: FloatNumber(math.Inf(-1))}}
	out, err := AppendCBOR(nil, recs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := rawCBOR(out)
	if err != nil || len(got) != 1 || !equalRecords(got[0], recs[0]) {
		t.Fatalf("%x: %+v %v", out, got, err)
	}
	// Fields beyond the known ones are not written.
	out, _ = AppendCBOR(nil, []Record{{Fields: Name | 1<<20, Name: []byte("/1")}})
	if !bytes.Equal(out, codectest.Unhex(t, "81 a1 00 62 2f31")) {
		t.Errorf("unknown field bits: %x", out)
	}
}

func TestEncodeCBOR(t *testing.T) {
	s := func(v string) lwm2m.Value { return lwm2m.StringValue([]byte(v)) }
	for _, c := range []struct {
		name string
		base path.Path
		recs []Resolved
		hex  string
	}{
		{"nothing", path.Path{}, nil, "80"},
		{"values of every type", path.Instance(13, 0), []Resolved{
			{Path: path.Resource(13, 0, 0), Value: lwm2m.IntegerValue(-5)},
			{Path: path.Resource(13, 0, 1), Value: lwm2m.UnsignedValue(math.MaxUint64)},
			{Path: path.Resource(13, 0, 2), Value: lwm2m.FloatValue(18)},
			{Path: path.Resource(13, 0, 3), Value: s("a")},
			{Path: path.Resource(13, 0, 4), Value: lwm2m.BoolValue(false)},
			{Path: path.Resource(13, 0, 5), Value: lwm2m.OpaqueValue([]byte{9})},
			{Path: path.Resource(13, 0, 6), Value: lwm2m.TimeValue(-1)},
			{Path: path.Resource(13, 0, 7), Value: lwm2m.ObjlnkValue(lwm2m.NullObjLink)},
			{Path: path.Resource(13, 0, 8), Value: lwm2m.CorelnkValue([]byte("</1>"))},
			{Path: path.Resource(13, 0, 9)},
		}, `8a
			a3 21 66 2f31332f302f 00 61 30 02 24            // bn "/13/0/", n "0", v -5
			a2 00 61 31 02 1b ffffffffffffffff              // v 2^64-1
			a2 00 61 32 02 f9 4c80                          // v 18.0
			a2 00 61 33 03 61 61                            // vs "a"
			a2 00 61 34 04 f4                               // vb false
			a2 00 61 35 08 41 09                            // vd h'09'
			a2 00 61 36 02 20                               // v -1
			a2 00 61 37 63 766c6f 6b 36353533353a3635353335 // vlo "65535:65535"
			a2 00 61 38 03 64 3c2f313e                      // vs "</1>"
			a1 00 61 39                                     // no value`},
		{"relative times", path.Path{}, []Resolved{
			{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(22.5), Time: 1700000000, HasTime: true},
			{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(23), Time: 1700000010.5, HasTime: true},
			{Path: path.Resource(3303, 1, 5700), Value: lwm2m.FloatValue(23), Time: 1700000000, HasTime: true},
		}, `83
			a4 21 66 2f333330332f 22 1a 6553f100 // bn "/3303/", bt 1700000000
			   00 66 302f35373030 02 f9 4da0     // n "0/5700", v 22.5
			a3 00 66 302f35373030 02 f9 4dc0     // n "0/5700", v 23
			   06 f9 4940                        // t 10.5
			a2 00 66 312f35373030 02 f9 4dc0     // n "1/5700", v 23, the base time`},
		{"absolute times", path.Path{}, []Resolved{
			{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(1), Time: 0.1, HasTime: true},
			{Path: path.Resource(3, 0, 9), Value: lwm2m.IntegerValue(2)},
		}, `82
			a3 21 66 2f332f302f39 02 01 06 fb 3fb999999999999a // bn is the whole path
			a1 02 02`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := EncodeCBOR([]byte{0xaa}, c.base, c.recs)
			want := codectest.Unhex(t, c.hex)
			if err != nil || !bytes.Equal(out[1:], want) {
				t.Fatalf("got %x, %v\nwant %x", out[1:], err, want)
			}
			got, err := decodeAllCBOR(out[1:], c.base, encodeRegistry(t))
			if err != nil || strings.Join(showAll(got), "\n") != strings.Join(showAll(c.recs), "\n") {
				t.Fatalf("decoded %q, %v", showAll(got), err)
			}
		})
	}
}

func TestEncodeCBORErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		base  path.Path
		r     Resolved
		class error
	}{
		{"outside the request path", path.Object(4), Resolved{Path: path.Resource(3, 0, 0)}, ErrMalformed},
		{"value for an instance", path.Path{}, Resolved{Path: path.Instance(3, 0), Value: lwm2m.IntegerValue(1)}, ErrMalformed},
		{"NaN", path.Path{}, Resolved{Path: path.Resource(3, 0, 0), Value: lwm2m.FloatValue(math.NaN())}, ErrUnsupported},
		{"infinite time", path.Path{}, Resolved{Path: path.Resource(3, 0, 0), Time: math.Inf(1), HasTime: true}, ErrUnsupported},
		{"invalid UTF-8", path.Path{}, Resolved{Path: path.Resource(3, 0, 0), Value: lwm2m.StringValue([]byte{0xff})}, ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := EncodeCBOR([]byte{7}, c.base, []Resolved{{Path: path.Resource(3, 0, 1)}, c.r})
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != -1 || !bytes.Equal(out, []byte{7}) {
				t.Fatalf("%x %v", out, err)
			}
		})
	}
}

// encodeRegistry types the resources of object 13 in TestEncodeCBOR.
func encodeRegistry(tb testing.TB) *lwm2m.Registry {
	reg := lwm2m.CoreRegistry()
	var rs []lwm2m.ResourceDef
	for i, t := range []lwm2m.Type{lwm2m.Integer, lwm2m.Unsigned, lwm2m.Float, lwm2m.String, lwm2m.Boolean,
		lwm2m.Opaque, lwm2m.Time, lwm2m.Objlnk, lwm2m.Corelnk, lwm2m.String} {
		rs = append(rs, lwm2m.ResourceDef{ID: uint16(i), Name: "r", Type: t, Ops: lwm2m.OpRead})
	}
	if err := reg.Register(lwm2m.ObjectDef{ID: 13, Name: "test", Multiple: true, Resources: rs}); err != nil {
		tb.Fatal(err)
	}
	return reg
}

// A decoder is reusable: Reset forgets the previous pack.
func TestCBORDecoderReset(t *testing.T) {
	var d CBORDecoder
	d.Reset(codectest.Unhex(t, "81 a1 00 01"), Limits{})
	if _, ok := d.Next(); ok || d.Err() == nil {
		t.Fatal("accepted")
	}
	d.Reset(codectest.Unhex(t, "81 a1 00 61 61"), Limits{})
	if r, ok := d.Next(); !ok || string(r.Name) != "a" {
		t.Fatal(d.Err())
	}
	if _, ok := d.Next(); ok || d.Err() != nil {
		t.Fatal(d.Err())
	}
	if _, ok := d.Next(); ok || d.Err() != nil {
		t.Fatal("Next after the end")
	}
}
