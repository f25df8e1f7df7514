package lwcbor

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

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

// nonCanonical lists the valid vectors that Encode does not reproduce byte
// for byte, with the reason and the canonical form Encode writes (see
// Encode), which must decode to the same records.
var nonCanonical = map[string]struct{ why, canonical string }{
	"lwm2m_cbor_indefinite_map_and_array": {
		"indefinite-length map and key array",
		"a1 830d181a01 182a", // {[13, 26, 1]: 42}
	},
	"lwm2m_cbor_nested_single_element_arrays": {
		"one-element arrays as keys, a map per level",
		"a1 830d181a01 182a",
	},
	"lwm2m_cbor_all_indefinite": {
		"indefinite-length maps and arrays at every level",
		"a1 830d181a01 182a",
	},
	"lwm2m_cbor_decimal_fraction_value": {
		"a map per level and a decimal fraction where a half float holds 4.5",
		"a1 840d181a0102 f94480", // {[13, 26, 1, 2]: 4.5}
	},
	"lwm2m_cbor_two_resources_mixed": {
		"the shared prefix /13/26 is written twice",
		"a1 820d181a a2 01182a 0215", // {[13, 26]: {1: 42, 2: 21}}
	},
	"lwm2m_cbor_composite_indefinite": {
		"indefinite-length maps, a map per level",
		"a2 830d181a01 01 830e181b02 02", // {[13, 26, 1]: 1, [14, 27, 2]: 2}
	},
	"lwm2m_cbor_encoder_single_resource": {
		"Anjay writes indefinite-length maps",
		"a1 830d181a01 182a",
	},
	"lwm2m_cbor_encoder_two_resources": {
		"Anjay writes indefinite-length maps and one map per level below the request path",
		"a1 820d181a a2 01182a 0215",
	},
	"lwm2m_cbor_encoder_resource_instances": {
		"Anjay writes indefinite-length maps",
		"a1 820d181a a2 01182a 03a2 15fb40516b851eb851ec 1825f4", // {[13, 26]: {1: 42, 3: {21: 69.68, 37: false}}}
	},
	"lwm2m_cbor_encoder_two_objects": {
		"Anjay writes indefinite-length maps and a map per level",
		// {[13, 26]: {1: 42, 2: 21}, [14, 27]: {1: 43, 2: 22}}
		"a2 820d181a a2 01182a 0215 820e181b a2 01182b 0216",
	},
}

// Expected errors: the class and offset each invalid vector must give,
// with the layout of its bytes.
var vectorErrors = map[string]struct {
	class  error
	offset int
}{
	// a1 map(1) | 83 array(3) 0d 181a 1a00010000: 65536 is above MAX_ID.
	"lwm2m_cbor_invalid_id_too_big_array": {ErrMalformed, 5},
	// a1 0d a1 181a a1 01 a1 02 a1 03 04: the key 03 makes /13/26/1/2/3.
	"lwm2m_cbor_invalid_path_too_long_nested": {ErrMalformed, 10},
	// a2 map(2) | 0d: a1 map(1) | 80: an empty array as a key.
	"lwm2m_cbor_invalid_empty_array_key": {ErrMalformed, 3},
	// a1 | 830d181a01 = /13/26/1 (key at offset 1) for a request on /14.
	"lwm2m_cbor_invalid_outside_base_object": {ErrMalformed, 1},
	// a1 | 830d181a01 = /13/26/1 for a request on /13/26/1/69.
	"lwm2m_cbor_invalid_outside_base_resource_instance": {ErrMalformed, 1},
	// a1 | 83 0d fb3fd0a3d70a3d70a4 01: a float as a path element.
	"lwm2m_cbor_invalid_float_path_segment": {ErrMalformed, 3},
}

func TestVectors(t *testing.T) {
	vs := codectest.LoadVectors(t)
	if len(vs) != 20 {
		t.Fatalf("%d vectors, want the 20 lwm2m+cbor ones", len(vs))
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
			got := showAll(recs)
			codectest.SameLines(t, got, want)
			out, err := Encode(nil, base, recs)
			if err != nil {
				t.Fatal(err)
			}
			if nc, ok := nonCanonical[v.Name]; ok {
				if !bytes.Equal(out, codectest.Unhex(t, nc.canonical)) {
					t.Fatalf("canonical form %x, want %s", out, nc.canonical)
				}
				again, err := decodeAll(out, base, reg)
				if err != nil || strings.Join(showAll(again), "\n") != strings.Join(got, "\n") {
					t.Fatalf("re-encoding %x decodes to %q, %v", out, showAll(again), err)
				}
				t.Logf("not canonical (%s): %x", nc.why, out)
			} else if !bytes.Equal(out, in) {
				t.Fatalf("Encode:\n got %x\nwant %x", out, in)
			}
		})
	}
}

// Without a registry, values take the type of their CBOR item; the vector
// all_types shows it: unsigned 1 and 7 stay unsigned, -1 is an integer,
// 2.5 a float, text a string (also "12:34"), bytes opaque.
func TestVectorsWireTypes(t *testing.T) {
	v := codectest.VectorByName(t, "lwm2m_cbor_all_types")
	recs, err := decodeAll(codectest.Unhex(t, v.Hex), codectest.MustPath(t, v.BasePath), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/13/26/1 unsigned 1", "/13/26/2 integer -1", "/13/26/3 float 2.5", "/13/26/4 string test",
		"/13/26/5 opaque 11223344", "/13/26/6 string 12:34", "/13/26/7 unsigned 1",
	}
	if got := showAll(recs); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %q", got)
	}
	// Every valid vector decodes without a registry too.
	for _, v := range codectest.LoadVectors(t) {
		if v.ExpectedError {
			continue
		}
		if _, err := decodeAll(codectest.Unhex(t, v.Hex), codectest.MustPath(t, v.BasePath), nil); err != nil {
			t.Errorf("%s: %v", v.Name, err)
		}
	}
}
