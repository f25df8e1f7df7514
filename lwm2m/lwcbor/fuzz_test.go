package lwcbor

import (
	"bytes"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// fuzzBases are the request paths the fuzz target reads against, picked by
// a byte of the input.
var fuzzBases = []path.Path{{}, path.Object(3), path.Instance(3, 0), path.Resource(3, 0, 6), path.Object(13), path.Instance(13, 26)}

func fuzzSeeds(f *testing.F) {
	for _, v := range codectest.LoadVectors(f) {
		f.Add(codectest.Unhex(f, v.Hex), byte(0))
		f.Add(codectest.Unhex(f, v.Hex), byte(0x80|4))
	}
	for _, c := range decodeCases {
		f.Add(codectest.Unhex(f, c.hex), byte(0))
	}
	for _, c := range errorCases {
		f.Add(codectest.Unhex(f, c.hex), byte(0))
	}
	b, _ := Encode(nil, path.Instance(3, 0), deviceRecords())
	f.Add(b, byte(2))
}

// FuzzDecode checks Decode and Encode, with the core registry or none: no
// panic, no mutation, errors with offsets inside the input, and decode ->
// encode -> decode giving the same records, with the second encoding
// identical to the first.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		base := fuzzBases[int(sel&0x7f)%len(fuzzBases)]
		var reg *lwm2m.Registry
		if sel&0x80 == 0 {
			reg = coreReg
		}
		orig := bytes.Clone(b)
		recs, err := decodeAll(b, base, reg)
		if !bytes.Equal(b, orig) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			codectest.CheckFuzzError(t, err, len(b), errorAt)
			return
		}
		codectest.RoundTrip(t, recs, func(r []Record) ([]byte, error) { return Encode(nil, base, r) },
			func(b []byte) ([]Record, error) { return decodeAll(b, base, reg) }, showRecord)
		// Every value reads back alone as its own type.
		for _, r := range recs {
			v, err := AppendValue(nil, r.Value)
			if err != nil || len(v) != ValueLen(r.Value) {
				t.Fatalf("AppendValue %v: %x %v", show(r.Path, r.Value), v, err)
			}
			w, n, err := DecodeValue(r.Value.Type(), v)
			if err != nil || n != len(v) || !w.Equal(r.Value) {
				t.Fatalf("DecodeValue %x: %v %v", v, show(r.Path, w), err)
			}
		}
	})
}
