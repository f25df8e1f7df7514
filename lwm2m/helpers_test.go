package lwm2m

import "testing"

// The operations measured by TestAllocs and the benchmarks (D's shared
// testing.TB helpers): each returns a func that runs one operation and
// fails tb if it errs.

func parseTextOp(tb testing.TB, t Type, text string, dst []byte) func() {
	in := []byte(text)
	return func() {
		if _, err := ParseText(t, in, dst); err != nil {
			tb.Fatal(err)
		}
	}
}

func parseTextErrOp(tb testing.TB, t Type, text string) func() {
	in := []byte(text)
	return func() {
		if _, err := ParseText(t, in, nil); err == nil {
			tb.Fatal("accepted")
		}
	}
}

func appendTextOp(tb testing.TB, v Value) func() {
	buf := make([]byte, 0, 512)
	return func() {
		var err error
		if buf, err = AppendText(buf[:0], v); err != nil {
			tb.Fatal(err)
		}
	}
}

func lookupOp(tb testing.TB, reg *Registry, obj, res uint16) func() {
	return func() {
		if _, ok := reg.Resource(obj, res); !ok {
			tb.Fatal("not found")
		}
	}
}
