package segment

import "github.com/iotwire/iotwire/internal/wire"

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one (or, for a header the tpdu iterator rejects, a
// tpdu error), so errors.Is(err, ErrMalformed) works.
var (
	// ErrMalformed means a part breaks a rule of 3GPP TS 23.040: a
	// concatenation element with a total of 0, a sequence number of 0 or
	// above the total, an element of the wrong length, or user data longer
	// than 140 octets.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed segment"}
	// ErrConflict means a part disagrees with the parts already held under
	// its key and reference: a different total or different ports.
	ErrConflict error = &wire.Sentinel{Msg: "conflicting segment"}
	// ErrLimit means a payload needs more than 255 parts, or a part exceeds
	// the [Limits] of the [Reassembler] (too many parts, too many bytes, a
	// key longer than [MaxKeyLen]).
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means a Deliver whose data coding is not 8-bit data:
	// the CoAP binding carries binary payloads only.
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// Error describes which rule a payload or a part broke. Every field holds
// constants: an Error never retains the input.
type Error struct {
	Field string // the field, such as "concat total" or "payload"
	Rule  string // the section, such as "3GPP TS 23.040 9.2.3.24.1"
	Msg   string // what is wrong, lower case
	Err   error  // the class
}

// Error formats the error as
// "segment: concat seq: sequence number 0 [3GPP TS 23.040 9.2.3.24.1]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "segment: "...)
	b = append(b, e.Field...)
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
	ruleConcat   = "3GPP TS 23.040 9.2.3.24.1"
	ruleConcat16 = "3GPP TS 23.040 9.2.3.24.8"
	rulePorts    = "3GPP TS 23.040 9.2.3.24.4"
	rulePorts8   = "3GPP TS 23.040 9.2.3.24.3"
	ruleUD       = "3GPP TS 23.040 9.2.3.16, 9.2.3.24: TP-UD is at most 140 octets"
	ruleDCS      = "OMA LwM2M 1.1 transport binding: CoAP over SMS uses 8-bit data (3GPP TS 23.038 4)"
	ruleLimits   = "segment.Limits"
)

func newErr(field string, class error, rule, msg string) *Error {
	return &Error{Field: field, Rule: rule, Msg: msg, Err: class}
}
