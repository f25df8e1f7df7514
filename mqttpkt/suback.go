package mqttpkt

import "github.com/iotwire/iotwire/internal/wire"

// Suback is a SUBACK packet (MQTT 5.0 section 3.9, MQTT 3.1.1 section 3.9):
// one reason code per subscription of the SUBSCRIBE it answers.
//
// The byte strings in Props alias the buffer passed to Decode.
type Suback struct {
	Version     Version
	PacketID    uint16
	Props       Properties // MQTT 5.0
	ReasonCodes []ReasonCode

	codeBuf [MaxInlineSubscriptions]ReasonCode
}

// Unsuback is an UNSUBACK packet (MQTT 5.0 section 3.11, MQTT 3.1.1
// section 3.11). In MQTT 3.1.1 it has only the packet identifier.
//
// The byte strings in Props alias the buffer passed to Decode.
type Unsuback struct {
	Version     Version
	PacketID    uint16
	Props       Properties   // MQTT 5.0
	ReasonCodes []ReasonCode // MQTT 5.0: one per topic filter

	codeBuf [MaxInlineSubscriptions]ReasonCode
}

// PacketType returns TypeSuback.
func (p *Suback) PacketType() PacketType { return TypeSuback }

// PacketType returns TypeUnsuback.
func (p *Unsuback) PacketType() PacketType { return TypeUnsuback }

// Decode decodes the SUBACK packet at the start of b, sent with protocol
// version v, and returns its length. It resets p first.
func (p *Suback) Decode(b []byte, v Version) (n int, err error) {
	p.Version, p.PacketID, p.Props = v, 0, Properties{}
	p.ReasonCodes = p.codeBuf[:0]
	return decodeCodeList(b, TypeSuback, v, &p.PacketID, &p.Props, &p.ReasonCodes)
}

// Decode decodes the UNSUBACK packet at the start of b, sent with protocol
// version v, and returns its length. It resets p first.
func (p *Unsuback) Decode(b []byte, v Version) (n int, err error) {
	p.Version, p.PacketID, p.Props = v, 0, Properties{}
	p.ReasonCodes = p.codeBuf[:0]
	return decodeCodeList(b, TypeUnsuback, v, &p.PacketID, &p.Props, &p.ReasonCodes)
}

// decodeCodeList decodes SUBACK and UNSUBACK: packet identifier, MQTT 5.0
// properties and a list of reason codes. The 3.1.1 UNSUBACK stops after
// the identifier (section 3.11.1).
func decodeCodeList(b []byte, t PacketType, v Version, id *uint16, props *Properties, codes *[]ReasonCode) (int, error) {
	var d dec
	if _, err := d.start(b, t, v); err != nil {
		return 0, err
	}
	var err error
	if *id, err = d.packetID(); err != nil {
		return 0, err
	}
	if t == TypeUnsuback && v != V5 {
		*codes = nil
		return len(d.b), d.end("remaining length")
	}
	if v == V5 {
		if err := props.decode(&d, allowAck); err != nil {
			return 0, err
		}
	}
	if d.left() == 0 {
		// One code per filter [MQTT-3.9.3-2], [MQTT-3.11.3-2], and a SUBSCRIBE
		// or UNSUBSCRIBE has at least one filter.
		return 0, d.fail("payload", d.i, ErrProtocol, v.rule("MQTT 3.1.1 3.9.3", "MQTT 5.0 3.9.3"), "no reason code")
	}
	set := codesFor(t, v)
	cs := *codes
	for i, c := range d.b[d.i:] {
		if !set.has(ReasonCode(c)) {
			return 0, d.fail("reason code", d.i+i, ErrProtocol, codeListRule(t), "reason code not valid in this packet")
		}
		cs = append(cs, ReasonCode(c))
	}
	*codes = cs
	return len(d.b), nil
}

func codeListSizes(t PacketType, v Version, props *Properties, codes []ReasonCode) (rem, pn int, m uint64) {
	rem = 2
	if t == TypeUnsuback && v != V5 {
		return rem, 0, 0
	}
	if v == V5 {
		m = props.mask()
		pn = props.encLen(m)
		rem += wire.VarintLen(uint32(pn)) + pn
	}
	return rem + len(codes), pn, m
}

func appendCodeList(b []byte, t PacketType, v Version, id uint16, props *Properties, codes []ReasonCode) ([]byte, error) {
	if err := checkVersion(t, v); err != nil {
		return b, err
	}
	if id == 0 {
		return b, encErr(t, "packet identifier", v.rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "packet identifier 0", ErrProtocol)
	}
	if t == TypeUnsuback && v != V5 {
		if len(codes) != 0 {
			return b, encErr(t, "reason codes", "MQTT 3.1.1 3.11.3", "UNSUBACK has no payload before MQTT 5.0", ErrProtocol)
		}
	} else {
		if len(codes) == 0 {
			return b, encErr(t, "payload", v.rule("MQTT 3.1.1 3.9.3", "MQTT 5.0 3.9.3"), "no reason code", ErrProtocol)
		}
		for _, c := range codes {
			if !c.ValidFor(t, v) {
				return b, encErr(t, "reason code", codeListRule(t), "reason code not valid in this packet", ErrProtocol)
			}
		}
	}
	if v == V5 {
		if err := props.check(t, allowAck, props.mask()); err != nil {
			return b, err
		}
	} else if !props.Empty() {
		return b, encErr(t, "properties", "", "properties need MQTT 5.0", ErrProtocol)
	}
	rem, pn, m := codeListSizes(t, v, props, codes)
	if rem > MaxRemainingLength {
		return b, encErr(t, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	b = appendHeader(b, byte(t)<<4, rem)
	b = wire.AppendUint16(b, id)
	if v == V5 {
		b = props.appendSection(b, m, pn)
	}
	for _, c := range codes {
		b = append(b, byte(c))
	}
	return b, nil
}

// Len returns the encoded size of p.
func (p *Suback) Len() int {
	rem, _, _ := codeListSizes(TypeSuback, p.Version, &p.Props, p.ReasonCodes)
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b. On error it returns b unchanged.
func (p *Suback) AppendBinary(b []byte) ([]byte, error) {
	return appendCodeList(b, TypeSuback, p.Version, p.PacketID, &p.Props, p.ReasonCodes)
}

// Len returns the encoded size of p.
func (p *Unsuback) Len() int {
	rem, _, _ := codeListSizes(TypeUnsuback, p.Version, &p.Props, p.ReasonCodes)
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b. On error it returns b unchanged.
func (p *Unsuback) AppendBinary(b []byte) ([]byte, error) {
	return appendCodeList(b, TypeUnsuback, p.Version, p.PacketID, &p.Props, p.ReasonCodes)
}

// codeListRule cites the reason code rule of SUBACK or UNSUBACK.
func codeListRule(t PacketType) string {
	if t == TypeUnsuback {
		return "MQTT-3.11.3-2"
	}
	return "MQTT-3.9.3-2"
}
