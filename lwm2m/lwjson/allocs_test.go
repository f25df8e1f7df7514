//go:build !noopt

package lwjson

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
		{"reuse/device", 0, func() { f.reuse(t, f.device, f.base, 16) }},
		{"reuse/escaped-opaque", 0, func() { f.reuse(t, f.escaped, path.Path{}, 2) }},
		{"reuse/40-entries", 0, func() { f.reuse(t, f.many, path.Path{}, 40) }},
		{"encode/device", 0, func() { f.encode(t) }},
		// Decode allocates its one buffer for escapes and Opaque values ...
		{"decode/escaped-opaque", 1, func() {
			if err := Decode(f.escaped, path.Path{}, f.reg, func(Record) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		// ... and the duplicate index past 32 entries.
		{"decode/40-entries", 2, func() {
			if err := Decode(f.many, path.Path{}, nil, func(Record) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}},
		{"decode/error", 1, func() {
			if err := Decode(f.bad, f.base, f.reg, func(Record) error { return nil }); err == nil {
				t.Fatal("accepted")
			}
		}},
		{"reuse/syntax-error", 1, func() {
			f.dec.Reset(f.device[:len(f.device)-1], f.base, f.reg, Limits{})
			if _, ok := f.dec.Next(); ok || f.dec.Err() == nil {
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
