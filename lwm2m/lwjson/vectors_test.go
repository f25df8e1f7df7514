package lwjson

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// show formats a record as "path type value", the value as the vectors
// (and cli-json.md) write it, then " @time" when it has one.
func show(r Record) string { return codectest.Exact.Timed(r.Path, r.Value, r.Time, r.HasTime) }

// showUntimed formats a record as show does, without the time.
func showUntimed(r Record) string { return codectest.Exact.Record(r.Path, r.Value) }

func decodeAll(b []byte, base path.Path, reg *lwm2m.Registry) ([]Record, error) {
	return codectest.Collect(func(fn func(Record) error) error { return Decode(b, base, reg, fn) })
}

// errorAt reports where an *Error is, for the vector errors.
func errorAt(e *Error) (int, string) { return e.Offset, e.Field }

func showAll(recs []Record) []string { return codectest.ShowAll(recs, show) }

// The class, offset and member each invalid vector must give.
var vectorErrors = map[string]struct {
	class  error
	offset int
	field  string
}{
	// {} : no e array.
	"lwjson_invalid_no_e_leshan": {ErrMalformed, 0, "root"},
	// {"bn":"2/0/","e":[{"n":"0"}]} : the entry at 18 has no value.
	"lwjson_invalid_missing_value_leshan": {ErrMalformed, 18, "entry"},
	// ...{"n":"1","sv":"client2"} : the second "n" at 44 repeats /3/0/1.
	"lwjson_invalid_duplicate_resource_leshan": {ErrMalformed, 44, "n"},
	// ...{"n":"1","v":0} : the second "n" at 38 repeats /3/0/11/1.
	"lwjson_invalid_duplicate_resource_instance_leshan": {ErrMalformed, 38, "n"},
}

// canonical lists the valid vectors that Encode reproduces byte for byte:
// Leshan's encoder output. The others differ in white space, member order,
// bn or times (Encode writes absolute times, no bt).
var canonical = map[string]bool{
	"lwjson_device_3_0_leshan":                   true,
	"lwjson_timestamped_resource_encoded_leshan": true,
	"lwjson_timestamped_object_encoded_leshan":   true,
	"lwjson_multiple_resource_wakaama":           true,
	"lwjson_objlnk_ov_wakaama":                   true,
	"lwjson_empty_string_wakaama":                false, // base / gives bn "/"
}

func TestVectors(t *testing.T) {
	vs := codectest.LoadVectors(t)
	if len(vs) < 20 {
		t.Fatalf("%d vectors", len(vs))
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			in, base, reg := v.Inputs(t)
			recs, err := decodeAll(in, base, reg)
			if v.ExpectedError {
				want, ok := vectorErrors[v.Name]
				if !ok {
					t.Fatalf("no expected error for this vector; got %v", err)
				}
				codectest.CheckVectorError(t, err, want.class, want.offset, want.field, errorAt)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			codectest.SameLines(t, codectest.ShowAll(recs, showUntimed), codectest.Exact.Want(t, v))
			for i, r := range recs {
				if v.Times == nil && r.HasTime || v.Times != nil && (!r.HasTime || r.Time != v.Times[i]) {
					t.Errorf("record %d: time %v (%v), want %v", i, r.Time, r.HasTime, v.Times)
				}
			}
			out, err := Encode(nil, base, recs)
			if err != nil {
				t.Fatal(err)
			}
			again, err := decodeAll(out, base, reg)
			if err != nil || strings.Join(showAll(again), "\n") != strings.Join(showAll(recs), "\n") {
				t.Fatalf("re-encoding %s decodes to %q, %v", out, showAll(again), err)
			}
			if canonical[v.Name] != bytes.Equal(out, in) {
				t.Fatalf("canonical %v; Encode:\n got %s\nwant %s", canonical[v.Name], out, in)
			}
			if !canonical[v.Name] {
				t.Logf("re-encoded as %s", out)
			}
		})
	}
}

// Without a registry the values are typed by their member; only the Time
// resource and the integer written as 23.0 differ.
func TestVectorsWireTypes(t *testing.T) {
	byModel := map[string]bool{
		"/3/0/13 time 1367491215":               true, // a Time resource is an integer on the wire
		"/1024/1/1 float 23/4037000000000000":   true, // 23.0: still a float
		"/1024/0/1 float 10.5/4025000000000000": false,
		"/12/0/1 integer 1234":                  false,
	}
	for _, v := range codectest.LoadVectors(t) {
		if v.ExpectedError {
			continue
		}
		base, _ := path.Parse(v.BasePath)
		recs, err := decodeAll([]byte(v.Text), base, nil)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		for i, e := range v.Expected {
			want := codectest.Exact.Expected(t, e)
			if got := showUntimed(recs[i]); got != want && !byModel[want] {
				t.Errorf("%s: %s, want %s", v.Name, got, want)
			}
		}
	}
}
