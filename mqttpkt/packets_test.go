package mqttpkt

import (
	"bytes"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// sample is a canonical packet value used by the round-trip, allocation,
// fuzz-seed and benchmark tests.
type sample struct {
	name string
	v    Version
	p    Packet
}

func props5(f func(p *Properties)) Properties {
	var p Properties
	f(&p)
	return p
}

// samples returns one valid packet of every type in every version.
func samples() []sample {
	var out []sample
	for _, v := range []Version{V311, V5} {
		vs := "-v311"
		if v == V5 {
			vs = "-v5"
		}
		pp := func(f func(p *Properties)) Properties {
			if v != V5 {
				return Properties{}
			}
			return props5(f)
		}
		out = append(out,
			sample{"connect" + vs, v, &Connect{Version: v, CleanStart: true, KeepAlive: 60, ClientID: []byte("sensor-17"),
				WillFlag: true, Will: Will{QoS: 1, Retain: true, Topic: []byte("status/sensor-17"), Payload: []byte("offline"),
					Props: pp(func(p *Properties) { p.WillDelay = 5; p.ContentType = []byte("text/plain") })},
				Username: []byte("user"), Password: []byte("secret"),
				Props: pp(func(p *Properties) {
					p.SessionExpiry = 3600
					p.ReceiveMaximum = 20
					p.TopicAliasMaximum = 10
					p.RequestProblemInfo = 1
					p.Set(PropRequestResponseInfo)
					p.User.Add("region", "eu")
				})}},
			sample{"connack" + vs, v, &Connack{Version: v, SessionPresent: true, Props: pp(func(p *Properties) {
				p.AssignedClientID = []byte("auto-1")
				p.TopicAliasMaximum = 10
				p.Set(PropMaximumQoS)
				p.RetainAvailable = 1
				p.Set(PropWildcardSubAvailable)
			})}},
			sample{"publish-qos0" + vs, v, &Publish{Version: v, Topic: []byte("sensors/room1/temperature"), Payload: []byte("21.5")}},
			sample{"publish-qos1" + vs, v, &Publish{Version: v, QoS: 1, Retain: true, PacketID: 10,
				Topic: []byte("sensors/room1/temperature"), Payload: []byte(`{"t":21.5,"u":"C"}`),
				Props: pp(func(p *Properties) {
					p.Set(PropPayloadFormat)
					p.MessageExpiry = 120
					p.ContentType = []byte("application/json")
					p.ResponseTopic = []byte("reply/here")
					p.CorrelationData = []byte{1, 2, 3}
					p.SubscriptionIDs = []uint32{1, 300}
					p.TopicAlias = 2
					p.User.Add("a", "1")
					p.User.Add("a", "2")
				})}},
			sample{"publish-qos2-dup" + vs, v, &Publish{Version: v, QoS: 2, Dup: true, PacketID: 65535, Topic: []byte("ü/ñ")}},
			sample{"puback" + vs, v, &Ack{Type: TypePuback, Version: v, PacketID: 10}},
			sample{"pubrec" + vs, v, &Ack{Type: TypePubrec, Version: v, PacketID: 11}},
			sample{"pubrel" + vs, v, &Ack{Type: TypePubrel, Version: v, PacketID: 12}},
			sample{"pubcomp" + vs, v, &Ack{Type: TypePubcomp, Version: v, PacketID: 13}},
			sample{"subscribe" + vs, v, &Subscribe{Version: v, PacketID: 2, Subscriptions: []Subscription{
				{Filter: []byte("sensors/+/temperature"), QoS: 1},
				{Filter: []byte("alerts/#"), QoS: 2},
				{Filter: []byte("$SYS/broker/uptime")},
			}, Props: pp(func(p *Properties) { p.SubscriptionIDs = []uint32{7} })}},
			sample{"suback" + vs, v, &Suback{Version: v, PacketID: 2, ReasonCodes: []ReasonCode{1, 2, 0x80}}},
			sample{"unsubscribe" + vs, v, &Unsubscribe{Version: v, PacketID: 3, Filters: [][]byte{[]byte("a/b"), []byte("c/#")}}},
			sample{"pingreq" + vs, v, &Pingreq{}},
			sample{"pingresp" + vs, v, &Pingresp{}},
			sample{"disconnect" + vs, v, &Disconnect{Version: v}},
		)
		if v == V5 {
			out = append(out,
				sample{"puback-reason-v5", v, &Ack{Type: TypePuback, Version: v, PacketID: 10, ReasonCode: NoMatchingSubscribers,
					Props: props5(func(p *Properties) { p.ReasonString = []byte("nobody listens") })}},
				sample{"pubrel-reason-v5", v, &Ack{Type: TypePubrel, Version: v, PacketID: 12, ReasonCode: PacketIdentifierNotFound}},
				sample{"subscribe-options-v5", v, &Subscribe{Version: v, PacketID: 4, Subscriptions: []Subscription{
					{Filter: []byte("a/b"), QoS: 2, NoLocal: true, RetainAsPublished: true, RetainHandling: 2},
					{Filter: []byte("$share/group/a/+"), QoS: 1, RetainHandling: 1},
				}}},
				sample{"unsuback-v5", v, &Unsuback{Version: v, PacketID: 3, ReasonCodes: []ReasonCode{0, NoSubscriptionExisted}}},
				sample{"disconnect-reason-v5", v, &Disconnect{Version: v, ReasonCode: DisconnectWithWillMessage,
					Props: props5(func(p *Properties) { p.SessionExpiry = 10; p.ReasonString = []byte("bye") })}},
				sample{"auth-v5", v, &Auth{Version: v, ReasonCode: ContinueAuthentication,
					Props: props5(func(p *Properties) { p.AuthMethod = []byte("SCRAM-SHA-1"); p.AuthData = []byte{0xde, 0xad} })}},
				sample{"auth-empty-v5", v, &Auth{Version: v}},
			)
		} else {
			out = append(out,
				sample{"unsuback" + vs, v, &Unsuback{Version: v, PacketID: 3}},
				sample{"connect-v31", V31, &Connect{Version: V31, KeepAlive: 30, ClientID: []byte("legacy")}},
			)
		}
	}
	return out
}

// newLike returns a zero packet of the same type as p.
func newLike(p Packet) Packet {
	switch p.(type) {
	case *Connect:
		return new(Connect)
	case *Connack:
		return new(Connack)
	case *Publish:
		return new(Publish)
	case *Ack:
		return new(Ack)
	case *Subscribe:
		return new(Subscribe)
	case *Suback:
		return new(Suback)
	case *Unsubscribe:
		return new(Unsubscribe)
	case *Unsuback:
		return new(Unsuback)
	case *Pingreq:
		return new(Pingreq)
	case *Pingresp:
		return new(Pingresp)
	case *Disconnect:
		return new(Disconnect)
	}
	return new(Auth)
}

// decodeInto decodes b into p with version v.
func decodeInto(p Packet, b []byte, v Version) (int, error) {
	switch p := p.(type) {
	case *Connect:
		return p.Decode(b)
	case interface {
		Decode([]byte, Version) (int, error)
	}:
		return p.Decode(b, v)
	}
	panic("no Decode")
}

func mustEncode(tb testing.TB, p Packet) []byte {
	tb.Helper()
	b, err := p.AppendBinary(nil)
	if err != nil {
		tb.Fatalf("encode %T: %v", p, err)
	}
	if len(b) != p.Len() {
		tb.Fatalf("encode %T: %d bytes, Len %d", p, len(b), p.Len())
	}
	return b
}

// unhex decodes an annotated hex layout (see codectest.Unhex).
func unhex(tb testing.TB, s string) []byte { tb.Helper(); return codectest.Unhex(tb, s) }

func TestSamplesRoundTrip(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			b := mustEncode(t, s.p)
			// Appending keeps the prefix.
			pre := []byte("prefix")
			b2, err := s.p.AppendBinary(pre)
			if err != nil || !bytes.Equal(b2[:6], []byte("prefix")) || !bytes.Equal(b2[6:], b) {
				t.Fatalf("AppendBinary with prefix: %x, %v", b2, err)
			}
			q := newLike(s.p)
			n, err := decodeInto(q, b, s.v)
			if err != nil || n != len(b) {
				t.Fatalf("decode %x: n=%d err=%v", b, n, err)
			}
			if q.PacketType() != s.p.PacketType() {
				t.Fatalf("type %v, want %v", q.PacketType(), s.p.PacketType())
			}
			if c := mustEncode(t, q); !bytes.Equal(c, b) {
				t.Fatalf("re-encode differs:\n got %x\nwant %x", c, b)
			}
			// Generic Decode agrees.
			g, n2, err := Decode(b, s.v)
			if err != nil || n2 != n || !bytes.Equal(mustEncode(t, g), b) {
				t.Fatalf("Decode: n=%d err=%v", n2, err)
			}
			// Every strict prefix is truncated or malformed, never accepted.
			for i := 0; i < len(b); i++ {
				if _, err := decodeInto(newLike(s.p), b[:i], s.v); err == nil {
					t.Fatalf("prefix of %d bytes accepted", i)
				}
			}
		})
	}
}
