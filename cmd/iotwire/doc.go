// Command iotwire turns IoT wire formats into JSON Lines and back, following
// the iotwire JSON contract (version 1).
//
// Usage:
//
//	iotwire decode --proto PROTO [--in hex|base64|raw] [--base PATH] [FILE|-]
//	iotwire encode --proto PROTO [--out hex|base64|raw] [FILE|-]
//	iotwire help
//
// PROTO is mqtt3 (MQTT 3.1.1, and the 3.1 CONNECT) or mqtt5. The other
// protocols of the contract (coap, coap+tcp, tlv, senml+json, senml+cbor,
// lwm2m+cbor, lwm2m+json, link, sms-deliver, sms-submit) are recognised and
// answer "iotwire: PROTO: not supported yet" with exit status 2. Flags may come
// before or after FILE; FILE "-" or no FILE means standard input.
//
// # Units
//
// decode reads hex (the default) or base64 input as one unit per line that
// holds more than white space; white space anywhere in a hex line is
// ignored, so a hex line may separate fields with spaces. Base64 may be
// padded or not. With --in raw the whole input is one unit. An MQTT unit may
// hold several packets back to back: each becomes one JSON object on its own
// line, in input order.
//
// encode reads one JSON object per non-empty line and writes one unit per
// object: a line of hex or base64, or with --out raw the bytes of every unit
// back to back. For canonical input, decode followed by encode gives back
// the input bytes.
//
// # Errors and exit status
//
//   - 0: every unit decoded or encoded.
//   - 1: the first malformed unit stops the command with one line on
//     standard error, "iotwire: PROTO: unit N: MESSAGE (offset K)". N counts
//     units from 1: non-empty lines, or 1 for raw input. For a wire error K
//     is the byte offset in the unit's bytes (not in the packet: a unit may
//     hold several); for a hex, base64 or JSON error it is the character
//     offset in the line; an error the packet encoder finds has no position
//     and reports 0. Output errors also give status 1.
//   - 2: usage errors (with a usage message), a protocol not supported yet,
//     or a FILE that cannot be opened.
//
// The objects of a unit are written only once the whole unit has decoded:
// a malformed unit writes no object, not even for the good packets before
// the bad one. Units before it are written.
//
// # MQTT mapping
//
// Keys follow the contract's order, with "properties" last. Every key that
// applies to a packet type is present, also where the version lacks the
// field: a 3.1.1 PUBACK, PUBREC, PUBREL, PUBCOMP or DISCONNECT has
// "reason_code": 0, a 3.1.1 UNSUBACK "reason_codes": [], and a 3.1.1
// subscription "no_local": false, "retain_as_published": false,
// "retain_handling": 0. "packet_id" is absent from a QoS 0 PUBLISH; "will",
// "username" and "password" are absent when their flags are 0; "properties"
// is absent when there are none. Properties are listed in identifier order,
// the order in which they are encoded; one decoded with a zero value (such as
// "maximum_qos": 0) is kept and encoded again.
//
// encode accepts the same keys, matched exactly. "type" is required;
// "protocol_level" defaults to 4 (mqtt3) or 5 (mqtt5) and "protocol_name",
// when given, must match it; any other missing key takes its zero value
// (false, 0, "", []). A key that does not apply to the packet type, a
// duplicate key or a value out of range is an error. The packet rules
// themselves (QoS 0 without packet identifier, properties allowed in each
// packet, reason codes valid for each packet and version...) are checked by
// package mqttpkt.
//
// # Adding a protocol
//
// Write a file xxxjson.go with a function returning a codec (decode one unit
// to JSON Lines, encode one JSON object to one unit) and add it to codecs in
// main.go. json.go holds the ordered JSON writer and the strict object reader.
package main
