package at

import "strconv"

// Kind classifies a line from the modem (the DCE).
type Kind uint8

// The kinds of line. Final result codes end a command (ITU-T V.250 section
// 5.7.1, 3GPP TS 27.007 section 9.2, 27.005 section 3.2.5); information
// responses come before the final result code of the command that asked
// for them; unsolicited result codes (URCs) come at any time.
const (
	// KindInfo is any other line: an information response this package
	// does not read (+CNMI: ..., +CMGF: 0, the text of ATI), kept whole
	// in Text.
	KindInfo       Kind = iota
	KindOK              // final: OK
	KindError           // final: ERROR
	KindNoCarrier       // final: NO CARRIER
	KindBusy            // final: BUSY
	KindNoAnswer        // final: NO ANSWER
	KindNoDialtone      // final: NO DIALTONE
	KindCMSError        // final: +CMS ERROR: <err> (27.005 3.2.5); Code, or Text when verbose
	KindCMEError        // final: +CME ERROR: <err> (27.007 9.2); Code, or Text when verbose
	// KindPrompt is the "> " that asks for the PDU after AT+CMGS=<length>
	// (27.005 3.5.1). The modem sends it without a line end: the driver
	// recognises it in the byte stream; Parse accepts ">" and "> " too.
	KindPrompt
	KindEcho // the echo of a command line (ATE1): a line starting with "AT"; Text
	KindPDU  // a PDU in hexadecimal (27.005 3.1 <pdu>), the line after +CMT, +CMGR, +CMGL, +CDS; Text
	KindCMGS // +CMGS: <mr>[,<scts>|<ackpdu>] (27.005 3.5.1); MR, Text
	KindCMGR // +CMGR: <stat>,[<alpha>],<length> (27.005 3.4.3, PDU mode); Stat, Alpha, Length
	KindCMGL // +CMGL: <index>,<stat>,[<alpha>],<length> (27.005 3.4.2, PDU mode); Index, Stat, Alpha, Length
	KindCSMS // +CSMS: [<service>,]<mt>,<mo>,<bm> (27.005 3.2.1); Service (-1 when absent), MT, MO, BM
	KindCMT  // URC +CMT: [<alpha>],<length> (27.005 3.4.1, PDU mode); Alpha, Length
	KindCMTI // URC +CMTI: <mem>,<index> (27.005 3.4.1); Mem, Index
	KindCDS  // URC +CDS: <length> (27.005 3.4.1, PDU mode); Length
	KindCDSI // URC +CDSI: <mem>,<index> (27.005 3.4.1); Mem, Index
	KindRing // URC RING (V.250 5.7.1)
	// KindReset is a line a modem prints when it has (re)started: RDY,
	// ^SYSSTART, +CFUN: 1, +CPIN: READY, SMS Ready; Text. These are
	// manufacturers' habits, not in 27.007: see the table tests for where
	// each comes from.
	KindReset
	numKinds
)

var kindNames = [numKinds]string{
	KindInfo: "info", KindOK: "OK", KindError: "ERROR", KindNoCarrier: "NO CARRIER",
	KindBusy: "BUSY", KindNoAnswer: "NO ANSWER", KindNoDialtone: "NO DIALTONE",
	KindCMSError: "+CMS ERROR", KindCMEError: "+CME ERROR", KindPrompt: "prompt",
	KindEcho: "echo", KindPDU: "pdu", KindCMGS: "+CMGS", KindCMGR: "+CMGR", KindCMGL: "+CMGL",
	KindCSMS: "+CSMS", KindCMT: "+CMT", KindCMTI: "+CMTI", KindCDS: "+CDS", KindCDSI: "+CDSI",
	KindRing: "RING", KindReset: "reset",
}

// String returns the result code ("OK", "+CMS ERROR", "+CMT") or a word
// for the other kinds ("info", "prompt", "echo", "pdu", "reset").
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Final reports whether k ends a command.
func (k Kind) Final() bool { return k >= KindOK && k <= KindCMEError }

// Unsolicited reports whether k is an unsolicited result code: +CMT,
// +CMTI, +CDS, +CDSI, RING or a reset indication.
func (k Kind) Unsolicited() bool { return k >= KindCMT && k <= KindReset }

// Line is one line from the modem, parsed. Which fields are set depends on
// Kind, as the Kind constants say; the others are zero. The byte slices
// alias the input of Parse and are valid until it is reused.
type Line struct {
	Kind Kind
	// Code is <err> of +CMS ERROR and +CME ERROR, or -1 when the modem
	// gave the verbose text (+CMEE=2), which is then in Text.
	Code int
	// MR is <mr> of +CMGS, the TP-Message-Reference the modem used.
	MR int
	// Index is <index> of +CMTI, +CDSI and +CMGL: the storage location.
	Index int
	// Stat is <stat> of +CMGR and +CMGL in PDU mode (27.005 3.1): 0
	// received unread, 1 received read, 2 stored unsent, 3 stored sent.
	Stat int
	// Length is <length> of +CMT, +CDS, +CMGR and +CMGL: the octets of
	// the TPDU in the PDU line that follows, the SMSC part not counted
	// (27.005 3.1).
	Length int
	// Service, MT, MO and BM are the parameters of +CSMS; Service is -1
	// when absent (the answer to the set command AT+CSMS=<service>).
	Service, MT, MO, BM int
	// Mem is <mem> of +CMTI and +CDSI, without the quotes.
	Mem []byte
	// Alpha is <alpha> of +CMT, +CMGR and +CMGL, without the quotes;
	// empty when absent.
	Alpha []byte
	// Text is the whole line (trimmed of spaces) for KindInfo, KindEcho,
	// KindPDU and KindReset; the verbose <err> of +CMS ERROR and +CME
	// ERROR; the <scts> or <ackpdu> of +CMGS, without the quotes.
	Text []byte
}

// hasPrefix reports whether b starts with s.
func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// Parse classifies the line b, which is one line from the modem without
// its CR LF, and reads its parameters, resetting every field first. Spaces
// around the line are ignored. A line it does not recognise is KindInfo,
// not an error: errors are for lines whose prefix names a kind and whose
// parameters break its syntax. On error, Kind holds the kind the prefix
// named (so a malformed +CMS ERROR still ends a command) and the other
// fields are unspecified. Parse does not allocate, except for the error.
func (l *Line) Parse(b []byte) error {
	*l = Line{}
	lo, hi := 0, len(b)
	for lo < hi && isSpace(b[lo]) {
		lo++
	}
	for hi > lo && isSpace(b[hi-1]) {
		hi--
	}
	s := b[lo:hi]
	switch string(s) {
	case "OK":
		l.Kind = KindOK
		return nil
	case "ERROR":
		l.Kind = KindError
		return nil
	case "NO CARRIER":
		l.Kind = KindNoCarrier
		return nil
	case "BUSY":
		l.Kind = KindBusy
		return nil
	case "NO ANSWER":
		l.Kind = KindNoAnswer
		return nil
	case "NO DIALTONE":
		l.Kind = KindNoDialtone
		return nil
	case "RING":
		l.Kind = KindRing
		return nil
	case ">":
		l.Kind = KindPrompt
		return nil
	case "RDY", "^SYSSTART", "SMS Ready":
		l.Kind, l.Text = KindReset, s
		return nil
	}
	if len(s) == 0 {
		l.Text = s
		return nil
	}
	if s[0] == '+' {
		if e := l.parsePlus(b, lo, hi); e != nil {
			return e
		}
		return nil
	}
	if len(s) >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'T' || s[1] == 't') {
		l.Kind, l.Text = KindEcho, s
		return nil
	}
	if isHexLine(s) {
		l.Kind, l.Text = KindPDU, s
		return nil
	}
	l.Text = s
	return nil
}

// isHexLine reports whether s is a non-empty even run of hex digits.
func isHexLine(s []byte) bool {
	if len(s) == 0 || len(s)%2 != 0 {
		return false
	}
	for _, c := range s {
		if unhex(c) < 0 {
			return false
		}
	}
	return true
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

// parsePlus reads a line starting with "+": an extended result code
// "+<name>: <params>" (27.007 4.1).
func (l *Line) parsePlus(b []byte, lo, hi int) *Error {
	s := b[lo:hi]
	colon := -1
	for i, c := range s {
		if c == ':' {
			colon = i
			break
		}
	}
	if colon < 0 {
		l.Text = s
		return nil
	}
	p := params{b: b[:hi], i: lo + colon + 1}
	p.skipSpace()
	switch string(s[:colon]) {
	case "+CMS ERROR":
		l.Kind = KindCMSError
		return l.parseErrCode(&p, "+CMS ERROR <err>", ruleCMSError)
	case "+CME ERROR":
		l.Kind = KindCMEError
		return l.parseErrCode(&p, "+CME ERROR <err>", ruleCMEError)
	case "+CMGS":
		l.Kind = KindCMGS
		return l.parseCMGS(&p)
	case "+CMGR":
		l.Kind = KindCMGR
		return l.parseCMGR(&p, false)
	case "+CMGL":
		l.Kind = KindCMGL
		return l.parseCMGR(&p, true)
	case "+CSMS":
		l.Kind = KindCSMS
		return l.parseCSMS(&p)
	case "+CMT":
		l.Kind = KindCMT
		var e *Error
		if l.Alpha, e = p.optString("+CMT <alpha>", ruleCNMI); e != nil {
			return e
		}
		if e = p.comma("+CMT", ruleCNMI); e != nil {
			return e
		}
		if l.Length, e = p.number("+CMT <length>", ruleCNMI, 65535); e != nil {
			return e
		}
		return p.end("+CMT", ruleCNMI)
	case "+CMTI", "+CDSI":
		l.Kind = KindCMTI
		name, mem, index := "+CMTI", "+CMTI <mem>", "+CMTI <index>"
		if s[2] == 'D' {
			l.Kind, name, mem, index = KindCDSI, "+CDSI", "+CDSI <mem>", "+CDSI <index>"
		}
		var e *Error
		if l.Mem, e = p.quoted(mem, ruleCNMI); e != nil {
			return e
		}
		if e = p.comma(mem, ruleCNMI); e != nil {
			return e
		}
		if l.Index, e = p.number(index, ruleCNMI, 65535); e != nil {
			return e
		}
		return p.end(name, ruleCNMI)
	case "+CDS":
		l.Kind = KindCDS
		var e *Error
		if l.Length, e = p.number("+CDS <length>", ruleCNMI, 65535); e != nil {
			return e
		}
		return p.end("+CDS", ruleCNMI)
	case "+CFUN", "+CPIN":
		// Quectel and SIMCom print +CFUN: 1 and +CPIN: READY when they
		// have started; as answers to AT+CFUN? and AT+CPIN? they are the
		// same lines, but the driver does not send those.
		rest := b[p.i:hi]
		if (s[2] == 'F' && string(rest) == "1") || (s[2] == 'P' && string(rest) == "READY") {
			l.Kind = KindReset
		}
		l.Text = s
		return nil
	}
	l.Text = s
	return nil
}

func (l *Line) parseErrCode(p *params, field, rule string) *Error {
	l.Code = -1
	if p.i >= len(p.b) {
		return parseErr(field, p.i, rule, "missing error code")
	}
	rest := p.b[p.i:]
	allDigits := true
	for _, c := range rest {
		if c < '0' || c > '9' {
			allDigits = false
			break
		}
	}
	if !allDigits {
		// +CMEE=2: the verbose text.
		l.Code, l.Text = -1, rest
		return nil
	}
	code, e := p.number(field, rule, 65535)
	if e != nil {
		return e
	}
	l.Code = code
	return nil
}

func (l *Line) parseCMGS(p *params) *Error {
	var e *Error
	if l.MR, e = p.number("+CMGS <mr>", ruleCMGS, 255); e != nil {
		return e
	}
	if p.i == len(p.b) {
		return nil
	}
	if e = p.comma("+CMGS", ruleCMGS); e != nil {
		return e
	}
	// <scts> (text mode) or <ackpdu> (PDU mode, +CSMS=1) is a quoted
	// string; some modems leave the quotes off <ackpdu>, which is taken as
	// it stands when it holds no quote or comma.
	if p.i < len(p.b) && p.b[p.i] == '"' {
		if l.Text, e = p.quoted("+CMGS <ackpdu>", ruleCMGS); e != nil {
			return e
		}
		return p.end("+CMGS", ruleCMGS)
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		if c := p.b[p.i]; c == '"' || c == ',' {
			return parseErr("+CMGS <ackpdu>", p.i, ruleCMGS, "unquoted parameter holds a quote or comma")
		}
	}
	l.Text = p.b[start:p.i]
	return nil
}

// parseCMGR reads +CMGR: <stat>,[<alpha>],<length> or, with index,
// +CMGL: <index>,<stat>,[<alpha>],<length> (PDU mode).
func (l *Line) parseCMGR(p *params, index bool) *Error {
	name, rule, stat, alpha, length := "+CMGR", ruleCMGR, "+CMGR <stat>", "+CMGR <alpha>", "+CMGR <length>"
	var e *Error
	if index {
		name, rule, stat, alpha, length = "+CMGL", ruleCMGL, "+CMGL <stat>", "+CMGL <alpha>", "+CMGL <length>"
		if l.Index, e = p.number("+CMGL <index>", rule, 65535); e != nil {
			return e
		}
		if e = p.comma(name, rule); e != nil {
			return e
		}
	}
	// <stat> is an integer in PDU mode (27.005 3.1): 0-3, and 4 ("all")
	// in the list command only.
	if l.Stat, e = p.number(stat, rule, 3); e != nil {
		return e
	}
	if e = p.comma(name, rule); e != nil {
		return e
	}
	if l.Alpha, e = p.optString(alpha, rule); e != nil {
		return e
	}
	if e = p.comma(name, rule); e != nil {
		return e
	}
	if l.Length, e = p.number(length, rule, 65535); e != nil {
		return e
	}
	return p.end(name, rule)
}

func (l *Line) parseCSMS(p *params) *Error {
	var v [4]int
	n := 0
	for {
		x, e := p.number("+CSMS", ruleCSMS, 255)
		if e != nil {
			return e
		}
		v[n] = x
		n++
		if p.i == len(p.b) {
			break
		}
		if n == 4 {
			return p.end("+CSMS", ruleCSMS)
		}
		if e := p.comma("+CSMS", ruleCSMS); e != nil {
			return e
		}
	}
	switch n {
	case 3:
		l.Service, l.MT, l.MO, l.BM = -1, v[0], v[1], v[2]
	case 4:
		l.Service, l.MT, l.MO, l.BM = v[0], v[1], v[2], v[3]
	default:
		return parseErr("+CSMS", p.i, ruleCSMS, "want 3 or 4 parameters")
	}
	return nil
}

// params reads the parameters of an extended result code: numbers and
// quoted strings separated by commas, spaces allowed after a comma (27.007
// 4.1 writes none, but modems do).
type params struct {
	b []byte
	i int
}

func (p *params) skipSpace() {
	for p.i < len(p.b) && isSpace(p.b[p.i]) {
		p.i++
	}
}

// number reads a decimal integer of at most max.
func (p *params) number(field, rule string, max int) (int, *Error) {
	start := p.i
	v := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		v = v*10 + int(p.b[p.i]-'0')
		if v > max {
			return 0, parseErr(field, start, rule, "number out of range")
		}
		p.i++
	}
	if p.i == start {
		return 0, parseErr(field, start, rule, "not a number")
	}
	return v, nil
}

// quoted reads a string in double quotes and returns what is between them.
// The escapes of 27.007 (\22 for a quote) are left as they are.
func (p *params) quoted(field, rule string) ([]byte, *Error) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, parseErr(field, p.i, rule, "not a quoted string")
	}
	start := p.i + 1
	for j := start; j < len(p.b); j++ {
		if p.b[j] == '"' {
			p.i = j + 1
			return p.b[start:j:j], nil
		}
	}
	return nil, parseErr(field, p.i, rule, "string without its closing quote")
}

// optString reads an optional quoted string: empty before a comma.
func (p *params) optString(field, rule string) ([]byte, *Error) {
	if p.i < len(p.b) && p.b[p.i] == ',' {
		return nil, nil
	}
	return p.quoted(field, rule)
}

func (p *params) comma(field, rule string) *Error {
	if p.i >= len(p.b) || p.b[p.i] != ',' {
		return parseErr(field, p.i, rule, "missing comma")
	}
	p.i++
	p.skipSpace()
	return nil
}

func (p *params) end(field, rule string) *Error {
	if p.i != len(p.b) {
		return parseErr(field, p.i, rule, "unexpected characters after the parameters")
	}
	return nil
}

// AppendText appends the line as a modem would send it, without the CR LF:
// the canonical form of its kind ("+CMT: ,24", "+CMTI: \"SM\",3") or, for
// the kinds kept whole, Text. Parse of the result gives l back when l came
// from Parse.
func (l *Line) AppendText(b []byte) []byte {
	switch l.Kind {
	case KindInfo, KindEcho, KindPDU:
		return append(b, l.Text...)
	case KindReset:
		if len(l.Text) == 0 {
			return append(b, "RDY"...)
		}
		return append(b, l.Text...)
	case KindPrompt:
		return append(b, "> "...)
	case KindCMSError, KindCMEError:
		b = append(b, l.Kind.String()...)
		b = append(b, ": "...)
		if l.Code < 0 {
			return append(b, l.Text...)
		}
		return strconv.AppendInt(b, int64(l.Code), 10)
	case KindCMGS:
		b = append(b, "+CMGS: "...)
		b = strconv.AppendInt(b, int64(l.MR), 10)
		if len(l.Text) > 0 {
			b = append(b, ",\""...)
			b = append(b, l.Text...)
			b = append(b, '"')
		}
		return b
	case KindCMGR, KindCMGL:
		b = append(b, l.Kind.String()...)
		b = append(b, ": "...)
		if l.Kind == KindCMGL {
			b = strconv.AppendInt(b, int64(l.Index), 10)
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(l.Stat), 10)
		b = append(b, ',')
		b = appendOptString(b, l.Alpha)
		b = append(b, ',')
		return strconv.AppendInt(b, int64(l.Length), 10)
	case KindCSMS:
		b = append(b, "+CSMS: "...)
		if l.Service >= 0 {
			b = strconv.AppendInt(b, int64(l.Service), 10)
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(l.MT), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(l.MO), 10)
		b = append(b, ',')
		return strconv.AppendInt(b, int64(l.BM), 10)
	case KindCMT:
		b = append(b, "+CMT: "...)
		b = appendOptString(b, l.Alpha)
		b = append(b, ',')
		return strconv.AppendInt(b, int64(l.Length), 10)
	case KindCMTI, KindCDSI:
		b = append(b, l.Kind.String()...)
		b = append(b, ": \""...)
		b = append(b, l.Mem...)
		b = append(b, "\","...)
		return strconv.AppendInt(b, int64(l.Index), 10)
	case KindCDS:
		b = append(b, "+CDS: "...)
		return strconv.AppendInt(b, int64(l.Length), 10)
	}
	return append(b, l.Kind.String()...)
}

func appendOptString(b, s []byte) []byte {
	if len(s) == 0 {
		return b
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// AppendPDU appends the octets of a KindPDU line (Text in hexadecimal) to
// dst. It fails with ErrMalformed, at the offset in Text, on a character
// that is not a hex digit or an odd count; dst is then returned unchanged.
func (l *Line) AppendPDU(dst []byte) ([]byte, error) {
	return DecodeHex(dst, l.Text)
}

// DecodeHex appends the octets that the hexadecimal text h (upper or lower
// case) encodes to dst. On error it returns dst unchanged.
func DecodeHex(dst, h []byte) ([]byte, error) {
	if len(h)%2 != 0 {
		return dst, parseErr("pdu", len(h), rulePDU, "odd number of hex digits")
	}
	n := len(dst)
	for i := 0; i < len(h); i += 2 {
		hi, lo := unhex(h[i]), unhex(h[i+1])
		if hi < 0 || lo < 0 {
			off := i
			if hi >= 0 {
				off++
			}
			return dst[:n], parseErr("pdu", off, rulePDU, "not a hex digit")
		}
		dst = append(dst, byte(hi<<4|lo))
	}
	return dst, nil
}

const hexDigits = "0123456789ABCDEF"

// AppendHex appends b in upper-case hexadecimal, as PDU mode writes octets
// (27.005 3.1 <pdu>).
func AppendHex(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}
