package coapmsg

import (
	"errors"
	"testing"
)

// optCase is one operation of the option extensions (block.go, observe.go,
// noresponse.go, echo.go, hoplimit.go, oscore.go), shared by their
// benchmarks and by TestOptionAllocs, which pins allocs exactly.
type optCase struct {
	name   string  // the benchmark sub-name after "op="
	allocs float64 // exact allocations per call
	bytes  int     // bytes processed, for b.SetBytes
	fn     func()
}

// benchOpt runs each case as a sub-benchmark.
func benchOpt(b *testing.B, cases []optCase) {
	for _, c := range cases {
		b.Run("op="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(c.bytes))
			for b.Loop() {
				c.fn()
			}
		})
	}
}

// wantOptErr checks that err is an *Error of the class with the offset and
// option given.
func wantOptErr(tb testing.TB, err, class error, off int, n OptionNumber) {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T), want *Error", err, err)
	}
	if !errors.Is(err, class) || e.Offset != off || e.Option != n || e.Rule == "" {
		tb.Fatalf("error %v: class/offset/option %v/%d/%d, want %v/%d/%d and a rule", err, e.Err, e.Offset, e.Option, class, off, n)
	}
}

// mustDecodeMsg decodes a UDP message that is valid.
func mustDecodeMsg(tb testing.TB, wire []byte) *Message {
	tb.Helper()
	m := new(Message)
	if _, err := m.Decode(wire); err != nil {
		tb.Fatalf("decode %x: %v", wire, err)
	}
	return m
}
