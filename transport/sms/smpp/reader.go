package smpp

import (
	"io"

	"github.com/iotwire/iotwire/internal/wire"
)

// Reader frames PDUs from a byte stream such as a net.Conn. It reads the
// 16-octet header first, rejects a command_length below 16 or above its
// limit before reading the body, and reuses one buffer, so that reading
// PDUs does not allocate once the buffer has grown to the largest PDU seen.
//
// Reader does not decode bodies: switch on the header's ID and call the
// Decode method of a PDU value you reuse. Deadlines belong to the
// underlying connection; a Reader returns the connection's errors as they
// are.
type Reader struct {
	// MaxLength is the largest command_length accepted, 16 to
	// MaxCommandLength; 0 or out of range means MaxCommandLength.
	MaxLength int

	s wire.Stream
}

// NewReader returns a Reader of r with the given limit (0 for MaxCommandLength).
func NewReader(r io.Reader, maxLength int) *Reader {
	rd := &Reader{MaxLength: maxLength}
	rd.s.Reset(r)
	return rd
}

// Reset makes the Reader read from r, dropping buffered data but keeping its buffer.
func (r *Reader) Reset(rd io.Reader) { r.s.Reset(rd) }

// Buffer makes buf[:cap(buf)] the Reader's buffer, keeping buffered data.
// Each read asks for all its free space, so a buffer of some KiB makes the
// Reader its own buffered reader. Without Buffer it starts with 512 bytes
// and grows to the largest PDU read, up to the limit.
func (r *Reader) Buffer(buf []byte) { r.s.Buffer(buf) }

// Buffered returns the number of octets read from the stream but not yet returned.
func (r *Reader) Buffered() int { return len(r.s.Buffered()) }

func (r *Reader) limit() int {
	return wire.Limit(r.MaxLength, HeaderLen, MaxCommandLength, MaxCommandLength)
}

// Next reads the next PDU and returns its header and its octets, header
// included, ready for a Decode method. The octets are valid until the next
// call to Next. At a clean end of stream between PDUs it returns io.EOF;
// inside a PDU, an ErrTruncated *Error (wrapping io.ErrUnexpectedEOF). A
// command_length below 16 (ErrMalformed) or over the limit (ErrLimit) is
// an *Error with Status ESME_RINVCMDLEN, returned with the header read;
// the stream cannot be read further, since the PDU boundaries are lost.
func (r *Reader) Next() (Header, []byte, error) {
	if err := r.fill(HeaderLen); err != nil {
		return Header{}, nil, err
	}
	h, err := peekHeader(r.s.Buffered(), "PDU")
	if err != nil {
		return h, nil, err
	}
	if int(h.Length) > r.limit() {
		return h, nil, decErr(h.ID.op(), "command_length", 0, ErrLimit, StatusInvCmdLen, ruleLength,
			"command_length exceeds the reader's limit")
	}
	if err := r.fill(int(h.Length)); err != nil {
		return h, nil, err
	}
	return h, r.s.Take(int(h.Length)), nil
}

// fill reads until at least need octets are buffered.
func (r *Reader) fill(need int) error {
	err := r.s.Fill(need, r.limit())
	if err == io.ErrUnexpectedEOF {
		return decErr("PDU", "stream", len(r.s.Buffered()), ErrTruncated, StatusInvCmdLen, ruleLength,
			"stream ended inside a PDU")
	}
	return err
}
