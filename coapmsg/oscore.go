package coapmsg

// MaxPartialIV is the largest OSCORE Partial IV (Sender Sequence Number):
// the numbers are less than 2^40 (RFC 8613 section 7.2.1), so a Partial IV
// has 1 to 5 bytes.
const MaxPartialIV = 1<<40 - 1

// The OSCORE flag bits (RFC 8613 section 6.1).
const (
	oscoreN        = 0x07 // Partial IV length n, 0 to 5; 6 and 7 are reserved
	oscoreK        = 0x08 // kid present
	oscoreH        = 0x10 // kid context present
	oscoreReserved = 0xe0 // must be zero
	maxOSCORELen   = 255  // the option length (RFC 8613 section 2)
)

// OSCOREOption is the value of the OSCORE option: the compressed COSE
// header of an OSCORE message (RFC 8613 section 6.1).
//
//	 0 1 2 3 4 5 6 7 <------------- n bytes -------------->
//	+-+-+-+-+-+-+-+-+--------------------------------------
//	|0 0 0|h|k|  n  |       Partial IV (if any) ...
//	+-+-+-+-+-+-+-+-+--------------------------------------
//	 <- 1 byte -> <----- s bytes ------>
//	+------------+----------------------+------------------+
//	| s (if any) | kid context (if any) | kid (if any) ... |
//	+------------+----------------------+------------------+
//
// The zero value is the empty option of a response that reuses the
// request's nonce (RFC 8613 section 2: all flags zero means an empty value).
//
// PartialIV, KIDContext and KID alias the value passed to DecodeOSCORE; they
// are valid until that buffer is reused. The flags HasKIDContext and HasKID
// tell an empty kid context or kid (both valid) from an absent one.
type OSCOREOption struct {
	PartialIV     []byte // 0 to 5 bytes, no leading zero byte; 0 is 0x00
	KIDContext    []byte // kid context (ID Context), 0 to 255 bytes; needs HasKIDContext
	KID           []byte // kid (Sender ID), the rest of the value; needs HasKID
	HasKIDContext bool   // the h flag
	HasKID        bool   // the k flag
}

func oscoreErr(off int, rule, msg string) error {
	return &Error{Field: "option", Offset: off, Option: OSCORE, Rule: rule, Msg: msg, Err: ErrBadOption}
}

// DecodeOSCORE decodes an OSCORE option value (RFC 8613 section 6.1). An
// empty value gives the zero OSCOREOption. The fields alias v.
//
// Decoding is strict: reserved flag bits set, n of 6 or 7, a non-empty value
// with all flags zero (RFC 8613 section 2), a Partial IV with a leading zero
// byte (RFC 8613 section 5), fields past the end of v, bytes after the last
// field when k is not set, or a value longer than 255 bytes give an error
// wrapping ErrBadOption with its Offset within v. A server answers such a
// request with 4.02 Bad Option (RFC 8613 section 8.2). Every value that
// decodes encodes back to the same bytes with AppendOSCORE.
func DecodeOSCORE(v []byte) (OSCOREOption, error) {
	var o OSCOREOption
	if len(v) == 0 {
		return o, nil
	}
	if len(v) > maxOSCORELen {
		return OSCOREOption{}, oscoreErr(maxOSCORELen, "RFC 8613 2", "OSCORE value longer than 255 bytes")
	}
	f := v[0]
	switch {
	case f&oscoreReserved != 0:
		return OSCOREOption{}, oscoreErr(0, "RFC 8613 6.1", "OSCORE reserved flag bits set")
	case f == 0:
		return OSCOREOption{}, oscoreErr(0, "RFC 8613 2", "OSCORE flags all zero in a non-empty value")
	case f&oscoreN > 5:
		return OSCOREOption{}, oscoreErr(0, "RFC 8613 6.1", "OSCORE Partial IV length 6 or 7 is reserved")
	}
	n := int(f & oscoreN)
	i := 1
	if n > len(v)-i {
		return OSCOREOption{}, oscoreErr(i, "RFC 8613 6.1", "OSCORE Partial IV past the end of the value")
	}
	if n > 1 && v[i] == 0 {
		return OSCOREOption{}, oscoreErr(i, "RFC 8613 5", "OSCORE Partial IV with a leading zero byte")
	}
	if n > 0 {
		o.PartialIV = v[i : i+n : i+n]
		i += n
	}
	if f&oscoreH != 0 {
		if i == len(v) {
			return OSCOREOption{}, oscoreErr(i, "RFC 8613 6.1", "OSCORE kid context length past the end of the value")
		}
		s := int(v[i])
		i++
		if s > len(v)-i {
			return OSCOREOption{}, oscoreErr(i, "RFC 8613 6.1", "OSCORE kid context past the end of the value")
		}
		o.HasKIDContext = true
		o.KIDContext = v[i : i+s : i+s]
		i += s
	}
	if f&oscoreK != 0 {
		o.HasKID = true
		o.KID = v[i:len(v):len(v)]
	} else if i < len(v) {
		return OSCOREOption{}, oscoreErr(i, "RFC 8613 6.1", "OSCORE bytes after the last field (k flag not set)")
	}
	return o, nil
}

// flags returns the flag byte of o.
func (o *OSCOREOption) flags() byte {
	f := byte(len(o.PartialIV)) & oscoreN
	if o.HasKID {
		f |= oscoreK
	}
	if o.HasKIDContext {
		f |= oscoreH
	}
	return f
}

// Len returns the encoded size of o: 0 when all flags are zero.
func (o OSCOREOption) Len() int {
	if len(o.PartialIV) == 0 && !o.HasKID && !o.HasKIDContext {
		return 0
	}
	n := 1 + len(o.PartialIV) + len(o.KID)
	if o.HasKIDContext {
		n += 1 + len(o.KIDContext)
	}
	return n
}

// check validates o for encoding.
func (o *OSCOREOption) check() error {
	switch {
	case len(o.PartialIV) > 5:
		return oscoreErr(-1, "RFC 8613 6.1", "OSCORE Partial IV longer than 5 bytes")
	case len(o.PartialIV) > 1 && o.PartialIV[0] == 0:
		return oscoreErr(-1, "RFC 8613 5", "OSCORE Partial IV with a leading zero byte")
	case len(o.KIDContext) > 0 && !o.HasKIDContext:
		return oscoreErr(-1, "RFC 8613 6.1", "OSCORE kid context without HasKIDContext")
	case len(o.KIDContext) > 255:
		return oscoreErr(-1, "RFC 8613 6.1", "OSCORE kid context longer than 255 bytes")
	case len(o.KID) > 0 && !o.HasKID:
		return oscoreErr(-1, "RFC 8613 6.1", "OSCORE kid without HasKID")
	case o.Len() > maxOSCORELen:
		return oscoreErr(-1, "RFC 8613 2", "OSCORE value longer than 255 bytes")
	}
	return nil
}

// AppendOSCORE appends the OSCORE option value of o (RFC 8613 section 6.1):
// nothing at all when every flag is zero (RFC 8613 section 2). It returns b
// unchanged and an error wrapping ErrBadOption if o breaks a rule that
// DecodeOSCORE checks, or sets KIDContext or KID without its flag.
func AppendOSCORE(b []byte, o OSCOREOption) ([]byte, error) {
	if err := o.check(); err != nil {
		return b, err
	}
	f := o.flags()
	if f == 0 {
		return b, nil
	}
	b = append(b, f)
	b = append(b, o.PartialIV...)
	if o.HasKIDContext {
		b = append(b, byte(len(o.KIDContext)))
		b = append(b, o.KIDContext...)
	}
	return append(b, o.KID...), nil
}

// SequenceNumber returns the Partial IV as the sender's sequence number
// (RFC 8613 section 5); ok is false when there is none.
func (o OSCOREOption) SequenceNumber() (seq uint64, ok bool) {
	if len(o.PartialIV) == 0 || len(o.PartialIV) > 5 {
		return 0, false
	}
	v, _ := decodeUint(o.PartialIV)
	return v, true
}

// AppendPartialIV appends the Partial IV of sequence number seq: big
// endian without leading zero bytes, and 0x00 for 0 (RFC 8613 section 5).
// It returns b unchanged and an error wrapping ErrLimit if seq exceeds
// MaxPartialIV (RFC 8613 section 7.2.1).
func AppendPartialIV(b []byte, seq uint64) ([]byte, error) {
	if seq > MaxPartialIV {
		return b, &Error{Field: "option", Offset: -1, Option: OSCORE, Rule: "RFC 8613 7.2.1", Msg: "OSCORE sequence number not below 2^40", Err: ErrLimit}
	}
	if seq == 0 {
		return append(b, 0), nil
	}
	return AppendUint(b, seq), nil
}

// OSCORE returns the OSCORE option of m, decoded with DecodeOSCORE; ok is
// false when it is absent. An OSCORE option in a message without payload is
// a message format error (RFC 8613 section 2): the error wraps ErrMalformed
// (its Offset is 0), and the option is returned decoded. Other errors are
// those of DecodeOSCORE.
func (m *Message) OSCORE() (o OSCOREOption, ok bool, err error) {
	v, ok := m.Option(OSCORE)
	if !ok {
		return o, false, nil
	}
	if o, err = DecodeOSCORE(v); err != nil {
		return o, true, err
	}
	if len(m.Payload) == 0 {
		return o, true, &Error{Field: "payload", Offset: 0, Option: OSCORE, Rule: "RFC 8613 2", Msg: "OSCORE option in a message without payload", Err: ErrMalformed}
	}
	return o, true, nil
}

// SetOSCORE replaces the OSCORE options of m by one holding the value of o,
// which it appends to buf; it returns buf. On error it returns buf and
// leaves m unchanged.
func (m *Message) SetOSCORE(buf []byte, o OSCOREOption) ([]byte, error) {
	n := len(buf)
	buf, err := AppendOSCORE(buf, o)
	if err != nil {
		return buf, err
	}
	m.SetOption(OSCORE, buf[n:len(buf):len(buf)])
	return buf, nil
}
