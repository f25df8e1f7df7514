package coapmsg_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/iotwire/iotwire/coapmsg"
)

// Frame a request for CoAP over TCP, decode it and modify it. The decoded
// message aliases the frame; CopyTo makes a copy that outlives it.
func ExampleMessage_DecodeTCP() {
	var req coapmsg.Message
	req.Code = coapmsg.GET
	req.Token = []byte{0xab}
	req.SetPath([]byte("/temperature"))
	frame, err := req.AppendTCP(nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", frame)

	var m coapmsg.Message
	n, err := m.DecodeTCP(frame)
	if err != nil {
		panic(err)
	}
	fmt.Println(n, m.Code, string(m.AppendPath(nil)))

	var kept coapmsg.Message
	store := m.CopyTo(&kept, nil)
	clear(frame) // the frame buffer is reused...
	fmt.Println(string(kept.AppendPath(nil)), len(store))

	kept.SetPath([]byte("/humidity")) // ...the copy is not affected
	out, _ := kept.AppendWS(nil)      // the same message over WebSockets
	fmt.Printf("% x\n", out)
	// Output:
	// c1 01 ab bb 74 65 6d 70 65 72 61 74 75 72 65
	// 15 0.01 GET /temperature
	// /temperature 12
	// 01 01 ab b8 68 75 6d 69 64 69 74 79
}

// A Reader frames messages off a stream: here a CSM, a Ping and a request,
// as a peer sends them first on a connection (RFC 8323 section 3.3).
func ExampleReader() {
	var stream, frame []byte
	var m coapmsg.Message
	m.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 4096, HasMaxMessageSize: true, BlockWiseTransfer: true})
	frame, _ = m.AppendTCP(frame[:0])
	stream = append(stream, frame...)
	m.SetPing(coapmsg.PingOptions{})
	m.Token = []byte{0x42}
	frame, _ = m.AppendTCP(frame[:0])
	stream = append(stream, frame...)
	m.Reset()
	m.Code, m.Token = coapmsg.GET, []byte{1}
	m.SetPath([]byte("/3/0"))
	frame, _ = m.AppendTCP(frame[:0])
	stream = append(stream, frame...)

	r := coapmsg.NewReader(bytes.NewReader(stream), 8192)
	peer := coapmsg.BaseCapabilities()
	var in, out coapmsg.Message
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			panic(err) // send an Abort and close the connection
		}
		if _, err := in.DecodeTCP(p); err != nil {
			panic(err)
		}
		switch in.Code {
		case coapmsg.CSM:
			o, _ := in.CSMOptions()
			peer.Apply(o)
			fmt.Printf("CSM: peer takes %d bytes, BERT %v\n", peer.MaxMessageSize, peer.BERT())
		case coapmsg.Ping:
			o, _ := in.PingOptions()
			out.SetPong(o)
			out.Token = in.Token
			frame, _ = out.AppendTCP(frame[:0])
			fmt.Printf("Ping: answer % x\n", frame)
		case coapmsg.Empty:
			// a keep-alive: ignored (RFC 8323 section 3.4)
		default:
			fmt.Println(in.Code, string(in.AppendPath(nil)))
		}
	}
	// Output:
	// CSM: peer takes 4096 bytes, BERT true
	// Ping: answer 01 e3 42
	// 0.01 GET /3/0
}

// A CSM with a critical option the receiver does not know is answered with
// an Abort that names the option (RFC 8323 sections 5.2 and 5.6).
func ExampleErrAbort() {
	frame := []byte{0x21, 0xe1, 0x07, 0x91, 0x01} // 7.01 CSM, token 07, option 9 = 0x01
	var m coapmsg.Message
	_, err := m.DecodeTCP(frame)
	fmt.Println(err)

	var e *coapmsg.Error
	if errors.As(err, &e) && errors.Is(err, coapmsg.ErrAbort) {
		var abort coapmsg.Message
		abort.SetAbort(coapmsg.AbortOptions{BadCSMOption: e.Option, HasBadCSMOption: true})
		abort.Payload = []byte("unknown critical option")
		out, _ := abort.AppendTCP(nil)
		fmt.Printf("% x | %s\n", out[:6], out[6:])
	}
	// Output:
	// coapmsg: option 9 at offset 3: critical signaling option not understood [RFC 8323 5.2]
	// d0 0d e5 21 09 ff | unknown critical option
}

// Capabilities follow the peer's CSMs, which are cumulative.
func ExampleCapabilities() {
	c := coapmsg.BaseCapabilities()
	fmt.Println(c.MaxMessageSize, c.BlockWiseTransfer)
	c.Apply(coapmsg.CSMOptions{BlockWiseTransfer: true})
	c.Apply(coapmsg.CSMOptions{MaxMessageSize: 65536, HasMaxMessageSize: true})
	fmt.Println(c.MaxMessageSize, c.BlockWiseTransfer, c.BERT())
	// Output:
	// 1152 false
	// 65536 true true
}
