package smpp

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/iotwire/iotwire/internal/codectest"
)

// stream returns every vector back to back.
func stream(tb testing.TB) ([]byte, [][]byte) {
	var all []byte
	var pdus [][]byte
	for _, v := range vectors {
		b := codectest.Unhex(tb, v.hex)
		all = append(all, b...)
		pdus = append(pdus, b)
	}
	return all, pdus
}

func TestReader(t *testing.T) {
	all, pdus := stream(t)
	for _, name := range []string{"whole", "one-byte", "half"} {
		t.Run(name, func(t *testing.T) {
			var src io.Reader = bytes.NewReader(all)
			switch name {
			case "one-byte":
				src = iotest.OneByteReader(src)
			case "half":
				src = iotest.HalfReader(src)
			}
			r := NewReader(src, 0)
			for i, want := range pdus {
				h, pdu, err := r.Next()
				if err != nil {
					t.Fatalf("PDU %d: %v", i, err)
				}
				if !bytes.Equal(pdu, want) || int(h.Length) != len(want) {
					t.Fatalf("PDU %d: got %x", i, pdu)
				}
			}
			if _, _, err := r.Next(); err != io.EOF {
				t.Fatalf("at end: %v", err)
			}
		})
	}
}

func TestReaderErrors(t *testing.T) {
	t.Run("truncated", func(t *testing.T) {
		b := codectest.Unhex(t, vectors[0].hex)
		r := NewReader(bytes.NewReader(b[:10]), 0)
		_, _, err := r.Next()
		if !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("truncated-body", func(t *testing.T) {
		b := codectest.Unhex(t, `00000020 00000004 00000000 00000001 0000`)
		_, _, err := NewReader(bytes.NewReader(b), 0).Next()
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("over-limit-before-body", func(t *testing.T) {
		// The header says 1000 octets; the reader must fail without
		// asking for the body.
		hdr := codectest.Unhex(t, `000003e8 00000004 00000000 00000001`)
		src := io.MultiReader(bytes.NewReader(hdr), iotest.ErrReader(errors.New("body read")))
		h, _, err := NewReader(src, 100).Next()
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrLimit) || e.Status != StatusInvCmdLen || h.Seq != 1 {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("below-16", func(t *testing.T) {
		b := codectest.Unhex(t, `00000008 00000015 00000000 00000001`)
		_, _, err := NewReader(bytes.NewReader(b), 0).Next()
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("conn-error", func(t *testing.T) {
		boom := errors.New("boom")
		_, _, err := NewReader(iotest.ErrReader(boom), 0).Next()
		if err != boom {
			t.Fatalf("got %v", err)
		}
	})
}
