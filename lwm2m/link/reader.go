package link

import (
	"bytes"
	"unicode/utf8"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// Reader iterates over the link-values of a CoRE Link Format payload. It is
// a small value that holds no state beyond an offset: copy it to save the
// parsing state.
//
//	r := link.NewReader(payload)
//	for r.Next() {
//		l := r.Link()
//		for it := l.Params(); it.Next(); {
//			p := it.Param()
//		}
//	}
//	if err := r.Err(); err != nil { ... }
//
// Next checks each link-value in full (target, every parameter, every
// quoted-string) before it returns it, so a Link never holds a malformed
// parameter and its Params iterator needs no error. An empty payload holds
// no links and no error (the link-value-list of RFC 6690 section 2 is
// optional).
type Reader struct {
	b   []byte
	off int // 0, the ',' after the last link, or len(b)
	n   int // links returned
	err error
	cur Link
}

// NewReader returns a Reader over payload. The links it returns alias
// payload.
func NewReader(payload []byte) Reader { return Reader{b: payload} }

// Next reads the next link-value. It returns false at the end of the
// payload or at the first error, which Err then reports.
func (r *Reader) Next() bool {
	if r.err != nil || r.off >= len(r.b) {
		return false
	}
	i := r.off
	if r.n > 0 {
		i++ // the ',' that ended the previous link-value
		if i == len(r.b) {
			r.err = truncated("link", i, ruleLink, "payload ends after ','")
			r.cur = Link{}
			return false
		}
	}
	l, end, err := scanLink(r.b, i)
	if err != nil {
		r.err, r.cur = err, Link{}
		return false
	}
	r.cur, r.off = l, end
	r.n++
	return true
}

// Link returns the link-value read by the last successful call to Next.
func (r *Reader) Link() Link { return r.cur }

// Err returns the error that stopped Next, or nil at the end of the payload.
func (r *Reader) Err() error { return r.err }

// Offset returns the number of payload bytes taken by the links read so
// far: 0 before the first, then the offset of the ',' after the last link
// returned, or the payload length after the last one.
func (r *Reader) Offset() int { return r.off }

// Link is one link-value. Target is the URI-Reference between '<' and '>'
// (RFC 6690 section 2), without the angle brackets; it and the parameters
// alias the payload given to [NewReader], with their capacity clipped, and
// are valid until that buffer is reused.
//
// A Link is only ever filled by a Reader, which has checked it: its
// parameters are well formed. The zero Link has an empty target and no
// parameters.
type Link struct {
	Target []byte
	Offset int // offset of '<' in the payload

	params []byte // from just after '>' to the end of the link-value
	pbase  int    // offset of params in the payload
}

// Params returns an iterator over the link's parameters in wire order.
func (l Link) Params() Params { return Params{b: l.params, base: l.pbase} }

// Param returns the first parameter called name.
func (l Link) Param(name string) (Param, bool) {
	for it := l.Params(); it.Next(); {
		if p := it.Param(); string(p.Name) == name {
			return p, true
		}
	}
	return Param{}, false
}

// Path parses the target as an LwM2M path ("/3/0/1"; "/" and "" are the
// root), with lwm2m/path. Its errors are [*path.Error] values whose Offset
// is rebased to the payload.
func (l Link) Path() (path.Path, error) { return l.PathUnder(nil) }

// PathUnder parses the target as an LwM2M path below root, the alternate
// path a client announces in its Register payload with a link such as
// </lwm2m>;rt="oma.lwm2m" (LwM2M Core 6.2.1): with root "/lwm2m", the
// target "/lwm2m/3/0" is the path /3/0 and "/lwm2m" the root path. A nil,
// empty or "/" root is the plain [Link.Path]. A target outside root is an
// [*Error] wrapping [ErrMalformed].
func (l Link) PathUnder(root []byte) (path.Path, error) {
	for len(root) > 0 && root[len(root)-1] == '/' {
		root = root[:len(root)-1]
	}
	t := l.Target
	if len(root) > 0 && (!bytes.HasPrefix(t, root) || len(t) > len(root) && t[len(root)] != '/') {
		return path.Path{}, malformed("target", l.Offset+1, "LwM2M Core 6.2.1", "target is not below the LwM2M root path")
	}
	p, err := path.ParseBytes(t[len(root):])
	if err != nil {
		if pe, ok := err.(*path.Error); ok {
			pe.Offset += l.Offset + 1 + len(root)
		}
		return path.Path{}, err
	}
	return p, nil
}

// Params iterates over the parameters of one link. It is a small value;
// copy it to save the position.
type Params struct {
	b    []byte
	off  int
	base int
	cur  Param
}

// Next reads the next parameter and reports whether there was one.
func (it *Params) Next() bool {
	b := it.b
	if it.off >= len(b) || b[it.off] != ';' {
		return false
	}
	i := it.off + 1
	n := i
	for i < len(b) && (is(b[i], cAttr) || b[i] == '*') {
		i++
	}
	p := Param{Name: b[n:i:i], Offset: it.base + n}
	if i < len(b) && b[i] == '=' {
		i++
		p.HasValue = true
		if i < len(b) && b[i] == '"' {
			v := i + 1
			i = v
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i, len(b))
			p.Value, p.Quoted = b[v:i:i], true
			i = min(i+1, len(b))
		} else {
			v := i
			for i < len(b) && b[i] != ';' {
				i++
			}
			p.Value = b[v:i:i]
		}
	}
	it.cur, it.off = p, i
	return true
}

// Param returns the parameter read by the last successful call to Next.
func (it *Params) Param() Param { return it.cur }

// Param is one link-param: a name, and an optional value that is a ptoken,
// a quoted-string or, for a name ending in '*', an ext-value (RFC 6690
// section 2, RFC 8187 section 3.2).
//
// Value holds the bytes as they are on the wire: for a quoted-string, the
// bytes between the quotes with any quoted-pair escapes ("\"" and "\\")
// still in place. [AppendUnquoted] removes them; since neither a ptoken nor
// an ext-value can hold a backslash, it may be applied to any Value. Name
// and Value alias the payload.
type Param struct {
	Name     []byte
	Value    []byte
	HasValue bool // the parameter has "=" and a value
	Quoted   bool // the value was a quoted-string
	Offset   int  // offset of Name in the payload
}

// AppendValue appends the value of p, quoted-pair escapes removed, to dst.
func (p Param) AppendValue(dst []byte) []byte { return AppendUnquoted(dst, p.Value) }

// valueOffset returns the offset of the first byte of Value in the payload.
func (p Param) valueOffset() int {
	o := p.Offset + len(p.Name) + 1
	if p.Quoted {
		o++
	}
	return o
}

// AppendUnquoted appends value to dst with the quoted-pair escapes of a
// quoted-string removed (RFC 7230 section 3.2.6): each backslash is dropped
// and the byte after it kept. A trailing lone backslash, which a checked
// quoted-string cannot hold, is kept.
func AppendUnquoted(dst, value []byte) []byte {
	for {
		i := bytes.IndexByte(value, '\\')
		if i < 0 || i+1 == len(value) {
			return append(dst, value...)
		}
		dst = append(dst, value[:i]...)
		dst = append(dst, value[i+1])
		value = value[i+2:]
	}
}

// scanLink checks the link-value that starts at b[i] and returns it and the
// offset just after it.
func scanLink(b []byte, i int) (Link, int, error) {
	if b[i] != '<' {
		switch {
		case isWhitespace(b[i]):
			return Link{}, 0, malformed("link", i, ruleLink, "whitespace outside a quoted-string")
		case b[i] == ',':
			return Link{}, 0, malformed("link", i, ruleLink, "empty link-value")
		}
		return Link{}, 0, malformed("link", i, ruleLink, "link-value does not start with '<'")
	}
	t := i + 1
	e := bytes.IndexByte(b[t:], '>')
	if e < 0 {
		for j := t; j < len(b); j++ {
			if !is(b[j], cUnres|cSub|cGen) && b[j] != '%' {
				return Link{}, 0, malformed("target", j, ruleURIRef, "character not allowed in a URI")
			}
		}
		return Link{}, 0, truncated("target", i, ruleLink, "payload ends inside the target (no '>')")
	}
	target := b[t : t+e : t+e]
	if off, msg := checkURI(target, false); off >= 0 {
		return Link{}, 0, malformed("target", t+off, ruleURIRef, msg)
	}
	j := t + e + 1
	ps := j
	for j < len(b) && b[j] == ';' {
		var err error
		if j, err = scanParam(b, j+1); err != nil {
			return Link{}, 0, err
		}
	}
	if j < len(b) && b[j] != ',' {
		if isWhitespace(b[j]) {
			return Link{}, 0, malformed("link", j, ruleLink, "whitespace outside a quoted-string")
		}
		return Link{}, 0, malformed("link", j, ruleLink, "expected ';', ',' or the end of the payload")
	}
	return Link{Target: target, Offset: i, params: b[ps:j:j], pbase: ps}, j, nil
}

// scanParam checks the link-param that starts at b[i], just after its ';',
// and returns the offset just after it:
//
//	link-extension = ( parmname [ "=" ( ptoken / quoted-string ) ] )
//	               / ( ext-name-star "=" ext-value )
//	ext-name-star  = parmname "*"
func scanParam(b []byte, i int) (int, error) {
	n := i
	for i < len(b) && is(b[i], cAttr) {
		i++
	}
	if i == n {
		switch {
		case i == len(b):
			return 0, truncated("parameter", i, ruleLink, "payload ends after ';'")
		case isWhitespace(b[i]):
			return 0, malformed("parameter", i, ruleLink, "whitespace outside a quoted-string")
		}
		return 0, malformed("parameter", i, ruleLink, "parameter name is not a parmname")
	}
	star := i < len(b) && b[i] == '*'
	if star {
		i++
	}
	if i == len(b) || b[i] != '=' {
		if !star {
			return i, nil
		}
		if i == len(b) {
			return 0, truncated("parameter", i, ruleExtValue, "payload ends before the ext-value")
		}
		return 0, malformed("parameter", i, ruleExtValue, "parameter name ending in '*' needs '=' and an ext-value")
	}
	i++
	if i == len(b) {
		return 0, truncated("parameter", i, ruleLink, "payload ends after '='")
	}
	switch {
	case star && b[i] == '"':
		return 0, malformed("parameter", i, ruleExtValue, "an ext-value is not quoted")
	case star:
		v := i
		for i < len(b) && is(b[i], cPtoken) {
			i++
		}
		if off, msg := checkExtValue(b[v:i]); off >= 0 {
			return 0, malformed("parameter", v+off, ruleExtValue, msg)
		}
		return i, nil
	case b[i] == '"':
		return scanQuoted(b, i)
	}
	v := i
	for i < len(b) && is(b[i], cPtoken) {
		i++
	}
	if i == v {
		if isWhitespace(b[i]) {
			return 0, malformed("parameter", i, ruleLink, "whitespace outside a quoted-string")
		}
		return 0, malformed("parameter", i, ruleLink, "value is neither a ptoken nor a quoted-string")
	}
	return i, nil
}

// scanQuoted checks the quoted-string that starts at b[q] and returns the
// offset after its closing quote (RFC 7230 section 3.2.6):
//
//	quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//	qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//	quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
//
// The bytes it stands for must be UTF-8, the charset of the link format.
func scanQuoted(b []byte, q int) (int, error) {
	var u utf8Check
	for i := q + 1; ; {
		if i >= len(b) {
			return 0, truncated("quoted-string", q, ruleQuoted, "payload ends inside a quoted-string")
		}
		c := b[i]
		switch {
		case c == '"':
			if u.n != 0 {
				return 0, malformed("quoted-string", u.start, ruleLink, "quoted-string is not UTF-8")
			}
			return i + 1, nil
		case c == '\\':
			if i+1 >= len(b) {
				return 0, truncated("quoted-string", q, ruleQuoted, "payload ends inside a quoted-string")
			}
			if isCTL(b[i+1]) {
				return 0, malformed("quoted-string", i+1, ruleQuoted, "control character in a quoted-pair")
			}
			if !u.add(b[i+1], i+1) {
				return 0, malformed("quoted-string", u.start, ruleLink, "quoted-string is not UTF-8")
			}
			i += 2
		case isCTL(c):
			return 0, malformed("quoted-string", i, ruleQuoted, "control character in a quoted-string")
		default:
			if !u.add(c, i) {
				return 0, malformed("quoted-string", u.start, ruleLink, "quoted-string is not UTF-8")
			}
			i++
		}
	}
}

// isCTL reports the octets that neither qdtext nor quoted-pair admit: the
// controls other than HTAB, and DEL.
func isCTL(c byte) bool { return c < 0x20 && c != '\t' || c == 0x7f }

// utf8Check validates a byte stream as UTF-8 one byte at a time, so that
// the bytes a quoted-pair stands for are checked as well.
type utf8Check struct {
	buf   [utf8.UTFMax]byte
	n     int
	start int // offset of the lead byte of the pending sequence
}

func (u *utf8Check) add(c byte, off int) bool {
	if u.n == 0 {
		if c < utf8.RuneSelf {
			return true
		}
		u.start = off
	}
	u.buf[u.n] = c
	u.n++
	if !utf8.FullRune(u.buf[:u.n]) {
		return true
	}
	if r, size := utf8.DecodeRune(u.buf[:u.n]); r == utf8.RuneError && size <= 1 {
		return false
	}
	u.n = 0
	return true
}

// checkExtValue validates v as an ext-value (RFC 8187 section 3.2.1):
//
//	ext-value   = charset "'" [ language ] "'" value-chars
//	charset     = "UTF-8" / mime-charset
//	value-chars = *( pct-encoded / attr-char )
//
// The language is checked for the shape of a Language-Tag (RFC 5646):
// subtags of 1 to 8 letters and digits separated by '-', the first of
// letters only.
func checkExtValue[S string | []byte](v S) (int, string) {
	i := 0
	for i < len(v) && is(v[i], cMime) {
		i++
	}
	if i == 0 {
		return 0, "ext-value has no charset"
	}
	if i == len(v) || v[i] != '\'' {
		return i, "ext-value charset not followed by \"'\""
	}
	i++
	l := i
	for i < len(v) && v[i] != '\'' {
		i++
	}
	if i == len(v) {
		return i, "ext-value language not followed by \"'\""
	}
	if off, msg := checkLanguage(v[l:i]); off >= 0 {
		return l + off, msg
	}
	for i++; i < len(v); i++ {
		switch {
		case v[i] == '%':
			if i+2 >= len(v) || !is(v[i+1], cHex) || !is(v[i+2], cHex) {
				return i, "'%' not followed by two hexadecimal digits"
			}
			i += 2
		case !is(v[i], cAttr):
			return i, "character not allowed in an ext-value"
		}
	}
	return -1, ""
}

// checkLanguage checks the shape of an optional Language-Tag.
func checkLanguage[S string | []byte](l S) (int, string) {
	sub, dash := 0, false
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c == '-' && sub > 0 && i+1 < len(l):
			sub, dash = 0, true
			continue
		case is(c, cAlpha), is(c, cDigit) && dash:
		default:
			return i, "ext-value language is not a language tag"
		}
		if sub++; sub > 8 {
			return i, "ext-value language subtag longer than 8 characters"
		}
	}
	return -1, ""
}
