// Package tpdu encodes and decodes the SMS transfer-layer PDUs of
// [3GPP TS 23.040] section 9.2: SMS-DELIVER ([Deliver]), SMS-SUBMIT
// ([Submit]) and SMS-STATUS-REPORT ([StatusReport]), with the data coding
// schemes, the GSM 7-bit default alphabet and UCS-2 of [3GPP TS 23.038],
// without allocating. It is a codec: it lives under transport/sms, which
// carries CoAP over SMS, but imports only the standard library.
//
// A TPDU is a first octet of flags (TP-MTI and the bits of each type), the
// fields of its type (TP-MR, an address in semi-octets with its Type-of-
// Address, TP-PID, TP-DCS, a service-centre time stamp or a validity
// period) and TP-UDL with the user data, which may begin with a User Data
// Header of information elements: concatenation and application port
// addressing are the ones the LwM2M SMS binding uses.
//
//	var d tpdu.Deliver
//	smsc, b, err := tpdu.DecodeModemPDU(pdu) // a modem shows the SMSC first
//	_, err = d.Decode(b)
//	text, err := d.AppendText(text[:0], d.DCS)
//	c, ok := d.Concat()
//	out, err := d.AppendBinary(tpdu.AppendSMSC(out[:0], &smsc))
//
// # Strictness
//
//   - Rejected: a TP-MTI other than the type's; an Address-Length above 20
//     semi-octets, an end mark 1111 among the digits of a number or an odd
//     number of digits without it (9.1.2.5); a time stamp semi-octet that
//     is not decimal (9.2.3.11); a TP-UDL above 160 septets or 140 octets;
//     user data shorter than TP-UDL says or followed by more octets (TP-UD
//     is the last field); TP-UDHI with no room for the header, a header
//     longer than TP-UD, an information element that overruns the header,
//     a concatenation or port element of the wrong length (9.2.3.24); an
//     SMSC address longer than 11 octets. An extended TP-PI is
//     ErrUnsupported.
//   - Accepted and kept as coded: any Type-of-Address octet (bit 7 is not
//     checked), time stamps with dates that do not exist, "-0" time zones
//     (AppendText writes them as "-00:00"), enhanced validity periods with
//     reserved formats (Duration reports them as unknown), fill and padding
//     bits that are not zero, and concatenation elements that 9.2.3.24.1
//     tells a receiver to ignore ([UserData.Concat] ignores them; the
//     header keeps them).
//   - Dropped: the spare bits of the first octet and the reserved bits of
//     TP-PI, which 9.2 tells a receiver to ignore; re-encoding writes them
//     as zero, so decoding what AppendBinary wrote gives the same value.
//
// Text is decoded on request ([UserData.AppendText]): GSM 7-bit with the
// extension table and the fill bits after a header; UCS-2 as UTF-16BE, so
// surrogate pairs decode. Reserved codings read as GSM 7-bit (23.038
// section 4). Compressed user data (23.042) is not decoded.
//
// # Allocation and aliasing
//
// Decode, AppendBinary, Len, the text functions and the header iterator do
// not allocate. UserData.Header and Body alias the buffer passed to Decode,
// with their capacity clipped, and are valid until that buffer is reused;
// CopyTo copies them into a buffer of the caller's. Addresses and time
// stamps are small values held inline. Errors allocate one *Error;
// [Timestamp.Time] allocates its zone. The allocation tests pin the counts.
//
// # Limits
//
// The format bounds every length, so there is no Limits struct: TP-UD is at
// most 140 octets ([MaxUserData]) or 160 septets ([MaxUserSeptets]), an
// address at most 20 semi-octets ([MaxAddressDigits]), an SMSC address at
// most 11 octets ([MaxSMSCLen]). A TPDU is at most 164 octets.
//
// # Errors
//
// Errors are [*Error] values naming the field (such as "TP-OA" or "UDH"),
// the byte offset in the TPDU (in the modem PDU for the SMSC), the rule
// and the class: [ErrTruncated] when the input ends inside a field
// (wrapping io.ErrUnexpectedEOF), [ErrMalformed] for the rules above,
// [ErrUnsupported] for what this package does not handle. Encoders check
// the lengths and ranges they write, set Offset to -1 and return b
// unchanged.
//
// # Adding an information element
//
// A User Data Header element with a fixed length gets a case in
// checkHeader (userdata.go) citing its section of 9.2.3.24, an accessor
// like [UserData.Ports] that takes the last occurrence, an Append function,
// and rows in the vector and error tables.
//
// [3GPP TS 23.040]: https://www.3gpp.org/DynaReport/23040.htm
// [3GPP TS 23.038]: https://www.3gpp.org/DynaReport/23038.htm
package tpdu
