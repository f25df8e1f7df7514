package smpp

// CommandID is a command_id (SMPP 3.4 section 5.1.2). Bit 31 is set in
// responses: a request's response id is id|0x80000000 ([CommandID.Resp]).
type CommandID uint32

// The command_id values of SMPP 3.4 section 5.1.2. This package decodes
// the ones with a Go type (bind, unbind, generic_nack, submit_sm,
// deliver_sm, enquire_link and their responses); the others are named for
// String and answered by the [Client] with generic_nack ESME_RINVCMDID.
const (
	CmdGenericNack         CommandID = 0x80000000
	CmdBindReceiver        CommandID = 0x00000001
	CmdBindReceiverResp    CommandID = 0x80000001
	CmdBindTransmitter     CommandID = 0x00000002
	CmdBindTransmitterResp CommandID = 0x80000002
	CmdQuerySM             CommandID = 0x00000003
	CmdQuerySMResp         CommandID = 0x80000003
	CmdSubmitSM            CommandID = 0x00000004
	CmdSubmitSMResp        CommandID = 0x80000004
	CmdDeliverSM           CommandID = 0x00000005
	CmdDeliverSMResp       CommandID = 0x80000005
	CmdUnbind              CommandID = 0x00000006
	CmdUnbindResp          CommandID = 0x80000006
	CmdReplaceSM           CommandID = 0x00000007
	CmdReplaceSMResp       CommandID = 0x80000007
	CmdCancelSM            CommandID = 0x00000008
	CmdCancelSMResp        CommandID = 0x80000008
	CmdBindTransceiver     CommandID = 0x00000009
	CmdBindTransceiverResp CommandID = 0x80000009
	CmdOutbind             CommandID = 0x0000000B
	CmdEnquireLink         CommandID = 0x00000015
	CmdEnquireLinkResp     CommandID = 0x80000015
	CmdSubmitMulti         CommandID = 0x00000021
	CmdSubmitMultiResp     CommandID = 0x80000021
	CmdAlertNotification   CommandID = 0x00000102
	CmdDataSM              CommandID = 0x00000103
	CmdDataSMResp          CommandID = 0x80000103
)

// respBit marks a response command_id.
const respBit CommandID = 0x80000000

// IsResponse reports whether bit 31 is set: a response, or generic_nack.
func (c CommandID) IsResponse() bool { return c&respBit != 0 }

// Resp returns the command_id of the response to request c.
func (c CommandID) Resp() CommandID { return c | respBit }

// IsBind reports whether c is one of the three bind requests.
func (c CommandID) IsBind() bool {
	return c == CmdBindReceiver || c == CmdBindTransmitter || c == CmdBindTransceiver
}

// Decodable reports whether this package has a type for c.
func (c CommandID) Decodable() bool {
	switch c &^ respBit {
	case 0:
		return c == CmdGenericNack
	case CmdBindReceiver, CmdBindTransmitter, CmdBindTransceiver, CmdSubmitSM, CmdDeliverSM,
		CmdUnbind, CmdEnquireLink:
		return true
	}
	return false
}

// Known reports whether c is a command_id of section 5.1.2.
func (c CommandID) Known() bool { return c.name() != "" }

func (c CommandID) name() string {
	switch c {
	case CmdGenericNack:
		return "generic_nack"
	case CmdBindReceiver:
		return "bind_receiver"
	case CmdBindReceiverResp:
		return "bind_receiver_resp"
	case CmdBindTransmitter:
		return "bind_transmitter"
	case CmdBindTransmitterResp:
		return "bind_transmitter_resp"
	case CmdQuerySM:
		return "query_sm"
	case CmdQuerySMResp:
		return "query_sm_resp"
	case CmdSubmitSM:
		return "submit_sm"
	case CmdSubmitSMResp:
		return "submit_sm_resp"
	case CmdDeliverSM:
		return "deliver_sm"
	case CmdDeliverSMResp:
		return "deliver_sm_resp"
	case CmdUnbind:
		return "unbind"
	case CmdUnbindResp:
		return "unbind_resp"
	case CmdReplaceSM:
		return "replace_sm"
	case CmdReplaceSMResp:
		return "replace_sm_resp"
	case CmdCancelSM:
		return "cancel_sm"
	case CmdCancelSMResp:
		return "cancel_sm_resp"
	case CmdBindTransceiver:
		return "bind_transceiver"
	case CmdBindTransceiverResp:
		return "bind_transceiver_resp"
	case CmdOutbind:
		return "outbind"
	case CmdEnquireLink:
		return "enquire_link"
	case CmdEnquireLinkResp:
		return "enquire_link_resp"
	case CmdSubmitMulti:
		return "submit_multi"
	case CmdSubmitMultiResp:
		return "submit_multi_resp"
	case CmdAlertNotification:
		return "alert_notification"
	case CmdDataSM:
		return "data_sm"
	case CmdDataSMResp:
		return "data_sm_resp"
	}
	return ""
}

// String returns the spec's name, such as "submit_sm", or the value in hex
// for an unknown command_id.
func (c CommandID) String() string {
	if n := c.name(); n != "" {
		return n
	}
	return string(appendHex32(make([]byte, 0, 10), uint32(c)))
}

// op returns the name used in errors: constant, so errors do not allocate it.
func (c CommandID) op() string {
	if n := c.name(); n != "" {
		return n
	}
	return "PDU"
}
