package coapmsg_test

import (
	"errors"
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
)

// Build an LwM2M Read request, encode it, decode it and walk its path.
func ExampleMessage() {
	var req coapmsg.Message
	req.Type, req.Code, req.MessageID = coapmsg.Confirmable, coapmsg.GET, 0x2a
	req.Token = []byte{0xde, 0xad, 0xbe, 0xef}
	req.SetPath([]byte("/3/0/1"))
	req.SetUint(coapmsg.Accept, uint64(coapmsg.AppLwM2MTLV))
	wire, err := req.AppendBinary(nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", wire)

	var m coapmsg.Message
	if _, err := m.Decode(wire); err != nil {
		panic(err)
	}
	fmt.Println(m.Type, m.Code, string(m.AppendPath(nil)))
	for it := m.Values(coapmsg.URIPath); it.Next(); {
		fmt.Printf("segment %q\n", it.Value())
	}
	accept, _ := m.Uint(coapmsg.Accept)
	fmt.Println(coapmsg.MediaType(accept))
	// Output:
	// 4401002adeadbeefb13301300131622d16
	// CON 0.01 GET /3/0/1
	// segment "3"
	// segment "0"
	// segment "1"
	// application/vnd.oma.lwm2m+tlv
}

// A bad option still yields the whole message, so a server can answer 4.02.
func ExampleError() {
	wire := []byte{0x44, 0x01, 0x00, 0x09, 1, 2, 3, 4, 0xc3, 0, 0, 1} // Content-Format of 3 bytes
	var m coapmsg.Message
	_, err := m.Decode(wire)
	fmt.Println(err)
	var e *coapmsg.Error
	if errors.As(err, &e) && errors.Is(err, coapmsg.ErrBadOption) {
		fmt.Printf("option %v critical=%v, message id %d still decoded\n", e.Option, e.Option.Critical(), m.MessageID)
	}
	// Output:
	// coapmsg: option 12 at offset 8: value length outside the option's range [RFC 7252 5.10.3]
	// option Content-Format critical=false, message id 9 still decoded
}
