package tlv

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Where this package's output differs from a vector's "expected", and why.
var disagree = map[string]struct {
	want []string
	why  string
}{
	// The vector's own note says "decoders must report instances /3/1 and
	// /3/2 exist", and cli-json.md gives "none" as the type of "an empty
	// instance"; its expected list is empty only because records carry
	// values. LwM2M Core 7.4.3: an Object Instance TLV with an empty value
	// is an instance without readable resources, and Decode -> Encode must
	// keep it to reproduce the payload.
	"tlv_empty_object_instances": {
		want: []string{"/3/1 none null", "/3/2 none null"},
		why:  "an empty Object Instance TLV is reported as a value of type none",
	},
}

// nonCanonical lists the valid vectors that Encode does not reproduce byte
// for byte, with the reason; their re-encoding must decode to the same
// records.
var nonCanonical = map[string]string{
	"tlv_obj3442_corelnk_value": "Object Instance TLV around the resources of a request on /3442/0",
}

// show and showValue format records and values as the vectors (and
// cli-json.md) write them.
var (
	show      = codectest.Plain.Record
	showValue = codectest.Plain.Value
)

// decodeAll collects the records of a payload.
func decodeAll(b []byte, base path.Path, reg *lwm2m.Registry) ([]Record, error) {
	return codectest.Collect(func(fn func(Record) error) error {
		return Decode(b, base, reg, func(p path.Path, v lwm2m.Value) error { return fn(Record{p, v}) })
	})
}

// errorAt reports where an *Error is, for the vector errors (which give
// no field).
func errorAt(e *Error) (int, string) { return e.Offset, "" }

func showRecord(r Record) string { return show(r.Path, r.Value) }

func showAll(recs []Record) []string { return codectest.ShowAll(recs, showRecord) }

// Expected errors: the class and offset each invalid vector must give,
// with the layout of its bytes.
var vectorErrors = map[string]struct {
	class  error
	offset int
}{
	// e7 = resource, 16-bit identifier, 3-bit length 7; the identifier is missing.
	"tlv_invalid_16bit_id_truncated": {ErrTruncated, 1},
	// f8 = resource, 16-bit identifier, 24-bit length | 0102 identifier | 0186: one byte short.
	"tlv_invalid_24bit_length_truncated": {ErrTruncated, 3},
	// 88 16 0c multiple resource 22, 12 bytes | 44 00 00640001 instance 0 | 44 00 00650002 instance 0 again.
	"tlv_invalid_duplicate_resource_instance": {ErrMalformed, 10},
	// 23 = object instance, 16-bit identifier, length 3 | ffff: MAX_ID.
	"tlv_invalid_object_instance_id_65535": {ErrMalformed, 1},
	// 04 05 object instance 5, 4 bytes | e1 ffff 0a: resource 65535.
	"tlv_invalid_resource_id_65535": {ErrMalformed, 3},
	// 61 = resource instance, 16-bit identifier, length 1 | ffff: MAX_ID.
	"tlv_invalid_resource_instance_id_65535": {ErrMalformed, 1},
	// 03 05 object instance 5 in a payload for /3/4.
	"tlv_invalid_instance_id_mismatch_with_uri": {ErrMalformed, 1},
	// c3 01 resource 1, 3 bytes | 3f8000: a float is 4 or 8 bytes.
	"tlv_invalid_float_3_bytes": {ErrMalformed, 2},
	// c1 01 resource 1, 1 byte | 02: a boolean is 0 or 1.
	"tlv_invalid_boolean_value_2": {ErrMalformed, 2},
	// c5 01 resource 1, 5 bytes | ffffffffff: an object link is 4 bytes.
	"tlv_invalid_objlnk_5_bytes": {ErrMalformed, 2},
}

func TestVectors(t *testing.T) {
	vs := codectest.LoadVectors(t)
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			in, base, reg := v.Inputs(t)
			recs, err := decodeAll(in, base, reg)
			if v.ExpectedError {
				want, ok := vectorErrors[v.Name]
				if !ok {
					t.Fatalf("no expected error class for this vector; got %v", err)
				}
				codectest.CheckVectorError(t, err, want.class, want.offset, "", errorAt)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := codectest.Plain.Want(t, v)
			if d, ok := disagree[v.Name]; ok {
				t.Logf("differs from expected %q: %s", want, d.why)
				want = d.want
			}
			got := showAll(recs)
			codectest.SameLines(t, got, want)
			// Round trip.
			out, err := Encode(nil, base, recs)
			if err != nil {
				t.Fatal(err)
			}
			if why, ok := nonCanonical[v.Name]; ok {
				again, err := decodeAll(out, base, reg)
				if err != nil || strings.Join(showAll(again), "\n") != strings.Join(got, "\n") {
					t.Fatalf("re-encoding %x decodes to %q, %v", out, showAll(again), err)
				}
				t.Logf("not canonical (%s): %x", why, out)
			} else if !bytes.Equal(out, in) {
				t.Fatalf("Encode:\n got %x\nwant %x", out, in)
			}
		})
	}
}

// The vectors whose resources are all in the core registry decode the same
// with CoreRegistry alone, so the registry-derived types above are only a
// stand-in for the test objects.
func TestVectorsCoreRegistry(t *testing.T) {
	core := lwm2m.CoreRegistry()
	n := 0
	for _, v := range codectest.LoadVectors(t) {
		if v.ExpectedError {
			continue
		}
		if _, changed := v.Registry(t); changed > 0 {
			continue
		}
		n++
		base, _ := path.Parse(v.BasePath)
		recs, err := decodeAll(codectest.Unhex(t, v.Hex), base, core)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if len(recs) == 0 && len(v.Expected) == 0 {
			continue
		}
		for i, e := range v.Expected {
			if i >= len(recs) || show(recs[i].Path, recs[i].Value) != codectest.Plain.Expected(t, e) {
				t.Errorf("%s: record %d differs", v.Name, i)
				break
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d vectors use core objects alone", n)
	}
}
