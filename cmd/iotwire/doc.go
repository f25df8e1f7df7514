// Command iotwire turns IoT wire formats into JSON Lines and back, following
// the iotwire JSON contract (version 1).
//
// Usage:
//
//	iotwire decode --proto PROTO [--in hex|base64|raw] [--base PATH] [FILE|-]
//	iotwire encode --proto PROTO [--out hex|base64|raw] [--base PATH] [FILE|-]
//	iotwire coap get|put|post|delete|observe URI [flags]
//	iotwire mqtt pub|sub URL [flags]
//	iotwire help
//
// PROTO is mqtt3 (MQTT 3.1.1, and the 3.1 CONNECT), mqtt5, coap (RFC 7252
// over UDP), coap+tcp (RFC 8323 framing), tlv (LwM2M TLV, Content-Format
// 11542), senml+json (110), senml+cbor (112), lwm2m+cbor (11544),
// lwm2m+json (the OMA LwM2M 1.0 JSON, 11543), link (CoRE Link Format, RFC
// 6690, Content-Format 40), sms-deliver or sms-submit (3GPP TS 23.040
// TPDUs in the PDU form of a modem: the SMSC address, then the TPDU; see
// smsjson.go for the keys). Flags may come before or after FILE;
// FILE "-" or no FILE means standard input.
//
// --base PATH (default "/") is the LwM2M request path that a payload
// answers, such as /3/0 for the response to a Read of /3/0 or the payload of
// a Write to it. tlv needs it in both commands, since a TLV payload carries
// no Object ID and its layout depends on the path (--base is an addition to
// the invocation of the contract for encode). A --base that is not an LwM2M
// path is a usage error; the root path "/" makes every non-empty tlv unit
// malformed, after the checks of the TLV structure. MQTT, CoAP, link and
// SMS ignore --base.
//
// # Units
//
// decode reads hex (the default) or base64 input as one unit per line that
// holds more than white space; white space anywhere in a hex line is
// ignored, so a hex line may separate fields with spaces. Base64 may be
// padded or not. With --in raw the whole input is one unit. An MQTT or
// coap+tcp unit may hold several packets or frames back to back: each becomes
// one JSON object on its own line, in input order (an empty raw unit holds
// none). A coap unit is one datagram, exactly one message. A tlv or link
// unit is one payload and gives one object, also when it is empty (a raw
// empty input): {"records":[]}, {"links":[]}. Conversely encode writes an
// empty payload as an empty line in hex and base64 output, which decode
// skips as no unit.
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
// # CoAP mapping
//
// Keys follow the contract's order: "type" (CON, NON, ACK, RST), "code"
// ("c.dd"), "message_id", "token" (hex), "options", "payload" (hex, "" when
// there is none). coap+tcp objects have no "type" and no "message_id".
// "options" lists every option in wire order as {"number", "name", "value"}:
// "name" is the registry name of package coapmsg, absent for an option the
// registry does not know; signaling messages (7.xx) use the signaling
// registry of RFC 8323 section 5, so option 2 of a 7.01 CSM is
// Max-Message-Size. "value" is a JSON string for string options, a number
// for uint options, null for empty options, and a hex string for opaque and
// unknown options.
//
// A uint option whose bytes are not the canonical form of its value, that
// is with leading zero bytes (RFC 7252 section 3.2 says a sender SHOULD drop
// them; receivers accept them), keeps "value" a number, as the contract
// says, and gets one more key, "raw": the value bytes in hex, such as
// {"number":12,"name":"Content-Format","value":40,"raw":"0028"}. encode
// writes "raw" as given, after checking that it holds "value", so decode |
// encode gives such input back too. Without "raw", encode writes the
// canonical form: minimal (coapmsg.AppendUint), left-padded with zero bytes
// to the option's minimum length (only Hop-Limit has one: 1 byte).
//
// A message that coapmsg rejects is malformed, and that includes a well
// formed message whose option breaks its registry entry (coapmsg.ErrBadOption:
// a value length out of range, a non-repeatable option repeated, a string
// that is not UTF-8), which a server would answer with 4.02 Bad Option, and,
// in coap+tcp, a signaling message with a critical option it does not know.
// Unknown options are not errors: they are shown as hex.
//
// encode reads the same keys, matched exactly. "code" is required, and so is
// "type" for coap; "message_id" defaults to 0, "token", "options" and
// "payload" to empty; coap+tcp rejects "type" and "message_id". Each option
// needs "number" and "value"; "name" is optional and must match the registry
// when given. The value's JSON type must be the one the registry gives the
// option in a message with this code, and a uint must fit the option's
// maximum length (Content-Format: 0 to 65535). Options must come in number
// order, the order of the wire; options with the same number keep their
// order. The message rules (Empty messages, code classes, repeatable
// options, value lengths) are checked by package coapmsg.
//
// # LwM2M TLV mapping
//
// One object per payload, {"records": [...]}, and one record per resource
// value in wire order: {"path": "/3/0/0", "type": "string", "value": "Open
// Mobile Alliance"}, the path resolved against --base. Types come from the
// object models of the LwM2M Core specification 1.2 (lwm2m.CoreRegistry:
// objects 0 to 7, 21, 23 and 24); a resource they do not know, and an
// Executable resource that carries bytes, is "opaque". Values: "string" and
// "corelnk" a JSON string; "integer", "unsigned" and "time" (seconds since
// the epoch) an integer; "float" a number, in the shortest form that gives
// the same float64 back, with an exponent below 1e-6 and from 1e21 on
// (1e-7, 1e+21) as encoding/json writes it; "boolean" true or false;
// "opaque" hex; "objlnk" "object:instance" ("3:0", the null link
// "65535:65535"). An empty Object Instance TLV or Multiple Resource TLV is
// a record of type "none" with the value null at the instance or resource
// path, which says that it exists with nothing in it. A float that is NaN or
// infinite has no JSON number: the unit is malformed.
//
// Decoding is package lwm2m/tlv's (tlv.Values): a payload it rejects is
// malformed, and that includes a value whose length or content breaks its
// type (a Boolean other than 0 or 1, an Integer of 3 bytes, text that is not
// UTF-8), a repeated identifier, an identifier that differs from the request
// path, and a multiplicity that contradicts the object model (a Multiple
// Resource as a Resource TLV).
//
// encode reads the same records, with the same --base, and writes the
// canonical TLV (tlv.Encode): the shortest identifier, length and integer
// widths, a float in 4 bytes when binary32 holds it exactly, Object Instance
// TLVs around the instances only under an object path (/3), a Multiple
// Resource TLV around the instances of a resource, records in the order
// given. "path", "type" and "value" are required; the type names are exactly
// those above and "value" is null for "none". A resource the models know
// must have their type, and its multiplicity (instances of a Multiple
// Resource, or "none" for an empty one; one value for a single resource);
// an Executable resource takes "opaque". A resource they do not know takes
// any type, written in that type's TLV form (decode shows it back as
// opaque). The records of one object instance (under an object path) and of
// one Multiple Resource must be adjacent, since they make one TLV, and a path
// may appear once. encode then decodes what it wrote and checks that it
// gives the records back, so that it never writes what decode rejects.
//
// testdata/lwm2m-device.tlv.hex holds Device object payloads that answer
// /3/0: decode it with --base /3/0 (testdata/lwm2m-device.tlv.jsonl).
//
// # SenML, LwM2M CBOR and LwM2M JSON mapping
//
// senml+json, senml+cbor, lwm2m+cbor and lwm2m+json use the records of tlv,
// {"records":[{"path","type","value"}]}, with --base the request path that
// relative names resolve against. These formats carry their own types: a
// resource the object models know is typed and checked by them, any other
// by the wire (a SenML "v" that is an integer is "integer", otherwise
// "float"; "vs" is "string", "vb" "boolean", "vd" "opaque", "vlo" "objlnk";
// an LwM2M CBOR unsigned integer is "unsigned", a negative one "integer").
// SenML and LwM2M JSON records add "time", the resolved time in seconds
// (bt + t), when the record has one. A SenML record without a value (the
// names of a Read-Composite request) is "none".
//
// Decoding is that of packages lwm2m/senml, lwm2m/lwcbor and lwm2m/lwjson,
// with their strictness: a label ending in '_' that they do not know, a
// SenML version above 10, two values in a record, a name that is not an
// LwM2M path under --base, the same path twice without distinct times, a
// value that contradicts the object model, malformed JSON or CBOR. encode
// writes their canonical forms (a base name and base time chosen to shorten
// a SenML pack, the shortest CBOR heads and float widths, nested LwM2M CBOR
// maps for shared path prefixes, Leshan's LwM2M JSON layout) and decodes
// what it wrote: records that do not read back the same (an "unsigned" that
// SenML, without a model, reads back as "integer"; a "none" record in LwM2M
// JSON, which has no way to write one) are errors, never changed silently. testdata/lwm2m-device.*.hex hold the Device payload of the TLV
// example in each format.
//
// # CoRE Link Format mapping
//
// One object per payload, {"links": [...]}, one link per link-value in wire
// order: {"target": "/3/0", "params": {"ver": "1.1"}}. "target" is the
// URI-Reference without '<' and '>'; "params" is always present ({} for
// none) and lists the parameters in wire order, each value a string with the
// quotes and the quoted-pair escapes removed, or null for a parameter
// without a value (";obs"). An ext-value (a name ending in '*', RFC 8187)
// is given as written, percent-encoding included.
//
// A JSON object holds a name once, so a link that repeats a parameter name
// (compared exactly, case included) is malformed rather than decoded with a
// value lost (RFC 6690 section 3 allows rt, if and sz once per link and RFC
// 8288 rel once; Link.Attrs rejects any attribute it knows given twice). For the
// attributes package lwm2m/link knows (Link.Attrs: the LwM2M attributes of
// LwM2M Core 5.1.2, and rt, if, ct, sz, rel, rev and anchor), a value
// outside their definition is malformed too (ssid=0, pmin=-1, ver without a
// value, ct=abc), as an LwM2M Server answers 4.00 Bad Request; other
// parameters take any value the grammar allows. The grammar is strict
// (package lwm2m/link): no whitespace outside quoted-strings, so a raw
// input with a final line break is malformed.
//
// encode reads the same shape ("links" required, "target" required, "params"
// optional) and writes the canonical form of package lwm2m/link's Writer:
// parameters in the order of the input line, no whitespace, a value quoted
// only when it is empty or holds a character outside ptokenchar, or belongs
// to a parameter that is always quoted (anchor, if, rel, rev, rt, title,
// uri), with '"' and '\' escaped. It checks the known attributes as decode
// does. decode | encode gives back a canonical payload byte for byte, and
// the canonical form of any other: ver="1.1" becomes ver=1.1,
// rt=oma.lwm2m becomes rt="oma.lwm2m".
//
// testdata/register.link.hex holds Register payloads and Discover and
// Bootstrap-Discover responses (testdata/register.link.jsonl).
//
// # Client commands
//
// iotwire coap and iotwire mqtt compose the codecs with the transports
// (client_coap.go, client_mqtt.go; "iotwire coap help" and "iotwire mqtt help"
// list the flags). coap sends one request to a coap:// (UDP, confirmable, with
// the retransmission of RFC 7252 section 4.2), coaps:// (DTLS 1.2 with a
// pre-shared key), coap+tcp:// or coaps+tcp:// (RFC 8323, TLS with ALPN "coap")
// URI, follows Block2 (RFC 7959) to assemble a large body, and prints the body,
// or with --json one object of the contract of decode --proto coap or coap+tcp
// (the whole body as payload, without the Block2 option); observe prints each
// notification until Ctrl-C or --count. mqtt pub and sub speak MQTT 3.1.1 or 5
// to an mqtt://, mqtts://, ws:// or wss:// broker; sub prints each message's
// payload, or with --json every packet the broker sends as an object of the
// contract of decode --proto mqtt3 or mqtt5. Failures are one sentence on
// standard error, "iotwire: coap get URI: no answer after 4 retransmissions
// (timeout 2s)", with exit status 1; usage errors give status 2.
//
// # Adding a protocol
//
// Write a file xxxjson.go with a function returning a codec (decode one unit
// to JSON Lines, encode one JSON object to one unit) and add it to codecs in
// main.go. json.go holds the ordered JSON writer and the strict object reader.
package main
