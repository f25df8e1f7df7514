package smpp

// The PDUs without a body: unbind and unbind_resp (SMPP 3.4 4.2),
// generic_nack (4.3), enquire_link and enquire_link_resp (4.11). Each is
// its 16-octet header; a command_length other than 16 is ErrMalformed with
// ESME_RINVCMDLEN.

// Unbind is an unbind PDU (4.2.1): either side ends the session.
type Unbind struct{ Header }

// UnbindResp is an unbind_resp PDU (4.2.2).
type UnbindResp struct{ Header }

// EnquireLink is an enquire_link PDU (4.11.1): a link confidence check.
type EnquireLink struct{ Header }

// EnquireLinkResp is an enquire_link_resp PDU (4.11.2).
type EnquireLinkResp struct{ Header }

// GenericNack is a generic_nack PDU (4.3.1): the answer to a PDU whose
// header is invalid or whose command_id is unknown. Status says why, such
// as ESME_RINVCMDLEN or ESME_RINVCMDID; Seq is the offending PDU's, or 0
// if it could not be read.
type GenericNack struct{ Header }

// decodeEmpty decodes a PDU without body into h.
func decodeEmpty(h *Header, b []byte, id CommandID) (int, error) {
	*h = Header{}
	hh, pdu, err := decodeHeader(b, id)
	if err != nil {
		return 0, err
	}
	if len(pdu) != HeaderLen {
		return 0, decErr(id.op(), "command_length", 0, ErrMalformed, StatusInvCmdLen, ruleNoBody,
			"command_length of a PDU without body is not 16")
	}
	*h = hh
	return HeaderLen, nil
}

// appendEmpty encodes a PDU without body.
func appendEmpty(b []byte, h *Header, id CommandID) ([]byte, error) {
	if !id.IsResponse() && h.Status != StatusOK {
		return b, encErr(id.op(), "command_status", ErrMalformed, StatusSysErr, ruleStatus, "command_status of a request is not NULL")
	}
	return appendHeader(b, HeaderLen, id, h.Status, h.Seq), nil
}

// Decode decodes the PDU at the start of b and returns its length, 16.
func (p *Unbind) Decode(b []byte) (int, error) { return decodeEmpty(&p.Header, b, CmdUnbind) }

// Decode decodes the PDU at the start of b and returns its length, 16.
func (p *UnbindResp) Decode(b []byte) (int, error) { return decodeEmpty(&p.Header, b, CmdUnbindResp) }

// Decode decodes the PDU at the start of b and returns its length, 16.
func (p *EnquireLink) Decode(b []byte) (int, error) { return decodeEmpty(&p.Header, b, CmdEnquireLink) }

// Decode decodes the PDU at the start of b and returns its length, 16.
func (p *EnquireLinkResp) Decode(b []byte) (int, error) {
	return decodeEmpty(&p.Header, b, CmdEnquireLinkResp)
}

// Decode decodes the PDU at the start of b and returns its length, 16.
func (p *GenericNack) Decode(b []byte) (int, error) { return decodeEmpty(&p.Header, b, CmdGenericNack) }

// Len returns 16.
func (p *Unbind) Len() int { return HeaderLen }

// Len returns 16.
func (p *UnbindResp) Len() int { return HeaderLen }

// Len returns 16.
func (p *EnquireLink) Len() int { return HeaderLen }

// Len returns 16.
func (p *EnquireLinkResp) Len() int { return HeaderLen }

// Len returns 16.
func (p *GenericNack) Len() int { return HeaderLen }

// AppendBinary appends the encoded PDU to b.
func (p *Unbind) AppendBinary(b []byte) ([]byte, error) { return appendEmpty(b, &p.Header, CmdUnbind) }

// AppendBinary appends the encoded PDU to b.
func (p *UnbindResp) AppendBinary(b []byte) ([]byte, error) {
	return appendEmpty(b, &p.Header, CmdUnbindResp)
}

// AppendBinary appends the encoded PDU to b.
func (p *EnquireLink) AppendBinary(b []byte) ([]byte, error) {
	return appendEmpty(b, &p.Header, CmdEnquireLink)
}

// AppendBinary appends the encoded PDU to b.
func (p *EnquireLinkResp) AppendBinary(b []byte) ([]byte, error) {
	return appendEmpty(b, &p.Header, CmdEnquireLinkResp)
}

// AppendBinary appends the encoded PDU to b.
func (p *GenericNack) AppendBinary(b []byte) ([]byte, error) {
	return appendEmpty(b, &p.Header, CmdGenericNack)
}
