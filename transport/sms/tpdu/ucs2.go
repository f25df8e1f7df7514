package tpdu

import (
	"unicode/utf16"
	"unicode/utf8"
)

// AppendUCS2Text appends the UCS-2 text b (3GPP TS 23.038 section 6.2.3)
// to dst as UTF-8. It reads b as UTF-16BE, as phones send characters
// outside the BMP as surrogate pairs. An odd length or an unpaired
// surrogate is an ErrMalformed error, with the offset in b; dst is then
// returned unchanged.
func AppendUCS2Text(dst, b []byte) ([]byte, error) {
	if len(b)%2 != 0 {
		return dst, decErr("TP-UD", len(b)-1, ErrMalformed, ruleUCS2, "odd number of octets in UCS-2 text")
	}
	start := len(dst)
	for i := 0; i < len(b); i += 2 {
		r := rune(b[i])<<8 | rune(b[i+1])
		if utf16.IsSurrogate(r) {
			var r2 rune
			if r < 0xDC00 && i+3 < len(b) {
				r2 = rune(b[i+2])<<8 | rune(b[i+3])
			}
			r = utf16.DecodeRune(r, r2)
			if r == utf8.RuneError {
				return dst[:start], decErr("TP-UD", i, ErrMalformed, ruleUCS2, "unpaired UTF-16 surrogate")
			}
			i += 2
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, nil
}

// UCS2Len returns the octets text takes in UTF-16BE.
func UCS2Len(text string) int {
	n := 0
	for _, r := range text {
		n += 2 * utf16.RuneLen(r)
	}
	return n
}

// AppendUCS2 appends text as UTF-16BE (UCS-2, with surrogate pairs for
// characters outside the BMP). Invalid UTF-8 is written as U+FFFD.
func AppendUCS2(dst []byte, text string) []byte {
	for _, r := range text {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = append(dst, byte(r1>>8), byte(r1), byte(r2>>8), byte(r2))
			continue
		}
		dst = append(dst, byte(r>>8), byte(r))
	}
	return dst
}
