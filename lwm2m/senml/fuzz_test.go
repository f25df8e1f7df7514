package senml

import (
	"bytes"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// fuzzBases are the request paths the fuzz targets read against, picked by
// a byte of the input.
var fuzzBases = []path.Path{{}, path.Object(3), path.Instance(3, 0), path.Resource(3, 0, 6), path.Object(31024), path.Instance(9000, 0)}

func jsonSeeds(f *testing.F) {
	for _, v := range codectest.LoadVectors(f, "senml+json") {
		base, _ := path.Parse(v.BasePath)
		sel := byte(0)
		for i, b := range fuzzBases {
			if b == base {
				sel = byte(i)
			}
		}
		f.Add([]byte(v.Text), sel)
	}
	for _, c := range jsonErrCases {
		f.Add([]byte(c.in), byte(0))
	}
	for _, c := range resolveCases {
		f.Add([]byte(c.in), byte(5))
	}
	// EncodeJSON output of canonical values.
	fx := newFixture(f)
	out, _ := EncodeJSON(nil, fx.base, fx.recs)
	f.Add(out, byte(2))
	f.Add(fx.escaped, byte(0))
}

// checkErr checks an error of the fuzz targets: an *Error of a class,
// with an offset in the input.
func checkErr(t *testing.T, err error, n int) {
	t.Helper()
	codectest.CheckFuzzError(t, err, n, errorAt, ErrMalformed, ErrTruncated, ErrLimit, ErrUnsupported)
}

// FuzzJSONDecoder checks the raw layer: no panic, no mutation of the
// input, errors with offsets inside it, agreement with encoding/json on
// what it accepts, and read -> AppendJSON -> read a fixpoint.
func FuzzJSONDecoder(f *testing.F) {
	jsonSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, _ byte) {
		orig := bytes.Clone(b)
		recs, err := rawRecords(b, Limits{})
		if !bytes.Equal(b, orig) {
			t.Fatal("JSONDecoder modified its input")
		}
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		checkEncodingJSON(t, b, recs)
		out, err := AppendJSON(nil, recs)
		if err != nil {
			t.Fatalf("read %q but cannot write it: %v", b, err)
		}
		again, err := rawRecords(out, Limits{})
		if err != nil {
			t.Fatalf("re-read of %s: %v", out, err)
		}
		if showRecords(again) != showRecords(recs) {
			t.Fatalf("records differ:\n%s\n--\n%s", showRecords(recs), showRecords(again))
		}
		if out2, err := AppendJSON(nil, again); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n 1st %s\n 2nd %s", out, out2)
		}
	})
}

// FuzzDecodeJSON checks DecodeJSON and EncodeJSON with a registry (or
// none): no panic, no mutation, errors with offsets inside the input, and
// decode -> encode -> decode giving the same resolved records, with the
// second encoding identical to the first.
func FuzzDecodeJSON(f *testing.F) {
	jsonSeeds(f)
	reg := codectest.TypesRegistry(f)
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		base := fuzzBases[int(sel&0x7f)%len(fuzzBases)]
		r := reg
		if sel&0x80 != 0 {
			r = nil
		}
		orig := bytes.Clone(b)
		var recs []Resolved
		err := DecodeJSON(b, base, r, func(res Resolved) error {
			recs = append(recs, res)
			return nil
		})
		if !bytes.Equal(b, orig) {
			t.Fatal("DecodeJSON modified its input")
		}
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		// The reusable decoder agrees.
		var d JSONDecoder
		var z Resolver
		d.Reset(b, Limits{})
		z.Reset(base, r)
		i := 0
		if err := d.Resolve(&z, func(res Resolved) error {
			if show(res) != show(recs[i]) {
				t.Fatalf("JSONDecoder.Resolve: %s, DecodeJSON %s", show(res), show(recs[i]))
			}
			i++
			return nil
		}); err != nil || i != len(recs) {
			t.Fatal(i, err)
		}
		codectest.RoundTrip(t, recs, func(r []Resolved) ([]byte, error) { return EncodeJSON(nil, base, r) },
			func(b []byte) ([]Resolved, error) { return decodeAllJSON(b, base, r) }, show)
	})
}
