package tpdu_test

import (
	"encoding/hex"
	"fmt"

	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// A modem in PDU mode shows the SMSC address, then the TPDU. Decode it,
// read the text, and write a reply.
func Example() {
	pdu, _ := hex.DecodeString("07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07")
	smsc, b, err := tpdu.DecodeModemPDU(pdu)
	if err != nil {
		panic(err)
	}
	var d tpdu.Deliver
	if _, err := d.Decode(b); err != nil {
		panic(err)
	}
	text, _ := d.AppendText(nil, d.DCS)
	fmt.Println(smsc.String(), d.Originator.String(), string(d.SCTS.AppendText(nil)))
	fmt.Printf("%q\n", text)

	reply := tpdu.Submit{Destination: d.Originator, VP: tpdu.ValidityPeriod{Format: tpdu.VPRelative, Relative: 167}}
	buf, _ := reply.SetText(nil, tpdu.DCSGSM7, "Fine, thanks")
	_ = buf // reply.Body aliases buf
	out, _ := reply.AppendBinary(tpdu.AppendSMSC(nil, &tpdu.Address{}))
	fmt.Printf("%X\n", out)
	// Output:
	// +31624000000 +31641600986 2002-08-26T19:37:41-00:00
	// "How are you?"
	// 0011000B911346610089F60000A70CC6B4BBCC02D1D161F77A0E
}

// The LwM2M SMS binding sends CoAP in 8-bit data with port addressing,
// and splits what does not fit into concatenated segments.
func ExampleUserData_Concat() {
	var s tpdu.Submit
	s.Destination, _ = tpdu.ParseAddress("+15551234567")
	s.DCS = tpdu.DCS8Bit
	h := tpdu.AppendPorts(nil, tpdu.Ports{Dst: 5684, Src: 5683, Wide: true})
	s.Header = tpdu.AppendConcat(h, tpdu.Concat{Ref: 0x1234, Total: 3, Seq: 2, Wide: true})
	s.Body = []byte{0x40, 0x01, 0x00, 0x01}
	b, _ := s.AppendBinary(nil)
	fmt.Printf("%X (%d octets)\n", b, s.Len())

	var back tpdu.Submit
	if _, err := back.Decode(b); err != nil {
		panic(err)
	}
	c, _ := back.Concat()
	p, _ := back.Ports()
	fmt.Println(c.Ref, c.Seq, "of", c.Total, p.Dst, p.Src)
	for it := back.IEs(); it.Next(); {
		fmt.Printf("IE %02X % X\n", it.IE().ID, it.IE().Data)
	}
	// Decoded user data aliases b: copy it to keep it.
	var kept tpdu.Submit
	_ = back.CopyTo(&kept, nil)
	// Output:
	// 41000B915155214365F70004110C05041634163308041234030240010001 (30 octets)
	// 4660 2 of 3 5684 5683
	// IE 05 16 34 16 33
	// IE 08 12 34 03 02
}
