package coapmsg_test

import (
	"fmt"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
)

// A client keeps the freshest notification: RFC 7641 section 3.4 orders
// them by the 24-bit Observe value, and by arrival after 128 seconds.
func ExampleObserveNewer() {
	start := time.Now()
	fresh, at := uint32(16), start
	for _, n := range []struct {
		seq   uint32
		after time.Duration
	}{
		{9, time.Second},            // reordered: older than 16
		{25, 2 * time.Second},       // newer
		{0xfffffe, 3 * time.Second}, // far behind: older
		{3, 200 * time.Second},      // more than 128 s later: newer
	} {
		t := start.Add(n.after)
		if coapmsg.ObserveNewer(fresh, at, n.seq, t) {
			fresh, at = n.seq, t
			fmt.Println("keep", n.seq)
		} else {
			fmt.Println("drop", n.seq)
		}
	}
	// Output:
	// drop 9
	// keep 25
	// drop 16777214
	// keep 3
}

// Register for notifications with Observe 0 (RFC 7641 section 2).
func ExampleMessage_SetObserve() {
	var req coapmsg.Message
	req.Type, req.Code, req.MessageID = coapmsg.Confirmable, coapmsg.GET, 0x1633
	req.Token = []byte{0x4a}
	req.SetObserve(coapmsg.ObserveRegister)
	req.SetPath([]byte("temperature"))
	wire, _ := req.AppendBinary(nil)
	fmt.Printf("%x\n", wire)
	v, ok := req.Observe()
	fmt.Println(v == coapmsg.ObserveRegister, ok)
	// Output:
	// 410116334a605b74656d7065726174757265
	// true true
}
