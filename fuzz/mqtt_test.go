package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	pg "github.com/eclipse/paho.golang/packets"
	pm "github.com/eclipse/paho.mqtt.golang/packets"

	"github.com/iotwire/iotwire/mqttpkt"
)

// mq is what a decoder read from an MQTT 5.0 packet, in one form for
// mqttpkt and paho.golang, compared with reflect.DeepEqual. Properties are
// compared through the subset both expose the same way.
type mq struct {
	Type                uint8
	Dup, Retain         bool
	QoS                 byte
	PacketID            uint16
	Topic, Payload      string
	Reason              byte
	Reasons             string
	Level               byte
	Clean               bool
	KeepAlive           uint16
	ClientID            string
	Will                bool
	WillQoS             byte
	WillRetain          bool
	WillTopic, WillMsg  string
	Username, Password  string
	HasUser, HasPass    bool
	SessionPresent      bool
	Subs                []string
	Filters             []string
	Expiry, SessionExp  uint32
	ContentType         string
	ResponseTopic       string
	CorrelationData     string
	ReasonString        string
	TopicAlias          uint16
	ReceiveMax          uint16
	User                []string
	SubIDs              []int
	AuthMethod, AuthDat string
}

func iotProps(m *mq, p *mqttpkt.Properties) {
	m.Expiry, m.SessionExp = p.MessageExpiry, p.SessionExpiry
	m.ContentType, m.ResponseTopic = string(p.ContentType), string(p.ResponseTopic)
	m.CorrelationData, m.ReasonString = string(p.CorrelationData), string(p.ReasonString)
	m.TopicAlias, m.ReceiveMax = p.TopicAlias, p.ReceiveMaximum
	m.AuthMethod, m.AuthDat = string(p.AuthMethod), string(p.AuthData)
	for _, id := range p.SubscriptionIDs {
		m.SubIDs = append(m.SubIDs, int(id))
	}
	for it := p.User.Iter(); it.Next(); {
		k, v := it.Pair()
		m.User = append(m.User, string(k)+"\x00"+string(v))
	}
}

func pgProps(m *mq, p *pg.Properties) {
	if p == nil {
		return
	}
	if p.MessageExpiry != nil {
		m.Expiry = *p.MessageExpiry
	}
	if p.SessionExpiryInterval != nil {
		m.SessionExp = *p.SessionExpiryInterval
	}
	m.ContentType, m.ResponseTopic = p.ContentType, p.ResponseTopic
	m.CorrelationData, m.ReasonString = string(p.CorrelationData), p.ReasonString
	if p.TopicAlias != nil {
		m.TopicAlias = *p.TopicAlias
	}
	if p.ReceiveMaximum != nil {
		m.ReceiveMax = *p.ReceiveMaximum
	}
	m.AuthMethod, m.AuthDat = p.AuthMethod, string(p.AuthData)
	if p.SubscriptionIdentifier != nil {
		m.SubIDs = append(m.SubIDs, *p.SubscriptionIdentifier)
	}
	for _, u := range p.User {
		m.User = append(m.User, u.Key+"\x00"+u.Value)
	}
}

func reasons(rc []mqttpkt.ReasonCode) string {
	b := make([]byte, len(rc))
	for i, c := range rc {
		b[i] = byte(c)
	}
	return string(b)
}

// iotMQ converts an mqttpkt packet.
func iotMQ(p mqttpkt.Packet) mq {
	m := mq{Type: uint8(p.PacketType())}
	switch p := p.(type) {
	case *mqttpkt.Publish:
		m.Dup, m.Retain, m.QoS, m.PacketID = p.Dup, p.Retain, byte(p.QoS), p.PacketID
		m.Topic, m.Payload = string(p.Topic), string(p.Payload)
		iotProps(&m, &p.Props)
	case *mqttpkt.Connect:
		m.Level, m.Clean, m.KeepAlive, m.ClientID = byte(p.Version), p.CleanStart, p.KeepAlive, string(p.ClientID)
		m.Username, m.Password, m.HasUser, m.HasPass = string(p.Username), string(p.Password), p.Username != nil, p.Password != nil
		if p.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, byte(p.Will.QoS), p.Will.Retain
			m.WillTopic, m.WillMsg = string(p.Will.Topic), string(p.Will.Payload)
		}
		iotProps(&m, &p.Props)
	case *mqttpkt.Connack:
		m.SessionPresent, m.Reason = p.SessionPresent, byte(p.ReasonCode)
		iotProps(&m, &p.Props)
	case *mqttpkt.Ack:
		m.PacketID, m.Reason = p.PacketID, byte(p.ReasonCode)
		iotProps(&m, &p.Props)
	case *mqttpkt.Subscribe:
		m.PacketID = p.PacketID
		for _, s := range p.Subscriptions {
			m.Subs = append(m.Subs, fmt.Sprintf("%s|%d|%t|%t|%d", s.Filter, s.QoS, s.NoLocal, s.RetainAsPublished, s.RetainHandling))
		}
		iotProps(&m, &p.Props)
	case *mqttpkt.Suback:
		m.PacketID, m.Reasons = p.PacketID, reasons(p.ReasonCodes)
		iotProps(&m, &p.Props)
	case *mqttpkt.Unsubscribe:
		m.PacketID = p.PacketID
		for _, f := range p.Filters {
			m.Filters = append(m.Filters, string(f))
		}
		iotProps(&m, &p.Props)
	case *mqttpkt.Unsuback:
		m.PacketID, m.Reasons = p.PacketID, reasons(p.ReasonCodes)
		iotProps(&m, &p.Props)
	case *mqttpkt.Disconnect:
		m.Reason = byte(p.ReasonCode)
		iotProps(&m, &p.Props)
	case *mqttpkt.Auth:
		m.Reason = byte(p.ReasonCode)
		iotProps(&m, &p.Props)
	}
	return m
}

// pgMQ converts a paho.golang packet.
func pgMQ(cp *pg.ControlPacket) mq {
	m := mq{Type: cp.Type}
	switch p := cp.Content.(type) {
	case *pg.Publish:
		m.Dup, m.Retain, m.QoS, m.PacketID = p.Duplicate, p.Retain, p.QoS, p.PacketID
		m.Topic, m.Payload = p.Topic, string(p.Payload)
		pgProps(&m, p.Properties)
	case *pg.Connect:
		m.Level, m.Clean, m.KeepAlive, m.ClientID = p.ProtocolVersion, p.CleanStart, p.KeepAlive, p.ClientID
		m.Username, m.Password, m.HasUser, m.HasPass = p.Username, string(p.Password), p.UsernameFlag, p.PasswordFlag
		if p.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, p.WillQOS, p.WillRetain
			m.WillTopic, m.WillMsg = p.WillTopic, string(p.WillMessage)
		}
		pgProps(&m, p.Properties)
	case *pg.Connack:
		m.SessionPresent, m.Reason = p.SessionPresent, p.ReasonCode
		pgProps(&m, p.Properties)
	case *pg.Puback:
		m.PacketID, m.Reason = p.PacketID, p.ReasonCode
		pgProps(&m, p.Properties)
	case *pg.Pubrec:
		m.PacketID, m.Reason = p.PacketID, p.ReasonCode
		pgProps(&m, p.Properties)
	case *pg.Pubrel:
		m.PacketID, m.Reason = p.PacketID, p.ReasonCode
		pgProps(&m, p.Properties)
	case *pg.Pubcomp:
		m.PacketID, m.Reason = p.PacketID, p.ReasonCode
		pgProps(&m, p.Properties)
	case *pg.Subscribe:
		m.PacketID = p.PacketID
		for _, s := range p.Subscriptions {
			m.Subs = append(m.Subs, fmt.Sprintf("%s|%d|%t|%t|%d", s.Topic, s.QoS, s.NoLocal, s.RetainAsPublished, s.RetainHandling))
		}
		pgProps(&m, p.Properties)
	case *pg.Suback:
		m.PacketID, m.Reasons = p.PacketID, string(p.Reasons)
		pgProps(&m, p.Properties)
	case *pg.Unsubscribe:
		m.PacketID, m.Filters = p.PacketID, p.Topics
		pgProps(&m, p.Properties)
	case *pg.Unsuback:
		m.PacketID, m.Reasons = p.PacketID, string(p.Reasons)
		pgProps(&m, p.Properties)
	case *pg.Disconnect:
		m.Reason = p.ReasonCode
		pgProps(&m, p.Properties)
	case *pg.Auth:
		m.Reason = p.ReasonCode
		pgProps(&m, p.Properties)
	}
	return m
}

// mqttSeeds returns one MQTT 5.0 packet of every type, encoded by mqttpkt.
func mqttSeeds(tb testing.TB) [][]byte {
	pub := &mqttpkt.Publish{Version: mqttpkt.V5, QoS: mqttpkt.QoS1, PacketID: 7, Topic: []byte("a/b"), Payload: []byte("hi")}
	pub.Props.MessageExpiry = 60
	pub.Props.ContentType = []byte("text/plain")
	pub.Props.User.Add("k", "v")
	conn := &mqttpkt.Connect{Version: mqttpkt.V5, CleanStart: true, KeepAlive: 30, ClientID: []byte("c1"),
		WillFlag: true, Will: mqttpkt.Will{QoS: mqttpkt.QoS1, Topic: []byte("w"), Payload: []byte("bye")},
		Username: []byte("u"), Password: []byte("p")}
	conn.Props.SessionExpiry = 10
	sub := &mqttpkt.Subscribe{Version: mqttpkt.V5, PacketID: 9, Subscriptions: []mqttpkt.Subscription{
		{Filter: []byte("a/+"), QoS: mqttpkt.QoS1, NoLocal: true}, {Filter: []byte("b/#"), RetainHandling: 2}}}
	sub.Props.SubscriptionIDs = []uint32{5}
	disc := &mqttpkt.Disconnect{Version: mqttpkt.V5, ReasonCode: 0x8b}
	disc.Props.ReasonString = []byte("bye")
	auth := &mqttpkt.Auth{Version: mqttpkt.V5, ReasonCode: 0x18}
	auth.Props.AuthMethod = []byte("SCRAM")
	auth.Props.AuthData = []byte{1, 2}
	pkts := []mqttpkt.Packet{pub, conn, sub, disc, auth,
		&mqttpkt.Publish{Version: mqttpkt.V5, Topic: []byte("t"), Retain: true},
		&mqttpkt.Connack{Version: mqttpkt.V5, SessionPresent: true},
		&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: mqttpkt.V5, PacketID: 1},
		&mqttpkt.Ack{Type: mqttpkt.TypePubrec, Version: mqttpkt.V5, PacketID: 2, ReasonCode: 0x10},
		&mqttpkt.Ack{Type: mqttpkt.TypePubrel, Version: mqttpkt.V5, PacketID: 3},
		&mqttpkt.Ack{Type: mqttpkt.TypePubcomp, Version: mqttpkt.V5, PacketID: 4},
		&mqttpkt.Suback{Version: mqttpkt.V5, PacketID: 9, ReasonCodes: []mqttpkt.ReasonCode{1, 0x80}},
		&mqttpkt.Unsubscribe{Version: mqttpkt.V5, PacketID: 10, Filters: [][]byte{[]byte("a/+")}},
		&mqttpkt.Unsuback{Version: mqttpkt.V5, PacketID: 10, ReasonCodes: []mqttpkt.ReasonCode{0}},
		&mqttpkt.Pingreq{}, &mqttpkt.Pingresp{},
	}
	return encodeSeeds(tb, pkts)
}

// encodeSeeds encodes the seed packets with mqttpkt.
func encodeSeeds(tb testing.TB, pkts []mqttpkt.Packet) [][]byte {
	var out [][]byte
	for _, p := range pkts {
		b, err := p.AppendBinary(nil)
		if err != nil {
			tb.Fatalf("seed %v: %v", p.PacketType(), err)
		}
		out = append(out, b)
	}
	return out
}

// decodeOurs decodes b with mqttpkt. A rejection must come with a typed
// error naming the field (the contract of every MQTT target); ok is false
// then, and the peer is not asked.
func decodeOurs(t *testing.T, b []byte, v mqttpkt.Version) (p mqttpkt.Packet, n int, ok bool) {
	t.Helper()
	p, n, err := mqttpkt.Decode(b, v)
	if err != nil {
		var e *mqttpkt.Error
		if !errors.As(err, &e) || e.Field == "" {
			t.Fatalf("mqttpkt rejects %x without a typed error: %v", b, err)
		}
		return nil, 0, false
	}
	return p, n, true
}

// FuzzMQTT5Paho feeds the same bytes to mqttpkt (MQTT 5.0) and to
// paho.golang's packets.ReadPacket. Whatever mqttpkt accepts, paho.golang
// must accept and read the same fields from, except for the documented
// differences in README.md. Whatever mqttpkt rejects must be rejected with
// an *mqttpkt.Error naming the field; paho.golang may accept it (it skips
// most checks: see README.md).
func FuzzMQTT5Paho(f *testing.F) {
	for _, s := range mqttSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, n, ok := decodeOurs(t, b, mqttpkt.V5)
		if !ok {
			return
		}
		if pgDiffers(p, b[:n]) {
			return
		}
		cp, perr := pg.ReadPacket(bytes.NewReader(b[:n]))
		if perr != nil {
			t.Fatalf("mqttpkt accepts %x (%v), paho.golang rejects it: %v", b[:n], p.PacketType(), perr)
		}
		ours, theirs := iotMQ(p), pgMQ(cp)
		if len(ours.SubIDs) > 1 {
			// MQTT 5.0 3.3.2.3.8: a PUBLISH may carry several Subscription
			// Identifiers; paho.golang keeps only the last one.
			ours.SubIDs = ours.SubIDs[len(ours.SubIDs)-1:]
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("%x: mqttpkt and paho.golang disagree:\nmqttpkt     %+v\npaho.golang %+v", b[:n], ours, theirs)
		}
	})
}

// pgDiffers reports the valid packets that paho.golang v0.23.0 cannot read;
// README.md lists them with the rule that makes them valid.
func pgDiffers(p mqttpkt.Packet, b []byte) bool {
	t := p.PacketType()
	switch {
	case t == mqttpkt.TypeConnect && p.(*mqttpkt.Connect).Version != mqttpkt.V5:
		// A CONNECT carries its own protocol level (MQTT 5.0 3.1.2.2); one of
		// 3.1 or 3.1.1 has no properties, which paho.golang always reads.
		return true
	case t == mqttpkt.TypeDisconnect && len(b) < 4, t == mqttpkt.TypeAuth && len(b) < 4:
		// MQTT 5.0 3.14.2.1 and 3.15.2.1: the reason code (and properties) may
		// be omitted; paho.golang reads both unconditionally.
		return true
	}
	return false
}

// pmMQ converts a paho.mqtt.golang (MQTT 3.1.1) packet.
func pmMQ(cp pm.ControlPacket) mq {
	var m mq
	switch p := cp.(type) {
	case *pm.PublishPacket:
		m.Type, m.Dup, m.Retain, m.QoS, m.PacketID = 3, p.Dup, p.Retain, p.Qos, p.MessageID
		m.Topic, m.Payload = p.TopicName, string(p.Payload)
	case *pm.ConnectPacket:
		m.Type, m.Level, m.Clean, m.KeepAlive, m.ClientID = 1, p.ProtocolVersion, p.CleanSession, p.Keepalive, p.ClientIdentifier
		m.Username, m.Password, m.HasUser, m.HasPass = p.Username, string(p.Password), p.UsernameFlag, p.PasswordFlag
		if p.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, p.WillQos, p.WillRetain
			m.WillTopic, m.WillMsg = p.WillTopic, string(p.WillMessage)
		}
	case *pm.ConnackPacket:
		m.Type, m.SessionPresent, m.Reason = 2, p.SessionPresent, p.ReturnCode
	case *pm.PubackPacket:
		m.Type, m.PacketID = 4, p.MessageID
	case *pm.PubrecPacket:
		m.Type, m.PacketID = 5, p.MessageID
	case *pm.PubrelPacket:
		m.Type, m.PacketID = 6, p.MessageID
	case *pm.PubcompPacket:
		m.Type, m.PacketID = 7, p.MessageID
	case *pm.SubscribePacket:
		m.Type, m.PacketID = 8, p.MessageID
		for i, f := range p.Topics {
			m.Subs = append(m.Subs, fmt.Sprintf("%s|%d|false|false|0", f, p.Qoss[i]))
		}
	case *pm.SubackPacket:
		m.Type, m.PacketID, m.Reasons = 9, p.MessageID, string(p.ReturnCodes)
	case *pm.UnsubscribePacket:
		m.Type, m.PacketID, m.Filters = 10, p.MessageID, p.Topics
	case *pm.UnsubackPacket:
		m.Type, m.PacketID = 11, p.MessageID
	case *pm.PingreqPacket:
		m.Type = 12
	case *pm.PingrespPacket:
		m.Type = 13
	case *pm.DisconnectPacket:
		m.Type = 14
	}
	return m
}

// mqtt311Seeds returns one MQTT 3.1.1 packet of every type, encoded by mqttpkt.
func mqtt311Seeds(tb testing.TB) [][]byte {
	v := mqttpkt.V311
	pkts := []mqttpkt.Packet{
		&mqttpkt.Publish{Version: v, QoS: mqttpkt.QoS2, PacketID: 7, Topic: []byte("a/b"), Payload: []byte("hi"), Dup: true},
		&mqttpkt.Connect{Version: v, CleanStart: true, KeepAlive: 30, ClientID: []byte("c1"),
			WillFlag: true, Will: mqttpkt.Will{QoS: mqttpkt.QoS1, Topic: []byte("w"), Payload: []byte("bye")},
			Username: []byte("u"), Password: []byte("p")},
		&mqttpkt.Connack{Version: v, SessionPresent: true},
		&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: v, PacketID: 1},
		&mqttpkt.Ack{Type: mqttpkt.TypePubrel, Version: v, PacketID: 3},
		&mqttpkt.Subscribe{Version: v, PacketID: 9, Subscriptions: []mqttpkt.Subscription{{Filter: []byte("a/+"), QoS: 1}}},
		&mqttpkt.Suback{Version: v, PacketID: 9, ReasonCodes: []mqttpkt.ReasonCode{1, 0x80}},
		&mqttpkt.Unsubscribe{Version: v, PacketID: 10, Filters: [][]byte{[]byte("a/+")}},
		&mqttpkt.Unsuback{Version: v, PacketID: 10},
		&mqttpkt.Pingreq{}, &mqttpkt.Disconnect{Version: v},
	}
	return encodeSeeds(tb, pkts)
}

// FuzzMQTT311PahoMQTT feeds the same bytes to mqttpkt (MQTT 3.1.1) and to
// paho.mqtt.golang's packets.ReadPacket, with the same contract as
// FuzzMQTT5Paho.
func FuzzMQTT311PahoMQTT(f *testing.F) {
	for _, s := range mqtt311Seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, n, ok := decodeOurs(t, b, mqttpkt.V311)
		if !ok {
			return
		}
		if pmDiffers(p) {
			return
		}
		cp, perr := pm.ReadPacket(bytes.NewReader(b[:n]))
		if perr != nil {
			t.Fatalf("mqttpkt accepts %x (%v), paho.mqtt.golang rejects it: %v", b[:n], p.PacketType(), perr)
		}
		ours, theirs := iotMQ(p), pmMQ(cp)
		if !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("%x: mqttpkt and paho.mqtt.golang disagree:\nmqttpkt          %+v\npaho.mqtt.golang %+v", b[:n], ours, theirs)
		}
	})
}

// pmDiffers reports the valid packets that paho.mqtt.golang v1.5.1 reads
// differently; README.md lists them with the rule.
func pmDiffers(p mqttpkt.Packet) bool {
	return false
}
