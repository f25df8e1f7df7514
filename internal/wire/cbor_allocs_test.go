//go:build !noopt

package wire

import "testing"

// The CBOR primitives do not allocate; the decimal fraction's conversion
// relies on the compiler keeping a short string(bytes) on the stack, hence
// the noopt build tag (counts change under -gcflags=all=-N -l).
func TestCBORAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	dec := cborHex(t, "c4823bffffffffffffffff1bffffffffffffffff")
	dec2 := cborHex(t, "c48221196ab3")
	item := cborHex(t, "bf61610161629f0203ffff")
	buf := make([]byte, 0, 64)
	for name, fn := range map[string]func(){
		"decimal-long": func() { ReadCBORNumber(dec, 0) },
		"decimal":      func() { ReadCBORNumber(dec2, 0) },
		"skip":         func() { SkipCBOR(item, 0, 4) },
		"append-float": func() { buf = AppendCBORFloat(buf[:0], 1.1) },
		"append-head":  func() { buf = AppendCBORHead(buf[:0], CBORMap, 1000) },
	} {
		if n := testing.AllocsPerRun(1000, fn); n != 0 {
			t.Errorf("%s: %v allocs", name, n)
		}
	}
}
