package mqttpkt

// Disconnect is a DISCONNECT packet (MQTT 5.0 section 3.14, MQTT 3.1.1
// section 3.14). In MQTT 3.1.1 it has no content.
//
// The byte strings in Props alias the buffer passed to Decode.
type Disconnect struct {
	Version    Version
	ReasonCode ReasonCode // MQTT 5.0 only
	Props      Properties
}

// PacketType returns TypeDisconnect.
func (p *Disconnect) PacketType() PacketType { return TypeDisconnect }

// Decode decodes the DISCONNECT packet at the start of b, sent with protocol
// version v, and returns its length. It resets p first.
func (p *Disconnect) Decode(b []byte, v Version) (n int, err error) {
	*p = Disconnect{Version: v}
	return decodeReasonOnly(b, TypeDisconnect, v, &p.ReasonCode, &p.Props, allowDisconnect)
}

// decodeReasonOnly decodes DISCONNECT and AUTH: an optional reason code and
// properties, nothing in MQTT 3.1.1 (section 3.14.1).
func decodeReasonOnly(b []byte, t PacketType, v Version, rc *ReasonCode, p *Properties, allowed uint64) (int, error) {
	var d dec
	if _, err := d.start(b, t, v); err != nil {
		return 0, err
	}
	if v != V5 {
		if t == TypeAuth {
			return 0, d.fail("packet type", 0, ErrMalformed, "MQTT 3.1.1 2.2.1", "AUTH is reserved before MQTT 5.0")
		}
		return len(d.b), d.end("remaining length")
	}
	if err := d.reasonProps(rc, p, allowed); err != nil {
		return 0, err
	}
	return len(d.b), nil
}

func reasonOnlySizes(v Version, rc ReasonCode, p *Properties) (rem, total, propLen int, m uint64) {
	if v == V5 {
		m = p.mask()
		total, propLen = reasonPropsLen(rc, p, m)
	}
	return total, total, propLen, m
}

func appendReasonOnly(b []byte, t PacketType, v Version, rc ReasonCode, p *Properties, allowed uint64) ([]byte, error) {
	if err := checkVersion(t, v); err != nil {
		return b, err
	}
	if v == V5 {
		if _, err := checkReasonProps(t, rc, p, allowed); err != nil {
			return b, err
		}
	} else {
		if t == TypeAuth {
			return b, encErr(t, "version", "MQTT 5.0 3.15", "AUTH needs MQTT 5.0", ErrUnsupported)
		}
		if err := checkV3(t, rc, p); err != nil {
			return b, err
		}
	}
	rem, total, propLen, m := reasonOnlySizes(v, rc, p)
	if rem > MaxRemainingLength {
		return b, encErr(t, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	b = appendHeader(b, byte(t)<<4, rem)
	return appendReasonProps(b, rc, p, m, total, propLen), nil
}

// Len returns the encoded size of p.
func (p *Disconnect) Len() int {
	rem, _, _, _ := reasonOnlySizes(p.Version, p.ReasonCode, &p.Props)
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b in its shortest form. On
// error it returns b unchanged.
func (p *Disconnect) AppendBinary(b []byte) ([]byte, error) {
	return appendReasonOnly(b, TypeDisconnect, p.Version, p.ReasonCode, &p.Props, allowDisconnect)
}

// Auth is an AUTH packet, MQTT 5.0 only (section 3.15), for extended
// authentication exchanges.
//
// The byte strings in Props alias the buffer passed to Decode.
type Auth struct {
	Version    Version // must be V5
	ReasonCode ReasonCode
	Props      Properties
}

// PacketType returns TypeAuth.
func (p *Auth) PacketType() PacketType { return TypeAuth }

// Decode decodes the AUTH packet at the start of b and returns its length.
// AUTH exists only in MQTT 5.0: other versions give ErrMalformed. It resets p first.
func (p *Auth) Decode(b []byte, v Version) (n int, err error) {
	*p = Auth{Version: v}
	n, err = decodeReasonOnly(b, TypeAuth, v, &p.ReasonCode, &p.Props, allowAuth)
	if err == nil && n > 2 && p.Props.has&(1<<PropAuthMethod) == 0 {
		// MQTT 5.0 3.15.2.2.2: omitting the Authentication Method is a Protocol Error.
		return 0, &Error{Packet: TypeAuth, Field: "properties", Offset: n, Rule: "MQTT 5.0 3.15.2.2.2", Msg: "no authentication method", Err: ErrProtocol}
	}
	return n, err
}

// Len returns the encoded size of p.
func (p *Auth) Len() int {
	rem, _, _, _ := reasonOnlySizes(p.Version, p.ReasonCode, &p.Props)
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b in its shortest form. On
// error it returns b unchanged.
func (p *Auth) AppendBinary(b []byte) ([]byte, error) {
	if (p.ReasonCode != 0 || !p.Props.Empty()) && p.Props.AuthMethod == nil && !p.Props.Has(PropAuthMethod) {
		return b, encErr(TypeAuth, "properties", "MQTT 5.0 3.15.2.2.2", "no authentication method", ErrProtocol)
	}
	return appendReasonOnly(b, TypeAuth, p.Version, p.ReasonCode, &p.Props, allowAuth)
}

// Pingreq is a PINGREQ packet (section 3.12 of both versions): no content.
type Pingreq struct{}

// PacketType returns TypePingreq.
func (*Pingreq) PacketType() PacketType { return TypePingreq }

// Decode decodes the PINGREQ packet at the start of b and returns its length, 2.
func (*Pingreq) Decode(b []byte, v Version) (int, error) { return decodeEmpty(b, TypePingreq, v) }

// Len returns 2.
func (*Pingreq) Len() int { return 2 }

// AppendBinary appends the two bytes of a PINGREQ.
func (*Pingreq) AppendBinary(b []byte) ([]byte, error) {
	return append(b, byte(TypePingreq)<<4, 0), nil
}

// Pingresp is a PINGRESP packet (section 3.13 of both versions): no content.
type Pingresp struct{}

// PacketType returns TypePingresp.
func (*Pingresp) PacketType() PacketType { return TypePingresp }

// Decode decodes the PINGRESP packet at the start of b and returns its length, 2.
func (*Pingresp) Decode(b []byte, v Version) (int, error) { return decodeEmpty(b, TypePingresp, v) }

// Len returns 2.
func (*Pingresp) Len() int { return 2 }

// AppendBinary appends the two bytes of a PINGRESP.
func (*Pingresp) AppendBinary(b []byte) ([]byte, error) {
	return append(b, byte(TypePingresp)<<4, 0), nil
}

func decodeEmpty(b []byte, t PacketType, v Version) (int, error) {
	var d dec
	if _, err := d.start(b, t, v); err != nil {
		return 0, err
	}
	// Sections 3.12.1 and 3.13.1: the remaining length is 0.
	return len(d.b), d.end("remaining length")
}
