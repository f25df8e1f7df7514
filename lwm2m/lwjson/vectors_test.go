package lwjson

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

// vector is one entry of testdata/vectors.json. The shared vector file has
// no lwm2m+json entries, so these are taken from the JSON tests of Leshan
// and Wakaama (each entry's source names the test): payloads and expected
// values only, in the shared file's format, plus the resolved times.
type vector struct {
	Name     string `json:"name"`
	Text     string `json:"text"`
	BasePath string `json:"base_path"`
	Expected []struct {
		Path  string `json:"path"`
		Type  string `json:"type"`
		Value any    `json:"value"`
	} `json:"expected"`
	ExpectedError bool      `json:"expected_error"`
	Times         []float64 `json:"times"`
	Source        string    `json:"source"`
	Note          string    `json:"note"`
}

func loadVectors(tb testing.TB) []vector {
	tb.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var vs []vector
	if err := d.Decode(&vs); err != nil {
		tb.Fatal(err)
	}
	return vs
}

func vectorByName(tb testing.TB, name string) vector {
	for _, v := range loadVectors(tb) {
		if v.Name == name {
			return v
		}
	}
	tb.Fatalf("no vector %s", name)
	return vector{}
}

// vectorRegistry returns the core registry extended with the resources the
// vector's expected records imply, for the test objects that are not in
// the core models. It reports how many definitions it had to add or change.
func vectorRegistry(tb testing.TB, v vector) (*lwm2m.Registry, int) {
	reg := lwm2m.CoreRegistry()
	type key struct{ o, r uint16 }
	want := map[key]lwm2m.ResourceDef{}
	var order []key
	for _, e := range v.Expected {
		p, err := path.Parse(e.Path)
		if err != nil {
			tb.Fatal(err)
		}
		t, ok := lwm2m.ParseType(e.Type)
		if !ok || t == lwm2m.None || p.Level() < path.ResourceLevel {
			continue
		}
		o, _ := p.ObjectID()
		r, _ := p.ResourceID()
		k := key{o, r}
		if _, ok := want[k]; !ok {
			order = append(order, k)
		}
		want[k] = lwm2m.ResourceDef{ID: r, Name: "test " + e.Path, Type: t, Ops: lwm2m.OpRead | lwm2m.OpWrite,
			Multiple: p.Level() == path.ResourceInstanceLevel}
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

// show formats a record as "path type value", the value as the vectors
// (and cli-json.md) write it, then " @time" when it has one.
func show(r Record) string {
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

func showExpected(tb testing.TB, ps, ts string, x any) string {
	switch x := x.(type) {
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

func stripTime(s string) string {
	if i := strings.LastIndex(s, " @"); i >= 0 {
		return s[:i]
	}
	return s
}

func decodeAll(b []byte, base path.Path, reg *lwm2m.Registry) ([]Record, error) {
	var recs []Record
	err := Decode(b, base, reg, func(r Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

func showAll(recs []Record) []string {
	var s []string
	for _, r := range recs {
		s = append(s, show(r))
	}
	return s
}

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
	vs := loadVectors(t)
	if len(vs) < 20 {
		t.Fatalf("%d vectors", len(vs))
	}
	for _, v := range vs {
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
			recs, err := decodeAll(in, base, reg)
			if v.ExpectedError {
				want, ok := vectorErrors[v.Name]
				if !ok {
					t.Fatalf("no expected error for this vector; got %v", err)
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
			var want, got []string
			for _, e := range v.Expected {
				want = append(want, showExpected(t, e.Path, e.Type, e.Value))
			}
			for _, r := range recs {
				got = append(got, stripTime(show(r)))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
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
	for _, v := range loadVectors(t) {
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
			want := showExpected(t, e.Path, e.Type, e.Value)
			if got := stripTime(show(recs[i])); got != want && !byModel[want] {
				t.Errorf("%s: %s, want %s", v.Name, got, want)
			}
		}
	}
}
