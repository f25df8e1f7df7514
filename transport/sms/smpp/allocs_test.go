//go:build !noopt

package smpp

import "testing"

// The allocation counts are exact (STYLE.md 6); they change under
// -gcflags=all=-N -l, hence the noopt build tag.

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts: skipped with -short")
	}
	f := newFixture(t)
	type tc struct {
		name string
		want float64
		fn   func()
	}
	var tests []tc
	for _, k := range kinds {
		tests = append(tests,
			tc{"decode/" + k.kind, 0, func() { f.decode(t, k.kind) }},
			tc{"encode/" + k.kind, 0, func() { f.encode(t, k.kind) }})
	}
	tests = append(tests,
		tc{"PeekHeader", 0, func() { PeekHeader(f.wire["submit_sm-udh"]) }},
		tc{"TLV accessors", 0, func() { f.accessors(t) }},
		tc{"Validate", 0, func() {
			if err := f.sm.Validate(); err != nil {
				t.Fatal(err)
			}
		}},
		tc{"CopyTo", 0, func() { f.cbuf = f.sm.CopyTo(&f.cp, f.cbuf[:0]) }},
		tc{"Reader.Next", 0, func() { f.next(t) }},
		tc{"decode error", 1, func() {
			var d DeliverSM
			if _, err := d.Decode(f.bad); err == nil {
				t.Fatal("decoded")
			}
		}},
	)
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			c.fn()
			if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
				t.Errorf("%v allocs, want %v", got, c.want)
			}
		})
	}
}
