package wire

import "io"

// Stream is the buffer behind the packet framers of mqttpkt and coapmsg: it
// reads from an io.Reader into one reused buffer that grows to the largest
// packet seen and is compacted in place, so framing does not allocate in
// steady state. Each read asks for all the free space of the buffer, so a
// buffer given with Buffer (say 32 KiB) makes the Stream its own buffered
// reader: small packets then cost neither a system call nor a copy each.
type Stream struct {
	r          io.Reader
	buf        []byte
	start, end int // unread data is buf[start:end]
}

// maxEmptyReads is how many reads in a row may return no data and no error
// before Fill gives up with io.ErrNoProgress (as bufio does).
const maxEmptyReads = 100

// Reset makes s read from r, dropping buffered data but keeping the buffer.
func (s *Stream) Reset(r io.Reader) { s.r, s.start, s.end = r, 0, 0 }

// Buffer makes buf[:cap(buf)] the buffer, keeping the buffered data, unless
// that data does not fit in it. The Stream owns buf from then on and still
// grows past it for a larger packet.
func (s *Stream) Buffer(buf []byte) {
	buf = buf[:cap(buf)]
	if len(buf) < s.end-s.start {
		return
	}
	s.end = copy(buf, s.buf[s.start:s.end])
	s.buf, s.start = buf, 0
}

// Buffered returns the bytes read but not yet taken. They are valid until
// the next Fill.
func (s *Stream) Buffered() []byte { return s.buf[s.start:s.end] }

// Take returns the next n buffered bytes, with their capacity clipped, and
// consumes them. The caller checks that n bytes are buffered.
func (s *Stream) Take(n int) []byte {
	p := s.buf[s.start : s.start+n : s.start+n]
	s.start += n
	return p
}

// Fill reads until at least need bytes are buffered. limit caps how far the
// buffer grows when need does not require more. It returns nil; io.EOF when
// the stream ended with nothing buffered; io.ErrUnexpectedEOF when it ended
// with fewer than need bytes buffered; io.ErrNoProgress after 100 empty
// reads in a row; or the reader's error.
func (s *Stream) Fill(need, limit int) error {
	if s.end-s.start >= need {
		return nil
	}
	// Fewer than need bytes are buffered, so moving them to the front costs
	// less than the packet they start, and the read below gets all the free
	// space (one large read rather than the few bytes left at the end).
	if need > len(s.buf) {
		size := max(2*len(s.buf), need, 512)
		if size > limit && need <= limit {
			size = limit
		}
		nb := make([]byte, size)
		s.end = copy(nb, s.buf[s.start:s.end])
		s.buf, s.start = nb, 0
	} else if s.start > 0 {
		s.end = copy(s.buf, s.buf[s.start:s.end])
		s.start = 0
	}
	for empty := 0; s.end-s.start < need; {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			switch {
			case s.end-s.start >= need:
				return nil
			case err != io.EOF:
				return err
			case s.end == s.start:
				return io.EOF
			}
			return io.ErrUnexpectedEOF
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty >= maxEmptyReads {
			return io.ErrNoProgress
		}
	}
	return nil
}

// Size returns the size of the buffer, for tests of the growth policy.
func (s *Stream) Size() int { return len(s.buf) }

// Base returns the address of the buffer, for tests that check its reuse.
func (s *Stream) Base() *byte {
	if len(s.buf) == 0 {
		return nil
	}
	return &s.buf[0]
}
