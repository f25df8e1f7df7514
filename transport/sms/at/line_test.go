package at

import (
	"bytes"
	"errors"
	"testing"
)

// lineCase is a line as a modem sends it and what Parse makes of it.
type lineCase struct {
	name string
	in   string
	want Line
}

// The shapes come from the specifications and from modem manuals and logs:
// 3GPP TS 27.005 section 3 (the syntax of each response), ITU-T V.250
// 5.7.1 (result codes), 3GPP TS 27.007 9.2 (+CME ERROR), and the AT
// command manuals named per case, for the habits that differ from the
// letter of 27.005 (quotes around an empty <alpha>, spaces after commas,
// start-up lines).
var lineCases = []lineCase{
	// V.250 5.7.1, table 1: the verbose result codes.
	{"ok", "OK", Line{Kind: KindOK}},
	{"error", "ERROR", Line{Kind: KindError}},
	{"no-carrier", "NO CARRIER", Line{Kind: KindNoCarrier}},
	{"busy", "BUSY", Line{Kind: KindBusy}},
	{"no-answer", "NO ANSWER", Line{Kind: KindNoAnswer}},
	{"no-dialtone", "NO DIALTONE", Line{Kind: KindNoDialtone}},
	{"ring", "RING", Line{Kind: KindRing}},
	// 27.005 3.2.5 with +CMEE=1, and with +CMEE=2 (verbose).
	{"cms-numeric", "+CMS ERROR: 304", Line{Kind: KindCMSError, Code: 304}},
	{"cms-rp-cause", "+CMS ERROR: 38", Line{Kind: KindCMSError, Code: 38}},
	{"cms-verbose", "+CMS ERROR: operation not allowed", Line{Kind: KindCMSError, Code: -1, Text: []byte("operation not allowed")}},
	// 27.007 9.2; SIMCom SIM800 manual, without a SIM: "+CME ERROR: SIM not inserted".
	{"cme-numeric", "+CME ERROR: 10", Line{Kind: KindCMEError, Code: 10}},
	{"cme-verbose", "+CME ERROR: SIM not inserted", Line{Kind: KindCMEError, Code: -1, Text: []byte("SIM not inserted")}},
	// 27.005 3.5.1: the prompt; modems send "> " with no line end, a
	// line ">" is taken too.
	{"prompt", "> ", Line{Kind: KindPrompt}},
	{"prompt-bare", ">", Line{Kind: KindPrompt}},
	// 27.005 3.5.1: +CMGS: <mr> in PDU mode; with +CSMS=1 an <ackpdu>
	// may follow, quoted like a string.
	{"cmgs", "+CMGS: 12", Line{Kind: KindCMGS, MR: 12}},
	{"cmgs-255", "+CMGS: 255", Line{Kind: KindCMGS, MR: 255}},
	{"cmgs-ackpdu", `+CMGS: 3,"0100"`, Line{Kind: KindCMGS, MR: 3, Text: []byte("0100")}},
	{"cmgs-ackpdu-unquoted", "+CMGS: 3,0100", Line{Kind: KindCMGS, MR: 3, Text: []byte("0100")}},
	// 27.005 3.4.1, PDU mode: +CMT: [<alpha>],<length>. The Nokia D211
	// manual shows the empty <alpha> as nothing; SIMCom SIM800 logs show
	// "+CMT: "",24"; a phonebook match fills it in.
	{"cmt", "+CMT: ,24", Line{Kind: KindCMT, Length: 24}},
	{"cmt-empty-quotes", `+CMT: "",24`, Line{Kind: KindCMT, Length: 24, Alpha: []byte{}}},
	{"cmt-alpha", `+CMT: "Alice",39`, Line{Kind: KindCMT, Length: 39, Alpha: []byte("Alice")}},
	// 27.005 3.4.1: +CMTI: <mem>,<index>; "SM" on SIMCom and Huawei
	// sticks, "ME" on Quectel; Huawei E173 logs put a space after the
	// comma.
	{"cmti", `+CMTI: "SM",3`, Line{Kind: KindCMTI, Mem: []byte("SM"), Index: 3}},
	{"cmti-me-0", `+CMTI: "ME",0`, Line{Kind: KindCMTI, Mem: []byte("ME"), Index: 0}},
	{"cmti-space", `+CMTI: "SM", 12`, Line{Kind: KindCMTI, Mem: []byte("SM"), Index: 12}},
	{"cds", "+CDS: 25", Line{Kind: KindCDS, Length: 25}},
	{"cdsi", `+CDSI: "SR",1`, Line{Kind: KindCDSI, Mem: []byte("SR"), Index: 1}},
	// 27.005 3.4.3 and 3.4.2, PDU mode.
	{"cmgr", "+CMGR: 0,,39", Line{Kind: KindCMGR, Stat: 0, Length: 39}},
	{"cmgr-read", `+CMGR: 1,"",24`, Line{Kind: KindCMGR, Stat: 1, Length: 24, Alpha: []byte{}}},
	{"cmgl", "+CMGL: 4,1,,24", Line{Kind: KindCMGL, Index: 4, Stat: 1, Length: 24}},
	// 27.005 3.2.1: the set command answers <mt>,<mo>,<bm>, the read
	// command <service>,<mt>,<mo>,<bm>.
	{"csms-set", "+CSMS: 1,1,1", Line{Kind: KindCSMS, Service: -1, MT: 1, MO: 1, BM: 1}},
	{"csms-read", "+CSMS: 1,1,1,1", Line{Kind: KindCSMS, Service: 1, MT: 1, MO: 1, BM: 1}},
	// Start-up lines: SIMCom SIM800 and Quectel EC25 print RDY, +CFUN: 1,
	// +CPIN: READY, SIMCom then Call Ready and SMS Ready; Siemens/Cinterion
	// MC55 and TC35 print ^SYSSTART.
	{"rdy", "RDY", Line{Kind: KindReset, Text: []byte("RDY")}},
	{"cfun", "+CFUN: 1", Line{Kind: KindReset, Text: []byte("+CFUN: 1")}},
	{"cpin", "+CPIN: READY", Line{Kind: KindReset, Text: []byte("+CPIN: READY")}},
	{"sysstart", "^SYSSTART", Line{Kind: KindReset, Text: []byte("^SYSSTART")}},
	{"sms-ready", "SMS Ready", Line{Kind: KindReset, Text: []byte("SMS Ready")}},
	{"cpin-pin", "+CPIN: SIM PIN", Line{Kind: KindInfo, Text: []byte("+CPIN: SIM PIN")}},
	{"cfun-0", "+CFUN: 0", Line{Kind: KindInfo, Text: []byte("+CFUN: 0")}},
	{"call-ready", "Call Ready", Line{Kind: KindInfo, Text: []byte("Call Ready")}},
	// Information responses and URCs this package does not read: Huawei's
	// ^RSSI, the answers to AT+CNMI? and AT+CMGF?.
	{"rssi", "^RSSI:12", Line{Kind: KindInfo, Text: []byte("^RSSI:12")}},
	{"cnmi-read", "+CNMI: 2,2,0,0,0", Line{Kind: KindInfo, Text: []byte("+CNMI: 2,2,0,0,0")}},
	{"no-colon", "+CMGS", Line{Kind: KindInfo, Text: []byte("+CMGS")}},
	// The echo of a command line with ATE1.
	{"echo", "AT+CMGS=24", Line{Kind: KindEcho, Text: []byte("AT+CMGS=24")}},
	{"echo-lower", "at", Line{Kind: KindEcho, Text: []byte("at")}},
	// A PDU line: the SMS-DELIVER of the PDU-mode tutorial that package
	// tpdu's example decodes ("How are you?").
	{"pdu", "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07",
		Line{Kind: KindPDU, Text: []byte("07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07")}},
	{"pdu-lower", "00ff", Line{Kind: KindPDU, Text: []byte("00ff")}},
	{"odd-hex", "123", Line{Kind: KindInfo, Text: []byte("123")}},
	// Spaces around the line are ignored.
	{"spaces", "  OK \t", Line{Kind: KindOK}},
	{"blank", "   ", Line{Kind: KindInfo, Text: []byte{}}},
}

// sameLine compares two lines, nil and empty slices alike.
func sameLine(a, b *Line) bool {
	return a.Kind == b.Kind && a.Code == b.Code && a.MR == b.MR && a.Index == b.Index && a.Stat == b.Stat &&
		a.Length == b.Length && a.Service == b.Service && a.MT == b.MT && a.MO == b.MO && a.BM == b.BM &&
		bytes.Equal(a.Mem, b.Mem) && bytes.Equal(a.Alpha, b.Alpha) && bytes.Equal(a.Text, b.Text)
}

func TestParseLine(t *testing.T) {
	for _, tc := range lineCases {
		t.Run(tc.name, func(t *testing.T) {
			var l Line
			if err := l.Parse([]byte(tc.in)); err != nil {
				t.Fatal(err)
			}
			if !sameLine(&l, &tc.want) {
				t.Fatalf("got %+v\nwant %+v", l, tc.want)
			}
			// Format, parse again: the same line.
			out := l.AppendText(nil)
			var back Line
			if err := back.Parse(out); err != nil {
				t.Fatalf("%q: %v", out, err)
			}
			if !sameLine(&back, &l) {
				t.Fatalf("%q parses as %+v", out, back)
			}
		})
	}
}

// The canonical forms AppendText writes.
func TestAppendText(t *testing.T) {
	for in, want := range map[string]string{
		`+CMT: "",24`:    "+CMT: ,24",
		"+CMGS:7":        "+CMGS: 7",
		`+CMTI: "SM", 3`: `+CMTI: "SM",3`,
		"+CMGS: 3,0100":  `+CMGS: 3,"0100"`,
		"+CSMS: 0,1,1,1": "+CSMS: 0,1,1,1",
		">":              "> ",
		"+CMS ERROR: 07": "+CMS ERROR: 7",
	} {
		var l Line
		if err := l.Parse([]byte(in)); err != nil {
			t.Fatal(in, err)
		}
		if got := string(l.AppendText(nil)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

var lineErrors = []struct {
	name, in string
	kind     Kind
	field    string
	offset   int
}{
	{"cmgs-not-number", "+CMGS: x", KindCMGS, "+CMGS <mr>", 7},
	{"cmgs-range", "+CMGS: 256", KindCMGS, "+CMGS <mr>", 7},
	{"cmgs-quote-in-bare", `+CMGS: 1,ab"c`, KindCMGS, "+CMGS <ackpdu>", 11},
	{"cmgs-trailing", `+CMGS: 1,"ab"c`, KindCMGS, "+CMGS", 13},
	{"cms-empty", "+CMS ERROR:", KindCMSError, "+CMS ERROR <err>", 11},
	{"cms-huge", "+CMS ERROR: 99999999", KindCMSError, "+CMS ERROR <err>", 12},
	{"cme-empty", "+CME ERROR: ", KindCMEError, "+CME ERROR <err>", 11},
	{"cmti-unquoted", "+CMTI: SM,3", KindCMTI, "+CMTI <mem>", 7},
	{"cmti-unterminated", `+CMTI: "SM,3`, KindCMTI, "+CMTI <mem>", 7},
	{"cmti-no-index", `+CMTI: "SM"`, KindCMTI, "+CMTI <mem>", 11},
	{"cdsi-bad-index", `+CDSI: "SR",x`, KindCDSI, "+CDSI <index>", 12},
	{"cmt-trailing", "+CMT: ,24x", KindCMT, "+CMT", 9},
	{"cmt-no-length", "+CMT: ,", KindCMT, "+CMT <length>", 7},
	{"cmt-no-comma", "+CMT: 24", KindCMT, "+CMT <alpha>", 6},
	{"cds-empty", "+CDS:", KindCDS, "+CDS <length>", 5},
	{"cmgr-stat", "+CMGR: 5,,24", KindCMGR, "+CMGR <stat>", 7},
	{"cmgl-alpha", "+CMGL: 1,0,24", KindCMGL, "+CMGL <alpha>", 11},
	{"csms-two", "+CSMS: 1,1", KindCSMS, "+CSMS", 10},
	{"csms-five", "+CSMS: 1,1,1,1,1", KindCSMS, "+CSMS", 14},
}

func TestParseLineErrors(t *testing.T) {
	for _, tc := range lineErrors {
		t.Run(tc.name, func(t *testing.T) {
			var l Line
			err := l.Parse([]byte(tc.in))
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("err %v", err)
			}
			if l.Kind != tc.kind || e.Field != tc.field || e.Offset != tc.offset || e.Op != "parse" || e.Rule == "" {
				t.Errorf("kind %v, %+v", l.Kind, e)
			}
		})
	}
	var l Line
	err := l.Parse([]byte("+CMGS: 300"))
	if want := "at: parse +CMGS <mr> at offset 7: number out of range [3GPP TS 27.005 3.5.1]"; err == nil || err.Error() != want {
		t.Errorf("%v, want %s", err, want)
	}
	// A malformed final result code still says it is one, so that it ends
	// the command.
	if l.Parse([]byte("+CMS ERROR:")) == nil || !l.Kind.Final() || l.Code != -1 {
		t.Errorf("%+v", l)
	}
}

func TestDecodeHex(t *testing.T) {
	got, err := DecodeHex([]byte{9}, []byte("00fF7a"))
	if err != nil || !bytes.Equal(got, []byte{9, 0, 0xFF, 0x7A}) {
		t.Fatal(got, err)
	}
	if s := string(AppendHex(nil, []byte{0, 0xAB, 0x1F})); s != "00AB1F" {
		t.Error(s)
	}
	for _, tc := range []struct {
		in  string
		off int
	}{{"0", 1}, {"0g", 1}, {"g0", 0}, {"00 1", 2}} {
		dst := []byte{1}
		out, err := DecodeHex(dst, []byte(tc.in))
		var e *Error
		if !errors.As(err, &e) || e.Offset != tc.off || !bytes.Equal(out, dst) {
			t.Errorf("%q: %v %v", tc.in, out, err)
		}
	}
}

func TestKind(t *testing.T) {
	for k := KindInfo; k < numKinds; k++ {
		if k.String() == "" {
			t.Errorf("kind %d has no name", k)
		}
		if k.Final() && k.Unsolicited() {
			t.Errorf("%v both final and unsolicited", k)
		}
	}
	if Kind(200).String() != "kind(200)" || !KindCMEError.Final() || KindPrompt.Final() || !KindReset.Unsolicited() {
		t.Error("kind predicates")
	}
}

func TestErrorNames(t *testing.T) {
	for code, want := range map[int]string{
		304: "invalid PDU mode parameter", 340: "no +CNMA acknowledgement expected", 500: "unknown error",
		38: "network out of order", 0xD3: "memory capacity exceeded", 0xC3: "invalid SME address",
		512: "", 306: "", 2: "",
	} {
		if got := CMSErrorName(code); got != want {
			t.Errorf("CMS %d: %q, want %q", code, got, want)
		}
	}
	if CMEErrorName(10) != "SIM not inserted" || CMEErrorName(99) != "" {
		t.Error("CME names")
	}
	e := &ModemError{Op: "AT+CMGF", Kind: KindCMEError, Code: -1, Text: "SIM busy"}
	if e.Error() != "at: AT+CMGF: +CME ERROR: SIM busy" || e.Name() != "SIM busy" || !errors.Is(e, ErrModem) {
		t.Error(e.Error(), e.Name())
	}
	e = &ModemError{Op: "ATE0", Kind: KindError, Code: -1}
	if e.Error() != "at: ATE0: ERROR" {
		t.Error(e.Error())
	}
}
