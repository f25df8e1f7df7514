package smpp

// Status is a command_status (SMPP 3.4 section 5.1.3): 0 in requests, the
// outcome in responses. A Status other than StatusOK is an error, so a
// client returns it as one and errors.Is(err, smpp.StatusInvPaswd) tests
// for it. String gives the spec's name ("ESME_RINVPASWD").
type Status uint32

// The command_status values of SMPP 3.4 section 5.1.3; the comment of each
// is its name in the spec. 0x400-0x4FF are reserved for SMSC vendor
// specific errors; the other values not listed are reserved.
const (
	StatusOK              Status = 0x00000000 // ESME_ROK
	StatusInvMsgLen       Status = 0x00000001 // ESME_RINVMSGLEN
	StatusInvCmdLen       Status = 0x00000002 // ESME_RINVCMDLEN
	StatusInvCmdID        Status = 0x00000003 // ESME_RINVCMDID
	StatusInvBndSts       Status = 0x00000004 // ESME_RINVBNDSTS
	StatusAlyBnd          Status = 0x00000005 // ESME_RALYBND
	StatusInvPrtFlg       Status = 0x00000006 // ESME_RINVPRTFLG
	StatusInvRegDlvFlg    Status = 0x00000007 // ESME_RINVREGDLVFLG
	StatusSysErr          Status = 0x00000008 // ESME_RSYSERR
	StatusInvSrcAdr       Status = 0x0000000A // ESME_RINVSRCADR
	StatusInvDstAdr       Status = 0x0000000B // ESME_RINVDSTADR
	StatusInvMsgID        Status = 0x0000000C // ESME_RINVMSGID
	StatusBindFail        Status = 0x0000000D // ESME_RBINDFAIL
	StatusInvPaswd        Status = 0x0000000E // ESME_RINVPASWD
	StatusInvSysID        Status = 0x0000000F // ESME_RINVSYSID
	StatusCancelFail      Status = 0x00000011 // ESME_RCANCELFAIL
	StatusReplaceFail     Status = 0x00000013 // ESME_RREPLACEFAIL
	StatusMsgQFul         Status = 0x00000014 // ESME_RMSGQFUL
	StatusInvSerTyp       Status = 0x00000015 // ESME_RINVSERTYP
	StatusInvNumDests     Status = 0x00000033 // ESME_RINVNUMDESTS
	StatusInvDLName       Status = 0x00000034 // ESME_RINVDLNAME
	StatusInvDestFlag     Status = 0x00000040 // ESME_RINVDESTFLAG
	StatusInvSubRep       Status = 0x00000042 // ESME_RINVSUBREP
	StatusInvESMClass     Status = 0x00000043 // ESME_RINVESMCLASS
	StatusCntSubDL        Status = 0x00000044 // ESME_RCNTSUBDL
	StatusSubmitFail      Status = 0x00000045 // ESME_RSUBMITFAIL
	StatusInvSrcTON       Status = 0x00000048 // ESME_RINVSRCTON
	StatusInvSrcNPI       Status = 0x00000049 // ESME_RINVSRCNPI
	StatusInvDstTON       Status = 0x00000050 // ESME_RINVDSTTON
	StatusInvDstNPI       Status = 0x00000051 // ESME_RINVDSTNPI
	StatusInvSysTyp       Status = 0x00000053 // ESME_RINVSYSTYP
	StatusInvRepFlag      Status = 0x00000054 // ESME_RINVREPFLAG
	StatusInvNumMsgs      Status = 0x00000055 // ESME_RINVNUMMSGS
	StatusThrottled       Status = 0x00000058 // ESME_RTHROTTLED
	StatusInvSched        Status = 0x00000061 // ESME_RINVSCHED
	StatusInvExpiry       Status = 0x00000062 // ESME_RINVEXPIRY
	StatusInvDftMsgID     Status = 0x00000063 // ESME_RINVDFTMSGID
	StatusXTAppn          Status = 0x00000064 // ESME_RX_T_APPN: ESME receiver temporary application error
	StatusXPAppn          Status = 0x00000065 // ESME_RX_P_APPN: ESME receiver permanent application error
	StatusXRAppn          Status = 0x00000066 // ESME_RX_R_APPN: ESME receiver reject message error
	StatusQueryFail       Status = 0x00000067 // ESME_RQUERYFAIL
	StatusInvOptParStream Status = 0x000000C0 // ESME_RINVOPTPARSTREAM
	StatusOptParNotAllwd  Status = 0x000000C1 // ESME_ROPTPARNOTALLWD
	StatusInvParLen       Status = 0x000000C2 // ESME_RINVPARLEN
	StatusMissingOptParam Status = 0x000000C3 // ESME_RMISSINGOPTPARAM
	StatusInvOptParamVal  Status = 0x000000C4 // ESME_RINVOPTPARAMVAL
	StatusDeliveryFailure Status = 0x000000FE // ESME_RDELIVERYFAILURE
	StatusUnknownErr      Status = 0x000000FF // ESME_RUNKNOWNERR
)

type statusInfo struct {
	st         Status
	name, desc string
}

// statusTable is section 5.1.3's table, in order of value.
var statusTable = [...]statusInfo{
	{StatusOK, "ESME_ROK", "no error"},
	{StatusInvMsgLen, "ESME_RINVMSGLEN", "message length is invalid"},
	{StatusInvCmdLen, "ESME_RINVCMDLEN", "command length is invalid"},
	{StatusInvCmdID, "ESME_RINVCMDID", "invalid command ID"},
	{StatusInvBndSts, "ESME_RINVBNDSTS", "incorrect bind status for given command"},
	{StatusAlyBnd, "ESME_RALYBND", "ESME already in bound state"},
	{StatusInvPrtFlg, "ESME_RINVPRTFLG", "invalid priority flag"},
	{StatusInvRegDlvFlg, "ESME_RINVREGDLVFLG", "invalid registered delivery flag"},
	{StatusSysErr, "ESME_RSYSERR", "system error"},
	{StatusInvSrcAdr, "ESME_RINVSRCADR", "invalid source address"},
	{StatusInvDstAdr, "ESME_RINVDSTADR", "invalid destination address"},
	{StatusInvMsgID, "ESME_RINVMSGID", "message ID is invalid"},
	{StatusBindFail, "ESME_RBINDFAIL", "bind failed"},
	{StatusInvPaswd, "ESME_RINVPASWD", "invalid password"},
	{StatusInvSysID, "ESME_RINVSYSID", "invalid system ID"},
	{StatusCancelFail, "ESME_RCANCELFAIL", "cancel_sm failed"},
	{StatusReplaceFail, "ESME_RREPLACEFAIL", "replace_sm failed"},
	{StatusMsgQFul, "ESME_RMSGQFUL", "message queue full"},
	{StatusInvSerTyp, "ESME_RINVSERTYP", "invalid service type"},
	{StatusInvNumDests, "ESME_RINVNUMDESTS", "invalid number of destinations"},
	{StatusInvDLName, "ESME_RINVDLNAME", "invalid distribution list name"},
	{StatusInvDestFlag, "ESME_RINVDESTFLAG", "destination flag is invalid"},
	{StatusInvSubRep, "ESME_RINVSUBREP", "invalid submit with replace request"},
	{StatusInvESMClass, "ESME_RINVESMCLASS", "invalid esm_class field data"},
	{StatusCntSubDL, "ESME_RCNTSUBDL", "cannot submit to distribution list"},
	{StatusSubmitFail, "ESME_RSUBMITFAIL", "submit_sm or submit_multi failed"},
	{StatusInvSrcTON, "ESME_RINVSRCTON", "invalid source address TON"},
	{StatusInvSrcNPI, "ESME_RINVSRCNPI", "invalid source address NPI"},
	{StatusInvDstTON, "ESME_RINVDSTTON", "invalid destination address TON"},
	{StatusInvDstNPI, "ESME_RINVDSTNPI", "invalid destination address NPI"},
	{StatusInvSysTyp, "ESME_RINVSYSTYP", "invalid system_type field"},
	{StatusInvRepFlag, "ESME_RINVREPFLAG", "invalid replace_if_present flag"},
	{StatusInvNumMsgs, "ESME_RINVNUMMSGS", "invalid number of messages"},
	{StatusThrottled, "ESME_RTHROTTLED", "throttling error"},
	{StatusInvSched, "ESME_RINVSCHED", "invalid scheduled delivery time"},
	{StatusInvExpiry, "ESME_RINVEXPIRY", "invalid message validity period"},
	{StatusInvDftMsgID, "ESME_RINVDFTMSGID", "predefined message invalid or not found"},
	{StatusXTAppn, "ESME_RX_T_APPN", "ESME receiver temporary app error"},
	{StatusXPAppn, "ESME_RX_P_APPN", "ESME receiver permanent app error"},
	{StatusXRAppn, "ESME_RX_R_APPN", "ESME receiver reject message error"},
	{StatusQueryFail, "ESME_RQUERYFAIL", "query_sm request failed"},
	{StatusInvOptParStream, "ESME_RINVOPTPARSTREAM", "error in the optional part of the PDU body"},
	{StatusOptParNotAllwd, "ESME_ROPTPARNOTALLWD", "optional parameter not allowed"},
	{StatusInvParLen, "ESME_RINVPARLEN", "invalid parameter length"},
	{StatusMissingOptParam, "ESME_RMISSINGOPTPARAM", "expected optional parameter missing"},
	{StatusInvOptParamVal, "ESME_RINVOPTPARAMVAL", "invalid optional parameter value"},
	{StatusDeliveryFailure, "ESME_RDELIVERYFAILURE", "delivery failure"},
	{StatusUnknownErr, "ESME_RUNKNOWNERR", "unknown error"},
}

func (s Status) info() (statusInfo, bool) {
	lo, hi := 0, len(statusTable)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if statusTable[m].st < s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(statusTable) && statusTable[lo].st == s {
		return statusTable[lo], true
	}
	return statusInfo{}, false
}

// Known reports whether s is a value of the section 5.1.3 table.
func (s Status) Known() bool { _, ok := s.info(); return ok }

// String returns the spec's name, such as "ESME_RINVPASWD", or the value
// in hex ("0x00000400") for a reserved or vendor-specific status.
func (s Status) String() string {
	if in, ok := s.info(); ok {
		return in.name
	}
	return string(appendHex32(make([]byte, 0, 10), uint32(s)))
}

// Error returns "smpp: ESME_RINVPASWD: invalid password", or
// "smpp: command_status 0x00000400" for a status not in the table.
func (s Status) Error() string {
	if in, ok := s.info(); ok {
		return "smpp: " + in.name + ": " + in.desc
	}
	return "smpp: command_status " + s.String()
}

// appendHex32 appends v as 0x and eight hex digits.
func appendHex32(b []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	b = append(b, '0', 'x')
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, digits[v>>uint(shift)&0xf])
	}
	return b
}
