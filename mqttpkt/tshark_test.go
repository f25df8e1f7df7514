package mqttpkt_test

// tshark (Wireshark's MQTT dissector) as an independent decoding oracle:
// TestTshark encodes packets with mqttpkt, writes them as TCP segments to
// port 1883 in a pcap file, runs `tshark -T fields` on it and compares
// what tshark read with what was encoded.
//
// Without a tshark binary the test skips, or fails when CI=true.
// To add a case, append a tsharkCase to tsharkV311Cases, tsharkV5Cases or
// tsharkV31Cases (each is one TCP stream that starts with its CONNECT: the
// dissector learns the version from it) and list the expected tshark
// fields. Find field names with: tshark -G fields | grep -P '^F\t[^\t]*\tmqtt\.'

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/mqttpkt"
)

// pcapFile is the capture the test writes (see codectest.Pcap).
type pcapFile = codectest.Pcap

func newPcap() *pcapFile { return codectest.NewPcap() }

// tcpFlow writes the segments of one TCP connection from a client to port
// 1883, keeping each direction's sequence number.
type tcpFlow struct {
	w                *pcapFile
	cliIP, srvIP     [4]byte
	cliPort, srvPort uint16
	seq              [2]uint32 // next sequence number: [0] client, [1] server
	ipID             uint16
}

const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpPSH = 0x08
	tcpACK = 0x10
)

// newFlow writes the three-way handshake of a new connection.
func newFlow(w *pcapFile, cliPort uint16) *tcpFlow {
	f := &tcpFlow{w: w, cliIP: [4]byte{192, 0, 2, 1}, srvIP: [4]byte{192, 0, 2, 2}, cliPort: cliPort, srvPort: 1883,
		seq: [2]uint32{uint32(cliPort) * 1000, 7_000_000}}
	f.segment(true, tcpSYN, nil)
	f.seq[0]++ // a SYN takes one sequence number
	f.segment(false, tcpSYN|tcpACK, nil)
	f.seq[1]++
	f.segment(true, tcpACK, nil)
	return f
}

// close writes the FIN exchange.
func (f *tcpFlow) close() {
	f.segment(true, tcpFIN|tcpACK, nil)
	f.seq[0]++
	f.segment(false, tcpFIN|tcpACK, nil)
	f.seq[1]++
	f.segment(true, tcpACK, nil)
}

// segment writes one IPv4+TCP packet carrying payload, advances the
// sender's sequence number and returns the frame number. The checksums are
// 0: tshark does not verify them by default.
func (f *tcpFlow) segment(fromClient bool, flags byte, payload []byte) int {
	src, dst, sport, dport, dir := f.cliIP, f.srvIP, f.cliPort, f.srvPort, 0
	if !fromClient {
		src, dst, sport, dport, dir = f.srvIP, f.cliIP, f.srvPort, f.cliPort, 1
	}
	const ipLen, tcpLen = 20, 20
	total := ipLen + tcpLen + len(payload)
	if total > 0xffff {
		panic("segment too large for IPv4")
	}
	be := binary.BigEndian
	f.ipID++
	p := make([]byte, 0, total)
	p = append(p, 0x45, 0)                // version 4, IHL 5 words; DSCP/ECN
	p = be.AppendUint16(p, uint16(total)) // total length
	p = be.AppendUint16(p, f.ipID)        // identification
	p = be.AppendUint16(p, 0x4000)        // don't fragment, offset 0
	p = append(p, 64, 6)                  // TTL, protocol TCP
	p = be.AppendUint16(p, 0)             // header checksum
	p = append(p, src[:]...)
	p = append(p, dst[:]...)
	p = be.AppendUint16(p, sport)
	p = be.AppendUint16(p, dport)
	p = be.AppendUint32(p, f.seq[dir])
	var ack uint32
	if flags&tcpACK != 0 {
		ack = f.seq[1-dir]
	}
	p = be.AppendUint32(p, ack)
	p = append(p, tcpLen/4<<4, flags) // data offset 5 words; flags
	p = be.AppendUint16(p, 65535)     // window
	p = be.AppendUint16(p, 0)         // checksum
	p = be.AppendUint16(p, 0)         // urgent pointer
	p = append(p, payload...)
	f.seq[dir] += uint32(len(payload))
	return f.w.Record(p)
}

// tsharkCase is one MQTT packet in one TCP segment and the tshark fields
// expected for it. Several occurrences of a field in one frame are joined
// with "|" in wire order; "" means the field is absent. Numeric fields are
// compared as numbers (tshark prints some in hex) and booleans as 0 or 1.
type tsharkCase struct {
	name       string
	fromClient bool
	pkt        mqttpkt.Packet
	want       map[string]string
}

// Fields whose tshark text is a number or a boolean.
var tsharkNumeric = map[string]bool{
	"mqtt.msgtype": true, "mqtt.len": true, "mqtt.qos": true, "mqtt.retain": true, "mqtt.dupflag": true,
	"mqtt.msgid": true, "mqtt.ver": true, "mqtt.kalive": true, "mqtt.conflag.cleansess": true,
	"mqtt.conflag.willflag": true, "mqtt.conflag.qos": true, "mqtt.conflag.retain": true,
	"mqtt.conflag.uname": true, "mqtt.conflag.passwd": true, "mqtt.conack.val": true,
	"mqtt.conack.flags.sp": true, "mqtt.sub.qos": true, "mqtt.suback.qos": true,
	"mqtt.property_id": true, "mqtt.prop_number": true, "mqtt.property.topic_alias": true,
	"mqtt.property.max_qos": true, "mqtt.connack.reason_code": true, "mqtt.puback.reason_code": true,
	"mqtt.pubrec.reason_code": true, "mqtt.pubrel.reason_code": true, "mqtt.pubcomp.reason_code": true,
	"mqtt.suback.reason_code": true, "mqtt.unsuback.reason_code": true, "mqtt.disconnect.reason_code": true,
	"mqtt.subscription_options": true, "mqtt.subscription_options_qos": true,
	"mqtt.subscription_options_nl": true, "mqtt.subscription_options_rap": true,
	"mqtt.subscription_options_retain": true, "mqtt.auth.reason_code": true, "mqtt.topic_len": true,
}

// Fields read for every frame.
var tsharkCommon = []string{"frame.number", "tcp.stream", "mqtt.msgtype", "mqtt.len", "mqtt.msgid", "_ws.malformed", "_ws.expert.message"}

func hexs(s string) string { return hex.EncodeToString([]byte(s)) }

func user(p *mqttpkt.Properties, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		p.User.Add(kv[i], kv[i+1])
	}
}

func tsharkV311Cases() []tsharkCase {
	const v = mqttpkt.V311
	binPayload := make([]byte, 256) // remaining length > 127: a two-byte varint
	for i := range binPayload {
		binPayload[i] = byte(i)
	}
	bulk := bytes.Repeat([]byte("0123456789"), 2000) // 20000 bytes: a three-byte varint
	ack := func(t mqttpkt.PacketType, id uint16) *mqttpkt.Ack {
		return &mqttpkt.Ack{Type: t, Version: v, PacketID: id}
	}
	return []tsharkCase{
		{"CONNECT", true, &mqttpkt.Connect{
			Version: v, CleanStart: true, KeepAlive: 60, ClientID: []byte("tshark-v311"),
			WillFlag: true, Will: mqttpkt.Will{QoS: mqttpkt.QoS1, Retain: true, Topic: []byte("will/v311"), Payload: []byte("bye")},
			Username: []byte("user"), Password: []byte("pass"),
		}, map[string]string{
			"mqtt.protoname": "MQTT", "mqtt.ver": "4", "mqtt.clientid": "tshark-v311", "mqtt.kalive": "60",
			"mqtt.conflag.cleansess": "1", "mqtt.conflag.willflag": "1", "mqtt.conflag.qos": "1", "mqtt.conflag.retain": "1",
			"mqtt.conflag.uname": "1", "mqtt.conflag.passwd": "1",
			"mqtt.willtopic": "will/v311", "mqtt.willmsg": hexs("bye"), "mqtt.username": "user", "mqtt.passwd": "pass",
		}},
		{"CONNACK", false, &mqttpkt.Connack{Version: v, SessionPresent: true},
			map[string]string{"mqtt.conack.flags.sp": "1", "mqtt.conack.val": "0"}},
		{"PUBLISH-qos0-retain", true, &mqttpkt.Publish{Version: v, Retain: true, Topic: []byte("sensors/t0"), Payload: []byte("21.5")},
			map[string]string{"mqtt.topic": "sensors/t0", "mqtt.qos": "0", "mqtt.retain": "1", "mqtt.dupflag": "0", "mqtt.msg": hexs("21.5")}},
		{"PUBLISH-qos1", true, &mqttpkt.Publish{Version: v, QoS: mqttpkt.QoS1, PacketID: 0x1234, Topic: []byte("sensors/t1"), Payload: binPayload},
			map[string]string{"mqtt.topic": "sensors/t1", "mqtt.qos": "1", "mqtt.retain": "0", "mqtt.msg": hex.EncodeToString(binPayload)}},
		{"PUBACK", false, ack(mqttpkt.TypePuback, 0x1234), nil},
		{"PUBLISH-qos2-dup", true, &mqttpkt.Publish{Version: v, QoS: mqttpkt.QoS2, Dup: true, PacketID: 0xbeef, Topic: []byte("sensors/t2"), Payload: []byte{}},
			map[string]string{"mqtt.topic": "sensors/t2", "mqtt.qos": "2", "mqtt.dupflag": "1"}},
		{"PUBREC", false, ack(mqttpkt.TypePubrec, 0xbeef), nil},
		{"PUBREL", true, ack(mqttpkt.TypePubrel, 0xbeef), nil},
		{"PUBCOMP", false, ack(mqttpkt.TypePubcomp, 0xbeef), nil},
		{"PUBLISH-20000B", true, &mqttpkt.Publish{Version: v, Topic: []byte("bulk"), Payload: bulk},
			map[string]string{"mqtt.topic": "bulk", "mqtt.len": "20006", "mqtt.msg": hex.EncodeToString(bulk)}},
		{"SUBSCRIBE", true, &mqttpkt.Subscribe{Version: v, PacketID: 10, Subscriptions: []mqttpkt.Subscription{
			{Filter: []byte("sensors/+"), QoS: mqttpkt.QoS1}, {Filter: []byte("cfg/#"), QoS: mqttpkt.QoS2}, {Filter: []byte("+/x/#")},
		}}, map[string]string{"mqtt.topic": "sensors/+|cfg/#|+/x/#", "mqtt.sub.qos": "1|2|0"}},
		{"SUBACK", false, &mqttpkt.Suback{Version: v, PacketID: 10, ReasonCodes: []mqttpkt.ReasonCode{1, 2, mqttpkt.SubackFailure}},
			map[string]string{"mqtt.suback.qos": "1|2|128"}},
		{"UNSUBSCRIBE", true, &mqttpkt.Unsubscribe{Version: v, PacketID: 11, Filters: [][]byte{[]byte("sensors/+"), []byte("cfg/#")}},
			map[string]string{"mqtt.topic": "sensors/+|cfg/#"}},
		{"UNSUBACK", false, &mqttpkt.Unsuback{Version: v, PacketID: 11}, nil},
		{"PINGREQ", true, &mqttpkt.Pingreq{}, nil},
		{"PINGRESP", false, &mqttpkt.Pingresp{}, nil},
		{"DISCONNECT", true, &mqttpkt.Disconnect{Version: v}, nil},
	}
}

// tsharkV31Cases is a short MQTT 3.1 ("MQIsdp", level 3) session.
func tsharkV31Cases() []tsharkCase {
	const v = mqttpkt.V31
	return []tsharkCase{
		{"CONNECT", true, &mqttpkt.Connect{Version: v, CleanStart: true, KeepAlive: 10, ClientID: []byte("tshark-v31"), Username: []byte("u")},
			map[string]string{"mqtt.protoname": "MQIsdp", "mqtt.ver": "3", "mqtt.clientid": "tshark-v31", "mqtt.username": "u", "mqtt.kalive": "10"}},
		{"CONNACK", false, &mqttpkt.Connack{Version: v, ReasonCode: mqttpkt.ConnRefusedIdentifierRejected},
			map[string]string{"mqtt.conack.val": "2"}},
		{"PUBLISH-qos1", true, &mqttpkt.Publish{Version: v, QoS: mqttpkt.QoS1, PacketID: 77, Topic: []byte("old/school"), Payload: []byte("3.1")},
			map[string]string{"mqtt.topic": "old/school", "mqtt.qos": "1", "mqtt.msg": hexs("3.1")}},
		{"PUBACK", false, &mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: v, PacketID: 77}, nil},
	}
}

func tsharkV5Cases() []tsharkCase {
	const v = mqttpkt.V5
	connect := &mqttpkt.Connect{
		Version: v, CleanStart: true, KeepAlive: 30, ClientID: []byte("tshark-v5"),
		WillFlag: true, Will: mqttpkt.Will{QoS: mqttpkt.QoS2, Topic: []byte("will/v5"), Payload: []byte("gone")},
		Username: []byte("user5"), Password: []byte("pw5"),
	}
	connect.Props.SessionExpiry = 3600
	connect.Props.ReceiveMaximum = 32
	connect.Props.TopicAliasMaximum = 8
	connect.Props.MaximumPacketSize = 65536
	connect.Props.Set(mqttpkt.PropRequestProblemInfo) // 0, sent because marked
	connect.Props.RequestResponseInfo = 1
	connect.Props.AuthMethod = []byte("SCRAM-SHA-1")
	connect.Props.AuthData = []byte("client-first")
	user(&connect.Props, "app", "iotwire", "app", "2")
	connect.Will.Props.PayloadFormat = 1
	connect.Will.Props.MessageExpiry = 600
	connect.Will.Props.ContentType = []byte("text/plain")
	connect.Will.Props.ResponseTopic = []byte("will/resp")
	connect.Will.Props.CorrelationData = []byte("w-1")
	connect.Will.Props.WillDelay = 5
	user(&connect.Will.Props, "w", "1")

	connack := &mqttpkt.Connack{Version: v}
	connack.Props.AssignedClientID = []byte("auto-1")
	connack.Props.ServerKeepAlive = 120
	connack.Props.ReceiveMaximum = 100
	connack.Props.TopicAliasMaximum = 10
	connack.Props.MaximumQoS = 1
	connack.Props.Set(mqttpkt.PropRetainAvailable) // 0, sent because marked
	connack.Props.SessionExpiry = 7200
	connack.Props.ResponseInfo = []byte("resp/")
	connack.Props.ServerReference = []byte("other:1883")
	connack.Props.ReasonString = []byte("ok")
	connack.Props.MaximumPacketSize = 1 << 20
	connack.Props.Set(mqttpkt.PropWildcardSubAvailable) // 0
	connack.Props.SubIDAvailable = 1
	connack.Props.SharedSubAvailable = 1

	pub0 := &mqttpkt.Publish{Version: v, Topic: []byte("sensors/t0"), Payload: []byte("21.5")}
	pub0.Props.PayloadFormat = 1
	pub0.Props.ContentType = []byte("text/plain; charset=utf-8")
	pub0.Props.TopicAlias = 1
	user(&pub0.Props, "unit", "C", "src", "a", "unit", "F")

	pubAlias := &mqttpkt.Publish{Version: v, Topic: []byte{}, Payload: []byte("21.6")}
	pubAlias.Props.TopicAlias = 1

	pub1 := &mqttpkt.Publish{Version: v, QoS: mqttpkt.QoS1, PacketID: 1, Topic: []byte("sensors/t1"), Payload: []byte("x")}
	pub1.Props.MessageExpiry = 120
	pub1.Props.ResponseTopic = []byte("reply/t1")
	pub1.Props.CorrelationData = []byte("req-1")
	pub1.Props.SubscriptionIDs = []uint32{1, 268435455} // one- and four-byte variable byte integers

	puback := &mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: v, PacketID: 1, ReasonCode: mqttpkt.NoMatchingSubscribers}
	puback.Props.ReasonString = []byte("no subscribers")

	pub2 := &mqttpkt.Publish{Version: v, QoS: mqttpkt.QoS2, Retain: true, PacketID: 2, Topic: []byte("sensors/t2"), Payload: []byte("y")}
	user(&pub2.Props, "k", "v", "long", strings.Repeat("x", 200)) // property length > 127: a two-byte varint

	pubcomp := &mqttpkt.Ack{Type: mqttpkt.TypePubcomp, Version: v, PacketID: 2, ReasonCode: mqttpkt.PacketIdentifierNotFound}
	user(&pubcomp.Props, "why", "lost")

	sub := &mqttpkt.Subscribe{Version: v, PacketID: 3, Subscriptions: []mqttpkt.Subscription{
		{Filter: []byte("sensors/+"), QoS: mqttpkt.QoS1, NoLocal: true, RetainAsPublished: true, RetainHandling: 2},
		{Filter: []byte("$share/grp/cfg/#"), QoS: mqttpkt.QoS2},
	}}
	sub.Props.SubscriptionIDs = []uint32{42}
	user(&sub.Props, "sub", "1")

	suback := &mqttpkt.Suback{Version: v, PacketID: 3, ReasonCodes: []mqttpkt.ReasonCode{mqttpkt.GrantedQoS1, mqttpkt.SharedSubscriptionsNotSupported}}
	suback.Props.ReasonString = []byte("no shared")

	unsub := &mqttpkt.Unsubscribe{Version: v, PacketID: 4, Filters: [][]byte{[]byte("sensors/+"), []byte("nope/#")}}
	user(&unsub.Props, "u", "1")

	auth := &mqttpkt.Auth{Version: v, ReasonCode: mqttpkt.ContinueAuthentication}
	auth.Props.AuthMethod = []byte("SCRAM-SHA-1")
	auth.Props.AuthData = []byte("client-first")

	disc := &mqttpkt.Disconnect{Version: v, ReasonCode: mqttpkt.DisconnectWithWillMessage}
	disc.Props.Set(mqttpkt.PropSessionExpiry) // 0
	disc.Props.ReasonString = []byte("bye")
	user(&disc.Props, "why", "test")

	return []tsharkCase{
		{"CONNECT", true, connect, map[string]string{
			"mqtt.protoname": "MQTT", "mqtt.ver": "5", "mqtt.clientid": "tshark-v5", "mqtt.kalive": "30",
			"mqtt.conflag.willflag": "1", "mqtt.conflag.qos": "2", "mqtt.conflag.retain": "0",
			"mqtt.willtopic": "will/v5", "mqtt.willmsg": hexs("gone"), "mqtt.username": "user5", "mqtt.passwd": "pw5",
			// CONNECT properties, then Will properties, each in ascending identifier order.
			"mqtt.property_id":           "0x11|0x15|0x16|0x17|0x19|0x21|0x22|0x26|0x26|0x27|0x01|0x02|0x03|0x08|0x09|0x18|0x26",
			"mqtt.prop_number":           "3600|0|1|32|8|65536|1|600|5",
			"mqtt.prop_string":           "SCRAM-SHA-1|client-first|will/resp|w-1",
			"mqtt.property.content_type": "text/plain",
			"mqtt.prop_key":              "app|app|w",
			"mqtt.prop_value":            "iotwire|2|1",
		}},
		{"CONNACK", false, connack, map[string]string{
			"mqtt.connack.reason_code": "0", "mqtt.conack.flags.sp": "0",
			"mqtt.property_id":      "0x11|0x12|0x13|0x1a|0x1c|0x1f|0x21|0x22|0x24|0x25|0x27|0x28|0x29|0x2a",
			"mqtt.prop_string":      "auto-1|resp/|other:1883|ok",
			"mqtt.prop_number":      "7200|120|100|10|0|1048576|0|1|1",
			"mqtt.property.max_qos": "1",
		}},
		{"PUBLISH-qos0-alias", true, pub0, map[string]string{
			"mqtt.topic": "sensors/t0", "mqtt.qos": "0", "mqtt.msg": hexs("21.5"),
			"mqtt.property_id":           "0x01|0x03|0x23|0x26|0x26|0x26",
			"mqtt.prop_number":           "1",
			"mqtt.property.content_type": "text/plain; charset=utf-8",
			"mqtt.property.topic_alias":  "1",
			"mqtt.prop_key":              "unit|src|unit",
			"mqtt.prop_value":            "C|a|F",
		}},
		// An empty topic with the alias: tshark resolves it from the previous PUBLISH.
		{"PUBLISH-alias-only", true, pubAlias, map[string]string{
			"mqtt.topic": "sensors/t0", "mqtt.topic_len": "0", "mqtt.msg": hexs("21.6"),
			"mqtt.property_id": "0x23", "mqtt.property.topic_alias": "1",
		}},
		{"PUBLISH-qos1-subids", true, pub1, map[string]string{
			"mqtt.topic": "sensors/t1", "mqtt.qos": "1",
			"mqtt.property_id": "0x02|0x08|0x09|0x0b|0x0b",
			"mqtt.prop_number": "120|1|268435455",
			"mqtt.prop_string": "reply/t1|req-1",
		}},
		{"PUBACK-0x10", false, puback, map[string]string{
			"mqtt.puback.reason_code": "16", "mqtt.property_id": "0x1f", "mqtt.prop_string": "no subscribers",
		}},
		{"PUBLISH-qos2-retain", true, pub2, map[string]string{
			"mqtt.topic": "sensors/t2", "mqtt.qos": "2", "mqtt.retain": "1",
			// tshark 4.0 shows the two-byte Property Length d8 01 (216) as
			// 55297, the raw bytes, but dissects 216 bytes of properties:
			// both pairs, then the payload.
			"mqtt.prop_key": "k|long", "mqtt.prop_value": "v|" + strings.Repeat("x", 200), "mqtt.msg": hexs("y"),
		}},
		// Reason code 0 without properties: the short form, remaining length 2.
		{"PUBREC-short", false, &mqttpkt.Ack{Type: mqttpkt.TypePubrec, Version: v, PacketID: 2},
			map[string]string{"mqtt.len": "2", "mqtt.pubrec.reason_code": ""}},
		{"PUBREL-0x92", true, &mqttpkt.Ack{Type: mqttpkt.TypePubrel, Version: v, PacketID: 2, ReasonCode: mqttpkt.PacketIdentifierNotFound},
			map[string]string{"mqtt.len": "3", "mqtt.pubrel.reason_code": "146"}},
		{"PUBCOMP-0x92-props", false, pubcomp, map[string]string{
			"mqtt.pubcomp.reason_code": "146", "mqtt.prop_key": "why", "mqtt.prop_value": "lost",
		}},
		{"SUBSCRIBE", true, sub, map[string]string{
			"mqtt.topic":                       "sensors/+|$share/grp/cfg/#",
			"mqtt.property_id":                 "0x0b|0x26",
			"mqtt.prop_number":                 "42",
			"mqtt.prop_key":                    "sub",
			"mqtt.subscription_options":        "0x2d|0x02",
			"mqtt.subscription_options_qos":    "1|2",
			"mqtt.subscription_options_nl":     "1|0",
			"mqtt.subscription_options_rap":    "1|0",
			"mqtt.subscription_options_retain": "2|0",
		}},
		{"SUBACK", false, suback, map[string]string{
			"mqtt.suback.reason_code": "1|158", "mqtt.prop_string": "no shared",
		}},
		{"UNSUBSCRIBE", true, unsub, map[string]string{
			"mqtt.topic": "sensors/+|nope/#", "mqtt.prop_key": "u", "mqtt.prop_value": "1",
		}},
		{"UNSUBACK", false, &mqttpkt.Unsuback{Version: v, PacketID: 4, ReasonCodes: []mqttpkt.ReasonCode{mqttpkt.Success, mqttpkt.NoSubscriptionExisted}},
			map[string]string{"mqtt.unsuback.reason_code": "0|17"}},
		{"PINGREQ", true, &mqttpkt.Pingreq{}, nil},
		{"PINGRESP", false, &mqttpkt.Pingresp{}, nil},
		{"AUTH-0x18", true, auth, map[string]string{
			"mqtt.auth.reason_code": "24",
			"mqtt.property_id":      "0x15|0x16",
			"mqtt.prop_string":      "SCRAM-SHA-1|client-first",
		}},
		{"DISCONNECT-0x04", true, disc, map[string]string{
			"mqtt.disconnect.reason_code": "4",
			"mqtt.property_id":            "0x11|0x1f|0x26",
			"mqtt.prop_number":            "0",
			"mqtt.prop_string":            "bye",
			"mqtt.prop_key":               "why",
			"mqtt.prop_value":             "test",
		}},
	}
}

// packetID returns the packet identifier tshark should show, or "".
func packetID(p mqttpkt.Packet) string {
	var id uint16
	switch p := p.(type) {
	case *mqttpkt.Publish:
		id = p.PacketID
	case *mqttpkt.Ack:
		id = p.PacketID
	case *mqttpkt.Subscribe:
		id = p.PacketID
	case *mqttpkt.Suback:
		id = p.PacketID
	case *mqttpkt.Unsubscribe:
		id = p.PacketID
	case *mqttpkt.Unsuback:
		id = p.PacketID
	}
	if id == 0 {
		return ""
	}
	return strconv.Itoa(int(id))
}

// normalizeField makes tshark's text of a numeric field comparable: each
// "|"-separated value in decimal (property identifiers in hex, 0x%02x),
// booleans as 0 or 1.
func normalizeField(field, s string) string {
	if !tsharkNumeric[field] || s == "" {
		return s
	}
	parts := strings.Split(s, "|")
	for i, p := range parts {
		switch strings.ToLower(p) {
		case "true":
			parts[i] = "1"
		case "false":
			parts[i] = "0"
		default:
			if n, err := strconv.ParseUint(p, 0, 64); err == nil {
				parts[i] = strconv.FormatUint(n, 10)
				if field == "mqtt.property_id" {
					parts[i] = fmt.Sprintf("0x%02x", n)
				}
			}
		}
	}
	return strings.Join(parts, "|")
}

// runTshark runs tshark -T fields on file with MQTT decoded on port 1883.
func runTshark(t *testing.T, bin, file string, fields []string) map[int]map[string]string {
	t.Helper()
	return codectest.RunTshark(t, bin, file, fields, 30*time.Second, "-d", "tcp.port==1883,mqtt")
}

// TestTshark checks mqttpkt's encoding against Wireshark's MQTT dissector:
// packet type, remaining length, packet identifier, topic, QoS, flags,
// payload, CONNECT fields, reason codes and MQTT 5.0 properties (their
// identifiers in wire order, numbers, strings, content type, topic alias,
// user properties, subscription identifiers).
func TestTshark(t *testing.T) {
	bin := lookTool(t, "tshark", "/usr/bin/tshark", "/usr/local/bin/tshark")
	t.Parallel()

	type sent struct {
		c      *tsharkCase
		stream int
		wire   []byte
	}
	w := newPcap()
	byFrame := make(map[int]sent)
	fieldSet := make(map[string]bool)
	for stream, cases := range [][]tsharkCase{tsharkV311Cases(), tsharkV5Cases(), tsharkV31Cases()} {
		f := newFlow(w, uint16(50000+stream))
		for i := range cases {
			c := &cases[i]
			b, err := c.pkt.AppendBinary(nil)
			if err != nil {
				t.Fatalf("stream %d %s: encode: %v", stream, c.name, err)
			}
			if len(b) != c.pkt.Len() {
				t.Errorf("stream %d %s: encoded %d bytes, Len() = %d", stream, c.name, len(b), c.pkt.Len())
			}
			n := f.segment(c.fromClient, tcpPSH|tcpACK, b)
			byFrame[n] = sent{c, stream, b}
			for k := range c.want {
				fieldSet[k] = true
			}
		}
		f.close()
	}
	file := filepath.Join(t.TempDir(), "mqtt.pcap")
	if err := os.WriteFile(file, w.B, 0o644); err != nil {
		t.Fatal(err)
	}

	fields := slices.Clone(tsharkCommon)
	for _, k := range slices.Sorted(maps.Keys(fieldSet)) {
		if !slices.Contains(fields, k) {
			fields = append(fields, k)
		}
	}
	frames := runTshark(t, bin, file, fields)
	if len(frames) != w.Frames {
		t.Errorf("tshark read %d frames, the file has %d", len(frames), w.Frames)
	}

	for n := 1; n <= w.Frames; n++ {
		got := frames[n]
		s, ok := byFrame[n]
		if !ok {
			if got["mqtt.msgtype"] != "" {
				t.Errorf("frame %d (TCP control segment) decoded as MQTT type %s", n, got["mqtt.msgtype"])
			}
			continue
		}
		name := fmt.Sprintf("frame %d, stream %d, %s (% x)", n, s.stream, s.c.name, s.wire[:min(len(s.wire), 48)])
		if got == nil {
			t.Errorf("%s: missing from tshark's output", name)
			continue
		}
		h, hdrLen, total, err := mqttpkt.PeekHeader(s.wire)
		if err != nil || total != len(s.wire) {
			t.Errorf("%s: PeekHeader of our own encoding: total %d, %v", name, total, err)
			continue
		}
		want := map[string]string{
			"tcp.stream":         strconv.Itoa(s.stream),
			"mqtt.msgtype":       strconv.Itoa(int(s.c.pkt.PacketType())),
			"mqtt.len":           strconv.Itoa(total - hdrLen),
			"mqtt.msgid":         packetID(s.c.pkt),
			"_ws.malformed":      "",
			"_ws.expert.message": "",
		}
		if h.Type != s.c.pkt.PacketType() {
			t.Errorf("%s: encoded type %v, packet type %v", name, h.Type, s.c.pkt.PacketType())
		}
		for k, v := range s.c.want {
			want[k] = v
		}
		for _, k := range slices.Sorted(maps.Keys(want)) {
			g, wv := normalizeField(k, got[k]), normalizeField(k, want[k])
			if g != wv {
				if len(g) > 200 {
					g = g[:200] + "..."
				}
				t.Errorf("%s: tshark %s = %q, want %q", name, k, g, wv)
			}
		}
	}
}
