package op

import (
	"math"
	"strconv"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/link"
)

// The sections cited by the query rules.
const (
	ruleBSRequest = "LwM2M Core 6.1.7.1 Bootstrap-Request"
	ruleBSPack    = "LwM2M Core 6.1.7.8 Bootstrap-Pack-Request"
	ruleRegister  = "LwM2M Core 6.2.1 Register"
	ruleUpdate    = "LwM2M Core 6.2.2 Update"
	ruleBinding   = "LwM2M Core 6.2.1.1 Binding Mode"
	ruleAttrs     = "LwM2M Core 1.2 7.3 (1.1 5.1.2) Attributes"
	ruleDepth     = "LwM2M Core 1.2 6.3.2 Discover: depth 0 to 3"
	ruleQuery     = "RFC 7252 6.4: one Uri-Query option per parameter"
)

// splitParam splits a Uri-Query value at its first '='.
func splitParam(q []byte) (name, value []byte, hasValue bool) {
	for i, c := range q {
		if c == '=' {
			return q[:i], q[i+1:], true
		}
	}
	return q, nil, false
}

func equal(b []byte, s string) bool { return string(b) == s }

// lookupParam returns the bit of a known registration parameter name.
func lookupParam(name []byte) Param {
	for i, n := range paramNames {
		if equal(name, n) {
			return 1 << i
		}
	}
	return 0
}

// allowedParams returns the registration parameters of an operation and
// whether it keeps unknown ones.
func allowedParams(k Kind) (Param, bool) {
	switch k {
	case KindBootstrapRequest:
		return ParamEndpoint | ParamPreferredFormat, true
	case KindBootstrapPackRequest:
		return ParamEndpoint, true
	case KindRegister:
		return ParamEndpoint | ParamLifetime | ParamVersion | ParamBinding | ParamSMS | ParamQueue, true
	case KindUpdate:
		return ParamLifetime | ParamBinding | ParamSMS | ParamQueue, true
	}
	return 0, false
}

func paramRule(k Kind) string {
	switch k {
	case KindBootstrapRequest:
		return ruleBSRequest
	case KindBootstrapPackRequest:
		return ruleBSPack
	case KindRegister:
		return ruleRegister
	}
	return ruleUpdate
}

// parseCardinal parses 1*DIGIT without sign or leading zeros. ok is false
// for bad syntax; over is true past 2^64-1.
func parseCardinal(v []byte) (x uint64, ok, over bool) {
	if len(v) == 0 || len(v) > 1 && v[0] == '0' {
		return 0, false, false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false, false
		}
		d := uint64(c - '0')
		if x > (math.MaxUint64-d)/10 {
			over = true
		}
		x = x*10 + d
	}
	return x, true, over
}

// parseDecimal parses ["-"] 1*DIGIT ["." 1*DIGIT] into a finite float64,
// the number form of the link attributes (LwM2M Core 7.3 writes gt, lt and
// st as Float). Exponents are not part of the grammar.
func parseDecimal(v []byte) (float64, bool) {
	i := 0
	if i < len(v) && v[i] == '-' {
		i++
	}
	d := i
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	if i == d {
		return 0, false
	}
	if i < len(v) && v[i] == '.' {
		i++
		f := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
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
	return f, err == nil && math.Abs(f) < MaxDecimal
}

// MaxDecimal bounds the magnitude of the gt, lt and st attributes: larger
// values are rejected, so that the Builder's exact decimal form of any
// value Parse accepts fits a Uri-Query option (255 bytes).
const MaxDecimal = 1e200

// parseVersion parses cardinal "." cardinal, each at most 65535.
func parseVersion(v []byte) (link.Version, bool) {
	for i, c := range v {
		if c != '.' {
			continue
		}
		maj, ok1, o1 := parseCardinal(v[:i])
		minr, ok2, o2 := parseCardinal(v[i+1:])
		if !ok1 || !ok2 || o1 || o2 || maj > math.MaxUint16 || minr > math.MaxUint16 {
			return link.Version{}, false
		}
		return link.Version{Major: uint16(maj), Minor: uint16(minr)}, true
	}
	return link.Version{}, false
}

// parseBinding parses the letters of a Binding Mode: each of U, T, S, N
// and Q at most once, Q not first.
func parseBinding(v []byte) (Binding, string) {
	if len(v) == 0 {
		return 0, "empty binding mode"
	}
	var b Binding
	for i, c := range v {
		k := -1
		for j := 0; j < len(bindingLetters); j++ {
			if bindingLetters[j] == c {
				k = j
			}
		}
		switch {
		case k < 0:
			return 0, "binding mode letter other than U, T, S, N or Q"
		case b&(1<<k) != 0:
			return 0, "binding mode letter given twice"
		case c == 'Q' && i == 0:
			return 0, "binding mode starts with Q"
		}
		b |= 1 << k
	}
	return b, ""
}

// validSMS reports whether v is an MSISDN: 1 to 15 digits (ITU-T E.164),
// with an optional leading '+'.
func validSMS(v []byte) bool {
	if len(v) > 0 && v[0] == '+' {
		v = v[1:]
	}
	if len(v) == 0 || len(v) > 15 {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseParams reads the Uri-Query options of a Bootstrap-Request,
// Bootstrap-Pack-Request, Register or Update into r.Params.
func (r *Request) parseParams(qs []coapmsg.Option) *Error {
	allowed, _ := allowedParams(r.Kind)
	rule := paramRule(r.Kind)
	p := &r.Params
	for i := range qs {
		q := qs[i].Value
		name, v, hasValue := splitParam(q)
		if len(name) == 0 {
			return r.queryErr(ErrBadRequest, ruleQuery, "query parameter without a name")
		}
		bit := lookupParam(name)
		if bit == 0 {
			if p.NExtra == MaxExtraParams {
				return r.queryErr(ErrLimit, "op MaxExtraParams", "more unknown query parameters than MaxExtraParams")
			}
			p.Extra[p.NExtra] = q
			p.NExtra++
			continue
		}
		if allowed&bit == 0 {
			return r.queryErr(ErrBadRequest, rule, "query parameter not defined for this operation")
		}
		if p.Set&bit != 0 {
			return r.queryErr(ErrBadRequest, rule, "query parameter given twice")
		}
		if bit == ParamQueue {
			if hasValue {
				return r.queryErr(ErrBadRequest, rule, "the Q parameter has no value")
			}
			p.Set |= bit
			continue
		}
		if !hasValue || len(v) == 0 {
			return r.queryErr(ErrBadRequest, rule, "query parameter without a value")
		}
		switch bit {
		case ParamEndpoint:
			p.Endpoint = v
		case ParamLifetime:
			x, ok, over := parseCardinal(v)
			if !ok || over {
				return r.queryErr(ErrBadRequest, rule, "lifetime is not a decimal integer of at most 2^64-1 without sign or leading zeros")
			}
			p.Lifetime = x
		case ParamVersion:
			ver, ok := parseVersion(v)
			if !ok {
				return r.queryErr(ErrBadRequest, rule, "LwM2M version is not major.minor, such as 1.1")
			}
			p.Version = ver
		case ParamBinding:
			b, msg := parseBinding(v)
			if msg != "" {
				return r.queryErr(ErrBadRequest, ruleBinding, msg)
			}
			p.Binding = b
		case ParamSMS:
			p.SMS = v
		case ParamPreferredFormat:
			x, ok, over := parseCardinal(v)
			if !ok || over || x > math.MaxUint16 {
				return r.queryErr(ErrBadRequest, rule, "preferred content format is not a Content-Format number")
			}
			p.PreferredFormat = coapmsg.MediaType(x)
		}
		p.Set |= bit
	}
	return nil
}

// attrNames are the notification attributes in the order the Builder
// writes them, with their bits.
var attrNames = [...]struct {
	name string
	bit  link.Attr
}{
	{"pmin", link.AttrPmin}, {"pmax", link.AttrPmax}, {"gt", link.AttrGt}, {"lt", link.AttrLt}, {"st", link.AttrSt},
	{"epmin", link.AttrEpmin}, {"epmax", link.AttrEpmax}, {"edge", link.AttrEdge}, {"con", link.AttrCon},
	{"hqmax", link.AttrHqmax},
}

func lookupAttr(name []byte) link.Attr {
	for _, a := range attrNames {
		if equal(name, a.name) {
			return a.bit
		}
	}
	return 0
}

// parseAttrs reads the Uri-Query options of a Write-Attributes or an
// Observe into r.Attrs, and the depth of a Discover.
func (r *Request) parseAttrs(qs []coapmsg.Option) *Error {
	a := &r.Attrs
	for i := range qs {
		name, v, hasValue := splitParam(qs[i].Value)
		if r.Kind == KindDiscover {
			if !equal(name, "depth") {
				return r.queryErr(ErrBadRequest, ruleDepth, "Discover takes only the depth parameter")
			}
			if r.HasDepth {
				return r.queryErr(ErrBadRequest, ruleDepth, "depth given twice")
			}
			x, ok, over := parseCardinal(v)
			if !hasValue || !ok || over || x > 3 {
				return r.queryErr(ErrBadRequest, ruleDepth, "depth is not 0, 1, 2 or 3")
			}
			r.Depth, r.HasDepth = uint8(x), true
			continue
		}
		bit := lookupAttr(name)
		if bit == 0 {
			return r.queryErr(ErrBadRequest, ruleAttrs, "unknown attribute, or one that is not a notification attribute")
		}
		if (a.Set|a.Unset)&bit != 0 {
			return r.queryErr(ErrBadRequest, ruleAttrs, "attribute given twice")
		}
		if !hasValue || len(v) == 0 {
			// LwM2M Core 1.2 6.3.4 (1.1 5.4.4): an attribute without a
			// value is removed; check rejects it outside Write-Attributes.
			a.Unset |= bit
			continue
		}
		switch bit {
		case link.AttrPmin, link.AttrPmax, link.AttrEpmin, link.AttrEpmax, link.AttrHqmax:
			x, ok, over := parseCardinal(v)
			if !ok || over || x > math.MaxInt64 {
				return r.queryErr(ErrBadRequest, ruleAttrs, "value is not an integer of 0 to 2^63-1 without sign or leading zeros")
			}
			switch bit {
			case link.AttrPmin:
				a.Pmin = int64(x)
			case link.AttrPmax:
				a.Pmax = int64(x)
			case link.AttrEpmin:
				a.Epmin = int64(x)
			case link.AttrEpmax:
				a.Epmax = int64(x)
			default:
				a.Hqmax = int64(x)
			}
		case link.AttrGt, link.AttrLt, link.AttrSt:
			f, ok := parseDecimal(v)
			if !ok {
				return r.queryErr(ErrBadRequest, ruleAttrs, "value is not a decimal number (\"-\" 1*DIGIT \".\" 1*DIGIT) below MaxDecimal")
			}
			switch bit {
			case link.AttrGt:
				a.Gt = f
			case link.AttrLt:
				a.Lt = f
			default:
				a.St = f
			}
		default: // edge, con
			if len(v) != 1 || v[0] != '0' && v[0] != '1' {
				return r.queryErr(ErrBadRequest, ruleAttrs, "value is neither 0 nor 1")
			}
			if bit == link.AttrEdge {
				a.Edge = v[0] == '1'
			} else {
				a.Con = v[0] == '1'
			}
		}
		a.Set |= bit
	}
	return nil
}

func (r *Request) queryErr(class error, rule, msg string) *Error {
	return newErr(r.Kind, r.Path, "uri-query", coapmsg.URIQuery, class, rule, msg)
}

// appendAttrValue appends the value of attribute bit of a.
func appendAttrValue(b []byte, a *Attributes, bit link.Attr) []byte {
	switch bit {
	case link.AttrPmin:
		return strconv.AppendInt(b, a.Pmin, 10)
	case link.AttrPmax:
		return strconv.AppendInt(b, a.Pmax, 10)
	case link.AttrEpmin:
		return strconv.AppendInt(b, a.Epmin, 10)
	case link.AttrEpmax:
		return strconv.AppendInt(b, a.Epmax, 10)
	case link.AttrHqmax:
		return strconv.AppendInt(b, a.Hqmax, 10)
	case link.AttrGt:
		return strconv.AppendFloat(b, a.Gt, 'f', -1, 64)
	case link.AttrLt:
		return strconv.AppendFloat(b, a.Lt, 'f', -1, 64)
	case link.AttrSt:
		return strconv.AppendFloat(b, a.St, 'f', -1, 64)
	case link.AttrEdge:
		return appendFlag(b, a.Edge)
	}
	return appendFlag(b, a.Con)
}

func appendFlag(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}
