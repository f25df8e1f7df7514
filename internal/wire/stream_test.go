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
