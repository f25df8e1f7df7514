package tpdu

import "testing"

func BenchmarkDecode(b *testing.B) {
	f := newFixture(b)
	b.Run("msg=deliver-concat-153", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.deliver)))
		for b.Loop() {
			f.decodeDeliver(b)
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	f := newFixture(b)
	f.decodeDeliver(b)
	b.Run("msg=deliver-concat-153", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.deliver)))
		for b.Loop() {
			f.encodeDeliver(b)
		}
	})
}

func BenchmarkText(b *testing.B) {
	f := newFixture(b)
	f.decodeDeliver(b)
	b.Run("msg=gsm7-153", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.d.Body)))
		for b.Loop() {
			f.deliverText(b)
		}
	})
}
