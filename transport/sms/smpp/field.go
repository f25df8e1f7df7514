package smpp

import "bytes"

// The maximum sizes of the C-Octet Strings, NULL terminator included, from
// the field tables of SMPP 3.4 section 4 ("Var. max 16" and so on).
const (
	MaxSystemID     = 16 // system_id (4.1)
	MaxPassword     = 9  // password (4.1)
	MaxSystemType   = 13 // system_type (4.1)
	MaxAddressRange = 41 // address_range (4.1)
	MaxServiceType  = 6  // service_type (4.4.1, 4.6.1)
	MaxAddr         = 21 // source_addr and destination_addr (4.4.1, 4.6.1)
	MaxTime         = 17 // schedule_delivery_time and validity_period: 1 or 17 (4.4.1, 7.1)
	MaxMessageID    = 65 // message_id (4.4.2, 4.6.2) and receipted_message_id (5.3.2.12)
	// MaxShortMessage is the largest sm_length: short_message is 0 to 254
	// octets (5.2.21, 5.2.22). Longer user data goes in message_payload.
	MaxShortMessage = 254
)

// timeLen is the length of an absolute or relative time, "YYMMDDhhmmsstnnp"
// (7.1.1, 7.1.2), without its NULL terminator.
const timeLen = 16

// reader is the decoding cursor over one PDU. The first error sticks:
// later reads return zero values.
type reader struct {
	b   []byte // the PDU, cut at command_length
	off int
	op  string
	err *Error
}

// short records that the PDU ends before field.
func (r *reader) short(field string) {
	r.err = decErr(r.op, field, r.off, ErrMalformed, StatusInvCmdLen, ruleLength,
		"command_length ends the PDU before this field")
}

// u8 reads a one-octet integer.
func (r *reader) u8(field string) byte {
	if r.err != nil {
		return 0
	}
	if r.off >= len(r.b) {
		r.short(field)
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

// cstring reads a C-Octet String of at most max octets with its NULL
// (3.1) and returns it without the NULL, aliasing the PDU with its
// capacity clipped. A string without NULL within max octets is
// ErrMalformed with status st.
func (r *reader) cstring(field string, max int, st Status, rule string) []byte {
	if r.err != nil {
		return nil
	}
	if r.off >= len(r.b) {
		r.short(field)
		return nil
	}
	win := r.b[r.off:]
	if len(win) > max {
		win = win[:max]
	}
	i := bytes.IndexByte(win, 0)
	if i < 0 {
		if len(win) == max {
			r.err = decErr(r.op, field, r.off, ErrMalformed, st, rule,
				"C-Octet String longer than its field allows")
		} else {
			r.err = decErr(r.op, field, r.off, ErrMalformed, st, ruleCString,
				"C-Octet String without its NULL terminator")
		}
		return nil
	}
	s := r.b[r.off : r.off+i : r.off+i]
	r.off += i + 1
	return s
}

// time reads schedule_delivery_time or validity_period: NULL, or 16
// characters and a NULL (7.1). The characters are checked by Validate.
func (r *reader) time(field string, st Status) []byte {
	start := r.off
	s := r.cstring(field, MaxTime, st, ruleTime)
	if r.err == nil && len(s) != 0 && len(s) != timeLen {
		r.err = decErr(r.op, field, start, ErrMalformed, st, ruleTime,
			"time is neither NULL nor 16 characters")
	}
	return s
}

// end checks that the PDU ends at the cursor.
func (r *reader) end() {
	if r.err == nil && r.off != len(r.b) {
		r.err = decErr(r.op, "command_length", r.off, ErrMalformed, StatusInvCmdLen, ruleLength,
			"octets after the last field of the PDU")
	}
}

// checkCString checks a C-Octet String for encoding: at most max-1 octets
// and no NULL inside, which would end it early.
func checkCString(op, field string, s []byte, max int, st Status, rule string) *Error {
	if len(s) > max-1 {
		return encErr(op, field, ErrMalformed, st, rule, "C-Octet String longer than its field allows")
	}
	if bytes.IndexByte(s, 0) >= 0 {
		return encErr(op, field, ErrMalformed, st, ruleCString, "C-Octet String holds a NULL octet")
	}
	return nil
}

// checkTime checks a time field for encoding: empty or 16 octets.
func checkTime(op, field string, s []byte, st Status) *Error {
	if err := checkCString(op, field, s, MaxTime, st, ruleTime); err != nil {
		return err
	}
	if len(s) != 0 && len(s) != timeLen {
		return encErr(op, field, ErrMalformed, st, ruleTime, "time is neither NULL nor 16 characters")
	}
	return nil
}

// appendCString appends s and its NULL terminator.
func appendCString(b, s []byte) []byte {
	b = append(b, s...)
	return append(b, 0)
}

// validTime reports whether s is a time of section 7.1: empty, or
// "YYMMDDhhmmsstnnp" with p '+' or '-' for an absolute time (7.1.1:
// month 01-12, day 01-31, hour 00-23, minutes and seconds 00-59, nn
// quarter hours 00-48) or 'R' for a relative one (7.1.2).
func validTime(s []byte) bool {
	if len(s) == 0 {
		return true
	}
	if len(s) != timeLen {
		return false
	}
	for _, c := range s[:15] {
		if c < '0' || c > '9' {
			return false
		}
	}
	num := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	switch s[15] {
	case 'R':
		return true
	case '+', '-':
		return num(2) >= 1 && num(2) <= 12 && num(4) >= 1 && num(4) <= 31 && num(6) <= 23 &&
			num(8) <= 59 && num(10) <= 59 && num(13) <= 48
	}
	return false
}
