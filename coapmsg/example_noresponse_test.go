package coapmsg_test

import (
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
)

// A client that only wants to hear about errors sets No-Response to 2
// (RFC 7967 section 2.1); the server checks before it answers.
func ExampleMessage_ResponseSuppressed() {
	var req coapmsg.Message
	req.Type, req.Code = coapmsg.NonConfirmable, coapmsg.PUT
	req.SetNoResponse(coapmsg.NoResponse2xx)
	for _, c := range []coapmsg.Code{coapmsg.Changed, coapmsg.NotFound, coapmsg.InternalServerError} {
		fmt.Println(c, "suppressed:", req.ResponseSuppressed(c))
	}
	// Output:
	// 2.04 Changed suppressed: true
	// 4.04 Not Found suppressed: false
	// 5.00 Internal Server Error suppressed: false
}
