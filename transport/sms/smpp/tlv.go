package smpp

import (
	"bytes"

	"github.com/iotwire/iotwire/internal/wire"
)

// Tag is the tag of an optional parameter, a TLV (SMPP 3.4 section 5.3).
type Tag uint16

// The TLV tags of SMPP 3.4 section 5.3.2 (Table 5-xx). This package checks
// and reads those with an accessor on [TLVs]; it keeps every TLV, known or
// not, as raw octets in wire order.
const (
	TagDestAddrSubunit          Tag = 0x0005
	TagDestNetworkType          Tag = 0x0006
	TagDestBearerType           Tag = 0x0007
	TagDestTelematicsID         Tag = 0x0008
	TagSourceAddrSubunit        Tag = 0x000D
	TagSourceNetworkType        Tag = 0x000E
	TagSourceBearerType         Tag = 0x000F
	TagSourceTelematicsID       Tag = 0x0010
	TagQOSTimeToLive            Tag = 0x0017
	TagPayloadType              Tag = 0x0019
	TagAdditionalStatusInfoText Tag = 0x001D
	TagReceiptedMessageID       Tag = 0x001E // 5.3.2.12: C-Octet String, max 65
	TagMSMsgWaitFacilities      Tag = 0x0030
	TagPrivacyIndicator         Tag = 0x0201
	TagSourceSubaddress         Tag = 0x0202
	TagDestSubaddress           Tag = 0x0203
	TagUserMessageReference     Tag = 0x0204
	TagUserResponseCode         Tag = 0x0205
	TagSourcePort               Tag = 0x020A // 5.3.2.20: 2 octets
	TagDestinationPort          Tag = 0x020B // 5.3.2.21: 2 octets
	TagSARMsgRefNum             Tag = 0x020C // 5.3.2.22: 2 octets
	TagLanguageIndicator        Tag = 0x020D
	TagSARTotalSegments         Tag = 0x020E // 5.3.2.23: 1 octet, 1-255
	TagSARSegmentSeqnum         Tag = 0x020F // 5.3.2.24: 1 octet, 1-255
	TagSCInterfaceVersion       Tag = 0x0210 // 5.3.2.25: 1 octet
	TagCallbackNumPresInd       Tag = 0x0302
	TagCallbackNumATag          Tag = 0x0303
	TagNumberOfMessages         Tag = 0x0304
	TagCallbackNum              Tag = 0x0381
	TagDPFResult                Tag = 0x0420
	TagSetDPF                   Tag = 0x0421
	TagMSAvailabilityStatus     Tag = 0x0422
	TagNetworkErrorCode         Tag = 0x0423
	TagMessagePayload           Tag = 0x0424 // 5.3.2.32: octets, 0 to 65535
	TagDeliveryFailureReason    Tag = 0x0425
	TagMoreMessagesToSend       Tag = 0x0426
	TagMessageState             Tag = 0x0427 // 5.3.2.35: 1 octet
	TagUSSDServiceOp            Tag = 0x0501
	TagDisplayTime              Tag = 0x1201
	TagSMSSignal                Tag = 0x1203
	TagMSValidity               Tag = 0x1204
	TagAlertOnMessageDelivery   Tag = 0x130C
	TagITSReplyType             Tag = 0x1380
	TagITSSessionInfo           Tag = 0x1383
)

// MessageState is the message_state TLV (5.3.2.35) of a delivery receipt.
type MessageState uint8

// The message states of SMPP 3.4 section 5.2.28.
const (
	StateEnroute       MessageState = 1
	StateDelivered     MessageState = 2
	StateExpired       MessageState = 3
	StateDeleted       MessageState = 4
	StateUndeliverable MessageState = 5
	StateAccepted      MessageState = 6
	StateUnknown       MessageState = 7
	StateRejected      MessageState = 8
)

// TLV is one optional parameter. Value aliases the PDU.
type TLV struct {
	Tag   Tag
	Value []byte
}

// TLVs is the optional part of a PDU body: the TLVs in wire order, as raw
// octets (tag, 2-octet length, value, section 5.3). Decode aliases it to the
// PDU and checks it (see the package doc); build one with [AppendTLV] and
// the Append helpers. The accessors take the TLV of the tag, which Decode
// allows once for the tags they read.
type TLVs []byte

// tlvRule describes a tag this package checks.
type tlvRule struct {
	bit      uint16 // for duplicate detection
	min, max int    // value length
	name     string
	rule     string
}

func (t Tag) rule() (tlvRule, bool) {
	switch t {
	case TagMessagePayload:
		return tlvRule{1 << 0, 0, 0xFFFF, "message_payload", rulePayload}, true
	case TagSARMsgRefNum:
		return tlvRule{1 << 1, 2, 2, "sar_msg_ref_num", ruleSAR}, true
	case TagSARTotalSegments:
		return tlvRule{1 << 2, 1, 1, "sar_total_segments", ruleSAR}, true
	case TagSARSegmentSeqnum:
		return tlvRule{1 << 3, 1, 1, "sar_segment_seqnum", ruleSAR}, true
	case TagSourcePort:
		return tlvRule{1 << 4, 2, 2, "source_port", "SMPP 3.4 5.3.2.20"}, true
	case TagDestinationPort:
		return tlvRule{1 << 5, 2, 2, "destination_port", "SMPP 3.4 5.3.2.21"}, true
	case TagReceiptedMessageID:
		return tlvRule{1 << 6, 1, MaxMessageID, "receipted_message_id", ruleReceipt}, true
	case TagMessageState:
		return tlvRule{1 << 7, 1, 1, "message_state", ruleState}, true
	case TagSCInterfaceVersion:
		return tlvRule{1 << 8, 1, 1, "sc_interface_version", "SMPP 3.4 5.3.2.25"}, true
	}
	return tlvRule{}, false
}

// String returns the spec's name of a tag this package checks, such as
// "message_payload", or the tag in hex.
func (t Tag) String() string {
	if r, ok := t.rule(); ok {
		return r.name
	}
	const digits = "0123456789abcdef"
	return string([]byte{'0', 'x', digits[t>>12], digits[t>>8&0xf], digits[t>>4&0xf], digits[t&0xf]})
}

// The presence bits that checkTLVs returns.
const (
	hasPayload = 1 << 0
	hasSAR     = 1<<1 | 1<<2 | 1<<3
)

// checkTLVs checks a TLV region that starts at offset base of the PDU (5.3):
// every TLV complete, the tags of [Tag.rule] once each with a value of
// their size and range, sar_segment_seqnum not above sar_total_segments.
// It returns the presence bits of the checked tags.
func checkTLVs(b []byte, base int, op string) (uint16, *Error) {
	var seen uint16
	var total, seq byte
	for i := 0; i < len(b); {
		if len(b)-i < 4 {
			return seen, decErr(op, "TLV", base+i, ErrMalformed, StatusInvOptParStream, ruleTLV,
				"TLV tag and length run past the end of the PDU")
		}
		tag, n := Tag(wire.Uint16(b[i:])), int(wire.Uint16(b[i+2:]))
		if n > len(b)-i-4 {
			return seen, decErr(op, "TLV", base+i+2, ErrMalformed, StatusInvOptParStream, ruleTLV,
				"TLV value runs past the end of the PDU")
		}
		v := b[i+4 : i+4+n]
		if r, ok := tag.rule(); ok {
			if seen&r.bit != 0 {
				return seen, decErr(op, r.name, base+i, ErrMalformed, StatusInvOptParStream, r.rule,
					"optional parameter appears twice")
			}
			seen |= r.bit
			if n < r.min || n > r.max {
				return seen, decErr(op, r.name, base+i+2, ErrMalformed, StatusInvParLen, r.rule,
					"optional parameter length out of range")
			}
			switch tag {
			case TagSARTotalSegments, TagSARSegmentSeqnum:
				if v[0] == 0 {
					return seen, decErr(op, r.name, base+i+4, ErrMalformed, StatusInvOptParamVal, r.rule,
						"segment count or number is 0")
				}
				if tag == TagSARTotalSegments {
					total = v[0]
				} else {
					seq = v[0]
				}
			case TagReceiptedMessageID:
				if bytes.IndexByte(v, 0) != n-1 {
					return seen, decErr(op, r.name, base+i+4, ErrMalformed, StatusInvOptParamVal, ruleCString,
						"value is not a C-Octet String ending at its NULL")
				}
			case TagMessageState:
				if v[0] < byte(StateEnroute) || v[0] > byte(StateRejected) {
					return seen, decErr(op, r.name, base+i+4, ErrMalformed, StatusInvOptParamVal, r.rule,
						"message_state out of range 1-8")
				}
			}
		}
		i += 4 + n
	}
	if total != 0 && seq > total {
		return seen, decErr(op, "sar_segment_seqnum", base, ErrMalformed, StatusInvOptParamVal, ruleSAR,
			"sar_segment_seqnum exceeds sar_total_segments")
	}
	return seen, nil
}

// TLVIter walks TLVs in wire order. It is a small value: copying it
// preserves its position.
//
//	it := sm.TLVs.Iter()
//	for it.Next() {
//		t := it.TLV()
//	}
//	if err := it.Err(); err != nil { ... }
type TLVIter struct {
	b   []byte
	off int
	cur TLV
	bad bool
}

// Iter returns an iterator over the TLVs.
func (t TLVs) Iter() TLVIter { return TLVIter{b: t} }

// Next advances to the next TLV and reports whether there is one.
func (it *TLVIter) Next() bool {
	if it.bad || it.off >= len(it.b) {
		return false
	}
	rest := it.b[it.off:]
	if len(rest) < 4 || int(wire.Uint16(rest[2:])) > len(rest)-4 {
		it.bad = true
		return false
	}
	n := int(wire.Uint16(rest[2:]))
	it.cur = TLV{Tag: Tag(wire.Uint16(rest)), Value: rest[4 : 4+n : 4+n]}
	it.off += 4 + n
	return true
}

// TLV returns the current TLV.
func (it *TLVIter) TLV() TLV { return it.cur }

// Err returns an ErrMalformed *Error, with the offset in the TLVs, if the
// walk stopped at a TLV that overruns them. A region that Decode accepted
// never has one.
func (it *TLVIter) Err() error {
	if !it.bad {
		return nil
	}
	return decErr("", "TLV", it.off, ErrMalformed, StatusInvOptParStream, ruleTLV, "TLV runs past the end of the region")
}

// Lookup returns the value of the first TLV with the tag.
func (t TLVs) Lookup(tag Tag) ([]byte, bool) {
	it := t.Iter()
	for it.Next() {
		if it.cur.Tag == tag {
			return it.cur.Value, true
		}
	}
	return nil, false
}

// lookupN returns the value of tag if it has exactly n octets.
func (t TLVs) lookupN(tag Tag, n int) ([]byte, bool) {
	v, ok := t.Lookup(tag)
	if !ok || len(v) != n {
		return nil, false
	}
	return v, true
}

// MessagePayload returns the message_payload TLV (5.3.2.32): user data in
// place of short_message, up to 65535 octets.
func (t TLVs) MessagePayload() ([]byte, bool) { return t.Lookup(TagMessagePayload) }

// SAR is the segmentation and reassembly TLVs of SMPP 3.4 sections
// 5.3.2.22-24: an SMPP alternative to the concatenation element of a User
// Data Header.
type SAR struct {
	Ref   uint16 // sar_msg_ref_num
	Total uint8  // sar_total_segments, 1-255
	Seq   uint8  // sar_segment_seqnum, 1-255
}

// SAR returns the sar_msg_ref_num, sar_total_segments and
// sar_segment_seqnum TLVs; ok is false unless all three are present.
func (t TLVs) SAR() (s SAR, ok bool) {
	ref, ok1 := t.lookupN(TagSARMsgRefNum, 2)
	tot, ok2 := t.lookupN(TagSARTotalSegments, 1)
	seq, ok3 := t.lookupN(TagSARSegmentSeqnum, 1)
	if !ok1 || !ok2 || !ok3 {
		return SAR{}, false
	}
	return SAR{Ref: wire.Uint16(ref), Total: tot[0], Seq: seq[0]}, true
}

// SourcePort returns the source_port TLV (5.3.2.20).
func (t TLVs) SourcePort() (uint16, bool) { return t.uint16(TagSourcePort) }

// DestinationPort returns the destination_port TLV (5.3.2.21).
func (t TLVs) DestinationPort() (uint16, bool) { return t.uint16(TagDestinationPort) }

func (t TLVs) uint16(tag Tag) (uint16, bool) {
	v, ok := t.lookupN(tag, 2)
	if !ok {
		return 0, false
	}
	return wire.Uint16(v), true
}

// ReceiptedMessageID returns the receipted_message_id TLV (5.3.2.12) of a
// delivery receipt without its NULL terminator: the message_id that the
// submit_sm_resp of the receipted message carried.
func (t TLVs) ReceiptedMessageID() ([]byte, bool) {
	v, ok := t.Lookup(TagReceiptedMessageID)
	if !ok || len(v) == 0 || v[len(v)-1] != 0 {
		return nil, false
	}
	return v[: len(v)-1 : len(v)-1], true
}

// MessageState returns the message_state TLV (5.3.2.35).
func (t TLVs) MessageState() (MessageState, bool) {
	v, ok := t.lookupN(TagMessageState, 1)
	if !ok {
		return 0, false
	}
	return MessageState(v[0]), true
}

// SCInterfaceVersion returns the sc_interface_version TLV (5.3.2.25) of a
// bind response: the SMPP version the SMSC supports (0x34 for 3.4).
func (t TLVs) SCInterfaceVersion() (byte, bool) {
	v, ok := t.lookupN(TagSCInterfaceVersion, 1)
	if !ok {
		return 0, false
	}
	return v[0], true
}

// AppendTLV appends one TLV. It panics if value is longer than 65535
// octets, which its 16-bit length cannot say: check first.
func AppendTLV(b []byte, tag Tag, value []byte) []byte {
	if len(value) > 0xFFFF {
		panic("smpp: AppendTLV value longer than 65535 octets")
	}
	b = wire.AppendUint16(b, uint16(tag))
	b = wire.AppendUint16(b, uint16(len(value)))
	return append(b, value...)
}

// AppendTLVUint8 appends a TLV of one octet.
func AppendTLVUint8(b []byte, tag Tag, v uint8) []byte {
	return append(wire.AppendUint16(b, uint16(tag)), 0, 1, v)
}

// AppendTLVUint16 appends a TLV of a 2-octet integer.
func AppendTLVUint16(b []byte, tag Tag, v uint16) []byte {
	b = append(wire.AppendUint16(b, uint16(tag)), 0, 2)
	return wire.AppendUint16(b, v)
}

// AppendSAR appends the three segmentation TLVs of s (5.3.2.22-24).
func AppendSAR(b []byte, s SAR) []byte {
	b = AppendTLVUint16(b, TagSARMsgRefNum, s.Ref)
	b = AppendTLVUint8(b, TagSARTotalSegments, s.Total)
	return AppendTLVUint8(b, TagSARSegmentSeqnum, s.Seq)
}

// AppendPorts appends source_port and destination_port (5.3.2.20-21).
func AppendPorts(b []byte, src, dst uint16) []byte {
	b = AppendTLVUint16(b, TagSourcePort, src)
	return AppendTLVUint16(b, TagDestinationPort, dst)
}

// AppendReceiptedMessageID appends receipted_message_id (5.3.2.12) with
// its NULL terminator. The encoders reject an id over 64 octets; it panics,
// as AppendTLV does, if the TLV would exceed 65535 octets.
func AppendReceiptedMessageID(b []byte, id []byte) []byte {
	if len(id) >= 0xFFFF {
		panic("smpp: AppendReceiptedMessageID id longer than 65534 octets")
	}
	b = wire.AppendUint16(b, uint16(TagReceiptedMessageID))
	b = wire.AppendUint16(b, uint16(len(id)+1))
	return appendCString(b, id)
}

// checkEncodeTLVs checks TLVs for encoding.
func checkEncodeTLVs(t TLVs, op string) (uint16, *Error) {
	seen, err := checkTLVs(t, 0, op)
	if err != nil {
		err.Offset = -1
	}
	return seen, err
}
