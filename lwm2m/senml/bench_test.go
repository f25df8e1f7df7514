package senml

import "testing"

func BenchmarkDecodeJSON(b *testing.B) {
	f := newFixture(b)
	for _, c := range []struct {
		name string
		in   []byte
		fn   func(testing.TB)
	}{
		{"msg=device-3-0/op=decode", f.device, f.decode},
		{"msg=device-3-0/op=next-raw", f.device, f.next},
		{"msg=device-3-0/op=reuse", f.device, func(tb testing.TB) { f.reuse(tb, f.device, 16) }},
		{"msg=escaped-vd/op=reuse", f.escaped, func(tb testing.TB) { f.reuse(tb, f.escaped, 4) }},
		{"msg=40-records/op=reuse", f.many, func(tb testing.TB) { f.reuse(tb, f.many, 40) }},
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

func BenchmarkEncodeJSON(b *testing.B) {
	f := newFixture(b)
	for _, c := range []struct {
		name string
		fn   func(testing.TB)
	}{
		{"msg=device-3-0/op=encode-resolved", f.encode},
		{"msg=device-3-0/op=append-raw", f.append},
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
