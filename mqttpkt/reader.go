package mqttpkt

import (
	"io"

	"github.com/iotwire/iotwire/internal/wire"
)

// DefaultMaxPacketSize is the packet size limit of a Reader whose
// MaxPacketSize is 0: 1 MiB.
const DefaultMaxPacketSize = 1 << 20

// Reader frames MQTT packets from a byte stream such as a net.Conn. It reads
// the fixed header first, rejects a packet larger than MaxPacketSize before
// reading its body, and reuses one buffer, so that reading packets does not
// allocate once the buffer has grown to the largest packet seen.
//
// Reader does not decode packet bodies: switch on the header type and call
// the Decode method of a packet value you reuse. Deadlines and cancellation
// belong to the underlying connection (net.Conn.SetReadDeadline); a Reader
// returns the connection's error as it is.
type Reader struct {
	// MaxPacketSize is the largest whole packet (fixed header included, as
	// the MQTT 5.0 Maximum Packet Size counts it, section 3.1.2.11.4)
	// accepted, 2 to MaxPacketSize (larger values mean MaxPacketSize). 0 or
	// less means DefaultMaxPacketSize.
	MaxPacketSize int

	s wire.Stream
}

// NewReader returns a Reader of r with the given packet size limit (0 for
// DefaultMaxPacketSize).
func NewReader(r io.Reader, maxPacketSize int) *Reader {
	rd := &Reader{MaxPacketSize: maxPacketSize}
	rd.s.Reset(r)
	return rd
}

// Reset makes the Reader read from r, dropping buffered data but keeping its buffer.
func (r *Reader) Reset(rd io.Reader) { r.s.Reset(rd) }

// Buffer makes buf[:cap(buf)] the Reader's buffer, keeping any buffered
// data. Each read from the stream asks for all the buffer's free space, so a
// buffer of some KiB (transport/tcp uses 32 KiB) lets the Reader take the
// place of a bufio.Reader: small packets then cost no system call each, and no
// copy. Without Buffer the Reader starts with 512 bytes. It grows the
// buffer past buf for a larger packet, up to the size limit; it owns buf from
// then on.
func (r *Reader) Buffer(buf []byte) { r.s.Buffer(buf) }

// Buffered returns the number of bytes read from the stream but not yet returned.
func (r *Reader) Buffered() int { return len(r.s.Buffered()) }

func (r *Reader) limit() int {
	switch {
	case r.MaxPacketSize <= 0:
		return DefaultMaxPacketSize
	case r.MaxPacketSize > MaxPacketSize:
		return MaxPacketSize
	}
	return r.MaxPacketSize
}

// Next reads the next packet and returns its fixed header and its bytes,
// fixed header included, ready for a Decode method. The bytes are valid until
// the next call to Next. At a clean end of stream between packets it returns
// io.EOF; inside a packet, an error wrapping ErrTruncated and
// io.ErrUnexpectedEOF. A packet over the size limit gives an error wrapping
// ErrLimit (reason code 0x95) and the stream cannot be read further.
func (r *Reader) Next() (FixedHeader, []byte, error) {
	// Fast path, for the small packets that dominate a busy stream: the
	// whole packet is buffered and its Remaining Length is one byte. The
	// checks are PeekHeader's (MQTT 5.0 2.1.2, 2.1.3).
	if b := r.s.Buffered(); len(b) >= 2 && b[1] < 0x80 {
		h := FixedHeader{Type: PacketType(b[0] >> 4), Flags: b[0] & 0x0f, RemainingLength: int(b[1])}
		if total := 2 + h.RemainingLength; total <= len(b) && total <= r.limit() && h.Type != 0 &&
			(h.Type == TypePublish || h.Flags == fixedFlags[h.Type]) {
			return h, r.s.Take(total), nil
		}
	}
	// Buffer the whole fixed header before parsing it, so that a short read
	// costs no error value.
	for need := 2; ; need++ {
		if len(r.s.Buffered()) < need {
			if err := r.fill(need); err != nil {
				return FixedHeader{}, nil, err
			}
		}
		if c := r.s.Buffered()[need-1]; c < 0x80 || need == 5 {
			break
		}
	}
	h, _, total, err := PeekHeader(r.s.Buffered())
	if err != nil {
		return h, nil, err
	}
	if total > r.limit() {
		return h, nil, &Error{Packet: h.Type, Field: "remaining length", Offset: 1, Rule: "MQTT 5.0 3.1.2.11.4", Msg: "packet larger than the maximum packet size", Err: ErrLimit}
	}
	if len(r.s.Buffered()) < total {
		if err := r.fill(total); err != nil {
			return h, nil, err
		}
	}
	return h, r.s.Take(total), nil
}

// fill reads until at least need bytes are buffered.
func (r *Reader) fill(need int) error {
	err := r.s.Fill(need, r.limit()+5)
	if err == io.ErrUnexpectedEOF {
		return &Error{Field: "stream", Offset: len(r.s.Buffered()), Msg: "stream ended inside a packet", Err: ErrTruncated}
	}
	return err
}
