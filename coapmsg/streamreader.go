package coapmsg

import (
	"io"

	"github.com/iotwire/iotwire/internal/wire"
)

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

	s wire.Stream
}

// NewReader returns a Reader of r with the given message size limit (0 for
// DefaultMaxMessageSize).
func NewReader(r io.Reader, maxMessageSize int) *Reader {
	rd := &Reader{MaxMessageSize: maxMessageSize}
	rd.s.Reset(r)
	return rd
}

// Reset makes the Reader read from r, dropping buffered data but keeping its buffer.
func (r *Reader) Reset(rd io.Reader) { r.s.Reset(rd) }

// Buffer makes buf[:cap(buf)] the Reader's buffer, keeping any buffered
// data. Each read from the stream asks for all the buffer's free space, so a
// buffer of some KiB (transport/tcp uses 32 KiB) lets the Reader take the
// place of a bufio.Reader: small messages then cost no system call each, and no
// copy. Without Buffer the Reader starts with 512 bytes. It grows the
// buffer past buf for a larger message, up to the size limit; it owns buf from
// then on.
func (r *Reader) Buffer(buf []byte) { r.s.Buffer(buf) }

// Buffered returns the number of bytes read from the stream but not yet returned.
func (r *Reader) Buffered() int { return len(r.s.Buffered()) }

func (r *Reader) limit() int {
	if r.MaxMessageSize <= 0 {
		return DefaultMaxMessageSize
	}
	return r.MaxMessageSize
}

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
	if len(r.s.Buffered()) == 0 {
		if err := r.fill(1); err != nil {
			return nil, err
		}
	}
	if need := 2 + int(tcpExtLen[r.s.Buffered()[0]>>4]); len(r.s.Buffered()) < need {
		if err := r.fill(need); err != nil {
			return nil, err
		}
	}
	_, total, err := PeekTCP(r.s.Buffered())
	if err != nil {
		return nil, err
	}
	if total > r.limit() {
		return nil, &Error{Field: "length", Offset: 0, Rule: "RFC 8323 5.3.1", Msg: "message larger than the maximum message size", Err: ErrLimit}
	}
	if len(r.s.Buffered()) < total {
		if err := r.fill(total); err != nil {
			return nil, err
		}
	}
	return r.s.Take(total), nil
}

// fill reads until at least need bytes are buffered.
func (r *Reader) fill(need int) error {
	// Never grow past the largest frame accepted (a header may still need
	// more when the limit is tiny).
	err := r.s.Fill(need, max(r.limit(), 6))
	if err == io.ErrUnexpectedEOF {
		return &Error{Field: "frame", Offset: len(r.s.Buffered()), Rule: "RFC 8323 3.2", Msg: "stream ended inside a message", Err: ErrTruncated}
	}
	return err
}
