//go:build !noopt

package lwm2m

import (
	"math"
	"strings"
	"testing"
)

// The allocation counts are exact; they change under -gcflags=all=-N -l,
// hence the noopt build tag.
func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	type tc struct {
		name string
		want float64
		fn   func()
	}
	var cases []tc
	scratch := make([]byte, 0, 64)
	for _, v := range textVectors {
		cases = append(cases,
			tc{"parse/" + v.name, 0, parseTextOp(t, v.typ, v.text, scratch)},
			tc{"append/" + v.name, 0, appendTextOp(t, v.want)})
	}
	reg := CoreRegistry()
	var sum int
	cases = append(cases,
		tc{"parse/float-exponent", 0, parseTextOp(t, Float, "-1.2345678901234567e-300", nil)},
		tc{"parse/float-24-digits", 0, parseTextOp(t, Float, "1.23456789012345678901234", nil)},
		// More than 24 significant digits: one string conversion escapes.
		tc{"parse/float-25-digits", 1, parseTextOp(t, Float, "1.234567890123456789012345", nil)},
		// Opaque with a short dst: the decoded bytes need an array.
		tc{"parse/opaque-grow", 1, parseTextOp(t, Opaque, "AQIDBAU=", nil)},
		tc{"parse/opaque-long", 0, parseTextOp(t, Opaque, strings.Repeat("AQID", 16), scratch)},
		tc{"textlen/float", 0, func() { sum += TextLen(FloatValue(math.SmallestNonzeroFloat64)) }},
		tc{"opaque-format", 0, func() {
			v, err := ParseOpaque(Opaque, scratch[:3])
			if err != nil {
				t.Fatal(err)
			}
			if _, err = AppendOpaque(scratch[:0], v); err != nil {
				t.Fatal(err)
			}
		}},
		tc{"lookup/device-current-time", 0, lookupOp(t, reg, 3, 13)},
		tc{"lookup/security-rds", 0, lookupOp(t, reg, 0, 30)},
		tc{"lookup/firmware-sparse", 0, lookupOp(t, reg, 5, 14)},
		tc{"lookup/mqtt-server", 0, lookupOp(t, reg, 24, 8)},
		tc{"lookup/miss", 0, func() {
			if _, ok := reg.Resource(3300, 5700); ok {
				t.Fatal("found")
			}
		}},
		// Error paths: the *Error only.
		tc{"parse-error/integer", 1, parseTextErrOp(t, Integer, "12x")},
		tc{"parse-error/float-overflow", 1, parseTextErrOp(t, Float, "1e400")},
		tc{"parse-error/string", 1, parseTextErrOp(t, String, "a\xff")},
		tc{"parse-error/base64", 1, parseTextErrOp(t, Opaque, "AR==")},
		tc{"append-error/nan", 1, func() {
			if _, err := AppendText(scratch[:0], FloatValue(math.NaN())); err == nil {
				t.Fatal("accepted")
			}
		}},
	)
	for _, c := range cases {
		if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
			t.Errorf("%s: %v allocs, want %v", c.name, got, c.want)
		}
	}
}
