package at

import (
	"net"
	"os"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// The error classes. Every error this package returns is one of these, an
// [*Error] or a [*ModemError] that wraps one, a tpdu error (for a TPDU that
// Send refuses) or the error of a context, so errors.Is(err, ErrTimeout)
// works.
var (
	// ErrMalformed means a DCE line or a PDU breaks the syntax of 3GPP TS
	// 27.005 or 27.007: a parameter that is not a number or not quoted, a
	// PDU line that is not hexadecimal or whose length disagrees with the
	// <length> before it, an OK without the information response the
	// command needs.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed"}
	// ErrLimit means a line longer than Config.MaxLine, or a TPDU longer
	// than a modem can take.
	ErrLimit error = &wire.Sentinel{Msg: "limit exceeded"}
	// ErrTimeout means the modem did not answer within the command's
	// timeout. It wraps os.ErrDeadlineExceeded.
	ErrTimeout error = &wire.Sentinel{Msg: "timeout", Wrapped: os.ErrDeadlineExceeded}
	// ErrModem means the modem answered with an error result code: ERROR,
	// +CMS ERROR, +CME ERROR or NO CARRIER. The [*ModemError] carries the
	// code.
	ErrModem error = &wire.Sentinel{Msg: "modem error"}
	// ErrReset means the modem announced a reset (RDY, +CFUN: 1, ...)
	// while the command ran: the command's outcome is unknown.
	ErrReset error = &wire.Sentinel{Msg: "modem reset"}
	// ErrClosed means the Modem was closed, or its connection ended. It
	// wraps net.ErrClosed; Error.Err may instead hold the read error
	// (io.EOF, ...) wrapped in an *Error whose Unwrap gives ErrClosed.
	ErrClosed error = &wire.Sentinel{Msg: "modem closed", Wrapped: net.ErrClosed}
)

// Error describes what went wrong and where. Parse errors set Offset to the
// byte offset in the line; other errors set it to -1. Op, Field, Rule and
// Msg are constants: an Error never retains the input.
type Error struct {
	Op     string // "parse", "receive" (a received PDU), or the command: "AT+CMGS", ...
	Field  string // the field, such as "+CMGS <mr>"; may be empty
	Offset int    // byte offset in the line; -1 when not a parse error
	Rule   string // the section, such as "3GPP TS 27.005 3.5.1"
	Msg    string // what is wrong, lower case
	Err    error  // the class
	Cause  error  // the underlying error (a read error, a tpdu error), if any
}

// Error formats the error as
// "at: parse +CMGS <mr> at offset 7: not a number [3GPP TS 27.005 3.5.1]".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "at: "...)
	b = append(b, e.Op...)
	if e.Field != "" {
		b = append(b, ' ')
		b = append(b, e.Field...)
	}
	if e.Offset >= 0 {
		b = append(b, " at offset "...)
		b = strconv.AppendInt(b, int64(e.Offset), 10)
	}
	b = append(b, ": "...)
	b = append(b, e.Msg...)
	if e.Cause != nil {
		b = append(b, ": "...)
		b = append(b, e.Cause.Error()...)
	}
	if e.Rule != "" {
		b = append(b, " ["...)
		b = append(b, e.Rule...)
		b = append(b, ']')
	}
	return string(b)
}

// Unwrap returns the class and the cause, so that errors.Is matches both
// (ErrClosed and io.EOF for a connection that ended).
func (e *Error) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// ModemError is an error result code (3GPP TS 27.007 section 9.2, 27.005
// section 3.2.5, ITU-T V.250 section 5.7.1) that ended a command.
type ModemError struct {
	Op   string // the command, such as "AT+CMGS"
	Kind Kind   // KindError, KindCMSError, KindCMEError, KindNoCarrier, ...
	// Code is <err> of +CMS ERROR or +CME ERROR; -1 for ERROR and the
	// other codes, and when the modem gave the verbose text (+CMEE=2).
	Code int
	// Text is the verbose text of +CMS ERROR or +CME ERROR (+CMEE=2),
	// empty otherwise.
	Text string
}

// Error formats the error as
// "at: AT+CMGS: +CMS ERROR: 331 (no network service)".
func (e *ModemError) Error() string {
	b := make([]byte, 0, 80)
	b = append(b, "at: "...)
	b = append(b, e.Op...)
	b = append(b, ": "...)
	b = append(b, e.Kind.String()...)
	if e.Kind == KindCMSError || e.Kind == KindCMEError {
		b = append(b, ": "...)
		if e.Code >= 0 {
			b = strconv.AppendInt(b, int64(e.Code), 10)
			if n := e.Name(); n != "" {
				b = append(b, " ("...)
				b = append(b, n...)
				b = append(b, ')')
			}
		} else {
			b = append(b, e.Text...)
		}
	}
	return string(b)
}

// Unwrap returns ErrModem.
func (e *ModemError) Unwrap() error { return ErrModem }

// Name returns the meaning of Code from the tables of 3GPP TS 27.005
// section 3.2.5 (+CMS ERROR) or 27.007 section 9.2 (+CME ERROR), or the
// verbose Text, or "" for a code the tables do not name.
func (e *ModemError) Name() string {
	if e.Code < 0 {
		return e.Text
	}
	switch e.Kind {
	case KindCMSError:
		return CMSErrorName(e.Code)
	case KindCMEError:
		return CMEErrorName(e.Code)
	}
	return ""
}

// CMSErrorName returns the meaning of a +CMS ERROR <err> value (3GPP TS
// 27.005 section 3.2.5): 0-127 are the RP causes of 3GPP TS 24.011 annex
// E.2, 128-255 the TP-FCS values of 3GPP TS 23.040 section 9.2.3.22, 300-340
// and 500 are 27.005's own. Reserved and manufacturer-specific values
// (512 and up) give "".
func CMSErrorName(code int) string {
	switch {
	case code >= 0 && code < 128:
		return rpCause(code)
	case code >= 128 && code < 256:
		return tpFCS(code)
	}
	switch code {
	case 300:
		return "ME failure"
	case 301:
		return "SMS service of ME reserved"
	case 302:
		return "operation not allowed"
	case 303:
		return "operation not supported"
	case 304:
		return "invalid PDU mode parameter"
	case 305:
		return "invalid text mode parameter"
	case 310:
		return "(U)SIM not inserted"
	case 311:
		return "(U)SIM PIN required"
	case 312:
		return "PH-(U)SIM PIN required"
	case 313:
		return "(U)SIM failure"
	case 314:
		return "(U)SIM busy"
	case 315:
		return "(U)SIM wrong"
	case 316:
		return "(U)SIM PUK required"
	case 317:
		return "(U)SIM PIN2 required"
	case 318:
		return "(U)SIM PUK2 required"
	case 320:
		return "memory failure"
	case 321:
		return "invalid memory index"
	case 322:
		return "memory full"
	case 330:
		return "SMSC address unknown"
	case 331:
		return "no network service"
	case 332:
		return "network timeout"
	case 340:
		return "no +CNMA acknowledgement expected"
	case 500:
		return "unknown error"
	}
	return ""
}

// rpCause names the RP-Cause values of 3GPP TS 24.011 annex E.2 (table
// 8.4), which +CMS ERROR reports as 0-127.
func rpCause(c int) string {
	switch c {
	case 1:
		return "unassigned (unallocated) number"
	case 8:
		return "operator determined barring"
	case 10:
		return "call barred"
	case 21:
		return "short message transfer rejected"
	case 22:
		return "memory capacity exceeded"
	case 27:
		return "destination out of order"
	case 28:
		return "unidentified subscriber"
	case 29:
		return "facility rejected"
	case 30:
		return "unknown subscriber"
	case 38:
		return "network out of order"
	case 41:
		return "temporary failure"
	case 42:
		return "congestion"
	case 47:
		return "resources unavailable, unspecified"
	case 50:
		return "requested facility not subscribed"
	case 69:
		return "requested facility not implemented"
	case 81:
		return "invalid short message transfer reference value"
	case 95:
		return "semantically incorrect message"
	case 96:
		return "invalid mandatory information"
	case 97:
		return "message type non-existent or not implemented"
	case 98:
		return "message not compatible with short message protocol state"
	case 99:
		return "information element non-existent or not implemented"
	case 111:
		return "protocol error, unspecified"
	case 127:
		return "interworking, unspecified"
	}
	return ""
}

// tpFCS names the TP-Failure-Cause values of 3GPP TS 23.040 section
// 9.2.3.22, which +CMS ERROR reports as 128-255.
func tpFCS(c int) string {
	switch c {
	case 0x80:
		return "telematic interworking not supported"
	case 0x81:
		return "short message type 0 not supported"
	case 0x82:
		return "cannot replace short message"
	case 0x8F:
		return "unspecified TP-PID error"
	case 0x90:
		return "data coding scheme (alphabet) not supported"
	case 0x91:
		return "message class not supported"
	case 0x9F:
		return "unspecified TP-DCS error"
	case 0xA0:
		return "command cannot be actioned"
	case 0xA1:
		return "command unsupported"
	case 0xAF:
		return "unspecified TP-Command error"
	case 0xB0:
		return "TPDU not supported"
	case 0xC0:
		return "SC busy"
	case 0xC1:
		return "no SC subscription"
	case 0xC2:
		return "SC system failure"
	case 0xC3:
		return "invalid SME address"
	case 0xC4:
		return "destination SME barred"
	case 0xC5:
		return "SM rejected, duplicate SM"
	case 0xC6:
		return "TP-VPF not supported"
	case 0xC7:
		return "TP-VP not supported"
	case 0xD0:
		return "(U)SIM SMS storage full"
	case 0xD1:
		return "no SMS storage capability in (U)SIM"
	case 0xD2:
		return "error in MS"
	case 0xD3:
		return "memory capacity exceeded"
	case 0xD4:
		return "(U)SIM application toolkit busy"
	case 0xD5:
		return "(U)SIM data download error"
	case 0xFF:
		return "unspecified error cause"
	}
	return ""
}

// CMEErrorName returns the meaning of a +CME ERROR <err> value (3GPP TS
// 27.007 section 9.2.1, the general errors), or "" for one it does not
// name.
func CMEErrorName(code int) string {
	switch code {
	case 0:
		return "phone failure"
	case 1:
		return "no connection to phone"
	case 2:
		return "phone-adaptor link reserved"
	case 3:
		return "operation not allowed"
	case 4:
		return "operation not supported"
	case 5:
		return "PH-SIM PIN required"
	case 6:
		return "PH-FSIM PIN required"
	case 7:
		return "PH-FSIM PUK required"
	case 10:
		return "SIM not inserted"
	case 11:
		return "SIM PIN required"
	case 12:
		return "SIM PUK required"
	case 13:
		return "SIM failure"
	case 14:
		return "SIM busy"
	case 15:
		return "SIM wrong"
	case 16:
		return "incorrect password"
	case 17:
		return "SIM PIN2 required"
	case 18:
		return "SIM PUK2 required"
	case 20:
		return "memory full"
	case 21:
		return "invalid index"
	case 22:
		return "not found"
	case 23:
		return "memory failure"
	case 24:
		return "text string too long"
	case 25:
		return "invalid characters in text string"
	case 26:
		return "dial string too long"
	case 27:
		return "invalid characters in dial string"
	case 30:
		return "no network service"
	case 31:
		return "network timeout"
	case 32:
		return "network not allowed - emergency calls only"
	case 100:
		return "unknown"
	}
	return ""
}

// The sections cited by errors.
const (
	ruleCMSError = "3GPP TS 27.005 3.2.5"
	ruleCMEError = "3GPP TS 27.007 9.2"
	ruleCMGS     = "3GPP TS 27.005 3.5.1"
	ruleCMGR     = "3GPP TS 27.005 3.4.3"
	ruleCMGL     = "3GPP TS 27.005 3.4.2"
	ruleCSMS     = "3GPP TS 27.005 3.2.1"
	ruleCNMI     = "3GPP TS 27.005 3.4.1"
	rulePDU      = "3GPP TS 27.005 3.1 <pdu>, <length>"
)

func parseErr(field string, off int, rule, msg string) *Error {
	return &Error{Op: "parse", Field: field, Offset: off, Rule: rule, Msg: msg, Err: ErrMalformed}
}

func opErr(op string, class error, rule, msg string) *Error {
	return &Error{Op: op, Offset: -1, Rule: rule, Msg: msg, Err: class}
}
