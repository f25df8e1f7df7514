package main

import "testing"

// TestSMS checks encodes of hand-written objects (a header built from
// concat and ports, absent keys) and their decodes.
func TestSMS(t *testing.T) {
	tests := []struct {
		name, proto, in, want string
	}{
		{"submit with concat and ports, no udh", "sms-submit",
			`{"destination":"+15551234567","dcs":4,"concat":{"ref":4660,"total":3,"seq":2},"ports":{"dst":5684,"src":5683},"user_data":"40010001"}`,
			"0041000b915155214365f70004110c05041634163308041234030240010001\n"},
		{"submit 8-bit ports and reference", "sms-submit",
			`{"destination":"1234","dcs":0,"concat":{"ref":7,"total":2,"seq":1},"ports":{"dst":16,"src":32},"text":"hi"}`,
			"0041000481214300000e09040210200003070201804e03\n"},
		{"deliver defaults", "sms-deliver", `{"originator":"Telekom","text":"x"}`,
			"00040dd0d432bbbc7eb7010000000000000000000178\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.in, "encode", "--proto", tt.proto)
			if code != 0 || out != tt.want {
				t.Fatalf("exit %d, stderr %q\n got %q\nwant %q", code, errOut, out, tt.want)
			}
			back, errOut, code := runCmd(t, out, "decode", "--proto", tt.proto)
			if code != 0 {
				t.Fatalf("decode: exit %d, %s", code, errOut)
			}
			again, _, _ := runCmd(t, back, "encode", "--proto", tt.proto)
			if again != out {
				t.Errorf("decode | encode: %q, want %q", again, out)
			}
		})
	}
}

// TestSMSMalformed checks the error lines: offsets count from the start of
// the modem PDU, SMSC included.
func TestSMSMalformed(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantStderr string
	}{
		{"deliver given a submit", []string{"decode", "--proto", "sms-deliver"},
			"0011000b916407281553f80000aa0ae8329bfd4697d9ec37\n",
			"iotwire: sms-deliver: unit 1: TP-MTI: message type 1 (SMS-SUBMIT), want SMS-DELIVER [3GPP TS 23.040 9.2.3.1] (offset 1)\n"},
		{"user data cut short, after an SMSC", []string{"decode", "--proto", "sms-deliver"},
			"07911326040000f0040b911346610089f60000208062917314080cc8f71d\n",
			"iotwire: sms-deliver: unit 1: TP-UD: input ends before the TP-UDL octets [3GPP TS 23.040 9.2.3.16] (offset 27)\n"},
		{"SMSC too long", []string{"decode", "--proto", "sms-submit"}, "0c\n",
			"iotwire: sms-submit: unit 1: SMSC: SMSC address longer than 11 octets [3GPP TS 24.011 8.2.5.1; 3GPP TS 27.005 3.1 <pdu>] (offset 0)\n"},
		{"header overruns", []string{"decode", "--proto", "sms-submit"}, "00 41 00 00 81 00 04 06 05 08 03 01 02 03\n",
			"iotwire: sms-submit: unit 1: UDH: information element of the wrong length [3GPP TS 23.040 9.2.3.24.8] (offset 9)\n"},
		{"encode: text outside GSM 7-bit", []string{"encode", "--proto", "sms-submit"}, `{"destination":"1","text":"日本"}`,
			"iotwire: sms-submit: unit 1: text: character outside the GSM 7-bit default alphabet and its extension table [3GPP TS 23.038 6.2.1] (offset 26)\n"},
		{"encode: user_data with GSM 7-bit", []string{"encode", "--proto", "sms-submit"}, `{"destination":"1","user_data":"00"}`,
			"iotwire: sms-submit: unit 1: user_data: the dcs is GSM 7-bit, which counts septets: give text (offset 31)\n"},
		{"encode: concat disagrees with udh", []string{"encode", "--proto", "sms-deliver"},
			`{"udh":[{"iei":0,"data":"010201"}],"concat":{"ref":2,"total":2,"seq":1},"text":""}`,
			"iotwire: sms-deliver: unit 1: concat: does not match udh (offset 44)\n"},
		{"encode: bad scts", []string{"encode", "--proto", "sms-deliver"}, `{"scts":"yesterday"}`,
			"iotwire: sms-deliver: unit 1: scts: want an RFC 3339 time in whole seconds (offset 8)\n"},
		{"encode: scts year", []string{"encode", "--proto", "sms-deliver"}, `{"scts":"2100-01-01T00:00:00Z"}`,
			"iotwire: sms-deliver: unit 1: scts: want a year 1990-2089 and a zone within 19:45 [3GPP TS 23.040 9.2.3.11] (offset 8)\n"},
		{"encode: bad address", []string{"encode", "--proto", "sms-submit"}, `{"destination":"far too long a name"}`,
			`iotwire: sms-submit: unit 1: destination: want "+digits", digits or up to 11 GSM 7-bit characters (offset 15)` + "\n"},
		{"encode: unknown key", []string{"encode", "--proto", "sms-deliver"}, `{"destination":"1"}`,
			"iotwire: sms-deliver: unit 1: destination: unexpected key in SMS-DELIVER (offset 15)\n"},
		{"encode: too long", []string{"encode", "--proto", "sms-submit"},
			`{"dcs":8,"text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`,
			"iotwire: sms-submit: unit 1: text: user data longer than 140 octets [3GPP TS 23.040 9.2.3.16] (offset 16)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.stdin, tt.args...)
			if code != 1 || out != "" || errOut != tt.wantStderr {
				t.Errorf("exit %d, want 1\nstdout %q\nstderr %q\n  want %q", code, out, errOut, tt.wantStderr)
			}
		})
	}
}
