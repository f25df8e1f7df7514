package bench

import (
	"bytes"
	"fmt"
	"testing"

	pm "github.com/eclipse/paho.mqtt.golang/packets"
)

// paho.mqtt.golang: github.com/eclipse/paho.mqtt.golang/packets, MQTT 3.1
// and 3.1.1 only (no properties, no AUTH).
//
// Decoding: pm.ReadPacket reads from an io.Reader, as the client does from
// its net.Conn; the benchmark feeds it a bytes.Reader over the wire, Reset
// each iteration. Encoding: the packet's Write, as the client writes
// packets, into a bytes.Buffer Reset each iteration.

// pmPacket returns the paho.mqtt.golang packet value of case name, made
// with pm.NewControlPacket as the client makes them.
func pmPacket(name string) pm.ControlPacket {
	switch name {
	case "publish-qos0-v311", "publish-qos1-v311":
		p := pm.NewControlPacket(pm.Publish).(*pm.PublishPacket)
		p.TopicName, p.Payload = topic, []byte(payload)
		if name == "publish-qos1-v311" {
			p.Qos, p.MessageID = 1, packetID
		}
		return p
	case "connect-v311":
		p := pm.NewControlPacket(pm.Connect).(*pm.ConnectPacket)
		p.ProtocolName, p.ProtocolVersion, p.CleanSession, p.Keepalive = "MQTT", 4, true, keepAlive
		p.ClientIdentifier = clientID
		p.WillFlag, p.WillQos, p.WillTopic, p.WillMessage = true, 1, willTopic, []byte(willPayload)
		p.UsernameFlag, p.Username, p.PasswordFlag, p.Password = true, username, true, []byte(password)
		return p
	case "subscribe-v311":
		p := pm.NewControlPacket(pm.Subscribe).(*pm.SubscribePacket)
		p.MessageID = packetID
		for _, s := range subs311() {
			p.Topics = append(p.Topics, s.Filter)
			p.Qoss = append(p.Qoss, s.QoS)
		}
		return p
	case "pingreq-v311":
		return pm.NewControlPacket(pm.Pingreq)
	}
	panic("no paho.mqtt.golang packet for " + name)
}

func pmBenchDecode(b *testing.B, c *benchCase) {
	wire := c.wire
	var r bytes.Reader
	for b.Loop() {
		r.Reset(wire)
		if _, err := pm.ReadPacket(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func pmBenchEncode(b *testing.B, c *benchCase) {
	p := pmPacket(c.name)
	var buf bytes.Buffer
	buf.Grow(256)
	for b.Loop() {
		buf.Reset()
		if err := p.Write(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func pmDecodeOnce(c *benchCase) (msg, error) {
	r := bytes.NewReader(c.wire)
	cp, err := pm.ReadPacket(r)
	if err != nil {
		return msg{}, err
	}
	if r.Len() != 0 {
		return msg{}, fmt.Errorf("%d bytes left unread", r.Len())
	}
	return pmMsg(cp), nil
}

func pmEncodeOnce(c *benchCase) ([]byte, error) {
	var buf bytes.Buffer
	err := pmPacket(c.name).Write(&buf)
	return buf.Bytes(), err
}

// pmMsg converts a paho.mqtt.golang packet to a msg.
func pmMsg(cp pm.ControlPacket) msg {
	var m msg
	switch p := cp.(type) {
	case *pm.PublishPacket:
		m.Type, m.QoS, m.Dup, m.Retain, m.PacketID = p.MessageType, p.Qos, p.Dup, p.Retain, p.MessageID
		m.Topic, m.Payload = p.TopicName, string(p.Payload)
	case *pm.ConnectPacket:
		m.Type, m.Level, m.Clean, m.KeepAlive, m.ClientID = p.MessageType, p.ProtocolVersion, p.CleanSession, p.Keepalive, p.ClientIdentifier
		if p.UsernameFlag {
			m.Username = p.Username
		}
		if p.PasswordFlag {
			m.Password = string(p.Password)
		}
		if p.WillFlag {
			m.Will, m.WillQoS, m.WillRetain = true, p.WillQos, p.WillRetain
			m.WillTopic, m.WillPayload = p.WillTopic, string(p.WillMessage)
		}
	case *pm.SubscribePacket:
		m.Type, m.PacketID = p.MessageType, p.MessageID
		for i, f := range p.Topics {
			m.Subs = append(m.Subs, sub{Filter: f, QoS: p.Qoss[i]})
		}
	case *pm.PingreqPacket:
		m.Type = p.MessageType
	default:
		panic(fmt.Sprintf("pmMsg: unexpected %T", p))
	}
	return m
}
