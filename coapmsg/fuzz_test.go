package coapmsg

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecode checks the UDP decoder: no panic, no mutation of the input,
// errors are *Error with an offset in range, and a decoded message encodes
// back to exactly the input (the UDP format has one encoding per message).
func FuzzDecode(f *testing.F) {
	for _, v := range udpVectors {
		f.Add(unhex(f, v.hex))
	}
	f.Add(unhex(f, "40 01 00 00 c3 01 02 03"))
	f.Add(unhex(f, "44 01 00 09 01 02 03 04 b1 61 13 00 00 01 ff 70"))
	f.Add(unhex(f, "40 01 00 07 de 16 00 1f 61"))
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		var m Message
		n, err := m.Decode(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(b) {
				t.Fatalf("bad error %T %v", err, err)
			}
			if !errors.Is(err, ErrBadOption) {
				return
			}
			// With ErrBadOption the message is complete: its parts add up to the input.
			if m.Len() != len(b) {
				t.Fatalf("bad-option message incomplete: Len %d, input %d", m.Len(), len(b))
			}
			return
		}
		if n != len(b) {
			t.Fatalf("n = %d, len %d", n, len(b))
		}
		out, err := m.AppendBinary(nil)
		if err != nil {
			t.Fatalf("decoded %x but cannot encode: %v", b, err)
		}
		if !bytes.Equal(out, b) || m.Len() != len(out) {
			t.Fatalf("not a fixpoint:\n in %x\nout %x", b, out)
		}
		var again Message
		if _, err := again.Decode(out); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzOptionIter checks that Values visits exactly the options with its
// number, in order, for every number present and one absent.
func FuzzOptionIter(f *testing.F) {
	for _, v := range udpVectors {
		f.Add(unhex(f, v.hex), uint16(11))
	}
	f.Fuzz(func(t *testing.T, b []byte, extra uint16) {
		var m Message
		if _, err := m.Decode(b); err != nil && !errors.Is(err, ErrBadOption) {
			return
		}
		nums := []OptionNumber{OptionNumber(extra)}
		for _, o := range m.Options {
			nums = append(nums, o.Number)
		}
		for _, n := range nums {
			var want [][]byte
			for _, o := range m.Options {
				if o.Number == n {
					want = append(want, o.Value)
				}
			}
			i := 0
			for it := m.Values(n); it.Next(); i++ {
				if i >= len(want) || !bytes.Equal(it.Value(), want[i]) {
					t.Fatalf("option %d: value %d differs", n, i)
				}
			}
			if i != len(want) {
				t.Fatalf("option %d: %d values, want %d", n, i, len(want))
			}
		}
	})
}
