package codectest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Vector is one entry of a codec package's testdata/vectors.json: the
// entries of its formats in the shared LwM2M vector file
// (/work/shared/vectors/lwm2m.json; see its README), copied unchanged, or
// entries in the same shape. Source gives each one's provenance.
type Vector struct {
	Name          string            `json:"name"`
	Format        string            `json:"format"`
	Hex           string            `json:"hex"`  // binary formats
	Text          string            `json:"text"` // text formats
	BasePath      string            `json:"base_path"`
	Expected      []Expected        `json:"expected"`
	ExpectedError bool              `json:"expected_error"`
	Model         map[string]string `json:"model"` // resource types beyond the expected records
	Times         []float64         `json:"times"` // resolved times, where a format has them
	Source        string            `json:"source"`
	Note          string            `json:"note"`
}

// Expected is one record a vector decodes to, as cli-json.md writes it.
// Value is nil, a string, a bool or a json.Number.
type Expected struct {
	Path  string `json:"path"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// LoadVectors reads testdata/vectors.json, with numbers as json.Number.
// Given formats, it keeps the vectors of those formats and fails tb if
// there are none.
func LoadVectors(tb testing.TB, formats ...string) []Vector {
	tb.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var vs []Vector
	if err := d.Decode(&vs); err != nil {
		tb.Fatal(err)
	}
	if len(formats) == 0 {
		return vs
	}
	vs = slices.DeleteFunc(vs, func(v Vector) bool { return !slices.Contains(formats, v.Format) })
	if len(vs) == 0 {
		tb.Fatalf("no %s vectors", strings.Join(formats, ", "))
	}
	return vs
}

// VectorByName returns the vector of testdata/vectors.json named name.
func VectorByName(tb testing.TB, name string) Vector {
	tb.Helper()
	for _, v := range LoadVectors(tb) {
		if v.Name == name {
			return v
		}
	}
	tb.Fatalf("no vector %s", name)
	return Vector{}
}

// Payload returns the bytes of v: its hex layout decoded (see Unhex), or
// its text.
func (v Vector) Payload(tb testing.TB) []byte {
	tb.Helper()
	if v.Hex != "" {
		return Unhex(tb, v.Hex)
	}
	return []byte(v.Text)
}

// Base returns the request path of v.
func (v Vector) Base(tb testing.TB) path.Path {
	tb.Helper()
	return MustPath(tb, v.BasePath)
}

// MustPath parses s, failing tb if it is not a path.
func MustPath(tb testing.TB, s string) path.Path {
	tb.Helper()
	p, err := path.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// Registry returns the core registry extended with the resources that the
// expected records and the model field of v imply, for the test objects
// and renumbered resources that are not in the core models. It reports how
// many definitions it had to add or change. Type none and paths above the
// resource level say nothing of a resource type. A resource whose
// instances have different types (Anjay's LwM2M CBOR test
// resource_instances_nested_maps writes a float and a boolean into
// /13/26/3) is left out: its values take the type of the wire.
func (v Vector) Registry(tb testing.TB) (*lwm2m.Registry, int) {
	tb.Helper()
	reg := lwm2m.CoreRegistry()
	type key struct{ o, r uint16 }
	want := map[key]lwm2m.ResourceDef{}
	var order []key
	mixed := map[key]bool{}
	add := func(ps, ts string) {
		p := MustPath(tb, ps)
		t, ok := lwm2m.ParseType(ts)
		if !ok || t == lwm2m.None || p.Level() < path.ResourceLevel {
			return
		}
		o, _ := p.ObjectID()
		r, _ := p.ResourceID()
		k := key{o, r}
		if w, ok := want[k]; !ok {
			order = append(order, k)
		} else if w.Type != t {
			mixed[k] = true
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

// Style is how the Show functions write a value, as the vectors (and
// cli-json.md) do: Plain writes text as it is and a float in its shortest
// form; Exact quotes String and Corelnk text and adds a float's bits
// ("1.5/3ff8000000000000"), for the formats that tell text and numbers
// apart by their syntax.
type Style bool

// The styles.
const (
	Plain Style = false
	Exact Style = true
)

// Value formats v.
func (s Style) Value(v lwm2m.Value) string {
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
		if s == Exact {
			return strconv.FormatFloat(f, 'g', -1, 64) + "/" + strconv.FormatUint(math.Float64bits(f), 16)
		}
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
	if s == Exact {
		return strconv.Quote(string(b))
	}
	return string(b)
}

// Record formats a record as "path type value".
func (s Style) Record(p path.Path, v lwm2m.Value) string {
	return p.String() + " " + v.Type().String() + " " + s.Value(v)
}

// Timed formats a record as Record does, then " @time" when it has one.
func (s Style) Timed(p path.Path, v lwm2m.Value, t float64, hasTime bool) string {
	r := s.Record(p, v)
	if hasTime {
		r += " @" + strconv.FormatFloat(t, 'g', -1, 64)
	}
	return r
}

// Expected formats an expected record as Record does.
func (s Style) Expected(tb testing.TB, e Expected) string {
	tb.Helper()
	head := e.Path + " " + e.Type + " "
	switch x := e.Value.(type) {
	case nil:
		return head + "null"
	case string:
		if s == Exact && (e.Type == "string" || e.Type == "corelnk") {
			return head + strconv.Quote(x)
		}
		return head + x
	case bool:
		return head + strconv.FormatBool(x)
	case json.Number:
		if e.Type == "float" {
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil {
				tb.Fatal(err)
			}
			return head + s.Value(lwm2m.FloatValue(f))
		}
		return head + string(x)
	}
	tb.Fatalf("unexpected JSON value %T", e.Value)
	return ""
}

// Want formats the expected records of v.
func (s Style) Want(tb testing.TB, v Vector) []string {
	tb.Helper()
	var want []string
	for _, e := range v.Expected {
		want = append(want, s.Expected(tb, e))
	}
	return want
}

// ShowAll formats recs with show.
func ShowAll[R any](recs []R, show func(R) string) []string {
	var s []string
	for _, r := range recs {
		s = append(s, show(r))
	}
	return s
}

// SameLines fails tb unless got and want are the same lines.
func SameLines(tb testing.TB, got, want []string) {
	tb.Helper()
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		tb.Fatalf("got\n%s\nwant\n%s", g, w)
	}
}

// Collect runs decode with a callback that collects the records it
// reports, and returns them with decode's error.
func Collect[R any](decode func(fn func(R) error) error) ([]R, error) {
	var recs []R
	err := decode(func(r R) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

// Inputs returns the payload and the request path of v, and the registry
// of Registry, logging how many definitions that added.
func (v Vector) Inputs(tb testing.TB) ([]byte, path.Path, *lwm2m.Registry) {
	tb.Helper()
	in, base := v.Payload(tb), v.Base(tb)
	reg, changed := v.Registry(tb)
	if changed > 0 {
		tb.Logf("model: %d resource definition(s) beyond the core registry", changed)
	}
	return in, base, reg
}

// CheckVectorError fails tb unless err, from an invalid vector, is an E
// (a codec's *Error) of class whose offset and field, as at reports them,
// are offset and field; then it logs err.
func CheckVectorError[E error](tb testing.TB, err, class error, offset int, field string, at func(E) (int, string)) {
	tb.Helper()
	var e E
	if !errors.As(err, &e) || !errors.Is(err, class) {
		tb.Fatalf("got %v, want %v at offset %d in %s", err, class, offset, field)
	}
	if off, f := at(e); off != offset || f != field {
		tb.Fatalf("got %v, want %v at offset %d in %s", err, class, offset, field)
	}
	tb.Logf("rejected: %v", err)
}

// CheckFuzzError fails tb unless err, from decoding n bytes, is an E (a
// codec's *Error) whose offset, as at reports it, lies in 0..n, and which
// is one of classes when they are given.
func CheckFuzzError[E error](tb testing.TB, err error, n int, at func(E) (int, string), classes ...error) {
	tb.Helper()
	var e E
	if !errors.As(err, &e) {
		tb.Fatalf("error is %T, not *Error: %v", err, err)
	}
	if off, _ := at(e); off < 0 || off > n {
		tb.Fatalf("offset %d out of range 0..%d: %v", off, n, err)
	}
	if len(classes) > 0 && !slices.ContainsFunc(classes, func(c error) bool { return errors.Is(err, c) }) {
		tb.Fatalf("no error class: %v", err)
	}
	_ = e.Error()
}

// RoundTrip checks that recs, encoded and decoded again, give the same
// records (as show writes them), and that encoding those gives the same
// bytes again. It returns the encoding.
func RoundTrip[R any](tb testing.TB, recs []R, encode func([]R) ([]byte, error), decode func([]byte) ([]R, error), show func(R) string) []byte {
	tb.Helper()
	out, err := encode(recs)
	if err != nil {
		tb.Fatalf("decoded but cannot encode: %v", err)
	}
	again, err := decode(out)
	if err != nil {
		tb.Fatalf("re-decode of %s: %v", ShowBytes(out), err)
	}
	if a, b := strings.Join(ShowAll(recs, show), "\n"), strings.Join(ShowAll(again, show), "\n"); a != b {
		tb.Fatalf("records differ:\n%s\n--\n%s\n(%s)", a, b, ShowBytes(out))
	}
	if out2, err := encode(again); err != nil || !bytes.Equal(out, out2) {
		tb.Fatalf("not a fixpoint:\n 1st %s\n 2nd %s", ShowBytes(out), ShowBytes(out2))
	}
	return out
}

// ShowBytes returns b as text when it is printable UTF-8, else in hex.
func ShowBytes(b []byte) string {
	if utf8.Valid(b) && !slices.ContainsFunc([]rune(string(b)), func(r rune) bool { return !unicode.IsPrint(r) }) {
		return string(b)
	}
	return hex.EncodeToString(b)
}

// TypesRegistry is the core registry plus an object 9000 with one resource
// of each type (resource ID = lwm2m.Type), single-instance, and their
// multiple-instance twins at ID 100 + type.
func TypesRegistry(tb testing.TB) *lwm2m.Registry {
	tb.Helper()
	reg := lwm2m.CoreRegistry()
	o := lwm2m.ObjectDef{ID: 9000, Name: "types", Multiple: true}
	for t := lwm2m.None; t <= lwm2m.Corelnk; t++ {
		ops := lwm2m.OpRead | lwm2m.OpWrite
		if t == lwm2m.None {
			ops = lwm2m.OpExecute
		}
		o.Resources = append(o.Resources,
			lwm2m.ResourceDef{ID: uint16(t), Name: t.String(), Type: t, Ops: ops},
			lwm2m.ResourceDef{ID: 100 + uint16(t), Name: "multi " + t.String(), Type: t, Ops: ops, Multiple: true})
	}
	if err := reg.Register(o); err != nil {
		tb.Fatal(err)
	}
	return reg
}
