package smpp

// InterfaceVersion is the interface_version of SMPP 3.4 (section 5.2.4).
const InterfaceVersion = 0x34

// Bind is a bind_transmitter, bind_receiver or bind_transceiver PDU (SMPP
// 3.4 sections 4.1.1, 4.1.3, 4.1.5): Header.ID says which. The three have
// the same body. AppendBinary writes bind_transceiver when ID is 0.
//
// The []byte fields alias the buffer passed to Decode; they are valid until
// that buffer is reused.
type Bind struct {
	Header
	SystemID         []byte // max 15 characters
	Password         []byte // max 8 characters
	SystemType       []byte // max 12 characters
	InterfaceVersion byte   // 0x34 for SMPP 3.4
	AddrTON          byte
	AddrNPI          byte
	AddressRange     []byte // max 40 characters: a UNIX regular expression
}

// Decode decodes the bind PDU at the start of b and returns its length.
func (p *Bind) Decode(b []byte) (int, error) {
	*p = Bind{}
	h, err := peekHeader(b, "bind")
	if err != nil {
		return 0, err
	}
	if !h.ID.IsBind() {
		return 0, decErr("bind", "command_id", 4, ErrMalformed, StatusInvCmdID, ruleID, "command_id is not a bind")
	}
	h, pdu, err := checkHeader(h, b)
	if err != nil {
		return 0, err
	}
	p.Header = h
	r := reader{b: pdu, off: HeaderLen, op: h.ID.op()}
	p.SystemID = r.cstring("system_id", MaxSystemID, StatusInvSysID, ruleBind)
	p.Password = r.cstring("password", MaxPassword, StatusInvPaswd, ruleBind)
	p.SystemType = r.cstring("system_type", MaxSystemType, StatusInvSysTyp, ruleBind)
	p.InterfaceVersion = r.u8("interface_version")
	p.AddrTON = r.u8("addr_ton")
	p.AddrNPI = r.u8("addr_npi")
	p.AddressRange = r.cstring("address_range", MaxAddressRange, StatusBindFail, ruleBind)
	r.end() // bind PDUs have no optional parameters in 3.4
	if r.err != nil {
		return 0, r.err
	}
	return int(h.Length), nil
}

// Len returns the encoded size of the PDU.
func (p *Bind) Len() int {
	return HeaderLen + len(p.SystemID) + len(p.Password) + len(p.SystemType) + len(p.AddressRange) + 7
}

// AppendBinary appends the encoded bind PDU to b.
func (p *Bind) AppendBinary(b []byte) ([]byte, error) {
	id := p.ID
	if id == 0 {
		id = CmdBindTransceiver
	}
	op := id.op()
	if !id.IsBind() {
		return b, encErr("bind", "command_id", ErrMalformed, StatusInvCmdID, ruleID, "command_id is not a bind")
	}
	if p.Status != StatusOK {
		return b, encErr(op, "command_status", ErrMalformed, StatusSysErr, ruleStatus, "command_status of a request is not NULL")
	}
	if err := checkCString(op, "system_id", p.SystemID, MaxSystemID, StatusInvSysID, ruleBind); err != nil {
		return b, err
	}
	if err := checkCString(op, "password", p.Password, MaxPassword, StatusInvPaswd, ruleBind); err != nil {
		return b, err
	}
	if err := checkCString(op, "system_type", p.SystemType, MaxSystemType, StatusInvSysTyp, ruleBind); err != nil {
		return b, err
	}
	if err := checkCString(op, "address_range", p.AddressRange, MaxAddressRange, StatusBindFail, ruleBind); err != nil {
		return b, err
	}
	b = appendHeader(b, p.Len(), id, StatusOK, p.Seq)
	b = appendCString(b, p.SystemID)
	b = appendCString(b, p.Password)
	b = appendCString(b, p.SystemType)
	b = append(b, p.InterfaceVersion, p.AddrTON, p.AddrNPI)
	return appendCString(b, p.AddressRange), nil
}

// BindResp is a bind_transmitter_resp, bind_receiver_resp or
// bind_transceiver_resp PDU (SMPP 3.4 sections 4.1.2, 4.1.4, 4.1.6):
// Header.ID says which; AppendBinary writes bind_transceiver_resp when ID
// is 0. SystemID identifies the SMSC; TLVs may hold sc_interface_version.
//
// The body is not returned when command_status is not 0 (4.1.2): Decode
// accepts a response without body then, and a system_id too (some SMSCs
// send one); AppendBinary writes none when Status is not 0 and SystemID
// and TLVs are empty. A successful response must have the body.
type BindResp struct {
	Header
	SystemID []byte // max 15 characters
	TLVs     TLVs
}

// Decode decodes the bind response at the start of b and returns its length.
func (p *BindResp) Decode(b []byte) (int, error) {
	*p = BindResp{}
	h, err := peekHeader(b, "bind_resp")
	if err != nil {
		return 0, err
	}
	if !h.ID.IsResponse() || !(h.ID &^ respBit).IsBind() {
		return 0, decErr("bind_resp", "command_id", 4, ErrMalformed, StatusInvCmdID, ruleID, "command_id is not a bind response")
	}
	h, pdu, err := checkHeader(h, b)
	if err != nil {
		return 0, err
	}
	p.Header = h
	if len(pdu) == HeaderLen && h.Status != StatusOK {
		return int(h.Length), nil
	}
	r := reader{b: pdu, off: HeaderLen, op: h.ID.op()}
	p.SystemID = r.cstring("system_id", MaxSystemID, StatusInvSysID, ruleBindResp)
	if r.err != nil {
		return 0, r.err
	}
	if r.off < len(pdu) {
		if _, err := checkTLVs(pdu[r.off:], r.off, r.op); err != nil {
			return 0, err
		}
		p.TLVs = TLVs(pdu[r.off:len(pdu):len(pdu)])
	}
	return int(h.Length), nil
}

func (p *BindResp) bodyless() bool {
	return p.Status != StatusOK && len(p.SystemID) == 0 && len(p.TLVs) == 0
}

// Len returns the encoded size of the PDU.
func (p *BindResp) Len() int {
	if p.bodyless() {
		return HeaderLen
	}
	return HeaderLen + len(p.SystemID) + 1 + len(p.TLVs)
}

// AppendBinary appends the encoded bind response to b.
func (p *BindResp) AppendBinary(b []byte) ([]byte, error) {
	id := p.ID
	if id == 0 {
		id = CmdBindTransceiverResp
	}
	if !id.IsResponse() || !(id &^ respBit).IsBind() {
		return b, encErr("bind_resp", "command_id", ErrMalformed, StatusInvCmdID, ruleID, "command_id is not a bind response")
	}
	op := id.op()
	if err := checkCString(op, "system_id", p.SystemID, MaxSystemID, StatusInvSysID, ruleBindResp); err != nil {
		return b, err
	}
	if _, err := checkEncodeTLVs(p.TLVs, op); err != nil {
		return b, err
	}
	n := p.Len()
	b = appendHeader(b, n, id, p.Status, p.Seq)
	if n == HeaderLen {
		return b, nil
	}
	b = appendCString(b, p.SystemID)
	return append(b, p.TLVs...), nil
}
