package mqttpkt

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/iotwire/iotwire/internal/wire"
)

// dec is the decoding cursor over one whole packet. b ends where the packet
// ends (fixed header + Remaining Length), so reading past it is a malformed
// packet, not a truncated input.
type dec struct {
	b   []byte
	i   int
	pkt PacketType
	v   Version
}

// start checks the fixed header of b against type t and positions d after
// it, returning the flags. The common case, a one-byte Remaining Length, is
// handled here; startSlow handles the rest and every error.
func (d *dec) start(b []byte, t PacketType, v Version) (flags uint8, err error) {
	if len(b) >= 2 && b[1] < 0x80 && b[0]>>4 == byte(t) && v-V31 <= V5-V31 {
		flags = b[0] & 0x0f
		if total := 2 + int(b[1]); len(b) >= total && (t == TypePublish || flags == fixedFlags[t]) {
			d.b, d.i, d.pkt, d.v = b[:total], 2, t, v
			return flags, nil
		}
	}
	return d.startSlow(b, t, v)
}

func (d *dec) startSlow(b []byte, t PacketType, v Version) (flags uint8, err error) {
	h, hl, total, err := PeekHeader(b)
	if err != nil {
		return 0, err
	}
	if h.Type != t {
		return 0, &Error{Packet: t, Field: "packet type", Offset: 0, Msg: "packet is a " + h.Type.String(), Err: ErrMalformed}
	}
	if !v.valid() {
		return 0, &Error{Packet: t, Field: "version", Offset: 0, Msg: "protocol version not 3, 4 or 5", Err: ErrUnsupported}
	}
	if len(b) < total {
		return 0, &Error{Packet: t, Field: "packet", Offset: len(b), Msg: "input shorter than remaining length", Err: ErrTruncated}
	}
	d.b, d.i, d.pkt, d.v = b[:total], hl, t, v
	return h.Flags, nil
}

func (d *dec) fail(field string, at int, class error, rule, msg string) error {
	return &Error{Packet: d.pkt, Field: field, Offset: at, Rule: rule, Msg: msg, Err: class}
}

// short reports a field that runs past the end of the packet. MQTT 5.0
// section 1.5 and 3.1.1 section 1.5: the data must fit the remaining length.
// It is kept out of line so that the readers that call it stay inlinable.
//
//go:noinline
func (d *dec) short(field string) error {
	return d.fail(field, d.i, ErrMalformed, "", "field exceeds remaining length")
}

func (d *dec) left() int { return len(d.b) - d.i }

func (d *dec) u8(field string) (byte, error) {
	if i := d.i; i < len(d.b) {
		d.i = i + 1
		return d.b[i], nil
	}
	return 0, d.short(field)
}

func (d *dec) u16(field string) (uint16, error) {
	if i := d.i; i+2 <= len(d.b) {
		d.i = i + 2
		return uint16(d.b[i])<<8 | uint16(d.b[i+1]), nil
	}
	return 0, d.short(field)
}

func (d *dec) u32(field string) (uint32, error) {
	if d.left() < 4 {
		return 0, d.short(field)
	}
	v := wire.Uint32(d.b[d.i:])
	d.i += 4
	return v, nil
}

// varint reads a Variable Byte Integer field inside the packet.
func (d *dec) varint(field string) (uint32, error) {
	v, n, st := wire.ReadVarint(d.b[d.i:])
	switch st {
	case wire.VarintTruncated:
		return 0, d.short(field)
	case wire.VarintTooLong:
		return 0, d.fail(field, d.i, ErrMalformed, "MQTT 5.0 1.5.5", "variable byte integer longer than 4 bytes")
	case wire.VarintNonMinimal:
		return 0, d.fail(field, d.i, ErrMalformed, "MQTT-1.5.5-1", "variable byte integer not minimally encoded")
	}
	d.i += n
	return v, nil
}

// bin reads Binary Data: a two-byte length and that many bytes (MQTT 5.0
// section 1.5.6, 3.1.1 section 1.5.3 for strings). The result aliases d.b
// and has its capacity clipped, so appending to it never writes into d.b.
func (d *dec) bin(field string) ([]byte, error) {
	if v, ok := d.take(); ok {
		return v, nil
	}
	return nil, d.short(field)
}

// take is bin without the error value, small enough to be inlined.
func (d *dec) take() ([]byte, bool) {
	i := d.i
	if i+2 > len(d.b) {
		return nil, false
	}
	e := i + 2 + (int(d.b[i])<<8 | int(d.b[i+1]))
	if e > len(d.b) {
		return nil, false
	}
	d.i = e
	return d.b[i+2 : e : e], true
}

// str reads a UTF-8 Encoded String and checks it [MQTT-1.5.4-1], [MQTT-1.5.4-2].
func (d *dec) str(field string) ([]byte, error) {
	s, ok := d.take()
	if !ok {
		return nil, d.short(field)
	}
	if bad, msg := checkUTF8(s); bad >= 0 {
		return nil, d.fail(field, d.i-len(s)+bad, ErrMalformed, d.v.rule(ruleUTF8v3(msg), ruleUTF8v5(msg)), msg)
	}
	return s, nil
}

const (
	msgBadUTF8 = "ill-formed UTF-8"
	msgNUL     = "string contains U+0000"
)

func ruleUTF8v3(msg string) string {
	if msg == msgNUL {
		return "MQTT-1.5.3-2"
	}
	return "MQTT-1.5.3-1"
}

func ruleUTF8v5(msg string) string {
	if msg == msgNUL {
		return "MQTT-1.5.4-2"
	}
	return "MQTT-1.5.4-1"
}

// checkUTF8 returns -1 if s is a valid MQTT UTF-8 string: well-formed UTF-8
// without surrogates (utf8 rejects those) and without U+0000. Otherwise it
// returns the offset of the first bad byte and why.
func checkUTF8(s []byte) (int, string) {
	if len(s) <= wire.ShortString {
		if wire.PlainASCII(s) {
			return -1, ""
		}
	} else if utf8.Valid(s) && bytes.IndexByte(s, 0) < 0 {
		return -1, ""
	}
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n == 1 {
				return i, msgBadUTF8
			}
			i += n
			continue
		}
		if c == 0 {
			return i, msgNUL
		}
		i++
	}
	return -1, ""
}

// validStringS is validString for a string, without converting it.
func validStringS(s string) bool {
	return len(s) <= 0xffff && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// encString checks a string field for encoding.
func encString(pkt PacketType, field string, s []byte) error {
	if len(s) > 0xffff {
		return encErr(pkt, field, "MQTT 5.0 1.5.4", "longer than 65535 bytes", ErrLimit)
	}
	if bad, msg := checkUTF8(s); bad >= 0 {
		return encErr(pkt, field, ruleUTF8v5(msg), msg, ErrMalformed)
	}
	return nil
}

// encBinary checks a Binary Data field for encoding.
func encBinary(pkt PacketType, field string, s []byte) error {
	if len(s) > 0xffff {
		return encErr(pkt, field, "MQTT 5.0 1.5.6", "longer than 65535 bytes", ErrLimit)
	}
	return nil
}

func appendBin(b, s []byte) []byte {
	return append(wire.AppendUint16(b, uint16(len(s))), s...)
}

// end checks that the packet was consumed exactly.
func (d *dec) end(field string) error {
	if d.i != len(d.b) {
		return d.fail(field, d.i, ErrMalformed, "", "unexpected bytes after the last field")
	}
	return nil
}
