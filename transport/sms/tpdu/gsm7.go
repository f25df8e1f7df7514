package tpdu

import "unicode/utf8"

// gsm7Default is the GSM 7-bit default alphabet (3GPP TS 23.038 section
// 6.2.1). 0x1B is the escape to the extension table.
var gsm7Default = [128]rune{
	'@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
	'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', 0x1B, 'Æ', 'æ', 'ß', 'É',
	' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
	'¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
	'¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
}

const esc = 0x1B

// gsm7Ext is the extension table of the default alphabet (23.038 section
// 6.2.1.1): the code after an escape and its character.
var gsm7Ext = [...]struct {
	code byte
	r    rune
}{
	{0x0A, '\f'}, {0x14, '^'}, {0x28, '{'}, {0x29, '}'}, {0x2F, '\\'},
	{0x3C, '['}, {0x3D, '~'}, {0x3E, ']'}, {0x40, '|'}, {0x65, '€'},
}

// gsm7ASCII maps each ASCII character to its default-alphabet code, or to
// 0x80|code for one in the extension table, or 0xFF when it has none.
var gsm7ASCII = func() (t [128]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for code, r := range gsm7Default {
		if r < 128 && code != esc {
			t[r] = byte(code)
		}
	}
	for _, e := range gsm7Ext {
		if e.r < 128 {
			t[e.r] = 0x80 | e.code
		}
	}
	return t
}()

// gsm7Code returns the code of r: ext is set for a character of the
// extension table (written after an escape). ok is false when r has none.
func gsm7Code(r rune) (code byte, ext, ok bool) {
	if r < 128 {
		c := gsm7ASCII[r]
		return c & 0x7F, c&0x80 != 0, c != 0xFF
	}
	for i, d := range &gsm7Default {
		if d == r {
			return byte(i), false, true
		}
	}
	for _, e := range &gsm7Ext {
		if e.r == r {
			return e.code, true, true
		}
	}
	return 0, false, false
}

// septet returns septet i of the packed octets b that start after fill
// bits. The caller checks that it is inside b.
func septet(b []byte, fill, i int) byte {
	pos := fill + 7*i
	k, s := pos/8, uint(pos%8)
	v := b[k] >> s
	if s > 1 {
		v |= b[k+1] << (8 - s)
	}
	return v & 0x7F
}

// packedLen returns the octets that fill bits and n septets occupy.
func packedLen(fill, n int) int { return (fill + 7*n + 7) / 8 }

// AppendGSM7Text unpacks n septets of the GSM 7-bit default alphabet from
// packed, after fill bits (0-6: the fill bits after a User Data Header),
// and appends them to dst as UTF-8 (3GPP TS 23.038 section 6.1.2.1 packing,
// 6.2.1 alphabet and extension table). An escape followed by a code the
// extension table lacks reads as the default character of that code, and
// an escape at the end (or escape escape) as a space, as 6.2.1.1 tells a
// receiver to display them. It fails with ErrTruncated when packed is too
// short; dst is then returned unchanged.
func AppendGSM7Text(dst, packed []byte, fill, n int) ([]byte, error) {
	if fill < 0 || fill > 6 || n < 0 || packedLen(fill, n) > len(packed) {
		return dst, decErr("TP-UD", 0, ErrTruncated, ruleGSM7, "fewer octets than the septets need")
	}
	for i := 0; i < n; i++ {
		c := septet(packed, fill, i)
		if c != esc {
			dst = utf8.AppendRune(dst, gsm7Default[c])
			continue
		}
		i++
		if i == n {
			dst = append(dst, ' ')
			break
		}
		c = septet(packed, fill, i)
		r := gsm7Default[c]
		if c == esc {
			r = ' '
		}
		for _, e := range &gsm7Ext {
			if e.code == c {
				r = e.r
			}
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, nil
}

// GSM7Len returns the number of septets text takes in the GSM 7-bit
// default alphabet (two for a character of the extension table); ok is
// false when a character has no code.
func GSM7Len(text string) (septets int, ok bool) {
	for _, r := range text {
		_, ext, ok := gsm7Code(r)
		if !ok {
			return 0, false
		}
		septets++
		if ext {
			septets++
		}
	}
	return septets, true
}

// AppendGSM7 packs text into the GSM 7-bit default alphabet, after fill
// zero bits (0-6), and appends the octets to dst. It returns the septets
// written. A character with no code is an ErrMalformed error, and dst is
// returned unchanged.
func AppendGSM7(dst []byte, text string, fill int) (out []byte, septets int, err error) {
	n, ok := GSM7Len(text)
	if !ok {
		return dst, 0, encErr("text", ErrMalformed, ruleGSM7, "character outside the GSM 7-bit default alphabet and its extension table")
	}
	if fill < 0 || fill > 6 {
		return dst, 0, encErr("text", ErrMalformed, ruleUD, "fill bits outside 0-6")
	}
	start := len(dst)
	for range packedLen(fill, n) {
		dst = append(dst, 0)
	}
	b := dst[start:]
	i := 0
	put := func(c byte) {
		pos := fill + 7*i
		k, s := pos/8, uint(pos%8)
		b[k] |= c << s
		if s > 1 {
			b[k+1] |= c >> (8 - s)
		}
		i++
	}
	for _, r := range text {
		c, ext, _ := gsm7Code(r)
		if ext {
			put(esc)
		}
		put(c)
	}
	return dst, n, nil
}
