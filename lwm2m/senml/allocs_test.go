//go:build !noopt

package senml

import (
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// The exact allocation counts; they change under -gcflags=all=-N -l, hence
// the noopt build tag.
func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	f := newFixture(t)
	cases := []struct {
		name string
		want float64
		fn   func()
	}{
		{"decode/device", 0, func() { f.decode(t) }},
		{"next/device", 0, func() { f.next(t) }},
		{"reuse/device", 0, func() { f.reuse(t, f.device, 16) }},
		{"reuse/escaped-vd", 0, func() { f.reuse(t, f.escaped, 4) }},
		{"reuse/40-records", 0, func() { f.reuse(t, f.many, 40) }},
		{"encode/device", 0, func() { f.encode(t) }},
		{"append/device", 0, func() { f.append(t) }},
		// DecodeJSON allocates its one buffer for escapes and vd ...
		{"decode/escaped-vd", 1, func() {
			if err := DecodeJSON(f.escaped, path.Path{}, f.reg, func(Resolved) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		// ... and the duplicate index past 32 records: the index and the
		// spilled keys (appended as they come).
		{"decode/40-records", 2, func() {
			if err := DecodeJSON(f.many, path.Path{}, nil, func(Resolved) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		{"decode/error", 1, func() {
			if err := DecodeJSON(f.bad, path.Instance(3, 0), f.reg, func(Resolved) error { return nil }); err == nil {
				t.Fatal("accepted")
			}
		}},
		{"reuse/error", 1, func() {
			f.dec.Reset(f.bad, Limits{})
			f.z.Reset(path.Instance(3, 0), f.reg)
			if err := f.dec.Resolve(&f.z, func(Resolved) error { return nil }); err == nil {
				t.Fatal("accepted")
			}
		}},
		{"next/syntax-error", 1, func() {
			f.dec.Reset(f.device[:len(f.device)-1], Limits{})
			for _, ok := f.dec.Next(); ok; _, ok = f.dec.Next() {
			}
			if f.dec.Err() == nil {
				t.Fatal("accepted")
			}
		}},
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
