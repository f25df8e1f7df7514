package wire

// This file holds the JSON primitives that the JSON content formats (SenML
// JSON, the OMA LwM2M JSON format) share: a strict RFC 8259 scanner over a
// byte slice, string unescaping, exact number parsing, and the appenders
// for numbers and strings; the base64 variants those formats carry binary
// data in; and the duplicate check of their resolved paths (DupSet). None
// of it allocates, but for a DupSet past DupInline keys and the growth of
// the caller's slices.

import (
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// MaxJSONDepth is the deepest nesting of arrays and objects a JSONScanner
// follows, whatever depth it is given.
const MaxJSONDepth = 64

// JSONKind is the kind of a JSON token.
type JSONKind uint8

// The token kinds. A member name is a token of its own (JSONName): the
// scanner reads the name-separator ':' after it, so the next token is the
// member's value.
const (
	JSONEnd         JSONKind = iota // no more tokens: the end of the text, or an error
	JSONBeginArray                  // '['
	JSONEndArray                    // ']'
	JSONBeginObject                 // '{'
	JSONEndObject                   // '}'
	JSONName                        // a member name (a string followed by ':')
	JSONString                      // a string value
	JSONNumber                      // a number
	JSONTrue                        // true
	JSONFalse                       // false
	JSONNull                        // null
)

var jsonKindNames = [...]string{"end", "'['", "']'", "'{'", "'}'", "name", "string", "number", "true", "false", "null"}

// String returns a short name for the kind, for messages.
func (k JSONKind) String() string {
	if int(k) < len(jsonKindNames) {
		return jsonKindNames[k]
	}
	return "invalid"
}

// JSONToken is one token of a JSON text.
type JSONToken struct {
	Kind JSONKind
	// Offset is the byte offset of the token's first byte: the opening
	// quote of a name or string, the '-' or first digit of a number.
	Offset int
	// Raw holds the bytes between the quotes of a name or string, escapes
	// still in place (see UnescapeJSON), and the literal of a number. It
	// aliases the input, with its capacity clipped; it is nil for the
	// other kinds.
	Raw []byte
	// Escaped reports a name or string with at least one backslash escape.
	Escaped bool
	// Float reports a number with a fraction or an exponent part.
	Float bool
}

// JSONStatus classifies a JSON syntax error.
type JSONStatus uint8

// The error classes of the scanner.
const (
	JSONOK        JSONStatus = iota
	JSONTruncated            // the input ends inside the text
	JSONMalformed            // the text breaks the grammar of RFC 8259
	JSONLimit                // nesting deeper than the depth limit
)

// JSONError describes the first syntax error a JSONScanner met. Msg and
// Rule are constants.
type JSONError struct {
	Status JSONStatus
	Offset int    // byte offset of the offending byte (the input length when truncated)
	Msg    string // what is wrong, lower case
	Rule   string // the section of RFC 8259 broken
}

// Class returns the class of e among c: Truncated for [JSONTruncated],
// Limit for [JSONLimit], Malformed otherwise.
func (e JSONError) Class(c *Classes) error {
	switch e.Status {
	case JSONTruncated:
		return c.Truncated
	case JSONLimit:
		return c.Limit
	}
	return c.Malformed
}

// The sections of RFC 8259 the scanner cites.
const (
	RuleJSONText    = "RFC 8259 2"
	RuleJSONObject  = "RFC 8259 4"
	RuleJSONArray   = "RFC 8259 5"
	RuleJSONNumber  = "RFC 8259 6"
	RuleJSONString  = "RFC 8259 7"
	RuleJSONUTF8    = "RFC 8259 8.1"
	RuleJSONEscapes = "RFC 8259 7: \\u escapes of UTF-16 surrogates come in high-low pairs"
)

type jsonState uint8

const (
	jsValue      jsonState = iota // a value: at the top, after ':' and after ',' in an array
	jsValueOrEnd                  // after '['
	jsNameOrEnd                   // after '{'
	jsName                        // after ',' in an object
	jsAfterValue                  // ',' or the closing bracket of the container
	jsDone                        // after the top-level value: white space only
	jsFailed
)

// JSONScanner reads the tokens of one JSON text (RFC 8259) from a byte
// slice, checking the whole grammar as it goes: structure and separators,
// the number syntax of section 6, the string rules of section 7 (no
// unescaped control characters, valid escapes, \u surrogates in pairs) and
// UTF-8 (section 8.1). Nothing but white space may follow the top-level
// value; a byte order mark is rejected. It is a small value that does not
// allocate; copying it saves the scanning state.
type JSONScanner struct {
	in       []byte
	off      int
	depth    int
	maxDepth int
	objects  uint64 // bit d set: the container at depth d+1 is an object
	state    jsonState
	err      JSONError
}

// Reset starts scanning b, following nesting up to maxDepth levels (1 to
// MaxJSONDepth; values outside the range mean MaxJSONDepth).
func (s *JSONScanner) Reset(b []byte, maxDepth int) {
	if maxDepth < 1 || maxDepth > MaxJSONDepth {
		maxDepth = MaxJSONDepth
	}
	*s = JSONScanner{in: b, maxDepth: maxDepth}
}

// Depth returns the number of arrays and objects open after the last token.
func (s *JSONScanner) Depth() int { return s.depth }

// Offset returns the offset just past the last token.
func (s *JSONScanner) Offset() int { return s.off }

// Err returns the error that stopped the scanner, or a JSONError with
// Status JSONOK.
func (s *JSONScanner) Err() JSONError { return s.err }

// Failed reports whether the scanner stopped at an error.
func (s *JSONScanner) Failed() bool { return s.state == jsFailed }

func (s *JSONScanner) fail(st JSONStatus, off int, rule, msg string) (JSONToken, bool) {
	s.state = jsFailed
	s.err = JSONError{Status: st, Offset: off, Msg: msg, Rule: rule}
	return JSONToken{Kind: JSONEnd, Offset: off}, false
}

// skipWS returns the offset of the first byte at or after i that is not
// white space (RFC 8259 section 2: space, tab, line feed, carriage return).
func (s *JSONScanner) skipWS(i int) int {
	for i < len(s.in) {
		switch s.in[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func (s *JSONScanner) inObject() bool { return s.objects>>(s.depth-1)&1 != 0 }

// afterValue sets the state that follows a complete value.
func (s *JSONScanner) afterValue() {
	if s.depth == 0 {
		s.state = jsDone
	} else {
		s.state = jsAfterValue
	}
}

// Next returns the next token. It reports false at the end of the text
// (after checking that only white space follows the top-level value) and
// at the first error (see Err); the token is then of kind JSONEnd.
func (s *JSONScanner) Next() (JSONToken, bool) {
	i := s.skipWS(s.off)
	switch s.state {
	case jsFailed:
		return JSONToken{Kind: JSONEnd, Offset: s.err.Offset}, false
	case jsDone:
		if i < len(s.in) {
			return s.fail(JSONMalformed, i, RuleJSONText, "data after the top-level value")
		}
		s.off = i
		return JSONToken{Kind: JSONEnd, Offset: i}, false
	case jsAfterValue:
		if i >= len(s.in) {
			return s.fail(JSONTruncated, i, RuleJSONText, "input ends inside an array or object")
		}
		obj := s.inObject()
		switch c := s.in[i]; {
		case c == ',':
			if obj {
				s.state = jsName
			} else {
				s.state = jsValue
			}
			i = s.skipWS(i + 1)
		case c == ']' && !obj, c == '}' && obj:
			return s.close(i, obj)
		case obj:
			return s.fail(JSONMalformed, i, RuleJSONObject, "expected ',' or '}' after an object member")
		default:
			return s.fail(JSONMalformed, i, RuleJSONArray, "expected ',' or ']' after an array element")
		}
	}
	if i >= len(s.in) {
		if s.depth == 0 && s.state == jsValue {
			return s.fail(JSONTruncated, i, RuleJSONText, "no JSON value")
		}
		return s.fail(JSONTruncated, i, RuleJSONText, "input ends inside an array or object")
	}
	c := s.in[i]
	switch s.state {
	case jsNameOrEnd, jsName:
		if c == '}' && s.state == jsNameOrEnd {
			return s.close(i, true)
		}
		if c != '"' {
			if c == '}' {
				return s.fail(JSONMalformed, i, RuleJSONObject, "',' before '}'")
			}
			return s.fail(JSONMalformed, i, RuleJSONObject, "expected a member name")
		}
		t, ok := s.scanString(i)
		if !ok {
			return t, false
		}
		t.Kind = JSONName
		j := s.skipWS(s.off)
		if j >= len(s.in) {
			return s.fail(JSONTruncated, j, RuleJSONObject, "input ends after a member name")
		}
		if s.in[j] != ':' {
			return s.fail(JSONMalformed, j, RuleJSONObject, "expected ':' after a member name")
		}
		s.off = j + 1
		s.state = jsValue
		return t, true
	case jsValueOrEnd:
		if c == ']' {
			return s.close(i, false)
		}
	}
	// A value.
	switch {
	case c == '[' || c == '{':
		if s.depth >= s.maxDepth {
			return s.fail(JSONLimit, i, RuleJSONText, "nesting deeper than the limit")
		}
		s.depth++
		s.off = i + 1
		if c == '{' {
			s.objects |= 1 << (s.depth - 1)
			s.state = jsNameOrEnd
			return JSONToken{Kind: JSONBeginObject, Offset: i}, true
		}
		s.objects &^= 1 << (s.depth - 1)
		s.state = jsValueOrEnd
		return JSONToken{Kind: JSONBeginArray, Offset: i}, true
	case c == '"':
		t, ok := s.scanString(i)
		if ok {
			s.afterValue()
		}
		return t, ok
	case c == '-' || '0' <= c && c <= '9':
		return s.scanNumber(i)
	case c == 't':
		return s.literal(i, "true", JSONTrue)
	case c == 'f':
		return s.literal(i, "false", JSONFalse)
	case c == 'n':
		return s.literal(i, "null", JSONNull)
	case c == ']':
		return s.fail(JSONMalformed, i, RuleJSONArray, "',' before ']'")
	case c == 0xef && s.depth == 0 && i == 0:
		return s.fail(JSONMalformed, i, RuleJSONUTF8, "byte order mark")
	}
	return s.fail(JSONMalformed, i, RuleJSONText, "expected a value")
}

// close ends the container at the current depth with the byte at i.
func (s *JSONScanner) close(i int, obj bool) (JSONToken, bool) {
	s.depth--
	s.off = i + 1
	s.afterValue()
	if obj {
		return JSONToken{Kind: JSONEndObject, Offset: i}, true
	}
	return JSONToken{Kind: JSONEndArray, Offset: i}, true
}

func (s *JSONScanner) literal(i int, lit string, k JSONKind) (JSONToken, bool) {
	for j := 0; j < len(lit); j++ {
		if i+j >= len(s.in) {
			return s.fail(JSONTruncated, i+j, RuleJSONText, "input ends inside a literal")
		}
		if s.in[i+j] != lit[j] {
			return s.fail(JSONMalformed, i+j, RuleJSONText, "invalid literal (true, false and null are lower case)")
		}
	}
	s.off = i + len(lit)
	s.afterValue()
	return JSONToken{Kind: k, Offset: i}, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanNumber reads the number at i (RFC 8259 section 6):
//
//	number = [ minus ] int [ frac ] [ exp ]
//	int    = zero / ( digit1-9 *DIGIT )
//	frac   = decimal-point 1*DIGIT
//	exp    = e [ minus / plus ] 1*DIGIT
func (s *JSONScanner) scanNumber(i int) (JSONToken, bool) {
	in, j := s.in, i
	if in[j] == '-' {
		j++
	}
	digits := func(j int) int {
		for j < len(in) && isDigit(in[j]) {
			j++
		}
		return j
	}
	switch {
	case j >= len(in):
		return s.fail(JSONTruncated, j, RuleJSONNumber, "input ends inside a number")
	case in[j] == '0':
		j++
		if j < len(in) && isDigit(in[j]) {
			return s.fail(JSONMalformed, j, RuleJSONNumber, "leading zero in a number")
		}
	case isDigit(in[j]):
		j = digits(j)
	default:
		return s.fail(JSONMalformed, j, RuleJSONNumber, "'-' without digits")
	}
	float := false
	if j < len(in) && in[j] == '.' {
		float = true
		k := digits(j + 1)
		if k == j+1 {
			if k >= len(in) {
				return s.fail(JSONTruncated, k, RuleJSONNumber, "input ends inside a number")
			}
			return s.fail(JSONMalformed, k, RuleJSONNumber, "no digit after the decimal point")
		}
		j = k
	}
	if j < len(in) && (in[j] == 'e' || in[j] == 'E') {
		float = true
		j++
		if j < len(in) && (in[j] == '+' || in[j] == '-') {
			j++
		}
		k := digits(j)
		if k == j {
			if k >= len(in) {
				return s.fail(JSONTruncated, k, RuleJSONNumber, "input ends inside a number")
			}
			return s.fail(JSONMalformed, k, RuleJSONNumber, "no digit in the exponent")
		}
		j = k
	}
	s.off = j
	s.afterValue()
	return JSONToken{Kind: JSONNumber, Offset: i, Raw: in[i:j:j], Float: float}, true
}

// jsonPlain marks the bytes that need no attention inside a string:
// printable ASCII other than '"' and '\'.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func hexVal(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// hex4 returns the value of the 4 hex digits at b[i:], or -1.
func hex4(b []byte, i int) rune {
	if i+4 > len(b) {
		return -1
	}
	var r rune
	for k := 0; k < 4; k++ {
		h := hexVal(b[i+k])
		if h < 0 {
			return -1
		}
		r = r<<4 | h
	}
	return r
}

// u4 reads the 4 hex digits at b[i:]. It returns -1 if one is not a hex
// digit, or, with trunc set, if b ends first.
func u4(b []byte, i int) (r rune, trunc bool) {
	for k := 0; k < 4; k++ {
		if i+k >= len(b) {
			return -1, true
		}
		h := hexVal(b[i+k])
		if h < 0 {
			return -1, false
		}
		r = r<<4 | h
	}
	return r, false
}

// scanString reads the string whose opening quote is at i. It sets s.off
// past the closing quote; the caller sets the state.
func (s *JSONScanner) scanString(i int) (JSONToken, bool) {
	in := s.in
	j := i + 1
	escaped := false
	for {
		for j < len(in) && jsonPlain[in[j]] {
			j++
		}
		if j >= len(in) {
			return s.fail(JSONTruncated, len(in), RuleJSONString, "input ends inside a string")
		}
		switch c := in[j]; {
		case c == '"':
			s.off = j + 1
			return JSONToken{Kind: JSONString, Offset: i, Raw: in[i+1 : j : j], Escaped: escaped}, true
		case c == '\\':
			escaped = true
			if j+1 >= len(in) {
				return s.fail(JSONTruncated, len(in), RuleJSONString, "input ends inside a string")
			}
			switch in[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
				continue
			case 'u':
			default:
				return s.fail(JSONMalformed, j, RuleJSONString, "invalid escape")
			}
			r, trunc := u4(in, j+2)
			if r < 0 {
				if trunc {
					return s.fail(JSONTruncated, len(in), RuleJSONString, "input ends inside a string")
				}
				return s.fail(JSONMalformed, j, RuleJSONString, "\\u needs four hex digits")
			}
			switch {
			case 0xdc00 <= r && r <= 0xdfff:
				return s.fail(JSONMalformed, j, RuleJSONEscapes, "low surrogate without a high surrogate")
			case 0xd800 <= r && r <= 0xdbff:
				// The low surrogate must follow at once: \uDC00 to \uDFFF.
				var lo rune = -1
				trunc = j+6 >= len(in) || in[j+6] == '\\' && j+7 >= len(in)
				if !trunc && in[j+6] == '\\' && in[j+7] == 'u' {
					lo, trunc = u4(in, j+8)
				}
				if trunc {
					return s.fail(JSONTruncated, len(in), RuleJSONString, "input ends inside a string")
				}
				if lo < 0xdc00 || lo > 0xdfff {
					return s.fail(JSONMalformed, j, RuleJSONEscapes, "high surrogate without a low surrogate")
				}
				j += 12
			default:
				j += 6
			}
		case c < 0x20:
			return s.fail(JSONMalformed, j, RuleJSONString, "control character in a string")
		default: // c >= 0x80
			r, n := utf8.DecodeRune(in[j:])
			if r == utf8.RuneError && n <= 1 {
				if !utf8.FullRune(in[j:]) {
					return s.fail(JSONTruncated, len(in), RuleJSONString, "input ends inside a string")
				}
				return s.fail(JSONMalformed, j, RuleJSONUTF8, "string is not UTF-8")
			}
			j += n
		}
	}
}

// SkipValue passes over the rest of the value that t began: if t opened an
// array or object, it reads tokens up to the matching close; otherwise it
// does nothing. It reports false at an error.
func (s *JSONScanner) SkipValue(t JSONToken) bool {
	if t.Kind != JSONBeginArray && t.Kind != JSONBeginObject {
		return s.state != jsFailed
	}
	d := s.depth - 1
	for s.depth > d {
		if _, ok := s.Next(); !ok {
			return false
		}
	}
	return true
}

// UnescapeJSON returns the text of a string token's Raw bytes. Without a
// backslash that is raw itself (an alias, no copy) and dst is returned
// unchanged; otherwise the unescaped text is appended to dst, which is
// returned grown, and s is the appended part. Raw must come from a
// JSONScanner, which checked the escapes: UnescapeJSON does not panic on
// other input but its result is then unspecified.
func UnescapeJSON(dst, raw []byte) (s, out []byte) {
	k := 0
	for k < len(raw) && raw[k] != '\\' {
		k++
	}
	if k == len(raw) {
		return raw, dst
	}
	start := len(dst)
	dst = append(dst, raw[:k]...)
	for k < len(raw) {
		c := raw[k]
		if c != '\\' {
			j := k + 1
			for j < len(raw) && raw[j] != '\\' {
				j++
			}
			dst = append(dst, raw[k:j]...)
			k = j
			continue
		}
		if k+1 >= len(raw) {
			break
		}
		switch e := raw[k+1]; e {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(raw, k+2)
			if r < 0 {
				r = utf8.RuneError
				k += 2
				break
			}
			k += 4
			if 0xd800 <= r && r <= 0xdbff && k+8 <= len(raw) && raw[k+2] == '\\' && raw[k+3] == 'u' {
				if lo := hex4(raw, k+4); 0xdc00 <= lo && lo <= 0xdfff {
					r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
					k += 6
				}
			}
			dst = utf8.AppendRune(dst, r)
			k += 2
			continue
		default: // '"', '\\', '/'
			dst = append(dst, e)
		}
		k += 2
	}
	return dst[start:len(dst):len(dst)], dst
}

// NumKind says how a JSON number is held.
type NumKind uint8

// The kinds of ParseJSONNumber: an integer literal that fits int64 is
// NumInt; one above math.MaxInt64 that fits uint64 is NumUint; every other
// number (a fraction or exponent, or an integer beyond uint64) is
// NumFloat.
const (
	NumInt NumKind = iota
	NumUint
	NumFloat
)

// ParseJSONNumber returns the value of a number token's Raw literal (see
// NumKind for the kinds): bits holds the int64 for NumInt, the uint64 for
// NumUint, and the float64 bits for NumFloat, rounded to nearest. It
// reports false for a number beyond the float64 range (RFC 8259 section 6
// lets implementations limit the range); numbers too small for float64
// become zero. raw must be a literal checked by a JSONScanner.
func ParseJSONNumber(raw []byte, float bool) (kind NumKind, bits uint64, ok bool) {
	if !float {
		neg := len(raw) > 0 && raw[0] == '-'
		d := raw
		if neg {
			d = raw[1:]
		}
		if len(d) <= 20 {
			var u uint64
			fits := true
			for _, c := range d {
				dv := uint64(c - '0')
				if u > math.MaxUint64/10 || u*10 > math.MaxUint64-dv {
					fits = false
					break
				}
				u = u*10 + dv
			}
			switch {
			case !fits:
			case !neg && u <= math.MaxInt64:
				return NumInt, u, true
			case !neg:
				return NumUint, u, true
			case u <= 1<<63:
				return NumInt, -u, true // two's complement of the magnitude
			}
		}
	}
	if len(raw) == 0 {
		return NumFloat, 0, false
	}
	// strconv.ParseFloat takes a string; a view of raw avoids a copy.
	// ParseFloat does not retain its argument (its errors copy it).
	f, err := strconv.ParseFloat(unsafe.String(&raw[0], len(raw)), 64)
	if err != nil || math.IsInf(f, 0) {
		return NumFloat, 0, false
	}
	return NumFloat, math.Float64bits(f), true
}

// AppendJSONFloat appends f as a JSON number that reads back as the same
// float64 and is recognizably a float: the shortest digit string that
// rounds to f (strconv's -1 precision), in plain decimal notation when the
// decimal exponent is -6 to 20 (as ECMAScript prints numbers) and with an
// exponent otherwise, with ".0" added to an integral value in plain
// notation so that a reader keeping integers apart still sees a float
// ("20.0", "-0.0", "1e21", "1.5e-9"). It reports false, and returns b
// unchanged, for NaN and the infinities, which JSON cannot represent.
func AppendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, false
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // [-]d[.ddd]e±dd
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		b = append(b, '-')
	}
	p := 0
	for e[p] != 'e' {
		p++
	}
	mant, exps := e[:p], e[p+1:]
	x := 0
	for _, c := range exps[1:] {
		x = x*10 + int(c-'0')
	}
	if exps[0] == '-' {
		x = -x
	}
	// The significant digits, without the decimal point.
	var dbuf [20]byte
	d := append(dbuf[:0], mant[0])
	if len(mant) > 2 {
		d = append(d, mant[2:]...)
	}
	nd := len(d)
	switch {
	case x < -6 || x > 20:
		b = append(b, mant...)
		b = append(b, 'e')
		if x < 0 {
			b = append(b, '-')
			x = -x
		}
		return strconv.AppendInt(b, int64(x), 10), true
	case x < 0:
		b = append(b, '0', '.')
		for i := 0; i < -x-1; i++ {
			b = append(b, '0')
		}
		return append(b, d...), true
	case x+1 >= nd:
		b = append(b, d...)
		for i := 0; i < x+1-nd; i++ {
			b = append(b, '0')
		}
		return append(b, '.', '0'), true
	}
	b = append(b, d[:x+1]...)
	b = append(b, '.')
	return append(b, d[x+1:]...), true
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string with its quotes, escaping
// what RFC 8259 section 7 requires: '"', '\' and the control characters
// U+0000 to U+001F (as \b, \f, \n, \r, \t or \u00XX). Everything else,
// non-ASCII text included, is written as is. It reports false, and returns
// b unchanged, if s is not UTF-8.
func AppendJSONString(b, s []byte) ([]byte, bool) {
	orig := len(b)
	b = append(b, '"')
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && jsonPlain[s[j]] {
			j++
		}
		b = append(b, s[i:j]...)
		if j >= len(s) {
			break
		}
		c := s[j]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			r, n := utf8.DecodeRune(s[j:])
			if r == utf8.RuneError && n <= 1 {
				return b[:orig], false
			}
			b = append(b, s[j:j+n]...)
			i = j + n
			continue
		}
		i = j + 1
	}
	return append(b, '"'), true
}

// Base64Mode selects what DecodeBase64 accepts.
type Base64Mode uint8

// The base64 variants of RFC 4648. A mode may combine alphabets and
// padding rules; a single string must keep to one alphabet.
const (
	Base64Std   Base64Mode = 1 << iota // the standard alphabet, '+' and '/' (RFC 4648 section 4)
	Base64URL                          // the URL and filename safe alphabet, '-' and '_' (section 5)
	Base64Pad                          // padding with '=' to a multiple of 4 characters (section 3.2)
	Base64NoPad                        // no padding (section 3.2 allows omitting it where the length is known)
)

var base64Val = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for i := 0; i < len(std); i++ {
		t[std[i]] = byte(i)
	}
	t['+'], t['/'] = 62, 63
	t['-'], t['_'] = 62, 63
	return t
}()

// DecodeBase64 appends the bytes that src encodes to dst. It accepts only
// the canonical form of the variants mode allows: characters of one
// alphabet, padding only as mode allows it and only where needed ('=' at
// the end to complete the last group of 4), no white space, and the
// unused bits of the last character zero (RFC 4648 section 3.5). On error
// it returns dst unchanged (its spare capacity may hold partial output),
// the offset in src of the offending character and a message; otherwise
// the offset is -1.
func DecodeBase64(dst, src []byte, mode Base64Mode) (out []byte, errOff int, msg string) {
	n := len(src)
	pad := 0
	for pad < 2 && n > 0 && src[n-1] == '=' {
		n--
		pad++
	}
	start := len(dst)
	var std, url bool
	var acc uint32
	for i := 0; i < n; i++ {
		c := src[i]
		v := base64Val[c]
		switch {
		case v == 0xff:
			return dst[:start], i, "not a base64 character"
		case c == '+' || c == '/':
			std = true
		case c == '-' || c == '_':
			url = true
		}
		if std && (url || mode&Base64Std == 0) || url && mode&Base64URL == 0 {
			return dst[:start], i, "character of the other base64 alphabet"
		}
		acc = acc<<6 | uint32(v)
		if i%4 == 3 {
			dst = append(dst, byte(acc>>16), byte(acc>>8), byte(acc))
			acc = 0
		}
	}
	switch {
	case n%4 == 1:
		return dst[:start], n - 1, "base64 length is not possible"
	case pad > 0 && mode&Base64Pad == 0:
		return dst[:start], n, "base64 padding where none is allowed"
	case pad > 0 && (n+pad)%4 != 0:
		return dst[:start], n, "base64 padding does not complete a group of 4"
	case pad == 0 && n%4 != 0 && mode&Base64NoPad == 0:
		return dst[:start], n, "base64 without the padding it needs"
	}
	switch n % 4 {
	case 2:
		if acc&0x0f != 0 {
			return dst[:start], n - 1, "non-zero unused bits in the last base64 character"
		}
		dst = append(dst, byte(acc>>4))
	case 3:
		if acc&0x03 != 0 {
			return dst[:start], n - 1, "non-zero unused bits in the last base64 character"
		}
		dst = append(dst, byte(acc>>10), byte(acc>>2))
	}
	return dst, -1, ""
}

// DupInline is how many keys a DupSet checks by a linear scan before it
// builds a hash index.
const DupInline = 32

// DupKey identifies one value of an LwM2M content format for the duplicate
// checks of the JSON formats: a path packed 16 bits per identifier (the
// object ID in the low bits) with its length, and an optional time (the
// float64 bits; callers map -0 to 0).
type DupKey struct {
	IDs     uint64
	Len     uint8
	HasTime bool
	Time    uint64
}

// DupSet finds a DupKey seen before. The first DupInline keys are scanned
// linearly in place; past that every key also goes into a heap slice and
// an open addressing index, both kept across Reset, so a reused DupSet
// stops allocating. The zero value is empty and ready to use.
type DupSet struct {
	ascending bool   // every key so far came above the one before
	last      DupKey // the last key added
	inline    [DupInline]DupKey
	n         int
	spill     []DupKey
	index     []int32 // 1 + key number, 0 for an empty slot; len a power of 2
}

// Reset empties s, keeping its memory.
func (s *DupSet) Reset() {
	s.n = 0
	s.spill = s.spill[:0]
}

func (s *DupSet) key(i int) DupKey {
	if i < DupInline {
		return s.inline[i]
	}
	return s.spill[i-DupInline]
}

func hashDupKey(k DupKey) uint64 {
	h := (k.IDs ^ uint64(k.Len)<<61) * 0x9e3779b97f4a7c15
	h = (h ^ h>>29 ^ k.Time) * 0xbf58476d1ce4e5b9
	if k.HasTime {
		h ^= 0x94d049bb133111eb
	}
	return h ^ h>>31
}

// insert puts key number i into the index.
func (s *DupSet) insert(i int) {
	mask := uint64(len(s.index) - 1)
	for h := hashDupKey(s.key(i)) & mask; ; h = (h + 1) & mask {
		if s.index[h] == 0 {
			s.index[h] = int32(i + 1)
			return
		}
	}
}

// Add adds k and reports true, or reports false if s already holds k.
func (s *DupSet) Add(k DupKey) bool {
	// While the keys ascend (as encoders write paths), a key above the
	// last one is new: no scan.
	if s.n == 0 || s.ascending && s.last.less(k) {
		s.ascending, s.last = true, k
		return s.push(k)
	}
	s.ascending = false
	return s.add(k)
}

// less orders keys by path, then time, for the ascending fast path.
func (k DupKey) less(o DupKey) bool {
	switch {
	case k.IDs != o.IDs:
		return k.IDs < o.IDs
	case k.Len != o.Len:
		return k.Len < o.Len
	case k.HasTime != o.HasTime:
		return !k.HasTime
	}
	return k.Time < o.Time
}

// push adds k, known to be new.
func (s *DupSet) push(k DupKey) bool {
	if s.n < DupInline {
		s.inline[s.n] = k
		s.n++
		return true
	}
	return s.add(k)
}

// add looks k up and adds it if it is new.
func (s *DupSet) add(k DupKey) bool {
	if s.n < DupInline {
		for i := 0; i < s.n; i++ {
			if s.inline[i] == k {
				return false
			}
		}
		s.inline[s.n] = k
		s.n++
		return true
	}
	if s.n == DupInline || 2*(s.n+1) > len(s.index) {
		// (Re)build the index at a size of at least four times the keys.
		size := 256
		for size < 4*(s.n+1) {
			size *= 2
		}
		if size > len(s.index) {
			s.index = make([]int32, size)
		} else {
			clear(s.index)
		}
		for i := 0; i < s.n; i++ {
			s.insert(i)
		}
	}
	mask := uint64(len(s.index) - 1)
	for h := hashDupKey(k) & mask; s.index[h] != 0; h = (h + 1) & mask {
		if s.key(int(s.index[h]-1)) == k {
			return false
		}
	}
	if s.spill == nil {
		s.spill = make([]DupKey, 0, DupInline)
	}
	s.spill = append(s.spill, k)
	s.n++
	s.insert(s.n - 1)
	return true
}
