package lwcbor

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// fuzzBases are the request paths the fuzz target reads against, picked by
// a byte of the input.
var fuzzBases = []path.Path{{}, path.Object(3), path.Instance(3, 0), path.Resource(3, 0, 6), path.Object(13), path.Instance(13, 26)}

func fuzzSeeds(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(unhex(f, v.Hex), byte(0))
		f.Add(unhex(f, v.Hex), byte(0x80|4))
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
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if e.Offset < 0 || e.Offset > len(b) {
				t.Fatalf("offset %d out of range 0..%d: %v", e.Offset, len(b), err)
			}
			_ = e.Error()
			return
		}
		out, err := Encode(nil, base, recs)
		if err != nil {
			t.Fatalf("decoded %x but cannot encode: %v", b, err)
		}
		again, err := decodeAll(out, base, reg)
		if err != nil {
			t.Fatalf("re-decode of %x: %v", out, err)
		}
		if strings.Join(showAll(again), "\n") != strings.Join(showAll(recs), "\n") {
			t.Fatalf("records differ:\n%q\n%q", showAll(recs), showAll(again))
		}
		if out2, err := Encode(nil, base, again); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n 1st %x\n 2nd %x", out, out2)
		}
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
