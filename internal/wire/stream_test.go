package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestStream(t *testing.T) {
	var s Stream
	s.Reset(iotest.OneByteReader(bytes.NewReader([]byte("abcdef"))))
	if err := s.Fill(4, 1024); err != nil || len(s.Buffered()) < 4 {
		t.Fatal(err)
	}
	if got := string(s.Take(4)); got != "abcd" {
		t.Fatal(got)
	}
	if err := s.Fill(3, 1024); err != io.ErrUnexpectedEOF {
		t.Fatalf("short end: %v", err)
	}
	s.Take(2)
	if err := s.Fill(1, 1024); err != io.EOF {
		t.Fatalf("clean end: %v", err)
	}
	s.Reset(emptyReader{})
	if err := s.Fill(1, 1024); err != io.ErrNoProgress {
		t.Fatalf("no progress: %v", err)
	}
	s.Reset(iotest.ErrReader(io.ErrClosedPipe))
	if err := s.Fill(1, 1024); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("read error: %v", err)
	}
	// Growth stops at the limit when the need allows.
	s = Stream{}
	s.Reset(bytes.NewReader(make([]byte, 4000)))
	if err := s.Fill(300, 400); err != nil || s.Size() != 400 {
		t.Fatal(err, s.Size())
	}
}

// countingReader records the size of each read request.
type countingReader struct {
	r    io.Reader
	asks []int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.asks = append(c.asks, len(p))
	return c.r.Read(p)
}

func TestStreamBuffer(t *testing.T) {
	data := make([]byte, 10000)
	for i := range data {
		data[i] = byte(i)
	}
	cr := &countingReader{r: bytes.NewReader(data)}
	var s Stream
	s.Reset(cr)
	buf := make([]byte, 1000)
	s.Buffer(buf[:10]) // the capacity counts
	if s.Size() != 1000 || s.Base() != &buf[0] {
		t.Fatalf("size %d", s.Size())
	}
	// Packets of 30 bytes: each read asks for all the free space, after
	// moving the partial packet to the front.
	var got []byte
	for len(got) < len(data) {
		n := min(30, len(data)-len(got))
		if err := s.Fill(n, 1<<20); err != nil {
			t.Fatal(err)
		}
		got = append(got, s.Take(n)...)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("data differs")
	}
	for i, n := range cr.asks {
		if n < 1000-30 {
			t.Fatalf("read %d asked for %d bytes", i, n)
		}
	}
	if s.Base() != &buf[0] {
		t.Fatal("buffer replaced")
	}
	// Buffered data moves into a new buffer; a buffer too small for it is ignored.
	s.Reset(bytes.NewReader([]byte("hello world")))
	if err := s.Fill(11, 1<<20); err != nil {
		t.Fatal(err)
	}
	s.Take(6)
	s.Buffer(make([]byte, 3))
	if s.Size() != 1000 {
		t.Fatal("small buffer taken")
	}
	s.Buffer(make([]byte, 5))
	if string(s.Buffered()) != "world" || s.Size() != 5 {
		t.Fatalf("%q %d", s.Buffered(), s.Size())
	}
	// It still grows past the given buffer.
	if err := s.Fill(6, 1<<20); err != io.ErrUnexpectedEOF || s.Size() < 6 {
		t.Fatal(err, s.Size())
	}
}
