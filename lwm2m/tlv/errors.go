package tlv

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works.
var (
	// ErrTruncated means the input ends inside a top-level entry: its
	// header or its value is cut short. It wraps io.ErrUnexpectedEOF. (An
	// entry that runs past the end of its container is ErrMalformed.)
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the bytes break a rule of the TLV format or of the
	// resource data types: a reserved identifier, an entry where the
	// hierarchy or the request path does not allow it, a duplicate
	// identifier, a value of the wrong length for its type.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed TLV"}
	// ErrLimit means a documented limit was exceeded: nesting deeper than
	// [Limits.MaxDepth], or a value longer than the 24-bit length field
	// holds (16,777,215 bytes).
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means a request the encoding cannot express: a
	// resource Type this package does not know, or a payload for the root
	// path (TLV carries no Object ID).
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// Error describes what rule the input broke and where. Decoders set Offset
// to the byte offset in the input; encoders set it to -1. Every field holds
// constants or numbers: an Error never retains the input.
type Error struct {
	Field  string    // the field, such as "identifier", "length" or "value"
	Offset int       // byte offset in the input; -1 for encode errors
	Path   path.Path // the resolved path, when known (Decode, Encode); else the root
	Rule   string    // the section, such as "LwM2M Core 7.4.3"
	Msg    string    // what is wrong, lower case
	Err    error     // the class
}

// Error formats the error as
// "tlv: identifier at offset 1: 65535 (MAX_ID) is reserved [LwM2M Core 7.1]",
// with the path after the field when it is known:
// "tlv: value /3/0/13 at offset 90: ...".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "tlv: "...)
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

// The sections cited by errors. LwM2M Core 1.2 keeps the TLV format of 1.1
// section 7.4.3 (1.0: 6.4.3) and the TLV column of the data type table in
// Appendix C.
const (
	ruleTLV       = "LwM2M Core 7.4.3"
	ruleHierarchy = "LwM2M Core 7.4.3: Object Instance > Multiple Resource > Resource Instance"
	ruleMaxID     = "LwM2M Core 7.1: MAX_ID 65535 is reserved"
	ruleTypes     = "LwM2M Core Appendix C"
	ruleBoolean   = "LwM2M Core Appendix C: a Boolean is 1 byte, 0 or 1"
	ruleInstTLV   = "LwM2M Core 7.4.3: the Object Instance TLV MUST be used when the request has no Object Instance ID"
	ruleMultiTLV  = "LwM2M Core 7.4.3: the Multiple Resource TLV MUST be used for a Multiple Resource"
)

func decErr(field string, off int, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: class}
}

func encErr(field string, p path.Path, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: -1, Path: p, Rule: rule, Msg: msg, Err: class}
}

// rootPath is the zero Path, for errors where no path is known.
var rootPath path.Path
