package coapmsg_test

import (
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
)

// Decode the Block option values that RFC 7959 section 3 uses to explain
// its notation, and one BERT value that only a reliable transport accepts.
func ExampleDecodeBlock() {
	for _, v := range [][]byte{{33}, {59}, {0x3f}} {
		blk, err := coapmsg.DecodeBlock(v, false)
		if err != nil {
			fmt.Println(err)
			blk, _ = coapmsg.DecodeBlock(v, true) // over TCP, after both peers announced BERT
		}
		fmt.Printf("%d: %v, offset %d, value %x\n", v[0], blk, blk.Offset(), coapmsg.AppendBlock(nil, blk))
	}
	// Output:
	// 33: 2/0/32, offset 64, value 21
	// 59: 3/1/128, offset 384, value 3b
	// coapmsg: option at offset 0: block size exponent 7 is reserved outside BERT [RFC 7959 2.2]
	// 63: 3/1/BERT, offset 3072, value 3f
}

// A server answers a block-wise GET one block at a time (RFC 7959 Figure 2):
// it reads the Block2 option of the request, cuts the body and sets Block2
// and Size2 on the response.
func ExampleMessage_SetBlock2() {
	body := make([]byte, 300)
	var req coapmsg.Message
	req.Code = coapmsg.GET
	req.SetPath([]byte("status"))
	if err := req.SetBlock2(coapmsg.Block{Num: 2, SZX: 3}); err != nil { // 2:2/0/128
		panic(err)
	}

	want, ok, err := req.Block2(false)
	if err != nil {
		panic(err) // 4.00 Bad Request (SZX 7) or 4.02 Bad Option
	}
	if !ok {
		want = coapmsg.Block{SZX: 6} // no preference: 1024-byte blocks
	}
	start := min(want.Offset(), len(body))
	end := min(start+want.Size(), len(body))

	var resp coapmsg.Message
	resp.Type, resp.Code = coapmsg.Acknowledgement, coapmsg.Content
	resp.Payload = body[start:end]
	resp.SetBlock2(coapmsg.Block{Num: want.Num, More: end < len(body), SZX: want.SZX})
	resp.SetSize2(uint32(len(body)))
	wire, err := resp.AppendBinary(nil)
	if err != nil {
		panic(err)
	}
	got, _, _ := resp.Block2(false)
	fmt.Printf("block %v: bytes %d to %d, header and options %x\n", got, start, end, wire[:len(wire)-len(resp.Payload)])
	// Output:
	// block 2/0/128: bytes 256 to 300, header and options 60450000d10a2352012cff
}
