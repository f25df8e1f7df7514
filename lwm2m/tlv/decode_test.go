package tlv

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// fullDevice returns records for every resource of the core Device object
// (3) that carries a value, with values of each resource's type, and the
// empty Multiple Resource case (resource 11, Error Code, with no instance).
func fullDevice(t *testing.T, reg *lwm2m.Registry) []Record {
	obj, ok := reg.Object(3)
	if !ok {
		t.Fatal("no Device object")
	}
	var recs []Record
	for i, r := range obj.Resources {
		var v lwm2m.Value
		switch r.Type {
		case lwm2m.None:
			continue // Execute
		case lwm2m.String:
			v = lwm2m.StringValue([]byte(strings.Repeat("s", i*3)))
		case lwm2m.Integer:
			v = lwm2m.IntegerValue(int64(i) * -1000)
		case lwm2m.Unsigned:
			v = lwm2m.UnsignedValue(uint64(i) << 20)
		case lwm2m.Float:
			v = lwm2m.FloatValue(float64(i) + 0.1)
		case lwm2m.Boolean:
			v = lwm2m.BoolValue(i%2 == 0)
		case lwm2m.Opaque:
			v = lwm2m.OpaqueValue(bytes.Repeat([]byte{byte(i)}, 300))
		case lwm2m.Time:
			v = lwm2m.TimeValue(1367491215 + int64(i))
		case lwm2m.Objlnk:
			v = lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: uint16(i), Instance: 0})
		case lwm2m.Corelnk:
			v = lwm2m.CorelnkValue([]byte("</3/0>"))
		}
		p := path.Resource(3, 0, r.ID)
		switch {
		case r.ID == 11:
			recs = append(recs, Record{p, lwm2m.Value{}}) // no error: an empty Multiple Resource
		case r.Multiple:
			for ri := range uint16(3) {
				recs = append(recs, Record{path.ResourceInstance(3, 0, r.ID, ri*200), v})
			}
		default:
			recs = append(recs, Record{p, v})
		}
	}
	return recs
}

// The whole Device object in every resource type it has: encode, decode with
// the core registry, encode again: identical bytes and records, at the
// object and the instance path.
func TestDeviceRoundTrip(t *testing.T) {
	reg := lwm2m.CoreRegistry()
	recs := fullDevice(t, reg)
	for _, base := range []string{"/3", "/3/0"} {
		b := codectest.MustPath(t, base)
		out, err := Encode(nil, b, recs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeAll(out, b, reg)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(showAll(got), "\n") != strings.Join(showAll(recs), "\n") {
			t.Fatalf("%s: got\n%s\nwant\n%s", base, strings.Join(showAll(got), "\n"), strings.Join(showAll(recs), "\n"))
		}
		again, err := Encode(nil, b, got)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("%s: not identical: %v", base, err)
		}
	}
	// Every Device resource is covered.
	types := map[lwm2m.Type]bool{}
	for _, r := range recs {
		types[r.Value.Type()] = true
	}
	if len(recs) < 20 || !types[lwm2m.Time] || !types[lwm2m.Objlnk] || !types[lwm2m.None] {
		t.Fatalf("%d records, types %v", len(recs), types)
	}
}

func TestValuesCursor(t *testing.T) {
	// Read /3/0/11 answered with an empty Multiple Resource, then with one.
	for _, c := range []struct{ hex, want string }{
		{"80 0b", "/3/0/11 none null"},
		{"83 0b 41 00 05", "/3/0/11/0 integer 5"},
		{"41 00 05 41 01 06", "/3/0/11/0 integer 5,/3/0/11/1 integer 6"},
	} {
		it := NewValues(codectest.Unhex(t, c.hex), codectest.MustPath(t, "/3/0/11"), lwm2m.CoreRegistry(), Limits{})
		var got []string
		for it.Next() {
			got = append(got, show(it.Path(), it.Value()))
		}
		if it.Err() != nil || strings.Join(got, ",") != c.want {
			t.Errorf("%s: %q %v", c.hex, got, it.Err())
		}
	}
	// Offsets of the entries.
	it := NewValues(codectest.Unhex(t, "c1 00 41 c1 01 42"), codectest.MustPath(t, "/3/0"), nil, Limits{})
	for _, off := range []int{0, 3} {
		if !it.Next() || it.Offset() != off || it.Value().Type() != lwm2m.Opaque {
			t.Fatalf("offset %d: %v", it.Offset(), it.Err())
		}
	}
}

func TestDecodeCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Decode(codectest.Unhex(t, "c1 00 41 c1 01 42"), codectest.MustPath(t, "/3/0"), nil, func(path.Path, lwm2m.Value) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Fatal(err, n)
	}
}

// Identifiers out of order are fine; repeats are found by the rescan (up to
// 16 earlier siblings) and by the bitmap past that, and the bitmap is
// cleared between containers.
func TestDuplicates(t *testing.T) {
	build := func(ids ...uint16) []byte {
		var w Writer
		for _, id := range ids {
			w.Value(Resource, id, lwm2m.OpaqueValue(nil))
		}
		b, err := w.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	desc := func(n int) []uint16 {
		var ids []uint16
		for i := n; i > 0; i-- {
			ids = append(ids, uint16(i*7))
		}
		return ids
	}
	base := codectest.MustPath(t, "/9/0")
	for _, c := range []struct {
		name string
		ids  []uint16
		dup  bool
	}{
		{"ascending", []uint16{0, 1, 2, 300, 65534}, false},
		{"descending-short", desc(10), false},
		{"descending-long", desc(500), false},
		{"repeat-short", append(desc(10), 21), true},
		{"repeat-long", append(desc(500), 7*250), true},
		{"repeat-long-max", append(append(desc(40), 65534), 65534), true},
	} {
		_, err := decodeAll(build(c.ids...), base, nil)
		if c.dup != (err != nil) || c.dup && !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// Two instances, each with the same resources out of order: the
	// bitmap of the first must not leak into the second.
	var w Writer
	for inst := range uint16(2) {
		w.Begin(ObjectInstance, inst)
		for _, id := range desc(40) {
			w.Value(Resource, id, lwm2m.OpaqueValue(nil))
		}
		w.End()
	}
	b, _ := w.Bytes()
	if recs, err := decodeAll(b, codectest.MustPath(t, "/9"), nil); err != nil || len(recs) != 80 {
		t.Fatal(len(recs), err)
	}
}

func TestEncode(t *testing.T) {
	v := lwm2m.IntegerValue(5)
	for _, c := range []struct {
		name string
		base string
		recs []Record
		hex  string
	}{
		{"resource-under-instance", "/3/0", []Record{{path.Resource(3, 0, 9), v}}, "c1 09 05"},
		{"resource-under-resource", "/3/0/9", []Record{{path.Resource(3, 0, 9), v}}, "c1 09 05"},
		{"instances-under-resource", "/3/0/7", []Record{{path.ResourceInstance(3, 0, 7, 0), v}, {path.ResourceInstance(3, 0, 7, 1), v}}, "86 07 41 00 05 41 01 05"},
		{"resource-instance", "/3/0/7/1", []Record{{path.ResourceInstance(3, 0, 7, 1), v}}, "41 01 05"},
		{"instances-under-object", "/3", []Record{{path.Resource(3, 0, 9), v}, {path.Resource(3, 1, 9), v}, {path.ResourceInstance(3, 1, 7, 0), v}}, "03 00 c1 09 05  08 01 08 c1 09 05 83 07 41 00 05"},
		{"empty-instances", "/3", []Record{{path.Instance(3, 1), lwm2m.Value{}}, {path.Instance(3, 2), lwm2m.Value{}}}, "00 01 00 02"},
		{"empty-instance-at-instance", "/3/1", []Record{{path.Instance(3, 1), lwm2m.Value{}}}, "00 01"},
		{"empty-multiple", "/3/0", []Record{{path.Resource(3, 0, 11), lwm2m.Value{}}}, "80 0b"},
		{"multiple-then-single", "/3/0", []Record{{path.ResourceInstance(3, 0, 6, 0), v}, {path.Resource(3, 0, 9), v}, {path.ResourceInstance(3, 0, 7, 0), v}}, "83 06 41 00 05 c1 09 05 83 07 41 00 05"},
		{"nothing", "/3/0", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Encode([]byte{0xee}, codectest.MustPath(t, c.base), c.recs)
			if err != nil {
				t.Fatal(err)
			}
			if want := append([]byte{0xee}, codectest.Unhex(t, c.hex)...); !bytes.Equal(out, want) {
				t.Fatalf("got % x\nwant % x", out, want)
			}
			got, err := decodeAll(out[1:], codectest.MustPath(t, c.base), nil)
			if err != nil || len(got) != len(c.recs) {
				t.Fatalf("decode back: %q %v", showAll(got), err)
			}
			for i := range got {
				if got[i].Path != c.recs[i].Path {
					t.Fatalf("record %d: %v", i, got[i].Path)
				}
			}
		})
	}
	for _, c := range []struct {
		name  string
		base  string
		recs  []Record
		class error
	}{
		{"root", "/", []Record{{path.Resource(3, 0, 9), v}}, ErrUnsupported},
		{"outside", "/3/0", []Record{{path.Resource(3, 1, 9), v}}, ErrMalformed},
		{"object-record", "/3", []Record{{path.Object(3), v}}, ErrMalformed},
		{"instance-with-value", "/3", []Record{{path.Instance(3, 0), v}}, ErrMalformed},
		{"bad-utf8", "/3/0", []Record{{path.Resource(3, 0, 0), lwm2m.StringValue([]byte{0xff})}}, ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := []byte{0xee}
			out, err := Encode(in, codectest.MustPath(t, c.base), c.recs)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != -1 || e.Path != c.recs[0].Path || !bytes.Equal(out, in) {
				t.Fatalf("got %x %v", out, err)
			}
		})
	}
}
