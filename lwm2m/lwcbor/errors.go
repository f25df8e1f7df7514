package lwcbor

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works.
var (
	// ErrTruncated means the input ends inside the payload's map. It wraps
	// io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the bytes are not well-formed CBOR (RFC 8949
	// Appendix F) or break a rule of the LwM2M CBOR format or of the
	// resource data types: a key that is not an identifier or an array of
	// identifiers, a reserved identifier, a path outside the request path
	// or deeper than 4 levels, a path given twice, a value of the wrong
	// type for its resource.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed LwM2M CBOR"}
	// ErrLimit means a documented limit was exceeded: more records than
	// [Limits.MaxRecords].
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means valid CBOR this package does not take: a tag
	// other than 4 (decimal fraction), an indefinite-length string, a text
	// key (the LwM2M Gateway prefix), an integer below -2^63, or a
	// resource Type it does not know.
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// classes maps the outcomes of the internal/wire readers onto this
// package's error classes.
var classes = wire.Classes{Truncated: ErrTruncated, Malformed: ErrMalformed, Limit: ErrLimit, Unsupported: ErrUnsupported}

// Error describes what rule the input broke and where. Decoders set Offset
// to the byte offset in the input; encoders set it to -1. Every field holds
// constants or numbers: an Error never retains the input.
type Error struct {
	Field  string    // the field, such as "key", "value" or "map"
	Offset int       // byte offset in the input; -1 for encode errors
	Path   path.Path // the path being read or written, when known; else the root
	Rule   string    // the section, such as "LwM2M Core 7.4.7"
	Msg    string    // what is wrong, lower case
	Err    error     // the class
}

// Error formats the error as
// "lwcbor: key at offset 5: identifier above 65534 [LwM2M Core 7.1: ...]",
// with the path after the field when it is known:
// "lwcbor: value /3/0/9 at offset 12: ...".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "lwcbor: "...)
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

// The sections cited by errors. LwM2M CBOR is section 7.4.7 of LwM2M Core
// 1.2; its data type mapping is the LwM2M CBOR column of Appendix C.
const (
	ruleCBOR    = "LwM2M Core 7.4.7"
	ruleKey     = "LwM2M Core 7.4.7: a key is an identifier or an array of identifiers"
	ruleMap     = "LwM2M Core 7.4.7: the payload is a map"
	ruleMaxID   = "LwM2M Core 7.1: MAX_ID 65535 is reserved"
	rulePathLen = "LwM2M Core 7.1: a path has at most 4 identifiers"
	ruleBase    = "LwM2M Core 7.4.7: paths are absolute and lie under the request path"
	ruleLeaf    = "LwM2M Core 7.4.7: a path holds either a value or nested entries, once"
	ruleTypes   = "LwM2M Core Appendix C"
	ruleMulti   = "LwM2M Core 7.4.7: a Multiple Resource holds Resource Instances"
	ruleGateway = "LwM2M Gateway 1.1: text keys are prefixes of a gateway"
)

func decErr(field string, off int, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: class}
}

func encErr(field string, p path.Path, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: -1, Path: p, Rule: rule, Msg: msg, Err: class}
}

// cborErr turns a failure of the internal/wire CBOR readers into an Error.
func cborErr(field string, off int, e wire.CBORError) *Error {
	return &Error{Field: field, Offset: off, Rule: e.RuleOr(ruleCBOR), Msg: e.Msg(), Err: e.Class(&classes)}
}
