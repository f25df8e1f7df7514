package mqttpkt

import "github.com/iotwire/iotwire/internal/wire"

// Publish is a PUBLISH packet (MQTT 5.0 section 3.3, MQTT 3.1.1 section 3.3).
//
// Topic, Payload and the byte strings in Props alias the buffer passed to
// Decode; they are valid until that buffer is reused. Use CopyTo to keep them.
//
// In MQTT 5.0 the Topic may be empty when Props.TopicAlias is set (section
// 3.3.2.1). Rules that depend on the direction or on connection state are
// the caller's: a client must not send Subscription Identifiers
// [MQTT-3.3.4-6], and Topic Alias limits come from CONNECT and CONNACK.
type Publish struct {
	Version  Version // decode: set from the argument; encode: selects the format
	Dup      bool
	QoS      QoS
	Retain   bool
	Topic    []byte
	PacketID uint16 // present only when QoS > 0
	Props    Properties
	Payload  []byte
}

// PacketType returns TypePublish.
func (p *Publish) PacketType() PacketType { return TypePublish }

// Decode decodes the PUBLISH packet at the start of b, sent with protocol
// version v, and returns its length. It resets p first.
func (p *Publish) Decode(b []byte, v Version) (n int, err error) {
	var d dec
	flags, err := d.start(b, TypePublish, v)
	if err != nil {
		return 0, err
	}
	*p = Publish{Version: v, Dup: flags&8 != 0, QoS: QoS(flags >> 1 & 3), Retain: flags&1 != 0}
	if p.QoS == 3 {
		return 0, d.fail("QoS", 0, ErrMalformed, v.rule("MQTT-3.3.1-4", "MQTT-3.3.1-4"), "QoS 3")
	}
	if p.Dup && p.QoS == 0 {
		return 0, d.fail("DUP flag", 0, ErrMalformed, "MQTT-3.3.1-2", "DUP set with QoS 0")
	}
	at := d.i
	topic, ok := d.take()
	if !ok {
		return 0, d.short("topic name")
	}
	if bad, msg := topicNameCheck(topic); bad >= 0 && !(bad == 0 && msg == msgEmptyTopic && v == V5) {
		class := ErrMalformed
		return 0, d.fail("topic name", at+2+bad, class, publishTopicRule(msg, v), msg)
	}
	p.Topic = topic
	if p.QoS > 0 {
		if p.PacketID, err = d.packetID(); err != nil {
			return 0, err
		}
	}
	if v == V5 {
		if err := p.Props.decode(&d, allowPublish); err != nil {
			return 0, err
		}
		if len(topic) == 0 && p.Props.TopicAlias == 0 {
			// MQTT 5.0 3.3.2.1: an empty topic name needs a Topic Alias.
			return 0, d.fail("topic name", at+2, ErrProtocol, "MQTT 5.0 3.3.2.1", msgEmptyTopic+" without topic alias")
		}
	}
	p.Payload = d.b[d.i:len(d.b):len(d.b)]
	return len(d.b), nil
}

func (p *Publish) remLen(m uint64) int {
	n := 2 + len(p.Topic) + len(p.Payload)
	if p.QoS > 0 {
		n += 2
	}
	if p.Version == V5 {
		n += p.Props.sectionLen(m)
	}
	return n
}

// Len returns the encoded size of p.
func (p *Publish) Len() int {
	var m uint64
	if p.Version == V5 {
		m = p.Props.mask()
	}
	rem := p.remLen(m)
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b. It checks every rule the
// decoder checks and on error returns b unchanged.
func (p *Publish) AppendBinary(b []byte) ([]byte, error) {
	if !p.Version.valid() {
		return b, encErr(TypePublish, "version", "", "protocol version not 3, 4 or 5", ErrUnsupported)
	}
	if p.QoS > 2 {
		return b, encErr(TypePublish, "QoS", "MQTT-3.3.1-4", "QoS 3", ErrMalformed)
	}
	if p.Dup && p.QoS == 0 {
		return b, encErr(TypePublish, "DUP flag", "MQTT-3.3.1-2", "DUP set with QoS 0", ErrMalformed)
	}
	if p.QoS > 0 && p.PacketID == 0 {
		return b, encErr(TypePublish, "packet identifier", p.Version.rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "packet identifier 0", ErrProtocol)
	}
	if p.QoS == 0 && p.PacketID != 0 {
		return b, encErr(TypePublish, "packet identifier", p.Version.rule("MQTT-2.3.1-5", "MQTT-2.2.1-2"), "packet identifier with QoS 0", ErrMalformed)
	}
	var m uint64
	if p.Version == V5 {
		m = p.Props.mask()
		if err := p.Props.check(TypePublish, allowPublish, m); err != nil {
			return b, err
		}
	} else if !p.Props.Empty() {
		return b, encErr(TypePublish, "properties", "", "properties need MQTT 5.0", ErrProtocol)
	}
	if bad, msg := topicNameCheck(p.Topic); bad >= 0 && !(msg == msgEmptyTopic && p.Version == V5 && m&(1<<PropTopicAlias) != 0) {
		return b, encErr(TypePublish, "topic name", publishTopicRule(msg, p.Version), msg, ErrMalformed)
	}
	var pn int
	rem := 2 + len(p.Topic) + len(p.Payload)
	if p.QoS > 0 {
		rem += 2
	}
	if p.Version == V5 {
		pn = p.Props.encLen(m)
		rem += wire.VarintLen(uint32(pn)) + pn
	}
	if rem > MaxRemainingLength {
		return b, encErr(TypePublish, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	first := byte(TypePublish)<<4 | byte(p.QoS)<<1
	if p.Dup {
		first |= 8
	}
	if p.Retain {
		first |= 1
	}
	b = appendHeader(b, first, rem)
	b = appendBin(b, p.Topic)
	if p.QoS > 0 {
		b = wire.AppendUint16(b, p.PacketID)
	}
	if p.Version == V5 {
		b = p.Props.appendSection(b, m, pn)
	}
	return append(b, p.Payload...), nil
}

// CopyTo makes dst a copy of p that does not alias the decode buffer: it
// appends p's byte strings to buf, points dst at them and returns buf.
func (p *Publish) CopyTo(dst *Publish, buf []byte) []byte {
	*dst = *p
	buf, dst.Topic = copyBytes(buf, p.Topic)
	buf, dst.Payload = copyBytes(buf, p.Payload)
	return p.Props.CopyTo(&dst.Props, buf)
}

// publishTopicRule cites [MQTT-3.3.2-2] for a wildcard in a PUBLISH topic.
func publishTopicRule(msg string, v Version) string {
	if msg == msgWildcardTopic {
		return "MQTT-3.3.2-2"
	}
	return topicRule(msg, v)
}
