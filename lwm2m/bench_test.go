package lwm2m

import "testing"

// Run: go test -run '^$' -bench . -count 10 ./lwm2m > new.txt; benchstat old.txt new.txt

var benchText = []struct {
	name string
	typ  Type
	text string
}{
	{"string-20B", String, "Open Mobile Alliance"},
	{"integer", Integer, "-750"},
	{"integer-max", Integer, "9223372036854775807"},
	{"unsigned", Unsigned, "18446744073709551615"},
	{"float-spec", Float, "0.00000000006667"},
	{"float-latitude", Float, "-43.5723"},
	{"float-exponent", Float, "1.7976931348623157e308"},
	{"boolean", Boolean, "1"},
	{"time", Time, "1476186613"},
	{"objlnk", Objlnk, "3:0"},
	{"opaque-5B", Opaque, "AQIDBAU="},
	{"opaque-96B", Opaque, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f"},
}

func BenchmarkParseText(b *testing.B) {
	for _, c := range benchText {
		b.Run("type="+c.name+"/impl=ours", func(b *testing.B) {
			fn := parseTextOp(b, c.typ, c.text, make([]byte, 0, 128))
			b.ReportAllocs()
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				fn()
			}
		})
	}
}

func BenchmarkAppendText(b *testing.B) {
	for _, c := range benchText {
		v, err := ParseText(c.typ, []byte(c.text), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("type="+c.name+"/impl=ours", func(b *testing.B) {
			fn := appendTextOp(b, v)
			b.ReportAllocs()
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				fn()
			}
		})
	}
}

func BenchmarkRegistry(b *testing.B) {
	reg := CoreRegistry()
	for _, c := range []struct {
		name     string
		obj, res uint16
	}{
		{"device-current-time", 3, 13},
		{"security-last", 0, 30},
		{"firmware-sparse", 5, 14},
		{"mqtt-server", 24, 8},
	} {
		b.Run("lookup="+c.name+"/impl=ours", func(b *testing.B) {
			fn := lookupOp(b, reg, c.obj, c.res)
			b.ReportAllocs()
			for b.Loop() {
				fn()
			}
		})
	}
	b.Run("lookup=miss/impl=ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := reg.Resource(3303, 5700); ok {
				b.Fatal("found")
			}
		}
	})
	b.Run("op=core-registry/impl=ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CoreRegistry()
		}
	})
}
