package tpdu

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// The error classes. Every error returned by this package is one of these or
// an [*Error] that wraps one, so errors.Is(err, ErrMalformed) works.
var (
	// ErrTruncated means the input ends inside a field: an address, a time
	// stamp or the user data that TP-UDL announces is cut short. It wraps
	// io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the octets break a rule of 3GPP TS 23.040 or
	// 23.038: a wrong message type, an address or user data longer than
	// the format allows, a semi-octet that is not a digit, a User Data
	// Header whose elements overrun it, octets after the user data.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed TPDU"}
	// ErrUnsupported means a valid TPDU this package does not handle: an
	// extended TP-PI, or text for an alphabet it cannot encode or decode
	// (compressed user data).
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
)

// Error describes what rule the input broke and where. Decoders set Offset
// to the byte offset in the input; encoders set it to -1. Every field holds
// constants or numbers: an Error never retains the input.
type Error struct {
	Field  string // the field, such as "TP-OA", "TP-UDL" or "UDH"
	Offset int    // byte offset in the input; -1 for encode errors
	Rule   string // the section, such as "3GPP TS 23.040 9.1.2.5"
	Msg    string // what is wrong, lower case
	Err    error  // the class
}

// Error formats the error as
// "tpdu: TP-OA at offset 2: address length 21 exceeds 20 semi-octets [3GPP TS 23.040 9.1.2.5]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "tpdu: "...)
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

// The sections cited by errors.
const (
	ruleMTI     = "3GPP TS 23.040 9.2.3.1"
	ruleAddr    = "3GPP TS 23.040 9.1.2.5"
	ruleSemi    = "3GPP TS 23.040 9.1.2.3"
	ruleSCTS    = "3GPP TS 23.040 9.2.3.11"
	ruleVP      = "3GPP TS 23.040 9.2.3.12"
	ruleUDL     = "3GPP TS 23.040 9.2.3.16"
	ruleUD      = "3GPP TS 23.040 9.2.3.24"
	ruleConcat  = "3GPP TS 23.040 9.2.3.24.1"
	ruleConc16  = "3GPP TS 23.040 9.2.3.24.8"
	rulePort    = "3GPP TS 23.040 9.2.3.24.3"
	rulePort16  = "3GPP TS 23.040 9.2.3.24.4"
	rulePI      = "3GPP TS 23.040 9.2.3.27"
	ruleLayout  = "3GPP TS 23.040 9.2.2"
	ruleSMSC    = "3GPP TS 24.011 8.2.5.1; 3GPP TS 27.005 3.1 <pdu>"
	ruleGSM7    = "3GPP TS 23.038 6.2.1"
	ruleUCS2    = "3GPP TS 23.038 6.2.3"
	ruleDCS     = "3GPP TS 23.038 4"
	ruleTrailer = "3GPP TS 23.040 9.2.3.16: TP-UDL gives the length of TP-UD, the last field"
)

func decErr(field string, off int, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: off, Rule: rule, Msg: msg, Err: class}
}

func encErr(field string, class error, rule, msg string) *Error {
	return &Error{Field: field, Offset: -1, Rule: rule, Msg: msg, Err: class}
}

// truncErr reports that field, starting at off, needs more octets.
func truncErr(field string, off int, rule string) *Error {
	return decErr(field, off, ErrTruncated, rule, "input ends inside the field")
}
