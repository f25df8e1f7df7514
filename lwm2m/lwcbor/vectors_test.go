package lwcbor

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// vector is one entry of testdata/vectors.json: the "lwm2m+cbor" entries of
// the shared LwM2M vector file (/work/shared/vectors/lwm2m.json; see its
// README), copied unchanged. Each entry's source field gives its provenance
// (the unit tests of Anjay's LwM2M CBOR reader and writer, byte for byte).
type vector struct {
	Name     string `json:"name"`
	Hex      string `json:"hex"`
	BasePath string `json:"base_path"`
	Expected []struct {
		Path  string `json:"path"`
		Type  string `json:"type"`
		Value any    `json:"value"`
	} `json:"expected"`
	ExpectedError bool   `json:"expected_error"`
	Source        string `json:"source"`
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
	tb.Helper()
	for _, v := range loadVectors(tb) {
		if v.Name == name {
			return v
		}
	}
	tb.Fatalf("no vector %s", name)
	return vector{}
}

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustPath(tb testing.TB, s string) path.Path {
	tb.Helper()
	p, err := path.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// vectorRegistry returns the core registry extended with the resources the
// vector's expected records imply, for the test objects (13, 14) that are
// not in the core models. It reports how many definitions it had to add or
// change. A resource whose instances have different types (Anjay's test
// resource_instances_nested_maps writes a float and a boolean into
// /13/26/3) is left out: its values take the type of their CBOR items.
func vectorRegistry(tb testing.TB, v vector) (*lwm2m.Registry, int) {
	reg := lwm2m.CoreRegistry()
	type key struct{ o, r uint16 }
	want := map[key]lwm2m.ResourceDef{}
	var order []key
	mixed := map[key]bool{}
	for _, e := range v.Expected {
		p := mustPath(tb, e.Path)
		t, ok := lwm2m.ParseType(e.Type)
		if !ok || t == lwm2m.None || p.Level() < path.ResourceLevel {
			continue
		}
		o, _ := p.ObjectID()
		r, _ := p.ResourceID()
		k := key{o, r}
		if w, ok := want[k]; !ok {
			order = append(order, k)
		} else if w.Type != t {
			mixed[k] = true
		}
		want[k] = lwm2m.ResourceDef{ID: r, Name: "test " + e.Path, Type: t, Ops: lwm2m.OpRead | lwm2m.OpWrite,
			Multiple: p.Level() == path.ResourceInstanceLevel}
	}
	changed := 0
	for _, k := range order {
		w := want[k]
		if mixed[k] {
			continue
		}
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
// (and cli-json.md) write it.
func show(p path.Path, v lwm2m.Value) string {
	return p.String() + " " + v.Type().String() + " " + showValue(v)
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
		return strconv.FormatFloat(f, 'g', -1, 64)
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
	return string(b)
}

func showExpected(tb testing.TB, ps, ts string, x any) string {
	switch x := x.(type) {
	case nil:
		return ps + " " + ts + " null"
	case string:
		return ps + " " + ts + " " + x
	case bool:
		return ps + " " + ts + " " + strconv.FormatBool(x)
	case json.Number:
		if ts == "float" {
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil {
				tb.Fatal(err)
			}
			return ps + " " + ts + " " + strconv.FormatFloat(f, 'g', -1, 64)
		}
		return ps + " " + ts + " " + string(x)
	}
	tb.Fatalf("unexpected JSON value %T", x)
	return ""
}

// decodeAll collects the records of a payload.
func decodeAll(b []byte, base path.Path, reg *lwm2m.Registry) ([]Record, error) {
	var recs []Record
	err := Decode(b, base, reg, func(p path.Path, v lwm2m.Value) error {
		recs = append(recs, Record{p, v})
		return nil
	})
	return recs, err
}

func showAll(recs []Record) []string {
	var s []string
	for _, r := range recs {
		s = append(s, show(r.Path, r.Value))
	}
	return s
}

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
	vs := loadVectors(t)
	if len(vs) != 20 {
		t.Fatalf("%d vectors, want the 20 lwm2m+cbor ones", len(vs))
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			in := unhex(t, v.Hex)
			base := mustPath(t, v.BasePath)
			reg, changed := vectorRegistry(t, v)
			if changed > 0 {
				t.Logf("model: %d resource definition(s) beyond the core registry", changed)
			}
			recs, err := decodeAll(in, base, reg)
			if v.ExpectedError {
				want, ok := vectorErrors[v.Name]
				if !ok {
					t.Fatalf("no expected error class for this vector; got %v", err)
				}
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, want.class) || e.Offset != want.offset {
					t.Fatalf("got %v, want %v at offset %d", err, want.class, want.offset)
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
			got := showAll(recs)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			out, err := Encode(nil, base, recs)
			if err != nil {
				t.Fatal(err)
			}
			if nc, ok := nonCanonical[v.Name]; ok {
				if !bytes.Equal(out, unhex(t, nc.canonical)) {
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
	v := vectorByName(t, "lwm2m_cbor_all_types")
	recs, err := decodeAll(unhex(t, v.Hex), mustPath(t, v.BasePath), nil)
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
	for _, v := range loadVectors(t) {
		if v.ExpectedError {
			continue
		}
		if _, err := decodeAll(unhex(t, v.Hex), mustPath(t, v.BasePath), nil); err != nil {
			t.Errorf("%s: %v", v.Name, err)
		}
	}
}
