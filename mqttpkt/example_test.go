package mqttpkt_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/iotwire/iotwire/mqttpkt"
)

// Decode a PUBLISH, change it, and encode it again.
func ExamplePublish() {
	wire, _ := hex.DecodeString("3210000373656e00070323000568656c6c6f")
	var p mqttpkt.Publish
	n, err := p.Decode(wire, mqttpkt.V5)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d bytes: topic %s, QoS %d, id %d, alias %d, payload %q\n",
		n, p.Topic, p.QoS, p.PacketID, p.Props.TopicAlias, p.Payload)

	p.Retain = true
	p.Props.User.Add("unit", "C")
	out, err := p.AppendBinary(nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", out)
	// Output:
	// 18 bytes: topic sen, QoS 1, id 7, alias 5, payload "hello"
	// 331a000373656e00070d230005260004756e697400014368656c6c6f
}

// Topic, Payload and property values alias the decoded buffer. CopyTo keeps
// them when the buffer is about to be reused.
func ExamplePublish_CopyTo() {
	buf := []byte{0x30, 0x06, 0x00, 0x01, 'a', 'h', 'i', '!'}
	var p, kept mqttpkt.Publish
	if _, err := p.Decode(buf, mqttpkt.V311); err != nil {
		panic(err)
	}
	storage := p.CopyTo(&kept, nil)
	copy(buf, make([]byte, len(buf))) // the read buffer is reused
	fmt.Printf("aliased %q, kept %q (%d bytes stored)\n", p.Payload, kept.Payload, len(storage))
	// Output: aliased "\x00\x00\x00", kept "hi!" (4 bytes stored)
}

// Errors say which rule broke and where; errors.Is gives the class.
func ExampleError() {
	_, err := new(mqttpkt.Publish).Decode([]byte{0x30, 0x05, 0x00, 0x03, 'a', '/', '#'}, mqttpkt.V311)
	fmt.Println(err)
	fmt.Println(errors.Is(err, mqttpkt.ErrMalformed))
	var e *mqttpkt.Error
	if errors.As(err, &e) {
		fmt.Printf("offset %d, rule %s, reason code 0x%02X %s\n", e.Offset, e.Rule, byte(e.ReasonCode()), e.ReasonCode())
	}
	// Output:
	// mqttpkt: PUBLISH topic name at offset 6: wildcard character in topic name [MQTT-3.3.2-2]
	// true
	// offset 6, rule MQTT-3.3.2-2, reason code 0x81 Malformed Packet
}

// A Reader frames packets from a stream; each is decoded into a value that
// is reused.
func ExampleReader() {
	var stream []byte
	stream, _ = (&mqttpkt.Pingreq{}).AppendBinary(stream)
	stream, _ = (&mqttpkt.Publish{Version: mqttpkt.V311, Topic: []byte("a/b"), Payload: []byte("1")}).AppendBinary(stream)

	r := mqttpkt.NewReader(bytes.NewReader(stream), 64*1024)
	var pub mqttpkt.Publish
	for {
		h, pkt, err := r.Next()
		if err != nil {
			break // io.EOF at the end of the stream
		}
		switch h.Type {
		case mqttpkt.TypePublish:
			if _, err := pub.Decode(pkt, mqttpkt.V311); err == nil {
				fmt.Printf("PUBLISH %s %s\n", pub.Topic, pub.Payload)
			}
		default:
			fmt.Println(h.Type)
		}
	}
	// Output:
	// PINGREQ
	// PUBLISH a/b 1
}

// Iterate over MQTT 5.0 User Properties in wire order without allocating.
func ExampleUserProperties() {
	var d mqttpkt.Disconnect
	d.Version = mqttpkt.V5
	d.Props.User.Add("a", "1")
	d.Props.User.Add("b", "2")
	wire, _ := d.AppendBinary(nil)

	var got mqttpkt.Disconnect
	if _, err := got.Decode(wire, mqttpkt.V5); err != nil {
		panic(err)
	}
	for it := got.Props.User.Iter(); it.Next(); {
		k, v := it.Pair()
		fmt.Printf("%s=%s\n", k, v)
	}
	// Output:
	// a=1
	// b=2
}

// Match topic names against filters, including shared subscriptions.
func ExampleMatchTopic() {
	group, filter, ok, err := mqttpkt.ParseShared([]byte("$share/g1/sensors/+/temp"))
	fmt.Println(string(group), string(filter), ok, err)
	fmt.Println(mqttpkt.MatchTopic(filter, []byte("sensors/kitchen/temp")))
	fmt.Println(mqttpkt.MatchTopic([]byte("#"), []byte("$SYS/uptime")))
	fmt.Println(mqttpkt.MatchTopic([]byte("sport/#"), []byte("sport")))
	// Output:
	// g1 sensors/+/temp true <nil>
	// true
	// false
	// true
}
