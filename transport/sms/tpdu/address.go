package tpdu

// Address is an address field of 3GPP TS 23.040 section 9.1.2.5 (TP-OA,
// TP-DA, TP-RA), or the SMSC address in front of a modem PDU. It is a
// small value that holds its digits inline (no aliasing): the Type-of-
// Address octet, the Address-Length (useful semi-octets) and up to 10
// octets of Address-Value exactly as on the wire, so re-encoding is lossless.
//
// The zero Address is the empty one: it encodes as a zero length (and no
// digits), which for an SMSC means "the SMSC stored in the modem".
type Address struct {
	// Type is the Type-of-Address octet: bit 7 set, the type of number in
	// bits 6-4 ([TONInternational], [TONAlphanumeric], ...) and the
	// numbering plan in bits 3-0 ([NPIISDN], ...).
	Type byte
	n    uint8    // Address-Length: the useful semi-octets
	val  [10]byte // Address-Value
}

// Types of number (bits 6-4 of the Type-of-Address, 9.1.2.5).
const (
	TONUnknown       = 0
	TONInternational = 1
	TONNational      = 2
	TONNetwork       = 3
	TONSubscriber    = 4
	TONAlphanumeric  = 5 // GSM 7-bit default alphabet, 3GPP TS 23.038
	TONAbbreviated   = 6
)

// Numbering plans (bits 3-0 of the Type-of-Address, 9.1.2.5).
const (
	NPIUnknown  = 0
	NPIISDN     = 1 // E.164/E.163
	NPIData     = 3 // X.121
	NPITelex    = 4
	NPINational = 8
	NPIPrivate  = 9
	NPIERMES    = 10
)

// Common Type-of-Address octets.
const (
	TypeInternational byte = 0x91 // international number, ISDN plan
	TypeUnknown       byte = 0x81 // unknown type, ISDN plan
	TypeAlphanumeric  byte = 0xD0 // alphanumeric, unknown plan
)

// MaxAddressDigits is the largest Address-Length: 10 octets of
// Address-Value hold 20 semi-octets (9.1.2.5: an address field is at most
// 12 octets).
const MaxAddressDigits = 20

// TON returns the type of number, bits 6-4 of Type.
func (a *Address) TON() uint8 { return a.Type >> 4 & 7 }

// NPI returns the numbering plan identification, bits 3-0 of Type.
func (a *Address) NPI() uint8 { return a.Type & 15 }

// IsZero reports whether a is the empty address: no type and no digits.
func (a *Address) IsZero() bool { return a.Type == 0 && a.n == 0 }

// Digits returns the Address-Length: the number of useful semi-octets.
func (a *Address) Digits() int { return int(a.n) }

// Value returns the Address-Value octets as on the wire: semi-octets, or
// packed GSM 7-bit characters for an alphanumeric address. The slice
// points into a.
func (a *Address) Value() []byte { return a.val[:a.octets()] }

func (a *Address) octets() int { return (int(a.n) + 1) / 2 }

// fieldLen is the size of the address as a TP address field: the
// Address-Length octet, the Type-of-Address and the Address-Value.
func (a *Address) fieldLen() int { return 2 + a.octets() }

// semiDigits are the characters of the semi-octet values 0 to 14
// (9.1.2.3: 1010 '*', 1011 '#', 1100 'a', 1101 'b', 1110 'c').
const semiDigits = "0123456789*#abc"

// AppendText appends the address as text: "+" and the digits for an
// international number, the digits for other numbers, and the decoded
// characters (UTF-8) for an alphanumeric address. The empty address
// appends nothing.
func (a *Address) AppendText(b []byte) []byte {
	if a.TON() == TONAlphanumeric {
		b, _ = AppendGSM7Text(b, a.val[:a.octets()], 0, int(a.n)*4/7)
		return b
	}
	if a.TON() == TONInternational && a.n > 0 {
		b = append(b, '+')
	}
	for i := 0; i < int(a.n); i++ {
		d := a.val[i/2] >> (4 * (i & 1)) & 15
		if d < 15 {
			b = append(b, semiDigits[d])
		}
	}
	return b
}

// String returns the text of AppendText.
func (a Address) String() string { return string(a.AppendText(nil)) }

// ParseAddress returns the address of s: "+" and digits give an
// international ISDN number ([TypeInternational]); digits (and '*', '#',
// 'a', 'b', 'c') give a number of unknown type ([TypeUnknown]); anything
// else is an alphanumeric address ([TypeAlphanumeric]) of at most 11 GSM
// 7-bit septets. "" gives the zero Address.
func ParseAddress(s string) (Address, error) {
	if s == "" {
		return Address{}, nil
	}
	if s[0] == '+' && len(s) > 1 && isNumber(s[1:]) {
		return MakeAddress(TypeInternational, s[1:])
	}
	if isNumber(s) {
		return MakeAddress(TypeUnknown, s)
	}
	return MakeAlphanumeric(s)
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if semiIndex(s[i]) < 0 {
			return false
		}
	}
	return true
}

func semiIndex(c byte) int {
	for j := 0; j < len(semiDigits); j++ {
		if semiDigits[j] == c {
			return j
		}
	}
	return -1
}

// MakeAddress returns the numeric address of the given Type-of-Address and
// digits ('0'-'9', '*', '#', 'a', 'b', 'c'), at most [MaxAddressDigits].
func MakeAddress(typ byte, digits string) (Address, error) {
	a := Address{Type: typ}
	if len(digits) > MaxAddressDigits {
		return Address{}, encErr("address", ErrMalformed, ruleAddr, "more than 20 digits")
	}
	for i := 0; i < len(digits); i++ {
		d := semiIndex(digits[i])
		if d < 0 {
			return Address{}, encErr("address", ErrMalformed, ruleSemi, "not a digit, '*', '#', 'a', 'b' or 'c'")
		}
		a.val[i/2] |= byte(d) << (4 * (i & 1))
	}
	if len(digits)%2 == 1 {
		a.val[len(digits)/2] |= 0xF0 // 9.1.2.5: an odd number of digits ends with the end mark 1111
	}
	a.n = uint8(len(digits))
	return a, nil
}

// MakeAlphanumeric returns the alphanumeric address of text, which must be
// in the GSM 7-bit default alphabet and fit in 10 octets (11 septets).
func MakeAlphanumeric(text string) (Address, error) {
	a := Address{Type: TypeAlphanumeric}
	n, ok := GSM7Len(text)
	if !ok {
		return Address{}, encErr("address", ErrMalformed, ruleGSM7, "character outside the GSM 7-bit alphabet")
	}
	if n > 11 {
		return Address{}, encErr("address", ErrMalformed, ruleAddr, "alphanumeric address longer than 11 septets")
	}
	b, _, _ := AppendGSM7(a.val[:0], text, 0)
	copy(a.val[:], b)
	// 9.1.2.5: the Address-Length counts the useful semi-octets.
	a.n = uint8((n*7 + 3) / 4)
	return a, nil
}

// decodeAddress reads a TP address field at b[off:].
func decodeAddress(b []byte, off int, field string) (a Address, next int, err *Error) {
	if off+2 > len(b) {
		return a, 0, truncErr(field, off, ruleAddr)
	}
	n := int(b[off])
	if n > MaxAddressDigits {
		return a, 0, decErr(field, off, ErrMalformed, ruleAddr, "Address-Length exceeds 20 semi-octets")
	}
	a.Type, a.n = b[off+1], uint8(n)
	end := off + 2 + a.octets()
	if end > len(b) {
		return Address{}, 0, truncErr(field, off, ruleAddr)
	}
	copy(a.val[:], b[off+2:end])
	if a.TON() != TONAlphanumeric {
		if e := checkSemi(&a, field, off+2); e != nil {
			return Address{}, 0, e
		}
	}
	return a, end, nil
}

// checkSemi checks the semi-octets of a numeric address whose value starts
// at off: no end mark among the digits, and the end mark after an odd count.
func checkSemi(a *Address, field string, off int) *Error {
	for i := 0; i < int(a.n); i++ {
		if a.val[i/2]>>(4*(i&1))&15 == 15 {
			return decErr(field, off+i/2, ErrMalformed, ruleSemi, "end mark 1111 among the digits")
		}
	}
	if a.n%2 == 1 && a.val[a.n/2]>>4 != 15 {
		return decErr(field, off+int(a.n)/2, ErrMalformed, ruleAddr, "odd number of digits without the end mark 1111")
	}
	return nil
}

// appendAddress appends a as a TP address field.
func appendAddress(b []byte, a *Address) []byte {
	b = append(b, a.n, a.Type)
	return append(b, a.val[:a.octets()]...)
}

// checkAddress checks an address before encoding it.
func checkAddress(a *Address, field string) *Error {
	if a.n > MaxAddressDigits {
		return encErr(field, ErrMalformed, ruleAddr, "Address-Length exceeds 20 semi-octets")
	}
	return nil
}
