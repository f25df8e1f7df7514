package tlv

import (
	"bytes"
	"testing"

	"github.com/iotwire/iotwire/internal/wire"
)

// Tests of the back-patching helper in internal/wire, which the Writer uses.

func TestWirePatchLen(t *testing.T) {
	for _, c := range []struct {
		name        string
		width, newW int
		v           uint64
		want        []byte // after the 2-byte prefix "hh"
		panics      bool
	}{
		{"none-to-none", 0, 0, 0, []byte("body"), false},
		{"none-to-one", 0, 1, 4, []byte("\x04body"), false},
		{"none-to-three", 0, 3, 0x010203, []byte("\x01\x02\x03body"), false},
		{"one-to-one", 1, 1, 4, []byte("\x04body"), false},
		{"two-to-one", 2, 1, 4, []byte("\x04body"), false},
		{"one-to-eight", 1, 8, 1<<63 | 4, []byte("\x80\x00\x00\x00\x00\x00\x00\x04body"), false},
		{"too-big", 0, 1, 256, nil, true},
		{"bad-width", 0, 9, 0, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); (r != nil) != c.panics {
					t.Fatalf("panic %v, want panic %v", r, c.panics)
				}
			}()
			b, at := wire.ReserveLen([]byte("hh"), c.width)
			if at != 2 || len(b) != 2+c.width {
				t.Fatalf("reserve: at %d len %d", at, len(b))
			}
			b = append(b, "body"...)
			b = wire.PatchLen(b, at, c.width, c.newW, c.v)
			if got := b[2:]; !bytes.Equal(got, c.want) || string(b[:2]) != "hh" {
				t.Fatalf("got %q, want hh%q", b, c.want)
			}
		})
	}
}

// Nested patching: the inner field grows first, then the outer one, and
// each sees the other's bytes as body.
func TestWirePatchLenNested(t *testing.T) {
	b, outer := wire.ReserveLen(nil, 0)
	b = append(b, 'x')
	b, inner := wire.ReserveLen(b, 0)
	b = append(b, bytes.Repeat([]byte{'y'}, 300)...)
	b = wire.PatchLen(b, inner, 0, 2, 300)
	b = wire.PatchLen(b, outer, 0, 2, uint64(len(b)-outer))
	if b[0] != 0x01 || b[1] != 0x2f || b[2] != 'x' || b[3] != 0x01 || b[4] != 0x2c || len(b) != 305 {
		t.Fatalf("% x", b[:6])
	}
	if n := testing.AllocsPerRun(100, func() {
		c := b[:0:cap(b)]
		c, at := wire.ReserveLen(c, 0)
		c = append(c, "abcdefgh"...)
		_ = wire.PatchLen(c, at, 0, 1, 8)
	}); n != 0 {
		t.Fatalf("%v allocs", n)
	}
}
