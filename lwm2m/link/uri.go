package link

// checkURI validates s as an RFC 3986 URI-reference (section 4.1) or, with
// absolute set, as a URI with a scheme (section 3). It returns -1 and "" when
// s is valid, else the offset in s of the first fault and what is wrong.
//
// The check follows the collected ABNF of RFC 3986 Appendix A, except that
// an IP-literal is only checked for its characters (HEXDIG, ":" and "." for
// IPv6, the IPvFuture shape otherwise), not for the IPv6 address grammar.
func checkURI[S string | []byte](s S, absolute bool) (int, string) {
	// Characters and percent-encodings (sections 2.1 to 2.3).
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) || !is(s[i+1], cHex) || !is(s[i+2], cHex) {
				return i, "'%' not followed by two hexadecimal digits"
			}
			i += 2
			continue
		}
		if !is(c, cUnres|cSub|cGen) {
			return i, "character not allowed in a URI"
		}
	}
	end := len(s)
	// Fragment: *( pchar / "/" / "?" ), section 3.5.
	if f := indexByte(s, '#'); f >= 0 {
		if i := indexAny(s[f+1:], "#[]"); i >= 0 {
			return f + 1 + i, "character not allowed in a fragment"
		}
		end = f
	}
	// Query: *( pchar / "/" / "?" ), section 3.4.
	if q := indexByte(s[:end], '?'); q >= 0 {
		if i := indexAny(s[q+1:end], "[]"); i >= 0 {
			return q + 1 + i, "character not allowed in a query"
		}
		end = q
	}
	h := s[:end]
	// Scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":", section 3.1.
	start := 0
	if len(h) > 0 && is(h[0], cAlpha) {
		j := 1
		for j < len(h) && is(h[j], cScheme) {
			j++
		}
		if j < len(h) && h[j] == ':' {
			start = j + 1
		}
	}
	if start == 0 {
		if absolute {
			return 0, "URI has no scheme"
		}
		// path-noscheme: no ':' in the first segment (section 4.2).
		first := h
		if k := indexByte(h, '/'); k >= 0 {
			first = h[:k]
		}
		if k := indexByte(first, ':'); k >= 0 {
			return k, "':' in the first segment of a relative reference"
		}
	}
	p := start
	if len(h)-start >= 2 && h[start] == '/' && h[start+1] == '/' {
		a := start + 2
		e := len(h)
		if k := indexByte(h[a:], '/'); k >= 0 {
			e = a + k
		}
		if off, msg := checkAuthority(h[a:e]); off >= 0 {
			return a + off, msg
		}
		p = e
	}
	// path-abempty, path-absolute, path-rootless, path-noscheme: segments of
	// pchar, which excludes '[' and ']' (the other gen-delims end the path).
	if i := indexAny(h[p:], "[]"); i >= 0 {
		return p + i, "character not allowed in a path"
	}
	return -1, ""
}

// checkAuthority validates [ userinfo "@" ] host [ ":" port ] (section 3.2).
func checkAuthority[S string | []byte](a S) (int, string) {
	h := 0
	if at := indexByte(a, '@'); at >= 0 {
		if i := indexAny(a[:at], "[]"); i >= 0 {
			return i, "character not allowed in userinfo"
		}
		h = at + 1
	}
	port := -1
	if h < len(a) && a[h] == '[' {
		e := indexByte(a[h:], ']')
		if e < 0 {
			return h, "IP-literal without ']'"
		}
		if off, msg := checkIPLiteral(a[h+1 : h+e]); off >= 0 {
			return h + 1 + off, msg
		}
		r := h + e + 1
		if r < len(a) {
			if a[r] != ':' {
				return r, "IP-literal not followed by ':' or the end of the authority"
			}
			port = r + 1
		}
	} else {
		e := len(a)
		if k := indexByte(a[h:], ':'); k >= 0 {
			e = h + k
			port = e + 1
		}
		// reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4address fits it.
		if i := indexAny(a[h:e], "@[]"); i >= 0 {
			return h + i, "character not allowed in a host"
		}
	}
	if port >= 0 {
		for i := port; i < len(a); i++ {
			if !is(a[i], cDigit) {
				return i, "port is not decimal"
			}
		}
	}
	return -1, ""
}

// checkIPLiteral validates the inside of "[...]": IPv6address (characters
// only) or IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ).
func checkIPLiteral[S string | []byte](l S) (int, string) {
	if len(l) > 0 && (l[0] == 'v' || l[0] == 'V') {
		i := 1
		for i < len(l) && is(l[i], cHex) {
			i++
		}
		if i == 1 || i >= len(l) || l[i] != '.' || i+1 == len(l) {
			return i, "malformed IPvFuture"
		}
		for j := i + 1; j < len(l); j++ {
			if !is(l[j], cUnres|cSub) && l[j] != ':' {
				return j, "character not allowed in IPvFuture"
			}
		}
		return -1, ""
	}
	colon := false
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c == ':':
			colon = true
		case c == '.' || is(c, cHex):
		default:
			return i, "character not allowed in an IPv6 address"
		}
	}
	if !colon {
		return 0, "IP-literal is not an IPv6 address"
	}
	return -1, ""
}

func indexAny[S string | []byte](s S, chars string) int {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return i
			}
		}
	}
	return -1
}

func indexByte[S string | []byte](s S, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
