package senml

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// vector is one entry of testdata/vectors.json: the "senml+json" and
// "senml+cbor" entries of the shared LwM2M vector file
// (/work/shared/vectors/lwm2m.json; see its README), copied unchanged. Each
// entry's source field gives its provenance (the OMA LwM2M Core examples
// as Leshan, Wakaama, Anjay and Zephyr test them, and captures).
type vector struct {
	Name     string `json:"name"`
	Format   string `json:"format"`
	Hex      string `json:"hex"`
	Text     string `json:"text"`
	BasePath string `json:"base_path"`
	Expected []struct {
		Path  string `json:"path"`
		Type  string `json:"type"`
		Value any    `json:"value"`
	} `json:"expected"`
	ExpectedError bool              `json:"expected_error"`
	Model         map[string]string `json:"model"`
	Source        string            `json:"source"`
	Note          string            `json:"note"`
}

// loadVectors returns the vectors of one format ("senml+json" or
// "senml+cbor").
func loadVectors(tb testing.TB, format string) []vector {
	tb.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var all []vector
	if err := d.Decode(&all); err != nil {
		tb.Fatal(err)
	}
	var vs []vector
	for _, v := range all {
		if v.Format == format {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		tb.Fatalf("no %s vectors", format)
	}
	return vs
}

func vectorByName(tb testing.TB, name string) vector {
	tb.Helper()
	for _, f := range []string{"senml+json", "senml+cbor"} {
		for _, v := range loadVectors(tb, f) {
			if v.Name == name {
				return v
			}
		}
	}
	tb.Fatalf("no vector %s", name)
	return vector{}
}

// vectorRegistry returns the core registry extended with the resources
// the vector's model field and its expected records imply, for the test
// objects (65, 66, 3303, 3311, 31024, ...) that are not in the core
// models. It reports how many definitions it had to add or change.
func vectorRegistry(tb testing.TB, v vector) (*lwm2m.Registry, int) {
	reg := lwm2m.CoreRegistry()
	type key struct{ o, r uint16 }
	want := map[key]lwm2m.ResourceDef{}
	var order []key
	add := func(ps, ts string) {
		p, err := path.Parse(ps)
		if err != nil {
			tb.Fatal(err)
		}
		t, ok := lwm2m.ParseType(ts)
		if !ok || t == lwm2m.None || p.Level() < path.ResourceLevel {
			return // names without values say nothing of a resource type
		}
		o, _ := p.ObjectID()
		r, _ := p.ResourceID()
		k := key{o, r}
		if _, ok := want[k]; !ok {
			order = append(order, k)
		}
		want[k] = lwm2m.ResourceDef{ID: r, Name: "test " + ps, Type: t, Ops: lwm2m.OpRead | lwm2m.OpWrite,
			Multiple: p.Level() == path.ResourceInstanceLevel}
	}
	for _, e := range v.Expected {
		add(e.Path, e.Type)
	}
	for ps, ts := range v.Model {
		add(ps, ts)
	}
	changed := 0
	for _, k := range order {
		w := want[k]
		if d, ok := reg.Resource(k.o, k.r); ok && d.Type == w.Type && d.Multiple == w.Multiple {
			continue
		}
		changed++
		obj := lwm2m.ObjectDef{ID: k.o, Name: "test object " + strconv.Itoa(int(k.o)), Multiple: true}
		if cur, ok := reg.Object(k.o); ok {
			obj = *cur
		}
		var rs []lwm2m.ResourceDef
		for _, r := range obj.Resources {
			if r.ID != k.r {
				rs = append(rs, r)
			}
		}
		obj.Resources = append(rs, w)
		if err := reg.Replace(obj); err != nil {
			tb.Fatal(err)
		}
	}
	return reg, changed
}

// show formats a resolved record as "path type value", the value as the
// vectors (and cli-json.md) write it, then " @time" when it has one.
func show(r Resolved) string {
	s := r.Path.String() + " " + r.Value.Type().String() + " " + showValue(r.Value)
	if r.HasTime {
		s += " @" + strconv.FormatFloat(r.Time, 'g', -1, 64)
	}
	return s
}

func showValue(v lwm2m.Value) string {
	switch v.Type() {
	case lwm2m.None:
		return "null"
	case lwm2m.Integer:
		i, _ := v.Integer()
		return strconv.FormatInt(i, 10)
	case lwm2m.Time:
		i, _ := v.Time()
		return strconv.FormatInt(i, 10)
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		return strconv.FormatUint(u, 10)
	case lwm2m.Float:
		f, _ := v.Float()
		return strconv.FormatFloat(f, 'g', -1, 64) + "/" + strconv.FormatUint(math.Float64bits(f), 16)
	case lwm2m.Boolean:
		b, _ := v.Bool()
		return strconv.FormatBool(b)
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		return strconv.Itoa(int(l.Object)) + ":" + strconv.Itoa(int(l.Instance))
	case lwm2m.Opaque:
		b, _ := v.Bytes()
		return hex.EncodeToString(b)
	}
	b, _ := v.Bytes()
	return strconv.Quote(string(b))
}

// showExpected formats an expected record like show, without the time.
func showExpected(tb testing.TB, ps, ts string, x any) string {
	switch x := x.(type) {
	case nil:
		return ps + " " + ts + " null"
	case string:
		if ts == "string" || ts == "corelnk" {
			return ps + " " + ts + " " + strconv.Quote(x)
		}
		return ps + " " + ts + " " + x
	case bool:
		return ps + " " + ts + " " + strconv.FormatBool(x)
	case json.Number:
		if ts == "float" {
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil {
				tb.Fatal(err)
			}
			return ps + " " + ts + " " + showValue(lwm2m.FloatValue(f))
		}
		return ps + " " + ts + " " + string(x)
	}
	tb.Fatalf("unexpected JSON value %T", x)
	return ""
}

// stripTime drops the " @time" of a show line.
func stripTime(s string) string {
	if i := strings.LastIndex(s, " @"); i >= 0 {
		return s[:i]
	}
	return s
}

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
	var recs []Resolved
	err := DecodeJSON(b, base, reg, func(r Resolved) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

func showAll(recs []Resolved) []string {
	var s []string
	for _, r := range recs {
		s = append(s, show(r))
	}
	return s
}

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
	for _, v := range loadVectors(t, "senml+json") {
		t.Run(v.Name, func(t *testing.T) {
			in := []byte(v.Text)
			base, err := path.Parse(v.BasePath)
			if err != nil {
				t.Fatal(err)
			}
			reg, changed := vectorRegistry(t, v)
			if changed > 0 {
				t.Logf("model: %d resource definition(s) beyond the core registry", changed)
			}
			recs, err := decodeAllJSON(in, base, reg)
			if v.ExpectedError {
				want, ok := jsonVectorErrors[v.Name]
				if !ok {
					t.Fatalf("no expected error class for this vector; got %v", err)
				}
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, want.class) || e.Offset != want.offset || e.Field != want.field {
					t.Fatalf("got %v, want %v at offset %d in %s", err, want.class, want.offset, want.field)
				}
				t.Logf("rejected: %v", err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, e := range v.Expected {
				want = append(want, showExpected(t, e.Path, e.Type, e.Value))
			}
			var got []string
			for _, r := range recs {
				got = append(got, stripTime(show(r)))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
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
	for _, v := range loadVectors(t, "senml+json") {
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
			want := showExpected(t, e.Path, e.Type, e.Value)
			if got := stripTime(show(recs[i])); got != want && !strings.HasPrefix(want, byModel[v.Name]) {
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
	for _, v := range loadVectors(t, "senml+json") {
		if v.ExpectedError {
			continue
		}
		if _, changed := vectorRegistry(t, v); changed > 0 {
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
			if i >= len(recs) || stripTime(show(recs[i])) != showExpected(t, e.Path, e.Type, e.Value) {
				t.Errorf("%s: record %d differs", v.Name, i)
				break
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d vectors use core objects alone", n)
	}
}
