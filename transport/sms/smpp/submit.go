package smpp

import "slices"

// ESMClass is the esm_class field (SMPP 3.4 section 5.2.12): messaging mode
// (bits 1-0), message type (bits 5-2) and GSM network features (bits 7-6).
type ESMClass byte

// esm_class values (5.2.12). Combine a mode, a type and features with |.
const (
	ESMModeDefault         ESMClass = 0x00 // default SMSC mode (store and forward)
	ESMModeDatagram        ESMClass = 0x01
	ESMModeForward         ESMClass = 0x02 // transaction mode
	ESMModeStoreAndForward ESMClass = 0x03
	ESMModeMask            ESMClass = 0x03

	ESMTypeDefault                  ESMClass = 0x00
	ESMTypeDeliveryReceipt          ESMClass = 0x04 // deliver_sm: SMSC delivery receipt
	ESMTypeDeliveryAck              ESMClass = 0x08 // SME delivery acknowledgement
	ESMTypeManualAck                ESMClass = 0x10 // SME manual/user acknowledgement
	ESMTypeConversationAbort        ESMClass = 0x18 // deliver_sm: conversation abort (Korean CDMA)
	ESMTypeIntermediateNotification ESMClass = 0x20 // deliver_sm: intermediate delivery notification
	ESMTypeMask                     ESMClass = 0x3C

	// ESMUDHI says short_message (or message_payload) starts with a User
	// Data Header (3GPP TS 23.040 9.2.3.24): TP-UDHI.
	ESMUDHI      ESMClass = 0x40
	ESMReplyPath ESMClass = 0x80 // TP-Reply-Path
)

// UDHI reports whether the UDHI bit (0x40) is set.
func (e ESMClass) UDHI() bool { return e&ESMUDHI != 0 }

// RegisteredDelivery is the registered_delivery field (5.2.17).
type RegisteredDelivery byte

// registered_delivery values (5.2.17). Bits 7-5 are reserved.
const (
	ReceiptNone      RegisteredDelivery = 0x00 // no SMSC delivery receipt
	ReceiptAlways    RegisteredDelivery = 0x01 // receipt on final success or failure
	ReceiptOnFailure RegisteredDelivery = 0x02 // receipt on failure only
	ReceiptMask      RegisteredDelivery = 0x03
	SMEAckDelivery   RegisteredDelivery = 0x04 // SME delivery acknowledgement requested
	SMEAckManual     RegisteredDelivery = 0x08 // SME manual/user acknowledgement requested
	IntermediateNote RegisteredDelivery = 0x10 // intermediate notification requested
)

// DataCoding is the data_coding field (5.2.19).
type DataCoding byte

// Some data_coding values (5.2.19).
const (
	CodingDefault DataCoding = 0x00 // SMSC default alphabet
	CodingIA5     DataCoding = 0x01 // IA5 (CCITT T.50) / ASCII
	CodingBinary2 DataCoding = 0x02 // octet unspecified (8-bit binary)
	CodingLatin1  DataCoding = 0x03 // ISO-8859-1
	// CodingBinary is octet unspecified (8-bit binary), the coding of
	// CoAP in SMS: TP-DCS 8-bit data (3GPP TS 23.038 4).
	CodingBinary DataCoding = 0x04
	CodingUCS2   DataCoding = 0x08 // UCS2 (ISO/IEC-10646)
)

// TON and NPI values for the addr_ton and addr_npi fields (5.2.5, 5.2.6).
const (
	TONUnknown       byte = 0x00
	TONInternational byte = 0x01
	TONNational      byte = 0x02
	TONNetwork       byte = 0x03
	TONSubscriber    byte = 0x04
	TONAlphanumeric  byte = 0x05
	TONAbbreviated   byte = 0x06

	NPIUnknown  byte = 0x00
	NPIISDN     byte = 0x01 // E.163/E.164
	NPIData     byte = 0x03 // X.121
	NPITelex    byte = 0x04
	NPILand     byte = 0x06 // E.212
	NPINational byte = 0x08
	NPIPrivate  byte = 0x09
	NPIERMES    byte = 0x0A
	NPIInternet byte = 0x0E // IP
	NPIWAP      byte = 0x12 // WAP client id
)

// SubmitSM is a submit_sm PDU (SMPP 3.4 section 4.4.1): an ESME hands a
// short message to the SMSC. [DeliverSM] has the same fields.
//
// The []byte fields and TLVs alias the buffer passed to Decode, with their
// capacity clipped; they are valid until that buffer is reused. Use CopyTo
// to retain them. The C-Octet String fields hold the characters without the
// NULL terminator; nil and empty both encode as NULL.
type SubmitSM struct {
	Header
	ServiceType          []byte // max 5 characters (6 with NULL)
	SourceAddrTON        byte
	SourceAddrNPI        byte
	SourceAddr           []byte // max 20 characters
	DestAddrTON          byte
	DestAddrNPI          byte
	DestinationAddr      []byte // max 20 characters
	ESMClass             ESMClass
	ProtocolID           byte   // TP-PID (3GPP TS 23.040 9.2.3.9)
	PriorityFlag         byte   // 0-3 (5.2.14)
	ScheduleDeliveryTime []byte // NULL or "YYMMDDhhmmsstnnp" (7.1)
	ValidityPeriod       []byte // NULL or "YYMMDDhhmmsstnnp" (7.1)
	RegisteredDelivery   RegisteredDelivery
	ReplaceIfPresent     byte // 0 or 1 (5.2.18)
	DataCoding           DataCoding
	SMDefaultMsgID       byte
	// ShortMessage is the user data, 0 to 254 octets; sm_length is its
	// length. With ESMUDHI it begins with the User Data Header (UDHL
	// first). It must be empty when TLVs hold a message_payload.
	ShortMessage []byte
	// TLVs holds the optional parameters, such as message_payload or the
	// SAR and port TLVs.
	TLVs TLVs
}

// DeliverSM is a deliver_sm PDU (SMPP 3.4 section 4.6.1): the SMSC hands a
// short message, or a delivery receipt (ESMTypeDeliveryReceipt), to an
// ESME. Its fields are those of [SubmitSM]; in deliver_sm,
// schedule_delivery_time, validity_period, replace_if_present_flag and
// sm_default_msg_id are unused and NULL ([DeliverSM.Validate] checks).
// Convert between the two with DeliverSM(sm) and SubmitSM(dm).
type DeliverSM SubmitSM

// Decode decodes the submit_sm at the start of b and returns its length.
// It resets every field first; on error the value is unspecified.
func (p *SubmitSM) Decode(b []byte) (int, error) {
	if err := p.decode(b, CmdSubmitSM, ruleSubmit); err != nil {
		return 0, err
	}
	return int(p.Length), nil
}

// Decode decodes the deliver_sm at the start of b and returns its length.
// It resets every field first; on error the value is unspecified.
func (p *DeliverSM) Decode(b []byte) (int, error) {
	if err := (*SubmitSM)(p).decode(b, CmdDeliverSM, ruleDeliver); err != nil {
		return 0, err
	}
	return int(p.Length), nil
}

func (p *SubmitSM) decode(b []byte, id CommandID, rule string) *Error {
	*p = SubmitSM{}
	h, pdu, err := decodeHeader(b, id)
	if err != nil {
		return err
	}
	p.Header = h
	r := reader{b: pdu, off: HeaderLen, op: id.op()}
	p.ServiceType = r.cstring("service_type", MaxServiceType, StatusInvSerTyp, rule)
	p.SourceAddrTON = r.u8("source_addr_ton")
	p.SourceAddrNPI = r.u8("source_addr_npi")
	p.SourceAddr = r.cstring("source_addr", MaxAddr, StatusInvSrcAdr, rule)
	p.DestAddrTON = r.u8("dest_addr_ton")
	p.DestAddrNPI = r.u8("dest_addr_npi")
	p.DestinationAddr = r.cstring("destination_addr", MaxAddr, StatusInvDstAdr, rule)
	p.ESMClass = ESMClass(r.u8("esm_class"))
	p.ProtocolID = r.u8("protocol_id")
	p.PriorityFlag = r.u8("priority_flag")
	p.ScheduleDeliveryTime = r.time("schedule_delivery_time", StatusInvSched)
	p.ValidityPeriod = r.time("validity_period", StatusInvExpiry)
	p.RegisteredDelivery = RegisteredDelivery(r.u8("registered_delivery"))
	p.ReplaceIfPresent = r.u8("replace_if_present_flag")
	p.DataCoding = DataCoding(r.u8("data_coding"))
	p.SMDefaultMsgID = r.u8("sm_default_msg_id")
	smLenAt := r.off
	smLen := int(r.u8("sm_length"))
	if r.err != nil {
		return r.err
	}
	if smLen > MaxShortMessage {
		return decErr(r.op, "sm_length", smLenAt, ErrMalformed, StatusInvMsgLen, ruleSM,
			"sm_length exceeds 254 octets")
	}
	if smLen > len(pdu)-r.off {
		return decErr(r.op, "sm_length", smLenAt, ErrMalformed, StatusInvMsgLen, ruleSMLength,
			"short_message runs past the end of the PDU")
	}
	p.ShortMessage = pdu[r.off : r.off+smLen : r.off+smLen]
	r.off += smLen
	if r.off < len(pdu) {
		seen, err := checkTLVs(pdu[r.off:], r.off, r.op)
		if err != nil {
			return err
		}
		if seen&hasPayload != 0 && smLen != 0 {
			return decErr(r.op, "sm_length", smLenAt, ErrMalformed, StatusInvMsgLen, rulePayload,
				"both short_message and message_payload carry user data")
		}
		p.TLVs = TLVs(pdu[r.off:len(pdu):len(pdu)])
	}
	return nil
}

// Len returns the encoded size of the PDU.
func (p *SubmitSM) Len() int {
	return HeaderLen + len(p.ServiceType) + len(p.SourceAddr) + len(p.DestinationAddr) +
		len(p.ScheduleDeliveryTime) + len(p.ValidityPeriod) + len(p.ShortMessage) + len(p.TLVs) + 17
}

// Len returns the encoded size of the PDU.
func (p *DeliverSM) Len() int { return (*SubmitSM)(p).Len() }

// AppendBinary appends the encoded submit_sm to b. It checks what Decode
// checks and returns b unchanged with an *Error if a field does not fit.
func (p *SubmitSM) AppendBinary(b []byte) ([]byte, error) {
	out, err := p.append(b, CmdSubmitSM, ruleSubmit)
	if err != nil {
		return b, err
	}
	return out, nil
}

// AppendBinary appends the encoded deliver_sm to b. It checks what Decode
// checks and returns b unchanged with an *Error if a field does not fit.
func (p *DeliverSM) AppendBinary(b []byte) ([]byte, error) {
	out, err := (*SubmitSM)(p).append(b, CmdDeliverSM, ruleDeliver)
	if err != nil {
		return b, err
	}
	return out, nil
}

func (p *SubmitSM) check(id CommandID, rule string) *Error {
	op := id.op()
	if p.Status != StatusOK {
		return encErr(op, "command_status", ErrMalformed, StatusSysErr, ruleStatus, "command_status of a request is not NULL")
	}
	if err := checkCString(op, "service_type", p.ServiceType, MaxServiceType, StatusInvSerTyp, rule); err != nil {
		return err
	}
	if err := checkCString(op, "source_addr", p.SourceAddr, MaxAddr, StatusInvSrcAdr, rule); err != nil {
		return err
	}
	if err := checkCString(op, "destination_addr", p.DestinationAddr, MaxAddr, StatusInvDstAdr, rule); err != nil {
		return err
	}
	if err := checkTime(op, "schedule_delivery_time", p.ScheduleDeliveryTime, StatusInvSched); err != nil {
		return err
	}
	if err := checkTime(op, "validity_period", p.ValidityPeriod, StatusInvExpiry); err != nil {
		return err
	}
	if len(p.ShortMessage) > MaxShortMessage {
		return encErr(op, "short_message", ErrMalformed, StatusInvMsgLen, ruleSM, "short_message longer than 254 octets")
	}
	seen, err := checkEncodeTLVs(p.TLVs, op)
	if err != nil {
		return err
	}
	if seen&hasPayload != 0 && len(p.ShortMessage) != 0 {
		return encErr(op, "short_message", ErrMalformed, StatusInvMsgLen, rulePayload,
			"both short_message and message_payload carry user data")
	}
	if p.Len() > MaxCommandLength {
		return encErr(op, "command_length", ErrLimit, StatusInvCmdLen, ruleLength, "PDU longer than MaxCommandLength")
	}
	return nil
}

func (p *SubmitSM) append(b []byte, id CommandID, rule string) ([]byte, *Error) {
	if err := p.check(id, rule); err != nil {
		return b, err
	}
	n := p.Len()
	b = slices.Grow(b, n)
	b = appendHeader(b, n, id, StatusOK, p.Seq)
	b = appendCString(b, p.ServiceType)
	b = append(b, p.SourceAddrTON, p.SourceAddrNPI)
	b = appendCString(b, p.SourceAddr)
	b = append(b, p.DestAddrTON, p.DestAddrNPI)
	b = appendCString(b, p.DestinationAddr)
	b = append(b, byte(p.ESMClass), p.ProtocolID, p.PriorityFlag)
	b = appendCString(b, p.ScheduleDeliveryTime)
	b = appendCString(b, p.ValidityPeriod)
	b = append(b, byte(p.RegisteredDelivery), p.ReplaceIfPresent, byte(p.DataCoding), p.SMDefaultMsgID,
		byte(len(p.ShortMessage)))
	b = append(b, p.ShortMessage...)
	return append(b, p.TLVs...), nil
}

// UserData returns the user data: message_payload if the TLVs hold one,
// else short_message. With ESMUDHI it begins with the User Data Header.
func (p *SubmitSM) UserData() []byte {
	if v, ok := p.TLVs.MessagePayload(); ok {
		return v
	}
	return p.ShortMessage
}

// UserData returns the user data: message_payload if the TLVs hold one,
// else short_message. With ESMUDHI it begins with the User Data Header.
func (p *DeliverSM) UserData() []byte { return (*SubmitSM)(p).UserData() }

// CopyTo makes dst a copy of p whose fields alias buf instead of p's
// buffer: it appends them to buf, growing it at most once, and returns it.
func (p *SubmitSM) CopyTo(dst *SubmitSM, buf []byte) []byte {
	buf = slices.Grow(buf, p.Len()-HeaderLen)
	*dst = *p
	dst.ServiceType, buf = copyField(buf, p.ServiceType)
	dst.SourceAddr, buf = copyField(buf, p.SourceAddr)
	dst.DestinationAddr, buf = copyField(buf, p.DestinationAddr)
	dst.ScheduleDeliveryTime, buf = copyField(buf, p.ScheduleDeliveryTime)
	dst.ValidityPeriod, buf = copyField(buf, p.ValidityPeriod)
	dst.ShortMessage, buf = copyField(buf, p.ShortMessage)
	var tl []byte
	tl, buf = copyField(buf, p.TLVs)
	dst.TLVs = TLVs(tl)
	return buf
}

// CopyTo makes dst a copy of p whose fields alias buf instead of p's
// buffer: it appends them to buf, growing it at most once, and returns it.
func (p *DeliverSM) CopyTo(dst *DeliverSM, buf []byte) []byte {
	return (*SubmitSM)(p).CopyTo((*SubmitSM)(dst), buf)
}

// copyField appends f to buf and returns the copy (capacity clipped; nil
// stays nil) and buf. The caller has grown buf so that it does not move.
func copyField(buf, f []byte) ([]byte, []byte) {
	if f == nil {
		return nil, buf
	}
	start := len(buf)
	buf = append(buf, f...)
	return buf[start:len(buf):len(buf)], buf
}

// Validate checks the values of a submit_sm beyond its encoding, as an
// SMSC does before accepting it, and returns an *Error whose Status is the
// command_status to answer with: destination_addr present
// (ESME_RINVDSTADR); priority_flag 0-3 (5.2.14, ESME_RINVPRTFLG);
// registered_delivery without reserved bits or receipt value 3 (5.2.17,
// ESME_RINVREGDLVFLG); replace_if_present_flag 0 or 1 (5.2.18,
// ESME_RINVREPFLAG); an esm_class message type that submit_sm allows
// (5.2.12, ESME_RINVESMCLASS); times in the format of 7.1
// (ESME_RINVSCHED, ESME_RINVEXPIRY); with UDHI, user data that holds its
// header (ESME_RINVESMCLASS); the SAR TLVs all or none
// (ESME_RMISSINGOPTPARAM).
func (p *SubmitSM) Validate() error {
	if err := p.validate(CmdSubmitSM); err != nil {
		return err
	}
	return nil
}

// Validate checks the values of a deliver_sm beyond its encoding, as
// [SubmitSM.Validate] does, with the message types of deliver_sm, and
// checks that schedule_delivery_time, validity_period,
// replace_if_present_flag and sm_default_msg_id are NULL (4.6.1).
func (p *DeliverSM) Validate() error {
	if err := (*SubmitSM)(p).validate(CmdDeliverSM); err != nil {
		return err
	}
	return nil
}

func (p *SubmitSM) validate(id CommandID) *Error {
	op := id.op()
	bad := func(field string, st Status, rule, msg string) *Error {
		return encErr(op, field, ErrMalformed, st, rule, msg)
	}
	if len(p.DestinationAddr) == 0 {
		return bad("destination_addr", StatusInvDstAdr, ruleDest, "destination_addr is NULL")
	}
	if p.PriorityFlag > 3 {
		return bad("priority_flag", StatusInvPrtFlg, rulePriority, "priority_flag above 3")
	}
	if p.RegisteredDelivery&0xE0 != 0 || p.RegisteredDelivery&ReceiptMask == 3 {
		return bad("registered_delivery", StatusInvRegDlvFlg, ruleRegDel, "reserved registered_delivery bits set")
	}
	typ := p.ESMClass & ESMTypeMask
	if id == CmdSubmitSM {
		if p.ReplaceIfPresent > 1 {
			return bad("replace_if_present_flag", StatusInvRepFlag, ruleReplace, "replace_if_present_flag above 1")
		}
		if typ != ESMTypeDefault && typ != ESMTypeDeliveryAck && typ != ESMTypeManualAck {
			return bad("esm_class", StatusInvESMClass, ruleESM, "message type not allowed in submit_sm")
		}
		if !validTime(p.ScheduleDeliveryTime) {
			return bad("schedule_delivery_time", StatusInvSched, ruleTime, "not a time of section 7.1")
		}
		if !validTime(p.ValidityPeriod) {
			return bad("validity_period", StatusInvExpiry, ruleTime, "not a time of section 7.1")
		}
	} else {
		switch typ {
		case ESMTypeDefault, ESMTypeDeliveryReceipt, ESMTypeDeliveryAck, ESMTypeManualAck,
			ESMTypeConversationAbort, ESMTypeIntermediateNotification:
		default:
			return bad("esm_class", StatusInvESMClass, ruleESM, "message type not allowed in deliver_sm")
		}
		if len(p.ScheduleDeliveryTime) != 0 {
			return bad("schedule_delivery_time", StatusInvSched, ruleDeliver, "schedule_delivery_time is not NULL in deliver_sm")
		}
		if len(p.ValidityPeriod) != 0 {
			return bad("validity_period", StatusInvExpiry, ruleDeliver, "validity_period is not NULL in deliver_sm")
		}
		if p.ReplaceIfPresent != 0 {
			return bad("replace_if_present_flag", StatusInvRepFlag, ruleDeliver, "replace_if_present_flag is not NULL in deliver_sm")
		}
		if p.SMDefaultMsgID != 0 {
			return bad("sm_default_msg_id", StatusInvDftMsgID, ruleDeliver, "sm_default_msg_id is not NULL in deliver_sm")
		}
	}
	if p.ESMClass.UDHI() {
		// TP-UDHI: the user data starts with UDHL and the header it counts
		// (3GPP TS 23.040 9.2.3.24).
		ud := p.UserData()
		if len(ud) == 0 || int(ud[0])+1 > len(ud) {
			return bad("esm_class", StatusInvESMClass, ruleUDH, "UDHI set but the user data does not hold the header")
		}
	}
	if _, ok := p.TLVs.SAR(); !ok {
		for _, t := range [...]Tag{TagSARMsgRefNum, TagSARTotalSegments, TagSARSegmentSeqnum} {
			if _, has := p.TLVs.Lookup(t); has {
				return bad("sar_msg_ref_num", StatusMissingOptParam, ruleSAR, "SAR TLVs come as a set of three")
			}
		}
	}
	return nil
}

// SubmitSMResp is a submit_sm_resp PDU (SMPP 3.4 section 4.4.2).
// MessageID aliases the buffer passed to Decode.
//
// SMPP 3.4 omits the body when command_status is not 0; some SMSCs also
// omit it on success. Decode accepts both (MessageID is then nil);
// AppendBinary writes no body when Status is not 0 and MessageID is
// empty, and the message_id otherwise.
type SubmitSMResp struct {
	Header
	MessageID []byte // max 64 characters
}

// DeliverSMResp is a deliver_sm_resp PDU (SMPP 3.4 section 4.6.2). Its
// message_id is unused and NULL; Decode keeps one that is not, as some
// ESMEs send it. The body rules are those of [SubmitSMResp].
type DeliverSMResp SubmitSMResp

// Decode decodes the submit_sm_resp at the start of b and returns its length.
func (p *SubmitSMResp) Decode(b []byte) (int, error) {
	if err := p.decode(b, CmdSubmitSMResp, ruleSubResp); err != nil {
		return 0, err
	}
	return int(p.Length), nil
}

// Decode decodes the deliver_sm_resp at the start of b and returns its length.
func (p *DeliverSMResp) Decode(b []byte) (int, error) {
	if err := (*SubmitSMResp)(p).decode(b, CmdDeliverSMResp, ruleDelResp); err != nil {
		return 0, err
	}
	return int(p.Length), nil
}

func (p *SubmitSMResp) decode(b []byte, id CommandID, rule string) *Error {
	*p = SubmitSMResp{}
	h, pdu, err := decodeHeader(b, id)
	if err != nil {
		return err
	}
	p.Header = h
	if len(pdu) == HeaderLen {
		return nil
	}
	r := reader{b: pdu, off: HeaderLen, op: id.op()}
	p.MessageID = r.cstring("message_id", MaxMessageID, StatusInvMsgID, rule)
	r.end()
	return r.err
}

func (p *SubmitSMResp) bodyless() bool { return p.Status != StatusOK && len(p.MessageID) == 0 }

// Len returns the encoded size of the PDU.
func (p *SubmitSMResp) Len() int {
	if p.bodyless() {
		return HeaderLen
	}
	return HeaderLen + len(p.MessageID) + 1
}

// Len returns the encoded size of the PDU.
func (p *DeliverSMResp) Len() int { return (*SubmitSMResp)(p).Len() }

// AppendBinary appends the encoded submit_sm_resp to b.
func (p *SubmitSMResp) AppendBinary(b []byte) ([]byte, error) {
	out, err := p.append(b, CmdSubmitSMResp, ruleSubResp)
	if err != nil {
		return b, err
	}
	return out, nil
}

// AppendBinary appends the encoded deliver_sm_resp to b.
func (p *DeliverSMResp) AppendBinary(b []byte) ([]byte, error) {
	out, err := (*SubmitSMResp)(p).append(b, CmdDeliverSMResp, ruleDelResp)
	if err != nil {
		return b, err
	}
	return out, nil
}

func (p *SubmitSMResp) append(b []byte, id CommandID, rule string) ([]byte, *Error) {
	if err := checkCString(id.op(), "message_id", p.MessageID, MaxMessageID, StatusInvMsgID, rule); err != nil {
		return b, err
	}
	n := p.Len()
	b = appendHeader(b, n, id, p.Status, p.Seq)
	if n == HeaderLen {
		return b, nil
	}
	return appendCString(b, p.MessageID), nil
}
