package bench

import (
	"fmt"
	"testing"

	"github.com/iotwire/iotwire/mqttpkt"
)

// iotwire: github.com/iotwire/iotwire/mqttpkt.

// iotPacket returns the iotwire packet value of case name. Its encoding is
// the wire every implementation decodes.
func iotPacket(name string) mqttpkt.Packet {
	switch name {
	case "publish-qos0-v311", "publish-qos0-v5", "publish-qos1-v311", "publish-qos1-v5":
		p := &mqttpkt.Publish{Version: mqttpkt.V311, Topic: []byte(topic), Payload: []byte(payload)}
		if name[len(name)-2:] == "v5" {
			p.Version = mqttpkt.V5
		}
		if name[:12] == "publish-qos1" {
			p.QoS, p.PacketID = mqttpkt.QoS1, packetID
		}
		if name == "publish-qos1-v5" {
			p.Props.MessageExpiry = pubExpiry
			p.Props.ContentType = []byte(pubContentType)
			p.Props.TopicAlias = pubTopicAlias
			p.Props.User.Add(pubUserName, pubUserValue)
		}
		return p
	case "publish-64KiB-v5":
		return &mqttpkt.Publish{Version: mqttpkt.V5, QoS: mqttpkt.QoS1, PacketID: packetID, Topic: []byte(topic), Payload: []byte(bigPayload)}
	case "connect-v311", "connect-v5":
		p := &mqttpkt.Connect{Version: mqttpkt.V311, CleanStart: true, KeepAlive: keepAlive, ClientID: []byte(clientID),
			WillFlag: true, Will: mqttpkt.Will{QoS: mqttpkt.QoS1, Topic: []byte(willTopic), Payload: []byte(willPayload)},
			Username: []byte(username), Password: []byte(password)}
		if name == "connect-v5" {
			p.Version = mqttpkt.V5
			p.Props.SessionExpiry = connSessionExpiry
			p.Props.ReceiveMaximum = connReceiveMax
			p.Props.TopicAliasMaximum = connAliasMax
			p.Props.User.Add(connUserName, connUserValue)
			p.Will.Props.WillDelay = willDelay
		}
		return p
	case "subscribe-v311", "subscribe-v5":
		p := &mqttpkt.Subscribe{Version: mqttpkt.V311, PacketID: packetID}
		ss := subs311()
		if name == "subscribe-v5" {
			p.Version = mqttpkt.V5
			p.Props.SubscriptionIDs = []uint32{subID}
			ss = subs
		}
		for _, s := range ss {
			p.Subscriptions = append(p.Subscriptions, mqttpkt.Subscription{Filter: []byte(s.Filter), QoS: mqttpkt.QoS(s.QoS),
				NoLocal: s.NoLocal, RetainAsPublished: s.RetainAsPublished, RetainHandling: s.RetainHandling})
		}
		return p
	case "suback-v5":
		return &mqttpkt.Suback{Version: mqttpkt.V5, PacketID: packetID,
			ReasonCodes: []mqttpkt.ReasonCode{mqttpkt.GrantedQoS1, mqttpkt.GrantedQoS0, mqttpkt.GrantedQoS2}}
	case "puback-v5":
		return &mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: mqttpkt.V5, PacketID: packetID}
	case "pingreq-v311":
		return &mqttpkt.Pingreq{}
	case "disconnect-v5":
		p := &mqttpkt.Disconnect{Version: mqttpkt.V5, ReasonCode: mqttpkt.ServerShuttingDown}
		p.Props.ReasonString = []byte(reasonStr)
		return p
	}
	panic("no iotwire packet for " + name)
}

// iotDecoder decodes any of the compared packets into packet values it
// reuses: mqttpkt's zero-allocation pattern (PeekHeader, then the Decode
// method of a reused value of that type), as after mqttpkt.Reader.Next.
type iotDecoder struct {
	connect    mqttpkt.Connect
	publish    mqttpkt.Publish
	ack        mqttpkt.Ack
	subscribe  mqttpkt.Subscribe
	suback     mqttpkt.Suback
	pingreq    mqttpkt.Pingreq
	disconnect mqttpkt.Disconnect
}

// decode decodes the packet at the start of b, sent with version v, and
// returns it (a field of d) with its length.
func (d *iotDecoder) decode(b []byte, v mqttpkt.Version) (mqttpkt.Packet, int, error) {
	h, _, _, err := mqttpkt.PeekHeader(b)
	if err != nil {
		return nil, 0, err
	}
	var n int
	switch h.Type {
	case mqttpkt.TypeConnect:
		n, err = d.connect.Decode(b)
		return &d.connect, n, err
	case mqttpkt.TypePublish:
		n, err = d.publish.Decode(b, v)
		return &d.publish, n, err
	case mqttpkt.TypePuback, mqttpkt.TypePubrec, mqttpkt.TypePubrel, mqttpkt.TypePubcomp:
		n, err = d.ack.Decode(b, v)
		return &d.ack, n, err
	case mqttpkt.TypeSubscribe:
		n, err = d.subscribe.Decode(b, v)
		return &d.subscribe, n, err
	case mqttpkt.TypeSuback:
		n, err = d.suback.Decode(b, v)
		return &d.suback, n, err
	case mqttpkt.TypePingreq:
		n, err = d.pingreq.Decode(b, v)
		return &d.pingreq, n, err
	case mqttpkt.TypeDisconnect:
		n, err = d.disconnect.Decode(b, v)
		return &d.disconnect, n, err
	}
	return nil, 0, fmt.Errorf("iotDecoder: unexpected %v", h.Type)
}

func iotBenchDecode(b *testing.B, c *benchCase) {
	d := new(iotDecoder)
	wire, v := c.wire, c.v
	for b.Loop() {
		if _, _, err := d.decode(wire, v); err != nil {
			b.Fatal(err)
		}
	}
}

func iotBenchEncode(b *testing.B, c *benchCase) {
	p := iotPacket(c.name)
	buf := make([]byte, 0, 256)
	for b.Loop() {
		var err error
		if buf, err = p.AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func iotDecodeOnce(c *benchCase) (msg, error) {
	var d iotDecoder
	p, n, err := d.decode(c.wire, c.v)
	if err != nil {
		return msg{}, err
	}
	if n != len(c.wire) {
		return msg{}, fmt.Errorf("decoded %d of %d bytes", n, len(c.wire))
	}
	return iotMsg(p), nil
}

func iotEncodeOnce(c *benchCase) ([]byte, error) {
	return iotPacket(c.name).AppendBinary(nil)
}

func iotProps(p *mqttpkt.Properties) props {
	out := props{
		MessageExpiry:     p.MessageExpiry,
		ContentType:       string(p.ContentType),
		TopicAlias:        p.TopicAlias,
		SessionExpiry:     p.SessionExpiry,
		ReceiveMaximum:    p.ReceiveMaximum,
		TopicAliasMaximum: p.TopicAliasMaximum,
		WillDelay:         p.WillDelay,
		ReasonString:      string(p.ReasonString),
	}
	if len(p.SubscriptionIDs) > 0 {
		out.SubscriptionID = int(p.SubscriptionIDs[0])
	}
	for it := p.User.Iter(); it.Next(); {
		k, v := it.Pair()
		out.User = append(out.User, string(k)+"="+string(v))
	}
	return out
}

// iotMsg converts an iotwire packet to a msg.
func iotMsg(p mqttpkt.Packet) msg {
	m := msg{Type: byte(p.PacketType())}
	switch p := p.(type) {
	case *mqttpkt.Publish:
		m.QoS, m.Dup, m.Retain, m.PacketID = byte(p.QoS), p.Dup, p.Retain, p.PacketID
		m.Topic, m.Payload, m.Props = string(p.Topic), string(p.Payload), iotProps(&p.Props)
	case *mqttpkt.Connect:
		m.Level, m.Clean, m.KeepAlive, m.ClientID = byte(p.Version), p.CleanStart, p.KeepAlive, string(p.ClientID)
		m.Username, m.Password, m.Props = string(p.Username), string(p.Password), iotProps(&p.Props)
		if p.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, byte(p.Will.QoS), p.Will.Retain
			m.WillTopic, m.WillPayload, m.WillProps = string(p.Will.Topic), string(p.Will.Payload), iotProps(&p.Will.Props)
		}
	case *mqttpkt.Subscribe:
		m.PacketID, m.Props = p.PacketID, iotProps(&p.Props)
		for _, s := range p.Subscriptions {
			m.Subs = append(m.Subs, sub{Filter: string(s.Filter), QoS: byte(s.QoS), NoLocal: s.NoLocal,
				RetainAsPublished: s.RetainAsPublished, RetainHandling: s.RetainHandling})
		}
	case *mqttpkt.Suback:
		m.PacketID, m.Props = p.PacketID, iotProps(&p.Props)
		for _, r := range p.ReasonCodes {
			m.Reasons = append(m.Reasons, byte(r))
		}
	case *mqttpkt.Ack:
		m.PacketID, m.ReasonCode, m.Props = p.PacketID, byte(p.ReasonCode), iotProps(&p.Props)
	case *mqttpkt.Disconnect:
		m.ReasonCode, m.Props = byte(p.ReasonCode), iotProps(&p.Props)
	case *mqttpkt.Pingreq:
	default:
		panic(fmt.Sprintf("iotMsg: unexpected %T", p))
	}
	return m
}
