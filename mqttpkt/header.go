package mqttpkt

import "github.com/iotwire/iotwire/internal/wire"

// PacketType is the MQTT Control Packet type, the high nibble of the first
// byte (MQTT 5.0 section 2.1.2, MQTT 3.1.1 section 2.2.1).
type PacketType uint8

// The packet types. TypeAuth exists only in MQTT 5.0.
const (
	TypeConnect     PacketType = 1
	TypeConnack     PacketType = 2
	TypePublish     PacketType = 3
	TypePuback      PacketType = 4
	TypePubrec      PacketType = 5
	TypePubrel      PacketType = 6
	TypePubcomp     PacketType = 7
	TypeSubscribe   PacketType = 8
	TypeSuback      PacketType = 9
	TypeUnsubscribe PacketType = 10
	TypeUnsuback    PacketType = 11
	TypePingreq     PacketType = 12
	TypePingresp    PacketType = 13
	TypeDisconnect  PacketType = 14
	TypeAuth        PacketType = 15
)

var typeNames = [16]string{"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
	"PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"}

// String returns the spec's name of the packet type, such as "PUBLISH".
func (t PacketType) String() string {
	if t < 16 {
		return typeNames[t]
	}
	return "INVALID"
}

// ParsePacketType returns the type named s ("PUBLISH"), or false.
func ParsePacketType(s string) (PacketType, bool) {
	for i := 1; i < 16; i++ {
		if typeNames[i] == s {
			return PacketType(i), true
		}
	}
	return 0, false
}

// fixedFlags holds the required flag nibble of each type but PUBLISH
// (MQTT 3.1.1 Table 2.2, MQTT 5.0 Table 2-2).
var fixedFlags = [16]uint8{TypePubrel: 2, TypeSubscribe: 2, TypeUnsubscribe: 2}

// Version is the protocol level of the CONNECT packet: 3 for MQTT 3.1
// ("MQIsdp"), 4 for MQTT 3.1.1 and 5 for MQTT 5.0. Packets other than
// CONNECT are identical in 3.1 and 3.1.1.
type Version uint8

// The protocol levels.
const (
	V31  Version = 3
	V311 Version = 4
	V5   Version = 5
)

// String returns "3.1", "3.1.1", "5.0" or "unknown".
func (v Version) String() string {
	switch v {
	case V31:
		return "3.1"
	case V311:
		return "3.1.1"
	case V5:
		return "5.0"
	}
	return "unknown"
}

func (v Version) valid() bool { return v >= V31 && v <= V5 }

// rule picks the normative id of the version in use.
func (v Version) rule(r311, r5 string) string {
	if v == V5 {
		return r5
	}
	return r311
}

// QoS is a quality-of-service level, 0 to 2.
type QoS uint8

// The QoS levels.
const (
	QoS0 QoS = 0 // at most once
	QoS1 QoS = 1 // at least once
	QoS2 QoS = 2 // exactly once
)

// MaxRemainingLength is the largest Remaining Length, the largest value of a
// four-byte Variable Byte Integer (MQTT 5.0 section 1.5.5).
const MaxRemainingLength = wire.MaxVarint

// MaxPacketSize is the size of the largest packet the protocol can carry:
// five header bytes plus MaxRemainingLength.
const MaxPacketSize = 1 + 4 + MaxRemainingLength

// FixedHeader is the first part of every packet: type, flags and Remaining
// Length (MQTT 5.0 section 2.1.1).
type FixedHeader struct {
	Type            PacketType
	Flags           uint8 // the low nibble of the first byte
	RemainingLength int   // bytes after the fixed header
}

const ruleFlags = "MQTT-2.2.2-1, MQTT-2.1.3-1"

// PeekHeader reads the fixed header at the start of b. hdrLen is its length
// (2 to 5) and total = hdrLen + RemainingLength, the length of the whole
// packet, which may be more than len(b). It checks the packet type and the
// reserved flag bits of every type but PUBLISH; packet Decode methods check
// the rest. Short input gives an error wrapping [ErrTruncated]: read more
// and call again.
func PeekHeader(b []byte) (h FixedHeader, hdrLen, total int, err error) {
	if len(b) < 2 {
		return h, 0, 0, &Error{Field: "fixed header", Offset: len(b), Msg: "need at least 2 bytes", Err: ErrTruncated}
	}
	h.Type = PacketType(b[0] >> 4)
	h.Flags = b[0] & 0x0f
	if h.Type == 0 {
		return h, 0, 0, &Error{Field: "packet type", Offset: 0, Rule: "MQTT 5.0 2.1.2", Msg: "reserved packet type 0", Err: ErrMalformed}
	}
	if h.Type != TypePublish && h.Flags != fixedFlags[h.Type] {
		// [MQTT-2.2.2-1] (3.1.1), [MQTT-2.1.3-1] (5.0): reserved flags have fixed values.
		return h, 0, 0, &Error{Packet: h.Type, Field: "fixed header flags", Offset: 0, Rule: ruleFlags, Msg: "invalid reserved flags", Err: ErrMalformed}
	}
	v, n, st := wire.ReadVarint(b[1:])
	switch st {
	case wire.VarintTruncated:
		return h, 0, 0, &Error{Packet: h.Type, Field: "remaining length", Offset: len(b), Msg: "input ends in the remaining length", Err: ErrTruncated}
	case wire.VarintTooLong:
		return h, 0, 0, &Error{Packet: h.Type, Field: "remaining length", Offset: 4, Rule: "MQTT 5.0 1.5.5", Msg: "more than 4 bytes", Err: ErrMalformed}
	case wire.VarintNonMinimal:
		return h, 0, 0, &Error{Packet: h.Type, Field: "remaining length", Offset: 1, Rule: "MQTT-1.5.5-1", Msg: "not minimally encoded", Err: ErrMalformed}
	}
	h.RemainingLength = int(v)
	return h, 1 + n, 1 + n + int(v), nil
}

// headerLen returns the size of a fixed header with remaining length rem.
func headerLen(rem int) int { return 1 + wire.VarintLen(uint32(rem)) }

// appendHeader appends a fixed header. rem must be <= MaxRemainingLength.
func appendHeader(b []byte, first byte, rem int) []byte {
	return wire.AppendVarint(append(b, first), uint32(rem))
}
