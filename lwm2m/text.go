package lwm2m

import (
	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The rules cited in errors.
const (
	ruleTypes  = "LwM2M Core Appendix C" // Table C.2, Data Type Mapping, Text Format column
	ruleOpaque = "LwM2M Core 7.4.2"
	ruleBase64 = "RFC 4648 4"
	rulePad    = "RFC 4648 3.5"
)

// ParseText parses b, the payload of a Plain Text message (CoAP
// Content-Format 0, [LwM2M Core] 7.4.1), as one value of type t, following
// the Text Format column of LwM2M Core Table C.2:
//
//   - String and Corelnk: UTF-8 text, taken as is (the link syntax of a
//     Corelnk is left to package lwm2m/link);
//   - Integer and Time: a decimal signed 64-bit integer, "-750",
//     "1476186613";
//   - Unsigned: a decimal unsigned 64-bit integer, "18";
//   - Float: a decimal number, "0.00000000006667", optionally with an
//     exponent, "6.667e-11" (the number syntax of JSON, RFC 8259 section 6);
//     values beyond the float64 range are rejected, values below it round
//     to zero;
//   - Boolean: "0" or "1";
//   - Objlnk: two decimal 16-bit integers separated by ':', "3:0"; the null
//     link is "65535:65535";
//   - Opaque: base64 with the standard alphabet and padding (RFC 4648
//     section 4), "AQIDBAU=" for 01 02 03 04 05;
//   - None: the empty payload.
//
// Integers are strict: no '+', no leading zeros, no "-0", no spaces. An
// empty payload is an empty String, Corelnk or Opaque value and an error for
// the numeric types.
//
// Values alias b, except Opaque: its bytes are decoded into dst[:0], which
// ParseText grows (allocating) only when cap(dst) is short; len(b)/4*3
// bytes always suffice. Pass nil for dst when t is not Opaque. ParseText
// never modifies b; after an error the spare capacity of dst may hold
// partial output.
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
func ParseText(t Type, b, dst []byte) (Value, error) {
	switch t {
	case None:
		if len(b) != 0 {
			return Value{}, decErr(0, ErrMalformed, ruleTypes, "an executable resource has no value")
		}
		return Value{}, nil
	case String, Corelnk:
		if off := invalidUTF8(b); off >= 0 {
			return Value{}, decErr(off, ErrMalformed, ruleTypes, "text is not UTF-8")
		}
		return Value{typ: t, b: b}, nil
	case Integer, Time:
		v, off, msg := parseInt(b)
		if off >= 0 {
			return Value{}, decErr(off, ErrMalformed, ruleTypes, msg)
		}
		return Value{typ: t, num: uint64(v)}, nil
	case Unsigned:
		v, off, msg := parseUint(b, 0, math.MaxUint64)
		if off >= 0 {
			return Value{}, decErr(off, ErrMalformed, ruleTypes, msg)
		}
		return UnsignedValue(v), nil
	case Float:
		v, off, msg := parseFloat(b)
		if off >= 0 {
			return Value{}, decErr(off, ErrMalformed, ruleTypes, msg)
		}
		return FloatValue(v), nil
	case Boolean:
		if len(b) == 1 && (b[0] == '0' || b[0] == '1') {
			return BoolValue(b[0] == '1'), nil
		}
		off := 0
		if len(b) > 1 && (b[0] == '0' || b[0] == '1') {
			off = 1
		}
		return Value{}, decErr(off, ErrMalformed, ruleTypes, "boolean is not 0 or 1")
	case Objlnk:
		l, off, msg := parseObjlnk(b)
		if off >= 0 {
			return Value{}, decErr(off, ErrMalformed, ruleTypes, msg)
		}
		return ObjlnkValue(l), nil
	case Opaque:
		out, err := decodeBase64(dst[:0], b)
		if err != nil {
			return Value{}, err
		}
		return OpaqueValue(out), nil
	}
	return Value{}, decErr(0, ErrUnsupported, ruleTypes, "unknown type")
}

// AppendText appends v in the Plain Text format (LwM2M Core 7.4.1 and Table
// C.2), the form ParseText reads: decimal integers, a Float in plain
// decimal notation with the fewest digits that parse back to the same bits
// ("0.00000000006667", as in the Table C.2 example, never an exponent),
// "0" or "1", "obj:inst", base64 with padding for Opaque, the text itself
// for String and Corelnk, nothing for None. NaN and the infinities have no
// text form (ErrUnsupported); String and Corelnk text must be UTF-8
// (ErrMalformed). On error b is returned unchanged.
func AppendText(b []byte, v Value) ([]byte, error) {
	switch v.typ {
	case None:
		return b, nil
	case String, Corelnk:
		if invalidUTF8(v.b) >= 0 {
			return b, encErr(ErrMalformed, ruleTypes, "text is not UTF-8")
		}
		return append(b, v.b...), nil
	case Integer, Time:
		return strconv.AppendInt(b, int64(v.num), 10), nil
	case Unsigned:
		return strconv.AppendUint(b, v.num, 10), nil
	case Float:
		f := math.Float64frombits(v.num)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return b, encErr(ErrUnsupported, ruleTypes, "NaN and infinities have no text representation")
		}
		return strconv.AppendFloat(b, f, 'f', -1, 64), nil
	case Boolean:
		if v.num != 0 {
			return append(b, '1'), nil
		}
		return append(b, '0'), nil
	case Objlnk:
		l, _ := v.Objlnk()
		return AppendObjlnk(b, l), nil
	case Opaque:
		return base64.StdEncoding.AppendEncode(b, v.b), nil
	}
	return b, encErr(ErrUnsupported, ruleTypes, "unknown type")
}

// TextLen returns the number of bytes AppendText appends for v, or -1 if
// AppendText rejects v.
func TextLen(v Value) int {
	switch v.typ {
	case None:
		return 0
	case String, Corelnk:
		if invalidUTF8(v.b) >= 0 {
			return -1
		}
		return len(v.b)
	case Integer, Time:
		if n := int64(v.num); n < 0 {
			return 1 + decimalLen(-uint64(n))
		}
		return decimalLen(v.num)
	case Unsigned:
		return decimalLen(v.num)
	case Float:
		f := math.Float64frombits(v.num)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return -1
		}
		var buf [400]byte // the longest, -5e-324, takes 327 bytes
		return len(strconv.AppendFloat(buf[:0], f, 'f', -1, 64))
	case Boolean:
		return 1
	case Objlnk:
		return decimalLen(v.num>>16&0xffff) + 1 + decimalLen(v.num&0xffff)
	case Opaque:
		return base64.StdEncoding.EncodedLen(len(v.b))
	}
	return -1
}

// ParseOpaque parses the payload of an Opaque message (CoAP Content-Format
// 42, application/octet-stream, [LwM2M Core] 7.4.2): the raw bytes of a
// single Opaque resource. Only t == Opaque is accepted; other types give
// ErrUnsupported, as the format carries nothing else. The value aliases b.
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
func ParseOpaque(t Type, b []byte) (Value, error) {
	if t != Opaque {
		return Value{}, decErr(0, ErrUnsupported, ruleOpaque, "the opaque format carries only opaque resources")
	}
	return OpaqueValue(b), nil
}

// AppendOpaque appends the bytes of an Opaque value (LwM2M Core 7.4.2).
// Values of other types give ErrUnsupported and b unchanged.
func AppendOpaque(b []byte, v Value) ([]byte, error) {
	if v.typ != Opaque {
		return b, encErr(ErrUnsupported, ruleOpaque, "the opaque format carries only opaque resources")
	}
	return append(b, v.b...), nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// decimalLen returns the number of decimal digits of v.
func decimalLen(v uint64) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// invalidUTF8 returns the offset of the first byte of b that does not start
// a valid UTF-8 sequence, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// parseUint parses all of b as "0" or [1-9][0-9]* no greater than max.
// base is the offset of b in the payload. It returns the offset of the
// error, or -1, and its message.
func parseUint(b []byte, base int, max uint64) (uint64, int, string) {
	if len(b) == 0 {
		return 0, base, "number expected"
	}
	var v uint64
	for i, c := range b {
		if !isDigit(c) {
			return 0, base + i, "not a decimal digit"
		}
		d := uint64(c - '0')
		if v > (max-d)/10 {
			return 0, base, "number out of range"
		}
		v = v*10 + d
	}
	if b[0] == '0' && len(b) > 1 {
		return 0, base, "leading zero"
	}
	return v, -1, ""
}

// parseInt parses all of b as a decimal int64: an optional '-' and digits.
func parseInt(b []byte) (int64, int, string) {
	if len(b) == 0 || b[0] != '-' {
		v, off, msg := parseUint(b, 0, math.MaxInt64)
		return int64(v), off, msg
	}
	v, off, msg := parseUint(b[1:], 1, 1<<63)
	if off >= 0 {
		return 0, off, msg
	}
	if v == 0 {
		return 0, 0, "negative zero"
	}
	return int64(-v), -1, "" // -(1<<63) wraps to math.MinInt64
}

// ParseObjlnk parses the text form of an object link as ParseText does for
// Objlnk: "ObjectID:InstanceID", two decimal numbers of 0 to 65535 without
// sign or leading zeros ([LwM2M Core] Appendix C). It reports failure as
// false rather than with an error value, so that it never allocates; it is
// for decoders that report their own error (a SenML vlo, an LwM2M JSON ov).
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
func ParseObjlnk(b []byte) (ObjLink, bool) {
	l, off, _ := parseObjlnk(b)
	return l, off < 0
}

// AppendObjlnk appends the text form of l, "ObjectID:InstanceID" in
// decimal, the form ParseObjlnk reads.
func AppendObjlnk(b []byte, l ObjLink) []byte {
	b = strconv.AppendUint(b, uint64(l.Object), 10)
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(l.Instance), 10)
}

// parseObjlnk parses "obj:inst", two decimal 16-bit integers.
func parseObjlnk(b []byte) (ObjLink, int, string) {
	colon := -1
	for i, c := range b {
		if c == ':' {
			colon = i
			break
		}
	}
	if colon < 0 {
		return ObjLink{}, len(b), "objlnk without ':'"
	}
	o, off, msg := parseUint(b[:colon], 0, math.MaxUint16)
	if off >= 0 {
		return ObjLink{}, off, msg
	}
	i, off, msg := parseUint(b[colon+1:], colon+1, math.MaxUint16)
	if off >= 0 {
		return ObjLink{}, off, msg
	}
	return ObjLink{uint16(o), uint16(i)}, -1, ""
}

// overflowDigits are the digits of 2^1024 - 2^970, the midpoint between
// math.MaxFloat64 and 2^1024: decimal values from there up round to
// infinity. Its decimal exponent is 309 (0.1797...e309).
const overflowDigits = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792"

// maxInlineDigits is the most significant digits parseFloat hands to
// strconv.ParseFloat in a 32-byte stack buffer.
const maxInlineDigits = 24

// parseFloat parses all of b as -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
// It strips leading and trailing zeros, rejects values that overflow
// float64 itself, and hands strconv.ParseFloat a short "digitsEexp" form
// held on the stack, so that the usual case allocates nothing (a string
// conversion of more than 32 bytes would).
func parseFloat(b []byte) (float64, int, string) {
	i := 0
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	start := i
	switch {
	case i == len(b) || !isDigit(b[i]):
		return 0, i, "digit expected"
	case b[i] == '0':
		i++
	default:
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	ip := b[start:i]
	var fp []byte
	if i < len(b) && b[i] == '.' {
		i++
		s := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == s {
			return 0, i, "digit expected after '.'"
		}
		fp = b[s:i]
	}
	var exp int64
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		s := i
		for i < len(b) && isDigit(b[i]) {
			if exp < 1e9 { // saturate: far beyond any float64 exponent
				exp = exp*10 + int64(b[i]-'0')
			}
			i++
		}
		if i == s {
			return 0, i, "digit expected in exponent"
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(b) {
		return 0, i, "unexpected character in number"
	}

	// The digits of ip then fp; the value is 0.d[f]...d[l] × 10^e10.
	n := len(ip) + len(fp)
	f := 0
	for f < n && digitAt(ip, fp, f) == '0' {
		f++
	}
	if f == n {
		if neg {
			return math.Copysign(0, -1), -1, ""
		}
		return 0, -1, ""
	}
	l := n - 1
	for digitAt(ip, fp, l) == '0' {
		l--
	}
	e10 := int64(len(ip)-f) + exp
	if e10 > 309 || e10 == 309 && !belowOverflow(ip, fp, f, l) {
		return 0, 0, "number out of float64 range"
	}
	if e10 < -400 { // below half the smallest subnormal, 4.9e-324
		if neg {
			return math.Copysign(0, -1), -1, ""
		}
		return 0, -1, ""
	}
	cnt := l - f + 1
	var buf [32]byte
	s := buf[:0]
	if cnt > maxInlineDigits {
		s = make([]byte, 0, cnt+8)
	}
	if neg {
		s = append(s, '-')
	}
	for k := f; k <= l; k++ {
		s = append(s, digitAt(ip, fp, k))
	}
	s = append(s, 'e')
	s = strconv.AppendInt(s, e10-int64(cnt), 10)
	v, err := strconv.ParseFloat(string(s), 64)
	if err != nil { // not reached: the range was checked above
		return 0, 0, "number out of float64 range"
	}
	return v, -1, ""
}

// digitAt returns digit k of the concatenation of ip and fp.
func digitAt(ip, fp []byte, k int) byte {
	if k < len(ip) {
		return ip[k]
	}
	return fp[k-len(ip)]
}

// belowOverflow reports whether 0.d[f]...d[l] is less than
// 0.overflowDigits.
func belowOverflow(ip, fp []byte, f, l int) bool {
	cnt := l - f + 1
	for k := 0; k < max(cnt, len(overflowDigits)); k++ {
		a, t := byte('0'), byte('0')
		if k < cnt {
			a = digitAt(ip, fp, f+k)
		}
		if k < len(overflowDigits) {
			t = overflowDigits[k]
		}
		if a != t {
			return a < t
		}
	}
	return false
}

// base64Values maps the standard alphabet (RFC 4648 section 4) to 6-bit
// values; every other byte maps to 0xff.
var base64Values = func() (m [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range m {
		m[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		m[alphabet[i]] = byte(i)
	}
	return m
}()

// decodeBase64 appends the bytes of src, padded standard base64, to dst.
// Only the canonical encoding is accepted: length a multiple of 4, '='
// only as the last one or two bytes, unused bits of the last quantum zero
// (RFC 4648 section 3.5), no line breaks or spaces. When dst lacks the
// capacity, src is checked before dst grows, so that bad input costs only
// the error.
func decodeBase64(dst, src []byte) ([]byte, error) {
	if len(src)%4 != 0 {
		return dst, decErr(len(src)-len(src)%4, ErrMalformed, ruleBase64, "base64 length is not a multiple of 4")
	}
	if need := len(src) / 4 * 3; cap(dst)-len(dst) < need {
		if _, err := base64Quanta(nil, src, false); err != nil {
			return dst, err
		}
		dst = slices.Grow(dst, need)
	}
	return base64Quanta(dst, src, true)
}

// base64Quanta decodes src, a multiple of 4 bytes long, appending to dst
// if write is set and only checking it otherwise.
func base64Quanta(dst, src []byte, write bool) ([]byte, error) {
	for i := 0; i < len(src); i += 4 {
		last := i+4 == len(src)
		var q [4]byte
		pad := 0
		for j := 0; j < 4; j++ {
			c := src[i+j]
			if c == '=' && last && j >= 2 && (j == 3 || src[i+3] == '=') {
				pad = 4 - j
				break
			}
			if q[j] = base64Values[c]; q[j] == 0xff {
				return dst, decErr(i+j, ErrMalformed, ruleBase64, "not a base64 character")
			}
		}
		switch {
		case pad == 1 && q[2]&0x03 != 0:
			return dst, decErr(i+2, ErrMalformed, rulePad, "non-zero pad bits")
		case pad == 2 && q[1]&0x0f != 0:
			return dst, decErr(i+1, ErrMalformed, rulePad, "non-zero pad bits")
		case !write:
		case pad == 0:
			dst = append(dst, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3])
		case pad == 1:
			dst = append(dst, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2)
		default:
			dst = append(dst, q[0]<<2|q[1]>>4)
		}
	}
	return dst, nil
}
