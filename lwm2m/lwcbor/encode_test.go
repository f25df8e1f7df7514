package lwcbor

import (
	"bytes"
	"errors"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

func rec(p path.Path, v lwm2m.Value) Record { return Record{p, v} }

var (
	u1 = lwm2m.UnsignedValue(1)
	u2 = lwm2m.UnsignedValue(2)
)

// The canonical form of Encode (see its documentation).
func TestEncodeForms(t *testing.T) {
	for _, c := range []struct {
		name string
		base path.Path
		recs []Record
		hex  string
	}{
		{"nothing", path.Path{}, nil, "a0"},
		{"one resource", path.Instance(3, 0), []Record{rec(path.Resource(3, 0, 0), u1)},
			"a1 83030000 01"},
		{"two resources of an instance", path.Path{}, []Record{rec(path.Resource(3, 0, 0), u1), rec(path.Resource(3, 0, 1), u2)},
			"a1 82 0300 a2 00 01 01 02"},
		{"two objects", path.Path{}, []Record{
			rec(path.Resource(3, 0, 0), u1), rec(path.Resource(3, 0, 1), u2),
			rec(path.Resource(4, 0, 0), u1), rec(path.ResourceInstance(4, 0, 1, 0), u2), rec(path.ResourceInstance(4, 0, 1, 1), u1),
		},
			`a2
			   82 0300 a2 00 01 01 02           // [3, 0]: {0: 1, 1: 2}
			   82 0400 a2 00 01 01 a2 00 02 01 01 // [4, 0]: {0: 1, 1: {0: 2, 1: 1}}`},
		{"instances of one object", path.Object(3), []Record{rec(path.Resource(3, 0, 0), u1), rec(path.Resource(3, 1, 0), u2)},
			"a1 03 a2 82 0000 01 82 0100 02"}, // 3: {[0, 0]: 1, [1, 0]: 2}
		{"names", path.Path{}, []Record{rec(path.Object(1), lwm2m.Value{}), rec(path.Instance(3, 0), lwm2m.Value{}), rec(path.Resource(3, 1, 0), lwm2m.Value{})},
			"a2 01 f6 03 a2 00 f6 82 0100 f6"}, // {1: null, 3: {0: null, [1, 0]: null}}
		{"paths out of order", path.Path{}, []Record{rec(path.Resource(3, 0, 1), u1), rec(path.Resource(3, 0, 0), u2), rec(path.Object(4), lwm2m.Value{})},
			"a3 83 030001 01 83 030000 02 04 f6"},
		{"prefix out of order", path.Path{}, []Record{rec(path.Resource(3, 0, 1), u1), rec(path.Instance(3, 1), lwm2m.Value{}), rec(path.Resource(3, 0, 2), u2)},
			"a3 83 030001 01 82 0301 f6 83 030002 02"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Encode([]byte{0xaa}, c.base, c.recs)
			want := codectest.Unhex(t, c.hex)
			if err != nil || !bytes.Equal(out[1:], want) {
				t.Fatalf("got %x, %v\nwant %x", out[1:], err, want)
			}
			got, err := decodeAll(out[1:], c.base, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.recs) {
				t.Fatalf("%d records back", len(got))
			}
			for i := range got {
				if got[i].Path != c.recs[i].Path || !got[i].Value.Equal(c.recs[i].Value) {
					t.Fatalf("record %d: %v", i, show(got[i].Path, got[i].Value))
				}
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		base path.Path
		recs []Record
		err  error
		p    path.Path
	}{
		{"root record", path.Path{}, []Record{rec(path.Path{}, lwm2m.Value{})}, ErrMalformed, path.Path{}},
		{"outside the request path", path.Object(3), []Record{rec(path.Resource(4, 0, 0), u1)}, ErrMalformed, path.Resource(4, 0, 0)},
		{"value for an instance", path.Path{}, []Record{rec(path.Instance(3, 0), u1)}, ErrMalformed, path.Instance(3, 0)},
		{"invalid UTF-8", path.Path{}, []Record{rec(path.Resource(3, 0, 0), lwm2m.StringValue([]byte{0xc3}))}, ErrMalformed, path.Resource(3, 0, 0)},
		{"same path twice", path.Path{}, []Record{rec(path.Resource(3, 0, 0), u1), rec(path.Resource(3, 0, 0), u2)}, ErrMalformed, path.Resource(3, 0, 0)},
		{"same path twice, apart", path.Path{}, []Record{rec(path.Resource(3, 0, 1), u1), rec(path.Resource(3, 0, 0), u2), rec(path.Resource(3, 0, 1), u2)},
			ErrMalformed, path.Resource(3, 0, 1)},
		{"value and values below", path.Path{}, []Record{rec(path.Instance(3, 0), lwm2m.Value{}), rec(path.Resource(3, 0, 0), u1)}, ErrMalformed, path.Instance(3, 0)},
		{"values below and value, apart", path.Path{}, []Record{rec(path.Resource(3, 0, 0), u1), rec(path.Resource(1, 0, 0), u1), rec(path.Object(3), lwm2m.Value{})},
			ErrMalformed, path.Object(3)},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Encode([]byte{1, 2}, c.base, c.recs)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.err) || e.Offset != -1 || e.Path != c.p || !bytes.Equal(out, []byte{1, 2}) {
				t.Fatalf("got %x, %v", out, err)
			}
			t.Log(err)
		})
	}
}

// deviceRecords are the values of a Device object instance /3/0, those of
// the vectors tlv_device_3_0_resources_spec and senml_cbor_device_3_0_spec.
func deviceRecords() []Record {
	s := func(s string) lwm2m.Value { return lwm2m.StringValue([]byte(s)) }
	i := lwm2m.IntegerValue
	r := func(id uint16, v lwm2m.Value) Record { return Record{path.Resource(3, 0, id), v} }
	ri := func(id, inst uint16, v lwm2m.Value) Record { return Record{path.ResourceInstance(3, 0, id, inst), v} }
	return []Record{
		r(0, s("Open Mobile Alliance")), r(1, s("Lightweight M2M Client")), r(2, s("345000123")), r(3, s("1.0")),
		ri(6, 0, i(1)), ri(6, 1, i(5)), ri(7, 0, i(3800)), ri(7, 1, i(5000)), ri(8, 0, i(125)), ri(8, 1, i(900)),
		r(9, i(100)), r(10, i(15)), ri(11, 0, i(0)), r(13, lwm2m.TimeValue(1367491215)), r(14, s("+02:00")), r(16, s("U")),
	}
}
