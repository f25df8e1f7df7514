package coapmsg

import (
	"errors"

	"github.com/iotwire/iotwire/internal/wire"
)

// MaxInlineOptions is how many options a Message holds in its own storage.
// Decoding a message with more options fails with ErrLimit unless Options
// has a larger capacity supplied by the caller before Decode:
//
//	m.Options = make([]coapmsg.Option, 0, 64)
const MaxInlineOptions = 16

// MaxTokenLength is the longest token, 8 bytes (RFC 7252 section 3).
const MaxTokenLength = 8

// maxOptionLen is the longest option value the encoding can express: the
// 2-byte extended length plus 269 (RFC 7252 section 3.1).
const maxOptionLen = 0xffff + 269

// Message is a CoAP message: header fields, token, options in number order,
// and payload (RFC 7252 section 3). The same value serves the UDP format of
// RFC 7252 (Decode, AppendBinary) and the reliable-transport formats of RFC
// 8323 (see DecodeTCP and AppendTCP), which have no Type or MessageID.
//
// Token, option values and Payload alias the buffer passed to Decode; they
// are valid until that buffer is reused. Options may also point into the
// Message's own storage: copy a Message with CopyTo, not by assignment.
type Message struct {
	Type      Type
	Code      Code
	MessageID uint16
	Token     []byte
	Options   []Option // sorted by number; equal numbers keep their order
	Payload   []byte

	optBuf  [MaxInlineOptions]Option
	scratch [32]byte // values built by SetUint
	nScr    int
}

// Reset empties m, keeping its option storage. It does not clear the
// storage itself: entries past len(Options) are never read.
func (m *Message) Reset() {
	opts := m.Options[:0]
	if cap(opts) <= MaxInlineOptions {
		opts = m.optBuf[:0]
	}
	m.Type, m.Code, m.MessageID = 0, 0, 0
	m.Token, m.Payload, m.Options = nil, nil, opts
	m.nScr = 0
}

// Decode decodes the UDP-format message that is the whole of b (one
// datagram, RFC 7252 section 3) and returns len(b). It resets m first.
//
// A message format error wraps ErrMalformed; a version other than 1 wraps
// ErrUnsupported. An option that breaks its registry entry gives an error
// wrapping ErrBadOption after m has been filled completely, so that a server
// can still answer it (4.02 Bad Option for a critical option).
func (m *Message) Decode(b []byte) (n int, err error) {
	if len(b) < 4 {
		m.Reset()
		return 0, decErr("header", len(b), ErrMalformed, "RFC 7252 3", "datagram shorter than the 4-byte header")
	}
	b0, code := b[0], Code(b[1])
	tkl := int(b0 & 0x0f)
	// One test for the common case: version 1, a token that fits, a code
	// class a datagram may carry and not the Empty code; decodeHeaderSlow
	// names the rule that broke, or handles an Empty message.
	if b0>>6 != 1 || tkl > MaxTokenLength || len(b) < 4+tkl || udpBadClass>>(code>>5)&1 != 0 || code == Empty {
		m.Reset()
		return m.decodeHeaderSlow(b)
	}
	opts := m.Options[:0]
	if cap(opts) <= MaxInlineOptions {
		opts = m.optBuf[:0]
	}
	m.Type, m.Code, m.MessageID = Type(b0>>4&3), code, uint16(b[2])<<8|uint16(b[3])
	m.Token, m.nScr = b[4:4+tkl:4+tkl], 0
	err = m.decodeOptions(b, 4+tkl, opts, ErrMalformed)
	if err != nil && !errors.Is(err, ErrBadOption) {
		m.Reset() // nothing half-decoded stays behind
		return 0, err
	}
	return len(b), err
}

// udpBadClass has bit k set for the code classes k a datagram may not
// carry: 1 and 6 are reserved (RFC 7252 section 12.1), 7 is signaling,
// which only reliable transports have (RFC 8323 section 5).
const udpBadClass = 1<<1 | 1<<6 | 1<<7

// decodeHeaderSlow finds which header rule b breaks, after Decode's fast
// test failed, or decodes an Empty message; m has been reset.
func (m *Message) decodeHeaderSlow(b []byte) (int, error) {
	if v := b[0] >> 6; v != 1 {
		return 0, decErr("version", 0, ErrUnsupported, "RFC 7252 3", "version is not 1")
	}
	tkl := int(b[0] & 0x0f)
	if tkl > MaxTokenLength {
		return 0, decErr("token length", 0, ErrMalformed, "RFC 7252 3", "token length 9 to 15 is reserved")
	}
	code := Code(b[1])
	if err := checkCodeClass(code, false, 1); err != nil {
		return 0, err
	}
	if code == Empty && (tkl != 0 || len(b) > 4) {
		return 0, decErr("empty message", 4, ErrMalformed, "RFC 7252 4.1", "an Empty message has no token, options or payload")
	}
	if len(b) < 4+tkl {
		return 0, decErr("token", len(b), ErrMalformed, "RFC 7252 3", "token past the end of the datagram")
	}
	// An Empty message (RFC 7252 section 4.1): the 4-byte header only.
	m.Type, m.Code, m.MessageID = Type(b[0]>>4&3), code, uint16(b[2])<<8|uint16(b[3])
	m.Token = b[4:4:4]
	return len(b), nil
}

// checkCodeClass rejects the reserved code classes: 1 and 6, and 7 outside
// reliable transports (RFC 7252 section 12.1, RFC 8323 section 5).
func checkCodeClass(c Code, reliable bool, at int) error {
	switch c.Class() {
	case 1, 6:
		return decErr("code", at, ErrMalformed, "RFC 7252 12.1", "reserved code class")
	case 7:
		if !reliable {
			return decErr("code", at, ErrMalformed, "RFC 8323 5", "signaling code outside a reliable transport")
		}
	}
	return nil
}

// decodeOptions reads the options and payload in b[i:]. short is the class
// of a field that runs past the end: ErrMalformed for a datagram or a frame
// whose length is known.
func (m *Message) decodeOptions(b []byte, i int, opts []Option, short error) error {
	opts = opts[:cap(opts)]
	var payload []byte
	j, num, prev := 0, 0, -1
	fast := !m.Code.IsSignaling()
	var bad error
	for i < len(b) {
		at := i
		c := b[i]
		i++
		if c == 0xff {
			if i == len(b) {
				// RFC 7252 3: a marker followed by a zero-length payload is a format error.
				return decErr("payload marker", at, ErrMalformed, "RFC 7252 3", "payload marker with no payload")
			}
			payload = b[i:len(b):len(b)]
			break
		}
		delta, length := int(c>>4), int(c&0x0f)
		if delta >= 13 || length >= 13 {
			var err error
			if delta, i, err = extended(b, i, delta, at, "option delta", short); err != nil {
				return err
			}
			if length, i, err = extended(b, i, length, at, "option length", short); err != nil {
				return err
			}
		}
		num += delta
		if num > 0xffff {
			return decErr("option delta", at, ErrMalformed, "RFC 7252 3.1", "option number past 65535")
		}
		if length > len(b)-i {
			return decErr("option value", i, short, "RFC 7252 3.1", "option value past the end of the message")
		}
		if j == len(opts) {
			return &Error{Field: "options", Offset: at, Option: OptionNumber(num), Rule: "coapmsg MaxInlineOptions",
				Msg: "more options than the Options capacity", Err: ErrLimit}
		}
		o := &opts[j]
		j++
		o.Number, o.Value = OptionNumber(num), b[i:i+length:i+length]
		i += length
		if bad == nil {
			if fast && num < 64 {
				// The common case, checked inline; checkDecoded builds the error.
				if f := &fastDefs[num]; f.known && (length < int(f.min) || length > int(f.max) ||
					num == prev && !f.rept || f.str && !shortASCII(o.Value) && !validUTF8(o.Value)) {
					bad = checkDecoded(m.Code, o, num == prev, at)
				}
			} else {
				bad = checkDecoded(m.Code, o, num == prev, at)
			}
		}
		prev = num
	}
	m.Options, m.Payload = opts[:j], payload
	return bad
}

// extended resolves an option delta or length nibble v with its extended
// bytes at b[i:] (RFC 7252 section 3.1).
func extended(b []byte, i, v, at int, field string, short error) (int, int, error) {
	switch v {
	case 13:
		if i >= len(b) {
			return 0, 0, decErr(field, i, short, "RFC 7252 3.1", "extended field past the end of the message")
		}
		return int(b[i]) + 13, i + 1, nil
	case 14:
		if i+2 > len(b) {
			return 0, 0, decErr(field, i, short, "RFC 7252 3.1", "extended field past the end of the message")
		}
		return int(wire.Uint16(b[i:])) + 269, i + 2, nil
	case 15:
		// Nibble 15 is reserved except in the payload marker 0xFF.
		return 0, 0, decErr(field, at, ErrMalformed, "RFC 7252 3.1", "reserved value 15")
	}
	return v, i, nil
}

// checkDecoded applies the registry to a decoded option; repeated says the
// previous option had the same number.
func checkDecoded(c Code, o *Option, repeated bool, at int) error {
	d, ok := LookupOption(c, o.Number)
	if !ok {
		return nil
	}
	if msg, rule := d.check(o.Value); msg != "" {
		return &Error{Field: "option", Offset: at, Option: o.Number, Rule: rule, Msg: msg, Err: ErrBadOption}
	}
	if repeated && !d.Repeatable {
		// RFC 7252 5.4.5: a repeated non-repeatable option is treated as unrecognized.
		return &Error{Field: "option", Offset: at, Option: o.Number, Rule: "RFC 7252 5.4.5", Msg: "option is not repeatable", Err: ErrBadOption}
	}
	return nil
}

// UnrecognizedCritical returns the first critical option that the registry
// does not know for m's code: a server answers such a request with 4.02
// Bad Option, a client rejects such a response (RFC 7252 section 5.4.1).
func (m *Message) UnrecognizedCritical() (OptionNumber, bool) {
	for i := range m.Options {
		if n := m.Options[i].Number; n.Critical() {
			if _, ok := LookupOption(m.Code, n); !ok {
				return n, true
			}
		}
	}
	return 0, false
}

// optionsLen returns the encoded size of the options.
func optionsLen(opts []Option) int {
	n, prev := 0, 0
	for i := range opts {
		d := int(opts[i].Number) - prev
		prev = int(opts[i].Number)
		l := len(opts[i].Value)
		n += 1 + extLen(d) + extLen(l) + l
	}
	return n
}

func extLen(v int) int {
	switch {
	case v < 13:
		return 0
	case v < 269:
		return 1
	}
	return 2
}

// bodyLen returns the size of options, payload marker and payload.
func (m *Message) bodyLen() int {
	n := optionsLen(m.Options)
	if len(m.Payload) > 0 {
		n += 1 + len(m.Payload)
	}
	return n
}

// Len returns the size of m in the UDP format.
func (m *Message) Len() int { return 4 + len(m.Token) + m.bodyLen() }

// check validates m for encoding; reliable selects the RFC 8323 rules.
func (m *Message) check(reliable bool) error {
	_, err := m.checkBody(reliable)
	return err
}

// checkBody validates m for encoding, as check does, and returns the
// encoded size of its options, payload marker and payload (bodyLen), both
// found in one pass over the options.
func (m *Message) checkBody(reliable bool) (int, error) {
	if err := m.checkHeader(reliable); err != nil {
		return 0, err
	}
	n, prev := 0, 0
	fast := !m.Code.IsSignaling()
	for i := range m.Options {
		o := &m.Options[i]
		num, l := int(o.Number), len(o.Value)
		if f := &fastDefs[num&63]; !fast || num < prev || num >= 64 || l > int(f.max) || l < int(f.min) ||
			num == prev && i > 0 && !f.rept || f.str && !shortASCII(o.Value) && !validUTF8(o.Value) {
			if err := m.checkOption(i); err != nil {
				return 0, err
			}
		}
		n += 1 + extLen(num-prev) + extLen(l) + l
		prev = num
	}
	if len(m.Payload) > 0 {
		n += 1 + len(m.Payload)
	}
	return n, nil
}

// checkHeader applies check's rules on the type, token and code.
func (m *Message) checkHeader(reliable bool) error {
	if !reliable && m.Type > Reset {
		return encErr("type", ErrMalformed, "RFC 7252 3", "type above 3")
	}
	if len(m.Token) > MaxTokenLength {
		return encErr("token", ErrMalformed, "RFC 7252 3", "token longer than 8 bytes")
	}
	switch m.Code.Class() {
	case 1, 6:
		return encErr("code", ErrMalformed, "RFC 7252 12.1", "reserved code class")
	case 7:
		if !reliable {
			return encErr("code", ErrMalformed, "RFC 8323 5", "signaling code outside a reliable transport")
		}
	}
	if m.Code == Empty && !reliable && (len(m.Token) > 0 || len(m.Options) > 0 || len(m.Payload) > 0) {
		return encErr("empty message", ErrMalformed, "RFC 7252 4.1", "an Empty message has no token, options or payload")
	}
	return nil
}

// checkOption applies check's rules to option i: number order, the
// encodable length and the registry.
func (m *Message) checkOption(i int) error {
	o := &m.Options[i]
	if i > 0 && o.Number < m.Options[i-1].Number {
		return &Error{Field: "option", Offset: -1, Option: o.Number, Rule: "RFC 7252 3.1", Msg: "options not in number order (call SortOptions)", Err: ErrMalformed}
	}
	if len(o.Value) > maxOptionLen {
		return &Error{Field: "option", Offset: -1, Option: o.Number, Rule: "RFC 7252 3.1", Msg: "value longer than 65804 bytes", Err: ErrLimit}
	}
	repeated := i > 0 && m.Options[i-1].Number == o.Number
	if o.Number < 64 && !m.Code.IsSignaling() {
		if f := &fastDefs[o.Number]; !f.known || (len(o.Value) >= int(f.min) && len(o.Value) <= int(f.max) &&
			!(repeated && !f.rept) && !(f.str && !validUTF8(o.Value))) {
			return nil
		}
	}
	return checkDecoded(m.Code, o, repeated, -1)
}

// AppendBinary appends m in the UDP format of RFC 7252 section 3. It checks
// the rules Decode checks and on error returns b unchanged.
func (m *Message) AppendBinary(b []byte) ([]byte, error) {
	// One test for the common header; checkHeader names the rule that
	// broke, or lets an Empty message through.
	if m.Type > Reset || len(m.Token) > MaxTokenLength || udpBadClass>>(m.Code>>5)&1 != 0 || m.Code == Empty {
		if err := m.checkHeader(false); err != nil {
			return b, err
		}
	}
	out := append(b, 0x40|byte(m.Type)<<4|byte(len(m.Token)), byte(m.Code), byte(m.MessageID>>8), byte(m.MessageID))
	out = append(out, m.Token...)
	// Options are checked as they are written, in one pass.
	prev := 0
	for i := range m.Options {
		o := &m.Options[i]
		num, l := int(o.Number), len(o.Value)
		if f := &fastDefs[num&63]; num < prev || num >= 64 || l > int(f.max) || l < int(f.min) ||
			num == prev && i > 0 && !f.rept || f.str && !shortASCII(o.Value) && !validUTF8(o.Value) {
			// Not the common case: the full rules (a datagram has no
			// signaling code, so fastDefs applies below 64).
			if err := m.checkOption(i); err != nil {
				return b, err
			}
		}
		d := num - prev
		prev = num
		if d < 13 && l < 13 {
			out = append(out, byte(d<<4|l))
		} else {
			out = append(out, nibble(d)<<4|nibble(l))
			out = appendExt(appendExt(out, d), l)
		}
		out = append(out, o.Value...)
	}
	if len(m.Payload) > 0 {
		out = append(out, 0xff)
		out = append(out, m.Payload...)
	}
	return out, nil
}

// appendBody appends the options, the payload marker and the payload.
func (m *Message) appendBody(b []byte) []byte {
	prev := 0
	for i := range m.Options {
		o := &m.Options[i]
		d := int(o.Number) - prev
		prev = int(o.Number)
		l := len(o.Value)
		b = append(b, nibble(d)<<4|nibble(l))
		b = appendExt(appendExt(b, d), l)
		b = append(b, o.Value...)
	}
	if len(m.Payload) > 0 {
		b = append(b, 0xff)
		b = append(b, m.Payload...)
	}
	return b
}

func nibble(v int) byte {
	switch {
	case v < 13:
		return byte(v)
	case v < 269:
		return 13
	}
	return 14
}

func appendExt(b []byte, v int) []byte {
	switch {
	case v < 13:
		return b
	case v < 269:
		return append(b, byte(v-13))
	}
	return wire.AppendUint16(b, uint16(v-269))
}

// CopyTo makes dst a copy of m that shares no memory with m or its decode
// buffer: it appends m's token, option values and payload to buf, points dst
// at them and returns buf. dst's options live in dst's own storage (or a
// heap slice past MaxInlineOptions).
func (m *Message) CopyTo(dst *Message, buf []byte) []byte {
	opts := dst.Options[:0]
	if cap(opts) < len(m.Options) {
		opts = dst.optBuf[:0]
		if len(m.Options) > MaxInlineOptions {
			opts = make([]Option, 0, len(m.Options))
		}
	}
	*dst = Message{Type: m.Type, Code: m.Code, MessageID: m.MessageID}
	buf, dst.Token = copyBytes(buf, m.Token)
	for _, o := range m.Options {
		var v []byte
		buf, v = copyBytes(buf, o.Value)
		opts = append(opts, Option{Number: o.Number, Value: v})
	}
	dst.Options = opts
	buf, dst.Payload = copyBytes(buf, m.Payload)
	return buf
}

func copyBytes(buf, s []byte) ([]byte, []byte) {
	if s == nil {
		return buf, nil
	}
	n := len(buf)
	buf = append(buf, s...)
	return buf, buf[n:len(buf):len(buf)]
}
