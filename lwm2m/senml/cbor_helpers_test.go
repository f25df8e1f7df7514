package senml

import (
	"bytes"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// equalRecords compares two raw records field by field (bytes by content).
func equalRecords(a, b Record) bool {
	return a.Fields == b.Fields &&
		bytes.Equal(a.BaseName, b.BaseName) && bytes.Equal(a.BaseUnit, b.BaseUnit) &&
		bytes.Equal(a.Name, b.Name) && bytes.Equal(a.Unit, b.Unit) &&
		bytes.Equal(a.String, b.String) && bytes.Equal(a.Data, b.Data) && bytes.Equal(a.ObjLink, b.ObjLink) &&
		a.BaseTime == b.BaseTime && a.BaseValue == b.BaseValue && a.BaseSum == b.BaseSum &&
		a.Value == b.Value && a.Sum == b.Sum && a.Time == b.Time && a.UpdateTime == b.UpdateTime &&
		a.BaseVersion == b.BaseVersion && a.Bool == b.Bool
}

// The shared bodies of the CBOR allocation tests and benchmarks.
type cborFixture struct {
	device []byte // vector senml_cbor_device_3_0_spec
	many   []byte // 40 records: the Resolver's duplicate index
	bad    []byte // the device pack with /3/0/0 twice
	base   path.Path
	reg    *lwm2m.Registry
	recs   []Resolved
	raw    []Record
	buf    []byte
	dec    CBORDecoder
	z      Resolver
}

func newCBORFixture(tb testing.TB) *cborFixture {
	f := &cborFixture{
		device: codectest.Unhex(tb, codectest.VectorByName(tb, "senml_cbor_device_3_0_spec").Hex),
		base:   path.Instance(3, 0),
		reg:    lwm2m.CoreRegistry(),
	}
	var err error
	if f.recs, err = decodeAllCBOR(f.device, f.base, f.reg); err != nil {
		tb.Fatal(err)
	}
	if f.raw, err = rawCBOR(f.device); err != nil {
		tb.Fatal(err)
	}
	raw := make([]Record, 40)
	for i := range raw {
		raw[i] = Record{Fields: Name | Value, Name: []byte("/31024/0/" + string(rune('0'+i/10)) + string(rune('0'+i%10))), Value: IntNumber(int64(i))}
		if raw[i].Name[9] == '0' { // no leading zeros
			raw[i].Name = append(raw[i].Name[:9:9], raw[i].Name[10])
		}
	}
	if f.many, err = AppendCBOR(nil, raw); err != nil {
		tb.Fatal(err)
	}
	dup := append([]Record{f.raw[0]}, f.raw...)
	dup[1].Fields &^= BaseName
	if f.bad, err = AppendCBOR(nil, dup); err != nil {
		tb.Fatal(err)
	}
	f.buf = make([]byte, 0, 2*len(f.device))
	f.reuse(tb, f.many, 40) // warm the resolver's index
	return f
}

// reuse resolves in with the fixture's decoder and resolver.
func (f *cborFixture) reuse(tb testing.TB, in []byte, want int) {
	f.dec.Reset(in, Limits{})
	f.z.Reset(path.Path{}, nil)
	n := 0
	if err := f.dec.Resolve(&f.z, func(Resolved) error { n++; return nil }); err != nil || n != want {
		tb.Fatal(n, err)
	}
}
