package coapmsg

import "github.com/iotwire/iotwire/internal/wire"

// The signaling messages of RFC 8323 section 5 (codes 7.01 to 7.05) exist
// only on reliable transports (DecodeTCP, DecodeWS). Their option numbers
// belong to their code (section 5.2), so each has a typed view: build one
// with a Set method, which resets the message, then set Token and a
// diagnostic Payload if wanted; read one with the method named after its
// options type. Both directions are allocation-free.
//
//	var csm coapmsg.Message
//	csm.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 8192, HasMaxMessageSize: true, BlockWiseTransfer: true})
//	frame, err := csm.AppendTCP(frame[:0])
//
// To add a signaling option: a constant and a signalingDefs entry in
// option.go (with its case in lookupSignaling), then a field in the options
// type of its code, set in the Set method and read in the reader.

// ErrAbort means a signaling message that the receiver must answer by
// aborting the connection (RFC 8323 section 5.6): a critical option that it
// does not understand (section 5.2), or, in a 7.01 CSM, an option that
// breaks its definition (section 5.3: an invalid CSM is a connection
// error). The message is decoded completely and [Error.Option] names the
// option: send a 7.05 Abort, for a CSM with Bad-CSM-Option set to it, and
// close the connection. (A message format error, [ErrMalformed], is also
// answered with an Abort on reliable transports, without Bad-CSM-Option.)
var ErrAbort error = &wire.Sentinel{Msg: "signaling message requires abort"}

// DefaultMaxMessageSize is the base value of Max-Message-Size, 1152 bytes
// (RFC 8323 section 5.3.1): the largest message a peer may send before it
// has seen a CSM that says otherwise. It is also the limit of a [Reader]
// whose MaxMessageSize is 0.
const DefaultMaxMessageSize = 1152

// CSMOptions are the options of a 7.01 Capabilities and Settings message
// (RFC 8323 section 5.3). Both are elective. A CSM without options is
// valid: the sender keeps its previous settings.
type CSMOptions struct {
	// MaxMessageSize is the largest message, in bytes from the first byte
	// of the frame header to the end of the payload, that the sender can
	// receive (section 5.3.1). It is meaningful when HasMaxMessageSize is set.
	MaxMessageSize    uint32
	HasMaxMessageSize bool
	// BlockWiseTransfer says the sender supports block-wise transfer (RFC
	// 7959), and BERT if its Max-Message-Size exceeds 1152 (section 5.3.2).
	BlockWiseTransfer bool
}

// PingOptions are the options of a 7.02 Ping or a 7.03 Pong (RFC 8323
// section 5.4).
type PingOptions struct {
	// Custody in a Pong says that all request and response messages
	// received before the Ping have been processed; in a Ping it asks the
	// peer to delay its Pong until then and to include Custody (section 5.4.1).
	Custody bool
}

// ReleaseOptions are the scalar options of a 7.04 Release (RFC 8323
// section 5.5). Its repeatable Alternative-Address options (each an
// "authority" of RFC 3986 section 3.2, "host:port") are added with
// m.AddOption(AlternativeAddress, addr) and read with
// m.Values(AlternativeAddress).
type ReleaseOptions struct {
	// HoldOff is the number of seconds the peer should wait before it
	// reconnects, at most 16777215 (a 3-byte uint; larger values fail at
	// encode with ErrBadOption). It is meaningful when HasHoldOff is set.
	HoldOff    uint32
	HasHoldOff bool
}

// AbortOptions are the options of a 7.05 Abort (RFC 8323 section 5.6).
// The reason goes in a diagnostic payload (RFC 7252 section 5.5.2), which
// the Abort should carry.
type AbortOptions struct {
	// BadCSMOption is the number of the CSM option the sender could not
	// process. It is meaningful when HasBadCSMOption is set.
	BadCSMOption    OptionNumber
	HasBadCSMOption bool
}

// SetCSM resets m and makes it a 7.01 CSM with the options o.
func (m *Message) SetCSM(o CSMOptions) {
	m.Reset()
	m.Code = CSM
	if o.HasMaxMessageSize {
		m.SetUint(MaxMessageSize, uint64(o.MaxMessageSize))
	}
	if o.BlockWiseTransfer {
		m.AddOption(BlockWiseTransfer, nil)
	}
}

// SetPing resets m and makes it a 7.02 Ping with the options o.
func (m *Message) SetPing(o PingOptions) { m.setPing(Ping, o) }

// SetPong resets m and makes it a 7.03 Pong with the options o. A Pong
// carries the token of the Ping it answers (RFC 8323 section 5.4): set
// m.Token to it.
func (m *Message) SetPong(o PingOptions) { m.setPing(Pong, o) }

func (m *Message) setPing(c Code, o PingOptions) {
	m.Reset()
	m.Code = c
	if o.Custody {
		m.AddOption(Custody, nil)
	}
}

// SetRelease resets m and makes it a 7.04 Release with the options o. Add
// Alternative-Address options afterwards with AddOption.
func (m *Message) SetRelease(o ReleaseOptions) {
	m.Reset()
	m.Code = Release
	if o.HasHoldOff {
		m.SetUint(HoldOff, uint64(o.HoldOff))
	}
}

// SetAbort resets m and makes it a 7.05 Abort with the options o. Put the
// reason in m.Payload as UTF-8 text.
func (m *Message) SetAbort(o AbortOptions) {
	m.Reset()
	m.Code = Abort
	if o.HasBadCSMOption {
		m.SetUint(BadCSMOption, uint64(o.BadCSMOption))
	}
}

// sigUint returns the first option n of m as an integer if its value fits
// the registry's length bound for m's code. Like an unrecognized elective
// option, an option that breaks its bound is ignored (RFC 7252 5.4.3).
func (m *Message) sigUint(n OptionNumber) (uint64, bool) {
	v, ok := m.Option(n)
	if !ok {
		return 0, false
	}
	d, known := LookupOption(m.Code, n)
	if !known || len(v) > d.MaxLen {
		return 0, false
	}
	return decodeUint(v)
}

// sigFlag reports whether m has the empty option n.
func (m *Message) sigFlag(n OptionNumber) bool {
	v, ok := m.Option(n)
	return ok && len(v) == 0
}

// CSMOptions returns the options of a 7.01 CSM; ok is false for other
// codes. Unknown elective options are not reported, and neither is an
// option that breaks its definition (DecodeTCP reports it as [ErrAbort]).
func (m *Message) CSMOptions() (o CSMOptions, ok bool) {
	if m.Code != CSM {
		return o, false
	}
	if v, ok := m.sigUint(MaxMessageSize); ok {
		o.MaxMessageSize, o.HasMaxMessageSize = uint32(v), true
	}
	o.BlockWiseTransfer = m.sigFlag(BlockWiseTransfer)
	return o, true
}

// PingOptions returns the options of a 7.02 Ping or a 7.03 Pong; ok is
// false for other codes. A Custody option with a value is ignored, as an
// unrecognized elective option would be (RFC 7252 section 5.4.3).
func (m *Message) PingOptions() (o PingOptions, ok bool) {
	if m.Code != Ping && m.Code != Pong {
		return o, false
	}
	return PingOptions{Custody: m.sigFlag(Custody)}, true
}

// ReleaseOptions returns the Hold-Off option of a 7.04 Release; ok is false
// for other codes. A Hold-Off longer than 3 bytes is ignored.
func (m *Message) ReleaseOptions() (o ReleaseOptions, ok bool) {
	if m.Code != Release {
		return o, false
	}
	if v, ok := m.sigUint(HoldOff); ok {
		o.HoldOff, o.HasHoldOff = uint32(v), true
	}
	return o, true
}

// AbortOptions returns the options of a 7.05 Abort; ok is false for other
// codes. A Bad-CSM-Option longer than 2 bytes is ignored.
func (m *Message) AbortOptions() (o AbortOptions, ok bool) {
	if m.Code != Abort {
		return o, false
	}
	if v, ok := m.sigUint(BadCSMOption); ok {
		o.BadCSMOption, o.HasBadCSMOption = OptionNumber(v), true
	}
	return o, true
}

// Capabilities is what a peer has announced in the CSMs it sent on one
// connection. Capability and setting options are cumulative: a CSM does
// not undo an earlier one by leaving an option out (RFC 8323 section 5.3).
// Start from [BaseCapabilities] and Apply every CSM the peer sends.
type Capabilities struct {
	MaxMessageSize    uint32 // largest message the peer accepts, whole frame included
	BlockWiseTransfer bool   // the peer supports block-wise transfer
}

// BaseCapabilities returns the base values that hold before the peer's
// first CSM: Max-Message-Size 1152, block-wise transfer not announced
// (RFC 8323 sections 5.3.1 and 5.3.2).
func BaseCapabilities() Capabilities {
	return Capabilities{MaxMessageSize: DefaultMaxMessageSize}
}

// Apply updates c with a CSM's options: a Max-Message-Size replaces the
// previous value, Block-Wise-Transfer once announced stays.
func (c *Capabilities) Apply(o CSMOptions) {
	if o.HasMaxMessageSize {
		c.MaxMessageSize = o.MaxMessageSize
	}
	c.BlockWiseTransfer = c.BlockWiseTransfer || o.BlockWiseTransfer
}

// BERT reports whether the peer accepts BERT blocks (block size exponent
// 7): it announced Block-Wise-Transfer and its Max-Message-Size is more
// than 1152 (RFC 8323 sections 5.3.2 and 6).
func (c Capabilities) BERT() bool {
	return c.BlockWiseTransfer && c.MaxMessageSize > DefaultMaxMessageSize
}
