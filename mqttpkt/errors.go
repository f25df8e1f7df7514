package mqttpkt

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works.
var (
	// ErrTruncated means the input ends before the packet does: read more
	// bytes and try again. It wraps io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the bytes break the packet grammar (a "Malformed
	// Packet", reason code 0x81).
	ErrMalformed error = &wire.Sentinel{Msg: "malformed packet"}
	// ErrProtocol means the packet parses but breaks a protocol rule (a
	// "Protocol Error", reason code 0x82), such as a duplicate property.
	ErrProtocol error = &wire.Sentinel{Msg: "protocol error"}
	// ErrLimit means a configured or encodable size limit was exceeded
	// (reason code 0x95, "Packet too large", for a packet over the limit).
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means an unknown packet type or protocol version.
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// Error describes what rule a packet broke and where. Decoders return it
// with Offset set to the byte offset (from the start of the buffer given to
// Decode) of the offending field; encoders return it with Offset -1.
//
// Every field holds constants or numbers: an Error never retains the input.
type Error struct {
	Packet PacketType // the packet being decoded or encoded; 0 if unknown
	Field  string     // the field, such as "topic name" or "Topic Alias"
	Offset int        // byte offset in the input; -1 for encode errors
	Rule   string     // normative id or section, such as "MQTT-3.3.2-2"; may be empty
	Msg    string     // what is wrong, lower case
	Err    error      // the class: ErrMalformed, ErrProtocol, ErrTruncated, ErrLimit or ErrUnsupported
}

// Error formats the error as
// "mqttpkt: PUBLISH topic name at offset 5: wildcard in topic name [MQTT-3.3.2-2]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "mqttpkt: "...)
	if e.Offset < 0 {
		b = append(b, "encode "...)
	}
	if e.Packet != 0 {
		b = append(b, e.Packet.String()...)
		b = append(b, ' ')
	}
	b = append(b, e.Field...)
	if e.Offset >= 0 {
		b = append(b, " at offset "...)
		b = strconv.AppendInt(b, int64(e.Offset), 10)
	}
	b = append(b, ": "...)
	b = e.appendMsg(b)
	return string(b)
}

// Message returns the error text without the package prefix, packet name
// and offset: "topic name: wildcard in topic name [MQTT-3.3.2-2]".
func (e *Error) Message() string {
	b := append([]byte(e.Field), ": "...)
	return string(e.appendMsg(b))
}

func (e *Error) appendMsg(b []byte) []byte {
	b = append(b, e.Msg...)
	if e.Rule != "" {
		b = append(b, " ["...)
		b = append(b, e.Rule...)
		b = append(b, ']')
	}
	return b
}

// Unwrap returns the error class.
func (e *Error) Unwrap() error { return e.Err }

// ReasonCode returns the MQTT 5 reason code a server or client sends when it
// closes the connection because of this error: 0x81 Malformed Packet, 0x82
// Protocol Error, 0x95 Packet too large, 0x84 Unsupported Protocol Version
// for an unknown protocol level, else 0x81.
func (e *Error) ReasonCode() ReasonCode {
	switch e.Err {
	case ErrProtocol:
		return ProtocolError
	case ErrLimit:
		return PacketTooLarge
	case ErrUnsupported:
		if e.Packet == TypeConnect {
			return UnsupportedProtocolVersion
		}
	}
	return MalformedPacket
}

// encErr builds an encode error.
func encErr(pkt PacketType, field, rule, msg string, class error) error {
	return &Error{Packet: pkt, Field: field, Offset: -1, Rule: rule, Msg: msg, Err: class}
}
