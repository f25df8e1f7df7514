package smpp

import "testing"

func BenchmarkDecode(b *testing.B) {
	f := newFixture(b)
	for _, k := range kinds {
		b.Run("msg="+k.kind, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.wire[k.kind])))
			for b.Loop() {
				f.decode(b, k.kind)
			}
		})
	}
}

func BenchmarkAppend(b *testing.B) {
	f := newFixture(b)
	for _, k := range kinds {
		b.Run("msg="+k.kind, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.wire[k.kind])))
			for b.Loop() {
				f.encode(b, k.kind)
			}
		})
	}
}

func BenchmarkReader(b *testing.B) {
	f := newFixture(b)
	b.Run("msg=all-vectors", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.all) / len(vectors)))
		for b.Loop() {
			f.next(b)
		}
	})
}
