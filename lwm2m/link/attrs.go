package link

import (
	"math"
	"strconv"
)

// Attr names an attribute that [Attrs] knows; each is one bit of Attrs.Set.
type Attr uint32

// The attributes [Link.Attrs] reads, in the order [Writer.Attrs] writes them.
// The first fifteen are the LwM2M attributes of LwM2M Core 5.1.2 (Table
// 5.1.2-1, <PROPERTIES>, and Table 5.1.2-2, <NOTIFICATION>); the others are
// the target attributes of RFC 6690 section 3 and RFC 7252 section 7.2.1,
// and the "rel", "rev" and "anchor" parameters of RFC 6690 section 2.
const (
	AttrVer    Attr = 1 << iota // ver: Object Version, "1.1"
	AttrLwM2M                   // lwm2m: LwM2M Enabler Version, "1.2"
	AttrDim                     // dim: Dimension, 0 to 255
	AttrSSID                    // ssid: Short Server ID, 1 to 65534
	AttrURI                     // uri: Server URI, a URI
	AttrPmin                    // pmin: Minimum Period, seconds
	AttrPmax                    // pmax: Maximum Period, seconds
	AttrGt                      // gt: Greater Than, a decimal
	AttrLt                      // lt: Less Than, a decimal
	AttrSt                      // st: Step, a decimal >= 0
	AttrEpmin                   // epmin: Minimum Evaluation Period, seconds
	AttrEpmax                   // epmax: Maximum Evaluation Period, seconds
	AttrEdge                    // edge: Edge (LwM2M 1.2), 0 or 1
	AttrCon                     // con: Confirmable Notification (LwM2M 1.2), 0 or 1
	AttrHqmax                   // hqmax: Maximum Historical Queue (LwM2M 1.2)
	AttrRT                      // rt: Resource Type, relation-types
	AttrIf                      // if: Interface Description, relation-types
	AttrCT                      // ct: Content-Format codes, 0 to 65535
	AttrSz                      // sz: maximum size estimate, a cardinal
	AttrRel                     // rel: relation-types
	AttrRev                     // rev: relation-types
	AttrAnchor                  // anchor: a URI-Reference
)

// MaxEscapedValue is the longest value of a known attribute that may use
// quoted-pair escapes; such a value is unescaped into a buffer on the stack
// to be checked. Longer escaped values give [ErrLimit]. Values without a
// backslash, which are all a sender needs, have no limit.
const MaxEscapedValue = 256

type kind uint8

const (
	kCardinal kind = iota // cardinal within [min, max]
	kDecimal              // ["-"] 1*DIGIT ["." 1*DIGIT]
	kStep                 // a kDecimal >= 0
	kVersion              // cardinal "." cardinal, each at most 65535
	kFlag                 // "0" or "1"
	kRelTypes             // relation-type *( 1*SP relation-type )
	kURI                  // URI (RFC 3986 section 3)
	kURIRef               // URI-Reference (RFC 3986 section 4.1)
	kCT                   // cardinal *( 1*SP cardinal ), each at most 65535
)

type attrDef struct {
	name     string
	kind     kind
	min, max uint64
	rangeMsg string // for kCardinal
	rule     string
}

const maxInt64 = math.MaxInt64

var attrDefs = [...]attrDef{
	{"ver", kVersion, 0, 0, "", ruleAttrs},
	{"lwm2m", kVersion, 0, 0, "", ruleAttrs},
	{"dim", kCardinal, 0, 255, "value outside [0:255]", ruleAttrs},
	{"ssid", kCardinal, 1, 65534, "value outside [1:65534]", ruleAttrs},
	{"uri", kURI, 0, 0, "", ruleAttrs},
	{"pmin", kCardinal, 0, maxInt64, "value above the LwM2M Integer range", ruleAttrs},
	{"pmax", kCardinal, 0, maxInt64, "value above the LwM2M Integer range", ruleAttrs},
	{"gt", kDecimal, 0, 0, "", ruleAttrs},
	{"lt", kDecimal, 0, 0, "", ruleAttrs},
	{"st", kStep, 0, 0, "", ruleAttrs},
	{"epmin", kCardinal, 0, maxInt64, "value above the LwM2M Integer range", ruleAttrs},
	{"epmax", kCardinal, 0, maxInt64, "value above the LwM2M Integer range", ruleAttrs},
	{"edge", kFlag, 0, 0, "", ruleAttrs},
	{"con", kFlag, 0, 0, "", ruleAttrs},
	{"hqmax", kCardinal, 0, maxInt64, "value above the LwM2M Integer range", ruleAttrs},
	{"rt", kRelTypes, 0, 0, "", ruleRT},
	{"if", kRelTypes, 0, 0, "", ruleIf},
	{"ct", kCT, 0, 0, "", ruleCT},
	{"sz", kCardinal, 0, math.MaxUint64, "value above 2^64-1", ruleSz},
	{"rel", kRelTypes, 0, 0, "", ruleRel},
	{"rev", kRelTypes, 0, 0, "", ruleRel},
	{"anchor", kURIRef, 0, 0, "", ruleAnchor},
}

// String returns the parameter names of the attributes in a joined by '|',
// such as "pmin|pmax", and "0" for none.
func (a Attr) String() string {
	if a == 0 {
		return "0"
	}
	var b []byte
	for k := range attrDefs {
		if a&(1<<k) != 0 {
			if len(b) > 0 {
				b = append(b, '|')
			}
			b = append(b, attrDefs[k].name...)
		}
	}
	if rest := a &^ (1<<len(attrDefs) - 1); rest != 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, uint64(rest), 16)
	}
	return string(b)
}

func lookupAttr[S string | []byte](name S) int {
	for i := range attrDefs {
		if equal(name, attrDefs[i].name) {
			return i
		}
	}
	return -1
}

// Version is an Object Version ("ver") or LwM2M Enabler Version ("lwm2m"):
// two decimal numbers without leading zeros separated by '.', such as 1.1
// (LwM2M Core 5.1.2 and 7.2).
type Version struct{ Major, Minor uint16 }

// String returns "1.1".
func (v Version) String() string {
	b, _ := v.AppendText(make([]byte, 0, 11))
	return string(b)
}

// AppendText appends "1.1". It implements encoding.TextAppender.
func (v Version) AppendText(b []byte) ([]byte, error) {
	b = strconv.AppendUint(b, uint64(v.Major), 10)
	return strconv.AppendUint(append(b, '.'), uint64(v.Minor), 10), nil
}

// Attrs holds the attributes of one link that this package knows, parsed
// and checked by [Link.Attrs]. Set says which are present; the others are
// zero. Unknown parameters are left to the [Params] iterator.
//
// The byte-slice fields alias the payload and hold the value as written
// between the quotes, like [Param.Value]: a value can only contain a
// backslash if the sender escaped a character needlessly, and
// [AppendUnquoted] gives the exact value in every case.
type Attrs struct {
	Set Attr

	Ver, LwM2M Version
	Dim        uint8
	SSID       uint16
	URI        []byte
	// Pmin, Pmax, Epmin and Epmax are seconds; Hqmax is a count. LwM2M
	// Integers, they are never negative.
	Pmin, Pmax, Epmin, Epmax, Hqmax int64
	Gt, Lt, St                      float64
	Edge, Con                       bool

	RT, If []byte // relation-types: one or more types separated by spaces
	CT     []byte // ct-value; read it with ContentFormats or ContentFormat
	Sz     uint64
	Rel    []byte
	Rev    []byte
	Anchor []byte
}

// Has reports whether every attribute in x is present.
func (a *Attrs) Has(x Attr) bool { return a.Set&x == x }

// ResourceTypeLwM2M is the resource type of the link that names an LwM2M
// client's root or alternate path in its Register payload:
// </>;rt="oma.lwm2m" (LwM2M Core 6.2.1).
const ResourceTypeLwM2M = "oma.lwm2m"

// HasResourceType reports whether rt is one of the space-separated
// resource types in the "rt" attribute.
func (a *Attrs) HasResourceType(rt string) bool {
	for i := 0; i < len(a.RT); {
		j, k := i, 0
		for j < len(a.RT) && a.RT[j] != ' ' {
			c := a.RT[j]
			if c == '\\' && j+1 < len(a.RT) {
				j++
				c = a.RT[j]
			}
			if k < len(rt) && rt[k] == c {
				k++
			} else {
				k = len(rt) + 1
			}
			j++
		}
		if k == len(rt) {
			return true
		}
		for j < len(a.RT) && a.RT[j] == ' ' {
			j++
		}
		i = j
	}
	return false
}

// ContentFormat returns the first Content-Format code of "ct".
func (a *Attrs) ContentFormat() (uint16, bool) {
	it := a.ContentFormats()
	if !it.Next() {
		return 0, false
	}
	return it.Value(), true
}

// ContentFormats returns an iterator over the Content-Format codes of "ct",
// which RFC 7252 section 7.2.1 lets list several: ct="60 110 112".
func (a *Attrs) ContentFormats() ContentFormats { return ContentFormats{b: a.CT} }

// ContentFormats iterates over the codes of a ct-value.
type ContentFormats struct {
	b []byte
	i int
	v uint16
}

// Next reads the next code and reports whether there was one.
func (it *ContentFormats) Next() bool {
	for it.i < len(it.b) {
		if it.b[it.i] == ' ' {
			it.i++
		} else if it.b[it.i] == '\\' && it.i+1 < len(it.b) && it.b[it.i+1] == ' ' {
			it.i += 2
		} else {
			break
		}
	}
	v, n := uint32(0), 0
	for it.i < len(it.b) {
		c := it.b[it.i]
		w := 1
		if c == '\\' && it.i+1 < len(it.b) {
			c, w = it.b[it.i+1], 2
		}
		if c < '0' || c > '9' {
			break
		}
		v = min(v*10+uint32(c-'0'), 1<<16)
		it.i += w
		n++
	}
	it.v = uint16(v)
	return n > 0
}

// Value returns the code read by the last successful call to Next.
func (it *ContentFormats) Value() uint16 { return it.v }

// Attrs parses the attributes of l that this package knows (see [Attr])
// and checks their values: the ranges of LwM2M Core 5.1.2, the ct-value
// of RFC 7252 section 7.2.1, relation-types (RFC 6690 section 2) for rt,
// if, rel and rev, URIs for uri and anchor. A token and a quoted-string
// value are equivalent (RFC 8288 section 3: recipients parse both), so
// ver="1.1" and ver=1.1 are the same. A known attribute without a value,
// or given twice, is an error (RFC 6690 section 3 says so of rt, if and
// sz). Errors are [*Error] values wrapping [ErrAttribute] (or [ErrLimit]),
// with the offset of the parameter or its value in the payload.
func (l Link) Attrs() (Attrs, error) {
	var a Attrs
	var buf [MaxEscapedValue]byte
	for it := l.Params(); it.Next(); {
		p := it.Param()
		k := lookupAttr(p.Name)
		if k < 0 {
			continue
		}
		d := &attrDefs[k]
		bit := Attr(1) << k
		if a.Set&bit != 0 {
			return a, attrErr(d, p.Offset, "attribute given twice")
		}
		if !p.HasValue {
			return a, attrErr(d, p.Offset, "attribute needs a value")
		}
		v, exact := p.Value, true
		if p.Quoted && hasEscape(p.Value) {
			if unquotedLen(p.Value) > len(buf) {
				return a, &Error{Field: d.name, Offset: p.valueOffset(), Rule: d.rule, Msg: "escaped value longer than 256 bytes", Err: ErrLimit}
			}
			v, exact = AppendUnquoted(buf[:0], p.Value), false
		}
		off, msg := a.set(k, p.Value, v)
		if off >= 0 {
			o := p.valueOffset()
			if exact {
				o += off
			}
			return a, attrErr(d, o, msg)
		}
		a.Set |= bit
	}
	return a, nil
}

func attrErr(d *attrDef, off int, msg string) error {
	return &Error{Field: d.name, Offset: off, Rule: d.rule, Msg: msg, Err: ErrAttribute}
}

// set parses v, the unescaped value of attribute k whose wire value is raw,
// into a. It returns -1 or the offset in v of the fault and its message.
func (a *Attrs) set(k int, raw, v []byte) (int, string) {
	d := &attrDefs[k]
	switch d.kind {
	case kCardinal:
		x, st := parseCardinal(v)
		switch {
		case st == numSyntax:
			return 0, "value is not a decimal integer without sign or leading zeros"
		case st == numOverflow || x < d.min || x > d.max:
			return 0, d.rangeMsg
		}
		switch Attr(1) << k {
		case AttrDim:
			a.Dim = uint8(x)
		case AttrSSID:
			a.SSID = uint16(x)
		case AttrPmin:
			a.Pmin = int64(x)
		case AttrPmax:
			a.Pmax = int64(x)
		case AttrEpmin:
			a.Epmin = int64(x)
		case AttrEpmax:
			a.Epmax = int64(x)
		case AttrHqmax:
			a.Hqmax = int64(x)
		case AttrSz:
			a.Sz = x
		}
	case kDecimal, kStep:
		f, ok := parseDecimal(v)
		if !ok {
			return 0, "value is not a decimal number (\"-\" 1*DIGIT \".\" 1*DIGIT)"
		}
		switch Attr(1) << k {
		case AttrGt:
			a.Gt = f
		case AttrLt:
			a.Lt = f
		case AttrSt:
			if f < 0 {
				return 0, "step is negative"
			}
			a.St = f
		}
	case kVersion:
		ver, ok := parseVersion(v)
		if !ok {
			return 0, "value is not a version such as 1.1"
		}
		if k == 0 {
			a.Ver = ver
		} else {
			a.LwM2M = ver
		}
	case kFlag:
		if len(v) != 1 || v[0] != '0' && v[0] != '1' {
			return 0, "value is neither 0 nor 1"
		}
		if Attr(1)<<k == AttrEdge {
			a.Edge = v[0] == '1'
		} else {
			a.Con = v[0] == '1'
		}
	default:
		if off, msg := checkKind(d.kind, v); off >= 0 {
			return off, msg
		}
		switch Attr(1) << k {
		case AttrURI:
			a.URI = raw
		case AttrRT:
			a.RT = raw
		case AttrIf:
			a.If = raw
		case AttrCT:
			a.CT = raw
		case AttrRel:
			a.Rel = raw
		case AttrRev:
			a.Rev = raw
		case AttrAnchor:
			a.Anchor = raw
		}
	}
	return -1, ""
}

// checkKind checks the unescaped value v of a string-valued kind.
func checkKind[S string | []byte](k kind, v S) (int, string) {
	switch k {
	case kURI:
		return checkURI(v, true)
	case kURIRef:
		return checkURI(v, false)
	case kRelTypes, kCT:
		return checkList(k, v)
	}
	return -1, ""
}

// checkList checks v as item *( 1*SP item ), where an item is a
// relation-type for kRelTypes and a Content-Format code for kCT. (A switch,
// not a function value: an indirect call would make v escape.)
func checkList[S string | []byte](k kind, v S) (int, string) {
	if len(v) == 0 {
		if k == kCT {
			return 0, "empty ct-value"
		}
		return 0, "empty relation-types"
	}
	for i := 0; ; {
		s := i
		for i < len(v) && v[i] != ' ' {
			i++
		}
		if i == s {
			return i, "space before or after a list item"
		}
		var off int
		var msg string
		if k == kCT {
			off, msg = checkCTCode(v[s:i])
		} else {
			off, msg = checkRelType(v[s:i])
		}
		if off >= 0 {
			return s + off, msg
		}
		if i == len(v) {
			return -1, ""
		}
		for i < len(v) && v[i] == ' ' {
			i++
		}
	}
}

// checkRelType checks one relation-type (RFC 6690 section 2):
//
//	relation-type = reg-rel-type / ext-rel-type
//	reg-rel-type  = LOALPHA *( LOALPHA / DIGIT / "." / "-" )
//	ext-rel-type  = URI
func checkRelType[S string | []byte](t S) (int, string) {
	if t[0] >= 'a' && t[0] <= 'z' {
		reg := true
		for i := 1; i < len(t); i++ {
			c := t[i]
			if !(c >= 'a' && c <= 'z' || is(c, cDigit) || c == '.' || c == '-') {
				reg = false
				break
			}
		}
		if reg {
			return -1, ""
		}
	}
	if off, _ := checkURI(t, true); off >= 0 {
		return 0, "relation type is neither a registered type (lower case) nor a URI"
	}
	return -1, ""
}

// checkCTCode checks one Content-Format code of a ct-value.
func checkCTCode[S string | []byte](t S) (int, string) {
	x, st := parseCardinal(t)
	switch {
	case st == numSyntax:
		return 0, "Content-Format code is not a decimal integer without sign or leading zeros"
	case st == numOverflow || x > math.MaxUint16:
		return 0, "Content-Format code above 65535"
	}
	return -1, ""
}

const (
	numOK = iota
	numSyntax
	numOverflow
)

// parseCardinal parses cardinal = "0" / %x31-39 *DIGIT (RFC 6690 section 2).
func parseCardinal[S string | []byte](v S) (uint64, int) {
	if len(v) == 0 || len(v) > 1 && v[0] == '0' {
		return 0, numSyntax
	}
	var x uint64
	over := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, numSyntax
		}
		d := uint64(c - '0')
		if x > (math.MaxUint64-d)/10 {
			over = true
		}
		x = x*10 + d
	}
	if over {
		return 0, numOverflow
	}
	return x, numOK
}

// parseDecimal parses ["-"] 1*DIGIT ["." 1*DIGIT] into a finite float64.
func parseDecimal(v []byte) (float64, bool) {
	i := 0
	if i < len(v) && v[i] == '-' {
		i++
	}
	d := i
	for i < len(v) && is(v[i], cDigit) {
		i++
	}
	if i == d {
		return 0, false
	}
	if i < len(v) && v[i] == '.' {
		i++
		f := i
		for i < len(v) && is(v[i], cDigit) {
			i++
		}
		if i == f {
			return 0, false
		}
	}
	if i != len(v) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(v), 64)
	return f, err == nil
}

// parseVersion parses cardinal "." cardinal, each at most 65535.
func parseVersion(v []byte) (Version, bool) {
	for i, c := range v {
		if c != '.' {
			continue
		}
		maj, s1 := parseCardinal(v[:i])
		minr, s2 := parseCardinal(v[i+1:])
		if s1 != numOK || s2 != numOK || maj > math.MaxUint16 || minr > math.MaxUint16 {
			return Version{}, false
		}
		return Version{uint16(maj), uint16(minr)}, true
	}
	return Version{}, false
}

func hasEscape(v []byte) bool {
	for _, c := range v {
		if c == '\\' {
			return true
		}
	}
	return false
}

// unquotedLen returns len(AppendUnquoted(nil, v)).
func unquotedLen(v []byte) int {
	n := len(v)
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			n--
			i++
		}
	}
	return n
}

func equal[S string | []byte](s S, lit string) bool {
	if len(s) != len(lit) {
		return false
	}
	for i := 0; i < len(lit); i++ {
		if s[i] != lit[i] {
			return false
		}
	}
	return true
}
