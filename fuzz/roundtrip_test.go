package fuzz

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"sigs.k8s.io/randfill"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/mqttpkt"
)

// The structure-aware round-trip targets build random packet values with
// randfill from the fuzzer's bytes, encode them, and check that whatever
// an iotwire encoder writes, the decoder reads back field for field, and
// that encoding the decoded value gives the same bytes. Values the encoder
// refuses are skipped: the encoder's checks are pinned by the unit tests.

// filler returns a randfill.Filler over data that makes mostly valid
// values: short ASCII byte strings, QoS 0 to 2, a handful of elements.
func filler(data []byte) *randfill.Filler {
	return randfill.NewFromGoFuzz(data).NilChance(0.2).NumElements(0, 4).MaxDepth(4).Funcs(
		func(b *[]byte, c randfill.Continue) {
			const alphabet = "abcz019/_-. "
			n := c.Intn(12)
			if n == 0 && c.Intn(2) == 0 {
				*b = nil
				return
			}
			s := make([]byte, n)
			for i := range s {
				s[i] = alphabet[c.Intn(len(alphabet))]
			}
			*b = s
		},
		func(q *mqttpkt.QoS, c randfill.Continue) { *q = mqttpkt.QoS(c.Intn(3)) },
		func(rc *mqttpkt.ReasonCode, c randfill.Continue) {
			codes := []mqttpkt.ReasonCode{0, 1, 2, 4, 0x10, 0x11, 0x18, 0x80, 0x83, 0x87, 0x8b, 0x91, 0x92, 0x97}
			*rc = codes[c.Intn(len(codes))]
		},
		fillProps,
	)
}

// fillProps sets up to three properties, most of them valid in some
// packet: a random set of all 27 would never pass the per-packet table.
func fillProps(p *mqttpkt.Properties, c randfill.Continue) {
	str := func() []byte { return []byte("ab/" + string(rune('a'+c.Intn(26)))) }
	for range c.Intn(4) {
		switch c.Intn(16) {
		case 0:
			p.PayloadFormat = uint8(c.Intn(2))
			p.Set(mqttpkt.PropPayloadFormat)
		case 1:
			p.MessageExpiry = c.Uint32()
			p.Set(mqttpkt.PropMessageExpiry)
		case 2:
			p.ContentType = str()
		case 3:
			p.ResponseTopic = str()
		case 4:
			p.CorrelationData = []byte{byte(c.Uint32()), 0}
		case 5:
			p.SubscriptionIDs = append(p.SubscriptionIDs, 1+c.Uint32()%268435455)
		case 6:
			p.SessionExpiry = c.Uint32()
			p.Set(mqttpkt.PropSessionExpiry)
		case 7:
			p.ReasonString = str()
		case 8:
			p.ReceiveMaximum = 1 + uint16(c.Intn(100))
		case 9:
			p.TopicAlias = 1 + uint16(c.Intn(100))
		case 10:
			p.User.Add(c.String(4), c.String(6))
		case 11:
			p.WillDelay = c.Uint32()
			p.Set(mqttpkt.PropWillDelay)
		case 12:
			p.AuthMethod = str()
		case 13:
			p.AuthData = []byte{1, 2, byte(c.Intn(256))}
		case 14:
			p.MaximumQoS = uint8(c.Intn(2))
			p.Set(mqttpkt.PropMaximumQoS)
		default:
			p.ServerKeepAlive = uint16(c.Intn(1000))
			p.Set(mqttpkt.PropServerKeepAlive)
		}
	}
}

// FuzzMQTTRoundTrip fills a random packet of every type and version.
func FuzzMQTTRoundTrip(f *testing.F) {
	for i := range 32 {
		f.Add([]byte{byte(i), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		p := buildMQTT(data)
		v := []mqttpkt.Version{mqttpkt.V311, mqttpkt.V5}[data[0]&1]
		if p.PacketType() == mqttpkt.TypeAuth {
			v = mqttpkt.V5
		}
		b, err := p.AppendBinary(nil)
		if err != nil {
			return
		}
		if len(b) != p.Len() {
			t.Fatalf("%v: Len %d, AppendBinary wrote %d bytes", p.PacketType(), p.Len(), len(b))
		}
		q, n, err := mqttpkt.Decode(b, v)
		if err != nil {
			t.Fatalf("%v %x: the decoder rejects what the encoder wrote: %v", p.PacketType(), b, err)
		}
		if n != len(b) {
			t.Fatalf("%v %x: decoded %d of %d bytes", p.PacketType(), b, n, len(b))
		}
		if want, got := iotMQ(p), iotMQ(q); !reflect.DeepEqual(want, got) {
			t.Fatalf("%v %x: fields differ after the round trip:\nencoded %+v\ndecoded %+v", p.PacketType(), b, want, got)
		}
		b2, err := q.AppendBinary(nil)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("%v: re-encoding gives %x, %v; want %x", p.PacketType(), b2, err, b)
		}
	})
}

// buildMQTT fills a random packet: data[0] picks the type and version, the
// rest feeds randfill.
func buildMQTT(data []byte) mqttpkt.Packet {
	fl := filler(data[1:])
	v := []mqttpkt.Version{mqttpkt.V311, mqttpkt.V5}[data[0]&1]
	var p mqttpkt.Packet
	switch data[0] >> 1 % 12 {
	case 0:
		x := &mqttpkt.Publish{}
		fl.Fill(x)
		x.Version = v
		if x.QoS == 0 {
			x.PacketID, x.Dup = 0, false
		} else if x.PacketID == 0 {
			x.PacketID = 1
		}
		p = x
	case 1:
		x := &mqttpkt.Connect{}
		fl.Fill(x)
		x.Version = v
		if !x.WillFlag {
			x.Will = mqttpkt.Will{}
		}
		p = x
	case 2:
		x := &mqttpkt.Connack{}
		fl.Fill(x)
		x.Version = v
		p = x
	case 3:
		x := &mqttpkt.Ack{}
		fl.Fill(x)
		x.Version, x.Type = v, mqttpkt.TypePuback+mqttpkt.PacketType(data[0]>>5&3)
		p = x
	case 4:
		x := &mqttpkt.Subscribe{}
		fl.Fill(x)
		x.Version = v
		for i := range x.Subscriptions {
			x.Subscriptions[i].RetainHandling %= 3
			if v != mqttpkt.V5 {
				s := &x.Subscriptions[i]
				s.NoLocal, s.RetainAsPublished, s.RetainHandling = false, false, 0
			}
		}
		p = x
	case 5:
		x := &mqttpkt.Suback{}
		fl.Fill(x)
		x.Version = v
		p = x
	case 6:
		x := &mqttpkt.Unsubscribe{}
		fl.Fill(x)
		x.Version = v
		p = x
	case 7:
		x := &mqttpkt.Unsuback{}
		fl.Fill(x)
		x.Version = v
		p = x
	case 8:
		x := &mqttpkt.Disconnect{}
		fl.Fill(x)
		x.Version = v
		p = x
	case 9:
		x := &mqttpkt.Auth{}
		fl.Fill(x)
		x.Version = mqttpkt.V5
		p = x
	case 10:
		p = &mqttpkt.Pingreq{}
	default:
		p = &mqttpkt.Pingresp{}
	}
	if v != mqttpkt.V5 {
		// MQTT 3.1.1 has no properties and few reason codes.
		switch x := p.(type) {
		case *mqttpkt.Publish:
			x.Props = mqttpkt.Properties{}
		case *mqttpkt.Connect:
			x.Props, x.Will.Props = mqttpkt.Properties{}, mqttpkt.Properties{}
		case *mqttpkt.Connack:
			x.Props, x.ReasonCode = mqttpkt.Properties{}, x.ReasonCode%6
		case *mqttpkt.Ack:
			x.Props, x.ReasonCode = mqttpkt.Properties{}, 0
		case *mqttpkt.Subscribe:
			x.Props = mqttpkt.Properties{}
		case *mqttpkt.Suback:
			x.Props = mqttpkt.Properties{}
		case *mqttpkt.Unsubscribe:
			x.Props = mqttpkt.Properties{}
		case *mqttpkt.Unsuback:
			x.Props, x.ReasonCodes = mqttpkt.Properties{}, nil
		case *mqttpkt.Disconnect:
			x.Props, x.ReasonCode = mqttpkt.Properties{}, 0
		}
	}
	return p
}

// coapSpec is a random CoAP message before it is built with coapmsg's
// builder, which keeps the options sorted.
type coapSpec struct {
	Type      uint8
	Code      uint8
	MessageID uint16
	Token     []byte
	Options   []struct {
		Number uint16
		Value  []byte
	}
	Payload []byte
}

// FuzzCoAPRoundTrip builds a random CoAP message in the UDP and TCP formats.
func FuzzCoAPRoundTrip(f *testing.F) {
	for i := range 16 {
		f.Add([]byte{byte(i), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s coapSpec
		filler(data).Fill(&s)
		var m coapmsg.Message
		m.Type, m.Code, m.MessageID = coapmsg.Type(s.Type&3), coapmsg.Code(s.Code), s.MessageID
		m.Token, m.Payload = s.Token, s.Payload
		for _, o := range s.Options {
			// Mostly registered numbers, so that value checks run too.
			m.AddOption(coapmsg.OptionNumber(o.Number%70), o.Value)
		}
		tcp := len(data) > 0 && data[0]&1 == 1
		var b []byte
		var err error
		if tcp {
			m.Type, m.MessageID = 0, 0
			b, err = m.AppendTCP(nil)
		} else {
			b, err = m.AppendBinary(nil)
		}
		if err != nil {
			return
		}
		if tcp && m.Code.IsSignaling() {
			if n, ok := m.UnrecognizedCritical(); ok {
				// The encoder lets an unregistered critical signaling option
				// through (an extension the peer may know); a receiver that
				// does not know it aborts (RFC 8323 5.2), as DecodeTCP does.
				var d coapmsg.Message
				if _, err := d.DecodeTCP(b); !errors.Is(err, coapmsg.ErrAbort) {
					t.Fatalf("%x: critical signaling option %d: got %v, want an abort", b, n, err)
				}
				return
			}
		}
		var d coapmsg.Message
		if tcp {
			_, err = d.DecodeTCP(b)
		} else {
			_, err = d.Decode(b)
		}
		if err != nil {
			t.Fatalf("%x: the decoder rejects what the encoder wrote: %v", b, err)
		}
		if want, got := iotCo(&m), iotCo(&d); !reflect.DeepEqual(want, got) {
			t.Fatalf("%x: fields differ after the round trip:\nencoded %+v\ndecoded %+v", b, want, got)
		}
	})
}
