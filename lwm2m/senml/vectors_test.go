package senml

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// show formats a resolved record as "path type value", the value as the
// vectors (and cli-json.md) write it, then " @time" when it has one.
func show(r Resolved) string { return codectest.Exact.Timed(r.Path, r.Value, r.Time, r.HasTime) }

// showUntimed formats a record as show does, without the time.
func showUntimed(r Resolved) string { return codectest.Exact.Record(r.Path, r.Value) }

// own copies the bytes of r's value, which may alias a decoder's buffer.
func own(r Resolved) Resolved {
	if b, ok := r.Value.Bytes(); ok {
		c := bytes.Clone(b)
		if c == nil {
			c = []byte{}
		}
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

// decodeAllJSON collects the resolved records of a pack.
func decodeAllJSON(b []byte, base path.Path, reg *lwm2m.Registry) ([]Resolved, error) {
	return codectest.Collect(func(fn func(Resolved) error) error { return DecodeJSON(b, base, reg, fn) })
}

// errorAt reports where an *Error is, for the vector errors.
func errorAt(e *Error) (int, string) { return e.Offset, e.Field }

func showAll(recs []Resolved) []string { return codectest.ShowAll(recs, show) }

// Expected errors: the class, offset and field each invalid JSON vector
// must give.
var jsonVectorErrors = map[string]struct {
	class  error
	offset int
	field  string
}{
	// [{ "bn":"/","test_":"fail",... : "test_" at 12 is a must-understand label.
	"senml_json_invalid_must_understand_label": {ErrUnsupported, 12, "record"},
	// [{"v":1}] : the record at 1 has no name.
	"senml_json_invalid_missing_name": {ErrMalformed, 1, "n"},
	// [{"n":"/3/a/0",... : the name at 2 is not a path.
	"senml_json_invalid_non_numeric_segment": {ErrMalformed, 2, "n"},
	// [{"bn":"/3/0/","n":"1",...},{"n":"1",... : the second "n" at 40 repeats /3/0/1.
	"senml_json_invalid_duplicate_resource": {ErrMalformed, 40, "n"},
	// [{"n":"/3/0/9","v":1,"vs":"1"}] : the record at 1 has two value fields.
	"senml_json_invalid_two_value_fields": {ErrMalformed, 1, "record"},
}

// The resolved times the vectors' notes give.
var jsonVectorTimes = map[string][]float64{
	"senml_json_timestamped_spec":                {25462629, 25462604, 25462584},
	"senml_json_multiple_bn_fractional_bt_and_t": {1699877805.766, 1699877805.766 + 0.101},
}

// canonicalJSON lists the valid vectors that EncodeJSON reproduces byte for
// byte. The others are re-encoded differently (white space, a bn that does
// not pay for itself, a different base time) and must decode to the same
// records, in no more bytes.
var canonicalJSON = map[string]bool{
	"senml_json_device_3_0_spec":                        true, // Leshan's encoder output
	"senml_json_objlnk_vlo_spec":                        true,
	"senml_json_captured_wakaama_server_instance":       true,
	"senml_json_captured_wakaama_float":                 true,
	"senml_json_float_resource":                         true,
	"senml_json_int64_not_representable_as_double":      true,
	"senml_json_read_composite_request_names_only_spec": true,
}

func TestJSONVectors(t *testing.T) {
	for _, v := range codectest.LoadVectors(t, "senml+json") {
		t.Run(v.Name, func(t *testing.T) {
			in, base, reg := v.Inputs(t)
			recs, err := decodeAllJSON(in, base, reg)
			if v.ExpectedError {
				want, ok := jsonVectorErrors[v.Name]
				if !ok {
					t.Fatalf("no expected error class for this vector; got %v", err)
				}
				codectest.CheckVectorError(t, err, want.class, want.offset, want.field, errorAt)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			codectest.SameLines(t, codectest.ShowAll(recs, showUntimed), codectest.Exact.Want(t, v))
			if times, ok := jsonVectorTimes[v.Name]; ok {
				for i, r := range recs {
					if !r.HasTime || r.Time != times[i] {
						t.Errorf("record %d: time %v (%v), want %v", i, r.Time, r.HasTime, times[i])
					}
				}
			} else {
				for i, r := range recs {
					if r.HasTime {
						t.Errorf("record %d has time %v", i, r.Time)
					}
				}
			}
			// Round trip.
			out, err := EncodeJSON(nil, base, recs)
			if err != nil {
				t.Fatal(err)
			}
			again, err := decodeAllJSON(out, base, reg)
			if err != nil || strings.Join(showAll(again), "\n") != strings.Join(showAll(recs), "\n") {
				t.Fatalf("re-encoding %s decodes to %q, %v", out, showAll(again), err)
			}
			if canonicalJSON[v.Name] != bytes.Equal(out, in) {
				t.Fatalf("canonical %v, EncodeJSON:\n got %s\nwant %s", canonicalJSON[v.Name], out, in)
			} else if len(out) > len(in) {
				t.Errorf("re-encoding is longer:\n%s\n%s", out, in)
			} else {
				t.Logf("re-encoded as %s", out)
			}
		})
	}
}

// With a nil registry the vectors decode with types from the wire; they
// differ from the expected types only where the vector says the model
// decides.
func TestJSONVectorsWireTypes(t *testing.T) {
	byModel := map[string]string{
		"senml_json_write_composite_spec": "/3308/0/5900 float 18", // IPSO Set Point Value is Float; sent as 18
		"senml_json_device_3_0_spec":      "/3/0/13 time 1367491215",
	}
	for _, v := range codectest.LoadVectors(t, "senml+json") {
		if v.ExpectedError {
			continue
		}
		base, _ := path.Parse(v.BasePath)
		recs, err := decodeAllJSON([]byte(v.Text), base, nil)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		for i, e := range v.Expected {
			want := codectest.Exact.Expected(t, e)
			if got := showUntimed(recs[i]); got != want && !strings.HasPrefix(want, byModel[v.Name]) {
				t.Errorf("%s: %s, want %s", v.Name, got, want)
			}
		}
	}
}

// The vectors whose resources are all in the core registry decode the same
// with CoreRegistry alone.
func TestJSONVectorsCoreRegistry(t *testing.T) {
	core := lwm2m.CoreRegistry()
	n := 0
	for _, v := range codectest.LoadVectors(t, "senml+json") {
		if v.ExpectedError {
			continue
		}
		if _, changed := v.Registry(t); changed > 0 {
			continue
		}
		n++
		base, _ := path.Parse(v.BasePath)
		recs, err := decodeAllJSON([]byte(v.Text), base, core)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		for i, e := range v.Expected {
			if i >= len(recs) || showUntimed(recs[i]) != codectest.Exact.Expected(t, e) {
				t.Errorf("%s: record %d differs", v.Name, i)
				break
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d vectors use core objects alone", n)
	}
}
