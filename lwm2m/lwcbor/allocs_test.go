//go:build !noopt

package lwcbor

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The shared bodies of the allocation tests and the benchmarks.
type fixture struct {
	device     []byte // Device /3/0 in the canonical form
	indefinite []byte // vector lwm2m_cbor_encoder_two_objects (Anjay's output)
	unordered  []byte // Device /3/0 resources in descending order
	base       path.Path
	recs       []Record
	reversed   []Record
	buf        []byte
}

func newFixture(tb testing.TB) *fixture {
	f := &fixture{base: path.Instance(3, 0), recs: deviceRecords()}
	var err error
	if f.device, err = Encode(nil, f.base, f.recs); err != nil {
		tb.Fatal(err)
	}
	for i := len(f.recs) - 1; i >= 0; i-- {
		f.reversed = append(f.reversed, f.recs[i])
	}
	if f.unordered, err = Encode(nil, f.base, f.reversed); err != nil {
		tb.Fatal(err)
	}
	f.indefinite = codectest.Unhex(tb, codectest.VectorByName(tb, "lwm2m_cbor_encoder_two_objects").Hex)
	f.buf = make([]byte, 0, 2*len(f.unordered))
	return f
}

func (f *fixture) decode(tb testing.TB) {
	n := 0
	err := Decode(f.device, f.base, coreReg, func(p path.Path, v lwm2m.Value) error {
		n++
		return nil
	})
	if err != nil || n != 16 {
		tb.Fatal(n, err)
	}
}

func (f *fixture) values(tb testing.TB) {
	it := NewValues(f.device, f.base, coreReg, Limits{})
	n := 0
	for it.Next() {
		n++
	}
	if it.Err() != nil || n != 16 {
		tb.Fatal(n, it.Err())
	}
}

func (f *fixture) decodeIndefinite(tb testing.TB) {
	it := NewValues(f.indefinite, path.Path{}, nil, Limits{})
	n := 0
	for it.Next() {
		n++
	}
	if it.Err() != nil || n != 4 {
		tb.Fatal(n, it.Err())
	}
}

func (f *fixture) decodeUnordered(tb testing.TB) {
	it := NewValues(f.unordered, f.base, coreReg, Limits{})
	n := 0
	for it.Next() {
		n++
	}
	if it.Err() != nil || n != 16 {
		tb.Fatal(n, it.Err())
	}
}

func (f *fixture) encode(tb testing.TB) {
	var err error
	if f.buf, err = Encode(f.buf[:0], f.base, f.recs); err != nil || len(f.buf) != len(f.device) {
		tb.Fatal(err)
	}
}

func (f *fixture) encodeUnordered(tb testing.TB) {
	var err error
	if f.buf, err = Encode(f.buf[:0], f.base, f.reversed); err != nil || len(f.buf) != len(f.unordered) {
		tb.Fatal(err)
	}
}

// The exact allocation counts; they change under -gcflags=all=-N -l, hence
// the noopt build tag.
func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	f := newFixture(t)
	type tc struct {
		name string
		want float64
		fn   func()
	}
	bad := codectest.Unhex(t, "a1 83030009 61 78") // text for the Integer Battery Level
	cases := []tc{
		{"decode/device-callback", 0, func() { f.decode(t) }},
		{"values/device", 0, func() { f.values(t) }},
		{"values/indefinite-anjay", 0, func() { f.decodeIndefinite(t) }},
		{"values/out-of-order-inline", 0, func() { f.decodeUnordered(t) }},
		{"encode/device", 0, func() { f.encode(t) }},
		{"encode/out-of-order-sort", 1, func() { f.encodeUnordered(t) }},
		{"decode/error", 1, func() {
			if err := Decode(bad, path.Path{}, coreReg, func(path.Path, lwm2m.Value) error { return nil }); err == nil {
				t.Fatal("accepted")
			}
		}},
		{"encode/error", 1, func() {
			if _, err := Encode(f.buf[:0], path.Object(4), f.recs); err == nil {
				t.Fatal("accepted")
			}
		}},
	}
	for _, c := range valueCases {
		in := codectest.Unhex(t, c.hex)
		out := make([]byte, 0, 32)
		cases = append(cases,
			tc{"decode-value/" + c.name, 0, func() {
				if _, _, err := DecodeValue(c.t, in); err != nil {
					t.Fatal(err)
				}
			}},
			tc{"append-value/" + c.name, 0, func() {
				var err error
				if out, err = AppendValue(out[:0], c.want); err != nil {
					t.Fatal(err)
				}
			}},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn()
			if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
				t.Errorf("%v allocs, want %v", got, c.want)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	f := newFixture(b)
	for _, c := range []struct {
		name string
		in   []byte
		fn   func(testing.TB)
	}{
		{"msg=device-3-0/op=decode-callback", f.device, f.decode},
		{"msg=device-3-0/op=values-cursor", f.device, f.values},
		{"msg=device-3-0-descending/op=values-cursor", f.unordered, f.decodeUnordered},
		{"msg=anjay-two-objects-indefinite/op=values-cursor", f.indefinite, f.decodeIndefinite},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.in)))
			for b.Loop() {
				c.fn(b)
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	f := newFixture(b)
	for _, c := range []struct {
		name string
		n    int
		fn   func(testing.TB)
	}{
		{"msg=device-3-0/op=encode", len(f.device), f.encode},
		{"msg=device-3-0-descending/op=encode", len(f.unordered), f.encodeUnordered},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(c.n))
			for b.Loop() {
				c.fn(b)
			}
		})
	}
}
