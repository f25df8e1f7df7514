package coapmsg

import "io"

// Reader frames CoAP over TCP or TLS messages (RFC 8323 section 3.2) from a
// byte stream such as a net.Conn. It reads the frame header first, rejects
// a message larger than MaxMessageSize before reading its body, and reuses
// one buffer, so that reading messages does not allocate once the buffer
// has grown to the largest message seen.
//
// Reader does not decode messages: pass each frame to the DecodeTCP method
// of a Message you reuse. Deadlines and cancellation belong to the
// underlying connection (net.Conn.SetReadDeadline); a Reader returns the
// connection's error as it is. WebSocket messages need no Reader: the
// WebSocket frame delimits them (use DecodeWS).
type Reader struct {
	// MaxMessageSize is the largest whole message (frame header included,
	// as Max-Message-Size counts it, RFC 8323 section 5.3.1) accepted. 0 or
	// less means DefaultMaxMessageSize, the base value that a peer assumes
	// until our CSM announces a Max-Message-Size: set both together.
	MaxMessageSize int

	r          io.Reader
	buf        []byte
	start, end int // unread data is buf[start:end]
}

// NewReader returns a Reader of r with the given message size limit (0 for
// DefaultMaxMessageSize).
func NewReader(r io.Reader, maxMessageSize int) *Reader {
	return &Reader{r: r, MaxMessageSize: maxMessageSize}
}

// Reset makes the Reader read from r, dropping buffered data but keeping its buffer.
func (r *Reader) Reset(rd io.Reader) { r.r, r.start, r.end = rd, 0, 0 }

// Buffered returns the number of bytes read from the stream but not yet returned.
func (r *Reader) Buffered() int { return r.end - r.start }

func (r *Reader) limit() int {
	if r.MaxMessageSize <= 0 {
		return DefaultMaxMessageSize
	}
	return r.MaxMessageSize
}

// maxEmptyReads is how many reads in a row may return no data and no
// error before Next gives up with io.ErrNoProgress (as bufio does).
const maxEmptyReads = 100

// Next reads the next message and returns its frame, ready for DecodeTCP.
// The bytes are valid until the next call to Next. At a clean end of stream
// between messages it returns io.EOF; inside a message, an error wrapping
// ErrTruncated and io.ErrUnexpectedEOF. A message over the size limit gives
// an error wrapping ErrLimit, a reserved token length (9 to 15) one
// wrapping ErrMalformed; after either the stream cannot be read further:
// send a 7.05 Abort and close the connection (RFC 8323 section 5.6).
func (r *Reader) Next() ([]byte, error) {
	// Buffer the whole header before parsing it, so that a short read
	// costs no error value: the first byte says how long the header is.
	if r.end == r.start {
		if err := r.fill(1); err != nil {
			return nil, err
		}
	}
	if need := 2 + int(tcpExtLen[r.buf[r.start]>>4]); r.end-r.start < need {
		if err := r.fill(need); err != nil {
			return nil, err
		}
	}
	_, total, err := PeekTCP(r.buf[r.start:r.end])
	if err != nil {
		return nil, err
	}
	if total > r.limit() {
		return nil, &Error{Field: "length", Offset: 0, Rule: "RFC 8323 5.3.1", Msg: "message larger than the maximum message size", Err: ErrLimit}
	}
	if r.end-r.start < total {
		if err := r.fill(total); err != nil {
			return nil, err
		}
	}
	p := r.buf[r.start : r.start+total : r.start+total]
	r.start += total
	return p, nil
}

// fill reads until at least need bytes are buffered.
func (r *Reader) fill(need int) error {
	if len(r.buf)-r.start < need {
		if need > len(r.buf) {
			size := 2 * len(r.buf)
			if size < need {
				size = need
			}
			if size < 512 {
				size = 512
			}
			// Never grow past the largest frame accepted (a header may
			// still need more when the limit is tiny).
			if l := max(r.limit(), 6); size > l && need <= l {
				size = l
			}
			nb := make([]byte, size)
			r.end = copy(nb, r.buf[r.start:r.end])
			r.buf, r.start = nb, 0
		} else {
			r.end = copy(r.buf, r.buf[r.start:r.end])
			r.start = 0
		}
	}
	for empty := 0; r.end-r.start < need; {
		n, err := r.r.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			if r.end-r.start >= need {
				return nil
			}
			if err == io.EOF {
				if r.end == r.start {
					return io.EOF
				}
				return &Error{Field: "frame", Offset: r.end - r.start, Rule: "RFC 8323 3.2", Msg: "stream ended inside a message", Err: ErrTruncated}
			}
			return err
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty >= maxEmptyReads {
			return io.ErrNoProgress
		}
	}
	return nil
}
