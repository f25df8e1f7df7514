package tlv

import (
	"bytes"
	"errors"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
)

// writeDevice writes the Device object instance of the LwM2M Core 7.4.3
// example (vector tlv_device_3_0_object_instance_wrapped_spec) with the
// Writer; values and strings are passed in so that nothing allocates.
type deviceValues struct {
	manufacturer, model, serial, firmware, utcOffset, binding []byte
}

func newDeviceValues() *deviceValues {
	return &deviceValues{
		[]byte("Open Mobile Alliance"), []byte("Lightweight M2M Client"), []byte("345000123"),
		[]byte("1.0"), []byte("+02:00"), []byte("U"),
	}
}

func writeDevice(w *Writer, d *deviceValues) {
	w.Begin(ObjectInstance, 0)
	w.Value(Resource, 0, lwm2m.StringValue(d.manufacturer))
	w.Value(Resource, 1, lwm2m.StringValue(d.model))
	w.Value(Resource, 2, lwm2m.StringValue(d.serial))
	w.Value(Resource, 3, lwm2m.StringValue(d.firmware))
	w.Begin(MultipleResource, 6)
	w.Value(ResourceInstance, 0, lwm2m.IntegerValue(1))
	w.Value(ResourceInstance, 1, lwm2m.IntegerValue(5))
	w.End()
	w.Begin(MultipleResource, 7)
	w.Value(ResourceInstance, 0, lwm2m.IntegerValue(3800))
	w.Value(ResourceInstance, 1, lwm2m.IntegerValue(5000))
	w.End()
	w.Begin(MultipleResource, 8)
	w.Value(ResourceInstance, 0, lwm2m.IntegerValue(125))
	w.Value(ResourceInstance, 1, lwm2m.IntegerValue(900))
	w.End()
	w.Value(Resource, 9, lwm2m.IntegerValue(100))
	w.Value(Resource, 10, lwm2m.IntegerValue(15))
	w.Begin(MultipleResource, 11)
	w.Value(ResourceInstance, 0, lwm2m.IntegerValue(0))
	w.End()
	w.Value(Resource, 13, lwm2m.TimeValue(1367491215))
	w.Value(Resource, 14, lwm2m.StringValue(d.utcOffset))
	w.Value(Resource, 16, lwm2m.StringValue(d.binding))
	w.End()
}

func TestWriterDevice(t *testing.T) {
	want := codectest.Unhex(t, codectest.VectorByName(t, "tlv_device_3_0_object_instance_wrapped_spec").Hex)
	var w Writer
	w.Reset([]byte("prefix"))
	writeDevice(&w, newDeviceValues())
	out, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if string(out[:6]) != "prefix" || !bytes.Equal(out[6:], want) {
		t.Fatalf("got  %x\nwant %x", out[6:], want)
	}
}

// Containers whose body crosses each length width: the patch moves the
// body only when the 3-bit length does not hold it, and nested containers
// are patched inside out.
func TestWriterLengths(t *testing.T) {
	for _, c := range []struct {
		body int
		hdr  string // type byte, identifier, Length field
	}{
		{0, "00 07"}, {7, "07 07"}, {8, "08 07 08"}, {255, "08 07 ff"}, {256, "10 07 01 00"},
		{65535, "10 07 ff ff"}, {65536, "18 07 01 00 00"}, {MaxValueLen, "18 07 ff ff ff"},
	} {
		var w Writer
		w.Begin(ObjectInstance, 7)
		if c.body > 0 {
			w.Append(Resource, 1, bytes.Repeat([]byte{'v'}, c.body-headerLen(c.body)))
		}
		w.End()
		out, err := w.Bytes()
		if err != nil {
			t.Fatalf("%d: %v", c.body, err)
		}
		h := codectest.Unhex(t, c.hdr)
		if !bytes.Equal(out[:len(h)], h) || len(out) != len(h)+c.body {
			t.Fatalf("%d: header % x, len %d", c.body, out[:min(len(out), 6)], len(out))
		}
		r := NewReader(out, codectest.MustPath(t, "/9"), Limits{})
		if e, ok := r.Next(); !ok || len(e.Value) != c.body {
			t.Fatalf("%d: read back %v", c.body, r.Err())
		}
	}
	// Nested: both levels grow; the outer body includes the inner header.
	var w Writer
	w.Begin(ObjectInstance, 1)
	w.Begin(MultipleResource, 300)
	for i := range 100 {
		w.Value(ResourceInstance, uint16(i), lwm2m.IntegerValue(int64(i)))
	}
	w.End()
	w.Value(Resource, 2, lwm2m.BoolValue(true))
	w.End()
	out, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// 00 01 len16 | a0 012c len16 | 100 x (41 ii vv) | c1 02 01
	if got, want := out[:9], codectest.Unhex(t, "10 01 01 34  b0 01 2c 01 2c"); !bytes.Equal(got, want) {
		t.Fatalf("% x", got)
	}
	recs, err := decodeAll(out, codectest.MustPath(t, "/9"), nil)
	if err != nil || len(recs) != 101 {
		t.Fatal(len(recs), err)
	}
	// A container over the 24-bit limit is refused.
	w = Writer{}
	w.Begin(ObjectInstance, 1)
	w.Append(Resource, 2, make([]byte, MaxValueLen))
	w.End()
	if _, err := w.Bytes(); !errors.Is(err, ErrLimit) {
		t.Fatal(err)
	}
}

// headerLen is the size of the header of a resource entry that makes a
// container body of n bytes: type, 8-bit identifier, Length field.
func headerLen(n int) int {
	for h := 2; h <= 5; h++ {
		if 2+lenWidth(n-h) == h {
			return h
		}
	}
	return 5
}

func TestWriterErrors(t *testing.T) {
	orig := []byte("keep")
	for _, c := range []struct {
		name  string
		fn    func(w *Writer)
		class error
	}{
		{"instance-in-instance", func(w *Writer) { w.Begin(ObjectInstance, 0); w.Begin(ObjectInstance, 1) }, ErrMalformed},
		{"resource-in-multiple", func(w *Writer) { w.Begin(MultipleResource, 0); w.Value(Resource, 1, lwm2m.IntegerValue(1)) }, ErrMalformed},
		{"resource-instance-in-instance", func(w *Writer) { w.Begin(ObjectInstance, 0); w.Append(ResourceInstance, 1, nil) }, ErrMalformed},
		{"id-65535", func(w *Writer) { w.Value(Resource, 0xffff, lwm2m.IntegerValue(1)) }, ErrMalformed},
		{"begin-value-kind", func(w *Writer) { w.Begin(Resource, 1) }, ErrMalformed},
		{"value-container-kind", func(w *Writer) { w.Value(MultipleResource, 1, lwm2m.IntegerValue(1)) }, ErrMalformed},
		{"unknown-kind", func(w *Writer) { w.Append(Kind(4), 1, nil) }, ErrMalformed},
		{"end-without-begin", func(w *Writer) { w.End() }, ErrMalformed},
		{"unclosed", func(w *Writer) { w.Begin(ObjectInstance, 0) }, ErrMalformed},
		{"bad-utf8", func(w *Writer) { w.Value(Resource, 0, lwm2m.StringValue([]byte{0xff})) }, ErrMalformed},
		{"too-long", func(w *Writer) { w.Append(Resource, 0, make([]byte, MaxValueLen+1)) }, ErrLimit},
	} {
		t.Run(c.name, func(t *testing.T) {
			var w Writer
			w.Reset(orig)
			w.Value(Resource, 5, lwm2m.IntegerValue(1))
			c.fn(&w)
			w.Value(Resource, 6, lwm2m.IntegerValue(1)) // ignored after the error
			out, err := w.Bytes()
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != -1 {
				t.Fatalf("got %v, want %v", err, c.class)
			}
			if string(out) != "keep" || string(orig) != "keep" {
				t.Fatalf("returned %q", out)
			}
			if w.Err() != err {
				t.Fatal("Err differs from Bytes")
			}
		})
	}
}
