package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	mochi "github.com/mochi-mqtt/server/v2/packets"

	"github.com/iotwire/iotwire/mqttpkt"
)

// mochi: github.com/mochi-mqtt/server/v2/packets v2.7.9, MQTT 3.1, 3.1.1
// and 5.0. A packet is decoded as the broker's Client.ReadFixedHeader and
// Client.ReadPacket do (and as bench/mochi_test.go does): FixedHeader.Decode
// of the first byte, DecodeLength of the Remaining Length, a Packet carrying
// the connection's protocol version, then the type's XxxDecode on the body.
// The broker's later XxxValidate checks (session and policy rules, such as
// a Topic Alias within the negotiated maximum) are not part of decoding and
// are not called.

// mochiDecode decodes the packet at the start of b, sent with protocol
// version v, and returns it with the number of bytes it spans.
func mochiDecode(b []byte, v byte) (pk mochi.Packet, n int, err error) {
	if len(b) == 0 {
		return pk, 0, errors.New("mochi: empty input")
	}
	var fh mochi.FixedHeader
	if err = fh.Decode(b[0]); err != nil {
		return pk, 0, err
	}
	r := bytes.NewReader(b[1:])
	if fh.Remaining, _, err = mochi.DecodeLength(r); err != nil {
		return pk, 0, err
	}
	start := len(b) - r.Len()
	if fh.Remaining > r.Len() {
		return pk, 0, fmt.Errorf("mochi: %d bytes after the header, %d announced", r.Len(), fh.Remaining)
	}
	body := b[start : start+fh.Remaining]
	pk.ProtocolVersion, pk.FixedHeader = v, fh
	switch fh.Type {
	case mochi.Connect:
		err = pk.ConnectDecode(body)
	case mochi.Connack:
		err = pk.ConnackDecode(body)
	case mochi.Publish:
		err = pk.PublishDecode(body)
	case mochi.Puback:
		err = pk.PubackDecode(body)
	case mochi.Pubrec:
		err = pk.PubrecDecode(body)
	case mochi.Pubrel:
		err = pk.PubrelDecode(body)
	case mochi.Pubcomp:
		err = pk.PubcompDecode(body)
	case mochi.Subscribe:
		err = pk.SubscribeDecode(body)
	case mochi.Suback:
		err = pk.SubackDecode(body)
	case mochi.Unsubscribe:
		err = pk.UnsubscribeDecode(body)
	case mochi.Unsuback:
		err = pk.UnsubackDecode(body)
	case mochi.Pingreq:
		err = pk.PingreqDecode(body)
	case mochi.Pingresp:
		err = pk.PingrespDecode(body)
	case mochi.Disconnect:
		err = pk.DisconnectDecode(body)
	case mochi.Auth:
		err = pk.AuthDecode(body)
	default:
		err = fmt.Errorf("mochi: packet type %d", fh.Type)
	}
	return pk, start + fh.Remaining, err
}

func mochiProps(m *mq, p *mochi.Properties) {
	m.Expiry, m.SessionExp = p.MessageExpiryInterval, p.SessionExpiryInterval
	m.ContentType, m.ResponseTopic = p.ContentType, p.ResponseTopic
	m.CorrelationData, m.ReasonString = string(p.CorrelationData), p.ReasonString
	m.TopicAlias, m.ReceiveMax = p.TopicAlias, p.ReceiveMaximum
	m.AuthMethod, m.AuthDat = p.AuthenticationMethod, string(p.AuthenticationData)
	m.SubIDs = append(m.SubIDs, p.SubscriptionIdentifier...)
	for _, u := range p.User {
		m.User = append(m.User, u.Key+"\x00"+u.Val)
	}
}

// mochiMQ converts a mochi packet to the normal form of mqtt_test.go.
func mochiMQ(pk *mochi.Packet) mq {
	m := mq{Type: pk.FixedHeader.Type}
	switch pk.FixedHeader.Type {
	case mochi.Publish:
		m.Dup, m.Retain, m.QoS, m.PacketID = pk.FixedHeader.Dup, pk.FixedHeader.Retain, pk.FixedHeader.Qos, pk.PacketID
		m.Topic, m.Payload = pk.TopicName, string(pk.Payload)
	case mochi.Connect:
		c := &pk.Connect
		m.Level, m.Clean, m.KeepAlive, m.ClientID = pk.ProtocolVersion, c.Clean, c.Keepalive, c.ClientIdentifier
		m.Username, m.Password, m.HasUser, m.HasPass = string(c.Username), string(c.Password), c.UsernameFlag, c.PasswordFlag
		if c.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, c.WillQos, c.WillRetain
			m.WillTopic, m.WillMsg = c.WillTopic, string(c.WillPayload)
		}
	case mochi.Connack:
		m.SessionPresent, m.Reason = pk.SessionPresent, pk.ReasonCode
	case mochi.Puback, mochi.Pubrec, mochi.Pubrel, mochi.Pubcomp:
		m.PacketID, m.Reason = pk.PacketID, pk.ReasonCode
	case mochi.Subscribe:
		m.PacketID = pk.PacketID
		for _, s := range pk.Filters {
			m.Subs = append(m.Subs, fmt.Sprintf("%s|%d|%t|%t|%d", s.Filter, s.Qos, s.NoLocal, s.RetainAsPublished, s.RetainHandling))
		}
	case mochi.Suback, mochi.Unsuback:
		m.PacketID, m.Reasons = pk.PacketID, string(pk.ReasonCodes)
	case mochi.Unsubscribe:
		m.PacketID = pk.PacketID
		for _, s := range pk.Filters {
			m.Filters = append(m.Filters, s.Filter)
		}
	case mochi.Disconnect, mochi.Auth:
		m.Reason = pk.ReasonCode
	}
	mochiProps(&m, &pk.Properties)
	return m
}

// mqMore holds what mq leaves out and mochi exposes: the other MQTT 5.0
// properties, and the Will Properties of a CONNECT (MQTT 5.0 3.1.3.2).
// Absent and zero read the same on both sides.
type mqMore struct {
	PayloadFormat, RequestProblemInfo, RequestResponseInfo   byte
	MaximumQoS, RetainAvailable                              byte
	WildcardSubAvailable, SubIDAvailable, SharedSubAvailable byte
	AssignedClientID, ResponseInfo, ServerReference          string
	ServerKeepAlive, TopicAliasMaximum                       uint16
	WillDelay, MaximumPacketSize                             uint32
	Will                                                     *mqWill
}

// mqWill is what a CONNECT's Will Properties hold.
type mqWill struct {
	PayloadFormat  byte
	WillDelay      uint32
	Expiry         uint32
	ContentType    string
	ResponseTopic  string
	CorrelationDat string
	User           []string
}

func iotMore(p mqttpkt.Packet) mqMore {
	var props *mqttpkt.Properties
	var will *mqWill
	switch p := p.(type) {
	case *mqttpkt.Publish:
		props = &p.Props
	case *mqttpkt.Connect:
		props = &p.Props
		if p.WillFlag && p.Version == mqttpkt.V5 {
			w := &p.Will.Props
			will = &mqWill{PayloadFormat: w.PayloadFormat, WillDelay: w.WillDelay, Expiry: w.MessageExpiry,
				ContentType: string(w.ContentType), ResponseTopic: string(w.ResponseTopic), CorrelationDat: string(w.CorrelationData)}
			for it := w.User.Iter(); it.Next(); {
				k, v := it.Pair()
				will.User = append(will.User, string(k)+"\x00"+string(v))
			}
		}
	case *mqttpkt.Connack:
		props = &p.Props
	case *mqttpkt.Ack:
		props = &p.Props
	case *mqttpkt.Subscribe:
		props = &p.Props
	case *mqttpkt.Suback:
		props = &p.Props
	case *mqttpkt.Unsubscribe:
		props = &p.Props
	case *mqttpkt.Unsuback:
		props = &p.Props
	case *mqttpkt.Disconnect:
		props = &p.Props
	case *mqttpkt.Auth:
		props = &p.Props
	default:
		return mqMore{}
	}
	return mqMore{
		PayloadFormat: props.PayloadFormat, RequestProblemInfo: props.RequestProblemInfo,
		RequestResponseInfo: props.RequestResponseInfo, MaximumQoS: props.MaximumQoS,
		RetainAvailable: props.RetainAvailable, WildcardSubAvailable: props.WildcardSubAvailable,
		SubIDAvailable: props.SubIDAvailable, SharedSubAvailable: props.SharedSubAvailable,
		AssignedClientID: string(props.AssignedClientID), ResponseInfo: string(props.ResponseInfo),
		ServerReference: string(props.ServerReference), ServerKeepAlive: props.ServerKeepAlive,
		TopicAliasMaximum: props.TopicAliasMaximum, WillDelay: props.WillDelay,
		MaximumPacketSize: props.MaximumPacketSize, Will: will,
	}
}

func mochiMore(pk *mochi.Packet) mqMore {
	p := &pk.Properties
	m := mqMore{
		PayloadFormat: p.PayloadFormat, RequestProblemInfo: p.RequestProblemInfo,
		RequestResponseInfo: p.RequestResponseInfo, MaximumQoS: p.MaximumQos,
		RetainAvailable: p.RetainAvailable, WildcardSubAvailable: p.WildcardSubAvailable,
		SubIDAvailable: p.SubIDAvailable, SharedSubAvailable: p.SharedSubAvailable,
		AssignedClientID: p.AssignedClientID, ResponseInfo: p.ResponseInfo,
		ServerReference: p.ServerReference, ServerKeepAlive: p.ServerKeepAlive,
		TopicAliasMaximum: p.TopicAliasMaximum, WillDelay: p.WillDelayInterval,
		MaximumPacketSize: p.MaximumPacketSize,
	}
	if pk.FixedHeader.Type == mochi.Connect && pk.Connect.WillFlag && pk.ProtocolVersion == 5 {
		w := &pk.Connect.WillProperties
		m.Will = &mqWill{PayloadFormat: w.PayloadFormat, WillDelay: w.WillDelayInterval, Expiry: w.MessageExpiryInterval,
			ContentType: w.ContentType, ResponseTopic: w.ResponseTopic, CorrelationDat: string(w.CorrelationData)}
		for _, u := range w.User {
			m.Will.User = append(m.Will.User, u.Key+"\x00"+u.Val)
		}
	}
	return m
}

// mochiSeeds returns MQTT 5.0 packets that carry the properties mq leaves
// out, encoded by mqttpkt: a CONNECT with Will Properties, a CONNACK with
// every property a server may send, a PUBLISH with two Subscription
// Identifiers and a DISCONNECT with a Server Reference.
func mochiSeeds(tb testing.TB) [][]byte {
	conn := &mqttpkt.Connect{Version: mqttpkt.V5, KeepAlive: 60, ClientID: []byte("dev-1"),
		WillFlag: true, Will: mqttpkt.Will{QoS: mqttpkt.QoS2, Retain: true, Topic: []byte("lwt"), Payload: []byte("gone")}}
	conn.Props.RequestProblemInfo, conn.Props.RequestResponseInfo = 0, 1
	conn.Props.Set(mqttpkt.PropRequestProblemInfo)
	conn.Props.MaximumPacketSize, conn.Props.TopicAliasMaximum = 4096, 10
	conn.Props.AuthMethod, conn.Props.AuthData = []byte("PLAIN"), []byte{0, 'u', 0, 'p'}
	w := &conn.Will.Props
	w.PayloadFormat, w.WillDelay, w.MessageExpiry = 1, 30, 600
	w.ContentType, w.ResponseTopic, w.CorrelationData = []byte("text/plain"), []byte("r/1"), []byte{7}
	w.User.Add("why", "power")
	ack := &mqttpkt.Connack{Version: mqttpkt.V5}
	a := &ack.Props
	a.SessionExpiry, a.ReceiveMaximum, a.MaximumQoS, a.RetainAvailable = 120, 20, 1, 0
	a.Set(mqttpkt.PropRetainAvailable)
	a.MaximumPacketSize, a.AssignedClientID, a.TopicAliasMaximum = 1<<20, []byte("auto-1"), 5
	a.ReasonString, a.WildcardSubAvailable, a.SubIDAvailable, a.SharedSubAvailable = []byte("ok"), 1, 1, 0
	a.Set(mqttpkt.PropSharedSubAvailable)
	a.ServerKeepAlive, a.ResponseInfo, a.ServerReference = 30, []byte("resp/"), []byte("other:1883")
	pub := &mqttpkt.Publish{Version: mqttpkt.V5, QoS: mqttpkt.QoS2, PacketID: 3, Topic: []byte("x/y"), Payload: []byte{0xff, 0}}
	pub.Props.SubscriptionIDs = []uint32{1, 268435455}
	pub.Props.ResponseTopic, pub.Props.CorrelationData, pub.Props.PayloadFormat = []byte("r"), []byte{1, 2}, 0
	pub.Props.Set(mqttpkt.PropPayloadFormat)
	disc := &mqttpkt.Disconnect{Version: mqttpkt.V5, ReasonCode: 0x9c}
	disc.Props.ServerReference, disc.Props.SessionExpiry = []byte("b:1883"), 0
	disc.Props.Set(mqttpkt.PropSessionExpiry)
	return encodeSeeds(tb, []mqttpkt.Packet{conn, ack, pub, disc})
}

// FuzzMQTT5Mochi feeds the same bytes to mqttpkt (MQTT 5.0) and to mochi's
// packet decoders, with the contract of FuzzMQTT5Paho: whatever mqttpkt
// accepts, mochi must accept and read the same fields from (those of mq,
// the other properties and the Will Properties), except for the documented
// differences in README.md; whatever mqttpkt rejects must come with an
// *mqttpkt.Error naming the field.
func FuzzMQTT5Mochi(f *testing.F) {
	for _, s := range mqttSeeds(f) {
		f.Add(s)
	}
	for _, s := range mochiSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkMochi(t, b, mqttpkt.V5) })
}

// FuzzMQTT311Mochi is FuzzMQTT5Mochi for MQTT 3.1.1 (a CONNECT carries its
// own level, so MQTT 3.1 and 5.0 CONNECTs are read too).
func FuzzMQTT311Mochi(f *testing.F) {
	for _, s := range mqtt311Seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkMochi(t, b, mqttpkt.V311) })
}

func checkMochi(t *testing.T, b []byte, v mqttpkt.Version) {
	p, n, ok := decodeOurs(t, b, v)
	if !ok {
		return
	}
	if mochiDiffers(p, b[:n]) {
		return
	}
	pk, mn, merr := mochiDecode(b[:n], byte(v))
	if merr != nil {
		t.Fatalf("mqttpkt accepts %x (%v, MQTT %v), mochi rejects it: %v", b[:n], p.PacketType(), v, merr)
	}
	if mn != n {
		t.Fatalf("%x: mqttpkt reads %d bytes, mochi %d", b[:n], n, mn)
	}
	if ours, theirs := iotMQ(p), mochiMQ(&pk); !reflect.DeepEqual(ours, theirs) {
		t.Fatalf("%x (MQTT %v): mqttpkt and mochi disagree:\nmqttpkt %+v\nmochi   %+v", b[:n], v, ours, theirs)
	}
	if ours, theirs := iotMore(p), mochiMore(&pk); !reflect.DeepEqual(ours, theirs) {
		t.Fatalf("%x (MQTT %v): mqttpkt and mochi disagree on properties:\nmqttpkt %+v %+v\nmochi   %+v %+v",
			b[:n], v, ours, ours.Will, theirs, theirs.Will)
	}
}

// mochiDiffers reports the valid packets that mochi v2.7.9 reads
// differently; README.md lists them with the rule that decides.
func mochiDiffers(p mqttpkt.Packet, b []byte) bool {
	switch p := p.(type) {
	case *mqttpkt.Auth:
		// MQTT 5.0 3.15.2.1: an AUTH with Reason Code 0x00 and no
		// properties may have Remaining Length 0; mochi reads the reason
		// code and the property length unconditionally and fails.
		return len(b) == 2
	case *mqttpkt.Disconnect:
		// MQTT 5.0 3.14.2.1 and 3.14.2.2.1: with Remaining Length 1 the
		// byte is the Reason Code and the property length is 0; mochi reads
		// the reason code only when Remaining Length is 2 or more, and
		// takes 0x00 (Normal disconnection) instead.
		return p.Version == mqttpkt.V5 && len(b) == 3 && p.ReasonCode != 0
	}
	return false
}

// TestMochiDifferences pins the inputs mochiDiffers skips: each is valid
// (mqttpkt accepts it) and mochi still reads it differently. When a mochi
// release fixes one, this test fails: drop the case, its rule in
// mochiDiffers and its row in README.md.
func TestMochiDifferences(t *testing.T) {
	for _, c := range []struct {
		name string
		wire []byte
	}{
		{"AUTH, Remaining Length 0 (MQTT 5.0 3.15.2.1)", []byte{0xf0, 0x00}},
		{"DISCONNECT 0x81, Remaining Length 1 (MQTT 5.0 3.14.2.1)", []byte{0xe0, 0x01, 0x81}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, n, err := mqttpkt.Decode(c.wire, mqttpkt.V5)
			if err != nil || n != len(c.wire) {
				t.Fatalf("mqttpkt: n = %d, %v", n, err)
			}
			if !mochiDiffers(p, c.wire) {
				t.Fatal("mochiDiffers does not skip it")
			}
			pk, _, err := mochiDecode(c.wire, 5)
			if err == nil && reflect.DeepEqual(iotMQ(p), mochiMQ(&pk)) {
				t.Fatal("mochi now reads it as mqttpkt does")
			}
		})
	}
}
