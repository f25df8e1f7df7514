package mqttpkt

import (
	"bytes"

	"github.com/iotwire/iotwire/internal/wire"
)

// MaxInlineSubscriptions is how many subscriptions, topic filters or reason
// codes Subscribe, Unsubscribe, Suback and Unsuback hold without allocating.
// Decoding a packet with more appends past it onto the heap.
const MaxInlineSubscriptions = 8

// Subscription is one Topic Filter and its Subscription Options (MQTT 5.0
// section 3.8.3.1; MQTT 3.1.1 has only the QoS).
type Subscription struct {
	Filter            []byte
	QoS               QoS   // maximum QoS
	NoLocal           bool  // MQTT 5.0
	RetainAsPublished bool  // MQTT 5.0
	RetainHandling    uint8 // MQTT 5.0: 0, 1 or 2
}

// Subscribe is a SUBSCRIBE packet (MQTT 5.0 section 3.8, MQTT 3.1.1 section 3.8).
//
// The filters and the byte strings in Props alias the buffer passed to Decode.
type Subscribe struct {
	Version       Version
	PacketID      uint16
	Props         Properties // Subscription Identifier and User Properties
	Subscriptions []Subscription

	subBuf [MaxInlineSubscriptions]Subscription
}

// PacketType returns TypeSubscribe.
func (p *Subscribe) PacketType() PacketType { return TypeSubscribe }

// Decode decodes the SUBSCRIBE packet at the start of b, sent with protocol
// version v, and returns its length. It resets p first.
func (p *Subscribe) Decode(b []byte, v Version) (n int, err error) {
	var d dec
	if _, err := d.start(b, TypeSubscribe, v); err != nil {
		return 0, err
	}
	p.Version, p.PacketID, p.Props = v, 0, Properties{}
	p.Subscriptions = p.subBuf[:0]
	if p.PacketID, err = d.packetID(); err != nil {
		return 0, err
	}
	if v == V5 {
		if err := p.Props.decode(&d, allowSubscribe); err != nil {
			return 0, err
		}
	}
	if d.left() == 0 {
		return 0, d.fail("payload", d.i, ErrProtocol, v.rule("MQTT-3.8.3-3", "MQTT-3.8.3-2"), "no topic filter")
	}
	for d.left() > 0 {
		at := d.i
		f, err := d.str("topic filter")
		if err != nil {
			return 0, err
		}
		if bad, msg := filterCheck(f, v); bad >= 0 {
			return 0, d.fail("topic filter", at+2+bad, ErrMalformed, topicRule(msg, v), msg)
		}
		at = d.i
		o, err := d.u8("subscription options")
		if err != nil {
			return 0, err
		}
		s := Subscription{Filter: f, QoS: QoS(o & 3)}
		if v == V5 {
			if o&0xc0 != 0 {
				return 0, d.fail("subscription options", at, ErrMalformed, "MQTT-3.8.3-5", "reserved bits set")
			}
			s.NoLocal = o&4 != 0
			s.RetainAsPublished = o&8 != 0
			s.RetainHandling = o >> 4 & 3
			if s.RetainHandling == 3 {
				return 0, d.fail("subscription options", at, ErrProtocol, "MQTT 5.0 3.8.3.1", "retain handling 3")
			}
			if s.NoLocal && bytes.HasPrefix(f, sharePrefix) {
				return 0, d.fail("subscription options", at, ErrProtocol, "MQTT-3.8.3-4", "no local on a shared subscription")
			}
		} else if o&0xfc != 0 {
			return 0, d.fail("subscription options", at, ErrMalformed, "MQTT-3-8.3-4", "reserved bits set")
		}
		if s.QoS == 3 {
			return 0, d.fail("subscription options", at, ErrMalformed, v.rule("MQTT-3-8.3-4", "MQTT 5.0 3.8.3.1"), "QoS 3")
		}
		p.Subscriptions = append(p.Subscriptions, s)
	}
	return len(d.b), nil
}

func (s *Subscription) options(v Version) byte {
	o := byte(s.QoS)
	if v == V5 {
		if s.NoLocal {
			o |= 4
		}
		if s.RetainAsPublished {
			o |= 8
		}
		o |= s.RetainHandling << 4
	}
	return o
}

func (p *Subscribe) sizes() (rem, pn int, m uint64) {
	rem = 2
	if p.Version == V5 {
		m = p.Props.mask()
		pn = p.Props.encLen(m)
		rem += wire.VarintLen(uint32(pn)) + pn
	}
	for i := range p.Subscriptions {
		rem += 3 + len(p.Subscriptions[i].Filter)
	}
	return rem, pn, m
}

// Len returns the encoded size of p.
func (p *Subscribe) Len() int {
	rem, _, _ := p.sizes()
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b. It checks every rule the
// decoder checks and on error returns b unchanged.
func (p *Subscribe) AppendBinary(b []byte) ([]byte, error) {
	const t = TypeSubscribe
	if err := checkVersion(t, p.Version); err != nil {
		return b, err
	}
	v := p.Version
	if p.PacketID == 0 {
		return b, encErr(t, "packet identifier", v.rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "packet identifier 0", ErrProtocol)
	}
	if len(p.Subscriptions) == 0 {
		return b, encErr(t, "payload", v.rule("MQTT-3.8.3-3", "MQTT-3.8.3-2"), "no topic filter", ErrProtocol)
	}
	for i := range p.Subscriptions {
		s := &p.Subscriptions[i]
		if bad, msg := filterCheck(s.Filter, v); bad >= 0 {
			return b, encErr(t, "topic filter", topicRule(msg, v), msg, ErrMalformed)
		}
		if s.QoS > 2 {
			return b, encErr(t, "subscription options", v.rule("MQTT-3-8.3-4", "MQTT 5.0 3.8.3.1"), "QoS 3", ErrMalformed)
		}
		if v == V5 {
			if s.RetainHandling > 2 {
				return b, encErr(t, "subscription options", "MQTT 5.0 3.8.3.1", "retain handling above 2", ErrProtocol)
			}
			if s.NoLocal && bytes.HasPrefix(s.Filter, sharePrefix) {
				return b, encErr(t, "subscription options", "MQTT-3.8.3-4", "no local on a shared subscription", ErrProtocol)
			}
		} else if s.NoLocal || s.RetainAsPublished || s.RetainHandling != 0 {
			return b, encErr(t, "subscription options", "MQTT-3-8.3-4", "subscription options need MQTT 5.0", ErrMalformed)
		}
	}
	if v == V5 {
		if err := p.Props.check(t, allowSubscribe, p.Props.mask()); err != nil {
			return b, err
		}
	} else if !p.Props.Empty() {
		return b, encErr(t, "properties", "", "properties need MQTT 5.0", ErrProtocol)
	}
	rem, pn, m := p.sizes()
	if rem > MaxRemainingLength {
		return b, encErr(t, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	b = appendHeader(b, byte(t)<<4|2, rem)
	b = wire.AppendUint16(b, p.PacketID)
	if v == V5 {
		b = p.Props.appendSection(b, m, pn)
	}
	for i := range p.Subscriptions {
		s := &p.Subscriptions[i]
		b = append(appendBin(b, s.Filter), s.options(v))
	}
	return b, nil
}

// Unsubscribe is an UNSUBSCRIBE packet (MQTT 5.0 section 3.10, MQTT 3.1.1
// section 3.10).
//
// Filters and the byte strings in Props alias the buffer passed to Decode.
type Unsubscribe struct {
	Version  Version
	PacketID uint16
	Props    Properties // User Properties only
	Filters  [][]byte

	filterBuf [MaxInlineSubscriptions][]byte
}

// PacketType returns TypeUnsubscribe.
func (p *Unsubscribe) PacketType() PacketType { return TypeUnsubscribe }

// Decode decodes the UNSUBSCRIBE packet at the start of b, sent with
// protocol version v, and returns its length. It resets p first.
func (p *Unsubscribe) Decode(b []byte, v Version) (n int, err error) {
	var d dec
	if _, err := d.start(b, TypeUnsubscribe, v); err != nil {
		return 0, err
	}
	p.Version, p.PacketID, p.Props = v, 0, Properties{}
	p.Filters = p.filterBuf[:0]
	if p.PacketID, err = d.packetID(); err != nil {
		return 0, err
	}
	if v == V5 {
		if err := p.Props.decode(&d, allowUnsub); err != nil {
			return 0, err
		}
	}
	if d.left() == 0 {
		return 0, d.fail("payload", d.i, ErrProtocol, "MQTT-3.10.3-2", "no topic filter")
	}
	for d.left() > 0 {
		at := d.i
		f, err := d.str("topic filter") // [MQTT-3.10.3-1]
		if err != nil {
			return 0, err
		}
		if bad, msg := filterCheck(f, v); bad >= 0 {
			return 0, d.fail("topic filter", at+2+bad, ErrMalformed, topicRule(msg, v), msg)
		}
		p.Filters = append(p.Filters, f)
	}
	return len(d.b), nil
}

func (p *Unsubscribe) sizes() (rem, pn int, m uint64) {
	rem = 2
	if p.Version == V5 {
		m = p.Props.mask()
		pn = p.Props.encLen(m)
		rem += wire.VarintLen(uint32(pn)) + pn
	}
	for _, f := range p.Filters {
		rem += 2 + len(f)
	}
	return rem, pn, m
}

// Len returns the encoded size of p.
func (p *Unsubscribe) Len() int {
	rem, _, _ := p.sizes()
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b. It checks every rule the
// decoder checks and on error returns b unchanged.
func (p *Unsubscribe) AppendBinary(b []byte) ([]byte, error) {
	const t = TypeUnsubscribe
	if err := checkVersion(t, p.Version); err != nil {
		return b, err
	}
	v := p.Version
	if p.PacketID == 0 {
		return b, encErr(t, "packet identifier", v.rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "packet identifier 0", ErrProtocol)
	}
	if len(p.Filters) == 0 {
		return b, encErr(t, "payload", "MQTT-3.10.3-2", "no topic filter", ErrProtocol)
	}
	for _, f := range p.Filters {
		if bad, msg := filterCheck(f, v); bad >= 0 {
			return b, encErr(t, "topic filter", topicRule(msg, v), msg, ErrMalformed)
		}
	}
	if v == V5 {
		if err := p.Props.check(t, allowUnsub, p.Props.mask()); err != nil {
			return b, err
		}
	} else if !p.Props.Empty() {
		return b, encErr(t, "properties", "", "properties need MQTT 5.0", ErrProtocol)
	}
	rem, pn, m := p.sizes()
	if rem > MaxRemainingLength {
		return b, encErr(t, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	b = appendHeader(b, byte(t)<<4|2, rem)
	b = wire.AppendUint16(b, p.PacketID)
	if v == V5 {
		b = p.Props.appendSection(b, m, pn)
	}
	for _, f := range p.Filters {
		b = appendBin(b, f)
	}
	return b, nil
}
