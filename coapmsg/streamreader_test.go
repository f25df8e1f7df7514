package coapmsg

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// readerStream returns the TCP vectors up to maxLen bytes each, one after
// the other, and the frames.
func readerStream(tb testing.TB, maxLen int) ([]byte, [][]byte) {
	var stream []byte
	var frames [][]byte
	for i := range tcpVectors {
		if w := tcpVector(tb, i); len(w) <= maxLen {
			frames = append(frames, w)
			stream = append(stream, w...)
		}
	}
	return stream, frames
}

func TestStreamReader(t *testing.T) {
	stream, want := readerStream(t, 1<<20)
	for _, c := range []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one-byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
		{"data-err", iotest.DataErrReader}, // the last data comes with io.EOF
	} {
		t.Run(c.name, func(t *testing.T) {
			r := NewReader(c.wrap(bytes.NewReader(stream)), 1<<20)
			var m Message
			for i, w := range want {
				p, err := r.Next()
				if err != nil || !bytes.Equal(p, w) || cap(p) != len(p) {
					t.Fatalf("frame %d: %x, %v", i, p, err)
				}
				if n, err := m.DecodeTCP(p); err != nil || n != len(p) {
					t.Fatalf("frame %d: decode %d %v", i, n, err)
				}
			}
			if p, err := r.Next(); err != io.EOF || p != nil {
				t.Fatalf("end: %x %v", p, err)
			}
			if r.Buffered() != 0 {
				t.Fatalf("%d bytes left", r.Buffered())
			}
		})
	}
}

func TestStreamReaderErrors(t *testing.T) {
	ping := []byte{0x01, 0xe2, 0x42}
	big := tcpVector(t, 6) // 2.05 with a 2-byte token and a 300-byte payload: 307 bytes
	for _, c := range []struct {
		name   string
		in     []byte
		max    int
		class  error // nil: want exactly io.EOF
		offset int
		rule   string
	}{
		{"empty-stream", nil, 0, nil, 0, ""},
		{"ends-in-header", []byte{0xd1}, 0, ErrTruncated, 1, "RFC 8323 3.2"},
		{"ends-in-ext32", []byte{0xf0, 0, 0}, 0, ErrTruncated, 3, "RFC 8323 3.2"},
		{"ends-in-token", ping[:2], 0, ErrTruncated, 2, "RFC 8323 3.2"},
		{"ends-in-body", big[:100], 0, ErrTruncated, 100, "RFC 8323 3.2"},
		{"ends-in-second", append(bytes.Clone(ping), 0x01), 0, ErrTruncated, 1, "RFC 8323 3.2"},
		{"over-limit", big, 304, ErrLimit, 0, "RFC 8323 5.3.1"},
		{"over-default-limit", append([]byte{0xe0, 0x03, 0x74, 0x45}, make([]byte, 1)...), 0, ErrLimit, 0, "RFC 8323 5.3.1"}, // 4 + 884 + 269 = 1157 > 1152
		{"ext32-over-limit", []byte{0xf0, 0xff, 0xff, 0xff, 0xff, 0x45}, 1 << 20, ErrLimit, 0, "RFC 8323 5.3.1"},
		{"tkl-9", []byte{0x09, 0x01}, 0, ErrMalformed, 0, "RFC 7252 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := NewReader(iotest.OneByteReader(bytes.NewReader(c.in)), c.max)
			var err error
			for err == nil {
				_, err = r.Next()
			}
			if c.class == nil {
				if err != io.EOF {
					t.Fatalf("got %v, want io.EOF", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset || e.Rule != c.rule {
				t.Fatalf("got %v (%+v), want %v at %d [%s]", err, e, c.class, c.offset, c.rule)
			}
			if c.class == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Error("truncation does not wrap io.ErrUnexpectedEOF")
			}
		})
	}
	// The limit applies before the body is read: only the header is consumed.
	src := bytes.NewReader(big)
	r := NewReader(src, 304)
	if _, err := r.Next(); !errors.Is(err, ErrLimit) {
		t.Fatal(err)
	}
	// A limit equal to the frame size accepts it.
	r = NewReader(bytes.NewReader(big), len(big))
	if p, err := r.Next(); err != nil || len(p) != len(big) {
		t.Fatalf("at the limit: %v", err)
	}
	// A read error is passed through as it is.
	r = NewReader(iotest.ErrReader(io.ErrClosedPipe), 0)
	if _, err := r.Next(); err != io.ErrClosedPipe {
		t.Fatalf("read error: %v", err)
	}
	// A read error after a whole frame comes with the next call.
	r = NewReader(io.MultiReader(bytes.NewReader(ping), iotest.ErrReader(io.ErrClosedPipe)), 0)
	if p, err := r.Next(); err != nil || !bytes.Equal(p, ping) {
		t.Fatalf("first: %x %v", p, err)
	}
	if _, err := r.Next(); err != io.ErrClosedPipe {
		t.Fatalf("second: %v", err)
	}
	// A reader that returns nothing forever.
	r = NewReader(emptyReader{}, 0)
	if _, err := r.Next(); err != io.ErrNoProgress {
		t.Fatalf("no progress: %v", err)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// TestStreamReaderBuffer checks that the buffer grows to the largest frame
// and no further than the limit, and is reused.
func TestStreamReaderBuffer(t *testing.T) {
	var m Message
	m.Code = Content
	m.Payload = make([]byte, 5000)
	big, _ := m.AppendTCP(nil)
	stream := append(append([]byte{0x01, 0xe2, 0x42}, big...), big...)
	r := NewReader(iotest.HalfReader(bytes.NewReader(stream)), len(big))
	for i := 0; i < 3; i++ {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if r.s.Size() != len(big) {
		t.Fatalf("buffer %d, limit %d", r.s.Size(), len(big))
	}
	r.Reset(bytes.NewReader(stream))
	if r.Buffered() != 0 {
		t.Fatal("Reset kept data")
	}
	buf := r.s.Base()
	for i := 0; i < 3; i++ {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if r.s.Base() != buf {
		t.Fatal("buffer not reused after Reset")
	}
}

// FuzzStreamReader frames a stream of frames delivered in small reads and
// checks that the Reader yields the same frames as PeekTCP over the whole
// input, within the limit, and ends with io.EOF exactly when the input
// ends between frames.
func FuzzStreamReader(f *testing.F) {
	stream, _ := readerStream(f, 400)
	f.Add(stream, uint16(0), uint8(0))
	f.Add(stream, uint16(64), uint8(1))
	f.Add(stream[:len(stream)-1], uint16(2000), uint8(2))
	f.Add([]byte{0xf0, 0xff, 0xff, 0xff, 0xff, 0x45}, uint16(10), uint8(0))
	f.Add([]byte{0x09, 0x01}, uint16(0), uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, max uint16, mode uint8) {
		var src io.Reader = bytes.NewReader(b)
		switch mode % 4 {
		case 0:
			src = iotest.OneByteReader(src)
		case 1:
			src = iotest.HalfReader(src)
		case 2:
			src = iotest.DataErrReader(src)
		}
		r := NewReader(src, int(max))
		rest := b
		for i := 0; ; i++ {
			if i > len(b) {
				t.Fatal("more frames than bytes")
			}
			p, err := r.Next()
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
				_, total, perr := PeekTCP(rest)
				switch {
				case errors.Is(err, ErrTruncated) && (perr == nil && total <= len(rest) || len(rest) == 0):
					t.Fatalf("truncated, but %d of %d bytes are there", len(rest), total)
				case errors.Is(err, ErrLimit) && (perr != nil || total <= r.limit()):
					t.Fatalf("limit error for a frame of %d (%v)", total, perr)
				}
				return
			}
			_, total, perr := PeekTCP(rest)
			if perr != nil || total != len(p) || !bytes.Equal(p, rest[:total]) {
				t.Fatalf("reader gave %x, PeekTCP %d %v", p, total, perr)
			}
			if len(p) > r.limit() {
				t.Fatalf("frame of %d bytes over limit %d", len(p), r.limit())
			}
			rest = rest[total:]
		}
	})
}

func BenchmarkReaderNext(b *testing.B) {
	stream, frames := readerStream(b, 400)
	fn := readerFn(b, stream, len(frames))
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		fn()
	}
}

// readerFn returns a function that frames every message of stream with a
// reused Reader and checks that there are n.
func readerFn(tb testing.TB, stream []byte, n int) func() {
	src := bytes.NewReader(nil)
	r := NewReader(src, 1<<20)
	return func() {
		src.Reset(stream)
		r.Reset(src)
		for i := 0; i < n; i++ {
			if _, err := r.Next(); err != nil {
				tb.Fatal(err)
			}
		}
		if _, err := r.Next(); err != io.EOF {
			tb.Fatal(err)
		}
	}
}
