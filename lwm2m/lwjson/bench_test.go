package lwjson

import (
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
)

func BenchmarkDecode(b *testing.B) {
	f := newFixture(b)
	for _, c := range []struct {
		name string
		in   []byte
		fn   func(testing.TB)
	}{
		{"msg=device-3-0/op=decode", f.device, f.decode},
		{"msg=device-3-0/op=reuse", f.device, func(tb testing.TB) { f.reuse(tb, f.device, f.base, 16) }},
		{"msg=escaped-opaque/op=reuse", f.escaped, func(tb testing.TB) { f.reuse(tb, f.escaped, path.Path{}, 2) }},
		{"msg=40-entries/op=reuse", f.many, func(tb testing.TB) { f.reuse(tb, f.many, path.Path{}, 40) }},
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
	b.Run("msg=device-3-0/op=encode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.device)))
		for b.Loop() {
			f.encode(b)
		}
	})
}
