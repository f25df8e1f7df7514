package link

import (
	"math"
	"strconv"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// Writer appends links in the canonical form (see the package
// documentation) to a byte slice. Its methods record the first error and
// ignore every call after it; Bytes reports it:
//
//	var w link.Writer
//	w.Reset(buf[:0])
//	w.Link("/")
//	w.Param("rt", link.ResourceTypeLwM2M)
//	w.Uint("ct", 11543)
//	w.PathLink(path.Instance(3, 0))
//	payload, err := w.Bytes()
//
// Param quotes a value when it is empty, holds a character outside
// ptokenchar, or belongs to a parameter that is always quoted (anchor, if,
// rel, rev, rt, title, uri), and escapes '"' and '\' in it. It checks the
// link-format grammar, not the meaning of LwM2M attributes: use [Writer.Attrs]
// for checked typed values. A Writer is a small value that does not
// allocate; it never modifies the bytes of the slice given to Reset.
type Writer struct {
	b     []byte
	start int
	links int
	err   error
}

// Reset starts a new payload appended to dst.
func (w *Writer) Reset(dst []byte) { *w = Writer{b: dst, start: len(dst)} }

// Len returns the number of bytes appended since Reset.
func (w *Writer) Len() int { return len(w.b) - w.start }

// Err returns the first error, or nil.
func (w *Writer) Err() error { return w.err }

// Bytes returns the slice given to Reset with the payload appended, or, after
// an error, that slice unchanged and the error.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return w.b[:w.start], w.err
	}
	return w.b, nil
}

func (w *Writer) fail(field, rule, msg string) { w.failClass(field, rule, msg, ErrMalformed) }

func (w *Writer) failClass(field, rule, msg string, class error) {
	if w.err == nil {
		w.err = &Error{Field: field, Offset: -1, Rule: rule, Msg: msg, Err: class}
	}
}

// Link starts a link-value with target, a URI-Reference written without
// change between '<' and '>'.
func (w *Writer) Link(target string) { writeLink(w, target) }

// LinkBytes is Link for a byte slice.
func (w *Writer) LinkBytes(target []byte) { writeLink(w, target) }

// PathLink starts a link-value whose target is the LwM2M path p, such as
// </3/0> ("</>" for the root).
func (w *Writer) PathLink(p path.Path) {
	if w.err != nil {
		return
	}
	if w.links > 0 {
		w.b = append(w.b, ',')
	}
	w.b, _ = p.AppendText(append(w.b, '<'))
	w.b = append(w.b, '>')
	w.links++
}

func writeLink[S string | []byte](w *Writer, t S) {
	if w.err != nil {
		return
	}
	if off, msg := checkURI(t, false); off >= 0 {
		w.fail("target", ruleURIRef, msg)
		return
	}
	if w.links > 0 {
		w.b = append(w.b, ',')
	}
	w.b = append(append(append(w.b, '<'), t...), '>')
	w.links++
}

// Param appends ;name=value to the current link. A name ending in '*'
// takes an ext-value (RFC 8187 section 3.2.1), which is written unquoted.
func (w *Writer) Param(name, value string) { writeParam(w, name, value, true, false) }

// ParamBytes is Param for a byte-slice value.
func (w *Writer) ParamBytes(name string, value []byte) { writeParam(w, name, value, true, false) }

// Flag appends ;name, a parameter without a value, such as "obs".
func (w *Writer) Flag(name string) { writeParam(w, name, "", false, false) }

// Uint appends ;name=v in decimal.
func (w *Writer) Uint(name string, v uint64) {
	if w.name(name, true) {
		w.b = strconv.AppendUint(w.b, v, 10)
	}
}

// Int appends ;name=v in decimal.
func (w *Writer) Int(name string, v int64) {
	if w.name(name, true) {
		w.b = strconv.AppendInt(w.b, v, 10)
	}
}

// Float appends ;name=v as a decimal without exponent, the shortest that
// parses back to v, such as gt=42.2. NaN and infinities are an error.
func (w *Writer) Float(name string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.failClass(name, ruleAttrs, "value is not a finite number", ErrAttribute)
		return
	}
	if w.name(name, true) {
		w.b = strconv.AppendFloat(w.b, v, 'f', -1, 64)
	}
}

// Version appends ;name=v, such as ver=1.1.
func (w *Writer) Version(name string, v Version) {
	if w.name(name, true) {
		w.b, _ = v.AppendText(w.b)
	}
}

// name appends ";name" and, with eq, "=", after checking that a link is
// open and that name is a parmname (typed values are never ext-values).
func (w *Writer) name(name string, eq bool) bool {
	if w.err != nil {
		return false
	}
	if w.links == 0 {
		w.fail("parameter", ruleLink, "parameter before the first link")
		return false
	}
	if !validName(name) || name[len(name)-1] == '*' {
		w.fail("parameter", ruleLink, "parameter name is not a parmname")
		return false
	}
	w.b = append(append(w.b, ';'), name...)
	if eq {
		w.b = append(w.b, '=')
	}
	return true
}

func validName[S string | []byte](name S) bool {
	n := len(name)
	if n > 1 && name[n-1] == '*' {
		n--
	}
	if n == 0 {
		return false
	}
	for i := 0; i < n; i++ {
		if !is(name[i], cAttr) {
			return false
		}
	}
	return true
}

// alwaysQuoted reports the parameters whose values are written as
// quoted-strings even when they are tokens: those RFC 6690 section 2 shows
// quoted (anchor, title, and relation-types in the form that lists several
// types), and the LwM2M Server URI, quoted in every example of LwM2M Core.
func alwaysQuoted[S string | []byte](name S) bool {
	for _, n := range [...]string{"rt", "if", "rel", "rev", "anchor", "title", "uri"} {
		if equal(name, n) {
			return true
		}
	}
	return false
}

// writeParam appends ;name[=value]. With escaped set, value is a wire value
// whose backslashes are quoted-pair escapes (Param.Value); otherwise every
// byte of value stands for itself.
func writeParam[N, V string | []byte](w *Writer, name N, value V, hasValue, escaped bool) {
	if w.err != nil {
		return
	}
	if w.links == 0 {
		w.fail("parameter", ruleLink, "parameter before the first link")
		return
	}
	if !validName(name) {
		w.fail("parameter", ruleLink, "parameter name is not a parmname")
		return
	}
	star := name[len(name)-1] == '*'
	if star && !hasValue {
		w.fail("parameter", ruleExtValue, "parameter name ending in '*' needs an ext-value")
		return
	}
	mark := len(w.b)
	w.b = append(append(w.b, ';'), name...)
	if !hasValue {
		return
	}
	w.b = append(w.b, '=')
	if star {
		if off, _ := checkExtValue(value); off >= 0 {
			w.b = w.b[:mark]
			w.fail("parameter", ruleExtValue, "value is not an ext-value")
			return
		}
		w.b = append(w.b, value...)
		return
	}
	token := len(value) > 0 && !alwaysQuoted(name)
	var u utf8Check
	for i := 0; i < len(value); i++ {
		c := value[i]
		if escaped && c == '\\' && i+1 < len(value) {
			i++
			c = value[i]
		}
		if isCTL(c) {
			w.b = w.b[:mark]
			w.fail("parameter", ruleQuoted, "value holds a control character, which a quoted-string cannot carry")
			return
		}
		if !u.add(c, i) {
			w.b = w.b[:mark]
			w.fail("parameter", ruleLink, "value is not UTF-8")
			return
		}
		if !is(c, cPtoken) {
			token = false
		}
	}
	if u.n != 0 {
		w.b = w.b[:mark]
		w.fail("parameter", ruleLink, "value is not UTF-8")
		return
	}
	if token {
		for i := 0; i < len(value); i++ {
			c := value[i]
			if escaped && c == '\\' && i+1 < len(value) {
				i++
				c = value[i]
			}
			w.b = append(w.b, c)
		}
		return
	}
	w.b = append(w.b, '"')
	for i := 0; i < len(value); i++ {
		c := value[i]
		if escaped && c == '\\' && i+1 < len(value) {
			i++
			c = value[i]
		}
		if c == '"' || c == '\\' {
			w.b = append(w.b, '\\')
		}
		w.b = append(w.b, c)
	}
	w.b = append(w.b, '"')
}

// CopyLink appends l, a link read by a [Reader], in canonical form: the
// same target, the same parameters in the same order, each value quoted
// or not by the rule of Param.
func (w *Writer) CopyLink(l Link) {
	writeLink(w, l.Target)
	for it := l.Params(); it.Next(); {
		p := it.Param()
		writeParam(w, p.Name, p.Value, p.HasValue, true)
	}
}

// Attrs appends the attributes of a that are in a.Set, in the order of the
// [Attr] constants, after checking them as [Link.Attrs] does: integers
// within their ranges, finite decimals, a non-negative step, valid
// relation-types, ct-value and URIs. The byte-slice fields are taken as
// [Attrs] documents them, so a backslash in one is an escape.
func (w *Writer) Attrs(a *Attrs) {
	for k := range attrDefs {
		bit := Attr(1) << k
		if a.Set&bit == 0 || w.err != nil {
			continue
		}
		d := &attrDefs[k]
		switch bit {
		case AttrVer:
			w.Version(d.name, a.Ver)
		case AttrLwM2M:
			w.Version(d.name, a.LwM2M)
		case AttrDim:
			w.Uint(d.name, uint64(a.Dim))
		case AttrSSID, AttrPmin, AttrPmax, AttrEpmin, AttrEpmax, AttrHqmax:
			w.attrInt(d, bit, a)
		case AttrSz:
			w.Uint(d.name, a.Sz)
		case AttrGt:
			w.Float(d.name, a.Gt)
		case AttrLt:
			w.Float(d.name, a.Lt)
		case AttrSt:
			if a.St < 0 {
				w.failClass(d.name, d.rule, "step is negative", ErrAttribute)
				continue
			}
			w.Float(d.name, a.St)
		case AttrEdge, AttrCon:
			v := a.Edge
			if bit == AttrCon {
				v = a.Con
			}
			x := uint64(0)
			if v {
				x = 1
			}
			w.Uint(d.name, x)
		default:
			w.attrString(d, bit, a)
		}
	}
}

func (w *Writer) attrInt(d *attrDef, bit Attr, a *Attrs) {
	var v int64
	switch bit {
	case AttrSSID:
		v = int64(a.SSID)
	case AttrPmin:
		v = a.Pmin
	case AttrPmax:
		v = a.Pmax
	case AttrEpmin:
		v = a.Epmin
	case AttrEpmax:
		v = a.Epmax
	case AttrHqmax:
		v = a.Hqmax
	}
	if v < int64(d.min) || uint64(v) > d.max {
		w.failClass(d.name, d.rule, d.rangeMsg, ErrAttribute)
		return
	}
	w.Int(d.name, v)
}

func (w *Writer) attrString(d *attrDef, bit Attr, a *Attrs) {
	var raw []byte
	switch bit {
	case AttrURI:
		raw = a.URI
	case AttrRT:
		raw = a.RT
	case AttrIf:
		raw = a.If
	case AttrCT:
		raw = a.CT
	case AttrRel:
		raw = a.Rel
	case AttrRev:
		raw = a.Rev
	case AttrAnchor:
		raw = a.Anchor
	}
	v := raw
	var buf [MaxEscapedValue]byte
	if hasEscape(raw) {
		if unquotedLen(raw) > len(buf) {
			w.failClass(d.name, d.rule, "escaped value longer than 256 bytes", ErrLimit)
			return
		}
		v = AppendUnquoted(buf[:0], raw)
	}
	if off, msg := checkKind(d.kind, v); off >= 0 {
		w.failClass(d.name, d.rule, msg, ErrAttribute)
		return
	}
	writeParam(w, d.name, raw, true, true)
}

// AppendCanonical appends the canonical form of payload to dst: the same
// links, parameters and values, with no needless quotes or escapes and the
// quoting of Param (see the package documentation). Parsing the result
// gives the same links as parsing payload, and AppendCanonical of the
// result is the result itself. On error it returns dst unchanged.
func AppendCanonical(dst, payload []byte) ([]byte, error) {
	var w Writer
	w.Reset(dst)
	r := NewReader(payload)
	for r.Next() {
		w.CopyLink(r.Link())
	}
	if err := r.Err(); err != nil {
		return dst, err
	}
	return w.Bytes()
}
