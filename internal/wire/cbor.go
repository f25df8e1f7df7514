package wire

// CBOR (RFC 8949) primitives for the content formats that use it: SenML
// CBOR (lwm2m/senml) and LwM2M CBOR (lwm2m/lwcbor). Nothing here
// allocates. The readers take the input and the offset of an item and
// return what they read plus the offset just past it; on failure they
// return a CBORError and, in place of that offset, the offset where the
// problem was found (the start of the offending item, or the first bad
// byte of a text string). The codecs turn that pair into their own typed
// error.
//
// Decisions, for the codecs to document:
//
//   - Well-formedness (RFC 8949 section 3 and Appendix F) is checked
//     everywhere: additional information 28-30 is reserved; indefinite
//     length is allowed for major types 2-5 only; the two-byte simple
//     value form f8 xx needs xx >= 32 (section 3.3); a break outside an
//     indefinite-length item and truncation are errors.
//   - Text strings must be valid UTF-8 (section 3.1, major type 3; an
//     invalid string makes the item invalid, section 5.3.1). ReadCBORString
//     and SkipCBOR check it.
//   - Indefinite-length (chunked) strings are well-formed and SkipCBOR steps
//     over them, checking that every chunk is a definite-length string of
//     the same major type (section 3.2.3). ReadCBORString does not
//     reassemble them, since that would need a copy: it reports
//     CBORIndefiniteString, which the codecs reject as unsupported (RFC
//     8428 section 6 asks for definite-length strings in SenML anyway).
//   - Tags: ReadCBORNumber interprets tag 4 (decimal fraction, section
//     3.4.4) with an integer mantissa; every other tag, and bignum
//     mantissas, give CBORUnsupportedTag. SkipCBOR skips any tag with its
//     content, counting it as one level of nesting.
//   - Floats of all three widths decode exactly, NaN payloads included
//     (the conversions are done on the bits, not by the FPU, which would
//     quiet a signalling NaN). AppendCBORFloat writes the shortest width
//     that holds the value exactly (RFC 8949 section 4.2.2 preferred
//     serialization; Wakaama does the same), so readers must take all
//     three.
//   - Integers keep their full range: major type 1 with argument n is the
//     value -1-n, carried as CBORNum{Neg: true, N: n} for every n up to
//     2^64-1; the accessors say when a value does not fit an int64 or
//     uint64.
//
// These functions are for iotwire's codecs only (the package is
// internal); the API changes with them.

import (
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// CBOR major types (RFC 8949 section 3.1).
const (
	CBORUint   = 0 // unsigned integer
	CBORNeg    = 1 // negative integer -1-n
	CBORBytes  = 2 // byte string
	CBORText   = 3 // UTF-8 text string
	CBORArray  = 4
	CBORMap    = 5
	CBORTag    = 6
	CBORSimple = 7 // simple values, floats and the break stop code
)

// Additional information values with a meaning of their own (RFC 8949
// sections 3 and 3.3).
const (
	CBORFalse      = 20 // simple value false (f4)
	CBORTrue       = 21 // simple value true (f5)
	CBORNull       = 22 // simple value null (f6)
	CBORUndefined  = 23 // simple value undefined (f7)
	CBORFloat16    = 25 // half-precision float follows (f9)
	CBORFloat32    = 26 // single-precision float follows (fa)
	CBORFloat64    = 27 // double-precision float follows (fb)
	CBORIndefinite = 31 // indefinite length (major 2-5) or break (major 7)
)

// CBORBreakByte is the "break" stop code that ends an indefinite-length
// item (RFC 8949 section 3.2.1).
const CBORBreakByte = 0xff

// CBORTagDecimal is the tag number of a decimal fraction (RFC 8949 section
// 3.4.4).
const CBORTagDecimal = 4

// CBORMaxSkipDepth is the deepest nesting SkipCBOR accepts whatever depth
// its caller asks for; it bounds the recursion.
const CBORMaxSkipDepth = 64

// CBORError says why a CBOR reader stopped. The zero value, CBOROK, means
// success.
type CBORError uint8

// The outcomes of the CBOR readers.
const (
	CBOROK               CBORError = iota
	CBORTruncated                  // the input ends inside the item
	CBORReservedInfo               // additional information 28, 29 or 30
	CBORBadIndefinite              // indefinite length on major type 0, 1 or 6
	CBORBadSimple                  // f8 followed by a value below 32
	CBORUnexpectedBreak            // a break where no indefinite-length item is open
	CBORBadChunk                   // a chunk of an indefinite-length string that is not a definite string of its major type
	CBORInvalidUTF8                // a text string that is not UTF-8
	CBORTooDeep                    // nesting deeper than the caller allows
	CBORWrongType                  // an item of another type than the one expected
	CBORRange                      // a number outside the range the caller can hold
	CBORUnsupportedTag             // a tag other than 4, or a decimal fraction with a bignum mantissa
	CBORIndefiniteString           // an indefinite-length string where a definite one is needed
	CBORBadDecimal                 // tag 4 content that is not an array of two integers
)

var cborErrorMsgs = [...]string{
	CBOROK:               "ok",
	CBORTruncated:        "truncated",
	CBORReservedInfo:     "reserved additional information 28-30",
	CBORBadIndefinite:    "indefinite length on an integer or tag",
	CBORBadSimple:        "two-byte simple value below 32",
	CBORUnexpectedBreak:  "break outside an indefinite-length item",
	CBORBadChunk:         "chunk of an indefinite-length string is not a definite string of the same type",
	CBORInvalidUTF8:      "text string is not UTF-8",
	CBORTooDeep:          "nesting too deep",
	CBORWrongType:        "unexpected type",
	CBORRange:            "number out of range",
	CBORUnsupportedTag:   "unsupported tag",
	CBORIndefiniteString: "indefinite-length string",
	CBORBadDecimal:       "decimal fraction is not an array of two integers",
}

var cborErrorRules = [...]string{
	CBOROK:               "",
	CBORTruncated:        "RFC 8949 3",
	CBORReservedInfo:     "RFC 8949 3: additional information 28-30 is reserved",
	CBORBadIndefinite:    "RFC 8949 3.2.4: indefinite length is for major types 2-5",
	CBORBadSimple:        "RFC 8949 3.3: f8 with a value below 32 is not well-formed",
	CBORUnexpectedBreak:  "RFC 8949 3.2.1",
	CBORBadChunk:         "RFC 8949 3.2.3",
	CBORInvalidUTF8:      "RFC 8949 3.1 major type 3, 5.3.1",
	CBORTooDeep:          "",
	CBORWrongType:        "",
	CBORRange:            "",
	CBORUnsupportedTag:   "RFC 8949 3.4",
	CBORIndefiniteString: "RFC 8949 3.2.3",
	CBORBadDecimal:       "RFC 8949 3.4.4",
}

// Msg returns a lower-case description, for error messages.
func (e CBORError) Msg() string {
	if int(e) < len(cborErrorMsgs) {
		return cborErrorMsgs[e]
	}
	return "CBORError(" + strconv.Itoa(int(e)) + ")"
}

// Rule returns the RFC 8949 section the error breaks, or "" when the limit
// is the caller's (depth, range, type).
func (e CBORError) Rule() string {
	if int(e) < len(cborErrorRules) {
		return cborErrorRules[e]
	}
	return ""
}

// RuleOr returns [CBORError.Rule], or def where that is "" (the limit is
// the caller's): def is the caller's own section.
func (e CBORError) RuleOr(def string) string {
	if r := e.Rule(); r != "" {
		return r
	}
	return def
}

// Class returns the class of e among c: Truncated for [CBORTruncated],
// Unsupported for an unsupported tag or an indefinite-length string (valid
// CBOR a codec does not take), Limit for [CBORTooDeep], Malformed for the
// rest.
func (e CBORError) Class(c *Classes) error {
	switch e {
	case CBORTruncated:
		return c.Truncated
	case CBORUnsupportedTag, CBORIndefiniteString:
		return c.Unsupported
	case CBORTooDeep:
		return c.Limit
	}
	return c.Malformed
}

// CBORHead is the head of one data item: its initial byte and argument
// (RFC 8949 section 3).
type CBORHead struct {
	Major uint8  // major type 0-7
	Info  uint8  // additional information, the low 5 bits of the initial byte
	Arg   uint64 // the argument: value, length, count, tag number, simple value or float bits; 0 for Info 31
	Off   int    // offset of the initial byte
	End   int    // offset just past the head: where a string's content or a container's first item starts
}

// Indefinite reports whether the head opens an indefinite-length string,
// array or map.
func (h CBORHead) Indefinite() bool { return h.Info == CBORIndefinite && h.Major != CBORSimple }

// IsBreak reports whether the head is the break stop code.
func (h CBORHead) IsBreak() bool { return h.Major == CBORSimple && h.Info == CBORIndefinite }

// IsFloat reports whether the head is a half, single or double float.
func (h CBORHead) IsFloat() bool {
	return h.Major == CBORSimple && h.Info >= CBORFloat16 && h.Info <= CBORFloat64
}

// ReadCBORHead reads the head of the item at b[off:]. The break code is
// returned as a head (see IsBreak), not as an error: the caller knows
// whether an indefinite-length item is open. Errors: CBORTruncated,
// CBORReservedInfo, CBORBadIndefinite, CBORBadSimple; their offset is off.
func ReadCBORHead(b []byte, off int) (CBORHead, CBORError) {
	// The one-byte heads, inlined: small integers, short strings and
	// containers, and most simple values.
	if uint(off) < uint(len(b)) {
		if c := b[off]; c&0x1f < 24 {
			return CBORHead{Major: c >> 5, Info: c & 0x1f, Arg: uint64(c & 0x1f), Off: off, End: off + 1}, CBOROK
		}
	}
	return readCBORHead(b, off)
}

// readCBORHead is ReadCBORHead for heads with an argument after the
// initial byte, the indefinite-length ones, and errors.
func readCBORHead(b []byte, off int) (CBORHead, CBORError) {
	h := CBORHead{Off: off}
	if off < 0 || off >= len(b) {
		return h, CBORTruncated
	}
	c := b[off]
	h.Major, h.Info = c>>5, c&0x1f
	n := 0
	switch {
	case h.Info < 24:
		h.Arg = uint64(h.Info)
	case h.Info <= 27:
		n = 1 << (h.Info - 24)
	case h.Info < CBORIndefinite:
		return h, CBORReservedInfo
	default:
		// RFC 8949 3.2.4: indefinite lengths for major types 2-5 only;
		// for major type 7 it is the break code.
		if h.Major < CBORBytes || h.Major == CBORTag {
			return h, CBORBadIndefinite
		}
	}
	if len(b)-off-1 < n {
		return h, CBORTruncated
	}
	p := b[off+1:]
	switch n {
	case 1:
		h.Arg = uint64(p[0])
		if h.Major == CBORSimple && h.Arg < 32 {
			return h, CBORBadSimple // RFC 8949 3.3
		}
	case 2:
		h.Arg = uint64(Uint16(p))
	case 4:
		h.Arg = uint64(Uint32(p))
	case 8:
		h.Arg = uint64(Uint32(p))<<32 | uint64(Uint32(p[4:]))
	}
	h.End = off + 1 + n
	return h, CBOROK
}

// CBORNum is a CBOR number: an integer of either major type, kept exactly,
// or a float64. For an integer, the value is N when Neg is false and -1-N
// when it is true, so every CBOR integer from -2^64 to 2^64-1 fits.
type CBORNum struct {
	Float bool    // the value is F
	Neg   bool    // for an integer: the value is -1-N
	N     uint64  // for an integer: the argument
	F     float64 // for a float
}

// Int64 returns an integer that fits an int64.
func (n CBORNum) Int64() (int64, bool) {
	switch {
	case n.Float:
		return 0, false
	case n.Neg:
		return -1 - int64(n.N), n.N <= math.MaxInt64
	}
	return int64(n.N), n.N <= math.MaxInt64
}

// Uint64 returns a non-negative integer.
func (n CBORNum) Uint64() (uint64, bool) { return n.N, !n.Float && !n.Neg }

// Float64 returns the value as a float64 and whether that is exact: always
// for a float, and for an integer when float64 holds it (every integer up
// to 2^53 in magnitude, and some beyond).
func (n CBORNum) Float64() (float64, bool) {
	if n.Float {
		return n.F, true
	}
	mag, carry := n.N, uint64(0)
	if n.Neg {
		mag, carry = bits.Add64(n.N, 1, 0) // |-1-N| = N+1, up to 2^64
	}
	f, exact := 0x1p64, true
	if carry == 0 {
		f = float64(mag) // rounded to nearest even
		exact = f < 0x1p64 && uint64(f) == mag
	}
	if n.Neg {
		f = -f
	}
	return f, exact
}

// ReadCBORNumber reads a number at b[off:]: an integer (major type 0 or 1),
// a float of any width, or a decimal fraction (tag 4, RFC 8949 section
// 3.4.4). A decimal fraction with an exponent >= 0 whose value fits the
// integer range is returned as an integer; otherwise as the float64 nearest
// to its value (CBORRange beyond the float64 range). Errors: those of
// ReadCBORHead; CBORWrongType for another item; CBORUnsupportedTag for
// another tag or a bignum mantissa; CBORBadDecimal for malformed tag 4
// content.
func ReadCBORNumber(b []byte, off int) (CBORNum, int, CBORError) {
	h, e := ReadCBORHead(b, off)
	if e != CBOROK {
		return CBORNum{}, off, e
	}
	return CBORNumberOf(b, h)
}

// CBORNumberOf is ReadCBORNumber for a head h already read from b.
func CBORNumberOf(b []byte, h CBORHead) (CBORNum, int, CBORError) {
	off := h.Off
	switch {
	case h.Major == CBORUint:
		return CBORNum{N: h.Arg}, h.End, CBOROK
	case h.Major == CBORNeg:
		return CBORNum{Neg: true, N: h.Arg}, h.End, CBOROK
	case h.IsFloat():
		return CBORNum{Float: true, F: cborFloat(h)}, h.End, CBOROK
	case h.Major == CBORTag && h.Arg == CBORTagDecimal:
		return readDecimal(b, h)
	case h.Major == CBORTag:
		return CBORNum{}, off, CBORUnsupportedTag
	}
	return CBORNum{}, off, CBORWrongType
}

// cborFloat converts the argument of a float head.
func cborFloat(h CBORHead) float64 {
	switch h.Info {
	case CBORFloat16:
		return Float16(uint16(h.Arg))
	case CBORFloat32:
		return Float32(uint32(h.Arg))
	}
	return math.Float64frombits(h.Arg)
}

// ReadCBORFloat reads a half, single or double float at b[off:].
func ReadCBORFloat(b []byte, off int) (float64, int, CBORError) {
	h, e := ReadCBORHead(b, off)
	if e != CBOROK {
		return 0, off, e
	}
	if !h.IsFloat() {
		return 0, off, CBORWrongType
	}
	return cborFloat(h), h.End, CBOROK
}

// readDecimal reads the content of tag 4, whose head is h: [exponent,
// mantissa], both integers (RFC 8949 section 3.4.4).
func readDecimal(b []byte, h CBORHead) (CBORNum, int, CBORError) {
	a, e := ReadCBORHead(b, h.End)
	if e != CBOROK {
		return CBORNum{}, a.Off, e
	}
	if a.Major != CBORArray || (!a.Indefinite() && a.Arg != 2) {
		return CBORNum{}, a.Off, CBORBadDecimal
	}
	off := a.End
	var parts [2]CBORHead
	for i := range parts {
		p, e := ReadCBORHead(b, off)
		switch {
		case e != CBOROK:
			return CBORNum{}, off, e
		case p.IsBreak():
			return CBORNum{}, off, CBORBadDecimal
		case p.Major == CBORTag && i == 1 && (p.Arg == 2 || p.Arg == 3):
			return CBORNum{}, off, CBORUnsupportedTag // bignum mantissa
		case p.Major > CBORNeg:
			return CBORNum{}, off, CBORBadDecimal
		}
		parts[i] = p
		off = p.End
	}
	if a.Indefinite() {
		p, e := ReadCBORHead(b, off)
		if e != CBOROK {
			return CBORNum{}, off, e
		}
		if !p.IsBreak() {
			return CBORNum{}, off, CBORBadDecimal
		}
		off = p.End
	}
	exp, mant := parts[0], parts[1]
	m := CBORNum{Neg: mant.Major == CBORNeg, N: mant.Arg}
	// An integer when the exponent is >= 0 and the value fits.
	if exp.Major == CBORUint && exp.Arg <= 19 {
		mag, carry := m.N, uint64(0)
		if m.Neg {
			mag, carry = bits.Add64(m.N, 1, 0) // |-1-N| = N+1
		}
		for i := uint64(0); i < exp.Arg && carry == 0; i++ {
			carry, mag = bits.Mul64(mag, 10)
		}
		if carry == 0 {
			if m.Neg {
				return CBORNum{Neg: true, N: mag - 1}, off, CBOROK
			}
			return CBORNum{N: mag}, off, CBOROK
		}
	}
	// The float64 nearest to m x 10^e, by strconv's correctly rounded
	// parser. Exponents beyond +-400 give 0 or overflow whatever the
	// 64-bit mantissa, so they are clamped to keep the text short.
	e10 := int64(exp.Arg)
	switch {
	case exp.Major == CBORNeg && exp.Arg >= 400:
		e10 = -400
	case exp.Major == CBORNeg:
		e10 = -1 - int64(exp.Arg)
	case exp.Arg >= 400:
		e10 = 400
	}
	var buf [32]byte
	t := buf[:0]
	if m.Neg {
		t = append(t, '-')
		if m.N == math.MaxUint64 {
			t = append(t, "18446744073709551616"...)
		} else {
			t = strconv.AppendUint(t, m.N+1, 10)
		}
	} else {
		t = strconv.AppendUint(t, m.N, 10)
	}
	t = append(t, 'e')
	t = strconv.AppendInt(t, e10, 10)
	f, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		return CBORNum{}, h.Off, CBORRange
	}
	return CBORNum{Float: true, F: f}, off, CBOROK
}

// ReadCBORString reads a definite-length string of the given major type
// (CBORBytes or CBORText) at b[off:] and returns its content, aliasing b
// with the capacity clipped. Text must be UTF-8 (CBORInvalidUTF8, with the
// offset of the first bad byte). An indefinite-length string gives
// CBORIndefiniteString; another item CBORWrongType.
func ReadCBORString(b []byte, off int, major uint8) ([]byte, int, CBORError) {
	h, e := ReadCBORHead(b, off)
	if e != CBOROK {
		return nil, off, e
	}
	return CBORStringOf(b, h, major)
}

// CBORStringOf is ReadCBORString for a head h already read from b.
func CBORStringOf(b []byte, h CBORHead, major uint8) ([]byte, int, CBORError) {
	off := h.Off
	switch {
	case h.Major != major:
		return nil, off, CBORWrongType
	case h.Indefinite():
		return nil, off, CBORIndefiniteString
	case h.Arg > uint64(len(b)-h.End):
		return nil, off, CBORTruncated
	}
	end := h.End + int(h.Arg)
	s := b[h.End:end:end]
	if major == CBORText {
		if bad := invalidUTF8(s); bad >= 0 {
			return nil, h.End + bad, CBORInvalidUTF8
		}
	}
	return s, end, CBOROK
}

// invalidUTF8 returns the offset of the first byte of s that does not start
// a valid UTF-8 sequence, or -1.
func invalidUTF8(s []byte) int {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) || utf8.Valid(s[i:]) {
		return -1
	}
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// SkipCBOR steps over the whole item at b[off:] and returns the offset
// just past it. It checks well-formedness (RFC 8949 Appendix F), UTF-8 in
// text strings and chunk types in indefinite-length strings; any tag is
// skipped with its content. maxDepth bounds the nesting: a scalar has
// depth 0, an array of scalars or a tagged scalar depth 1; it is capped at
// CBORMaxSkipDepth. Errors: those of ReadCBORHead, CBORUnexpectedBreak,
// CBORBadChunk, CBORInvalidUTF8 and CBORTooDeep.
func SkipCBOR(b []byte, off, maxDepth int) (int, CBORError) {
	return skipCBOR(b, off, min(maxDepth, CBORMaxSkipDepth))
}

func skipCBOR(b []byte, off, depth int) (int, CBORError) {
	h, e := ReadCBORHead(b, off)
	if e != CBOROK {
		return off, e
	}
	switch h.Major {
	case CBORUint, CBORNeg:
		return h.End, CBOROK
	case CBORBytes, CBORText:
		if !h.Indefinite() {
			_, next, e := ReadCBORString(b, off, h.Major)
			return next, e
		}
		// RFC 8949 3.2.3: a sequence of definite-length strings of the
		// same major type, then a break.
		for p := h.End; ; {
			c, e := ReadCBORHead(b, p)
			switch {
			case e != CBOROK:
				return p, e
			case c.IsBreak():
				return c.End, CBOROK
			case c.Major != h.Major || c.Indefinite():
				return p, CBORBadChunk
			}
			_, next, e := ReadCBORString(b, p, h.Major)
			if e != CBOROK {
				return next, e
			}
			p = next
		}
	case CBORArray, CBORMap, CBORTag:
		if depth <= 0 {
			return off, CBORTooDeep
		}
		if h.Major == CBORTag {
			return skipCBOR(b, h.End, depth-1)
		}
		p := h.End
		if h.Indefinite() {
			for {
				c, e := ReadCBORHead(b, p)
				if e != CBOROK {
					return p, e
				}
				if c.IsBreak() {
					return c.End, CBOROK
				}
				for range h.Major - CBORArray + 1 { // 1 item, or key and value
					if p, e = skipCBOR(b, p, depth-1); e != CBOROK {
						return p, e
					}
				}
			}
		}
		// Every item takes at least one byte: a count beyond the input is
		// truncated input, found without looping over it.
		n := h.Arg
		if h.Major == CBORMap {
			if n > math.MaxUint64/2 {
				return off, CBORTruncated
			}
			n *= 2
		}
		if n > uint64(len(b)-p) {
			return off, CBORTruncated
		}
		for range n {
			if p, e = skipCBOR(b, p, depth-1); e != CBOROK {
				return p, e
			}
		}
		return p, CBOROK
	}
	if h.IsBreak() {
		return off, CBORUnexpectedBreak
	}
	return h.End, CBOROK // simple values and floats
}

// Float16 returns the value of the IEEE 754 half-precision float with the
// given bits, exactly: subnormals, infinities and NaN payloads included.
func Float16(h uint16) float64 {
	sign := uint64(h>>15) << 63
	exp := uint64(h>>10) & 0x1f
	mant := uint64(h & 0x3ff)
	switch exp {
	case 0: // zero or subnormal: mant x 2^-24
		v := float64(mant) * 0x1p-24
		if sign != 0 {
			v = -v // -0 for the negative zero
		}
		return v
	case 0x1f: // infinity or NaN, payload kept
		return math.Float64frombits(sign | 0x7ff<<52 | mant<<42)
	}
	return math.Float64frombits(sign | (exp+1023-15)<<52 | mant<<42)
}

// Float32 returns the value of the IEEE 754 single-precision float with
// the given bits, exactly, NaN payloads included.
func Float32(x uint32) float64 {
	if x&0x7f800000 == 0x7f800000 && x&0x7fffff != 0 {
		return math.Float64frombits(uint64(x>>31)<<63 | 0x7ff<<52 | uint64(x&0x7fffff)<<29)
	}
	return float64(math.Float32frombits(x))
}

// float16Bits returns the half-precision bits of the float32 x, if x is
// exactly representable in half precision. NaN is not handled here.
func float16Bits(x uint32) (uint16, bool) {
	sign := uint16(x>>16) & 0x8000
	exp := int(x>>23) & 0xff
	mant := x & 0x7fffff
	switch {
	case exp == 0xff: // infinity (NaN handled by the caller)
		return sign | 0x7c00, mant == 0
	case exp == 0 && mant == 0:
		return sign, true
	case exp == 0: // float32 subnormal: far below the half range
		return 0, false
	}
	e := exp - 127
	switch {
	case e >= -14 && e <= 15: // half normal
		if mant&0x1fff != 0 {
			return 0, false
		}
		return sign | uint16(e+15)<<10 | uint16(mant>>13), true
	case e >= -24 && e < -14: // half subnormal: m x 2^-24
		sig := mant | 1<<23
		shift := uint(-(e + 1)) // 14..23
		if sig&(1<<shift-1) != 0 {
			return 0, false
		}
		return sign | uint16(sig>>shift), true
	}
	return 0, false
}

// cborFloatHead returns the shortest float head for f: the additional
// information (25, 26 or 27) and the bits.
func cborFloatHead(f float64) (uint8, uint64) {
	u := math.Float64bits(f)
	if f != f { // NaN: keep the payload exactly
		sign, mant := u>>63, u&(1<<52-1)
		switch {
		case mant&(1<<42-1) == 0:
			return CBORFloat16, sign<<15 | 0x1f<<10 | mant>>42
		case mant&(1<<29-1) == 0:
			return CBORFloat32, sign<<31 | 0xff<<23 | mant>>29
		}
		return CBORFloat64, u
	}
	f32 := float32(f)
	if float64(f32) != f {
		return CBORFloat64, u
	}
	x := math.Float32bits(f32)
	if h, ok := float16Bits(x); ok {
		return CBORFloat16, uint64(h)
	}
	return CBORFloat32, uint64(x)
}

// CBORFloatLen returns the length AppendCBORFloat writes for f: 3, 5 or 9.
func CBORFloatLen(f float64) int {
	info, _ := cborFloatHead(f)
	return 1 + 1<<(info-24)
}

// AppendCBORFloat appends f as a CBOR float of the shortest width that
// holds it exactly (half, single or double; RFC 8949 section 4.2.2
// preferred serialization), NaN payloads included.
func AppendCBORFloat(b []byte, f float64) []byte {
	info, v := cborFloatHead(f)
	b = append(b, CBORSimple<<5|info)
	switch info {
	case CBORFloat16:
		return AppendUint16(b, uint16(v))
	case CBORFloat32:
		return AppendUint32(b, uint32(v))
	}
	return AppendUint32(AppendUint32(b, uint32(v>>32)), uint32(v))
}

// CBORHeadLen returns the length of the shortest head for argument v: 1,
// 2, 3, 5 or 9.
func CBORHeadLen(v uint64) int {
	switch {
	case v < 24:
		return 1
	case v <= math.MaxUint8:
		return 2
	case v <= math.MaxUint16:
		return 3
	case v <= math.MaxUint32:
		return 5
	}
	return 9
}

// AppendCBORHead appends the shortest head of major type major with
// argument v (RFC 8949 section 4.2.1: preferred serialization of
// arguments). It panics if major > 7 (a programmer error).
func AppendCBORHead(b []byte, major uint8, v uint64) []byte {
	if major > 7 {
		panic("wire: AppendCBORHead major type out of range")
	}
	m := major << 5
	switch {
	case v < 24:
		return append(b, m|byte(v))
	case v <= math.MaxUint8:
		return append(b, m|24, byte(v))
	case v <= math.MaxUint16:
		return AppendUint16(append(b, m|25), uint16(v))
	case v <= math.MaxUint32:
		return AppendUint32(append(b, m|26), uint32(v))
	}
	return AppendUint32(AppendUint32(append(b, m|27), uint32(v>>32)), uint32(v))
}

// AppendCBORUint appends v as an unsigned integer (major type 0).
func AppendCBORUint(b []byte, v uint64) []byte { return AppendCBORHead(b, CBORUint, v) }

// AppendCBORInt appends v as an integer: major type 0 when v >= 0, else
// major type 1 with argument -1-v.
func AppendCBORInt(b []byte, v int64) []byte {
	if v < 0 {
		return AppendCBORHead(b, CBORNeg, uint64(-1-v))
	}
	return AppendCBORHead(b, CBORUint, uint64(v))
}

// CBORIntLen returns the length AppendCBORInt writes for v.
func CBORIntLen(v int64) int {
	if v < 0 {
		return CBORHeadLen(uint64(-1 - v))
	}
	return CBORHeadLen(uint64(v))
}

// AppendCBORNum appends n: an integer as major type 0 or 1, a float with
// AppendCBORFloat.
func AppendCBORNum(b []byte, n CBORNum) []byte {
	switch {
	case n.Float:
		return AppendCBORFloat(b, n.F)
	case n.Neg:
		return AppendCBORHead(b, CBORNeg, n.N)
	}
	return AppendCBORHead(b, CBORUint, n.N)
}

// AppendCBORString appends s as a definite-length string of major type
// major (CBORBytes or CBORText). It does not check UTF-8.
func AppendCBORString(b []byte, major uint8, s []byte) []byte {
	return append(AppendCBORHead(b, major, uint64(len(s))), s...)
}

// AppendCBORBool appends false (f4) or true (f5).
func AppendCBORBool(b []byte, v bool) []byte {
	if v {
		return append(b, CBORSimple<<5|CBORTrue)
	}
	return append(b, CBORSimple<<5|CBORFalse)
}

// AppendCBORNull appends null (f6).
func AppendCBORNull(b []byte) []byte { return append(b, CBORSimple<<5|CBORNull) }

// AppendCBORIndefinite appends the head of an indefinite-length item of
// major type 2-5; close it with AppendCBORBreak. It panics for another
// major type (a programmer error).
func AppendCBORIndefinite(b []byte, major uint8) []byte {
	if major < CBORBytes || major > CBORMap {
		panic("wire: AppendCBORIndefinite major type must be 2-5")
	}
	return append(b, major<<5|CBORIndefinite)
}

// AppendCBORBreak appends the break stop code.
func AppendCBORBreak(b []byte) []byte { return append(b, CBORBreakByte) }
