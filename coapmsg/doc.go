// Package coapmsg encodes and decodes CoAP messages ([RFC 7252]) in the UDP
// format and the reliable-transport formats of [RFC 8323], with the options
// of RFC 7252, Observe (RFC 7641), block-wise transfer (RFC 7959),
// No-Response (RFC 7967), Echo and Request-Tag (RFC 9175), Hop-Limit (RFC
// 8768) and OSCORE (RFC 8613), without allocating.
//
// A [Message] is a plain struct: header fields, token, options sorted by
// number, payload. Decode reads one datagram; AppendBinary appends one:
//
//	var m coapmsg.Message
//	if _, err := m.Decode(datagram); err != nil { ... }
//	for it := m.Values(coapmsg.URIPath); it.Next(); {
//		segment := it.Value()
//	}
//	out, err := reply.AppendBinary(out[:0])
//
// Build options with AddOption, SetOption, SetUint, SetPath and SetQuery,
// which keep them sorted. [LookupOption] is the option registry: format,
// length bounds, repeatability, and the critical, unsafe and no-cache-key
// bits of each number.
//
// Over TCP and TLS, DecodeTCP and AppendTCP use the framing of RFC 8323
// section 3.2, and a [Reader] cuts a stream into frames; over WebSockets,
// DecodeWS and AppendWS use section 4.2. The signaling messages 7.01 to
// 7.05 have typed views (SetCSM and CSMOptions, SetPing, SetPong and
// PingOptions, SetRelease, SetAbort and their readers), and [Capabilities]
// accumulates what a peer's CSMs announce.
//
// # Allocation and aliasing
//
// Decoding and encoding do not allocate. The token, option values and
// payload of a decoded message are sub-slices of the decoded buffer, with
// their capacity clipped; they are valid until that buffer is reused. Use
// CopyTo to keep a message. A Message holds up to [MaxInlineOptions]
// options in its own storage; set Options to a slice of larger capacity
// before Decode to accept more. Because options may point into the Message
// itself, copy a Message with CopyTo, not by assignment.
//
// # Limits
//
// A token has at most 8 bytes, an option value at most 65,804 bytes (the
// largest the encoding can express), option numbers at most 65,535. A
// message has at most MaxInlineOptions options unless the caller supplies a
// larger Options slice; more give an error wrapping [ErrLimit]. A [Reader]
// rejects a message over its MaxMessageSize, by default the 1152 bytes of
// RFC 8323 section 5.3.1, before reading its body.
//
// # Errors
//
// Errors are [*Error] values naming the field, the byte offset, the RFC
// section and the class: [ErrMalformed] for a message format error (answer
// a CON with RST), [ErrUnsupported] for a version other than 1 (ignore),
// [ErrTruncated] for a frame that needs more bytes, [ErrLimit], and
// [ErrBadOption] for a well-formed message whose option breaks its
// definition. With ErrBadOption the message is still decoded in full, so a
// server can answer 4.02 Bad Option for a critical option
// ([Error.Option]). [Message.UnrecognizedCritical] finds critical options
// the registry does not know. On reliable transports a message format
// error is answered with a 7.05 Abort instead of RST, and [ErrAbort] marks a
// decoded signaling message with a critical option the receiver does not
// understand, or an invalid CSM (RFC 8323 sections 5.2, 5.3 and 5.6).
// Encoders check the same rules and return b unchanged on error.
//
// # Adding an option
//
// A new option needs a constant and an entry in optionDefs (option.go) with
// its format, length bounds, repeatability and defining section; a
// signaling option goes in signalingDefs and lookupSignaling.
//
// [RFC 7252]: https://www.rfc-editor.org/rfc/rfc7252
// [RFC 8323]: https://www.rfc-editor.org/rfc/rfc8323
package coapmsg
