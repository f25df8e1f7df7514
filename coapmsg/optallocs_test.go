//go:build !noopt

package coapmsg

import "testing"

// TestOptionAllocs pins the allocations of the option extensions exactly:
// none on success, one (the *Error) on failure. The counts change under
// -gcflags=all=-N -l, hence the noopt build tag.
func TestOptionAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	groups := []struct {
		name  string
		cases func(testing.TB) []optCase
	}{
		{"block", blockCases},
		{"observe", observeCases},
		{"noresponse", noResponseCases},
		{"echo", echoCases},
		{"hoplimit", hopLimitCases},
		{"oscore", oscoreCases},
	}
	for _, g := range groups {
		for _, c := range g.cases(t) {
			t.Run(g.name+"/"+c.name, func(t *testing.T) {
				c.fn() // warm up buffers
				if got := testing.AllocsPerRun(1000, c.fn); got != c.allocs {
					t.Errorf("%v allocs, want %v", got, c.allocs)
				}
			})
		}
	}
}
