package fuzz

import (
	"errors"
	"reflect"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
	udpcoder "github.com/plgd-dev/go-coap/v3/udp/coder"

	"github.com/iotwire/iotwire/coapmsg"
)

// co is what a decoder read from a CoAP message, in one form for coapmsg
// and go-coap, compared with reflect.DeepEqual.
type co struct {
	Type      uint8
	Code      uint8
	MessageID uint16
	Token     string
	Options   []string // number, then value, in wire order
	Payload   string
}

func optString(n uint16, v []byte) string {
	return string([]byte{byte(n >> 8), byte(n)}) + string(v)
}

func iotCo(m *coapmsg.Message) co {
	c := co{Type: uint8(m.Type), Code: uint8(m.Code), MessageID: m.MessageID, Token: string(m.Token), Payload: string(m.Payload)}
	for _, o := range m.Options {
		c.Options = append(c.Options, optString(uint16(o.Number), o.Value))
	}
	return c
}

func gcCo(m *message.Message) co {
	c := co{Type: uint8(m.Type), Code: uint8(m.Code), MessageID: uint16(m.MessageID), Token: string(m.Token), Payload: string(m.Payload)}
	for _, o := range m.Options {
		c.Options = append(c.Options, optString(uint16(o.ID), o.Value))
	}
	return c
}

// coapSeeds returns a few messages of the shapes LwM2M uses, encoded by coapmsg.
func coapSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	add := func(m *coapmsg.Message) {
		b, err := m.AppendBinary(nil)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	var m coapmsg.Message
	m.Type, m.Code, m.MessageID, m.Token = coapmsg.Confirmable, coapmsg.GET, 0x1234, []byte{1, 2, 3, 4}
	m.SetPath([]byte("/3/0/1"))
	m.SetUint(coapmsg.Accept, 11542)
	add(&m)
	m.Reset()
	m.Type, m.Code, m.MessageID = coapmsg.Acknowledgement, coapmsg.Content, 0x1234
	m.SetUint(coapmsg.ContentFormat, 110)
	m.Payload = []byte(`[{"n":"/3/0/0","vs":"x"}]`)
	add(&m)
	m.Reset()
	m.Type, m.Code, m.MessageID, m.Token = coapmsg.NonConfirmable, coapmsg.Content, 7, []byte{9}
	m.SetUint(coapmsg.Observe, 12)
	m.SetUint(coapmsg.Block2, 0x1d)
	m.Payload = []byte("0123456789")
	add(&m)
	out = append(out, []byte{0x60, 0x00, 0x12, 0x34}) // Empty ACK
	return out
}

// FuzzCoAPGoCoap feeds the same datagram to coapmsg and to go-coap v3's
// UDP coder. Whatever coapmsg accepts (an option that breaks its registry
// entry included: coapmsg still decodes the whole message and reports
// ErrBadOption), go-coap must accept and read the same type, code, message
// id, token, options and payload from, except for the documented differences
// in README.md. Whatever coapmsg rejects must come with a typed error
// naming the field; go-coap may accept it.
func FuzzCoAPGoCoap(f *testing.F) {
	for _, s := range coapSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m coapmsg.Message
		if _, err := m.Decode(b); err != nil {
			var e *coapmsg.Error
			if !errors.As(err, &e) || e.Field == "" {
				t.Fatalf("coapmsg rejects %x without a typed error: %v", b, err)
			}
			// An option outside its registry bounds (ErrBadOption) must be
			// treated as unrecognized (RFC 7252 5.4.3): coapmsg decodes the
			// whole message and reports it, go-coap silently drops the
			// over-long ones. The two cannot be compared there.
			return
		}
		if len(m.Options) > 16 || gcDiffers(&m) {
			return
		}
		gm := message.Message{Options: make(message.Options, 0, 16)}
		if _, err := udpcoder.DefaultCoder.Decode(b, &gm); err != nil {
			t.Fatalf("coapmsg accepts %x, go-coap rejects it: %v", b, err)
		}
		ours, theirs := iotCo(&m), gcCo(&gm)
		if !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("%x: coapmsg and go-coap disagree:\ncoapmsg %+v\ngo-coap %+v", b, ours, theirs)
		}
	})
}

// gcDiffers reports the messages that go-coap v3 reads differently from
// RFC 7252; README.md lists them with the rule.
func gcDiffers(m *coapmsg.Message) bool {
	for _, o := range m.Options {
		if o.Number == 0 {
			// RFC 7252 12.2 reserves option number 0; it is still an option
			// of the message (an elective one, 5.4.1), which coapmsg keeps
			// and go-coap drops.
			return true
		}
	}
	return false
}
