package coapmsg

// The bits of the No-Response option value (RFC 7967 section 2.1). Bit
// class-1 stands for the response class: a value of 0 means interest in
// every response, NoResponseAll in none.
const (
	NoResponse2xx uint8 = 2  // not interested in 2.xx success responses
	NoResponse4xx uint8 = 8  // not interested in 4.xx client errors
	NoResponse5xx uint8 = 16 // not interested in 5.xx server errors

	NoResponseAll = NoResponse2xx | NoResponse4xx | NoResponse5xx // 26
)

// NoResponseSuppresses reports whether a No-Response value v asks the
// server not to send a response with code c (RFC 7967 section 2.1): the bit
// 2^(class-1) is set for c's class 2, 4 or 5. Other codes are never
// suppressed.
func NoResponseSuppresses(v uint8, c Code) bool {
	switch k := c.Class(); k {
	case 2, 4, 5:
		return v&(1<<(k-1)) != 0
	}
	return false
}

// NoResponse returns the No-Response option of request m (RFC 7967 section
// 2). ok is false when the option is absent or longer than its 1 byte.
func (m *Message) NoResponse() (v uint8, ok bool) {
	b, ok := m.Option(NoResponse)
	if !ok || len(b) > 1 {
		return 0, false
	}
	if len(b) == 0 {
		return 0, true
	}
	return b[0], true
}

// SetNoResponse replaces the No-Response options of m by one holding v,
// such as NoResponse2xx|NoResponse5xx. The value lives in the Message's own
// storage (see SetUint); 0 is the empty value.
func (m *Message) SetNoResponse(v uint8) { m.SetUint(NoResponse, uint64(v)) }

// ResponseSuppressed reports whether request m asks the server not to send a
// response with code c (RFC 7967 section 2.1). It is false when m has no
// No-Response option or one longer than 1 byte (an elective option with a
// bad length is ignored, RFC 7252 section 5.4.3). The server may still
// respond; suppression is a permission, not a duty (RFC 7967 section 2).
func (m *Message) ResponseSuppressed(c Code) bool {
	v, ok := m.NoResponse()
	return ok && NoResponseSuppresses(v, c)
}
