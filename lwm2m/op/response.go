package op

import (
	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The sections cited by the response rules.
const (
	ruleResponse    = "RFC 7252 5.2: a response is a 2.xx, 4.xx or 5.xx in an ACK, CON or NON"
	ruleRegLocation = "LwM2M Core 6.2.1 Register: 2.01 Created carries the Location-Path of the registration"
	ruleNotify      = "RFC 7641 4.2: a notification carries the Observe option"
	ruleObserveSeq  = "RFC 7641 4.4: the sequence number is 24 bits"
)

// Response is the CoAP response to an LwM2M operation: what
// [Response.Parse] reads and [Builder.AppendResponse] writes. Token,
// Payload and the Location segments alias the message.
type Response struct {
	// Kind is the operation answered; KindNotify for a notification
	// after the first response to an Observe.
	Kind      Kind
	Type      coapmsg.Type // ACK for a piggybacked response; CON or NON for a separate one or a notification
	MessageID uint16
	Token     []byte
	Code      coapmsg.Code

	ContentFormat    coapmsg.MediaType
	HasContentFormat bool
	// Observe, when HasObserve, is the notification sequence number
	// (RFC 7641 section 4.4), 0 to 2^24-1.
	Observe    uint32
	HasObserve bool
	// Location is the Location-Path of a 2.01 Created: the registration
	// location answering Register ("/rd/5a3f"), or the new Object
	// Instance answering Create ("/3303/1").
	Location Location
	Payload  []byte
}

// Reply returns the response skeleton to req with the given code:
// piggybacked in an ACK with the request's Message ID when the request is
// a CON, a NON with Message ID 0 otherwise (the caller sets a fresh one,
// RFC 7252 section 5.2.3), and the request's token. Set Location,
// ContentFormat and Payload as the operation needs and build it with
// [Builder.AppendResponse].
func Reply(req *Request, code coapmsg.Code) Response {
	resp := Response{Kind: req.Kind, Type: coapmsg.Acknowledgement, MessageID: req.MessageID, Token: req.Token, Code: code}
	if req.Type == coapmsg.NonConfirmable {
		resp.Type, resp.MessageID = coapmsg.NonConfirmable, 0
	}
	return resp
}

// Notify returns a notification for the observation that obs, an Observe
// or Observe-Composite request, established: a NON (set Type to CON for a
// confirmable one, with a fresh MessageID) with 2.05 Content, the
// observation's token and the sequence number seq, taken modulo 2^24
// (RFC 7641 sections 4.2 and 4.4). Set ContentFormat and Payload.
func Notify(obs *Request, seq uint32) Response {
	return Response{Kind: KindNotify, Type: coapmsg.NonConfirmable, Token: obs.Token, Code: coapmsg.Content,
		Observe: seq & coapmsg.MaxObserve, HasObserve: true}
}

// Parse reads m, the response to an operation of Kind k, into r, which it
// resets first. It checks that k allows the code ([Kind.Allows]), that a
// 2.01 Created answering Register carries the registration's Location-Path,
// and that a notification (KindNotify) with a success code carries the
// Observe option. Errors wrap [ErrResponse] (or [ErrLimit] past
// MaxLocationSegments).
func (r *Response) Parse(m *coapmsg.Message, k Kind) error {
	if err := r.parse(m, k); err != nil {
		return err
	}
	return nil
}

func (r *Response) parse(m *coapmsg.Message, k Kind) *Error {
	*r = Response{Kind: k, Type: m.Type, MessageID: m.MessageID, Token: m.Token, Code: m.Code, Payload: m.Payload}
	if !m.Code.IsResponse() || m.Type == coapmsg.Reset {
		return r.err("code", 0, ErrResponse, ruleResponse, "not a response")
	}
	for i := range m.Options {
		o := &m.Options[i]
		switch o.Number {
		case coapmsg.LocationPath:
			if len(o.Value) == 0 {
				return r.err("location-path", o.Number, ErrResponse, ruleRegLocation, "empty location segment")
			}
			if !r.Location.Add(o.Value) {
				return r.err("location-path", o.Number, ErrLimit, "op MaxLocationSegments", "more location segments than MaxLocationSegments")
			}
		case coapmsg.ContentFormat:
			var v uint64
			if rule, msg := readUintRule(o, 2, &v, &r.HasContentFormat); msg != "" {
				return r.err("option", o.Number, ErrResponse, rule, msg)
			}
			r.ContentFormat = coapmsg.MediaType(v)
		case coapmsg.Observe:
			var v uint64
			if rule, msg := readUintRule(o, 3, &v, &r.HasObserve); msg != "" {
				return r.err("option", o.Number, ErrResponse, rule, msg)
			}
			r.Observe = uint32(v)
		default:
			if o.Number.Critical() {
				if _, ok := coapmsg.LookupOption(m.Code, o.Number); !ok {
					return r.err("option", o.Number, ErrResponse, ruleCritical, "unrecognized critical option")
				}
			}
		}
	}
	return r.check(false)
}

func (r *Response) err(field string, opt coapmsg.OptionNumber, class error, rule, msg string) *Error {
	return &Error{Kind: r.Kind, Field: field, Option: opt, Rule: rule, Msg: msg, Err: class}
}

// check applies the response rules of r.Kind.
func (r *Response) check(build bool) *Error {
	k := r.Kind
	if k == 0 || k >= numKinds {
		return r.err("kind", 0, ErrResponse, "", "unknown operation")
	}
	if build && (!r.Code.IsResponse() || r.Type == coapmsg.Reset) {
		return r.err("code", 0, ErrResponse, ruleResponse, "not a response")
	}
	if !k.Allows(r.Code) {
		return r.err("code", 0, ErrResponse, kinds[k].codeRule, "response code not allowed for the operation")
	}
	for i := 0; build && i < r.Location.Len(); i++ {
		if len(r.Location.segs[i]) == 0 {
			return r.err("location-path", coapmsg.LocationPath, ErrResponse, ruleRegLocation, "empty location segment")
		}
	}
	switch {
	case k == KindRegister && r.Code == coapmsg.Created:
		if r.Location.Len() == 0 || len(r.Location.segs[0]) == 0 {
			return r.err("location-path", coapmsg.LocationPath, ErrResponse, ruleRegLocation, "2.01 Created without a Location-Path")
		}
	case k == KindNotify && r.Code.Class() == 2 && !r.HasObserve:
		return r.err("observe", coapmsg.Observe, ErrResponse, ruleNotify, "notification without the Observe option")
	}
	if build && r.HasObserve && r.Observe > coapmsg.MaxObserve {
		return r.err("observe", coapmsg.Observe, ErrResponse, ruleObserveSeq, "Observe value above 2^24-1")
	}
	return nil
}

// CreatedPath returns the Object Instance path in the Location-Path of a
// 2.01 Created answering Create (LwM2M Core 6.3.6), such as /3303/1.
func (r *Response) CreatedPath() (path.Path, bool) {
	var p path.Path
	if r.Location.Len() != 2 {
		return p, false
	}
	for i := 0; i < 2; i++ {
		id, ok := parseSegID(r.Location.segs[i])
		if !ok {
			return path.Path{}, false
		}
		p, _ = p.Child(id)
	}
	return p, true
}

// Response builds the CoAP response of r and returns it, checking r with
// the rules Parse applies. The message stays valid until the next call.
func (bd *Builder) Response(r *Response) (*coapmsg.Message, error) {
	if err := r.check(true); err != nil {
		return nil, err
	}
	m := bd.start(r.Type, r.Code, r.MessageID, r.Token)
	if r.HasObserve {
		m.SetObserve(r.Observe)
	}
	for i := 0; i < r.Location.Len(); i++ {
		m.AddOption(coapmsg.LocationPath, r.Location.segs[i])
	}
	if r.HasContentFormat {
		m.SetUint(coapmsg.ContentFormat, uint64(r.ContentFormat))
	}
	m.Payload = r.Payload
	return m, nil
}

// AppendResponse appends the CoAP response of r in the UDP format (RFC
// 7252 section 3) to b. On error it returns b unchanged.
func (bd *Builder) AppendResponse(b []byte, r *Response) ([]byte, error) {
	m, err := bd.Response(r)
	if err != nil {
		return b, err
	}
	return m.AppendBinary(b)
}

// SetCreatedPath sets the Location-Path of a Create's 2.01 Created to the
// new Object Instance p, formatting its identifiers into buf, which it
// returns; the segments alias buf, so pass a buffer that outlives r (its
// capacity must hold the digits, up to 10 bytes, or it grows).
func (r *Response) SetCreatedPath(p path.Path, buf []byte) []byte {
	r.Location.Reset()
	if p.Len() != 2 {
		return buf
	}
	start := len(buf)
	buf = appendUint16(buf, p.ID(0))
	mid := len(buf)
	buf = appendUint16(buf, p.ID(1))
	r.Location.Add(buf[start:mid:mid])
	r.Location.Add(buf[mid:len(buf):len(buf)])
	return buf
}

func appendUint16(b []byte, v uint16) []byte {
	var d [5]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}
