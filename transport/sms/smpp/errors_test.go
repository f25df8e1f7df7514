package smpp

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// errorCases are malformed PDUs, each with the field, offset, class and
// command_status the decoder must report. "cloudhopper" cases are hex PDUs
// of cloudhopper-smpp's PduDecoderTest.java that it rejects too, or that
// break SMPP 3.4 where it is lenient.
var errorCases = []struct {
	name   string
	hex    string
	field  string
	off    int
	class  error
	status Status
}{
	{"header-truncated", `00000010 00000015 0000`, "header", 10, ErrTruncated, StatusInvCmdLen},
	{"command_length-below-16", `0000000f 00000015 00000000 00000001`, "command_length", 0, ErrMalformed, StatusInvCmdLen},
	// cloudhopper decodeSignedIntLength: 0xF0000011 octets.
	{"command_length-over-max", `F000001100000110000000000a342ee7`, "command_length", 0, ErrLimit, StatusInvCmdLen},
	{"body-truncated", `00000011 00000015 00000000 00000001`, "command_length", 16, ErrTruncated, StatusInvCmdLen},
	{"enquire_link-with-body", `00000011 00000015 00000000 00000001 00`, "command_length", 0, ErrMalformed, StatusInvCmdLen},
	{"unbind-with-body", `00000014 00000006 00000000 00000001 00000000`, "command_length", 0, ErrMalformed, StatusInvCmdLen},
	{"request-with-status", `00000010 00000015 00000001 00000001`, "command_status", 8, ErrMalformed, StatusSysErr},
	// cloudhopper decodeUnsupportedRequestCommandId.
	{"unknown-command_id", `0000001000000110000000000a342ee7`, "command_id", 4, ErrUnsupported, StatusInvCmdID},
	// cloudhopper decodeSubmitSmRespWithNoNullByteForMessageId.
	{"message_id-unterminated", `0000001180000004000000000a342ee139`, "message_id", 16, ErrMalformed, StatusInvMsgID},
	{"message_id-too-long", `00000052 80000004 00000000 00000001` + strings.Repeat("31", 66), "message_id", 16, ErrMalformed, StatusInvMsgID},
	{"submit_sm_resp-after-id", `00000013 80000004 00000000 00000001 3100 00`, "command_length", 18, ErrMalformed, StatusInvCmdLen},
	{"system_id-too-long", `00000030 00000009 00000000 00000001` + strings.Repeat("41", 16) + `00 00 00 34 00 00 00 00 00 00 00 00 00 00 00 00 00 00`,
		"system_id", 16, ErrMalformed, StatusInvSysID},
	{"password-too-long", `00000021 00000002 00000000 00000001 4100 41424344454647484900 00 34 00 00 00`, "password", 18, ErrMalformed, StatusInvPaswd},
	{"bind-trailing", `00000018 00000009 00000000 00000001 00 00 00 34 00 00 00 00`, "command_length", 23, ErrMalformed, StatusInvCmdLen},
	{"bind-short", `00000013 00000009 00000000 00000001 00 00 00`, "interface_version", 19, ErrMalformed, StatusInvCmdLen},
	{"bind_resp-ok-without-body", `00000010 80000009 00000000 00000001`, "system_id", 16, ErrMalformed, StatusInvCmdLen},
	{"bind_resp-tlv-overrun", `00000016 80000009 00000000 00000001 00 0210 0002 34`, "TLV", 19, ErrMalformed, StatusInvOptParStream},
	// cloudhopper decodeDeliverSMWithCorrectTotalByteLengthButInvalidShortMessageLength
	// (@Ignore there): sm_length 16 with 8 octets left.
	{"sm_length-past-end", `00000039000000050000000000000001000101393939393139393134353933000000363436340000000000000000080010c1e1e9edf3faf1fc`,
		"sm_length", 48, ErrMalformed, StatusInvMsgLen},
	// cloudhopper decodeSubmitSmWith255ByteShortMessage: short_message is 0-254 octets (5.2.22).
	{"sm_length-255", `00000130000000040000000000004FE80001013430343034000101343439353133363139323000000000000001000000FF` + strings.Repeat("41", 255),
		"sm_length", 48, ErrMalformed, StatusInvMsgLen},
	{"validity_period-short", `0000002d 00000004 00000000 00000001 00 0000 00 0000 3100 00 00 00 00 313830313035313230303000 00 00 00 00 00`,
		"validity_period", 28, ErrMalformed, StatusInvExpiry},
	{"schedule-unterminated", `0000001c 00000004 00000000 00000001 00 0000 00 0000 3100 00 00 00 31`,
		"schedule_delivery_time", 27, ErrMalformed, StatusInvSched},
	{"submit_sm-short", `00000018 00000004 00000000 00000001 00 0000 00 0000 3100`, "esm_class", 24, ErrMalformed, StatusInvCmdLen},
	// cloudhopper's commented-out Netfors receipt: receipted_message_id
	// says 0x41 octets, 5 follow.
	{"tlv-overrun-netfors", `000000a40000000500000000000000050001013233343830333337363831353100050056414e534f000400000000040000006369643a30303030303033303035207375623a30303120646c7672643a303031207375626d697420646174653a3130303131383134333120646f6e6520646174653a3130303131383134333120737461743a44454c49565244206572723a3030302074650427000102001e00413330303500`,
		"TLV", 157, ErrMalformed, StatusInvOptParStream},
	{"tlv-header-partial", submitWith(`0424 00`), "TLV", 34, ErrMalformed, StatusInvOptParStream},
	{"sar_total-length-2", submitWith(`020e 0002 0003`), "sar_total_segments", 36, ErrMalformed, StatusInvParLen},
	{"sar_seqnum-0", submitWith(`020f 0001 00`), "sar_segment_seqnum", 38, ErrMalformed, StatusInvOptParamVal},
	{"sar_seqnum-over-total", submitWith(`020e 0001 02 020f 0001 03`), "sar_segment_seqnum", 34, ErrMalformed, StatusInvOptParamVal},
	{"payload-twice", submitWith(`0424 0001 41 0424 0001 42`), "message_payload", 39, ErrMalformed, StatusInvOptParStream},
	{"message_state-9", submitWith(`0427 0001 09`), "message_state", 38, ErrMalformed, StatusInvOptParamVal},
	{"receipted_message_id-unterminated", submitWith(`001e 0002 3131`), "receipted_message_id", 38, ErrMalformed, StatusInvOptParamVal},
	{"receipted_message_id-empty", submitWith(`001e 0000`), "receipted_message_id", 36, ErrMalformed, StatusInvParLen},
	{"port-length-1", submitWith(`020a 0001 16`), "source_port", 36, ErrMalformed, StatusInvParLen},
	{"payload-and-short_message", `00000028 00000004 00000000 00000001 00 0000 00 0000 3100 00 00 00 00 00 00 00 00 00 01 41 0424 0001 42`,
		"sm_length", 33, ErrMalformed, StatusInvMsgLen},
}

// submitWith returns a submit_sm (to "1", no user data) with the TLVs tl,
// which start at offset 34.
func submitWith(tl string) string {
	n := 34 + len(strings.ReplaceAll(tl, " ", ""))/2
	return hex32(n) + `00000004 00000000 00000001 00 0000 00 0000 3100 00 00 00 00 00 00 00 00 00 00` + tl
}

func hex32(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = digits[n&0xf]
		n >>= 4
	}
	return string(b) + " "
}

// errorAt returns an *Error's offset and field, for codectest.CheckFuzzError.
func errorAt(e *Error) (int, string) { return e.Offset, e.Field }

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			b := codectest.Unhex(t, c.hex)
			_, _, err := decodeAny(b)
			if err == nil {
				t.Fatal("decoded")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T %v", err, err)
			}
			if e.Field != c.field || e.Offset != c.off || !errors.Is(err, c.class) || e.Status != c.status {
				t.Fatalf("got %s at %d (%v, %v): %v\nwant %s at %d (%v, %v)", e.Field, e.Offset, e.Err, e.Status, err,
					c.field, c.off, c.class, c.status)
			}
			if e.Rule == "" || !strings.HasPrefix(err.Error(), "smpp: ") {
				t.Fatalf("bad error text %q", err)
			}
			if c.class == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatal("ErrTruncated does not wrap io.ErrUnexpectedEOF")
			}
		})
	}
}

// TestWrongType decodes a PDU with the type of another command.
func TestWrongType(t *testing.T) {
	b := codectest.Unhex(t, vectors[0].hex) // enquire_link
	for _, p := range []codec{&SubmitSM{}, &DeliverSM{}, &Bind{}, &BindResp{}, &SubmitSMResp{}, &Unbind{}, &GenericNack{}} {
		_, err := p.Decode(b)
		var e *Error
		if !errors.As(err, &e) || e.Field != "command_id" || e.Status != StatusInvCmdID || e.Offset != 4 {
			t.Errorf("%T: %v", p, err)
		}
	}
}

// TestEncodeErrors checks that the encoders refuse what Decode rejects
// and leave b unchanged.
func TestEncodeErrors(t *testing.T) {
	long := func(n int) []byte { return []byte(strings.Repeat("x", n)) }
	cases := []struct {
		name   string
		p      codec
		field  string
		status Status
	}{
		{"system_id", &Bind{SystemID: long(16)}, "system_id", StatusInvSysID},
		{"password", &Bind{Password: long(9)}, "password", StatusInvPaswd},
		{"nul-inside", &Bind{SystemType: []byte("a\x00b")}, "system_type", StatusInvSysTyp},
		{"bind-id", &Bind{Header: Header{ID: CmdSubmitSM}}, "command_id", StatusInvCmdID},
		{"bind-status", &Bind{Header: Header{Status: StatusSysErr}}, "command_status", StatusSysErr},
		{"bind_resp-id", &BindResp{Header: Header{ID: CmdBindTransceiver}}, "command_id", StatusInvCmdID},
		{"source_addr", &SubmitSM{SourceAddr: long(21)}, "source_addr", StatusInvSrcAdr},
		{"destination_addr", &DeliverSM{DestinationAddr: long(21)}, "destination_addr", StatusInvDstAdr},
		{"service_type", &SubmitSM{ServiceType: long(6)}, "service_type", StatusInvSerTyp},
		{"validity", &SubmitSM{ValidityPeriod: long(15)}, "validity_period", StatusInvExpiry},
		{"short_message", &SubmitSM{ShortMessage: long(255)}, "short_message", StatusInvMsgLen},
		{"payload-and-sm", &SubmitSM{ShortMessage: long(1), TLVs: AppendTLV(nil, TagMessagePayload, long(1))}, "short_message", StatusInvMsgLen},
		{"bad-tlvs", &SubmitSM{TLVs: TLVs{0x04, 0x24, 0x00}}, "TLV", StatusInvOptParStream},
		{"too-long", &SubmitSM{TLVs: AppendTLV(AppendTLV(nil, 0x1400, long(0xFFFF)), 0x1401, long(10000))}, "command_length", StatusInvCmdLen},
		{"message_id", &SubmitSMResp{MessageID: long(65)}, "message_id", StatusInvMsgID},
		{"request-status", &EnquireLink{Header: Header{Status: StatusSysErr}}, "command_status", StatusSysErr},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := []byte("keep")
			out, err := c.p.AppendBinary(b)
			var e *Error
			if !errors.As(err, &e) || e.Field != c.field || e.Status != c.status || e.Offset != -1 {
				t.Fatalf("got %v", err)
			}
			if string(out) != "keep" || len(out) != 4 {
				t.Fatalf("b changed: %q", out)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	good := func() SubmitSM {
		return SubmitSM{DestinationAddr: []byte("15551234567"), DataCoding: CodingBinary, ESMClass: ESMUDHI,
			ShortMessage: []byte{0x06, 0x05, 0x04, 0x16, 0x34, 0x16, 0x34, 0x40}}
	}
	cases := []struct {
		name   string
		mod    func(*SubmitSM)
		status Status
	}{
		{"ok", func(*SubmitSM) {}, StatusOK},
		{"no-destination", func(s *SubmitSM) { s.DestinationAddr = nil }, StatusInvDstAdr},
		{"priority-4", func(s *SubmitSM) { s.PriorityFlag = 4 }, StatusInvPrtFlg},
		{"regdel-reserved", func(s *SubmitSM) { s.RegisteredDelivery = 0x20 }, StatusInvRegDlvFlg},
		{"regdel-3", func(s *SubmitSM) { s.RegisteredDelivery = 3 }, StatusInvRegDlvFlg},
		{"replace-2", func(s *SubmitSM) { s.ReplaceIfPresent = 2 }, StatusInvRepFlag},
		{"esm-receipt", func(s *SubmitSM) { s.ESMClass = ESMTypeDeliveryReceipt }, StatusInvESMClass},
		{"esm-ack-ok", func(s *SubmitSM) { s.ESMClass = ESMTypeDeliveryAck | ESMModeDatagram }, StatusOK},
		{"udhi-no-header", func(s *SubmitSM) { s.ShortMessage = []byte{0x07, 1, 2} }, StatusInvESMClass},
		{"udhi-empty", func(s *SubmitSM) { s.ShortMessage = nil }, StatusInvESMClass},
		{"udhi-payload", func(s *SubmitSM) {
			s.TLVs = AppendTLV(nil, TagMessagePayload, s.ShortMessage)
			s.ShortMessage = nil
		}, StatusOK},
		{"schedule-bad", func(s *SubmitSM) { s.ScheduleDeliveryTime = []byte("251301000000000+") }, StatusInvSched},
		{"schedule-ok", func(s *SubmitSM) { s.ScheduleDeliveryTime = []byte("251231235959948-") }, StatusOK},
		{"validity-relative", func(s *SubmitSM) { s.ValidityPeriod = []byte("000001000000000R") }, StatusOK},
		{"validity-bad-p", func(s *SubmitSM) { s.ValidityPeriod = []byte("000001000000000X") }, StatusInvExpiry},
		{"validity-nn-49", func(s *SubmitSM) { s.ValidityPeriod = []byte("251231235959049+") }, StatusInvExpiry},
		{"sar-partial", func(s *SubmitSM) { s.TLVs = AppendTLVUint16(nil, TagSARMsgRefNum, 1) }, StatusMissingOptParam},
		{"sar-ok", func(s *SubmitSM) { s.TLVs = AppendSAR(nil, SAR{Ref: 1, Total: 2, Seq: 2}) }, StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := good()
			c.mod(&s)
			err := s.Validate()
			if c.status == StatusOK {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Status != c.status {
				t.Fatalf("got %v, want %v", err, c.status)
			}
		})
	}
	d := DeliverSM(good())
	d.ESMClass = ESMTypeDeliveryReceipt
	d.ShortMessage = []byte("id:1")
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	d.ValidityPeriod = []byte("000001000000000R")
	if err := d.Validate(); err == nil {
		t.Fatal("deliver_sm with a validity period validated")
	}
}

func TestStatus(t *testing.T) {
	want(t, StatusInvPaswd.String(), "ESME_RINVPASWD")
	want(t, StatusInvPaswd.Error(), "smpp: ESME_RINVPASWD: invalid password")
	want(t, Status(0x400).String(), "0x00000400")
	want(t, Status(0x400).Error(), "smpp: command_status 0x00000400")
	want(t, StatusInvDstNPI.String(), "ESME_RINVDSTNPI")
	want(t, StatusInvDstNPI, Status(0x51))
	for i := 1; i < len(statusTable); i++ {
		if statusTable[i-1].st >= statusTable[i].st {
			t.Fatalf("status table out of order at %v", statusTable[i].st)
		}
	}
	for _, in := range statusTable {
		if !in.st.Known() || in.st.String() != in.name {
			t.Fatalf("%v", in)
		}
	}
	var err error = StatusThrottled
	if !errors.Is(err, StatusThrottled) || errors.Is(err, StatusSysErr) {
		t.Fatal("errors.Is on Status")
	}
	nack := &NackError{Command: CmdSubmitSM, Status: StatusInvCmdLen}
	if !errors.Is(nack, StatusInvCmdLen) {
		t.Fatal("NackError does not wrap its status")
	}
	want(t, nack.Error(), "smpp: generic_nack to submit_sm: ESME_RINVCMDLEN")
	want(t, CmdSubmitSM.String(), "submit_sm")
	want(t, CommandID(0x1234).String(), "0x00001234")
	want(t, CmdDataSM.Known(), true)
	want(t, CmdDataSM.Decodable(), false)
	want(t, CmdGenericNack.Decodable(), true)
	want(t, TagMessagePayload.String(), "message_payload")
	want(t, Tag(0x1400).String(), "0x1400")
}
