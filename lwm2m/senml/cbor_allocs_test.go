//go:build !noopt

package senml

import (
	"testing"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m/path"
)

func (f *cborFixture) decode(tb testing.TB) {
	n := 0
	if err := DecodeCBOR(f.device, f.base, f.reg, func(Resolved) error { n++; return nil }); err != nil || n != 16 {
		tb.Fatal(n, err)
	}
}

func (f *cborFixture) next(tb testing.TB) {
	f.dec.Reset(f.device, Limits{})
	n := 0
	for _, ok := f.dec.Next(); ok; _, ok = f.dec.Next() {
		n++
	}
	if f.dec.Err() != nil || n != 16 {
		tb.Fatal(n, f.dec.Err())
	}
}

func (f *cborFixture) append(tb testing.TB) {
	var err error
	if f.buf, err = AppendCBOR(f.buf[:0], f.raw); err != nil || len(f.buf) != len(f.device) {
		tb.Fatal(err)
	}
}

func (f *cborFixture) encode(tb testing.TB) {
	var err error
	if f.buf, err = EncodeCBOR(f.buf[:0], f.base, f.recs); err != nil || len(f.buf) != len(f.device) {
		tb.Fatal(err)
	}
}

// The exact allocation counts; they change under -gcflags=all=-N -l, hence
// the noopt build tag.
func TestCBORAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	f := newCBORFixture(t)
	for _, c := range []struct {
		name string
		want float64
		fn   func()
	}{
		{"decoder/next-device", 0, func() { f.next(t) }},
		{"decode/device-callback", 0, func() { f.decode(t) }},
		{"decoder+resolver/reused-40-records", 0, func() { f.reuse(t, f.many, 40) }},
		{"decode/40-records-index", 2, func() {
			if err := DecodeCBOR(f.many, path.Path{}, nil, func(Resolved) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		{"append/device", 0, func() { f.append(t) }},
		{"encode/device", 0, func() { f.encode(t) }},
		{"decode/error", 1, func() {
			if err := DecodeCBOR(f.bad, f.base, f.reg, func(Resolved) error { return nil }); err == nil {
				t.Fatal("accepted")
			}
		}},
		{"decode/decimal-fraction", 0, func() {
			if _, _, e := wire.ReadCBORNumber([]byte{0xc4, 0x82, 0x21, 0x19, 0x6a, 0xb3}, 0); e != wire.CBOROK {
				t.Fatal(e.Msg())
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.fn()
			if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
				t.Errorf("%v allocs, want %v", got, c.want)
			}
		})
	}
}

func BenchmarkCBORDecode(b *testing.B) {
	f := newCBORFixture(b)
	for _, c := range []struct {
		name string
		in   []byte
		fn   func(testing.TB)
	}{
		{"msg=device-3-0/op=decoder-next", f.device, f.next},
		{"msg=device-3-0/op=decode-callback", f.device, f.decode},
		{"msg=40-records/op=reused-resolve", f.many, func(tb testing.TB) { f.reuse(tb, f.many, 40) }},
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

func BenchmarkCBOREncode(b *testing.B) {
	f := newCBORFixture(b)
	for _, c := range []struct {
		name string
		fn   func(testing.TB)
	}{
		{"msg=device-3-0/op=append-raw", f.append},
		{"msg=device-3-0/op=encode-resolved", f.encode},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.device)))
			for b.Loop() {
				c.fn(b)
			}
		})
	}
}
