package segment_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/iotwire/iotwire/transport/sms/segment"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// A CoAP message of 300 octets becomes three SMS-DELIVER TPDUs with a 16-bit
// reference and the LwM2M ports; the receiver gets them out of order, one
// twice, and delivers the message once.
func Example() {
	coap := bytes.Repeat([]byte{0x42}, 300)
	s, err := segment.Split(coap, segment.Options{
		Ref:      0x0102,
		Ports:    tpdu.Ports{Dst: 5684, Src: 5684, Wide: true},
		HasPorts: true,
	})
	if err != nil {
		panic(err)
	}
	var pdus [][]byte
	hdr := make([]byte, 0, 16) // the parts' headers go here
	for {
		ud, b, ok := s.Next(hdr[:0])
		if !ok {
			break
		}
		hdr = b
		d := tpdu.Deliver{DCS: tpdu.DCS8Bit, UserData: ud}
		pdu, err := d.AppendBinary(nil) // copies header and body
		if err != nil {
			panic(err)
		}
		c, _ := ud.Concat()
		fmt.Printf("part %d/%d: %d octets of TP-UD\n", c.Seq, c.Total, 1+len(ud.Header)+len(ud.Body))
		pdus = append(pdus, pdu)
	}

	var r segment.Reassembler // default Limits
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var d tpdu.Deliver
	for _, i := range []int{2, 0, 2, 1} {
		if _, err := d.Decode(pdus[i]); err != nil {
			panic(err)
		}
		m, ok, err := r.AddDeliver(now, &d)
		if err != nil {
			panic(err)
		}
		if ok {
			// m.Payload belongs to r until its next call: copy to keep.
			kept := append([]byte(nil), m.Payload...)
			fmt.Println("delivered", len(kept), "octets to port", m.Ports.Dst, bytes.Equal(kept, coap))
		}
	}
	fmt.Printf("%+v\n", r.Stats())
	// Output:
	// part 1/3: 140 octets of TP-UD
	// part 2/3: 140 octets of TP-UD
	// part 3/3: 59 octets of TP-UD
	// delivered 300 octets to port 5684 true
	// {Delivered:1 Duplicates:1 Expired:0 Evicted:0 Rejected:0}
}
