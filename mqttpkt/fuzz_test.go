package mqttpkt

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func addSeeds(f *testing.F) {
	for _, s := range samples() {
		f.Add(mustEncode(f, s.p), byte(s.v))
	}
	// A few malformed seeds so that the fuzzer starts near the error paths.
	f.Add([]byte{0x30, 0x05, 0x00, 0x03, 'a', '/', '+'}, byte(V311))
	f.Add([]byte{0x30, 0xff, 0xff, 0xff, 0xff, 0x01}, byte(V5))
	f.Add([]byte{0xe0, 0x14, 0x00, 0x12, 0x26, 0x00, 0x01, 'a', 0x00, 0x01, '1', 0x1f, 0x00, 0x01, 'x', 0x26, 0x00, 0x01, 'b', 0x00, 0x01, '2'}, byte(V5))
}

// FuzzDecode checks every packet decoder: no panic, a consumed length in
// range, no mutation of the input, and decode -> encode -> decode is a
// fixpoint (the second encoding equals the first).
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, vb byte) {
		v := Version(vb%3 + 3)
		orig := bytes.Clone(b)
		p, n, err := Decode(b, v)
		if !bytes.Equal(b, orig) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if e.Offset < 0 || e.Offset > len(b) {
				t.Fatalf("offset %d out of range 0..%d: %v", e.Offset, len(b), err)
			}
			_ = e.Error()
			return
		}
		if n <= 0 || n > len(b) {
			t.Fatalf("n = %d, len %d", n, len(b))
		}
		out, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatalf("decoded %x but cannot encode: %v", b[:n], err)
		}
		if len(out) != p.Len() {
			t.Fatalf("Len %d, encoded %d", p.Len(), len(out))
		}
		if len(out) > n {
			// Canonical forms are never longer than any accepted form.
			t.Fatalf("re-encoding is longer: %d > %d\n in %x\nout %x", len(out), n, b[:n], out)
		}
		if p.PacketType() == TypeConnect {
			v = p.(*Connect).Version
		}
		q, m, err := Decode(out, v)
		if err != nil || m != len(out) {
			t.Fatalf("re-decode of %x: n=%d err=%v", out, m, err)
		}
		out2, err := q.AppendBinary(nil)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n in %x\n1st %x\n2nd %x (%v)", b[:n], out, out2, err)
		}
	})
}

// FuzzReader frames a stream of packets delivered in small reads and checks
// that the Reader yields the same packets as PeekHeader over the whole input.
func FuzzReader(f *testing.F) {
	var stream []byte
	for _, s := range samples() {
		stream = append(stream, mustEncode(f, s.p)...)
	}
	f.Add(stream, uint16(0))
	f.Add(stream[:len(stream)-1], uint16(64))
	f.Add([]byte{0x30, 0xff, 0xff, 0xff, 0x7f}, uint16(10))
	f.Fuzz(func(t *testing.T, b []byte, max uint16) {
		var src io.Reader = bytes.NewReader(b)
		if max%2 == 0 {
			src = iotest.OneByteReader(src)
		} else {
			src = iotest.HalfReader(src)
		}
		r := NewReader(src, int(max))
		rest := b
		for i := 0; ; i++ {
			if i > len(b) {
				t.Fatal("more packets than bytes")
			}
			h, pkt, err := r.Next()
			if err != nil {
				if err == io.EOF {
					if len(rest) != 0 {
						t.Fatalf("EOF with %d bytes left", len(rest))
					}
					return
				}
				if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
					t.Fatalf("unexpected error class: %v", err)
				}
				return
			}
			wh, _, total, werr := PeekHeader(rest)
			if werr != nil || wh != h || total != len(pkt) || !bytes.Equal(pkt, rest[:total]) {
				t.Fatalf("reader gave %v %x, PeekHeader %v %d %v", h, pkt, wh, total, werr)
			}
			if lim := r.limit(); len(pkt) > lim {
				t.Fatalf("packet of %d bytes over limit %d", len(pkt), lim)
			}
			rest = rest[total:]
		}
	})
}

func TestReader(t *testing.T) {
	var stream []byte
	var want [][]byte
	for _, s := range samples() {
		w := mustEncode(t, s.p)
		want = append(want, w)
		stream = append(stream, w...)
	}
	r := NewReader(iotest.OneByteReader(bytes.NewReader(stream)), 0)
	for i, w := range want {
		_, p, err := r.Next()
		if err != nil || !bytes.Equal(p, w) {
			t.Fatalf("packet %d: %x, %v", i, p, err)
		}
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	// Truncated inside a packet.
	r = NewReader(bytes.NewReader(want[0][:5]), 0)
	if _, _, err := r.Next(); !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated: %v", err)
	}
	// Over the size limit: rejected from the header, before the body is read.
	big := mustEncode(t, &Publish{Version: V311, Topic: []byte("t"), Payload: make([]byte, 1000)})
	r = NewReader(bytes.NewReader(big[:4]), 100)
	if _, _, err := r.Next(); !errors.Is(err, ErrLimit) {
		t.Fatalf("limit: %v", err)
	}
	// A read error is passed through.
	r = NewReader(iotest.ErrReader(io.ErrClosedPipe), 0)
	if _, _, err := r.Next(); err != io.ErrClosedPipe {
		t.Fatalf("read error: %v", err)
	}
}
