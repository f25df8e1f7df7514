// Package mqttpkt encodes and decodes the control packets of MQTT 3.1.1
// ([MQTT 3.1.1], protocol level 4, and the MQTT 3.1 "MQIsdp" CONNECT of
// level 3) and MQTT 5.0 ([MQTT 5.0], level 5), strictly and without
// allocating.
//
// Every packet type is a plain struct with a Decode method that reads a
// whole packet (fixed header included) from a byte slice, and Len and
// AppendBinary methods that size and append its encoding:
//
//	var p mqttpkt.Publish
//	n, err := p.Decode(buf, mqttpkt.V5)
//	out, err := p.AppendBinary(out[:0])
//
// PUBACK, PUBREC, PUBREL and PUBCOMP share the [Ack] type. A server learns
// the version from the first packet, a [Connect], whose Decode takes no
// version; every other packet is decoded with the version of its connection.
// [Reader] frames packets from a stream such as a net.Conn, and [Decode]
// decodes a packet of any type into a newly allocated value.
//
// MQTT 5.0 properties are typed fields of [Properties], with a presence mark
// for zero values; User Properties are read with an iterator in wire order.
//
// # Allocation and aliasing
//
// Decoding and encoding do not allocate. Decoded byte strings (topics,
// payloads, client identifiers, property values) are sub-slices of the
// buffer passed to Decode, with their capacity clipped; they are valid until
// that buffer is reused. CopyTo methods copy a packet into a buffer of the
// caller's. Lists (subscriptions, filters, reason codes, Subscription
// Identifiers) are kept in arrays inside the packet value: up to
// [MaxInlineSubscriptions] entries (4 Subscription Identifiers) need no
// allocation, more are appended to the heap. Reuse packet values to keep
// the steady state allocation-free. An error costs one allocation.
//
// # Limits
//
// The Remaining Length is at most [MaxRemainingLength] (268,435,455) and a
// string or binary field at most 65,535 bytes, as the wire format allows.
// Decoders never read past the packet and use memory proportional to the
// input. [Reader] rejects a packet larger than its MaxPacketSize (default
// [DefaultMaxPacketSize], 1 MiB) from the fixed header, before reading the
// body.
//
// # Errors
//
// Errors are [*Error] values that name the packet, the field, the byte
// offset in the input, the rule broken (a normative statement id such as
// MQTT-3.3.2-2, or a section where the rule has no id) and the class:
// [ErrTruncated] (read more and retry), [ErrMalformed] (a Malformed Packet),
// [ErrProtocol] (a Protocol Error), [ErrLimit] or [ErrUnsupported]. Use
// errors.Is to test the class and [Error.ReasonCode] to pick the reason code
// of the DISCONNECT or CONNACK that closes the connection. Encoders check the
// same rules as decoders and return b unchanged on error, so anything they
// produce decodes.
//
// Strictness beyond the normative statements: the Remaining Length and
// other Variable Byte Integers must be minimally encoded in both versions
// (MQTT 5.0 [MQTT-1.5.5-1]; MQTT 3.1.1 section 2.2.3 defines the same
// encoding algorithm), reason codes must be valid for their packet, and
// SUBACK and MQTT 5.0 UNSUBACK must carry at least one code.
//
// # Adding a property or packet
//
// A new MQTT 5.0 property needs a PropID constant, its name in propNames,
// its data type in propKinds, its packets in the allow* masks, a field in
// Properties, and a case in Properties.decode, mask, Clear and the
// byteOf/u16Of/u32Of/bytesOf accessor of its type. A new packet type is a
// file with a struct, Decode (start with the start helper), Len and
// AppendBinary, a case in Decode in packet.go, and a sample in
// packets_test.go, which puts it under the round-trip, allocation and fuzz
// tests.
//
// [MQTT 3.1.1]: https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html
// [MQTT 5.0]: https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html
package mqttpkt
