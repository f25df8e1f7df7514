package bench

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/iotwire/iotwire/mqttpkt"
	mochi "github.com/mochi-mqtt/server/v2/packets"
)

// mochi: github.com/mochi-mqtt/server/v2/packets, MQTT 3.1.1 and 5.0.
//
// Decoding follows the server's Client.ReadFixedHeader and Client.ReadPacket:
// FixedHeader.Decode of the first byte, mochi.DecodeLength of the Remaining
// Length from an io.ByteReader (here a bytes.Reader over the wire, Reset
// each iteration), then a fresh Packet carrying the protocol version and
// the type's Decode method on the body. The server reads the body into a
// new slice and copies it once more before decoding; the benchmark skips
// both copies and decodes the body in place, which only favours mochi.
//
// Encoding follows Client.WritePacket: the type's Encode method into a
// bytes.Buffer, here reused (Reset each iteration) where the server
// allocates one per packet.

// mochiPacket returns the mochi packet value of case name, sent with
// protocol version v.
func mochiPacket(name string, v mqttpkt.Version) mochi.Packet {
	pv := byte(v)
	switch name {
	case "publish-qos0-v311", "publish-qos0-v5", "publish-qos1-v311", "publish-qos1-v5":
		p := mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Publish}, ProtocolVersion: pv,
			TopicName: topic, Payload: []byte(payload)}
		if name[:12] == "publish-qos1" {
			p.FixedHeader.Qos, p.PacketID = 1, packetID
		}
		if name == "publish-qos1-v5" {
			p.Properties = mochi.Properties{
				MessageExpiryInterval: pubExpiry,
				ContentType:           pubContentType,
				TopicAlias:            pubTopicAlias,
				TopicAliasFlag:        true,
				User:                  []mochi.UserProperty{{Key: pubUserName, Val: pubUserValue}},
			}
		}
		return p
	case "publish-64KiB-v5":
		return mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Publish, Qos: 1}, ProtocolVersion: pv,
			TopicName: topic, PacketID: packetID, Payload: []byte(bigPayload)}
	case "connect-v311", "connect-v5":
		p := mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Connect}, ProtocolVersion: pv,
			Connect: mochi.ConnectParams{ProtocolName: []byte("MQTT"), Clean: true, Keepalive: keepAlive,
				ClientIdentifier: clientID,
				WillFlag:         true, WillQos: 1, WillTopic: willTopic, WillPayload: []byte(willPayload),
				UsernameFlag: true, Username: []byte(username), PasswordFlag: true, Password: []byte(password)}}
		if v == mqttpkt.V5 {
			p.Properties = mochi.Properties{
				SessionExpiryInterval:     connSessionExpiry,
				SessionExpiryIntervalFlag: true,
				ReceiveMaximum:            connReceiveMax,
				TopicAliasMaximum:         connAliasMax,
				User:                      []mochi.UserProperty{{Key: connUserName, Val: connUserValue}},
			}
			p.Connect.WillProperties = mochi.Properties{WillDelayInterval: willDelay}
		}
		return p
	case "subscribe-v311", "subscribe-v5":
		p := mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Subscribe, Qos: 1}, ProtocolVersion: pv,
			PacketID: packetID}
		ss := subs311()
		if v == mqttpkt.V5 {
			ss = subs
			p.Properties.SubscriptionIdentifier = []int{subID}
		}
		for _, s := range ss {
			p.Filters = append(p.Filters, mochi.Subscription{Filter: s.Filter, Qos: s.QoS, NoLocal: s.NoLocal,
				RetainAsPublished: s.RetainAsPublished, RetainHandling: s.RetainHandling})
		}
		return p
	case "suback-v5":
		return mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Suback}, ProtocolVersion: pv,
			PacketID: packetID, ReasonCodes: []byte{1, 0, 2}}
	case "puback-v5":
		return mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Puback}, ProtocolVersion: pv,
			PacketID: packetID, ReasonCode: 0}
	case "pingreq-v311":
		return mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Pingreq}, ProtocolVersion: pv}
	case "disconnect-v5":
		return mochi.Packet{FixedHeader: mochi.FixedHeader{Type: mochi.Disconnect}, ProtocolVersion: pv,
			ReasonCode: 0x8B, Properties: mochi.Properties{ReasonString: reasonStr}}
	}
	panic("no mochi packet for " + name)
}

// mochiDecode decodes the packet in wire as mochi's server does; r is the
// reused reader the fixed header is read from.
func mochiDecode(r *bytes.Reader, wire []byte, v byte) (pk mochi.Packet, err error) {
	r.Reset(wire)
	hb, err := r.ReadByte()
	if err != nil {
		return pk, err
	}
	var fh mochi.FixedHeader
	if err = fh.Decode(hb); err != nil {
		return pk, err
	}
	if fh.Remaining, _, err = mochi.DecodeLength(r); err != nil {
		return pk, err
	}
	start := len(wire) - r.Len()
	if fh.Remaining > r.Len() {
		return pk, fmt.Errorf("mochiDecode: truncated")
	}
	body := wire[start : start+fh.Remaining]

	pk.ProtocolVersion = v
	pk.FixedHeader = fh
	switch fh.Type {
	case mochi.Connect:
		err = pk.ConnectDecode(body)
	case mochi.Disconnect:
		err = pk.DisconnectDecode(body)
	case mochi.Publish:
		err = pk.PublishDecode(body)
	case mochi.Puback:
		err = pk.PubackDecode(body)
	case mochi.Subscribe:
		err = pk.SubscribeDecode(body)
	case mochi.Suback:
		err = pk.SubackDecode(body)
	case mochi.Pingreq:
	default:
		err = fmt.Errorf("mochiDecode: unexpected packet type %d", fh.Type)
	}
	return pk, err
}

// mochiEncode encodes pk into buf as Client.WritePacket does.
func mochiEncode(pk *mochi.Packet, buf *bytes.Buffer) error {
	switch pk.FixedHeader.Type {
	case mochi.Connect:
		return pk.ConnectEncode(buf)
	case mochi.Publish:
		return pk.PublishEncode(buf)
	case mochi.Puback:
		return pk.PubackEncode(buf)
	case mochi.Subscribe:
		return pk.SubscribeEncode(buf)
	case mochi.Suback:
		return pk.SubackEncode(buf)
	case mochi.Pingreq:
		return pk.PingreqEncode(buf)
	case mochi.Disconnect:
		return pk.DisconnectEncode(buf)
	}
	return fmt.Errorf("mochiEncode: unexpected packet type %d", pk.FixedHeader.Type)
}

func mochiBenchDecode(b *testing.B, c *benchCase) {
	wire, v := c.wire, byte(c.v)
	var r bytes.Reader
	for b.Loop() {
		if _, err := mochiDecode(&r, wire, v); err != nil {
			b.Fatal(err)
		}
	}
}

func mochiBenchEncode(b *testing.B, c *benchCase) {
	pk := mochiPacket(c.name, c.v)
	var buf bytes.Buffer
	buf.Grow(256)
	for b.Loop() {
		buf.Reset()
		if err := mochiEncode(&pk, &buf); err != nil {
			b.Fatal(err)
		}
	}
}

func mochiDecodeOnce(c *benchCase) (msg, error) {
	var r bytes.Reader
	pk, err := mochiDecode(&r, c.wire, byte(c.v))
	if err != nil {
		return msg{}, err
	}
	if pk.FixedHeader.Remaining != r.Len() {
		return msg{}, fmt.Errorf("packet is %d bytes after the header, input has %d", pk.FixedHeader.Remaining, r.Len())
	}
	return mochiMsg(&pk), nil
}

func mochiEncodeOnce(c *benchCase) ([]byte, error) {
	pk := mochiPacket(c.name, c.v)
	var buf bytes.Buffer
	err := mochiEncode(&pk, &buf)
	return buf.Bytes(), err
}

func mochiProps(p *mochi.Properties) props {
	out := props{
		MessageExpiry:     p.MessageExpiryInterval,
		ContentType:       p.ContentType,
		TopicAlias:        p.TopicAlias,
		SessionExpiry:     p.SessionExpiryInterval,
		ReceiveMaximum:    p.ReceiveMaximum,
		TopicAliasMaximum: p.TopicAliasMaximum,
		WillDelay:         p.WillDelayInterval,
		ReasonString:      p.ReasonString,
	}
	if len(p.SubscriptionIdentifier) > 0 {
		out.SubscriptionID = p.SubscriptionIdentifier[0]
	}
	for _, u := range p.User {
		out.User = append(out.User, u.Key+"="+u.Val)
	}
	return out
}

// mochiMsg converts a mochi packet to a msg.
func mochiMsg(pk *mochi.Packet) msg {
	m := msg{Type: pk.FixedHeader.Type}
	switch pk.FixedHeader.Type {
	case mochi.Publish:
		m.QoS, m.Dup, m.Retain, m.PacketID = pk.FixedHeader.Qos, pk.FixedHeader.Dup, pk.FixedHeader.Retain, pk.PacketID
		m.Topic, m.Payload, m.Props = pk.TopicName, string(pk.Payload), mochiProps(&pk.Properties)
	case mochi.Connect:
		c := &pk.Connect
		m.Level, m.Clean, m.KeepAlive, m.ClientID = pk.ProtocolVersion, c.Clean, c.Keepalive, c.ClientIdentifier
		m.Username, m.Password, m.Props = string(c.Username), string(c.Password), mochiProps(&pk.Properties)
		if c.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, c.WillQos, c.WillRetain
			m.WillTopic, m.WillPayload, m.WillProps = c.WillTopic, string(c.WillPayload), mochiProps(&c.WillProperties)
		}
	case mochi.Subscribe:
		m.PacketID, m.Props = pk.PacketID, mochiProps(&pk.Properties)
		for _, s := range pk.Filters {
			m.Subs = append(m.Subs, sub{Filter: s.Filter, QoS: s.Qos, NoLocal: s.NoLocal,
				RetainAsPublished: s.RetainAsPublished, RetainHandling: s.RetainHandling})
		}
	case mochi.Suback:
		m.PacketID, m.Props = pk.PacketID, mochiProps(&pk.Properties)
		if len(pk.ReasonCodes) > 0 {
			m.Reasons = append([]byte(nil), pk.ReasonCodes...)
		}
	case mochi.Puback:
		m.PacketID, m.ReasonCode, m.Props = pk.PacketID, pk.ReasonCode, mochiProps(&pk.Properties)
	case mochi.Disconnect:
		m.ReasonCode, m.Props = pk.ReasonCode, mochiProps(&pk.Properties)
	case mochi.Pingreq:
	default:
		panic(fmt.Sprintf("mochiMsg: unexpected packet type %d", pk.FixedHeader.Type))
	}
	return m
}
