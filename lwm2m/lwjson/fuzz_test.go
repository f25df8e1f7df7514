package lwjson

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// fuzzBases are the request paths the fuzz target reads against, picked by
// a byte of the input.
var fuzzBases = []path.Path{{}, path.Object(3), path.Instance(3, 0), path.Resource(3, 0, 6), path.Instance(1024, 0), path.Instance(9000, 0)}

func checkErr(t *testing.T, err error, n int) { codectest.CheckFuzzError(t, err, n, errorAt) }

// FuzzDecode checks Decode, the Decoder and Encode: no panic, no mutation
// of the input, errors with offsets inside it, a payload accepted here is
// JSON for encoding/json too, and decode -> encode -> decode giving the
// same records, with the second encoding identical to the first.
func FuzzDecode(f *testing.F) {
	for _, v := range codectest.LoadVectors(f) {
		base, _ := path.Parse(v.BasePath)
		sel := byte(0)
		for i, b := range fuzzBases {
			if b == base {
				sel = byte(i)
			}
		}
		f.Add([]byte(v.Text), sel)
	}
	for _, c := range decodeCases {
		f.Add([]byte(c.in), byte(5))
	}
	fx := newFixture(f)
	f.Add(fx.escaped, byte(0))
	reg := codectest.TypesRegistry(f)
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		base := fuzzBases[int(sel&0x7f)%len(fuzzBases)]
		r := reg
		if sel&0x80 != 0 {
			r = nil
		}
		orig := bytes.Clone(b)
		recs, err := decodeAll(b, base, r)
		if !bytes.Equal(b, orig) {
			t.Fatal("Decode modified its input")
		}
		// The reusable Decoder agrees.
		var d Decoder
		d.Reset(b, base, r, Limits{})
		i := 0
		for rec, ok := d.Next(); ok; rec, ok = d.Next() {
			if i >= len(recs) || show(rec) != show(recs[i]) {
				t.Fatalf("Decoder record %d differs", i)
			}
			i++
		}
		if (err == nil) != (d.Err() == nil) || err == nil && i != len(recs) {
			t.Fatalf("Decode %v, Decoder %v", err, d.Err())
		}
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		if !json.Valid(b) {
			t.Fatalf("accepted %q, encoding/json rejects it", b)
		}
		codectest.RoundTrip(t, recs, func(r []Record) ([]byte, error) { return Encode(nil, base, r) },
			func(b []byte) ([]Record, error) { return decodeAll(b, base, r) }, show)
	})
}
