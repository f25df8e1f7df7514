package senml

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works.
var (
	// ErrTruncated means the input ends inside the pack: an unfinished
	// JSON text or CBOR item. It wraps io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the input breaks a rule of the representation
	// (RFC 8259 JSON, RFC 8949 CBOR), of SenML (RFC 8428) or of its LwM2M
	// use (LwM2M Core 7.4.5, 7.4.6): a label with a value of the wrong
	// type, two value fields, a name that is not an LwM2M path, a value
	// that does not fit the resource's type, a path twice.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed SenML"}
	// ErrLimit means a documented limit was exceeded: more records than
	// [Limits.MaxRecords], nesting deeper than [Limits.MaxDepth], a string
	// longer than [Limits.MaxStringLen].
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means SenML this package cannot use: a Base Version
	// above 10 or a label it does not know that ends in '_' (both "MUST"
	// be rejected, RFC 8428 4.4), or a value an encoder cannot write (NaN,
	// an infinity, an unknown type).
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// classes maps the outcomes of the internal/wire readers onto this
// package's error classes.
var classes = wire.Classes{Truncated: ErrTruncated, Malformed: ErrMalformed, Limit: ErrLimit, Unsupported: ErrUnsupported}

// Error describes what rule the input broke and where. Decoders set Offset
// to the byte offset in the input; encoders set it to -1, and so does
// [Resolver.Resolve], which sees records rather than bytes ([DecodeJSON]
// and [DecodeCBOR] fill in the offset of the field concerned). Every field
// holds constants or numbers: an Error never retains the input.
type Error struct {
	Field  string    // the label ("bn", "n", "v", ...), or "json" (syntax), "pack" or "record"
	Offset int       // byte offset in the input; -1 when not known
	Path   path.Path // the resolved path, when known; else the root
	Rule   string    // the section, such as "RFC 8428 4.4"
	Msg    string    // what is wrong, lower case
	Err    error     // the class
}

// Error formats the error as
// "senml: vs /3/0/9 at offset 40: string value for an integer resource [LwM2M Core 7.4.5]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "senml: "...)
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

// The sections cited by errors.
const (
	ruleBase      = "RFC 8428 4.1" // base fields
	ruleFields    = "RFC 8428 4.2" // regular fields
	ruleLabels    = "RFC 8428 4.3" // label types
	ruleVersion   = "RFC 8428 4.4: a version above the one understood MUST NOT be used"
	ruleMustKnow  = "RFC 8428 4.4: an unknown label ending in '_' MUST cause an error"
	ruleName      = "RFC 8428 4.5.1"                                   // names
	ruleResolve   = "RFC 8428 4.6"                                     // resolved records
	ruleJSON      = "RFC 8428 5"                                       // JSON representation
	ruleDataValue = "RFC 8428 5: vd is base64url without padding"      // JSON vd
	ruleLwM2M     = "LwM2M Core 7.4.5"                                 // SenML JSON in LwM2M
	rulePath      = "LwM2M Core 7.4.5: bn+n is the path of a resource" //
	ruleTypes     = "LwM2M Core 7.4.5: the value field follows the resource type"
	ruleDup       = "LwM2M Core 7.4.5: one value per resource and time"
	ruleUnique    = "RFC 8259 4: member names SHOULD be unique"
)

func decErr(field string, off int, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: class}
}

func resErr(field string, p path.Path, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: -1, Path: p, Rule: rule, Msg: msg, Err: class}
}

func encErr(field string, p path.Path, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: -1, Path: p, Rule: rule, Msg: msg, Err: class}
}
