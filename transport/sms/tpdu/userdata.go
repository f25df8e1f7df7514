package tpdu

// UserData is TP-UDL and TP-UD (3GPP TS 23.040 sections 9.2.3.16 and
// 9.2.3.24), split at the User Data Header.
//
// Header and Body alias the buffer passed to Decode (with their capacity
// clipped); they are valid until that buffer is reused.
type UserData struct {
	// Header holds the information elements of the User Data Header,
	// without its length octet (UDHL). nil means no header (TP-UDHI 0); a
	// non-nil empty Header is a header of length 0. Read it with
	// [UserData.IEs], [UserData.Concat] and [UserData.Ports]; build it
	// with [AppendIE], [AppendConcat] and [AppendPorts].
	Header []byte
	// Body is the short message after the header: for GSM 7-bit the packed
	// septets, starting with the fill bits that align them after a header
	// (see [UserData.Fill]); otherwise the octets.
	Body []byte
	// Septets is the number of septets in Body when TP-UDL counts septets
	// (uncompressed GSM 7-bit); it is 0 otherwise.
	Septets int
}

// Limits of TP-UD (9.2.3.16, 9.2.3.24).
const (
	MaxUserData    = 140 // octets of TP-UD
	MaxUserSeptets = 160 // septets of TP-UD in GSM 7-bit
)

// The information element identifiers this package reads (9.2.3.24).
const (
	IEConcat8  byte = 0x00 // concatenated short messages, 8-bit reference (9.2.3.24.1)
	IEPorts8   byte = 0x04 // application port addressing, 8-bit ports (9.2.3.24.3)
	IEPorts16  byte = 0x05 // application port addressing, 16-bit ports (9.2.3.24.4)
	IEConcat16 byte = 0x08 // concatenated short messages, 16-bit reference (9.2.3.24.8)
)

// headerOctets is the size of the header with its length octet.
func (u *UserData) headerOctets() int {
	if u.Header == nil {
		return 0
	}
	return 1 + len(u.Header)
}

// headerSeptets is the septets the header and its fill bits take (9.2.3.24:
// the text after a header starts on a septet boundary).
func (u *UserData) headerSeptets() int { return (u.headerOctets()*8 + 6) / 7 }

// Fill returns the fill bits between the header and the first septet of a
// GSM 7-bit Body: 0 to 6 (0 without a header).
func (u *UserData) Fill() int { return u.headerSeptets()*7 - u.headerOctets()*8 }

// udl returns TP-UDL and the octets of TP-UD for dcs, checking the limits.
func (u *UserData) udl(dcs DCS) (udl, octets int, err *Error) {
	h := u.headerOctets()
	if dcs.septets() {
		udl = u.headerSeptets() + u.Septets
		octets = packedLen(0, udl)
		if u.Septets < 0 || udl > MaxUserSeptets {
			return 0, 0, encErr("TP-UDL", ErrMalformed, ruleUDL, "user data longer than 160 septets")
		}
		if len(u.Body) != octets-h {
			return 0, 0, encErr("TP-UD", ErrMalformed, ruleUDL, "Body length does not match Septets")
		}
		return udl, octets, nil
	}
	octets = h + len(u.Body)
	if octets > MaxUserData {
		return 0, 0, encErr("TP-UDL", ErrMalformed, ruleUDL, "user data longer than 140 octets")
	}
	return octets, octets, nil
}

// appendUD appends TP-UDL and TP-UD; udl was checked.
func (u *UserData) appendUD(b []byte, udl int) []byte {
	b = append(b, byte(udl))
	if u.Header != nil {
		b = append(b, byte(len(u.Header)))
		b = append(b, u.Header...)
	}
	return append(b, u.Body...)
}

// decodeUD reads TP-UDL at b[off] and TP-UD after it, to the end of b.
func decodeUD(b []byte, off int, dcs DCS, udhi bool) (u UserData, err *Error) {
	if off >= len(b) {
		return u, truncErr("TP-UDL", off, ruleUDL)
	}
	udl := int(b[off])
	octets := udl
	if dcs.septets() {
		if udl > MaxUserSeptets {
			return u, decErr("TP-UDL", off, ErrMalformed, ruleUDL, "more than 160 septets")
		}
		octets = packedLen(0, udl)
	} else if udl > MaxUserData {
		return u, decErr("TP-UDL", off, ErrMalformed, ruleUDL, "more than 140 octets")
	}
	start, end := off+1, off+1+octets
	if end > len(b) {
		return u, decErr("TP-UD", start, ErrTruncated, ruleUDL, "input ends before the TP-UDL octets")
	}
	if end < len(b) {
		return u, decErr("TP-UD", end, ErrMalformed, ruleTrailer, "octets after the user data")
	}
	ud := b[start:end:end]
	if !udhi {
		u.Body = ud
		if dcs.septets() {
			u.Septets = udl
		}
		return u, nil
	}
	if octets == 0 {
		return u, decErr("UDHL", start, ErrMalformed, ruleUD, "TP-UDHI is set but TP-UD is empty")
	}
	h := 1 + int(ud[0])
	if h > octets {
		return u, decErr("UDHL", start, ErrMalformed, ruleUD, "header longer than TP-UD")
	}
	u.Header = ud[1:h:h]
	u.Body = ud[h:]
	if dcs.septets() {
		hs := u.headerSeptets()
		if hs > udl {
			return UserData{}, decErr("UDHL", start, ErrMalformed, ruleUD, "header longer than the TP-UDL septets")
		}
		u.Septets = udl - hs
	}
	if e := checkHeader(u.Header, start+1); e != nil {
		return UserData{}, e
	}
	return u, nil
}

// checkHeader checks the information elements of a header that starts at
// base in the input (base < 0: an encode error).
func checkHeader(h []byte, base int) *Error {
	for i := 0; i < len(h); {
		if i+2 > len(h) || i+2+int(h[i+1]) > len(h) {
			return headerErr(base, i, ruleUD, "information element overruns the header")
		}
		id, n := h[i], int(h[i+1])
		var want int
		rule := ""
		switch id {
		case IEConcat8:
			want, rule = 3, ruleConcat
		case IEConcat16:
			want, rule = 4, ruleConc16
		case IEPorts8:
			want, rule = 2, rulePort
		case IEPorts16:
			want, rule = 4, rulePort16
		}
		if rule != "" && n != want {
			return headerErr(base, i, rule, "information element of the wrong length")
		}
		i += 2 + n
	}
	return nil
}

func headerErr(base, i int, rule, msg string) *Error {
	if base < 0 {
		return encErr("UDH", ErrMalformed, rule, msg)
	}
	return decErr("UDH", base+i, ErrMalformed, rule, msg)
}

// IE is one information element of a User Data Header.
type IE struct {
	ID   byte   // IEI
	Data []byte // the IE data, aliasing the header
}

// IEIter walks the information elements of a header in wire order:
//
//	for it := ud.IEs(); it.Next(); {
//		ie := it.IE()
//	}
//
// It is a small value; copying it preserves its position.
type IEIter struct {
	h   []byte
	off int
	cur IE
	bad bool
}

// IEs returns an iterator over the information elements of u.Header.
func (u *UserData) IEs() IEIter { return IEIter{h: u.Header} }

// Next advances to the next element and reports whether there is one. It
// stops at the end of the header or at an element that overruns it (see
// Err; Decode never gives such a header).
func (it *IEIter) Next() bool {
	h, i := it.h, it.off
	if i >= len(h) || it.bad {
		return false
	}
	if i+2 > len(h) || i+2+int(h[i+1]) > len(h) {
		it.bad = true
		return false
	}
	end := i + 2 + int(h[i+1])
	it.cur = IE{ID: h[i], Data: h[i+2 : end : end]}
	it.off = end
	return true
}

// IE returns the current element.
func (it *IEIter) IE() IE { return it.cur }

// Err returns an ErrMalformed error, with the offset in the header, when
// Next stopped at an element that overruns the header.
func (it *IEIter) Err() error {
	if it.bad {
		return decErr("UDH", it.off, ErrMalformed, ruleUD, "information element overruns the header")
	}
	return nil
}

// AppendIE appends an information element. It panics if data is longer
// than 255 octets (a programmer error: a header holds at most 139).
func AppendIE(b []byte, id byte, data []byte) []byte {
	if len(data) > 255 {
		panic("tpdu: AppendIE data longer than 255 octets")
	}
	b = append(b, id, byte(len(data)))
	return append(b, data...)
}

// Concat is a concatenated short message element (9.2.3.24.1 with an 8-bit
// reference, 9.2.3.24.8 with a 16-bit one).
type Concat struct {
	Ref   uint16 // the reference number shared by the segments
	Total uint8  // the number of segments, 1-255
	Seq   uint8  // this segment's number, 1 to Total
	Wide  bool   // a 16-bit reference (IEI 0x08); else 8-bit (IEI 0x00)
}

// Concat returns the last concatenation element of the header. ok is false
// when there is none, or when it is to be ignored: 9.2.3.24.1 says a
// receiver "shall ignore the whole Information Element" when the total is
// 0, or the sequence number 0 or above the total.
func (u *UserData) Concat() (c Concat, ok bool) {
	for it := u.IEs(); it.Next(); {
		ie := it.IE()
		switch {
		case ie.ID == IEConcat8 && len(ie.Data) == 3:
			c, ok = Concat{Ref: uint16(ie.Data[0]), Total: ie.Data[1], Seq: ie.Data[2]}, true
		case ie.ID == IEConcat16 && len(ie.Data) == 4:
			c, ok = Concat{Ref: uint16(ie.Data[0])<<8 | uint16(ie.Data[1]), Total: ie.Data[2], Seq: ie.Data[3], Wide: true}, true
		}
	}
	if ok && (c.Total == 0 || c.Seq == 0 || c.Seq > c.Total) {
		return Concat{}, false
	}
	return c, ok
}

// AppendConcat appends the element of c: IEI 0x08 when c.Wide, else IEI
// 0x00 with the low 8 bits of the reference.
func AppendConcat(b []byte, c Concat) []byte {
	if c.Wide {
		return append(b, IEConcat16, 4, byte(c.Ref>>8), byte(c.Ref), c.Total, c.Seq)
	}
	return append(b, IEConcat8, 3, byte(c.Ref), c.Total, c.Seq)
}

// Ports is an application port addressing element (9.2.3.24.3 with 8-bit
// ports, 9.2.3.24.4 with 16-bit ones).
type Ports struct {
	Dst, Src uint16 // destination and originator port
	Wide     bool   // 16-bit ports (IEI 0x05); else 8-bit (IEI 0x04)
}

// Ports returns the last application port addressing element.
func (u *UserData) Ports() (p Ports, ok bool) {
	for it := u.IEs(); it.Next(); {
		ie := it.IE()
		switch {
		case ie.ID == IEPorts8 && len(ie.Data) == 2:
			p, ok = Ports{Dst: uint16(ie.Data[0]), Src: uint16(ie.Data[1])}, true
		case ie.ID == IEPorts16 && len(ie.Data) == 4:
			p, ok = Ports{Dst: uint16(ie.Data[0])<<8 | uint16(ie.Data[1]), Src: uint16(ie.Data[2])<<8 | uint16(ie.Data[3]), Wide: true}, true
		}
	}
	return p, ok
}

// AppendPorts appends the element of p: IEI 0x05 when p.Wide, else IEI
// 0x04 with the low 8 bits of each port.
func AppendPorts(b []byte, p Ports) []byte {
	if p.Wide {
		return append(b, IEPorts16, 4, byte(p.Dst>>8), byte(p.Dst), byte(p.Src>>8), byte(p.Src))
	}
	return append(b, IEPorts8, 2, byte(p.Dst), byte(p.Src))
}

// AppendText appends the short message of u as UTF-8: unpacked GSM 7-bit
// or UCS-2 as dcs says. 8-bit data is not text (ErrUnsupported; read Body),
// nor is compressed data (3GPP TS 23.042 is not implemented).
func (u *UserData) AppendText(dst []byte, dcs DCS) ([]byte, error) {
	if dcs.Compressed() {
		return dst, encErr("text", ErrUnsupported, ruleDCS, "compressed user data")
	}
	switch dcs.Alphabet() {
	case GSM7:
		return AppendGSM7Text(dst, u.Body, u.Fill(), u.Septets)
	case UCS2:
		return AppendUCS2Text(dst, u.Body)
	}
	return dst, encErr("text", ErrUnsupported, ruleDCS, "8-bit data is not text")
}

// SetText encodes text in the alphabet of dcs after the current Header,
// appending the octets to buf, and sets Body (aliasing buf) and Septets.
// It returns the extended buf. It fails, leaving u and buf unchanged, when
// a character has no GSM 7-bit code, when the user data would exceed 140
// octets (160 septets), or for 8-bit or compressed schemes (ErrUnsupported).
func (u *UserData) SetText(buf []byte, dcs DCS, text string) ([]byte, error) {
	if dcs.Compressed() || dcs.Alphabet() == Data8 {
		return buf, encErr("text", ErrUnsupported, ruleDCS, "text needs GSM 7-bit or UCS-2 without compression")
	}
	start := len(buf)
	if dcs.Alphabet() == UCS2 {
		if u.headerOctets()+UCS2Len(text) > MaxUserData {
			return buf, encErr("text", ErrMalformed, ruleUDL, "user data longer than 140 octets")
		}
		buf = AppendUCS2(buf, text)
		u.Body, u.Septets = buf[start:len(buf):len(buf)], 0
		return buf, nil
	}
	n, ok := GSM7Len(text)
	if ok && u.headerSeptets()+n > MaxUserSeptets {
		return buf, encErr("text", ErrMalformed, ruleUDL, "user data longer than 160 septets")
	}
	buf, n, err := AppendGSM7(buf, text, u.Fill())
	if err != nil {
		return buf, err
	}
	u.Body, u.Septets = buf[start:len(buf):len(buf)], n
	return buf, nil
}

// DecodeOctets reads TP-UD given as octets without its TP-UDL, as SMPP's
// short_message and message_payload carry it (SMPP 3.4 section 5.2.12:
// with esm_class UDHI the octets start with the UDHL), for a DCS whose
// user data is octets (8-bit data or UCS-2; 9.2.3.16). udhi says a User
// Data Header leads. Header and Body alias b. GSM 7-bit user data, whose
// length counts septets, answers ErrUnsupported.
func DecodeOctets(b []byte, dcs DCS, udhi bool) (UserData, error) {
	if dcs.septets() {
		return UserData{}, decErr("TP-UD", 0, ErrUnsupported, ruleUDL, "GSM 7-bit user data is not octets")
	}
	if len(b) > MaxUserData {
		return UserData{}, decErr("TP-UD", MaxUserData, ErrMalformed, ruleUDL, "more than 140 octets")
	}
	if !udhi {
		return UserData{Body: b[:len(b):len(b)]}, nil
	}
	if len(b) == 0 {
		return UserData{}, decErr("UDHL", 0, ErrMalformed, ruleUD, "TP-UDHI is set but TP-UD is empty")
	}
	h := 1 + int(b[0])
	if h > len(b) {
		return UserData{}, decErr("UDHL", 0, ErrMalformed, ruleUD, "header longer than TP-UD")
	}
	u := UserData{Header: b[1:h:h], Body: b[h:len(b):len(b)]}
	if e := checkHeader(u.Header, 1); e != nil {
		return UserData{}, e
	}
	return u, nil
}

// AppendOctets appends the TP-UD of u without its TP-UDL, the inverse of
// [DecodeOctets]: the UDHL and Header when Header is not nil, then Body. It
// checks the 140-octet limit (9.2.3.16) and the header's elements and on
// error returns b unchanged.
func (u *UserData) AppendOctets(b []byte) ([]byte, error) {
	if _, _, e := u.udl(DCS8Bit); e != nil {
		return b, e
	}
	if u.Header != nil {
		if e := checkHeader(u.Header, -1); e != nil {
			return b, e
		}
		if len(u.Header) > 255 {
			return b, encErr("UDHL", ErrMalformed, ruleUD, "header longer than 255 octets")
		}
		b = append(b, byte(len(u.Header)))
		b = append(b, u.Header...)
	}
	return append(b, u.Body...), nil
}
