package smpp_test

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/smpp/smppsim"
)

// Decode a submit_sm that carries one segment of a CoAP message (esm_class
// UDHI, data_coding 0x04), change its destination and encode it again.
func Example() {
	pdu, _ := hex.DecodeString("00000042000000040000000000000002" +
		"00" + "0101313233343500" + "0101313535353132333435363700" + // service_type, source, destination
		"400000" + "0000" + "01000400" + "11" + // esm_class .. sm_length
		"0c080401020301050416341634" + "40013039") // UDH (concat 1/3, ports 5684), user data
	var sm smpp.SubmitSM
	if _, err := sm.Decode(pdu); err != nil {
		panic(err)
	}
	fmt.Printf("seq %d to %s, UDHI %v, data_coding %#02x\n", sm.Seq, sm.DestinationAddr, sm.ESMClass.UDHI(), sm.DataCoding)
	ud := sm.UserData() // aliases pdu
	fmt.Printf("UDH % x, data % x\n", ud[1:1+ud[0]], ud[1+ud[0]:])

	// The fields alias pdu: copy before reusing it.
	var kept smpp.SubmitSM
	buf := sm.CopyTo(&kept, nil)
	clear(pdu)
	_ = buf

	kept.DestinationAddr = []byte("15559876543")
	out, err := kept.AppendBinary(nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(out), kept.Len())
	// Output:
	// seq 2 to 15551234567, UDHI true, data_coding 0x04
	// UDH 08 04 01 02 03 01 05 04 16 34 16 34, data 40 01 30 39
	// 66 66
}

// A client binds to the simulated SMSC, submits a binary SMS, and receives
// one that the network delivers.
func ExampleClient() {
	ctx := context.Background()
	smsc := smppsim.New(smppsim.Config{
		Accounts: map[string]string{"lwm2m": "secret"},
		Submit: func(systemID string, sm *smpp.SubmitSM) (string, smpp.Status) {
			fmt.Printf("SMSC: %s sends %d octets to %s\n", systemID, len(sm.ShortMessage), sm.DestinationAddr)
			return "42", smpp.StatusOK
		},
	})
	if err := smsc.ListenAndServe(ctx, "127.0.0.1:0"); err != nil {
		panic(err)
	}
	defer smsc.Close()

	c, err := smpp.Dial(ctx, smsc.Addr().String(), smpp.Config{SystemID: "lwm2m", Password: "secret"})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	id, err := c.Submit(ctx, smpp.SubmitSM{
		DestAddrTON: smpp.TONInternational, DestAddrNPI: smpp.NPIISDN, DestinationAddr: []byte("15551234567"),
		DataCoding: smpp.CodingBinary, ShortMessage: []byte{0x40, 0x01, 0x30, 0x39},
	})
	fmt.Println("message_id", id, err)

	err = smsc.Deliver(ctx, "lwm2m", smpp.DeliverSM{
		SourceAddr: []byte("15551234567"), DestinationAddr: []byte("12345"),
		DataCoding: smpp.CodingBinary, ShortMessage: []byte{0x60, 0x45, 0x30, 0x39},
	})
	fmt.Println("delivered:", err)
	dm, err := c.Receive(ctx)
	fmt.Printf("from %s: % x %v\n", dm.SourceAddr, dm.ShortMessage, err)
	fmt.Println("unbind:", c.Close())
	// Output:
	// SMSC: lwm2m sends 4 octets to 15551234567
	// message_id 42 <nil>
	// delivered: <nil>
	// from 15551234567: 60 45 30 39 <nil>
	// unbind: <nil>
}
