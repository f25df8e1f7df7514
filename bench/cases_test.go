package bench

import (
	"testing"

	"github.com/iotwire/iotwire/mqttpkt"
)

// The message content the cases share.
const (
	topic       = "sensors/room1/temperature"
	payload     = `{"t":21.5,"u":1}` // 16 bytes
	packetID    = 4242
	keepAlive   = 60
	clientID    = "sensor-room1-0042"
	username    = "device-0042"
	password    = "s3cr3t-t0ken"
	willTopic   = "sensors/room1/status"
	willPayload = "offline"
	reasonStr   = "server shutting down for maintenance"
)

// subs are the three subscriptions of the SUBSCRIBE cases. MQTT 3.1.1
// sends only Filter and QoS; MQTT 5.0 also sends the other options.
var subs = []sub{
	{Filter: "sensors/+/temperature", QoS: 1, NoLocal: true},
	{Filter: "sensors/room1/#", QoS: 0, RetainAsPublished: true},
	{Filter: "alerts/#", QoS: 2, RetainHandling: 1},
}

// subs311 is subs without the MQTT 5.0 options.
func subs311() []sub {
	out := make([]sub, len(subs))
	for i, s := range subs {
		out[i] = sub{Filter: s.Filter, QoS: s.QoS}
	}
	return out
}

// props holds the MQTT 5.0 properties the cases use, in a form every
// implementation converts to for comparison.
type props struct {
	MessageExpiry     uint32
	ContentType       string
	TopicAlias        uint16
	SessionExpiry     uint32
	ReceiveMaximum    uint16
	TopicAliasMaximum uint16
	WillDelay         uint32
	SubscriptionID    int
	ReasonString      string
	User              []string // "name=value", in wire order; nil if none
}

// sub is one subscription of a SUBSCRIBE.
type sub struct {
	Filter            string
	QoS               byte
	NoLocal           bool
	RetainAsPublished bool
	RetainHandling    byte
}

// msg is what an implementation read from a packet: the fields the cases
// use, in one form for all implementations, compared with reflect.DeepEqual.
// Slices are nil when empty.
type msg struct {
	Type     byte
	QoS      byte // PUBLISH only
	Dup      bool
	Retain   bool
	PacketID uint16
	Topic    string
	Payload  string
	Props    props

	// CONNECT
	Level       byte
	Clean       bool
	KeepAlive   uint16
	ClientID    string
	Username    string
	Password    string
	Will        bool
	WillQoS     byte
	WillRetain  bool
	WillTopic   string
	WillPayload string
	WillProps   props

	Subs       []sub  // SUBSCRIBE
	Reasons    []byte // SUBACK
	ReasonCode byte   // PUBACK, DISCONNECT
}

// The packet types, as the first-byte nibble.
const (
	typeConnect    = 1
	typePublish    = 3
	typePuback     = 4
	typeSubscribe  = 8
	typeSuback     = 9
	typePingreq    = 12
	typeDisconnect = 14
)

// benchCase is one message of the comparison.
type benchCase struct {
	name string          // the msg= sub-benchmark name
	v    mqttpkt.Version // the protocol version it is sent with
	want msg             // what every implementation must read from wire
	wire []byte          // the packet, encoded once by iotwire
}

// Publish properties of publish-qos1-v5: exactly these four.
const (
	pubExpiry      = 3600               // Message Expiry Interval (0x02)
	pubContentType = "application/json" // Content Type (0x03)
	pubTopicAlias  = 7                  // Topic Alias (0x23)
	pubUserName    = "unit"             // one User Property (0x26) ...
	pubUserValue   = "celsius"          // ... "unit" = "celsius"
)

// CONNECT properties of connect-v5, and its one Will property.
const (
	connSessionExpiry = 3600    // Session Expiry Interval (0x11)
	connReceiveMax    = 32      // Receive Maximum (0x21)
	connAliasMax      = 16      // Topic Alias Maximum (0x22)
	connUserName      = "fw"    // one User Property (0x26) ...
	connUserValue     = "1.4.2" // ... "fw" = "1.4.2"
	willDelay         = 30      // Will Delay Interval (0x18), a Will property
)

const subID = 42 // Subscription Identifier (0x0B) of subscribe-v5

// bigPayload is the 64 KiB payload of publish-64KiB-v5: a firmware chunk or
// a camera frame, where copying costs more than parsing.
var bigPayload = func() string {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	return string(b)
}()

// cases returns the compared messages with their wire bytes.
func cases(tb testing.TB) []*benchCase {
	pub := msg{Type: typePublish, Topic: topic, Payload: payload}
	pub1 := pub
	pub1.QoS, pub1.PacketID = 1, packetID
	pub1v5 := pub1
	pub1v5.Props = props{MessageExpiry: pubExpiry, ContentType: pubContentType, TopicAlias: pubTopicAlias,
		User: []string{pubUserName + "=" + pubUserValue}}

	conn := msg{Type: typeConnect, Level: 4, Clean: true, KeepAlive: keepAlive, ClientID: clientID,
		Username: username, Password: password, Will: true, WillQoS: 1, WillTopic: willTopic, WillPayload: willPayload}
	conn5 := conn
	conn5.Level = 5
	conn5.Props = props{SessionExpiry: connSessionExpiry, ReceiveMaximum: connReceiveMax, TopicAliasMaximum: connAliasMax,
		User: []string{connUserName + "=" + connUserValue}}
	conn5.WillProps = props{WillDelay: willDelay}

	sub4 := msg{Type: typeSubscribe, PacketID: packetID, Subs: subs311()}
	sub5 := msg{Type: typeSubscribe, PacketID: packetID, Subs: subs, Props: props{SubscriptionID: subID}}

	cs := []*benchCase{
		{name: "publish-qos0-v311", v: mqttpkt.V311, want: pub},
		{name: "publish-qos1-v311", v: mqttpkt.V311, want: pub1},
		{name: "publish-qos0-v5", v: mqttpkt.V5, want: pub},
		{name: "publish-qos1-v5", v: mqttpkt.V5, want: pub1v5},
		{name: "publish-64KiB-v5", v: mqttpkt.V5, want: msg{Type: typePublish, QoS: 1, PacketID: packetID, Topic: topic, Payload: bigPayload}},
		{name: "connect-v311", v: mqttpkt.V311, want: conn},
		{name: "connect-v5", v: mqttpkt.V5, want: conn5},
		{name: "subscribe-v311", v: mqttpkt.V311, want: sub4},
		{name: "subscribe-v5", v: mqttpkt.V5, want: sub5},
		{name: "suback-v5", v: mqttpkt.V5, want: msg{Type: typeSuback, PacketID: packetID, Reasons: []byte{1, 0, 2}}},
		{name: "puback-v5", v: mqttpkt.V5, want: msg{Type: typePuback, PacketID: packetID}},
		{name: "pingreq-v311", v: mqttpkt.V311, want: msg{Type: typePingreq}},
		{name: "disconnect-v5", v: mqttpkt.V5, want: msg{Type: typeDisconnect, ReasonCode: 0x8B,
			Props: props{ReasonString: reasonStr}}},
	}
	for _, c := range cs {
		var err error
		if c.wire, err = iotPacket(c.name).AppendBinary(nil); err != nil {
			tb.Fatalf("%s: iotwire encode: %v", c.name, err)
		}
	}
	return cs
}
