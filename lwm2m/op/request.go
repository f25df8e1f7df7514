package op

import (
	"bytes"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Request is an LwM2M operation carried by a CoAP request: what [Request.Parse]
// reads from a message and what [Builder.AppendRequest] writes.
//
// Token, Payload, the byte-slice fields of Params and the Location
// segments alias the message they were parsed from (and, when building,
// the caller's memory); they are valid until that buffer is reused.
type Request struct {
	Kind      Kind
	Type      coapmsg.Type // CON or NON; Reset for a KindCancelObservation by Reset
	MessageID uint16
	Token     []byte

	// Path is the target of the operations on LwM2M paths; the root for
	// the composite operations, whose paths are in the payload, and for
	// the Bootstrap and Registration interface requests with a fixed
	// path (/bs, /bspack, /rd, /dp).
	Path path.Path
	// Location is the registration resource of an Update or De-register,
	// as the server assigned it in the Location-Path of 2.01 Created, such
	// as "/rd/5a3f".
	Location Location

	// ContentFormat, when HasContentFormat, is the Content-Format of the
	// payload.
	ContentFormat    coapmsg.MediaType
	HasContentFormat bool
	// Accept, when HasAccept, is the format asked for the response.
	Accept    coapmsg.MediaType
	HasAccept bool

	// Partial selects the partial update of a Write (POST) rather than the
	// replacement (PUT); LwM2M Core 6.3.3.
	Partial bool

	// Params are the query parameters of Bootstrap-Request,
	// Bootstrap-Pack-Request, Register and Update.
	Params Params
	// Attrs are the notification attributes of Write-Attributes, and
	// those an Observe or Observe-Composite may carry (LwM2M 1.2).
	Attrs Attributes
	// Depth, when HasDepth, is the depth parameter of a Discover, 0 to 3
	// (LwM2M 1.2).
	Depth    uint8
	HasDepth bool

	// Payload is the request body: the link-format object list of Register
	// and Update, the value of a Write or Create, the arguments of an
	// Execute, the path list of Read- and Observe-Composite, the records
	// of Write-Composite and Send.
	Payload []byte
}

// Reset empties r.
func (r *Request) Reset() { *r = Request{} }

// Args returns a cursor over the Execute arguments in the payload.
func (r *Request) Args() Args { return Args{b: r.Payload} }

// Param is one bit of [Params.Set]: a query parameter that is present.
type Param uint8

// The registration and bootstrap query parameters (LwM2M Core 6.1.7.1 and
// 6.2.1, Transport 6.1 and 6.2).
const (
	ParamEndpoint        Param = 1 << iota // ep: Endpoint Client Name
	ParamLifetime                          // lt: Lifetime, seconds
	ParamVersion                           // lwm2m: LwM2M Enabler version
	ParamBinding                           // b: Binding Mode
	ParamSMS                               // sms: MSISDN
	ParamQueue                             // Q: Queue Mode (1.1), no value
	ParamPreferredFormat                   // pct: Preferred Content Format (Bootstrap-Request, 1.1)
)

var paramNames = [...]string{"ep", "lt", "lwm2m", "b", "sms", "Q", "pct"}

// String returns the parameter names joined by '|', such as "ep|lt", and
// "0" for none.
func (p Param) String() string {
	if p == 0 {
		return "0"
	}
	var b []byte
	for i, n := range paramNames {
		if p&(1<<i) != 0 {
			if len(b) > 0 {
				b = append(b, '|')
			}
			b = append(b, n...)
		}
	}
	if p>>len(paramNames) != 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, '?')
	}
	return string(b)
}

// MaxExtraParams is how many query parameters a Register, Update or
// Bootstrap-Request may carry beyond the ones this package knows. They are
// kept, unchecked, in [Params.Extra]; more give an error wrapping
// [ErrLimit].
const MaxExtraParams = 4

// Params are the typed query parameters of the Registration and Bootstrap
// interfaces. Set says which are present; the others are zero. Endpoint,
// SMS and Extra alias the message.
type Params struct {
	Set             Param
	Endpoint        []byte            // ep
	Lifetime        uint64            // lt, seconds
	Version         link.Version      // lwm2m, such as 1.1
	Binding         Binding           // b
	SMS             []byte            // sms
	PreferredFormat coapmsg.MediaType // pct

	// Extra holds the first NExtra parameters this package does not know,
	// each as sent ("name=value" or "name").
	Extra  [MaxExtraParams][]byte
	NExtra uint8
}

// Has reports whether every parameter in x is present.
func (p *Params) Has(x Param) bool { return p.Set&x == x }

// Queue reports whether the Q parameter is present.
func (p *Params) Queue() bool { return p.Set&ParamQueue != 0 }

// Binding is the set of transports of a Binding Mode "b" parameter (LwM2M
// Core 6.2.1.1 and the Binding resource of the Server Object): one letter
// each. BindingQueue is the "Q" letter of LwM2M 1.0 (UQ, SQ, UQS), which
// LwM2M 1.1 replaced by the separate Q parameter.
type Binding uint8

// The binding letters.
const (
	BindingUDP   Binding = 1 << iota // U
	BindingTCP                       // T (1.1)
	BindingSMS                       // S
	BindingNonIP                     // N (1.1)
	BindingQueue                     // Q (1.0 only)
)

// bindingLetters are the letters of the Binding bits, in bit order.
const bindingLetters = "UTSNQ"

// AppendText appends the letters of b in the order LwM2M 1.0 writes them:
// U, then Q for a queued U, then T, S (Q after S when there is no U), N.
func (b Binding) AppendText(dst []byte) ([]byte, error) {
	if b&BindingUDP != 0 {
		dst = append(dst, 'U')
		if b&BindingQueue != 0 {
			dst = append(dst, 'Q')
		}
	}
	if b&BindingTCP != 0 {
		dst = append(dst, 'T')
	}
	if b&BindingSMS != 0 {
		dst = append(dst, 'S')
		if b&BindingQueue != 0 && b&BindingUDP == 0 {
			dst = append(dst, 'Q')
		}
	}
	if b&BindingNonIP != 0 {
		dst = append(dst, 'N')
	}
	if b&BindingQueue != 0 && b&(BindingUDP|BindingSMS) == 0 {
		dst = append(dst, 'Q')
	}
	return dst, nil
}

// String returns the letters, such as "UQS".
func (b Binding) String() string {
	out, _ := b.AppendText(make([]byte, 0, 8))
	return string(out)
}

// Attributes are the notification attributes of a Write-Attributes (and of
// an Observe in LwM2M 1.2), typed: LwM2M Core 1.2 section 7.3 (1.1 section
// 5.1.2). Set holds those given a value; Unset those given without a
// value, which Write-Attributes removes. Both use the bits of [link.Attr];
// only AttrPmin, AttrPmax, AttrGt, AttrLt, AttrSt, AttrEpmin, AttrEpmax,
// AttrEdge, AttrCon and AttrHqmax occur.
type Attributes struct {
	Set, Unset link.Attr

	// Pmin, Pmax, Epmin and Epmax are seconds; Hqmax is a count. They are
	// LwM2M Integers and never negative.
	Pmin, Pmax, Epmin, Epmax, Hqmax int64
	Gt, Lt, St                      float64
	Edge, Con                       bool
}

// Has reports whether every attribute in x has a value.
func (a *Attributes) Has(x link.Attr) bool { return a.Set&x == x }

// Empty reports whether no attribute is present.
func (a *Attributes) Empty() bool { return a.Set|a.Unset == 0 }

// notificationAttrs are the attributes a Write-Attributes may set.
const notificationAttrs = link.AttrPmin | link.AttrPmax | link.AttrGt | link.AttrLt | link.AttrSt |
	link.AttrEpmin | link.AttrEpmax | link.AttrEdge | link.AttrCon | link.AttrHqmax

// MaxLocationSegments is the most Location-Path segments a registration
// location may have; more give an error wrapping [ErrLimit]. Servers assign
// two ("/rd/5a3f").
const MaxLocationSegments = 8

// Location is a registration location: the Location-Path segments of a
// 2.01 Created answering Register, and the Uri-Path of Update and
// De-register. The segments alias the message. The zero value is empty.
type Location struct {
	segs [MaxLocationSegments][]byte
	n    uint8
}

// Len returns the number of segments.
func (l *Location) Len() int { return int(l.n) }

// Segment returns segment i. It panics if i >= l.Len().
func (l *Location) Segment(i int) []byte {
	if i >= int(l.n) {
		panic("op: Location segment index out of range")
	}
	return l.segs[i]
}

// Add appends a segment, aliasing seg. It reports false, leaving l
// unchanged, when l already has MaxLocationSegments segments.
func (l *Location) Add(seg []byte) bool {
	if l.n == MaxLocationSegments {
		return false
	}
	l.segs[l.n] = seg
	l.n++
	return true
}

// Reset empties l.
func (l *Location) Reset() { *l = Location{} }

// Equal reports whether l and o have the same segments.
func (l *Location) Equal(o *Location) bool {
	if l.n != o.n {
		return false
	}
	for i := 0; i < int(l.n); i++ {
		if !bytes.Equal(l.segs[i], o.segs[i]) {
			return false
		}
	}
	return true
}

// AppendText appends the location as a path, such as "/rd/5a3f" ("/" when
// empty).
func (l *Location) AppendText(b []byte) ([]byte, error) {
	if l.n == 0 {
		return append(b, '/'), nil
	}
	for i := 0; i < int(l.n); i++ {
		b = append(append(b, '/'), l.segs[i]...)
	}
	return b, nil
}

// String returns the location as a path, such as "/rd/5a3f".
func (l *Location) String() string {
	b, _ := l.AppendText(make([]byte, 0, 32))
	return string(b)
}

// SetText sets l to the segments of s, such as "/rd/5a3f" or "rd/5a3f",
// aliasing s. It reports false, leaving l empty, for an empty segment or
// more than MaxLocationSegments.
func (l *Location) SetText(s []byte) bool {
	l.Reset()
	if len(s) > 0 && s[0] == '/' {
		s = s[1:]
	}
	if len(s) == 0 {
		return true
	}
	for {
		i := bytes.IndexByte(s, '/')
		seg := s
		if i >= 0 {
			seg = s[:i:i]
		}
		if len(seg) == 0 || !l.Add(seg) {
			l.Reset()
			return false
		}
		if i < 0 {
			return true
		}
		s = s[i+1:]
	}
}

// The content formats an LwM2M payload may use (LwM2M Core 1.2 section 7.1,
// Table 7.1-1, and 1.1 section 7.1).
func isDataFormat(f coapmsg.MediaType) bool {
	switch f {
	case coapmsg.TextPlain, coapmsg.AppOctetStream, coapmsg.AppCBOR, coapmsg.AppSenMLJSON, coapmsg.AppSenMLCBOR,
		coapmsg.AppLwM2MTLV, coapmsg.AppLwM2MJSON, coapmsg.AppLwM2MCBOR, coapmsg.AppLwM2MTLVOld, coapmsg.AppLwM2MJSONOld:
		return true
	}
	return false
}

// isSingleFormat reports whether f can carry only one value: plain text,
// opaque and CBOR, which LwM2M Core 7.4 limits to a single Resource or
// Resource Instance.
func isSingleFormat(f coapmsg.MediaType) bool {
	return f == coapmsg.TextPlain || f == coapmsg.AppOctetStream || f == coapmsg.AppCBOR
}

// isCompositeFormat reports whether f can carry several paths: SenML JSON,
// SenML CBOR and, in LwM2M 1.2, LwM2M CBOR (LwM2M Core 7.4.4 to 7.4.6).
func isCompositeFormat(f coapmsg.MediaType) bool {
	return f == coapmsg.AppSenMLJSON || f == coapmsg.AppSenMLCBOR || f == coapmsg.AppLwM2MCBOR
}

// isBootstrapFormat reports whether f may be the Preferred Content Format
// of a Bootstrap-Request: TLV, SenML JSON or SenML CBOR (LwM2M Core
// 6.1.7.1), and LwM2M CBOR in LwM2M 1.2.
func isBootstrapFormat(f coapmsg.MediaType) bool {
	return f == coapmsg.AppLwM2MTLV || f == coapmsg.AppLwM2MTLVOld || isCompositeFormat(f)
}
