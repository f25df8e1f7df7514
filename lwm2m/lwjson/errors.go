package lwjson

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works.
var (
	// ErrTruncated means the input ends inside the JSON text. It wraps
	// io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the input breaks a rule of JSON (RFC 8259) or of
	// the LwM2M JSON format: a member with a value of the wrong type, a
	// missing "e", an entry without a value or with two, a name that is
	// not the path of a resource under the request path, a value that does
	// not fit the resource's type, the same path and time twice.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed LwM2M JSON"}
	// ErrLimit means a documented limit was exceeded: more entries than
	// [Limits.MaxRecords], nesting deeper than [Limits.MaxDepth], a string
	// longer than [Limits.MaxStringLen].
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means a value the format cannot carry: a record
	// without a value (type None), NaN or an infinity, an unknown type.
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// classes maps the outcomes of the internal/wire readers onto this
// package's error classes.
var classes = wire.Classes{Truncated: ErrTruncated, Malformed: ErrMalformed, Limit: ErrLimit, Unsupported: ErrUnsupported}

// Error describes what rule the input broke and where. Decoders set Offset
// to the byte offset in the input; encoders set it to -1. Every field holds
// constants or numbers: an Error never retains the input.
type Error struct {
	Field  string    // the member ("bn", "e", "n", "v", ...), or "json" (syntax), "root" or "entry"
	Offset int       // byte offset in the input; -1 for encode errors
	Path   path.Path // the resolved path, when known; else the root
	Rule   string    // the section, such as "LwM2M 1.0 6.4.4"
	Msg    string    // what is wrong, lower case
	Err    error     // the class
}

// Error formats the error as
// "lwjson: sv /3/0/9 at offset 40: an integer resource takes v [LwM2M 1.0 6.4.4 ...]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "lwjson: "...)
	if e.Offset < 0 {
		b = append(b, "encode "...)
	}
	b = append(b, e.Field...)
	if !e.Path.IsRoot() {
		b = append(b, ' ')
		b, _ = e.Path.AppendText(b)
	}
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

// The sections cited by errors. LwM2M 1.0 defines the format in section
// 6.4.4 (LwM2M 1.1 and 1.2 keep it as a legacy format, Core 7.4.4).
const (
	ruleFormat  = "LwM2M 1.0 6.4.4"
	ruleRoot    = "LwM2M 1.0 6.4.4: the payload is an object with bn, bt and the e array"
	ruleEntry   = "LwM2M 1.0 6.4.4: each entry has a name and one value, v, bv, sv or ov"
	rulePath    = "LwM2M 1.0 6.4.4: bn + n is the path of a resource or resource instance"
	ruleTypes   = "LwM2M 1.0 6.4.4: the value field follows the resource type"
	ruleOpaque  = "LwM2M 1.0 6.4.4: an Opaque value is base64 in sv (RFC 4648 4)"
	ruleObjlnk  = "LwM2M 1.0 6.4.4: ov is ObjectID:InstanceID"
	ruleDup     = "LwM2M 1.0 6.4.4: one value per resource and time"
	ruleUnique  = "RFC 8259 4: member names SHOULD be unique"
	ruleInteger = "LwM2M 1.0 Appendix C: integers are 64-bit"
)

func decErr(field string, off int, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: class}
}

func encErr(field string, p path.Path, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: -1, Path: p, Rule: rule, Msg: msg, Err: class}
}
