package link

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works. The
// exception is [Link.Path], which returns the path errors of lwm2m/path.
var (
	// ErrTruncated means the payload ends inside a link-value: after ',' or
	// ';' or '=', inside the target or inside a quoted-string. For a
	// complete payload that is malformed; while a block-wise transfer is
	// still running (RFC 7959), more bytes may complete it. It wraps
	// io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the payload breaks the grammar of RFC 6690
	// section 2, of the URI-Reference in a target (RFC 3986 section 4.1),
	// of a quoted-string (RFC 7230 section 3.2.6) or of an ext-value (RFC
	// 8187 section 3.2.1), or is not UTF-8; or, for the Writer, that a
	// value cannot be written.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed link format"}
	// ErrAttribute means the link format is well formed but an attribute
	// that [Link.Attrs] knows has a value outside its definition: an LwM2M
	// attribute outside the range of LwM2M Core 5.1.2, a "ct" that is not
	// a list of Content-Format codes (RFC 7252 section 7.2.1), an "rt" that
	// is not relation-types (RFC 6690 section 3.1), an attribute without a
	// value or given twice. An LwM2M server answers 4.00 Bad Request.
	ErrAttribute error = &wire.Sentinel{Msg: "bad attribute"}
	// ErrLimit means a documented limit was exceeded: a typed attribute
	// value that uses quoted-pair escapes and is longer than
	// [MaxEscapedValue] bytes.
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
)

// Error describes what rule a payload broke and where. Parsers set Offset
// to the byte offset in the payload; the Writer sets it to -1. Every field
// holds constants or numbers: an Error never retains the input.
type Error struct {
	Field  string // "link", "target", "parameter", "quoted-string", or an attribute name such as "pmin"
	Offset int    // byte offset in the payload; -1 for encode errors
	Rule   string // the section, such as "RFC 6690 2"
	Msg    string // what is wrong, lower case
	Err    error  // the class
}

// Error formats the error as
// "link: parameter at offset 9: whitespace outside a quoted-string [RFC 6690 2]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "link: "...)
	if e.Offset < 0 {
		b = append(b, "encode "...)
	}
	b = append(b, e.Field...)
	if e.Offset >= 0 {
		b = append(b, " at offset "...)
		b = strconv.AppendInt(b, int64(e.Offset), 10)
	}
	b = append(b, ": "...)
	b = append(b, e.Msg...)
	if e.Rule != "" {
		b = append(b, " ["...)
		b = append(b, e.Rule...)
		b = append(b, ']')
	}
	return string(b)
}

// Unwrap returns the error class.
func (e *Error) Unwrap() error { return e.Err }

// The rules cited by errors.
const (
	ruleLink     = "RFC 6690 2"
	ruleQuoted   = "RFC 7230 3.2.6"
	ruleURIRef   = "RFC 3986 4.1"
	ruleExtValue = "RFC 8187 3.2.1"
	ruleCT       = "RFC 7252 7.2.1"
	ruleRT       = "RFC 6690 3.1"
	ruleIf       = "RFC 6690 3.2"
	ruleSz       = "RFC 6690 3.3"
	ruleRel      = "RFC 8288 3.3"
	ruleAnchor   = "RFC 6690 2.1"
	ruleAttrs    = "LwM2M Core 5.1.2"
)

func malformed(field string, off int, rule, msg string) error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: ErrMalformed}
}

func truncated(field string, off int, rule, msg string) error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: ErrTruncated}
}
