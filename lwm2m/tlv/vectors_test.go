package tlv

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

// vector is one entry of testdata/vectors.json: the "tlv" entries of the
// shared LwM2M vector file (/work/shared/vectors/lwm2m.json; see its
// README), copied unchanged. Each entry's source field gives its provenance
// (the OMA LwM2M Core examples as Leshan, Wakaama, Anjay and Zephyr test
// them, and one capture).
type vector struct {
	Name     string `json:"name"`
	Hex      string `json:"hex"`
	BasePath string `json:"base_path"`
	Expected []struct {
		Path  string `json:"path"`
		Type  string `json:"type"`
		Value any    `json:"value"`
	} `json:"expected"`
	ExpectedError bool              `json:"expected_error"`
	Model         map[string]string `json:"model"`
	Source        string            `json:"source"`
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

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

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

// vectorRegistry returns the core registry extended with the resources the
// vector's model field and its expected records imply, for the test
// objects (65, 66, 1024, 3442) and renumbered resources that are not in the
// core models. It reports how many definitions it had to add or change.
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
		if !ok || p.Level() < path.ResourceLevel {
			return // none: empty containers say nothing of a resource type
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
	vs := loadVectors(t)
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			in := unhex(t, v.Hex)
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
			if d, ok := disagree[v.Name]; ok {
				t.Logf("differs from expected %q: %s", want, d.why)
				want = d.want
			}
			got := showAll(recs)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
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
	for _, v := range loadVectors(t) {
		if v.ExpectedError {
			continue
		}
		if _, changed := vectorRegistry(t, v); changed > 0 {
			continue
		}
		n++
		base, _ := path.Parse(v.BasePath)
		recs, err := decodeAll(unhex(t, v.Hex), base, core)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if len(recs) == 0 && len(v.Expected) == 0 {
			continue
		}
		for i, e := range v.Expected {
			if i >= len(recs) || show(recs[i].Path, recs[i].Value) != showExpected(t, e.Path, e.Type, e.Value) {
				t.Errorf("%s: record %d differs", v.Name, i)
				break
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d vectors use core objects alone", n)
	}
}
