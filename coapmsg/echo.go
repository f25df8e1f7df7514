package coapmsg

// MaxEchoLength is the longest Echo option value, 40 bytes (RFC 9175
// section 2.2.1). The shortest is 1 byte.
const MaxEchoLength = 40

// MaxRequestTagLength is the longest Request-Tag option value, 8 bytes
// (RFC 9175 section 3.2.1). An empty Request-Tag is valid and differs from
// an absent one.
const MaxRequestTagLength = 8

// Echo returns the Echo option of m (RFC 9175 section 2.2): in a response,
// the freshness challenge the client is to repeat; in a request, the value
// repeated. The value aliases m's option. ok is false when it is absent.
func (m *Message) Echo() (v []byte, ok bool) { return m.Option(Echo) }

// SetEcho replaces the Echo options of m by one holding v, which is not
// copied. It returns an error wrapping ErrBadOption, and leaves m unchanged,
// unless v has 1 to 40 bytes (RFC 9175 section 2.2.1).
func (m *Message) SetEcho(v []byte) error {
	if len(v) < 1 || len(v) > MaxEchoLength {
		return &Error{Field: "option", Offset: -1, Option: Echo, Rule: "RFC 9175 2.2.1", Msg: "Echo value not 1 to 40 bytes", Err: ErrBadOption}
	}
	m.SetOption(Echo, v)
	return nil
}

// RequestTag returns the first Request-Tag option of m (RFC 9175 section
// 3.2); the option is repeatable, so use m.Values(RequestTag) to see all of
// them. The value aliases m's option; ok is false when it is absent.
func (m *Message) RequestTag() (v []byte, ok bool) { return m.Option(RequestTag) }

// SetRequestTag replaces the Request-Tag options of m by one holding v,
// which is not copied; an empty v is a valid tag. It returns an error
// wrapping ErrBadOption, and leaves m unchanged, if v is longer than 8 bytes
// (RFC 9175 section 3.2.1).
func (m *Message) SetRequestTag(v []byte) error {
	if len(v) > MaxRequestTagLength {
		return &Error{Field: "option", Offset: -1, Option: RequestTag, Rule: "RFC 9175 3.2.1", Msg: "Request-Tag value longer than 8 bytes", Err: ErrBadOption}
	}
	m.SetOption(RequestTag, v)
	return nil
}
