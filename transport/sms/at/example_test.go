package at_test

import (
	"context"
	"fmt"
	"net"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/at/atsim"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// A driver on one end of a pipe and a simulated modem on the other: send
// an SMS-SUBMIT, then receive the SMS-DELIVER the network brings in.
func Example() {
	ctx := context.Background()
	sim := atsim.New(atsim.Config{
		Submit: func(from tpdu.Address, submit []byte) (byte, error) {
			var s tpdu.Submit
			s.Decode(submit)
			fmt.Printf("network: to %v, % X\n", s.Destination, s.Body)
			return 42, nil
		},
	})
	dce, dte := net.Pipe()
	go sim.Serve(ctx, dce)

	m, err := at.Open(ctx, dte, at.Config{})
	if err != nil {
		panic(err)
	}
	defer m.Close()

	to, _ := tpdu.ParseAddress("+15557654321")
	sub := tpdu.Submit{Destination: to, DCS: tpdu.DCS8Bit, UserData: tpdu.UserData{Body: []byte{0x40, 0x01, 0x00, 0x01}}}
	b, _ := sub.AppendBinary(nil)
	mr, err := m.Send(ctx, b)
	fmt.Println("sent, mr", mr, err)

	from, _ := tpdu.ParseAddress("+15557654321")
	d := tpdu.Deliver{Originator: from, DCS: tpdu.DCS8Bit, UserData: tpdu.UserData{Body: []byte{0x60, 0x45, 0x00, 0x01}}}
	b, _ = d.AppendBinary(nil)
	sim.Deliver(b) // the modem shows +CMT; the driver acknowledges it with AT+CNMA

	in, err := m.Receive(ctx)
	if err != nil {
		panic(err)
	}
	var got tpdu.Deliver
	if err := in.Deliver(&got); err != nil { // got aliases in
		panic(err)
	}
	fmt.Printf("received from %v: % X\n", got.Originator, got.Body)
	// Output:
	// network: to +15557654321, 40 01 00 01
	// sent, mr 42 <nil>
	// received from +15557654321: 60 45 00 01
}

// Parse a line from the modem, and format it back.
func ExampleLine_Parse() {
	var l at.Line
	for _, s := range []string{`+CMTI: "SM",3`, "+CMS ERROR: 331", `+CMT: "",24`} {
		if err := l.Parse([]byte(s)); err != nil {
			panic(err)
		}
		fmt.Printf("%-10v index %d code %d length %d: %s\n", l.Kind, l.Index, l.Code, l.Length, l.AppendText(nil))
	}
	err := l.Parse([]byte("+CMGS: x"))
	fmt.Println(err)
	// Output:
	// +CMTI      index 3 code 0 length 0: +CMTI: "SM",3
	// +CMS ERROR index 0 code 331 length 0: +CMS ERROR: 331
	// +CMT       index 0 code 0 length 24: +CMT: ,24
	// at: parse +CMGS <mr> at offset 7: not a number [3GPP TS 27.005 3.5.1]
}
