package bench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
)

// iotwire: github.com/iotwire/iotwire/coapmsg.
//
// Decoding is Message.Decode (UDP) or Message.DecodeTCP (RFC 8323 framing)
// into a reused Message; encoding is AppendBinary or AppendTCP of a
// prepared Message into a reused buffer.

// coapIotMessage returns the coapmsg message of case name, built with
// coapmsg's helpers. Its encoding is the wire every implementation decodes.
func coapIotMessage(name string) *coapmsg.Message {
	m := &coapmsg.Message{Type: coapmsg.Confirmable, MessageID: coapMID, Token: []byte(coapToken)}
	switch name {
	case "coap-lwm2m-read-req", "coap+tcp-lwm2m-read-req":
		m.Code = coapmsg.GET
		m.SetPath([]byte("/3/0"))
		m.SetUint(coapmsg.Accept, cfLwM2MTLV)
	case "coap-con-get-4opts":
		m.Code = coapmsg.GET
		m.SetOption(coapmsg.URIHost, []byte(coapHost))
		m.SetPath([]byte("/sensors/temperature"))
		m.SetUint(coapmsg.Accept, cfJSON)
	case "coap-lwm2m-read-resp", "coap+tcp-lwm2m-read-resp":
		m.Type, m.Code = coapmsg.Acknowledgement, coapmsg.Content
		m.SetUint(coapmsg.ContentFormat, cfLwM2MTLV)
		m.Payload = []byte(coapPayload(64))
	case "coap-content-64B":
		m.Type, m.Code = coapmsg.NonConfirmable, coapmsg.Content
		m.SetUint(coapmsg.ContentFormat, cfJSON)
		m.Payload = []byte(coapPayload(64))
	case "coap-block2-observe":
		m.Type, m.Code, m.Token = coapmsg.NonConfirmable, coapmsg.Content, []byte(coapToken8)
		m.SetUint(coapmsg.Observe, coapObserve)
		m.SetUint(coapmsg.ContentFormat, cfLwM2MJSON)
		m.SetUint(coapmsg.Block2, coapBlock2)
		m.Payload = []byte(coapPayload(512))
	case "coap-300B-option":
		m.Code = coapmsg.GET
		m.SetOption(coapmsg.ProxyURI, []byte(coapProxyURI))
	case "coap-lwm2m-register":
		m.Code = coapmsg.POST
		m.SetPath([]byte("/rd"))
		m.SetUint(coapmsg.ContentFormat, cfLinkFormat)
		m.SetQuery([]byte(coapRegQuery))
		m.Payload = []byte(coapLinks)
	default:
		panic("no coapmsg message for " + name)
	}
	if strings.HasPrefix(name, "coap+tcp-") {
		m.Type, m.MessageID = 0, 0 // the TCP framing has neither
	}
	return m
}

// coapIotEncode appends m in the UDP format, or the TCP one if tcp.
func coapIotEncode(m *coapmsg.Message, tcp bool, b []byte) ([]byte, error) {
	if tcp {
		return m.AppendTCP(b)
	}
	return m.AppendBinary(b)
}

// coapIotDecode decodes the message in b, in the UDP format or the TCP one.
func coapIotDecode(m *coapmsg.Message, b []byte, tcp bool) (int, error) {
	if tcp {
		return m.DecodeTCP(b)
	}
	return m.Decode(b)
}

func coapIotBenchDecode(b *testing.B, c *coapCase) {
	var m coapmsg.Message
	wire, tcp := c.wire, c.tcp
	for b.Loop() {
		if _, err := coapIotDecode(&m, wire, tcp); err != nil {
			b.Fatal(err)
		}
	}
}

func coapIotBenchEncode(b *testing.B, c *coapCase) {
	m := coapIotMessage(c.name)
	tcp := c.tcp
	buf := make([]byte, 0, 1024)
	for b.Loop() {
		var err error
		if buf, err = coapIotEncode(m, tcp, buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func coapIotDecodeOnce(c *coapCase) (coapMsg, error) {
	var m coapmsg.Message
	n, err := coapIotDecode(&m, c.wire, c.tcp)
	if err != nil {
		return coapMsg{}, err
	}
	if n != len(c.wire) {
		return coapMsg{}, fmt.Errorf("decoded %d of %d bytes", n, len(c.wire))
	}
	return coapIotMsg(&m), nil
}

func coapIotEncodeOnce(c *coapCase) ([]byte, error) {
	return coapIotEncode(coapIotMessage(c.name), c.tcp, nil)
}

// coapIotMsg converts a coapmsg message to a coapMsg. A message decoded
// from the TCP framing must have Type and MessageID 0.
func coapIotMsg(m *coapmsg.Message) coapMsg {
	out := coapMsg{Type: byte(m.Type), Code: byte(m.Code), MID: m.MessageID,
		Token: string(m.Token), Payload: string(m.Payload)}
	for _, o := range m.Options {
		out.Options = append(out.Options, coapOpt{uint16(o.Number), string(o.Value)})
	}
	return out
}
