package op

import (
	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrNotAllowed) works. Each
// class goes with the response a server sends; [Error.Code] holds it.
var (
	// ErrNotRequest means the message is not a request the role receives:
	// a response, an Empty message (other than the Reset that cancels an
	// observation), or a request in an ACK or RST. There is nothing to
	// answer; a CON that cannot be processed is rejected with RST
	// (RFC 7252 section 4.2).
	ErrNotRequest error = &wire.Sentinel{Msg: "not a request"}
	// ErrBadRequest means the request maps to an operation but breaks its
	// format: a missing or malformed parameter, a missing Content-Format
	// or payload, an attribute that is unknown, out of range or
	// inconsistent (4.00 Bad Request).
	ErrBadRequest error = &wire.Sentinel{Msg: "bad request"}
	// ErrNotFound means the Uri-Path is not a path this role serves: not
	// an LwM2M path of decimal identifiers, or an unknown interface
	// resource (4.04 Not Found).
	ErrNotFound error = &wire.Sentinel{Msg: "not found"}
	// ErrNotAllowed means the operation does not apply to its target: a
	// method the role does not serve there, or a path level the operation
	// forbids, such as Execute on an Object Instance or Delete on a
	// Resource (4.05 Method Not Allowed).
	ErrNotAllowed error = &wire.Sentinel{Msg: "method not allowed"}
	// ErrNotAcceptable means the Accept option names a format the
	// operation cannot answer in (4.06 Not Acceptable).
	ErrNotAcceptable error = &wire.Sentinel{Msg: "not acceptable"}
	// ErrUnsupportedFormat means the Content-Format is not one the
	// operation's payload may use (4.15 Unsupported Content-Format).
	ErrUnsupportedFormat error = &wire.Sentinel{Msg: "unsupported content-format"}
	// ErrBadOption means a critical option this package does not know,
	// or an option it reads that is repeated or too long (4.02 Bad
	// Option, RFC 7252 section 5.4.1).
	ErrBadOption error = &wire.Sentinel{Msg: "bad option"}
	// ErrLimit means a documented limit was exceeded: more than
	// [MaxLocationSegments] location segments or more than
	// [MaxExtraParams] unknown registration parameters.
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrResponse means a response code the operation does not allow, or
	// a response that lacks what its code requires, such as a 2.01
	// Created to Register without a Location-Path.
	ErrResponse error = &wire.Sentinel{Msg: "bad response"}
)

// Error describes which rule a request or response broke. Every field
// holds constants or numbers: an Error never retains the message.
type Error struct {
	Kind   Kind                 // the operation, once recognized; else 0
	Field  string               // "uri-path", "uri-query", "content-format", "accept", "observe", "payload", "code", ...
	Option coapmsg.OptionNumber // the option concerned, or 0
	Path   path.Path            // the target, once known; else the root
	Code   coapmsg.Code         // the response a server sends, such as 4.05; 0 when there is none
	Rule   string               // the section, such as "LwM2M Core 6.3.5"
	Msg    string               // what is wrong, lower case
	Err    error                // the class
}

// Error formats the error as
// "op: Execute /3/0 uri-path Uri-Path: only a Resource can be executed [LwM2M Core 6.3.5 ...] (4.05)".
func (e *Error) Error() string {
	b := make([]byte, 0, 128)
	b = append(b, "op: "...)
	if e.Kind != 0 {
		b = append(b, e.Kind.String()...)
		b = append(b, ' ')
		if !e.Path.IsRoot() || e.Kind.usesPath() {
			b, _ = e.Path.AppendText(b)
			b = append(b, ' ')
		}
	}
	b = append(b, e.Field...)
	if e.Option != 0 {
		b = append(b, ' ')
		b = append(b, e.Option.String()...)
	}
	b = append(b, ": "...)
	b = append(b, e.Msg...)
	if e.Rule != "" {
		b = append(b, " ["...)
		b = append(b, e.Rule...)
		b = append(b, ']')
	}
	if e.Code != 0 {
		b = append(b, " ("...)
		b = e.Code.AppendDotted(b)
		b = append(b, ')')
	}
	return string(b)
}

// Unwrap returns the error class.
func (e *Error) Unwrap() error { return e.Err }

// codeOf maps a class to the response a server sends.
func codeOf(class error) coapmsg.Code {
	switch class {
	case ErrBadRequest, ErrLimit:
		return coapmsg.BadRequest
	case ErrNotFound:
		return coapmsg.NotFound
	case ErrNotAllowed:
		return coapmsg.MethodNotAllowed
	case ErrNotAcceptable:
		return coapmsg.NotAcceptable
	case ErrUnsupportedFormat:
		return coapmsg.UnsupportedContentFormat
	case ErrBadOption:
		return coapmsg.BadOption
	}
	return 0
}

func newErr(k Kind, p path.Path, field string, opt coapmsg.OptionNumber, class error, rule, msg string) *Error {
	return &Error{Kind: k, Field: field, Option: opt, Path: p, Code: codeOf(class), Rule: rule, Msg: msg, Err: class}
}
