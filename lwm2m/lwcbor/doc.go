// Package lwcbor encodes and decodes the LwM2M CBOR content format
// (application/vnd.oma.lwm2m+cbor, Content-Format 11544; [LwM2M Core] 1.2
// section 7.4.7, with the LwM2M CBOR forms of the data types in Appendix
// C), without allocating in the common case.
//
// An LwM2M CBOR payload ([RFC 8949]) is a map of nested maps keyed by path
// identifiers. A key is an unsigned integer, one level of the path, or an
// array of unsigned integers standing for several levels; its value is a
// nested map that continues the path, or the value of the path so far:
//
//	{3: {0: {0: "Open Mobile Alliance", 9: 95}}}
//	{[3, 0]: {0: "Open Mobile Alliance", 9: 95}}     the same two values
//	{[3, 0, 0]: "Open Mobile Alliance", [3, 0, 9]: 95}
//
// Paths are absolute, unlike TLV and SenML names: they always start at the
// Object ID, and the request path (the base) only bounds them.
//
// There are two layers:
//
//   - [DecodeValue], [AppendValue] and [ValueLen] convert between one CBOR
//     item and an [lwm2m.Value] of a given [lwm2m.Type].
//   - [Values] and [Decode] resolve a payload into (path, value) pairs in
//     wire order, typed by an [lwm2m.Registry]; [Encode] is the inverse and
//     writes the canonical form described at Encode.
//
// Resolving a payload and writing it back:
//
//	err := lwcbor.Decode(payload, base, reg, func(p path.Path, v lwm2m.Value) error {
//		records = append(records, lwcbor.Record{Path: p, Value: v})
//		return nil
//	})
//	out, err := lwcbor.Encode(out[:0], base, records)
//
// The CBOR primitives (heads, numbers, strings, floats of every width) are
// shared with SenML CBOR in iotwire's internal/wire package.
//
// # Strictness
//
// Decoding rejects what the specifications forbid or what cannot be
// resolved, and documents what it tolerates:
//
//   - Rejected: CBOR that is not well-formed (RFC 8949 Appendix F: reserved
//     additional information, indefinite length on an integer or tag, f8
//     with a value below 32, a misplaced break, truncation) and text that is
//     not UTF-8; anything after the payload's map; a payload that is not a
//     map; a key that is not an unsigned integer or a non-empty array of
//     them (floats, negative integers, nested arrays, maps); identifier
//     65535 (MAX_ID, LwM2M Core 7.1) or more; a path longer than 4
//     identifiers; a path outside the request path; an empty nested map (a
//     path without a value is written with null); a value other than null
//     above the resource level; an array or undefined as a value; a path
//     holding a value twice, or a value and nested values (see [Values]);
//     a value that does not fit the registry's type for its resource, or a
//     multiplicity that contradicts the model.
//   - Unsupported (ErrUnsupported): indefinite-length strings, which would
//     need a copy to reassemble; tags other than 4 (decimal fraction), and
//     decimal fractions with a bignum mantissa; text keys, which LwM2M
//     Gateway uses for its prefixes; integers below -2^63.
//   - Accepted: definite and indefinite-length maps and arrays, in any mix;
//     keys in any order and any spelling of a path (integer keys, arrays,
//     or both); floats of all three widths (Wakaama writes the shortest) and
//     decimal fractions wherever a number goes; integers for Float
//     resources and integral floats for Integer, Unsigned and Time ones
//     when the conversion is exact; null for any path, as a value of type
//     None (the form of a Read-Composite request).
//   - Duplicate map keys (RFC 8949 section 5.6 leaves their handling to
//     the protocol, and LwM2M Core does not say) are found through their
//     effect: a path that holds a value twice or a value and nested values
//     is rejected; two nested maps under one key whose values do not clash
//     are read as one.
//
// # Allocation and aliasing
//
// Decoding, converting and encoding do not allocate: String, Opaque and
// Corelnk values alias the input, with their capacity clipped, and are
// valid until that buffer is reused (copy them to keep them). Encode and
// AppendValue append to the caller's slice and allocate only to grow it.
// The exceptions are errors (one *Error each), a payload whose paths do
// not ascend past 32 values, where [Values] keeps the paths seen in a map
// (up to 32 it checks them in place), and [Encode] given records whose paths do not
// ascend, which sorts a copy of the paths once. A Decode callback that does
// not escape costs nothing; the allocation tests pin every count.
//
// # Limits
//
// [Limits.MaxRecords] bounds the number of values (default 65535). Nesting
// needs no limit of its own: every nested map adds at least one identifier
// to a path of at most 4, so at most 5 maps are open at once, and a key
// array or a decimal fraction adds one level more. Identifiers are 0 to
// 65534.
//
// # Errors
//
// Errors are [*Error] values naming the field, the byte offset, the path
// when there is one, the rule and the class: [ErrTruncated] when the input
// ends inside the payload (wrapping io.ErrUnexpectedEOF), [ErrMalformed]
// for everything the rules above reject, [ErrUnsupported] for what the
// package does not take, and [ErrLimit] for MaxRecords. Encoders check the
// same rules, set Offset to -1 and return b unchanged.
//
// # Adding a data type
//
// A new [lwm2m.Type] needs a case in decodeValue or numberValue, in
// appendValue and in ValueLen (value.go), with its Appendix C LwM2M CBOR
// form cited, a message in typeMsgs, and rows in the value tables of
// value_test.go.
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
// [RFC 8949]: https://www.rfc-editor.org/rfc/rfc8949
package lwcbor
