package mqttpkt

import "github.com/iotwire/iotwire/internal/wire"

// Connect is a CONNECT packet (MQTT 5.0 section 3.1, MQTT 3.1.1 section 3.1,
// and the MQTT 3.1 "MQIsdp" variant with protocol level 3).
//
// ClientID, the Will's fields, Username, Password and the byte strings in
// Props alias the buffer passed to Decode. Username and Password are nil
// when their flags are 0; a present but empty field is a non-nil empty slice.
type Connect struct {
	Version    Version // protocol level: V31 ("MQIsdp"), V311 or V5 ("MQTT")
	CleanStart bool    // Clean Session in MQTT 3.1 and 3.1.1
	KeepAlive  uint16  // seconds
	Props      Properties
	ClientID   []byte
	WillFlag   bool // whether Will is sent
	Will       Will
	Username   []byte
	Password   []byte
}

// Will is the Will Message of a CONNECT (MQTT 5.0 section 3.1.3.2 to 3.1.3.4).
type Will struct {
	QoS     QoS
	Retain  bool
	Props   Properties // MQTT 5.0 Will Properties
	Topic   []byte
	Payload []byte
}

// PacketType returns TypeConnect.
func (p *Connect) PacketType() PacketType { return TypeConnect }

// ProtocolName returns "MQIsdp" for MQTT 3.1 and "MQTT" otherwise.
func (p *Connect) ProtocolName() string {
	if p.Version == V31 {
		return "MQIsdp"
	}
	return "MQTT"
}

// Connect flag bits (MQTT 5.0 section 3.1.2.3).
const (
	flagReserved   = 0x01
	flagClean      = 0x02
	flagWill       = 0x04
	flagWillRetain = 0x20
	flagPassword   = 0x40
	flagUsername   = 0x80
)

// maxClientID31 is the longest client identifier MQTT 3.1 allows (its
// section 3.1, "between 1 and 23 characters").
const maxClientID31 = 23

// Decode decodes the CONNECT packet at the start of b and returns its
// length. The version comes from the packet's own protocol level: an
// unknown name or level gives an error wrapping [ErrUnsupported], to which a
// server answers CONNACK 0x01 (3.1.1) or 0x84 (5.0). It resets p first.
func (p *Connect) Decode(b []byte) (n int, err error) {
	var d dec
	if _, err := d.start(b, TypeConnect, V5); err != nil {
		return 0, err
	}
	*p = Connect{}
	at := d.i
	name, ok := d.take()
	if !ok {
		return 0, d.short("protocol name")
	}
	if string(name) != "MQTT" && string(name) != "MQIsdp" {
		if bad, msg := checkUTF8(name); bad >= 0 {
			return 0, d.fail("protocol name", at+2+bad, ErrMalformed, ruleUTF8v5(msg), msg)
		}
	}
	level, err := d.u8("protocol level")
	if err != nil {
		return 0, err
	}
	v := Version(level)
	switch {
	case v == V31 && string(name) == "MQIsdp", (v == V311 || v == V5) && string(name) == "MQTT":
	case string(name) != "MQTT" && string(name) != "MQIsdp":
		return 0, d.fail("protocol name", at, ErrUnsupported, "MQTT-3.1.2-1", "protocol name not MQTT")
	default:
		return 0, d.fail("protocol level", at+2+len(name), ErrUnsupported, "MQTT-3.1.2-2", "unsupported protocol level")
	}
	p.Version, d.v = v, v
	at = d.i
	flags, err := d.u8("connect flags")
	if err != nil {
		return 0, err
	}
	if flags&flagReserved != 0 {
		return 0, d.fail("connect flags", at, ErrMalformed, "MQTT-3.1.2-3", "reserved flag set")
	}
	p.CleanStart = flags&flagClean != 0
	p.WillFlag = flags&flagWill != 0
	p.Will.QoS = QoS(flags >> 3 & 3)
	p.Will.Retain = flags&flagWillRetain != 0
	if !p.WillFlag && p.Will.QoS != 0 {
		return 0, d.fail("connect flags", at, ErrMalformed, v.rule("MQTT-3.1.2-13", "MQTT-3.1.2-11"), "will QoS set without will flag")
	}
	if !p.WillFlag && p.Will.Retain {
		return 0, d.fail("connect flags", at, ErrMalformed, v.rule("MQTT-3.1.2-15", "MQTT-3.1.2-13"), "will retain set without will flag")
	}
	if p.Will.QoS == 3 {
		return 0, d.fail("connect flags", at, ErrMalformed, v.rule("MQTT-3.1.2-14", "MQTT-3.1.2-12"), "will QoS 3")
	}
	if v != V5 && flags&flagUsername == 0 && flags&flagPassword != 0 {
		return 0, d.fail("connect flags", at, ErrMalformed, "MQTT-3.1.2-22", "password flag without user name flag")
	}
	if p.KeepAlive, err = d.u16("keep alive"); err != nil {
		return 0, err
	}
	if v == V5 {
		if err := p.Props.decode(&d, allowConnect); err != nil {
			return 0, err
		}
	}
	at = d.i
	if p.ClientID, err = d.str("client identifier"); err != nil { // [MQTT-3.1.3-3], [MQTT-3.1.3-4]
		return 0, err
	}
	if rule, msg := checkClientID(p.Version, p.CleanStart, p.ClientID); msg != "" {
		return 0, d.fail("client identifier", at, ErrProtocol, rule, msg)
	}
	if p.WillFlag { // [MQTT-3.1.2-9]
		if v == V5 {
			if err := p.Will.Props.decode(&d, allowWill); err != nil {
				return 0, err
			}
		}
		at = d.i
		if p.Will.Topic, ok = d.take(); !ok {
			return 0, d.short("will topic")
		}
		if bad, msg := topicNameCheck(p.Will.Topic); bad >= 0 {
			return 0, d.fail("will topic", at+2+bad, ErrMalformed, publishTopicRule(msg, v), msg)
		}
		if p.Will.Payload, ok = d.take(); !ok {
			return 0, d.short("will payload")
		}
	}
	if flags&flagUsername != 0 {
		if p.Username, err = d.str("user name"); err != nil {
			return 0, err
		}
	}
	if flags&flagPassword != 0 {
		if p.Password, ok = d.take(); !ok {
			return 0, d.short("password")
		}
	}
	return len(d.b), d.end("payload") // [MQTT-3.1.3-1]: nothing after the last field
}

// checkClientID applies the client identifier rules that a packet shows:
// MQTT 3.1 wants 1 to 23 bytes; MQTT 3.1.1 wants Clean Session with an empty
// identifier [MQTT-3.1.3-7]. (MQTT 5.0 allows an empty identifier with either
// Clean Start, section 3.1.3.1.)
func checkClientID(v Version, clean bool, id []byte) (rule, msg string) {
	switch {
	case v == V31 && (len(id) == 0 || len(id) > maxClientID31):
		return "MQTT 3.1 3.1", "client identifier not 1 to 23 bytes"
	case v == V311 && len(id) == 0 && !clean:
		return "MQTT-3.1.3-7", "empty client identifier without clean session"
	}
	return "", ""
}

func (p *Connect) sizes() (rem, pn, wn int, m, wm uint64) {
	rem = 2 + len(p.ProtocolName()) + 1 + 1 + 2 + 2 + len(p.ClientID)
	if p.Version == V5 {
		m = p.Props.mask()
		pn = p.Props.encLen(m)
		rem += wire.VarintLen(uint32(pn)) + pn
	}
	if p.WillFlag {
		rem += 4 + len(p.Will.Topic) + len(p.Will.Payload)
		if p.Version == V5 {
			wm = p.Will.Props.mask()
			wn = p.Will.Props.encLen(wm)
			rem += wire.VarintLen(uint32(wn)) + wn
		}
	}
	if p.Username != nil {
		rem += 2 + len(p.Username)
	}
	if p.Password != nil {
		rem += 2 + len(p.Password)
	}
	return rem, pn, wn, m, wm
}

// Len returns the encoded size of p.
func (p *Connect) Len() int {
	rem, _, _, _, _ := p.sizes()
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b. It checks every rule the
// decoder checks and on error returns b unchanged.
func (p *Connect) AppendBinary(b []byte) ([]byte, error) {
	const t = TypeConnect
	if err := checkVersion(t, p.Version); err != nil {
		return b, err
	}
	v := p.Version
	if err := encString(t, "client identifier", p.ClientID); err != nil {
		return b, err
	}
	if rule, msg := checkClientID(v, p.CleanStart, p.ClientID); msg != "" {
		return b, encErr(t, "client identifier", rule, msg, ErrProtocol)
	}
	if p.WillFlag {
		if p.Will.QoS > 2 {
			return b, encErr(t, "will QoS", v.rule("MQTT-3.1.2-14", "MQTT-3.1.2-12"), "will QoS 3", ErrMalformed)
		}
		if bad, msg := topicNameCheck(p.Will.Topic); bad >= 0 {
			return b, encErr(t, "will topic", publishTopicRule(msg, v), msg, ErrMalformed)
		}
		if err := encBinary(t, "will payload", p.Will.Payload); err != nil {
			return b, err
		}
	} else if p.Will.QoS != 0 {
		return b, encErr(t, "will", v.rule("MQTT-3.1.2-13", "MQTT-3.1.2-11"), "will QoS set without will flag", ErrMalformed)
	} else if p.Will.Retain {
		return b, encErr(t, "will", v.rule("MQTT-3.1.2-15", "MQTT-3.1.2-13"), "will retain set without will flag", ErrMalformed)
	}
	if p.Username != nil {
		if err := encString(t, "user name", p.Username); err != nil {
			return b, err
		}
	}
	if err := encBinary(t, "password", p.Password); err != nil {
		return b, err
	}
	if v != V5 && p.Password != nil && p.Username == nil {
		return b, encErr(t, "password", "MQTT-3.1.2-22", "password without user name", ErrMalformed)
	}
	if v == V5 {
		m := p.Props.mask()
		if err := p.Props.check(t, allowConnect, m); err != nil {
			return b, err
		}
		if p.WillFlag {
			if err := p.Will.Props.check(t, allowWill, p.Will.Props.mask()); err != nil {
				return b, err
			}
		}
	} else if !p.Props.Empty() || !p.Will.Props.Empty() {
		return b, encErr(t, "properties", "", "properties need MQTT 5.0", ErrProtocol)
	}
	rem, pn, wn, m, wm := p.sizes()
	if rem > MaxRemainingLength {
		return b, encErr(t, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	b = appendHeader(b, byte(t)<<4, rem)
	b = appendBin(b, []byte(p.ProtocolName()))
	var flags byte
	if p.CleanStart {
		flags |= flagClean
	}
	if p.WillFlag {
		flags |= flagWill | byte(p.Will.QoS)<<3
		if p.Will.Retain {
			flags |= flagWillRetain
		}
	}
	if p.Password != nil {
		flags |= flagPassword
	}
	if p.Username != nil {
		flags |= flagUsername
	}
	b = append(b, byte(v), flags)
	b = wire.AppendUint16(b, p.KeepAlive)
	if v == V5 {
		b = p.Props.appendSection(b, m, pn)
	}
	b = appendBin(b, p.ClientID)
	if p.WillFlag {
		if v == V5 {
			b = p.Will.Props.appendSection(b, wm, wn)
		}
		b = appendBin(b, p.Will.Topic)
		b = appendBin(b, p.Will.Payload)
	}
	if p.Username != nil {
		b = appendBin(b, p.Username)
	}
	if p.Password != nil {
		b = appendBin(b, p.Password)
	}
	return b, nil
}

// CopyTo makes dst a copy of p that does not alias the decode buffer: it
// appends p's byte strings to buf, points dst at them and returns buf.
func (p *Connect) CopyTo(dst *Connect, buf []byte) []byte {
	*dst = *p
	buf, dst.ClientID = copyBytes(buf, p.ClientID)
	buf, dst.Will.Topic = copyBytes(buf, p.Will.Topic)
	buf, dst.Will.Payload = copyBytes(buf, p.Will.Payload)
	buf, dst.Username = copyBytes(buf, p.Username)
	buf, dst.Password = copyBytes(buf, p.Password)
	buf = p.Will.Props.CopyTo(&dst.Will.Props, buf)
	return p.Props.CopyTo(&dst.Props, buf)
}

// Connack is a CONNACK packet (MQTT 5.0 section 3.2, MQTT 3.1.1 section 3.2).
//
// The byte strings in Props alias the buffer passed to Decode.
type Connack struct {
	Version        Version
	SessionPresent bool
	ReasonCode     ReasonCode // the Connect Return code in MQTT 3.1.1
	Props          Properties
}

// PacketType returns TypeConnack.
func (p *Connack) PacketType() PacketType { return TypeConnack }

// Decode decodes the CONNACK packet at the start of b, sent with protocol
// version v, and returns its length. It resets p first.
func (p *Connack) Decode(b []byte, v Version) (n int, err error) {
	var d dec
	if _, err := d.start(b, TypeConnack, v); err != nil {
		return 0, err
	}
	*p = Connack{Version: v}
	at := d.i
	flags, err := d.u8("acknowledge flags")
	if err != nil {
		return 0, err
	}
	if flags&^1 != 0 {
		// 3.1.1 section 3.2.2.1 (no id), 5.0 [MQTT-3.2.2-1]: bits 7-1 are reserved.
		return 0, d.fail("acknowledge flags", at, ErrMalformed, v.rule("MQTT 3.1.1 3.2.2.1", "MQTT-3.2.2-1"), "reserved flag set")
	}
	p.SessionPresent = flags == 1
	at = d.i
	c, err := d.u8("reason code")
	if err != nil {
		return 0, err
	}
	p.ReasonCode = ReasonCode(c)
	if !p.ReasonCode.ValidFor(TypeConnack, v) {
		return 0, d.fail("reason code", at, ErrProtocol, v.rule("MQTT 3.1.1 3.2.2.3", "MQTT-3.2.2-8"), "reason code not valid in CONNACK")
	}
	if p.SessionPresent && c != 0 {
		return 0, d.fail("acknowledge flags", at-1, ErrProtocol, v.rule("MQTT-3.2.2-4", "MQTT-3.2.2-6"), "session present with a non-zero reason code")
	}
	if v == V5 {
		if err := p.Props.decode(&d, allowConnack); err != nil {
			return 0, err
		}
	}
	return len(d.b), d.end("properties")
}

func (p *Connack) sizes() (rem, pn int, m uint64) {
	rem = 2
	if p.Version == V5 {
		m = p.Props.mask()
		pn = p.Props.encLen(m)
		rem += wire.VarintLen(uint32(pn)) + pn
	}
	return rem, pn, m
}

// Len returns the encoded size of p.
func (p *Connack) Len() int {
	rem, _, _ := p.sizes()
	return headerLen(rem) + rem
}

// AppendBinary appends the encoded packet to b. On error it returns b unchanged.
func (p *Connack) AppendBinary(b []byte) ([]byte, error) {
	const t = TypeConnack
	if err := checkVersion(t, p.Version); err != nil {
		return b, err
	}
	v := p.Version
	if !p.ReasonCode.ValidFor(t, v) {
		return b, encErr(t, "reason code", v.rule("MQTT 3.1.1 3.2.2.3", "MQTT-3.2.2-8"), "reason code not valid in CONNACK", ErrProtocol)
	}
	if p.SessionPresent && p.ReasonCode != 0 {
		return b, encErr(t, "session present", v.rule("MQTT-3.2.2-4", "MQTT-3.2.2-6"), "session present with a non-zero reason code", ErrProtocol)
	}
	if v == V5 {
		if err := p.Props.check(t, allowConnack, p.Props.mask()); err != nil {
			return b, err
		}
	} else if !p.Props.Empty() {
		return b, encErr(t, "properties", "", "properties need MQTT 5.0", ErrProtocol)
	}
	rem, pn, m := p.sizes()
	if rem > MaxRemainingLength {
		return b, encErr(t, "packet", "MQTT 5.0 1.5.5", "larger than the maximum remaining length", ErrLimit)
	}
	b = appendHeader(b, byte(t)<<4, rem)
	var flags byte
	if p.SessionPresent {
		flags = 1
	}
	b = append(b, flags, byte(p.ReasonCode))
	if v == V5 {
		b = p.Props.appendSection(b, m, pn)
	}
	return b, nil
}
