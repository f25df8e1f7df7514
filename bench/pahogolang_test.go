package bench

import (
	"bytes"
	"fmt"
	"testing"

	pg "github.com/eclipse/paho.golang/packets"
)

// paho.golang: github.com/eclipse/paho.golang/packets, MQTT 5.0 only
// (Connect.Unpack always reads properties; there is no 3.1.1 mode).
//
// Decoding: pg.ReadPacket reads from an io.Reader, as the paho client does
// from its net.Conn; the benchmark feeds it a bytes.Reader over the wire,
// Reset each iteration. Encoding: the packet's WriteTo, as the client
// writes packets, into a bytes.Buffer Reset each iteration.

func ptr[T any](v T) *T { return &v }

// pgPacket returns the paho.golang packet value of case name.
func pgPacket(name string) pg.Packet {
	switch name {
	case "publish-qos0-v5":
		return &pg.Publish{Topic: topic, Payload: []byte(payload), Properties: &pg.Properties{}}
	case "publish-qos1-v5":
		return &pg.Publish{QoS: 1, PacketID: packetID, Topic: topic, Payload: []byte(payload),
			Properties: &pg.Properties{
				MessageExpiry: ptr(uint32(pubExpiry)),
				ContentType:   pubContentType,
				TopicAlias:    ptr(uint16(pubTopicAlias)),
				User:          []pg.User{{Key: pubUserName, Value: pubUserValue}},
			}}
	case "publish-64KiB-v5":
		return &pg.Publish{QoS: 1, PacketID: packetID, Topic: topic, Payload: []byte(bigPayload), Properties: &pg.Properties{}}
	case "connect-v5":
		return &pg.Connect{ProtocolName: "MQTT", ProtocolVersion: 5, CleanStart: true, KeepAlive: keepAlive,
			ClientID: clientID, UsernameFlag: true, Username: username, PasswordFlag: true, Password: []byte(password),
			WillFlag: true, WillQOS: 1, WillTopic: willTopic, WillMessage: []byte(willPayload),
			Properties: &pg.Properties{
				SessionExpiryInterval: ptr(uint32(connSessionExpiry)),
				ReceiveMaximum:        ptr(uint16(connReceiveMax)),
				TopicAliasMaximum:     ptr(uint16(connAliasMax)),
				User:                  []pg.User{{Key: connUserName, Value: connUserValue}},
			},
			WillProperties: &pg.Properties{WillDelayInterval: ptr(uint32(willDelay))}}
	case "subscribe-v5":
		p := &pg.Subscribe{PacketID: packetID, Properties: &pg.Properties{SubscriptionIdentifier: ptr(subID)}}
		for _, s := range subs {
			p.Subscriptions = append(p.Subscriptions, pg.SubOptions{Topic: s.Filter, QoS: s.QoS, NoLocal: s.NoLocal,
				RetainAsPublished: s.RetainAsPublished, RetainHandling: s.RetainHandling})
		}
		return p
	case "suback-v5":
		return &pg.Suback{PacketID: packetID, Reasons: []byte{1, 0, 2}, Properties: &pg.Properties{}}
	case "puback-v5":
		return &pg.Puback{PacketID: packetID, ReasonCode: pg.PubackSuccess, Properties: &pg.Properties{}}
	case "disconnect-v5":
		return &pg.Disconnect{ReasonCode: pg.DisconnectServerShuttingDown, Properties: &pg.Properties{ReasonString: reasonStr}}
	}
	panic("no paho.golang packet for " + name)
}

func pgBenchDecode(b *testing.B, c *benchCase) {
	wire := c.wire
	var r bytes.Reader
	for b.Loop() {
		r.Reset(wire)
		if _, err := pg.ReadPacket(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func pgBenchEncode(b *testing.B, c *benchCase) {
	p := pgPacket(c.name)
	var buf bytes.Buffer
	buf.Grow(256)
	for b.Loop() {
		buf.Reset()
		if _, err := p.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func pgDecodeOnce(c *benchCase) (msg, error) {
	r := bytes.NewReader(c.wire)
	cp, err := pg.ReadPacket(r)
	if err != nil {
		return msg{}, err
	}
	if r.Len() != 0 {
		return msg{}, fmt.Errorf("%d bytes left unread", r.Len())
	}
	return pgMsg(cp), nil
}

func pgEncodeOnce(c *benchCase) ([]byte, error) {
	var buf bytes.Buffer
	_, err := pgPacket(c.name).WriteTo(&buf)
	return buf.Bytes(), err
}

func pgProps(p *pg.Properties) props {
	if p == nil {
		return props{}
	}
	out := props{ContentType: p.ContentType, ReasonString: p.ReasonString}
	if p.MessageExpiry != nil {
		out.MessageExpiry = *p.MessageExpiry
	}
	if p.TopicAlias != nil {
		out.TopicAlias = *p.TopicAlias
	}
	if p.SessionExpiryInterval != nil {
		out.SessionExpiry = *p.SessionExpiryInterval
	}
	if p.ReceiveMaximum != nil {
		out.ReceiveMaximum = *p.ReceiveMaximum
	}
	if p.TopicAliasMaximum != nil {
		out.TopicAliasMaximum = *p.TopicAliasMaximum
	}
	if p.WillDelayInterval != nil {
		out.WillDelay = *p.WillDelayInterval
	}
	if p.SubscriptionIdentifier != nil {
		out.SubscriptionID = *p.SubscriptionIdentifier
	}
	for _, u := range p.User {
		out.User = append(out.User, u.Key+"="+u.Value)
	}
	return out
}

// pgMsg converts a paho.golang packet to a msg.
func pgMsg(cp *pg.ControlPacket) msg {
	m := msg{Type: cp.Type}
	switch p := cp.Content.(type) {
	case *pg.Publish:
		m.QoS, m.Dup, m.Retain, m.PacketID = p.QoS, p.Duplicate, p.Retain, p.PacketID
		m.Topic, m.Payload, m.Props = p.Topic, string(p.Payload), pgProps(p.Properties)
	case *pg.Connect:
		m.Level, m.Clean, m.KeepAlive, m.ClientID = p.ProtocolVersion, p.CleanStart, p.KeepAlive, p.ClientID
		m.Username, m.Password, m.Props = p.Username, string(p.Password), pgProps(p.Properties)
		if p.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, p.WillQOS, p.WillRetain
			m.WillTopic, m.WillPayload, m.WillProps = p.WillTopic, string(p.WillMessage), pgProps(p.WillProperties)
		}
	case *pg.Subscribe:
		m.PacketID, m.Props = p.PacketID, pgProps(p.Properties)
		for _, s := range p.Subscriptions {
			m.Subs = append(m.Subs, sub{Filter: s.Topic, QoS: s.QoS, NoLocal: s.NoLocal,
				RetainAsPublished: s.RetainAsPublished, RetainHandling: s.RetainHandling})
		}
	case *pg.Suback:
		m.PacketID, m.Props = p.PacketID, pgProps(p.Properties)
		if len(p.Reasons) > 0 {
			m.Reasons = append([]byte(nil), p.Reasons...)
		}
	case *pg.Puback:
		m.PacketID, m.ReasonCode, m.Props = p.PacketID, p.ReasonCode, pgProps(p.Properties)
	case *pg.Disconnect:
		m.ReasonCode, m.Props = p.ReasonCode, pgProps(p.Properties)
	case *pg.Pingreq:
	default:
		panic(fmt.Sprintf("pgMsg: unexpected %T", p))
	}
	return m
}
