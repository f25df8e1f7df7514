package op

import (
	"strconv"

	"github.com/iotwire/iotwire/coapmsg"
)

// Builder turns Requests and Responses into CoAP messages with coapmsg's
// builder. It owns the [coapmsg.Message] it builds and the bytes of the
// option values it formats (path identifiers, query parameters), so that
// building allocates nothing once the storage has grown to the largest
// message built. The zero value is ready to use; keep one per goroutine
// and do not copy it after first use.
//
// The message a call builds aliases the Request or Response (Token,
// Payload, parameters) and the Builder; it is valid until the next call.
type Builder struct {
	msg  coapmsg.Message
	text []byte
	buf  [256]byte
}

// start resets the Builder for a new message.
func (bd *Builder) start(t coapmsg.Type, c coapmsg.Code, mid uint16, token []byte) *coapmsg.Message {
	if cap(bd.text) == 0 {
		bd.text = bd.buf[:0]
	}
	bd.text = bd.text[:0]
	m := &bd.msg
	m.Reset()
	m.Type, m.Code, m.MessageID, m.Token = t, c, mid, token
	return m
}

// mark and done bracket a value appended to bd.text.
func (bd *Builder) mark() int { return len(bd.text) }

func (bd *Builder) done(n coapmsg.OptionNumber, at int) {
	v := bd.text[at:len(bd.text):len(bd.text)]
	bd.msg.AddOption(n, v)
}

// param adds the Uri-Query "name=value" where value is appended by the
// caller between mark and done; paramBytes adds one with a byte value.
func (bd *Builder) paramBytes(name string, v []byte) {
	at := bd.mark()
	bd.text = append(append(append(bd.text, name...), '='), v...)
	bd.done(coapmsg.URIQuery, at)
}

// Request builds the CoAP request of r and returns it. It checks r with
// the rules Parse applies, and more (see [Request.Check]), so that what it
// builds parses back to r. The message stays valid until the next call.
func (bd *Builder) Request(r *Request) (*coapmsg.Message, error) {
	if err := r.check(true); err != nil {
		return nil, err
	}
	k := r.Kind
	if k == KindCancelObservation && r.Type == coapmsg.Reset {
		return bd.start(coapmsg.Reset, coapmsg.Empty, r.MessageID, nil), nil
	}
	m := bd.start(r.Type, k.method(r.Partial), r.MessageID, r.Token)
	switch k {
	case KindObserve, KindObserveComposite:
		m.SetUint(coapmsg.Observe, 0)
	case KindCancelObservation, KindCancelObservationComposite:
		m.SetUint(coapmsg.Observe, 1)
	}
	switch k {
	case KindBootstrapRequest, KindBootstrapFinish:
		m.AddOption(coapmsg.URIPath, segBS)
	case KindBootstrapPackRequest:
		m.AddOption(coapmsg.URIPath, segBSPack)
	case KindRegister:
		m.AddOption(coapmsg.URIPath, segRD)
	case KindSend:
		m.AddOption(coapmsg.URIPath, segDP)
	case KindUpdate, KindDeregister:
		for i := 0; i < r.Location.Len(); i++ {
			m.AddOption(coapmsg.URIPath, r.Location.segs[i])
		}
	default:
		for i := 0; i < r.Path.Len(); i++ {
			at := bd.mark()
			bd.text = strconv.AppendUint(bd.text, uint64(r.Path.ID(i)), 10)
			bd.done(coapmsg.URIPath, at)
		}
	}
	if r.HasContentFormat {
		m.SetUint(coapmsg.ContentFormat, uint64(r.ContentFormat))
	}
	switch {
	case k == KindDiscover || k == KindBootstrapDiscover:
		m.SetUint(coapmsg.Accept, uint64(coapmsg.AppLinkFormat))
	case r.HasAccept:
		m.SetUint(coapmsg.Accept, uint64(r.Accept))
	}
	bd.params(&r.Params)
	bd.attrs(&r.Attrs)
	if r.HasDepth {
		at := bd.mark()
		bd.text = strconv.AppendUint(append(bd.text, "depth="...), uint64(r.Depth), 10)
		bd.done(coapmsg.URIQuery, at)
	}
	m.Payload = r.Payload
	return m, nil
}

// AppendRequest appends the CoAP request of r in the UDP format (RFC 7252
// section 3) to b. On error it returns b unchanged.
func (bd *Builder) AppendRequest(b []byte, r *Request) ([]byte, error) {
	m, err := bd.Request(r)
	if err != nil {
		return b, err
	}
	return m.AppendBinary(b)
}

var (
	segBS     = []byte("bs")
	segBSPack = []byte("bspack")
	segRD     = []byte("rd")
	segDP     = []byte("dp")
)

// params adds the registration parameters in the order ep, lt, lwm2m, b,
// sms, Q, pct, then the extra ones.
func (bd *Builder) params(p *Params) {
	if p.Set&ParamEndpoint != 0 {
		bd.paramBytes("ep", p.Endpoint)
	}
	if p.Set&ParamLifetime != 0 {
		at := bd.mark()
		bd.text = strconv.AppendUint(append(bd.text, "lt="...), p.Lifetime, 10)
		bd.done(coapmsg.URIQuery, at)
	}
	if p.Set&ParamVersion != 0 {
		at := bd.mark()
		bd.text, _ = p.Version.AppendText(append(bd.text, "lwm2m="...))
		bd.done(coapmsg.URIQuery, at)
	}
	if p.Set&ParamBinding != 0 {
		at := bd.mark()
		bd.text, _ = p.Binding.AppendText(append(bd.text, "b="...))
		bd.done(coapmsg.URIQuery, at)
	}
	if p.Set&ParamSMS != 0 {
		bd.paramBytes("sms", p.SMS)
	}
	if p.Set&ParamQueue != 0 {
		bd.msg.AddOption(coapmsg.URIQuery, segQ)
	}
	if p.Set&ParamPreferredFormat != 0 {
		at := bd.mark()
		bd.text = strconv.AppendUint(append(bd.text, "pct="...), uint64(p.PreferredFormat), 10)
		bd.done(coapmsg.URIQuery, at)
	}
	for i := 0; i < int(p.NExtra); i++ {
		bd.msg.AddOption(coapmsg.URIQuery, p.Extra[i])
	}
}

var segQ = []byte("Q")

// attrs adds the notification attributes: those with a value as
// "name=value", those to remove as "name".
func (bd *Builder) attrs(a *Attributes) {
	if a.Empty() {
		return
	}
	for _, an := range attrNames {
		switch {
		case a.Set&an.bit != 0:
			at := bd.mark()
			bd.text = appendAttrValue(append(append(bd.text, an.name...), '='), a, an.bit)
			bd.done(coapmsg.URIQuery, at)
		case a.Unset&an.bit != 0:
			at := bd.mark()
			bd.text = append(bd.text, an.name...)
			bd.done(coapmsg.URIQuery, at)
		}
	}
}

// Check reports whether r is a request the Builder can write: the rules
// Parse applies to the operation, and the ones its mapping makes by
// construction (a Write with Partial and plain text on a Resource would
// read back as an Execute). It returns nil or an [*Error].
func (r *Request) Check() error {
	if err := r.check(true); err != nil {
		return err
	}
	return nil
}
