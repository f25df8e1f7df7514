package mqttpkt

// Packet is implemented by the pointer of every packet type: *Connect,
// *Connack, *Publish, *Ack, *Subscribe, *Suback, *Unsubscribe, *Unsuback,
// *Pingreq, *Pingresp, *Disconnect and *Auth. AppendBinary satisfies
// encoding.BinaryAppender.
type Packet interface {
	PacketType() PacketType
	Len() int
	AppendBinary(b []byte) ([]byte, error)
}

// Compile-time checks that every packet implements Packet.
var (
	_ Packet = (*Connect)(nil)
	_ Packet = (*Connack)(nil)
	_ Packet = (*Publish)(nil)
	_ Packet = (*Ack)(nil)
	_ Packet = (*Subscribe)(nil)
	_ Packet = (*Suback)(nil)
	_ Packet = (*Unsubscribe)(nil)
	_ Packet = (*Unsuback)(nil)
	_ Packet = (*Pingreq)(nil)
	_ Packet = (*Pingresp)(nil)
	_ Packet = (*Disconnect)(nil)
	_ Packet = (*Auth)(nil)
)

// Decode decodes the packet at the start of b, of any type, sent with
// protocol version v (a CONNECT uses its own protocol level), and returns it
// with its length. It allocates the packet: to decode without allocating,
// call PeekHeader and then the Decode method of a packet value you reuse.
func Decode(b []byte, v Version) (Packet, int, error) {
	h, _, _, err := PeekHeader(b)
	if err != nil {
		return nil, 0, err
	}
	var n int
	switch h.Type {
	case TypeConnect:
		p := new(Connect)
		n, err = p.Decode(b)
		return p, n, err
	case TypeConnack:
		p := new(Connack)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypePublish:
		p := new(Publish)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypePuback, TypePubrec, TypePubrel, TypePubcomp:
		p := new(Ack)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypeSubscribe:
		p := new(Subscribe)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypeSuback:
		p := new(Suback)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypeUnsubscribe:
		p := new(Unsubscribe)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypeUnsuback:
		p := new(Unsuback)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypePingreq:
		p := new(Pingreq)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypePingresp:
		p := new(Pingresp)
		n, err = p.Decode(b, v)
		return p, n, err
	case TypeDisconnect:
		p := new(Disconnect)
		n, err = p.Decode(b, v)
		return p, n, err
	default: // TypeAuth; PeekHeader rejected type 0
		p := new(Auth)
		n, err = p.Decode(b, v)
		return p, n, err
	}
}
