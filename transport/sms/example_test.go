package sms_test

import (
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/smstest"
)

// A CoAP request over SMS between a server and a device on the simulated
// network: 300 bytes of payload need 3 concatenated short messages.
func Example() {
	network := smstest.New(smstest.Config{})
	serverLink, _ := network.Link("+15550001111")
	deviceLink, _ := network.Link("+15551234567")
	server, _ := sms.NewConn(serverLink, sms.Config{Local: "+15550001111"})
	device, _ := sms.NewConn(deviceLink, sms.Config{Local: "+15551234567"})
	defer server.Close()
	defer device.Close()

	req := coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.PUT, MessageID: 1, Token: []byte{0xa1}}
	req.SetPath([]byte("/3/0/14"))
	req.Payload = make([]byte, 300)
	b, _ := req.AppendBinary(nil)
	server.WriteTo(b, &sms.Addr{Number: "+15551234567"})

	buf := make([]byte, device.MaxDatagramSize())
	n, from, err := device.ReadFrom(buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	var got coapmsg.Message
	got.Decode(buf[:n])
	fmt.Println(from, got.Code, len(got.Payload), "bytes in", network.Stats().Delivered, "short messages")
	// Output: +15550001111 0.03 PUT 300 bytes in 3 short messages
}
