// Package segment splits a binary payload (a CoAP message, for the LwM2M SMS
// binding) into concatenated short messages of 8-bit data and puts them back
// together, as [3GPP TS 23.040] section 9.2.3.24.1 (8-bit reference) and
// 9.2.3.24.8 (16-bit reference) describe, with optional application port
// addressing (9.2.3.24.3, 9.2.3.24.4). It builds on package tpdu: a part is a
// [tpdu.UserData] to put in a [tpdu.Submit] or read from a [tpdu.Deliver].
//
//	s, err := segment.Split(coap, segment.Options{Ref: ref, Ports: tpdu.Ports{Dst: 0x1234, Src: 0x1234, Wide: true}, HasPorts: true})
//	for ud, b, ok := s.Next(hdr[:0]); ok; ud, b, ok = s.Next(hdr[:0]) { ... }
//
//	var r segment.Reassembler
//	m, ok, err := r.AddDeliver(time.Now(), &d)
//	if ok { handle(m.Payload) }
//
// Sizes: TP-UD is at most 140 octets (9.2.3.16) including the User Data
// Header and its length octet. A payload that fits one part (140 octets,
// 133 with 16-bit ports) is sent without a concatenation element; otherwise
// each part carries 134 payload octets with an 8-bit reference, 133 with a
// 16-bit one, 6 fewer with 16-bit ports (4 with 8-bit ports). At most 255
// parts: 34170 octets with an 8-bit reference and no ports.
//
// The Reassembler keys a message by the sender (the originator's address as
// text, or any key of the caller's), the width and value of the reference,
// and the total. Parts may arrive in any order; a part already held is
// ignored; a message is delivered once, when its last part arrives, never
// in part. Completed messages are remembered for Limits.Timeout (the last 32
// of them), so a late duplicate of one of their parts is ignored too rather
// than starting a message that would only expire. Time is what the caller
// passes as now: there are no timers or goroutines.
//
// # Allocation and aliasing
//
// Split and Splitter.Next and AppendNext do not allocate when the caller's
// buffer has room (12 octets of header for Next, 140 for AppendNext): a
// part's Header aliases the caller's buffer and its Body aliases the payload,
// which must not change while the parts are in use.
//
// The Reassembler copies what it keeps into storage of its own, reused from
// message to message: Add never retains key or ud. Message.Payload is owned
// by the Reassembler and valid until its next Add or AddDeliver; copy it to
// retain it. Once warm (its slots, part storage and output buffer grown),
// Add allocates nothing on its success paths; the storage grows to at most
// Limits.MaxBytes for the parts, MaxPending slots of about 1.3 KiB, and an
// output buffer of the largest message delivered. Errors allocate one *Error.
// The allocation tests pin the counts.
//
// # Limits
//
// [Limits] bounds the incomplete messages held (MaxPending, default 16),
// the storage of their parts (MaxBytes, default 128 KiB, 4 octets of
// bookkeeping per part included), the total accepted (MaxParts, default 255)
// and their age (Timeout, default 3 minutes, measured from the first part).
// When a new message would exceed MaxPending, or a part MaxBytes, the oldest
// incomplete message (by first part) is evicted: new messages win over old
// ones, which on a lossy network are the likeliest never to complete. A
// message that alone needs more than MaxBytes is dropped with an ErrLimit
// error. Keys are at most [MaxKeyLen] octets. Lookups scan the pending
// messages: O(MaxPending) per part.
//
// # Errors
//
// Errors are *Error values naming the field, the rule and the class:
// ErrMalformed for a concatenation element with a total of 0, a sequence
// number of 0 or above the total (9.2.3.24.1 tells a receiver to ignore
// such an element, which would pass a fragment on as a whole message; this
// package rejects the part instead), an element of the wrong length or user
// data over 140 octets; ErrConflict for a part whose total or ports differ
// from the parts held under its key and reference (the parts held are
// kept: they time out if the sender really reused the reference); ErrLimit
// for a payload that needs more than 255 parts and for the Limits;
// ErrUnsupported for a Deliver not coded as 8-bit data. A header whose
// elements overrun it gives the tpdu ErrMalformed error. Duplicates are not
// errors: Add ignores them and counts them in Stats.
//
// [3GPP TS 23.040]: https://www.3gpp.org/DynaReport/23040.htm
package segment
