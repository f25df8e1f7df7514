package tpdu

// DCS is TP-Data-Coding-Scheme (3GPP TS 23.040 section 9.2.3.10), coded as
// in 3GPP TS 23.038 section 4. The methods read the coding groups:
//
//   - 00xx xxxx general data coding and 01xx xxxx the same with automatic
//     deletion: bit 5 compressed, bit 4 "bits 1-0 hold a message class",
//     bits 3-2 the alphabet (00 GSM 7-bit, 01 8-bit, 10 UCS-2, 11 reserved);
//   - 1100 and 1101 message waiting indication, GSM 7-bit; 1110 the same in
//     UCS-2;
//   - 1111 data coding/message class: bit 2 the alphabet (0 GSM 7-bit,
//     1 8-bit), bits 1-0 the class;
//   - 1000 to 1011 are reserved.
//
// 23.038 section 4: "Any reserved codings shall be assumed to be the GSM 7
// bit default alphabet ... by a receiving entity", so reserved groups and
// the reserved alphabet 11 read as GSM 7-bit.
type DCS byte

// Common data coding schemes.
const (
	DCSGSM7  DCS = 0x00 // GSM 7-bit default alphabet, no class
	DCS8Bit  DCS = 0x04 // 8-bit data, no class
	DCSUCS2  DCS = 0x08 // UCS-2, no class
	DCS8Bit1 DCS = 0xF5 // 8-bit data, class 1 (ME-specific)
)

// Alphabet is the character set of the user data.
type Alphabet uint8

// The alphabets of 3GPP TS 23.038.
const (
	GSM7  Alphabet = iota // GSM 7-bit default alphabet, packed septets
	Data8                 // 8-bit data
	UCS2                  // UCS-2 (read as UTF-16BE)
)

// String returns "gsm7", "8bit" or "ucs2".
func (a Alphabet) String() string {
	switch a {
	case Data8:
		return "8bit"
	case UCS2:
		return "ucs2"
	}
	return "gsm7"
}

// Alphabet returns the alphabet d selects.
func (d DCS) Alphabet() Alphabet {
	switch d >> 4 {
	case 0, 1, 2, 3, 4, 5, 6, 7:
		switch d >> 2 & 3 {
		case 1:
			return Data8
		case 2:
			return UCS2
		}
	case 0xE:
		return UCS2
	case 0xF:
		if d&4 != 0 {
			return Data8
		}
	}
	return GSM7
}

// Compressed reports whether the user data is compressed (3GPP TS 23.042),
// bit 5 of the general data coding groups.
func (d DCS) Compressed() bool { return d < 0x80 && d&0x20 != 0 }

// Class returns the message class 0-3, when d gives one: bits 1-0 of the
// general groups with bit 4 set, and of group 1111.
func (d DCS) Class() (class uint8, ok bool) {
	if (d < 0x80 && d&0x10 != 0) || d>>4 == 0xF {
		return uint8(d & 3), true
	}
	return 0, false
}

// septets reports whether TP-UDL counts septets: for uncompressed GSM 7-bit
// (9.2.3.16); otherwise it counts octets.
func (d DCS) septets() bool { return d.Alphabet() == GSM7 && !d.Compressed() }
