package coapmsg_test

import (
	"encoding/hex"
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
)

// Read the OSCORE option of the protected request of RFC 8613 Appendix C.6.
// The fields alias the message buffer.
func ExampleDecodeOSCORE() {
	wire, _ := hex.DecodeString("44022f8eef9bbf7a396c6f63616c686f73746b19140837cbf3210017a2d3ff72cd7273fd331ac45cffbe55c3")
	var m coapmsg.Message
	if _, err := m.Decode(wire); err != nil {
		panic(err)
	}
	o, ok, err := m.OSCORE()
	if err != nil || !ok {
		panic(err) // 4.02 Bad Option: "Failed to decode COSE" (RFC 8613 section 8.2)
	}
	seq, _ := o.SequenceNumber()
	fmt.Printf("sequence %d, kid %x (present %v), kid context %x\n", seq, o.KID, o.HasKID, o.KIDContext)
	// Output:
	// sequence 20, kid  (present true), kid context 37cbf3210017a2d3
}

// Build the OSCORE option of a request from the sender's sequence number
// and Sender ID (RFC 8613 Appendix C.5).
func ExampleAppendOSCORE() {
	piv, err := coapmsg.AppendPartialIV(nil, 20)
	if err != nil {
		panic(err)
	}
	o := coapmsg.OSCOREOption{PartialIV: piv, KID: []byte{0x00}, HasKID: true}
	v, err := coapmsg.AppendOSCORE(nil, o)
	fmt.Printf("%x %v\n", v, err)

	// A response that reuses the request's nonce has an empty option.
	v, err = coapmsg.AppendOSCORE(nil, coapmsg.OSCOREOption{})
	fmt.Printf("%d bytes %v\n", len(v), err)

	// Reserved flag bits are rejected.
	_, err = coapmsg.DecodeOSCORE([]byte{0x89, 0x14})
	fmt.Println(err)
	// Output:
	// 091400 <nil>
	// 0 bytes <nil>
	// coapmsg: option 9 at offset 0: OSCORE reserved flag bits set [RFC 8613 6.1]
}
