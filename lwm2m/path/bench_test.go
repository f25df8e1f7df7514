package path

import "testing"

// BenchmarkFromText parses the paths a SenML pack names, as the decoders do.
func BenchmarkFromText(b *testing.B) {
	b.ReportAllocs()
	in := [][]byte{[]byte("/3/0/6/0"), []byte("/3303/0/5700"), []byte("/3/0/13")}
	for b.Loop() {
		for _, s := range in {
			if _, ok := FromText(s); !ok {
				b.Fatal(s)
			}
		}
	}
}
