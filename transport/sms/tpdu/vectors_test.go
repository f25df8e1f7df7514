package tpdu

import (
	"bytes"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// describe decodes the modem PDU b by its TP-MTI (as received: 0 is
// SMS-DELIVER) and writes every field, the raw user data included, as one
// line: the tests compare these lines, and the fuzz targets use them for
// the decode -> encode -> decode fixpoint. It also returns the encoding of
// what it decoded.
func describe(b []byte) (line string, out []byte, err error) {
	smsc, tp, err := DecodeModemPDU(b)
	if err != nil {
		return "", nil, err
	}
	var s strings.Builder
	w := func(k, v string) { s.WriteString(k + "=" + v + " ") }
	w("smsc", smsc.String())
	w("smsc_type", strconv.FormatUint(uint64(smsc.Type), 16))
	out = AppendSMSC(nil, &smsc)
	typ, err := PeekType(tp)
	if err != nil {
		return "", nil, err
	}
	w("type", typ.String())
	var ud *UserData
	var dcs DCS
	switch typ {
	case TypeDeliver:
		var d Deliver
		if _, err := d.Decode(tp); err != nil {
			return "", nil, err
		}
		w("flags", flags(d.MoreMessages, d.LoopPrevention, d.StatusReportIndic, d.ReplyPath))
		w("oa", d.Originator.String())
		w("oa_type", strconv.FormatUint(uint64(d.Originator.Type), 16))
		w("pid", strconv.Itoa(int(d.PID)))
		w("scts", string(d.SCTS.AppendText(nil)))
		ud, dcs = &d.UserData, d.DCS
		if out, err = d.AppendBinary(out); err != nil {
			return "", nil, err
		}
	case TypeSubmit:
		var d Submit
		if _, err := d.Decode(tp); err != nil {
			return "", nil, err
		}
		w("flags", flags(d.RejectDuplicates, d.StatusReportReq, d.ReplyPath))
		w("mr", strconv.Itoa(int(d.MR)))
		w("da", d.Destination.String())
		w("da_type", strconv.FormatUint(uint64(d.Destination.Type), 16))
		w("pid", strconv.Itoa(int(d.PID)))
		w("vp", describeVP(&d.VP))
		ud, dcs = &d.UserData, d.DCS
		if out, err = d.AppendBinary(out); err != nil {
			return "", nil, err
		}
	case TypeStatusReport:
		var d StatusReport
		if _, err := d.Decode(tp); err != nil {
			return "", nil, err
		}
		w("flags", flags(d.MoreMessages, d.LoopPrevention, d.Command, d.HasPI))
		w("mr", strconv.Itoa(int(d.MR)))
		w("ra", d.Recipient.String())
		w("scts", string(d.SCTS.AppendText(nil)))
		w("dt", string(d.Discharge.AppendText(nil)))
		w("st", strconv.Itoa(int(d.Status)))
		w("pi", strconv.Itoa(int(d.PI)))
		w("pid", strconv.Itoa(int(d.PID)))
		ud, dcs = &d.UserData, d.DCS
		if out, err = d.AppendBinary(out); err != nil {
			return "", nil, err
		}
	default:
		return "", nil, decErr("TP-MTI", 0, ErrUnsupported, ruleMTI, "reserved")
	}
	w("dcs", strconv.FormatUint(uint64(dcs), 16))
	if ud.Header != nil {
		w("udh", hex.EncodeToString(ud.Header))
	}
	if c, ok := ud.Concat(); ok {
		w("concat", strconv.Itoa(int(c.Ref))+"/"+strconv.Itoa(int(c.Total))+"/"+strconv.Itoa(int(c.Seq)))
	}
	if p, ok := ud.Ports(); ok {
		w("ports", strconv.Itoa(int(p.Dst))+"/"+strconv.Itoa(int(p.Src)))
	}
	if text, err := ud.AppendText(nil, dcs); err == nil {
		w("text", strconv.Quote(string(text)))
	}
	w("body", hex.EncodeToString(ud.Body))
	w("septets", strconv.Itoa(ud.Septets))
	return strings.TrimSpace(s.String()), out, nil
}

func flags(v ...bool) string {
	b := make([]byte, len(v))
	for i, f := range v {
		b[i] = '0'
		if f {
			b[i] = '1'
		}
	}
	return string(b)
}

func describeVP(v *ValidityPeriod) string {
	switch v.Format {
	case VPRelative:
		d, _ := v.Duration()
		return "rel:" + strconv.Itoa(int(v.Relative)) + ":" + d.String()
	case VPAbsolute:
		return "abs:" + string(v.Absolute.AppendText(nil))
	case VPEnhanced:
		d, ok := v.Duration()
		return "enh:" + hex.EncodeToString(v.Enhanced[:]) + ":" + d.String() + ":" + strconv.FormatBool(ok)
	}
	return "none"
}

// vectors are modem PDUs (SMSC first) with their expected fields. Each
// names its source. "want" lists fields of describe's line that must
// appear in it.
var vectors = []struct {
	name, source, hex string
	want              []string
}{
	{"deliver-how-are-you", "the classic SMS-DELIVER example of dreamfabric.com's \"SMS messages and the PDU format\"", `
		07 91 1326040000F0        // SMSC: 7 octets, international, +31624000000
		04                        // SMS-DELIVER, TP-MMS 1 (no more messages)
		0B 91 1346610089F6        // TP-OA: 11 digits, international, +31641600986
		00 00                     // TP-PID, TP-DCS: GSM 7-bit
		20806291731408            // TP-SCTS: 02-08-26 19:37:41, zone octet 08 (sign bit, 0 quarters)
		0C C8F71D14969741F977FD07 // TP-UDL 12 septets: "How are you?"`,
		[]string{"smsc=+31624000000", "flags=0000", "oa=+31641600986", "scts=2002-08-26T19:37:41-00:00", `text="How are you?"`}},
	{"submit-hellohello", "SMS-SUBMIT example of turbocontrol.com \"SMS messages and the PDU format\"", `
		00                        // no SMSC: the modem's
		11 00                     // SMS-SUBMIT, TP-VPF relative; TP-MR 0
		0B 91 6407281553F8        // TP-DA +46708251358
		00 00 AA                  // TP-PID, TP-DCS, TP-VP 0xAA: 4 days
		0A E8329BFD4697D9EC37     // 10 septets: "hellohello"`,
		[]string{"smsc=", "da=+46708251358", "vp=rel:170:96h0m0s", `text="hellohello"`}},
	{"deliver-subscriber-number", "SMS-DELIVER example of the LoriotPro SMS Manager documentation (R01-SMS_PDU)", `
		07 91 7283010010F5        // SMSC +27381000015
		04 0B C8 7238880900F1     // TP-OA: Type-of-Address C8 (subscriber number, national plan) 27838890001
		00 00 99309251619580      // TP-SCTS 99-03-29 15:16:59 +8 quarters
		0A E8329BFD4697D9EC37     // "hellohello"`,
		[]string{"smsc=+27381000015", "oa=27838890001", "oa_type=c8", "scts=1999-03-29T15:16:59+02:00", `text="hellohello"`}},
	{"submit-national-vp-max", "SMS-SUBMIT decoding walk-through of accessvba.blogsky.com (decode SMS-SUBMIT)", `
		08 91 683108200805F0      // SMSC +8613800280500
		11 51 04 81 8116          // TP-MR 0x51, TP-DA 1861 (unknown type)
		00 00 FF                  // TP-VP 0xFF: 63 weeks
		16 C8329BFD66B5F320B8BC4CA7E741F7B79C4D0E01 // 22 septets`,
		[]string{"smsc=+8613800280500", "mr=81", "da=1861", "da_type=81", "vp=rel:255:10584h0m0s", `text="Hello,my pretty world!"`}},
	{"submit-class1", "SMS-SUBMIT with TP-DCS 0x11 (GSM 7-bit, class 1), accessvba.blogsky.com", `
		07 91 448720006260        // SMSC +447802002606
		11 00 0C 91 447700091032  // TP-DA +447700900123
		00 11 00                  // TP-DCS 0x11, TP-VP 0: 5 minutes
		21 54747A0E4ACF416190BD2CCF83E6E9369C5D06B5CBF379F85C06E95A29 // 33 septets`,
		[]string{"da=+447700900123", "dcs=11", "vp=rel:0:5m0s", `text="This is a very simple message :-)"`}},
	{"submit-ucs2-hello", "UCS-2 SMS-SUBMIT of the Neoway N11 AT command manual", `
		00 01 00 0B 81 3124819396F3 // TP-DA 13421839693, no TP-VP
		00 08                       // TP-DCS UCS-2
		0A 00680065006C006C006F     // 10 octets: "hello"`,
		[]string{"da=13421839693", "vp=none", "dcs=8", `text="hello"`}},
	{"submit-ucs2-international", "lua-pdu tests/decoding.lua", `
		00 11 00 0A 91 6021436587   // TP-DA +0612345678 (10 digits, no end mark)
		00 08 AA
		1C 00640061007400610066006100740061007800610073006400610073`,
		[]string{"da=+0612345678", `text="datafataxasdas"`}},
	{"submit-8bit-class2", "9cbs.com \"SMS PDU mode, data format and length calculation\": 8-bit data", `
		07 91 947101670000          // SMSC +491710760000
		11 00 07 81 214365F7        // TP-DA 1234567
		00 F6 AA                    // TP-DCS 0xF6: 8-bit data, class 2
		05 68656C6C6F               // 5 octets`,
		[]string{"smsc=+491710760000", "da=1234567", "dcs=f6", "body=68656c6c6f"}},
	{"submit-pid-telematic", "visualstudiomagazine.com 2004_09 Table 2 \"Send a Message in PDU Format\"", `
		06 91 5669489599            // SMSC +6596845999
		11 E5 0A 91 5669290456      // TP-MR 0xE5, TP-DA +6596924065
		20 00 AD                    // TP-PID 0x20 (telematic interworking), TP-VP 0xAD: 7 days
		0C C939E8FA7693CB72739D0D`,
		[]string{"mr=229", "da=+6596924065", "pid=32", "vp=rel:173:168h0m0s", `text="Is Wonderful"`}},
	{"deliver-concat-fill", "gammu tests/pdu-decode (a Lorem ipsum segment, part 1 of 8)", `
		07 91 8497900000F6          // SMSC +48790900006
		40 0B 91 8406290000F4       // SMS-DELIVER with TP-UDHI, TP-MMS 0; TP-OA +48609200004
		00 00 02219221351140        // TP-SCTS 20-12-29 12:53:11 +4 quarters
		A0                          // 160 septets, 7 of them the header and 1 fill bit
		05 00 03 63 08 01           // UDHL 5: concatenation, 8-bit reference 0x63, 8 parts, part 1
		40CCB7BCDC06A5E1F37A1B447EB3DF72D03C4D0785DB653A0B347EBBE7E531BD4CAFCB4161721A9E9E8FD3EE33A8CC4ED35D206899CD2EBBE9E579BC5E06D9D3F47019E42EC7EB6550F95C9ED3C37316C81CAE8FD3E2FA1C5496BFE7A0B49B054A87C775767A0E4AC3E7F5B60B34ADCFE16537393D9F9741E4F4D99D9ECFD36D10FC2DA7D3D3`,
		[]string{"smsc=+48790900006", "oa=+48609200004", "flags=1000", "udh=0003630801", "concat=99/8/1", "septets=153",
			`text=" Lorem ipsum dolor sit amet, consectetur adipiscing elit. Pellentesque vitae neque egestas, faucibus eros in, iaculis ipsum. Suspendisse dignissim portti"`}},
	{"status-report", "amro.blogspot.com \"receiving an SMS status report message\" (+CDS, without SMSC; 00 added)", `
		00
		06 00                       // SMS-STATUS-REPORT, TP-MMS 1; TP-MR 0
		0B 91 0221815716F2          // TP-RA +20121875612
		70902151012180              // TP-SCTS 07-09-12 15:10:12 +8 quarters
		70902151017180              // TP-DT   07-09-12 15:10:17 +8 quarters
		00                          // TP-ST 0: delivered`,
		[]string{"ra=+20121875612", "scts=2007-09-12T15:10:12+02:00", "dt=2007-09-12T15:10:17+02:00", "st=0", "flags=0000"}},

	// Constructed by this package's authors from the layouts of 23.040
	// (no public capture at hand); the comments give the derivation.
	{"deliver-alphanumeric-oa", "constructed: 9.1.2.5 alphanumeric TP-OA, \"hello\" packed as in the hellohello vectors", `
		00 04
		09 D0 E8329BFD06            // 9 useful semi-octets (5 septets = 35 bits), TON 101: "hello"
		00 00 21012131000000        // 12-10-12 13:00:00 +0
		02 C834                     // "Hi"`,
		[]string{"oa=hello", "oa_type=d0", `text="Hi"`, "scts=2012-10-12T13:00:00+00:00"}},
	{"deliver-lwm2m-ports16-concat16", "constructed: 9.2.3.24.4 16-bit ports 5684->5683 (CoAP) and 9.2.3.24.8 16-bit concatenation, 8-bit data", `
		00 44                       // SMS-DELIVER, TP-UDHI, no more messages
		0B 91 5155214365F7          // +15551234567
		00 04 52107021430088        // TP-DCS 8-bit; 25-01-07 12:34:00, zone 88: sign bit 8, 0 tens, 8 units: -8 quarters
		11                          // TP-UDL 17 octets
		0C                          // UDHL 12
		05 04 1634 1633             // ports: dst 5684, src 5683
		08 04 1234 03 02            // concatenation: reference 0x1234, 3 parts, part 2
		40 01 00 01                 // a CoAP header: CON GET, message id 1`,
		[]string{"oa=+15551234567", "scts=2025-01-07T12:34:00-02:00", "udh=050416341633080412340302", "concat=4660/3/2", "ports=5684/5683", "body=40010001"}},
	{"submit-ucs2-surrogates-ports8", "constructed: UCS-2 with a surrogate pair (U+1F600) and 9.2.3.24.3 8-bit ports", `
		00 41 07                    // SMS-SUBMIT, TP-UDHI, no TP-VP; TP-MR 7
		04 81 2143                  // TP-DA 1234
		00 08
		09                          // 9 octets
		04 04 02 10 20              // UDHL 4: 8-bit ports dst 16, src 32
		D83DDE00                    // U+1F600`,
		[]string{"da=1234", "ports=16/32", `text="😀"`}},
	{"submit-gsm7-extension-absolute-vp", "constructed: 23.038 6.2.1.1 extension table (escape 1B) and an absolute TP-VP (9.2.3.12.2)", `
		00 19 00                    // SMS-SUBMIT, TP-VPF 11 absolute
		00 81                       // empty TP-DA
		00 00 52300121000061        // TP-VP 25-03-10 12:00:00, zone 61: +16 quarters
		04 9BF28602                 // 4 septets 1B 65 1B 14: "€^" (escape, 65: €; escape, 14: ^)`,
		[]string{"vp=abs:2025-03-10T12:00:00+04:00", `text="€^"`}},
	{"submit-enhanced-vp", "constructed: enhanced TP-VP (9.2.3.12.3), format 011 hh mm ss, 01:30:00", `
		00 09 00 00 81 00 04
		03 10 03 00 00 00 00        // functionality 03; 01:30:00 as semi-octets 10 03 00
		00`,
		[]string{"vp=enh:03100300000000:1h30m0s:true", "body=", "dcs=4"}},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			b := codectest.Unhex(t, v.hex)
			line, out, err := describe(b)
			if err != nil {
				t.Fatalf("%s: %v", v.source, err)
			}
			t.Log(line)
			fields := " " + line + " "
			for _, w := range v.want {
				if !strings.Contains(fields, " "+w+" ") {
					t.Errorf("missing %s in\n%s", w, line)
				}
			}
			if !bytes.Equal(out, b) {
				t.Errorf("re-encoded\n %x\nwant\n %x", out, b)
			}
		})
	}
}
