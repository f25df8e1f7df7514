package senml

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// cborFuzzBases are the request paths FuzzDecodeCBOR reads against, picked
// by a byte of the input.
var cborFuzzBases = []path.Path{{}, path.Object(3), path.Instance(3, 0), path.Resource(3, 0, 6), path.Object(34), path.Instance(3442, 0)}

func cborSeeds(f *testing.F) {
	for _, v := range loadVectors(f, "senml+cbor") {
		f.Add(unhexCBOR(f, v.Hex), byte(0))
		f.Add(unhexCBOR(f, v.Hex), byte(0x80))
	}
	f.Add(unhexCBOR(f, cborAllFields), byte(0x80))
	fx := newCBORFixture(f)
	f.Add(fx.device, byte(2))
	f.Add(fx.many, byte(0))
	out, _ := EncodeCBOR(nil, fx.base, fx.recs)
	f.Add(out, byte(2))
}

func cborCheckErr(t *testing.T, err error, n int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error is %T, not *Error: %v", err, err)
	}
	if e.Offset < 0 || e.Offset > n {
		t.Fatalf("offset %d out of range 0..%d: %v", e.Offset, n, err)
	}
	if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrLimit) && !errors.Is(err, ErrUnsupported) {
		t.Fatalf("no error class: %v", err)
	}
	_ = e.Error()
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
			cborCheckErr(t, err, len(b))
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
			cborCheckErr(t, err, len(b))
			return
		}
		out, err := EncodeCBOR(nil, base, recs)
		if err != nil {
			t.Fatalf("decoded %x but cannot encode: %v", b, err)
		}
		again, err := decodeAllCBOR(out, base, r)
		if err != nil {
			t.Fatalf("re-decode of %x: %v", out, err)
		}
		if strings.Join(showAll(again), "\n") != strings.Join(showAll(recs), "\n") {
			t.Fatalf("records differ:\n%s\n--\n%s\n(%x)", strings.Join(showAll(recs), "\n"), strings.Join(showAll(again), "\n"), out)
		}
		if out2, err := EncodeCBOR(nil, base, again); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n 1st %x\n 2nd %x", out, out2)
		}
	})
}
