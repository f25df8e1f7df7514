package tpdu

// A modem in PDU mode (3GPP TS 27.005 section 3.1, <pdu>) shows and takes a
// TPDU preceded by the SMSC address as the relay layer codes it (3GPP TS
// 24.011 section 8.2.5.1): a length octet counting the Type-of-Address and
// the Address-Value octets, 0 for none (the SMSC stored in the modem).

// MaxSMSCLen is the largest SMSC length octet: the Type-of-Address and 10
// octets of digits.
const MaxSMSCLen = 11

// DecodeSMSC reads the SMSC address at the start of a modem PDU and
// returns it with the octets it took (the TPDU starts at b[n:]). A zero
// length gives the zero Address.
func DecodeSMSC(b []byte) (smsc Address, n int, err error) {
	if len(b) == 0 {
		return smsc, 0, truncErr("SMSC", 0, ruleSMSC)
	}
	l := int(b[0])
	switch {
	case l == 0:
		return smsc, 1, nil
	case l > MaxSMSCLen:
		return smsc, 0, decErr("SMSC", 0, ErrMalformed, ruleSMSC, "SMSC address longer than 11 octets")
	case 1+l > len(b):
		return smsc, 0, truncErr("SMSC", 0, ruleSMSC)
	}
	smsc.Type = b[1]
	copy(smsc.val[:], b[2:1+l])
	digits := 2 * (l - 1)
	// The length counts octets: an odd number of digits ends with the end
	// mark in the last high semi-octet.
	if digits > 0 && smsc.TON() != TONAlphanumeric && b[l]>>4 == 15 {
		digits--
	}
	smsc.n = uint8(digits)
	if smsc.TON() != TONAlphanumeric {
		if e := checkSemi(&smsc, "SMSC", 2); e != nil {
			return Address{}, 0, e
		}
	}
	return smsc, 1 + l, nil
}

// SMSCLen returns the size of smsc in front of a modem PDU.
func SMSCLen(smsc *Address) int {
	if smsc.IsZero() {
		return 1
	}
	return 2 + smsc.octets()
}

// AppendSMSC appends smsc as the start of a modem PDU: 0x00 for the zero
// Address, else its length octet, Type-of-Address and digits. The TPDU is
// appended after it (with AppendBinary).
func AppendSMSC(b []byte, smsc *Address) []byte {
	if smsc.IsZero() {
		return append(b, 0)
	}
	b = append(b, byte(1+smsc.octets()), smsc.Type)
	return append(b, smsc.val[:smsc.octets()]...)
}

// DecodeModemPDU splits a modem PDU into the SMSC address and the TPDU,
// which aliases b. Decode the TPDU with the Decode of the type that
// [PeekType] names and the direction implies.
func DecodeModemPDU(b []byte) (smsc Address, tpdu []byte, err error) {
	smsc, n, err := DecodeSMSC(b)
	if err != nil {
		return Address{}, nil, err
	}
	return smsc, b[n:], nil
}
