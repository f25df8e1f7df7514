package mqttpkt

import (
	"math/bits"

	"github.com/iotwire/iotwire/internal/wire"
)

// PropID is an MQTT 5.0 property identifier (section 2.2.2.2, Table 2-4).
type PropID uint8

// The property identifiers of MQTT 5.0.
const (
	PropPayloadFormat        PropID = 0x01 // Payload Format Indicator, byte
	PropMessageExpiry        PropID = 0x02 // Message Expiry Interval, four-byte integer
	PropContentType          PropID = 0x03 // Content Type, UTF-8 string
	PropResponseTopic        PropID = 0x08 // Response Topic, UTF-8 string
	PropCorrelationData      PropID = 0x09 // Correlation Data, binary data
	PropSubscriptionID       PropID = 0x0B // Subscription Identifier, variable byte integer
	PropSessionExpiry        PropID = 0x11 // Session Expiry Interval, four-byte integer
	PropAssignedClientID     PropID = 0x12 // Assigned Client Identifier, UTF-8 string
	PropServerKeepAlive      PropID = 0x13 // Server Keep Alive, two-byte integer
	PropAuthMethod           PropID = 0x15 // Authentication Method, UTF-8 string
	PropAuthData             PropID = 0x16 // Authentication Data, binary data
	PropRequestProblemInfo   PropID = 0x17 // Request Problem Information, byte
	PropWillDelay            PropID = 0x18 // Will Delay Interval, four-byte integer
	PropRequestResponseInfo  PropID = 0x19 // Request Response Information, byte
	PropResponseInfo         PropID = 0x1A // Response Information, UTF-8 string
	PropServerReference      PropID = 0x1C // Server Reference, UTF-8 string
	PropReasonString         PropID = 0x1F // Reason String, UTF-8 string
	PropReceiveMaximum       PropID = 0x21 // Receive Maximum, two-byte integer
	PropTopicAliasMaximum    PropID = 0x22 // Topic Alias Maximum, two-byte integer
	PropTopicAlias           PropID = 0x23 // Topic Alias, two-byte integer
	PropMaximumQoS           PropID = 0x24 // Maximum QoS, byte
	PropRetainAvailable      PropID = 0x25 // Retain Available, byte
	PropUserProperty         PropID = 0x26 // User Property, UTF-8 string pair
	PropMaximumPacketSize    PropID = 0x27 // Maximum Packet Size, four-byte integer
	PropWildcardSubAvailable PropID = 0x28 // Wildcard Subscription Available, byte
	PropSubIDAvailable       PropID = 0x29 // Subscription Identifier Available, byte
	PropSharedSubAvailable   PropID = 0x2A // Shared Subscription Available, byte
)

var propNames = [64]string{
	0x01: "Payload Format Indicator", 0x02: "Message Expiry Interval", 0x03: "Content Type",
	0x08: "Response Topic", 0x09: "Correlation Data", 0x0B: "Subscription Identifier",
	0x11: "Session Expiry Interval", 0x12: "Assigned Client Identifier", 0x13: "Server Keep Alive",
	0x15: "Authentication Method", 0x16: "Authentication Data", 0x17: "Request Problem Information",
	0x18: "Will Delay Interval", 0x19: "Request Response Information", 0x1A: "Response Information",
	0x1C: "Server Reference", 0x1F: "Reason String", 0x21: "Receive Maximum",
	0x22: "Topic Alias Maximum", 0x23: "Topic Alias", 0x24: "Maximum QoS", 0x25: "Retain Available",
	0x26: "User Property", 0x27: "Maximum Packet Size", 0x28: "Wildcard Subscription Available",
	0x29: "Subscription Identifier Available", 0x2A: "Shared Subscription Available",
}

// String returns the spec's name of the property, or "Unknown".
func (id PropID) String() string {
	if id < 64 && propNames[id] != "" {
		return propNames[id]
	}
	return "Unknown"
}

// The data types of properties (MQTT 5.0 section 1.5).
const (
	kByte uint8 = iota + 1
	kU16
	kU32
	kVarint
	kString
	kBinary
	kPair
)

var propKinds = [64]uint8{
	0x01: kByte, 0x02: kU32, 0x03: kString, 0x08: kString, 0x09: kBinary, 0x0B: kVarint,
	0x11: kU32, 0x12: kString, 0x13: kU16, 0x15: kString, 0x16: kBinary, 0x17: kByte,
	0x18: kU32, 0x19: kByte, 0x1A: kString, 0x1C: kString, 0x1F: kString, 0x21: kU16,
	0x22: kU16, 0x23: kU16, 0x24: kByte, 0x25: kByte, 0x26: kPair, 0x27: kU32, 0x28: kByte,
	0x29: kByte, 0x2A: kByte,
}

func bit(ids ...PropID) (m uint64) {
	for _, id := range ids {
		m |= 1 << id
	}
	return m
}

// Which properties each packet may carry (MQTT 5.0 section 2.2.2.2, Table 2-4).
var (
	allowConnect = bit(PropSessionExpiry, PropAuthMethod, PropAuthData, PropRequestProblemInfo,
		PropRequestResponseInfo, PropReceiveMaximum, PropTopicAliasMaximum, PropUserProperty, PropMaximumPacketSize)
	allowWill = bit(PropPayloadFormat, PropMessageExpiry, PropContentType, PropResponseTopic,
		PropCorrelationData, PropWillDelay, PropUserProperty)
	allowConnack = bit(PropSessionExpiry, PropAssignedClientID, PropServerKeepAlive, PropAuthMethod,
		PropAuthData, PropResponseInfo, PropServerReference, PropReasonString, PropReceiveMaximum,
		PropTopicAliasMaximum, PropMaximumQoS, PropRetainAvailable, PropUserProperty, PropMaximumPacketSize,
		PropWildcardSubAvailable, PropSubIDAvailable, PropSharedSubAvailable)
	allowPublish = bit(PropPayloadFormat, PropMessageExpiry, PropContentType, PropResponseTopic,
		PropCorrelationData, PropSubscriptionID, PropTopicAlias, PropUserProperty)
	allowAck        = bit(PropReasonString, PropUserProperty) // PUBACK to PUBCOMP, SUBACK, UNSUBACK
	allowSubscribe  = bit(PropSubscriptionID, PropUserProperty)
	allowUnsub      = bit(PropUserProperty)
	allowDisconnect = bit(PropSessionExpiry, PropServerReference, PropReasonString, PropUserProperty)
	allowAuth       = bit(PropAuthMethod, PropAuthData, PropReasonString, PropUserProperty)
	allowKnown      = allowConnect | allowWill | allowConnack | allowPublish | allowDisconnect | allowAuth
)

// Properties holds the MQTT 5.0 properties of one packet or of a Will
// (section 2.2.2). Each property has a typed field. Byte-string fields alias
// the buffer given to Decode.
//
// A property is sent when it was marked with [Properties.Set] (Decode marks
// every property it reads) or when its field is non-zero (non-nil for byte
// strings, non-empty for SubscriptionIDs and User). So a decoded zero value,
// such as Maximum QoS 0, survives a round trip, and setting a field is enough
// to send a non-zero value. Properties are encoded in ascending identifier
// order; Subscription Identifiers and User Properties keep their order.
//
// The zero value holds no properties.
type Properties struct {
	has uint64 // bit id set: present even if the field is zero

	PayloadFormat        uint8    // 0x01: 0 unspecified bytes, 1 UTF-8 payload
	MessageExpiry        uint32   // 0x02: seconds
	ContentType          []byte   // 0x03
	ResponseTopic        []byte   // 0x08: a topic name, no wildcards
	CorrelationData      []byte   // 0x09
	SubscriptionIDs      []uint32 // 0x0B: several in PUBLISH, at most one in SUBSCRIBE; 1 to 268,435,455
	SessionExpiry        uint32   // 0x11: seconds
	AssignedClientID     []byte   // 0x12
	ServerKeepAlive      uint16   // 0x13: seconds
	AuthMethod           []byte   // 0x15
	AuthData             []byte   // 0x16
	RequestProblemInfo   uint8    // 0x17: 0 or 1
	WillDelay            uint32   // 0x18: seconds
	RequestResponseInfo  uint8    // 0x19: 0 or 1
	ResponseInfo         []byte   // 0x1A
	ServerReference      []byte   // 0x1C
	ReasonString         []byte   // 0x1F
	ReceiveMaximum       uint16   // 0x21: not 0
	TopicAliasMaximum    uint16   // 0x22
	TopicAlias           uint16   // 0x23: not 0
	MaximumQoS           uint8    // 0x24: 0 or 1
	RetainAvailable      uint8    // 0x25: 0 or 1
	User                 UserProperties
	MaximumPacketSize    uint32 // 0x27: not 0
	WildcardSubAvailable uint8  // 0x28: 0 or 1
	SubIDAvailable       uint8  // 0x29: 0 or 1
	SharedSubAvailable   uint8  // 0x2A: 0 or 1

	subIDBuf [4]uint32 // inline storage for SubscriptionIDs
}

// Set marks property id as present, so that it is encoded even when its
// field holds the zero value.
func (p *Properties) Set(id PropID) {
	if id < 64 {
		p.has |= 1 << id
	}
}

// Clear removes the mark of property id and zeroes its field.
func (p *Properties) Clear(id PropID) {
	if id >= 64 {
		return
	}
	p.has &^= 1 << id
	switch id {
	case PropPayloadFormat:
		p.PayloadFormat = 0
	case PropMessageExpiry:
		p.MessageExpiry = 0
	case PropContentType:
		p.ContentType = nil
	case PropResponseTopic:
		p.ResponseTopic = nil
	case PropCorrelationData:
		p.CorrelationData = nil
	case PropSubscriptionID:
		p.SubscriptionIDs = nil
	case PropSessionExpiry:
		p.SessionExpiry = 0
	case PropAssignedClientID:
		p.AssignedClientID = nil
	case PropServerKeepAlive:
		p.ServerKeepAlive = 0
	case PropAuthMethod:
		p.AuthMethod = nil
	case PropAuthData:
		p.AuthData = nil
	case PropRequestProblemInfo:
		p.RequestProblemInfo = 0
	case PropWillDelay:
		p.WillDelay = 0
	case PropRequestResponseInfo:
		p.RequestResponseInfo = 0
	case PropResponseInfo:
		p.ResponseInfo = nil
	case PropServerReference:
		p.ServerReference = nil
	case PropReasonString:
		p.ReasonString = nil
	case PropReceiveMaximum:
		p.ReceiveMaximum = 0
	case PropTopicAliasMaximum:
		p.TopicAliasMaximum = 0
	case PropTopicAlias:
		p.TopicAlias = 0
	case PropMaximumQoS:
		p.MaximumQoS = 0
	case PropRetainAvailable:
		p.RetainAvailable = 0
	case PropUserProperty:
		p.User = UserProperties{}
	case PropMaximumPacketSize:
		p.MaximumPacketSize = 0
	case PropWildcardSubAvailable:
		p.WildcardSubAvailable = 0
	case PropSubIDAvailable:
		p.SubIDAvailable = 0
	case PropSharedSubAvailable:
		p.SharedSubAvailable = 0
	}
}

// Has reports whether property id is present: marked, or set to a non-zero value.
func (p *Properties) Has(id PropID) bool { return id < 64 && p.mask()&(1<<id) != 0 }

// Empty reports whether no property is present.
func (p *Properties) Empty() bool { return p.mask() == 0 }

// nz returns 1<<id if v is not zero, without a branch.
func nz(v uint32, id PropID) uint64 { return (uint64(v) + 0xffffffff) >> 32 << id }

// nzb returns 1<<id if v is not nil.
func nzb(v []byte, id PropID) uint64 {
	var m uint64
	if v != nil {
		m = 1 << id
	}
	return m
}

// mask returns the set of present properties.
func (p *Properties) mask() uint64 {
	m := p.has &^ (1<<PropSubscriptionID | 1<<PropUserProperty)
	m |= nz(uint32(p.PayloadFormat), PropPayloadFormat) | nz(p.MessageExpiry, PropMessageExpiry) |
		nzb(p.ContentType, PropContentType) | nzb(p.ResponseTopic, PropResponseTopic) |
		nzb(p.CorrelationData, PropCorrelationData) | nz(p.SessionExpiry, PropSessionExpiry) |
		nzb(p.AssignedClientID, PropAssignedClientID) | nz(uint32(p.ServerKeepAlive), PropServerKeepAlive) |
		nzb(p.AuthMethod, PropAuthMethod) | nzb(p.AuthData, PropAuthData) |
		nz(uint32(p.RequestProblemInfo), PropRequestProblemInfo) | nz(p.WillDelay, PropWillDelay) |
		nz(uint32(p.RequestResponseInfo), PropRequestResponseInfo) | nzb(p.ResponseInfo, PropResponseInfo) |
		nzb(p.ServerReference, PropServerReference) | nzb(p.ReasonString, PropReasonString) |
		nz(uint32(p.ReceiveMaximum), PropReceiveMaximum) | nz(uint32(p.TopicAliasMaximum), PropTopicAliasMaximum) |
		nz(uint32(p.TopicAlias), PropTopicAlias) | nz(uint32(p.MaximumQoS), PropMaximumQoS) |
		nz(uint32(p.RetainAvailable), PropRetainAvailable) | nz(p.MaximumPacketSize, PropMaximumPacketSize) |
		nz(uint32(p.WildcardSubAvailable), PropWildcardSubAvailable) | nz(uint32(p.SubIDAvailable), PropSubIDAvailable) |
		nz(uint32(p.SharedSubAvailable), PropSharedSubAvailable) |
		nz(uint32(len(p.SubscriptionIDs)), PropSubscriptionID)
	if p.User.n > 0 || p.User.bad {
		m |= 1 << PropUserProperty
	}
	return m
}

// decode reads a property section (length + properties) at d into p, which
// the caller has zeroed. allowed is the set the packet permits.
func (p *Properties) decode(d *dec, allowed uint64) error {
	// Fast path: an empty section.
	if d.i < len(d.b) && d.b[d.i] == 0 {
		d.i++
		return nil
	}
	n, err := d.varint("property length")
	if err != nil {
		return err
	}
	if int(n) > d.left() {
		return d.fail("property length", d.i, ErrMalformed, "MQTT 5.0 2.2.2.1", "property length exceeds remaining length")
	}
	b := d.b[:d.i+int(n)] // the section ends here; offsets stay those of the packet
	i := d.i
	d.i += int(n)
	p.SubscriptionIDs = p.subIDBuf[:0]
	userStart, userEnd := -1, 0
	for i < len(b) {
		at := i
		c := b[i]
		i++
		if c >= 64 || allowKnown&(1<<c) == 0 {
			// Property ids are variable byte integers, but every defined one is one byte.
			return d.fail("property identifier", at, ErrMalformed, "MQTT 5.0 2.2.2.2", "unknown property identifier")
		}
		id := PropID(c)
		if allowed&(1<<id) == 0 {
			// MQTT 5.0 section 2.2.2.2: an identifier not valid for the packet type is malformed.
			return d.fail(propNames[id], at, ErrMalformed, "MQTT 5.0 2.2.2.2", "property not allowed in this packet")
		}
		if p.has&(1<<id) != 0 && id != PropUserProperty && !(id == PropSubscriptionID && d.pkt == TypePublish) {
			// Every property but User Property (and Subscription Identifier in
			// PUBLISH, MQTT 5.0 3.3.2.3.8) is a Protocol Error if repeated.
			return d.fail(propNames[id], at, ErrProtocol, "MQTT 5.0 2.2.2.2", "property included more than once")
		}
		p.has |= 1 << id
		switch propKinds[id] {
		case kByte:
			if i >= len(b) {
				return propShort(d, id, i)
			}
			v := b[i]
			i++
			if v > 1 {
				// Every byte property takes 0 or 1 (MQTT 5.0 3.1.2.11.6, 3.1.2.11.7, 3.2.2.3.4,
				// 3.2.2.3.5, 3.2.2.3.11-13, 3.3.2.3.2).
				return d.fail(propNames[id], at+1, ErrProtocol, "MQTT 5.0 2.2.2.2", "value other than 0 or 1")
			}
			switch id {
			case PropPayloadFormat:
				p.PayloadFormat = v
			case PropRequestProblemInfo:
				p.RequestProblemInfo = v
			case PropRequestResponseInfo:
				p.RequestResponseInfo = v
			case PropMaximumQoS:
				p.MaximumQoS = v
			case PropRetainAvailable:
				p.RetainAvailable = v
			case PropWildcardSubAvailable:
				p.WildcardSubAvailable = v
			case PropSubIDAvailable:
				p.SubIDAvailable = v
			case PropSharedSubAvailable:
				p.SharedSubAvailable = v
			}
		case kU16:
			if i+2 > len(b) {
				return propShort(d, id, i)
			}
			v := uint16(b[i])<<8 | uint16(b[i+1])
			i += 2
			switch id {
			case PropServerKeepAlive:
				p.ServerKeepAlive = v
			case PropReceiveMaximum:
				if v == 0 { // MQTT 5.0 3.1.2.11.3, 3.2.2.3.3
					return d.fail(propNames[id], at+1, ErrProtocol, "MQTT 5.0 3.1.2.11.3", "value 0")
				}
				p.ReceiveMaximum = v
			case PropTopicAliasMaximum:
				p.TopicAliasMaximum = v
			case PropTopicAlias:
				if v == 0 {
					return d.fail(propNames[id], at+1, ErrProtocol, "MQTT-3.3.2-8", "topic alias 0")
				}
				p.TopicAlias = v
			}
		case kU32:
			if i+4 > len(b) {
				return propShort(d, id, i)
			}
			v := wire.Uint32(b[i:])
			i += 4
			switch id {
			case PropMessageExpiry:
				p.MessageExpiry = v
			case PropSessionExpiry:
				p.SessionExpiry = v
			case PropWillDelay:
				p.WillDelay = v
			case PropMaximumPacketSize:
				if v == 0 { // MQTT 5.0 3.1.2.11.4, 3.2.2.3.6
					return d.fail(propNames[id], at+1, ErrProtocol, "MQTT 5.0 3.1.2.11.4", "value 0")
				}
				p.MaximumPacketSize = v
			}
		case kVarint:
			v, n, st := wire.ReadVarint(b[i:])
			if st != wire.VarintOK {
				sub := dec{b: b, i: i, pkt: d.pkt, v: d.v}
				_, err := sub.varint(propNames[id])
				return err
			}
			i += n
			if v == 0 { // MQTT 5.0 3.3.2.3.8, 3.8.2.1.2
				return d.fail(propNames[id], at+1, ErrProtocol, "MQTT 5.0 3.8.2.1.2", "subscription identifier 0")
			}
			p.SubscriptionIDs = append(p.SubscriptionIDs, v)
		case kString, kBinary:
			if i+2 > len(b) {
				return propShort(d, id, i)
			}
			e := i + 2 + (int(b[i])<<8 | int(b[i+1]))
			if e > len(b) {
				return propShort(d, id, i)
			}
			v := b[i+2 : e : e]
			i = e
			if propKinds[id] == kString {
				if bad, msg := checkUTF8(v); bad >= 0 {
					return d.fail(propNames[id], at+3+bad, ErrMalformed, ruleUTF8v5(msg), msg)
				}
			}
			switch id {
			case PropContentType:
				p.ContentType = v
			case PropResponseTopic:
				if bad, msg := topicNameCheck(v); bad >= 0 { // [MQTT-3.3.2-14]
					return d.fail(propNames[id], at+3+bad, ErrProtocol, "MQTT-3.3.2-14", msg)
				}
				p.ResponseTopic = v
			case PropCorrelationData:
				p.CorrelationData = v
			case PropAssignedClientID:
				p.AssignedClientID = v
			case PropAuthMethod:
				p.AuthMethod = v
			case PropAuthData:
				p.AuthData = v
			case PropResponseInfo:
				p.ResponseInfo = v
			case PropServerReference:
				p.ServerReference = v
			case PropReasonString:
				p.ReasonString = v
			}
		case kPair:
			// [MQTT-1.5.7-1]: name and value are UTF-8 strings.
			sub := dec{b: b, i: i, pkt: d.pkt, v: d.v}
			if _, err := sub.str("User Property name"); err != nil {
				return err
			}
			if _, err := sub.str("User Property value"); err != nil {
				return err
			}
			i = sub.i
			if userStart < 0 {
				userStart = at
			}
			userEnd = i
			p.User.n++
			p.User.size += i - at
		}
	}
	if userStart >= 0 {
		p.User.raw = b[userStart:userEnd:userEnd]
		p.User.mixed = p.User.size != userEnd-userStart
	}
	if p.has&(1<<PropAuthData) != 0 && p.has&(1<<PropAuthMethod) == 0 {
		// MQTT 5.0 3.1.2.11.10, 3.15.2.2.3: Authentication Data needs a method.
		return d.fail("Authentication Data", d.i, ErrProtocol, "MQTT 5.0 3.1.2.11.10", "authentication data without authentication method")
	}
	return nil
}

// propShort reports a property value that runs past the property section.
//
//go:noinline
func propShort(d *dec, id PropID, at int) error {
	return d.fail(propNames[id], at, ErrMalformed, "MQTT 5.0 2.2.2.1", "property exceeds property length")
}

// check validates the properties in m for encoding in packet pkt.
func (p *Properties) check(pkt PacketType, allowed, m uint64) error {
	if extra := m &^ allowed; extra != 0 {
		id := PropID(bits.TrailingZeros64(extra))
		return encErr(pkt, propNames[id], "MQTT 5.0 2.2.2.2", "property not allowed in this packet", ErrProtocol)
	}
	for r := m; r != 0; r &= r - 1 {
		id := PropID(bits.TrailingZeros64(r))
		name := propNames[id]
		switch propKinds[id] {
		case kByte:
			if p.byteOf(id) > 1 {
				return encErr(pkt, name, "MQTT 5.0 2.2.2.2", "value other than 0 or 1", ErrProtocol)
			}
		case kU16:
			if p.u16Of(id) == 0 {
				switch id {
				case PropReceiveMaximum:
					return encErr(pkt, name, "MQTT 5.0 3.1.2.11.3", "value 0", ErrProtocol)
				case PropTopicAlias:
					return encErr(pkt, name, "MQTT-3.3.2-8", "topic alias 0", ErrProtocol)
				}
			}
		case kU32:
			if id == PropMaximumPacketSize && p.MaximumPacketSize == 0 {
				return encErr(pkt, name, "MQTT 5.0 3.1.2.11.4", "value 0", ErrProtocol)
			}
		case kVarint:
			if len(p.SubscriptionIDs) > 1 && pkt != TypePublish {
				return encErr(pkt, name, "MQTT 5.0 3.8.2.1.2", "more than one subscription identifier", ErrProtocol)
			}
			for _, v := range p.SubscriptionIDs {
				if v == 0 || v > wire.MaxVarint {
					return encErr(pkt, name, "MQTT 5.0 3.8.2.1.2", "subscription identifier out of range 1 to 268435455", ErrProtocol)
				}
			}
		case kString:
			v := p.bytesOf(id)
			if err := encString(pkt, name, v); err != nil {
				return err
			}
			if id == PropResponseTopic {
				if bad, msg := topicNameCheck(v); bad >= 0 {
					return encErr(pkt, name, "MQTT-3.3.2-14", msg, ErrProtocol)
				}
			}
		case kBinary:
			if err := encBinary(pkt, name, p.bytesOf(id)); err != nil {
				return err
			}
		}
	}
	if m&(1<<PropAuthData) != 0 && m&(1<<PropAuthMethod) == 0 {
		return encErr(pkt, propNames[PropAuthData], "MQTT 5.0 3.1.2.11.10", "authentication data without authentication method", ErrProtocol)
	}
	if p.User.bad {
		return encErr(pkt, propNames[PropUserProperty], "MQTT-1.5.7-1", "invalid user property name or value", ErrMalformed)
	}
	return nil
}

// encLen returns the encoded size of the properties in m, without the
// property length prefix.
func (p *Properties) encLen(m uint64) int {
	n := 0
	for r := m; r != 0; r &= r - 1 {
		id := PropID(bits.TrailingZeros64(r))
		switch propKinds[id] {
		case kByte:
			n += 2
		case kU16:
			n += 3
		case kU32:
			n += 5
		case kVarint:
			for _, v := range p.SubscriptionIDs {
				n += 1 + wire.VarintLen(v)
			}
		case kString, kBinary:
			n += 3 + len(p.bytesOf(id))
		case kPair:
			n += p.User.size
		}
	}
	return n
}

// sectionLen returns the size of the property section: length prefix and properties.
func (p *Properties) sectionLen(m uint64) int {
	n := p.encLen(m)
	return wire.VarintLen(uint32(n)) + n
}

func (p *Properties) bytesOf(id PropID) []byte {
	switch id {
	case PropContentType:
		return p.ContentType
	case PropResponseTopic:
		return p.ResponseTopic
	case PropCorrelationData:
		return p.CorrelationData
	case PropAssignedClientID:
		return p.AssignedClientID
	case PropAuthMethod:
		return p.AuthMethod
	case PropAuthData:
		return p.AuthData
	case PropResponseInfo:
		return p.ResponseInfo
	case PropServerReference:
		return p.ServerReference
	case PropReasonString:
		return p.ReasonString
	}
	return nil
}

func (p *Properties) byteOf(id PropID) uint8 {
	switch id {
	case PropPayloadFormat:
		return p.PayloadFormat
	case PropRequestProblemInfo:
		return p.RequestProblemInfo
	case PropRequestResponseInfo:
		return p.RequestResponseInfo
	case PropMaximumQoS:
		return p.MaximumQoS
	case PropRetainAvailable:
		return p.RetainAvailable
	case PropWildcardSubAvailable:
		return p.WildcardSubAvailable
	case PropSubIDAvailable:
		return p.SubIDAvailable
	case PropSharedSubAvailable:
		return p.SharedSubAvailable
	}
	return 0
}

func (p *Properties) u16Of(id PropID) uint16 {
	switch id {
	case PropServerKeepAlive:
		return p.ServerKeepAlive
	case PropReceiveMaximum:
		return p.ReceiveMaximum
	case PropTopicAliasMaximum:
		return p.TopicAliasMaximum
	case PropTopicAlias:
		return p.TopicAlias
	}
	return 0
}

func (p *Properties) u32Of(id PropID) uint32 {
	switch id {
	case PropMessageExpiry:
		return p.MessageExpiry
	case PropSessionExpiry:
		return p.SessionExpiry
	case PropWillDelay:
		return p.WillDelay
	case PropMaximumPacketSize:
		return p.MaximumPacketSize
	}
	return 0
}

// appendSection appends the property length and the properties in m, whose
// size encLen(m) the caller passes as n.
func (p *Properties) appendSection(b []byte, m uint64, n int) []byte {
	b = wire.AppendVarint(b, uint32(n))
	for r := m; r != 0; r &= r - 1 {
		id := PropID(bits.TrailingZeros64(r))
		switch propKinds[id] {
		case kByte:
			b = append(b, byte(id), p.byteOf(id))
		case kU16:
			b = wire.AppendUint16(append(b, byte(id)), p.u16Of(id))
		case kU32:
			b = wire.AppendUint32(append(b, byte(id)), p.u32Of(id))
		case kVarint:
			for _, v := range p.SubscriptionIDs {
				b = wire.AppendVarint(append(b, byte(id)), v)
			}
		case kString, kBinary:
			b = appendBin(append(b, byte(id)), p.bytesOf(id))
		case kPair:
			b = p.User.appendTo(b)
		}
	}
	return b
}

// CopyTo appends the byte strings of p to buf, makes dst a copy of p whose
// byte strings point into buf, and returns buf. Use it to keep properties
// after the decode buffer is reused.
func (p *Properties) CopyTo(dst *Properties, buf []byte) []byte {
	*dst = *p
	dst.SubscriptionIDs = append(dst.subIDBuf[:0], p.SubscriptionIDs...)
	if p.SubscriptionIDs == nil {
		dst.SubscriptionIDs = nil
	}
	for _, f := range [...]*[]byte{&dst.ContentType, &dst.ResponseTopic, &dst.CorrelationData,
		&dst.AssignedClientID, &dst.AuthMethod, &dst.AuthData, &dst.ResponseInfo,
		&dst.ServerReference, &dst.ReasonString} {
		buf, *f = copyBytes(buf, *f)
	}
	buf, dst.User.raw = copyBytes(buf, dst.User.raw)
	return buf
}

// copyBytes appends s to buf and returns buf and the copy (nil stays nil).
// The copy's capacity is clipped so that appending to it cannot overwrite buf.
func copyBytes(buf, s []byte) ([]byte, []byte) {
	if s == nil {
		return buf, nil
	}
	n := len(buf)
	buf = append(buf, s...)
	return buf, buf[n:len(buf):len(buf)]
}

// UserProperties holds the User Properties (0x26) of a packet, name-value
// pairs of UTF-8 strings kept in wire order (MQTT 5.0 section 3.1.2.11.8).
// After Decode it aliases the decoded buffer. Read it with Iter; build it
// with Add, after Reset with a buffer to reuse if allocations matter.
// The zero value is empty.
type UserProperties struct {
	raw   []byte // encoded properties; entries other than 0x26 are skipped when mixed
	n     int    // number of user properties
	size  int    // encoded bytes of the user properties alone
	mixed bool   // raw holds other properties between user properties
	bad   bool   // Add was given a pair that cannot be encoded
}

// Len returns the number of user properties.
func (u *UserProperties) Len() int { return u.n }

// Reset empties u and makes Add append into buf[:0], so that building user
// properties into a reused buffer does not allocate.
func (u *UserProperties) Reset(buf []byte) { *u = UserProperties{raw: buf[:0]} }

// Add appends a user property. A name or value that is not a valid MQTT
// UTF-8 string or is longer than 65535 bytes is not added; encoding the
// packet then fails with an error.
func (u *UserProperties) Add(name, value string) {
	if !validStringS(name) || !validStringS(value) {
		u.bad = true
		return
	}
	if u.mixed {
		// Keep only the user properties before appending to a decoded set.
		raw := make([]byte, 0, u.size+5+len(name)+len(value))
		u.raw, u.mixed = u.appendTo(raw), false
	}
	u.raw = append(u.raw, byte(PropUserProperty), byte(len(name)>>8), byte(len(name)))
	u.raw = append(u.raw, name...)
	u.raw = append(u.raw, byte(len(value)>>8), byte(len(value)))
	u.raw = append(u.raw, value...)
	u.n++
	u.size += 5 + len(name) + len(value)
}

// Get returns the value of the first user property named name.
func (u *UserProperties) Get(name string) (value []byte, ok bool) {
	for it := u.Iter(); it.Next(); {
		if k, v := it.Pair(); string(k) == name {
			return v, true
		}
	}
	return nil, false
}

func (u *UserProperties) appendTo(b []byte) []byte {
	if !u.mixed {
		return append(b, u.raw...)
	}
	for it := u.Iter(); it.Next(); {
		k, v := it.Pair()
		b = appendBin(appendBin(append(b, byte(PropUserProperty)), k), v)
	}
	return b
}

// Iter returns a cursor over the user properties in wire order:
//
//	for it := p.Props.User.Iter(); it.Next(); {
//		name, value := it.Pair()
//	}
func (u *UserProperties) Iter() UserPropertyIter { return UserPropertyIter{b: u.raw} }

// UserPropertyIter is a cursor over user properties. It is a small value:
// copy it to save the position.
type UserPropertyIter struct {
	b           []byte
	name, value []byte
}

// Next advances to the next user property and reports whether there is one.
func (it *UserPropertyIter) Next() bool {
	// The bytes were validated by Decode or written by Add, so lengths fit.
	for len(it.b) > 0 {
		id := it.b[0]
		b := it.b[1:]
		switch propKinds[id&63] {
		case kByte:
			it.b = b[1:]
		case kU16:
			it.b = b[2:]
		case kU32:
			it.b = b[4:]
		case kVarint:
			_, n, _ := wire.ReadVarint(b)
			it.b = b[n:]
		case kString, kBinary:
			it.b = b[2+int(wire.Uint16(b)):]
		case kPair:
			n := int(wire.Uint16(b))
			it.name = b[2 : 2+n]
			b = b[2+n:]
			m := int(wire.Uint16(b))
			it.value = b[2 : 2+m]
			it.b = b[2+m:]
			return true
		default:
			it.b = nil
		}
	}
	return false
}

// Pair returns the name and value of the current user property. They alias
// the packet buffer.
func (it *UserPropertyIter) Pair() (name, value []byte) { return it.name, it.value }
