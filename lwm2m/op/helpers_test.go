package op

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// opt is one extra option of a test message.
type opt struct {
	n coapmsg.OptionNumber
	v []byte
}

func u(n coapmsg.OptionNumber, v uint64) opt { return opt{n, coapmsg.AppendUint(nil, v)} }

func cf(f coapmsg.MediaType) opt  { return u(coapmsg.ContentFormat, uint64(f)) }
func acc(f coapmsg.MediaType) opt { return u(coapmsg.Accept, uint64(f)) }
func obs(v uint64) opt            { return u(coapmsg.Observe, v) }

// The header of every test request unless a case says otherwise.
var (
	testToken = []byte{0xab, 0xcd}
	testMID   = uint16(0x1234)
)

// message builds a test message: path segments split on '/', query
// parameters on '&', then the options and the payload.
func message(typ coapmsg.Type, code coapmsg.Code, p, q string, opts []opt, payload string) *coapmsg.Message {
	m := new(coapmsg.Message)
	m.Type, m.Code, m.MessageID = typ, code, testMID
	if code != coapmsg.Empty {
		m.Token = testToken
	}
	if p != "" {
		for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
			if p == "/" {
				break
			}
			m.AddOption(coapmsg.URIPath, []byte(seg))
		}
	}
	if q != "" {
		for _, seg := range strings.Split(q, "&") {
			m.AddOption(coapmsg.URIQuery, []byte(seg))
		}
	}
	for _, o := range opts {
		m.AddOption(o.n, o.v)
	}
	if payload != "" {
		m.Payload = []byte(payload)
	}
	return m
}

// overWire encodes and decodes m, so that the parsed fields alias a datagram.
func overWire(tb testing.TB, m *coapmsg.Message) *coapmsg.Message {
	tb.Helper()
	b, err := m.AppendBinary(nil)
	if err != nil {
		tb.Fatalf("encode test message: %v", err)
	}
	d := new(coapmsg.Message)
	if _, err := d.Decode(b); err != nil {
		tb.Fatalf("decode test message: %v", err)
	}
	return d
}

// equalRequest compares two Requests field by field, bytes by content.
func equalRequest(a, b *Request) bool {
	return a.Kind == b.Kind && a.Type == b.Type && a.MessageID == b.MessageID && bytes.Equal(a.Token, b.Token) &&
		a.Path == b.Path && a.Location.Equal(&b.Location) &&
		a.ContentFormat == b.ContentFormat && a.HasContentFormat == b.HasContentFormat &&
		a.Accept == b.Accept && a.HasAccept == b.HasAccept && a.Partial == b.Partial &&
		equalParams(&a.Params, &b.Params) && a.Attrs == b.Attrs &&
		a.Depth == b.Depth && a.HasDepth == b.HasDepth && bytes.Equal(a.Payload, b.Payload)
}

func equalParams(a, b *Params) bool {
	if a.Set != b.Set || !bytes.Equal(a.Endpoint, b.Endpoint) || a.Lifetime != b.Lifetime || a.Version != b.Version ||
		a.Binding != b.Binding || !bytes.Equal(a.SMS, b.SMS) || a.PreferredFormat != b.PreferredFormat || a.NExtra != b.NExtra {
		return false
	}
	for i := 0; i < int(a.NExtra); i++ {
		if !bytes.Equal(a.Extra[i], b.Extra[i]) {
			return false
		}
	}
	return true
}

func equalResponse(a, b *Response) bool {
	return a.Kind == b.Kind && a.Type == b.Type && a.MessageID == b.MessageID && bytes.Equal(a.Token, b.Token) &&
		a.Code == b.Code && a.ContentFormat == b.ContentFormat && a.HasContentFormat == b.HasContentFormat &&
		a.Observe == b.Observe && a.HasObserve == b.HasObserve && a.Location.Equal(&b.Location) &&
		bytes.Equal(a.Payload, b.Payload)
}

// show formats a Request for failure messages.
func show(r *Request) string {
	var b strings.Builder
	b.WriteString(r.Kind.String() + " " + r.Type.String() + " " + r.Path.String())
	if r.Location.Len() > 0 {
		b.WriteString(" loc=" + r.Location.String())
	}
	if r.HasContentFormat {
		b.WriteString(" cf=" + r.ContentFormat.String())
	}
	if r.HasAccept {
		b.WriteString(" accept=" + r.Accept.String())
	}
	if r.Partial {
		b.WriteString(" partial")
	}
	if r.Params.Set != 0 || r.Params.NExtra != 0 {
		b.WriteString(" params=" + r.Params.Set.String() + " ep=" + string(r.Params.Endpoint) + " b=" + r.Params.Binding.String())
	}
	if !r.Attrs.Empty() {
		b.WriteString(" attrs=" + r.Attrs.Set.String() + " unset=" + r.Attrs.Unset.String())
	}
	b.WriteString(" payload=" + string(r.Payload))
	return b.String()
}

// checkErr checks that err is an *Error of the class with the code.
func checkErr(t *testing.T, err error, class error, code coapmsg.Code) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is no *Error", err, err)
	}
	if !errors.Is(err, class) {
		t.Fatalf("error %v: class %v, want %v", err, e.Err, class)
	}
	if e.Code != code {
		t.Fatalf("error %v: code %v, want %v", err, e.Code, code)
	}
	if e.Error() == "" || !strings.HasPrefix(e.Error(), "op: ") {
		t.Fatalf("error text %q", e.Error())
	}
}

// Shorthands for the expected values.
func res(o, i, r uint16) path.Path   { return path.Resource(o, i, r) }
func inst(o, i uint16) path.Path     { return path.Instance(o, i) }
func loc(s string) (l Location)      { l.SetText([]byte(s)); return l }
func attrs(set link.Attr) Attributes { return Attributes{Set: set} }
func withAccept(r Request, f coapmsg.MediaType) Request {
	r.Accept, r.HasAccept = f, true
	return r
}
func withCF(r Request, f coapmsg.MediaType) Request {
	r.ContentFormat, r.HasContentFormat = f, true
	return r
}
