package tpdu

import "strconv"

// MessageType is TP-MTI, bits 1-0 of the first octet (9.2.3.1). Its
// meaning depends on the direction: 0 is SMS-DELIVER from the service
// centre to the phone and SMS-DELIVER-REPORT the other way, 1 SMS-SUBMIT
// (SMS-SUBMIT-REPORT), 2 SMS-STATUS-REPORT (SMS-COMMAND).
type MessageType uint8

// The message types this package decodes.
const (
	TypeDeliver      MessageType = 0
	TypeSubmit       MessageType = 1
	TypeStatusReport MessageType = 2
	TypeReserved     MessageType = 3
)

// String returns "SMS-DELIVER", "SMS-SUBMIT", "SMS-STATUS-REPORT" or
// "reserved".
func (t MessageType) String() string {
	switch t {
	case TypeDeliver:
		return "SMS-DELIVER"
	case TypeSubmit:
		return "SMS-SUBMIT"
	case TypeStatusReport:
		return "SMS-STATUS-REPORT"
	}
	return "reserved"
}

// PeekType returns the TP-MTI of the TPDU b (without an SMSC address).
func PeekType(b []byte) (MessageType, error) {
	if len(b) == 0 {
		return 0, truncErr("first octet", 0, ruleMTI)
	}
	return MessageType(b[0] & 3), nil
}

// Bits of the first octet (9.2.2).
const (
	bitMMS  = 1 << 2 // TP-MMS (DELIVER, STATUS-REPORT), TP-RD (SUBMIT)
	bitLP   = 1 << 3 // TP-LP (DELIVER, STATUS-REPORT)
	bitSRI  = 1 << 5 // TP-SRI, TP-SRR, TP-SRQ
	bitUDHI = 1 << 6
	bitRP   = 1 << 7
)

func checkMTI(b []byte, want MessageType) *Error {
	if len(b) == 0 {
		return truncErr("first octet", 0, ruleMTI)
	}
	if got := MessageType(b[0] & 3); got != want {
		return decErr("TP-MTI", 0, ErrMalformed, ruleMTI, "message type "+strconv.Itoa(int(got))+" ("+got.String()+"), want "+want.String())
	}
	return nil
}

func flag(v bool, bit byte) byte {
	if v {
		return bit
	}
	return 0
}

func udhiBit(u *UserData) byte { return flag(u.Header != nil, bitUDHI) }

// copyUD copies the header and body of u into buf and points dst at the copies.
func copyUD(dst, u *UserData, buf []byte) []byte {
	dst.Septets = u.Septets
	dst.Header, dst.Body = nil, nil
	if u.Header != nil {
		s := len(buf)
		buf = append(buf, u.Header...)
		dst.Header = buf[s:len(buf):len(buf)]
	}
	s := len(buf)
	buf = append(buf, u.Body...)
	dst.Body = buf[s:len(buf):len(buf)]
	return buf
}

// Deliver is an SMS-DELIVER TPDU (3GPP TS 23.040 section 9.2.2.1), a short
// message from the service centre to a phone. The user data aliases the
// buffer passed to Decode; use CopyTo to retain it.
type Deliver struct {
	MoreMessages      bool // TP-MMS 0: more messages are waiting in the SC
	LoopPrevention    bool // TP-LP (9.2.3.28)
	StatusReportIndic bool // TP-SRI: the sender asked for a status report
	ReplyPath         bool // TP-RP
	Originator        Address
	PID               byte // TP-PID (9.2.3.9)
	DCS               DCS
	SCTS              Timestamp
	UserData          // TP-UDHI is set when Header is not nil
}

// Decode reads the SMS-DELIVER TPDU that is the whole of b, resetting every
// field first. n is len(b) on success: TP-UD ends the TPDU.
func (d *Deliver) Decode(b []byte) (n int, err error) {
	*d = Deliver{}
	if e := checkMTI(b, TypeDeliver); e != nil {
		return 0, e
	}
	fo := b[0]
	d.MoreMessages = fo&bitMMS == 0
	d.LoopPrevention = fo&bitLP != 0
	d.StatusReportIndic = fo&bitSRI != 0
	d.ReplyPath = fo&bitRP != 0
	var e *Error
	off := 1
	if d.Originator, off, e = decodeAddress(b, off, "TP-OA"); e != nil {
		return 0, e
	}
	if off+2 > len(b) {
		return 0, truncErr("TP-PID", off, ruleLayout)
	}
	d.PID, d.DCS = b[off], DCS(b[off+1])
	if d.SCTS, e = decodeTimestamp(b, off+2, "TP-SCTS"); e != nil {
		return 0, e
	}
	if d.UserData, e = decodeUD(b, off+9, d.DCS, fo&bitUDHI != 0); e != nil {
		return 0, e
	}
	return len(b), nil
}

// Len returns the encoded size of d (assuming it is valid).
func (d *Deliver) Len() int {
	_, octets, _ := d.udl(d.DCS)
	return 1 + d.Originator.fieldLen() + 2 + 7 + 1 + octets
}

// AppendBinary appends the TPDU to b. On error it returns b unchanged.
func (d *Deliver) AppendBinary(b []byte) ([]byte, error) {
	udl, _, e := d.udl(d.DCS)
	if e == nil {
		e = checkTimestamp(&d.SCTS, "TP-SCTS")
	}
	if e == nil && d.Header != nil {
		e = checkHeader(d.Header, -1)
	}
	if e != nil {
		return b, e
	}
	fo := byte(TypeDeliver) | flag(!d.MoreMessages, bitMMS) | flag(d.LoopPrevention, bitLP) |
		flag(d.StatusReportIndic, bitSRI) | udhiBit(&d.UserData) | flag(d.ReplyPath, bitRP)
	b = append(b, fo)
	b = appendAddress(b, &d.Originator)
	b = append(b, d.PID, byte(d.DCS))
	b = appendTimestamp(b, &d.SCTS)
	return d.appendUD(b, udl), nil
}

// CopyTo copies d to dst with its header and body appended to buf, so that
// dst no longer aliases the decoded input, and returns the extended buf.
func (d *Deliver) CopyTo(dst *Deliver, buf []byte) []byte {
	*dst = *d
	return copyUD(&dst.UserData, &d.UserData, buf)
}

// Submit is an SMS-SUBMIT TPDU (3GPP TS 23.040 section 9.2.2.2), a short
// message from a phone to the service centre. The user data aliases the
// buffer passed to Decode; use CopyTo to retain it.
type Submit struct {
	RejectDuplicates bool // TP-RD
	StatusReportReq  bool // TP-SRR
	ReplyPath        bool // TP-RP
	MR               byte // TP-MR, the message reference
	Destination      Address
	PID              byte // TP-PID (9.2.3.9)
	DCS              DCS
	VP               ValidityPeriod // TP-VPF and TP-VP
	UserData                        // TP-UDHI is set when Header is not nil
}

// Decode reads the SMS-SUBMIT TPDU that is the whole of b, resetting every
// field first. n is len(b) on success: TP-UD ends the TPDU.
func (s *Submit) Decode(b []byte) (n int, err error) {
	*s = Submit{}
	if e := checkMTI(b, TypeSubmit); e != nil {
		return 0, e
	}
	fo := b[0]
	s.RejectDuplicates = fo&bitMMS != 0
	s.StatusReportReq = fo&bitSRI != 0
	s.ReplyPath = fo&bitRP != 0
	s.VP.Format = VPFormat(fo >> 3 & 3)
	if len(b) < 2 {
		return 0, truncErr("TP-MR", 1, ruleLayout)
	}
	s.MR = b[1]
	var e *Error
	off := 2
	if s.Destination, off, e = decodeAddress(b, off, "TP-DA"); e != nil {
		return 0, e
	}
	if off+2 > len(b) {
		return 0, truncErr("TP-PID", off, ruleLayout)
	}
	s.PID, s.DCS = b[off], DCS(b[off+1])
	off += 2
	switch s.VP.Format {
	case VPRelative:
		if off >= len(b) {
			return 0, truncErr("TP-VP", off, ruleVP)
		}
		s.VP.Relative = b[off]
		off++
	case VPAbsolute:
		if s.VP.Absolute, e = decodeTimestamp(b, off, "TP-VP"); e != nil {
			return 0, e
		}
		off += 7
	case VPEnhanced:
		if off+7 > len(b) {
			return 0, truncErr("TP-VP", off, ruleVP)
		}
		copy(s.VP.Enhanced[:], b[off:off+7])
		off += 7
	}
	if s.UserData, e = decodeUD(b, off, s.DCS, fo&bitUDHI != 0); e != nil {
		return 0, e
	}
	return len(b), nil
}

// Len returns the encoded size of s (assuming it is valid).
func (s *Submit) Len() int {
	_, octets, _ := s.udl(s.DCS)
	return 2 + s.Destination.fieldLen() + 2 + s.VP.Len() + 1 + octets
}

// AppendBinary appends the TPDU to b. On error it returns b unchanged.
func (s *Submit) AppendBinary(b []byte) ([]byte, error) {
	udl, _, e := s.udl(s.DCS)
	if e == nil && s.VP.Format == VPAbsolute {
		e = checkTimestamp(&s.VP.Absolute, "TP-VP")
	}
	if e == nil && s.VP.Format > VPAbsolute {
		e = encErr("TP-VPF", ErrMalformed, ruleVP, "validity period format above 3")
	}
	if e == nil && s.Header != nil {
		e = checkHeader(s.Header, -1)
	}
	if e != nil {
		return b, e
	}
	fo := byte(TypeSubmit) | flag(s.RejectDuplicates, bitMMS) | byte(s.VP.Format)<<3 |
		flag(s.StatusReportReq, bitSRI) | udhiBit(&s.UserData) | flag(s.ReplyPath, bitRP)
	b = append(b, fo, s.MR)
	b = appendAddress(b, &s.Destination)
	b = append(b, s.PID, byte(s.DCS))
	switch s.VP.Format {
	case VPRelative:
		b = append(b, s.VP.Relative)
	case VPAbsolute:
		b = appendTimestamp(b, &s.VP.Absolute)
	case VPEnhanced:
		b = append(b, s.VP.Enhanced[:]...)
	}
	return s.appendUD(b, udl), nil
}

// CopyTo copies s to dst with its header and body appended to buf, so that
// dst no longer aliases the decoded input, and returns the extended buf.
func (s *Submit) CopyTo(dst *Submit, buf []byte) []byte {
	*dst = *s
	return copyUD(&dst.UserData, &s.UserData, buf)
}

// The parameter indicator bits (TP-PI, 9.2.3.27).
const (
	PIPID  byte = 1 << 0 // TP-PID present
	PIDCS  byte = 1 << 1 // TP-DCS present
	PIUDL  byte = 1 << 2 // TP-UDL (and TP-UD) present
	piExt  byte = 1 << 7
	piMask      = PIPID | PIDCS | PIUDL
)

// StatusReport is an SMS-STATUS-REPORT TPDU (3GPP TS 23.040 section
// 9.2.2.3): the outcome of a message sent with TP-SRR. The user data
// aliases the buffer passed to Decode; use CopyTo to retain it.
type StatusReport struct {
	MoreMessages   bool // TP-MMS 0: more messages are waiting in the SC
	LoopPrevention bool // TP-LP
	Command        bool // TP-SRQ: a report of an SMS-COMMAND, not of an SMS-SUBMIT
	MR             byte // TP-MR of the message reported on
	Recipient      Address
	SCTS           Timestamp
	Discharge      Timestamp // TP-DT
	Status         byte      // TP-ST (9.2.3.15)
	// HasPI says TP-PI is present; PI then holds its bits PIPID, PIDCS and
	// PIUDL, which say which of PID, DCS and the user data follow. Reserved
	// bits are dropped when decoding, as 9.2.3.27 tells a receiver to
	// ignore them.
	HasPI bool
	PI    byte
	PID   byte
	DCS   DCS // 0 (GSM 7-bit) when absent, as 9.2.3.27 says to assume
	UserData
}

// Decode reads the SMS-STATUS-REPORT TPDU that is the whole of b, resetting
// every field first. n is len(b) on success.
func (r *StatusReport) Decode(b []byte) (n int, err error) {
	*r = StatusReport{}
	if e := checkMTI(b, TypeStatusReport); e != nil {
		return 0, e
	}
	fo := b[0]
	r.MoreMessages = fo&bitMMS == 0
	r.LoopPrevention = fo&bitLP != 0
	r.Command = fo&bitSRI != 0
	if len(b) < 2 {
		return 0, truncErr("TP-MR", 1, ruleLayout)
	}
	r.MR = b[1]
	var e *Error
	off := 2
	if r.Recipient, off, e = decodeAddress(b, off, "TP-RA"); e != nil {
		return 0, e
	}
	if r.SCTS, e = decodeTimestamp(b, off, "TP-SCTS"); e != nil {
		return 0, e
	}
	if r.Discharge, e = decodeTimestamp(b, off+7, "TP-DT"); e != nil {
		return 0, e
	}
	off += 14
	if off >= len(b) {
		return 0, truncErr("TP-ST", off, ruleLayout)
	}
	r.Status = b[off]
	off++
	if off == len(b) {
		return len(b), nil // 9.2.2.3: TP-PI and what follows it are optional
	}
	pi := b[off]
	if pi&piExt != 0 {
		return 0, decErr("TP-PI", off, ErrUnsupported, rulePI, "extended TP-PI")
	}
	r.HasPI, r.PI = true, pi&piMask
	off++
	if pi&PIPID != 0 {
		if off >= len(b) {
			return 0, truncErr("TP-PID", off, rulePI)
		}
		r.PID = b[off]
		off++
	}
	if pi&PIDCS != 0 {
		if off >= len(b) {
			return 0, truncErr("TP-DCS", off, rulePI)
		}
		r.DCS = DCS(b[off])
		off++
	}
	if pi&PIUDL != 0 {
		if r.UserData, e = decodeUD(b, off, r.DCS, fo&bitUDHI != 0); e != nil {
			return 0, e
		}
	} else if off < len(b) {
		return 0, decErr("TP-PI", off, ErrMalformed, rulePI, "octets after the fields TP-PI announces")
	}
	return len(b), nil
}

func (r *StatusReport) optLen() (udl, octets int, e *Error) {
	if r.PI&^piMask != 0 || (!r.HasPI && r.PI != 0) {
		return 0, 0, encErr("TP-PI", ErrMalformed, rulePI, "PI holds bits other than PIPID, PIDCS and PIUDL, or is set without HasPI")
	}
	if (r.PI&PIPID == 0 && r.PID != 0) || (r.PI&PIDCS == 0 && r.DCS != 0) {
		return 0, 0, encErr("TP-PI", ErrMalformed, rulePI, "PID or DCS set without its PI bit")
	}
	if r.PI&PIUDL == 0 {
		if r.Header != nil || len(r.Body) > 0 || r.Septets != 0 {
			return 0, 0, encErr("TP-UD", ErrMalformed, rulePI, "user data without PIUDL")
		}
		return 0, 0, nil
	}
	return r.udl(r.DCS)
}

// Len returns the encoded size of r (assuming it is valid).
func (r *StatusReport) Len() int {
	n := 2 + r.Recipient.fieldLen() + 14 + 1
	if !r.HasPI {
		return n
	}
	n++
	if r.PI&PIPID != 0 {
		n++
	}
	if r.PI&PIDCS != 0 {
		n++
	}
	if r.PI&PIUDL != 0 {
		_, octets, _ := r.udl(r.DCS)
		n += 1 + octets
	}
	return n
}

// AppendBinary appends the TPDU to b. On error it returns b unchanged.
func (r *StatusReport) AppendBinary(b []byte) ([]byte, error) {
	udl, _, e := r.optLen()
	if e == nil {
		e = checkTimestamp(&r.SCTS, "TP-SCTS")
	}
	if e == nil {
		e = checkTimestamp(&r.Discharge, "TP-DT")
	}
	if e == nil && r.Header != nil {
		e = checkHeader(r.Header, -1)
	}
	if e != nil {
		return b, e
	}
	fo := byte(TypeStatusReport) | flag(!r.MoreMessages, bitMMS) | flag(r.LoopPrevention, bitLP) |
		flag(r.Command, bitSRI) | udhiBit(&r.UserData)
	b = append(b, fo, r.MR)
	b = appendAddress(b, &r.Recipient)
	b = appendTimestamp(b, &r.SCTS)
	b = appendTimestamp(b, &r.Discharge)
	b = append(b, r.Status)
	if !r.HasPI {
		return b, nil
	}
	b = append(b, r.PI)
	if r.PI&PIPID != 0 {
		b = append(b, r.PID)
	}
	if r.PI&PIDCS != 0 {
		b = append(b, byte(r.DCS))
	}
	if r.PI&PIUDL != 0 {
		b = r.appendUD(b, udl)
	}
	return b, nil
}

// CopyTo copies r to dst with its header and body appended to buf, so that
// dst no longer aliases the decoded input, and returns the extended buf.
func (r *StatusReport) CopyTo(dst *StatusReport, buf []byte) []byte {
	*dst = *r
	return copyUD(&dst.UserData, &r.UserData, buf)
}
