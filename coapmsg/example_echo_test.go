package coapmsg_test

import (
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
)

// A server asks for a fresh request with an Echo option (RFC 9175 section
// 2.2), and the client repeats the value in its retry.
func ExampleMessage_Echo() {
	var challenge coapmsg.Message
	challenge.Type, challenge.Code = coapmsg.Acknowledgement, coapmsg.Unauthorized
	if err := challenge.SetEcho([]byte{0x01, 0x02, 0x03, 0x04}); err != nil {
		panic(err)
	}

	var retry coapmsg.Message
	retry.Code = coapmsg.PUT
	if v, ok := challenge.Echo(); ok {
		_ = retry.SetEcho(v)
	}
	wire, _ := retry.AppendBinary(nil)
	fmt.Printf("%x\n", wire)
	fmt.Println(retry.SetEcho(nil))
	// Output:
	// 40030000d4ef01020304
	// coapmsg: encode option 252: Echo value not 1 to 40 bytes [RFC 9175 2.2.1]
}
