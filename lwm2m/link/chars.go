package link

// Character classes of the grammars this package reads, one bit each.
const (
	cPtoken uint16 = 1 << iota // ptokenchar (RFC 6690 section 2)
	cAttr                      // attr-char (RFC 8187 section 3.2.1), the characters of a parmname
	cUnres                     // unreserved (RFC 3986 section 2.3)
	cSub                       // sub-delims (RFC 3986 section 2.2)
	cGen                       // gen-delims (RFC 3986 section 2.2)
	cHex                       // HEXDIG
	cAlpha                     // ALPHA
	cDigit                     // DIGIT
	cMime                      // mime-charsetc (RFC 8187 section 3.2.1)
	cScheme                    // ALPHA / DIGIT / "+" / "-" / "." (RFC 3986 section 3.1)
)

var class = func() (t [256]uint16) {
	set := func(chars string, bits uint16) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] |= bits
		}
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= cAlpha | cPtoken | cAttr | cUnres | cMime | cScheme
		t[c-'a'+'A'] |= cAlpha | cPtoken | cAttr | cUnres | cMime | cScheme
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= cDigit | cHex | cPtoken | cAttr | cUnres | cMime | cScheme
	}
	set("abcdefABCDEF", cHex)
	set("!#$%&'()*+-./:<=>?@[]^_`{|}~", cPtoken)
	set("!#$&+-.^_`|~", cAttr)
	set("-._~", cUnres)
	set("!$&'()*+,;=", cSub)
	set(":/?#[]@", cGen)
	set("!#$%&+-^_`{}~", cMime)
	set("+-.", cScheme)
	return t
}()

func is(c byte, bits uint16) bool { return class[c]&bits != 0 }

// isWhitespace reports the characters that RFC 6690 section 2 removes when
// it converts an HTTP Link header (linear whitespace), for a clearer error.
func isWhitespace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
