package mqttpkt

import "github.com/iotwire/iotwire/internal/wire"

// Ack is a PUBACK, PUBREC, PUBREL or PUBCOMP packet, the four packets of the
// QoS 1 and QoS 2 flows (MQTT 5.0 sections 3.4 to 3.7, MQTT 3.1.1 sections
// 3.4 to 3.7). They share one layout: packet identifier, and in MQTT 5.0 a
// reason code and properties that may be omitted when they are 0 and empty.
//
// The byte strings in Props alias the buffer passed to Decode.
type Ack struct {
	Type       PacketType // TypePuback, TypePubrec, TypePubrel or TypePubcomp
	Version    Version
	PacketID   uint16
	ReasonCode ReasonCode // MQTT 5.0 only; 0 (Success) in MQTT 3.1.1
	Props      Properties
}

// PacketType returns a.Type.
func (a *Ack) PacketType() PacketType { return a.Type }

func isAckType(t PacketType) bool { return t >= TypePuback && t <= TypePubcomp }

// Decode decodes the PUBACK, PUBREC, PUBREL or PUBCOMP packet at the start of
// b, sent with protocol version v, and returns its length. It resets a first.
func (a *Ack) Decode(b []byte, v Version) (n int, err error) {
	t := TypePuback
	if len(b) > 0 && isAckType(PacketType(b[0]>>4)) {
		t = PacketType(b[0] >> 4)
	}
	var d dec
	if _, err := d.start(b, t, v); err != nil {
		return 0, err
	}
	*a = Ack{Type: t, Version: v}
	if a.PacketID, err = d.packetID(); err != nil {
		return 0, err
	}
	if v != V5 {
		// MQTT 3.1.1 sections 3.4.1 to 3.7.1: the remaining length is 2.
		return len(d.b), d.end("remaining length")
	}
	if err := d.reasonProps(&a.ReasonCode, &a.Props, allowAck); err != nil {
		return 0, err
	}
	return len(d.b), nil
}

// packetID reads a packet identifier, which must not be 0 (MQTT 3.1.1
// section 2.3.1, MQTT 5.0 section 2.2.1).
func (d *dec) packetID() (uint16, error) {
	if i := d.i; i+2 <= len(d.b) {
		if id := uint16(d.b[i])<<8 | uint16(d.b[i+1]); id != 0 {
			d.i = i + 2
			return id, nil
		}
	}
	return 0, d.badPacketID()
}

//go:noinline
func (d *dec) badPacketID() error {
	if d.left() < 2 {
		return d.short("packet identifier")
	}
	return d.fail("packet identifier", d.i, ErrProtocol, d.v.rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "packet identifier 0")
}

// reasonProps reads the optional reason code and properties at the end of
// an MQTT 5.0 PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT or AUTH packet: when
// the packet ends before them the code is 0x00 and there are no properties
// (MQTT 5.0 sections 3.4.2.1, 3.14.2.1, 3.15.2.1).
func (d *dec) reasonProps(rc *ReasonCode, p *Properties, allowed uint64) error {
	if d.left() == 0 {
		return nil
	}
	at := d.i
	c := ReasonCode(d.b[d.i])
	d.i++
	if !c.ValidFor(d.pkt, V5) {
		return d.fail("reason code", at, ErrProtocol, "MQTT 5.0 2.4", "reason code not valid in this packet")
	}
	*rc = c
	if d.left() == 0 {
		return nil
	}
	if err := p.decode(d, allowed); err != nil {
		return err
	}
	return d.end("properties")
}

// reasonPropsLen returns the size of the reason code and property section in
// the shortest form: both omitted when the code is 0 and there are no
// properties, the properties omitted when there are none.
func reasonPropsLen(rc ReasonCode, p *Properties, m uint64) (total, propLen int) {
	if m == 0 {
		if rc == 0 {
			return 0, 0
		}
		return 1, 0
	}
	propLen = p.encLen(m)
	return 1 + wire.VarintLen(uint32(propLen)) + propLen, propLen
}

func appendReasonProps(b []byte, rc ReasonCode, p *Properties, m uint64, total, propLen int) []byte {
	if total == 0 {
		return b
	}
	b = append(b, byte(rc))
	if total == 1 {
		return b
	}
	return p.appendSection(b, m, propLen)
}

// checkReasonProps validates the reason code and properties for encoding.
func checkReasonProps(t PacketType, rc ReasonCode, p *Properties, allowed uint64) (m uint64, err error) {
	if !rc.ValidFor(t, V5) {
		return 0, encErr(t, "reason code", "MQTT 5.0 2.4", "reason code not valid in this packet", ErrProtocol)
	}
	m = p.mask()
	return m, p.check(t, allowed, m)
}

// checkV3 rejects what MQTT 3.1.1 cannot carry.
func checkV3(t PacketType, rc ReasonCode, p *Properties) error {
	if rc != 0 {
		return encErr(t, "reason code", "", "reason codes need MQTT 5.0", ErrProtocol)
	}
	if !p.Empty() {
		return encErr(t, "properties", "", "properties need MQTT 5.0", ErrProtocol)
	}
	return nil
}

func (a *Ack) sizes() (rem, total, propLen int, m uint64) {
	rem = 2
	if a.Version == V5 {
		m = a.Props.mask()
		total, propLen = reasonPropsLen(a.ReasonCode, &a.Props, m)
		rem += total
	}
	return rem, total, propLen, m
}

// Len returns the encoded size of a.
func (a *Ack) Len() int {
	rem, _, _, _ := a.sizes()
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b, in the shortest form the
// version allows. On error it returns b unchanged.
func (a *Ack) AppendBinary(b []byte) ([]byte, error) {
	if !isAckType(a.Type) {
		return b, encErr(a.Type, "packet type", "", "not PUBACK, PUBREC, PUBREL or PUBCOMP", ErrUnsupported)
	}
	if err := checkVersion(a.Type, a.Version); err != nil {
		return b, err
	}
	if a.PacketID == 0 {
		return b, encErr(a.Type, "packet identifier", a.Version.rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "packet identifier 0", ErrProtocol)
	}
	if a.Version == V5 {
		if _, err := checkReasonProps(a.Type, a.ReasonCode, &a.Props, allowAck); err != nil {
			return b, err
		}
	} else if err := checkV3(a.Type, a.ReasonCode, &a.Props); err != nil {
		return b, err
	}
	rem, total, propLen, m := a.sizes()
	if rem > MaxRemainingLength {
		return b, encErr(a.Type, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	b = appendHeader(b, byte(a.Type)<<4|fixedFlags[a.Type], rem)
	b = wire.AppendUint16(b, a.PacketID)
	return appendReasonProps(b, a.ReasonCode, &a.Props, m, total, propLen), nil
}

func checkVersion(t PacketType, v Version) error {
	if !v.valid() {
		return encErr(t, "version", "", "protocol version not 3, 4 or 5", ErrUnsupported)
	}
	return nil
}
