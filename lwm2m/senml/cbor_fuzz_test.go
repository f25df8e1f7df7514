package senml

import (
	"bytes"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// cborFuzzBases are the request paths FuzzDecodeCBOR reads against, picked
// by a byte of the input.
var cborFuzzBases = []path.Path{{}, path.Object(3), path.Instance(3, 0), path.Resource(3, 0, 6), path.Object(34), path.Instance(3442, 0)}

func cborSeeds(f *testing.F) {
	for _, v := range codectest.LoadVectors(f, "senml+cbor") {
		f.Add(codectest.Unhex(f, v.Hex), byte(0))
		f.Add(codectest.Unhex(f, v.Hex), byte(0x80))
	}
	f.Add(codectest.Unhex(f, cborAllFields), byte(0x80))
	fx := newCBORFixture(f)
	f.Add(fx.device, byte(2))
	f.Add(fx.many, byte(0))
	out, _ := EncodeCBOR(nil, fx.base, fx.recs)
	f.Add(out, byte(2))
}

// FuzzCBORDecoder checks the raw layer: no panic, no mutation of the
// input, errors with offsets inside it, and read -> AppendCBOR -> read
// giving the same records, with AppendCBOR a fixpoint from there.
func FuzzCBORDecoder(f *testing.F) {
	cborSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, _ byte) {
		orig := bytes.Clone(b)
		recs, err := rawCBOR(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("CBORDecoder modified its input")
		}
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		out, err := AppendCBOR(nil, recs)
		if err != nil {
			t.Fatalf("read %x but cannot write it: %v", b, err)
		}
		again, err := rawCBOR(out)
		if err != nil {
			t.Fatalf("re-read of %x: %v", out, err)
		}
		if len(again) != len(recs) {
			t.Fatalf("%d records, then %d", len(recs), len(again))
		}
		for i := range recs {
			if !equalRecords(recs[i], again[i]) {
				t.Fatalf("record %d differs:\n%+v\n%+v", i, recs[i], again[i])
			}
		}
		if out2, err := AppendCBOR(nil, again); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n 1st %x\n 2nd %x", out, out2)
		}
	})
}

// FuzzDecodeCBOR checks DecodeCBOR and EncodeCBOR with the core registry
// (or none): no panic, no mutation, errors with offsets inside the input,
// agreement with a reused CBORDecoder and Resolver, and decode -> encode ->
// decode giving the same resolved records, with the second encoding
// identical to the first.
func FuzzDecodeCBOR(f *testing.F) {
	cborSeeds(f)
	reg := lwm2m.CoreRegistry()
	var d CBORDecoder
	var z Resolver
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		base := cborFuzzBases[int(sel&0x7f)%len(cborFuzzBases)]
		r := reg
		if sel&0x80 != 0 {
			r = nil
		}
		orig := bytes.Clone(b)
		recs, err := decodeAllCBOR(b, base, r)
		if !bytes.Equal(b, orig) {
			t.Fatal("DecodeCBOR modified its input")
		}
		d.Reset(b, Limits{})
		z.Reset(base, r)
		i := 0
		err2 := d.Resolve(&z, func(res Resolved) error {
			if i >= len(recs) || show(res) != show(recs[i]) {
				t.Fatalf("CBORDecoder.Resolve and DecodeCBOR differ at record %d", i)
			}
			i++
			return nil
		})
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("DecodeCBOR: %v; reused decoder: %v", err, err2)
		}
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		codectest.RoundTrip(t, recs, func(r []Resolved) ([]byte, error) { return EncodeCBOR(nil, base, r) },
			func(b []byte) ([]Resolved, error) { return decodeAllCBOR(b, base, r) }, show)
	})
}
