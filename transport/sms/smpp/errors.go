package smpp

import (
	"io"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// The error classes of the codec. Every decode or encode error of this
// package is an [*Error] that wraps one of them, so errors.Is(err,
// ErrMalformed) works.
var (
	// ErrTruncated means the input ends before the PDU that its
	// command_length announces, or before the 16-octet header. It wraps
	// io.ErrUnexpectedEOF.
	ErrTruncated error = &wire.Sentinel{Msg: "truncated", Wrapped: io.ErrUnexpectedEOF}
	// ErrMalformed means the octets break a rule of SMPP 3.4: a
	// command_length below 16 or not matching the body, a C-Octet String
	// without its NULL terminator or longer than its field allows, an
	// sm_length past the end of the PDU, a TLV that overruns the PDU.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed PDU"}
	// ErrLimit means a PDU longer than [MaxCommandLength] or a
	// configured limit.
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrUnsupported means a command_id this package does not decode.
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported command"}
)

// Error describes what rule a PDU broke and where. Decoders set Offset to
// the byte offset in the PDU (from the start of its header); encoders set
// it to -1. Status is the command_status a receiver answers the PDU with
// (SMPP 3.4 section 5.1.3): ESME_RINVCMDLEN for a bad command_length,
// ESME_RINVMSGLEN for a bad sm_length, ESME_RINVOPTPARSTREAM for a broken
// TLV stream, and so on.
//
// Every field holds constants or numbers: an Error never retains the input.
type Error struct {
	Op     string // the PDU, such as "submit_sm"; "PDU" when its command_id is unknown
	Field  string // the field, such as "sm_length" or "source_addr"
	Offset int    // byte offset in the PDU; -1 for encode errors
	Rule   string // the section, such as "SMPP 3.4 4.4.1"
	Msg    string // what is wrong, lower case
	Status Status // the command_status to answer with
	Err    error  // the class
}

// Error formats the error as "smpp: submit_sm sm_length at offset 61:
// short_message runs past the end of the PDU [SMPP 3.4 4.4.1]".
func (e *Error) Error() string {
	b := make([]byte, 0, 112)
	b = append(b, "smpp: "...)
	if e.Offset < 0 {
		b = append(b, "encode "...)
	}
	if e.Op != "" {
		b = append(b, e.Op...)
		b = append(b, ' ')
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

// The sections cited by errors (SMPP 3.4, issue 1.2).
const (
	ruleCString  = "SMPP 3.4 3.1"
	ruleHeader   = "SMPP 3.4 3.2"
	ruleLength   = "SMPP 3.4 5.1.1"
	ruleID       = "SMPP 3.4 5.1.2"
	ruleStatus   = "SMPP 3.4 5.1.3"
	ruleBind     = "SMPP 3.4 4.1"
	ruleBindResp = "SMPP 3.4 4.1.2"
	ruleNoBody   = "SMPP 3.4 4.2, 4.3, 4.11"
	ruleSubmit   = "SMPP 3.4 4.4.1"
	ruleSubResp  = "SMPP 3.4 4.4.2"
	ruleDeliver  = "SMPP 3.4 4.6.1"
	ruleDelResp  = "SMPP 3.4 4.6.2"
	ruleSMLength = "SMPP 3.4 5.2.21"
	ruleSM       = "SMPP 3.4 5.2.22"
	ruleTime     = "SMPP 3.4 7.1"
	rulePriority = "SMPP 3.4 5.2.14"
	ruleRegDel   = "SMPP 3.4 5.2.17"
	ruleReplace  = "SMPP 3.4 5.2.18"
	ruleESM      = "SMPP 3.4 5.2.12"
	ruleUDH      = "SMPP 3.4 5.2.12; 3GPP TS 23.040 9.2.3.24"
	ruleTLV      = "SMPP 3.4 5.3"
	rulePayload  = "SMPP 3.4 5.3.2.32"
	ruleSAR      = "SMPP 3.4 5.3.2.22-24"
	ruleReceipt  = "SMPP 3.4 5.3.2.12"
	ruleState    = "SMPP 3.4 5.3.2.35"
	ruleDest     = "SMPP 3.4 5.2.9"
)

func decErr(op, field string, off int, class error, st Status, rule, msg string) *Error {
	return &Error{Op: op, Field: field, Offset: off, Rule: rule, Msg: msg, Status: st, Err: class}
}

func encErr(op, field string, class error, st Status, rule, msg string) *Error {
	return &Error{Op: op, Field: field, Offset: -1, Rule: rule, Msg: msg, Status: st, Err: class}
}
