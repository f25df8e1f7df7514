package coapmsg

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works.
var (
	// ErrTruncated means the input ends inside a message or a frame: read
	// more and retry. It wraps io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means a message format error (RFC 7252 section 4.2 and
	// 4.3): a confirmable message is rejected with Reset, others are ignored.
	ErrMalformed error = &wire.Sentinel{Msg: "message format error"}
	// ErrBadOption means the message is well formed but an option breaks
	// its definition: a value length outside the option's bounds, a
	// non-repeatable option repeated, or a string option that is not UTF-8
	// (RFC 7252 sections 5.4.1, 5.4.3 and 5.4.5). Decode still fills the
	// message completely; a server answers 4.02 Bad Option when the option
	// in [Error.Option] is critical and ignores it when it is elective.
	ErrBadOption error = &wire.Sentinel{Msg: "bad option"}
	// ErrLimit means a documented limit was exceeded, such as more options
	// than the message can hold or a frame larger than the maximum size.
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means a version other than 1 (RFC 7252 section 3:
	// such messages are silently ignored).
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// Error describes what rule a message broke and where. Decoders set Offset
// to the byte offset in the input; encoders set it to -1. Every field holds
// constants or numbers: an Error never retains the input.
type Error struct {
	Field  string       // the field, such as "token length" or "option"
	Offset int          // byte offset in the input; -1 for encode errors
	Option OptionNumber // the option concerned, or 0
	Rule   string       // the section, such as "RFC 7252 3.1"
	Msg    string       // what is wrong, lower case
	Err    error        // the class
}

// Error formats the error as
// "coapmsg: option 11 at offset 9: value longer than 255 bytes [RFC 7252 5.10]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "coapmsg: "...)
	if e.Offset < 0 {
		b = append(b, "encode "...)
	}
	b = e.appendField(b)
	if e.Offset >= 0 {
		b = append(b, " at offset "...)
		b = strconv.AppendInt(b, int64(e.Offset), 10)
	}
	b = append(b, ": "...)
	return string(e.appendMsg(b))
}

// Message returns the error text without the package prefix and offset:
// "option 11: value longer than 255 bytes [RFC 7252 5.10]".
func (e *Error) Message() string {
	b := e.appendField(nil)
	b = append(b, ": "...)
	return string(e.appendMsg(b))
}

func (e *Error) appendField(b []byte) []byte {
	b = append(b, e.Field...)
	if e.Option != 0 {
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(e.Option), 10)
	}
	return b
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

func decErr(field string, off int, class error, rule, msg string) error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: class}
}

func encErr(field string, class error, rule, msg string) error {
	return &Error{Field: field, Offset: -1, Rule: rule, Msg: msg, Err: class}
}
