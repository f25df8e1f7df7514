package coapmsg_test

import (
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
)

// The first proxy on the path inserts Hop-Limit 16; each later one
// decrements it, and answers 5.08 Hop Limit Reached instead of forwarding
// when the value would reach 0 (RFC 8768 section 3).
func ExampleMessage_HopLimit() {
	forward := func(req *coapmsg.Message) coapmsg.Code {
		v, ok, err := req.HopLimit()
		switch {
		case err != nil:
			return coapmsg.BadRequest // Hop-Limit 0 or a bad length
		case !ok:
			_ = req.SetHopLimit(coapmsg.DefaultHopLimit)
		case v == 1:
			return coapmsg.HopLimitReached
		default:
			_ = req.SetHopLimit(v - 1)
		}
		return coapmsg.Empty // forwarded
	}
	var req coapmsg.Message
	req.Code = coapmsg.GET
	for hop := 1; hop <= 20; hop++ {
		if c := forward(&req); c != coapmsg.Empty {
			fmt.Println("proxy", hop, "answers", c)
			break
		}
	}
	v, _, _ := req.HopLimit()
	fmt.Println("last Hop-Limit", v)
	// Output:
	// proxy 17 answers 5.08 Hop Limit Reached
	// last Hop-Limit 1
}
