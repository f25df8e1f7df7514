//go:build !noopt

package tlv

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// countEntries walks r and everything nested in it with Next and Children.
func countEntries(tb testing.TB, r Reader) int {
	n := 0
	for e, ok := r.Next(); ok; e, ok = r.Next() {
		n++
		if e.Kind.IsContainer() {
			n += countEntries(tb, r.Children())
		}
	}
	if err := r.Err(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// The shared bodies of the allocation tests and the benchmarks.
type fixture struct {
	device    []byte // vector tlv_device_3_0_object_instance_wrapped_spec
	base      path.Path
	reg       *lwm2m.Registry
	recs      []Record
	buf       []byte
	dv        *deviceValues
	unordered []byte // 40 resources in descending order: the 8 KiB bitmap
	shuffled  []byte // 10 resources in descending order: the rescan
}

func newFixture(tb testing.TB) *fixture {
	f := &fixture{
		device: codectest.Unhex(tb, codectest.VectorByName(tb, "tlv_device_3_0_object_instance_wrapped_spec").Hex),
		base:   path.Object(3),
		reg:    lwm2m.CoreRegistry(),
		dv:     newDeviceValues(),
	}
	var err error
	if f.recs, err = decodeAll(f.device, f.base, f.reg); err != nil {
		tb.Fatal(err)
	}
	f.buf = make([]byte, 0, 2*len(f.device))
	for _, n := range []int{40, 10} {
		var w Writer
		for i := n; i > 0; i-- {
			w.Value(Resource, uint16(i), lwm2m.OpaqueValue(nil))
		}
		b, _ := w.Bytes()
		if n == 40 {
			f.unordered = b
		} else {
			f.shuffled = b
		}
	}
	return f
}

func (f *fixture) walk(tb testing.TB) {
	if n := countEntries(tb, NewReader(f.device, f.base, Limits{})); n != 21 {
		tb.Fatal(n)
	}
}

func (f *fixture) skip(tb testing.TB) {
	r := NewReader(f.device, f.base, Limits{})
	for r.Skip() {
	}
	if r.Err() != nil {
		tb.Fatal(r.Err())
	}
}

func (f *fixture) decode(tb testing.TB) {
	n := 0
	err := Decode(f.device, f.base, f.reg, func(p path.Path, v lwm2m.Value) error {
		n++
		return nil
	})
	if err != nil || n != 16 {
		tb.Fatal(n, err)
	}
}

func (f *fixture) values(tb testing.TB) {
	it := NewValues(f.device, f.base, f.reg, Limits{})
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

func (f *fixture) write(tb testing.TB) {
	var w Writer
	w.Reset(f.buf[:0])
	writeDevice(&w, f.dv)
	var err error
	if f.buf, err = w.Bytes(); err != nil || len(f.buf) != len(f.device) {
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
	cases := []tc{
		{"reader/walk-device", 0, func() { f.walk(t) }},
		{"reader/skip-device", 0, func() { f.skip(t) }},
		{"decode/device-callback", 0, func() { f.decode(t) }},
		{"values/device", 0, func() { f.values(t) }},
		{"encode/device", 0, func() { f.encode(t) }},
		{"writer/device", 0, func() { f.write(t) }},
		{"values/out-of-order-10", 0, func() {
			if _, err := decodeCount(f.shuffled, path.Instance(9, 0)); err != nil {
				t.Fatal(err)
			}
		}},
		{"values/out-of-order-40-bitmap", 1, func() {
			if _, err := decodeCount(f.unordered, path.Instance(9, 0)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	bad := codectest.Unhex(t, "04 05 e1 ff ff 0a") // vector tlv_invalid_resource_id_65535
	cases = append(cases,
		tc{"reader/error", 1, func() {
			r := NewReader(bad, f.base, Limits{})
			if _, ok := r.Next(); ok || r.Err() == nil {
				t.Fatal("accepted")
			}
		}},
		tc{"decode/error", 1, func() {
			if _, err := decodeCount(bad, f.base); err == nil {
				t.Fatal("accepted")
			}
		}},
		tc{"decode/value-error", 1, func() {
			if _, err := decodeCount(unhex3, path.Instance(3, 0)); err == nil {
				t.Fatal("accepted")
			}
		}},
	)
	for _, c := range valueCases {
		in := codectest.Unhex(t, c.hex)
		out := make([]byte, 0, 16)
		cases = append(cases,
			tc{"decode-value/" + c.name, 0, func() {
				if _, err := DecodeValue(c.t, in); err != nil {
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

// unhex3 is a Device battery level of 3 bytes (Appendix C forbids it).
var unhex3 = []byte{0xc3, 0x09, 0, 0, 1}

var coreReg = lwm2m.CoreRegistry()

func decodeCount(b []byte, base path.Path) (int, error) {
	n := 0
	err := Decode(b, base, coreReg, func(path.Path, lwm2m.Value) error {
		n++
		return nil
	})
	return n, err
}

func BenchmarkDecode(b *testing.B) {
	f := newFixture(b)
	for _, c := range []struct {
		name string
		fn   func(testing.TB)
	}{
		{"op=reader-walk", f.walk},
		{"op=reader-skip", f.skip},
		{"op=decode-callback", f.decode},
		{"op=values-cursor", f.values},
	} {
		b.Run("msg=device-3-0/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.device)))
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
		fn   func(testing.TB)
	}{
		{"op=encode-records", f.encode},
		{"op=writer", f.write},
	} {
		b.Run("msg=device-3-0/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.device)))
			for b.Loop() {
				c.fn(b)
			}
		})
	}
}

func BenchmarkValue(b *testing.B) {
	for _, c := range valueCases {
		in := codectest.Unhex(b, c.hex)
		b.Run("type="+c.t.String()+"/case="+c.name+"/op=decode", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := DecodeValue(c.t, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("type="+c.t.String()+"/case="+c.name+"/op=append", func(b *testing.B) {
			out := make([]byte, 0, 16)
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				out, _ = AppendValue(out[:0], c.want)
			}
		})
	}
}
