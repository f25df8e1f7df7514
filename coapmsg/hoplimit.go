package coapmsg

// DefaultHopLimit is the initial Hop-Limit that the first proxy on a path
// inserts into a request that has none; later proxies decrement it (RFC
// 8768 section 3).
const DefaultHopLimit = 16

// HopLimit returns the Hop-Limit option of request m (RFC 8768 section 3):
// a one-byte unsigned integer from 1 to 255. ok is false when the option is
// absent. A value of another length, or 0, gives an error wrapping
// ErrBadOption with its Offset within the value; the request is answered
// with 4.00 Bad Request.
func (m *Message) HopLimit() (v uint8, ok bool, err error) {
	b, ok := m.Option(HopLimit)
	switch {
	case !ok:
		return 0, false, nil
	case len(b) != 1:
		return 0, true, &Error{Field: "option", Offset: 0, Option: HopLimit, Rule: "RFC 8768 3", Msg: "Hop-Limit value not 1 byte", Err: ErrBadOption}
	case b[0] == 0:
		return 0, true, &Error{Field: "option", Offset: 0, Option: HopLimit, Rule: "RFC 8768 3", Msg: "Hop-Limit 0", Err: ErrBadOption}
	}
	return b[0], true, nil
}

// SetHopLimit replaces the Hop-Limit options of m by one holding v, in the
// Message's own storage (see SetUint). It returns an error wrapping
// ErrBadOption, and leaves m unchanged, for 0: a proxy whose decrement
// reaches 0 answers 5.08 Hop Limit Reached instead of forwarding (RFC 8768
// section 3).
func (m *Message) SetHopLimit(v uint8) error {
	if v == 0 {
		return &Error{Field: "option", Offset: -1, Option: HopLimit, Rule: "RFC 8768 3", Msg: "Hop-Limit 0", Err: ErrBadOption}
	}
	m.SetUint(HopLimit, uint64(v))
	return nil
}
