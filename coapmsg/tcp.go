package coapmsg

import "github.com/iotwire/iotwire/internal/wire"

// The reliable-transport formats of RFC 8323: CoAP over TCP and TLS
// (section 3.2) and CoAP over WebSockets (section 4.2). Both drop the
// Version, Type and Message ID of the UDP header: the transport provides
// reliability and deduplication. The TCP frame starts with a Len nibble
// that counts the options and payload, encoded like an option length
// (RFC 7252 section 3.1); the WebSocket message has Len 0, because the
// WebSocket frame carries the length.
//
//	TCP:  Len|TKL  [Extended Length: 0, 1, 2 or 4 bytes]  Code  Token  Options  [0xFF Payload]
//	WS:   0|TKL                                          Code  Token  Options  [0xFF Payload]

// maxTCPBody is the largest options-and-payload length the TCP Len field
// can express: a 32-bit Extended Length plus 65805 (RFC 8323 section 3.2).
const maxTCPBody = 1<<32 - 1 + 65805

const maxInt = int(^uint(0) >> 1)

// tcpExtLen is the size of the Extended Length field for each Len nibble.
var tcpExtLen = [16]int8{13: 1, 14: 2, 15: 4}

// PeekTCP reads the header of the TCP frame at the start of b (RFC 8323
// section 3.2): the Len and TKL nibbles, the Extended Length and the Code.
// hdrLen is the header's size, 2 to 6, so that the token starts at
// b[hdrLen]; total is the size of the whole frame, which may be more than
// len(b). PeekTCP reads no further than the header, so it serves to frame a
// stream: short input gives an error wrapping [ErrTruncated] (read more and
// call again).
//
// A token length of 9 to 15 gives an error wrapping [ErrMalformed]: it is
// reserved (RFC 7252 section 3, unchanged by RFC 8323 section 3.2), and a
// frame that uses it cannot be delimited safely. A frame too large for an
// int (only possible where int has 32 bits) gives an error wrapping
// [ErrLimit]. DecodeTCP checks the rest.
func PeekTCP(b []byte) (hdrLen, total int, err error) {
	if len(b) == 0 {
		return 0, 0, decErr("header", 0, ErrTruncated, "RFC 8323 3.2", "input ends in the frame header")
	}
	l, tkl := int(b[0]>>4), int(b[0]&0x0f)
	hdrLen = 2 + int(tcpExtLen[l])
	if len(b) < hdrLen {
		return 0, 0, decErr("header", len(b), ErrTruncated, "RFC 8323 3.2", "input ends in the frame header")
	}
	if tkl > MaxTokenLength {
		return 0, 0, decErr("token length", 0, ErrMalformed, "RFC 7252 3", "token length 9 to 15 is reserved")
	}
	var body uint64
	switch l {
	case 13:
		body = uint64(b[1]) + 13
	case 14:
		body = uint64(wire.Uint16(b[1:])) + 269
	case 15:
		body = uint64(wire.Uint32(b[1:])) + 65805
	default:
		body = uint64(l)
	}
	if t := uint64(hdrLen+tkl) + body; t > uint64(maxInt) {
		return 0, 0, decErr("length", 1, ErrLimit, "RFC 8323 3.2", "frame larger than the largest int")
	}
	return hdrLen, hdrLen + tkl + int(body), nil
}

// DecodeTCP decodes the TCP frame at the start of b (CoAP over TCP and TLS,
// RFC 8323 section 3.2) and returns its length n; bytes after the frame
// are left alone, so a stream buffer can hold several frames. It resets m
// first. Type and MessageID stay zero: the format has none. Token, option
// values and Payload alias b[:n].
//
// Input shorter than the frame gives an error wrapping [ErrTruncated] and
// n = 0: read more and call again (or use a [Reader]). A frame that
// breaks the message format, such as an option that runs past the frame's
// length or a reserved code class (1 or 6), gives an error wrapping
// [ErrMalformed]; over a reliable transport the receiver answers it with a
// 7.05 Abort (RFC 8323 section 5.6). Signaling codes (class 7) are allowed.
// Once the frame is whole and its header valid, every error comes with n
// set to the frame length; errors from PeekTCP and ErrTruncated come with
// n = 0.
//
// As with Decode, an option that breaks its registry entry gives an error
// wrapping [ErrBadOption] after m has been filled completely, with n set.
// A signaling message (class 7) is also held to RFC 8323 section 5.2: an
// option the registry does not know for its code is ignored when elective
// and gives an error wrapping [ErrAbort] when critical; in a 7.01 CSM an
// option that breaks its entry also gives ErrAbort (section 5.3: an
// invalid CSM aborts the connection). These errors, too, come with m
// filled completely and n set; ErrAbort takes precedence over ErrBadOption.
//
// A message with code 0.00 (Empty) is decoded like any other, with
// whatever token, options and payload it carries: over reliable transports
// Empty messages may always be sent and the recipient ignores them (a
// keep-alive, RFC 8323 section 3.4).
func (m *Message) DecodeTCP(b []byte) (n int, err error) {
	m.Reset()
	hdrLen, total, err := PeekTCP(b)
	if err != nil {
		return 0, err
	}
	if len(b) < total {
		return 0, decErr("frame", len(b), ErrTruncated, "RFC 8323 3.2", "input ends before the frame length")
	}
	return total, m.decodeReliable(b[:total], hdrLen)
}

// DecodeWS decodes the CoAP over WebSockets message that is the whole of b,
// the payload of one binary WebSocket message (RFC 8323 section 4.2), and
// returns len(b). It resets m first. The Len nibble must be 0; everything
// else is as in DecodeTCP, except that a short message is a format error
// ([ErrMalformed]), not a truncation.
func (m *Message) DecodeWS(b []byte) (n int, err error) {
	m.Reset()
	if len(b) < 2 {
		return 0, decErr("header", len(b), ErrMalformed, "RFC 8323 4.2", "message shorter than the 2-byte header")
	}
	if b[0]>>4 != 0 {
		return 0, decErr("length", 0, ErrMalformed, "RFC 8323 4.2", "Len is not 0 in a WebSocket message")
	}
	if b[0]&0x0f > MaxTokenLength {
		return 0, decErr("token length", 0, ErrMalformed, "RFC 7252 3", "token length 9 to 15 is reserved")
	}
	if 2+int(b[0]&0x0f) > len(b) {
		return 0, decErr("token", len(b), ErrMalformed, "RFC 8323 4.2", "token past the end of the message")
	}
	return len(b), m.decodeReliable(b, 2)
}

// decodeReliable decodes the code at b[hdrLen-1], the token and the rest of
// b, which ends where the message ends.
func (m *Message) decodeReliable(b []byte, hdrLen int) error {
	tkl := int(b[0] & 0x0f)
	m.Code = Code(b[hdrLen-1])
	if err := checkCodeClass(m.Code, true, hdrLen-1); err != nil {
		return err
	}
	i := hdrLen + tkl
	m.Token = b[hdrLen:i:i]
	err := m.decodeOptions(b, i, m.Options, ErrMalformed)
	if !m.Code.IsSignaling() {
		return err
	}
	bad, _ := err.(*Error)
	if err != nil && (bad == nil || bad.Err != ErrBadOption) {
		return err // the message is incomplete
	}
	return m.checkSignaling(i, bad)
}

// checkSignaling applies RFC 8323 sections 5.2 and 5.3 to the options of a
// decoded signaling message that start at offset at. bad is the first
// ErrBadOption error of the decode, or nil.
func (m *Message) checkSignaling(at int, bad *Error) error {
	if bad != nil && m.Code == CSM {
		// RFC 8323 5.3 (and 3.3): an invalid CSM is a connection error;
		// 5.6: Bad-CSM-Option reports an option with a parameter problem.
		bad.Err = ErrAbort
	}
	prev := 0
	for k := range m.Options {
		if bad != nil && bad.Err == ErrAbort && at >= bad.Offset {
			break // an earlier option already aborts
		}
		o := &m.Options[k]
		if o.Number.Critical() {
			if _, ok := LookupOption(m.Code, o.Number); !ok {
				return &Error{Field: "option", Offset: at, Option: o.Number, Rule: "RFC 8323 5.2",
					Msg: "critical signaling option not understood", Err: ErrAbort}
			}
		}
		d, l := int(o.Number)-prev, len(o.Value)
		prev = int(o.Number)
		at += 1 + extLen(d) + extLen(l) + l
	}
	if bad == nil {
		return nil
	}
	return bad
}

// tcpHeaderLen returns the size of the TCP frame header (Len/TKL byte,
// Extended Length, Code) for options and payload of body bytes.
func tcpHeaderLen(body int) int {
	switch {
	case body < 13:
		return 2
	case body < 269:
		return 3
	case body < 65805:
		return 4
	}
	return 6
}

// LenTCP returns the size of m in the TCP format, Extended Length included.
func (m *Message) LenTCP() int {
	body := m.bodyLen()
	return tcpHeaderLen(body) + len(m.Token) + body
}

// LenWS returns the size of m in the WebSocket format.
func (m *Message) LenWS() int { return 2 + len(m.Token) + m.bodyLen() }

// AppendTCP appends m as a TCP frame (RFC 8323 section 3.2) with the
// shortest Len encoding, which is the only one its ranges allow. Type and
// MessageID are not encoded. It checks the rules DecodeTCP checks, except
// that it lets through signaling options the registry does not know (an
// extension the peer may understand), and on error returns b unchanged.
func (m *Message) AppendTCP(b []byte) ([]byte, error) {
	body, err := m.checkBody(true)
	if err != nil {
		return b, err
	}
	if uint64(body) > maxTCPBody {
		return b, encErr("length", ErrLimit, "RFC 8323 3.2", "options and payload longer than 4295033100 bytes")
	}
	return m.appendTCP(b, body), nil
}

// appendTCP appends the frame without checks; body is m.bodyLen().
func (m *Message) appendTCP(b []byte, body int) []byte {
	tkl := byte(len(m.Token))
	switch {
	case body < 13:
		b = append(b, byte(body)<<4|tkl)
	case body < 269:
		b = append(b, 13<<4|tkl, byte(body-13))
	case body < 65805:
		b = wire.AppendUint16(append(b, 14<<4|tkl), uint16(body-269))
	default:
		b = wire.AppendUint32(append(b, 15<<4|tkl), uint32(body-65805))
	}
	b = append(b, byte(m.Code))
	b = append(b, m.Token...)
	return m.appendBody(b)
}

// AppendWS appends m in the WebSocket format (RFC 8323 section 4.2), to be
// sent as one binary WebSocket message. It checks what AppendTCP checks
// and on error returns b unchanged.
func (m *Message) AppendWS(b []byte) ([]byte, error) {
	if err := m.check(true); err != nil {
		return b, err
	}
	return m.appendWS(b), nil
}

func (m *Message) appendWS(b []byte) []byte {
	b = append(b, byte(len(m.Token)), byte(m.Code))
	b = append(b, m.Token...)
	return m.appendBody(b)
}
