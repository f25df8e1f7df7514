// Package tlv encodes and decodes the LwM2M TLV content format
// (application/vnd.oma.lwm2m+tlv, Content-Format 11542; [LwM2M Core] 1.2
// section 7.4.3, with the TLV forms of the data types in Appendix C),
// without allocating.
//
// A TLV payload is a sequence of entries, each a type byte, an 8- or
// 16-bit identifier, an optional 8-, 16- or 24-bit length and a value. Two
// kinds of entry are containers: an Object Instance holds Resource and
// Multiple Resource entries, and a Multiple Resource holds Resource
// Instance entries. The payload carries no Object ID, so it is read
// against the request path it answers (the base).
//
// There are three layers:
//
//   - [Reader] walks the entries as they are: kind, identifier, value bytes
//     and offset, with [Reader.Children] for a container and [Reader.Skip]
//     to pass over one. [Writer] appends entries, with Begin and End for
//     containers, always in the shortest form.
//   - [DecodeValue], [AppendValue] and [ValueLen] convert between value bytes
//     and an [lwm2m.Value] of a given [lwm2m.Type].
//   - [Values] and [Decode] resolve a payload into (path, value) pairs in
//     wire order, typed by an [lwm2m.Registry]; [Encode] is the inverse.
//
// Resolving a payload and writing it back:
//
//	err := tlv.Decode(payload, base, reg, func(p path.Path, v lwm2m.Value) error {
//		records = append(records, tlv.Record{Path: p, Value: v})
//		return nil
//	})
//	out, err := tlv.Encode(out[:0], base, records)
//
// # Strictness
//
// Decoding rejects what the specification forbids or what cannot be
// resolved, and documents what it tolerates:
//
//   - Rejected: an entry running past the end of the input or of its
//     container (including any trailing bytes that do not form an entry);
//     identifier 65535 (MAX_ID, LwM2M Core 7.1) at any level; an entry
//     where the hierarchy does not allow it (an Object Instance in an
//     Object Instance, a Resource Instance outside a Multiple Resource, a
//     Resource inside a Multiple Resource); top-level entries the base
//     path does not allow (see [NewReader]: notably anything but Object
//     Instance TLVs under an object path, since "the Object Instance TLV
//     MUST be used" when the request names no instance, and an identifier
//     that differs from the base); in [Values], a repeated identifier
//     among siblings, a value whose length or content breaks its type
//     (Appendix C: integers of 1, 2, 4 or 8 bytes, a Boolean of 1 byte 0
//     or 1, text that is not UTF-8, ...) and, for resources the registry
//     knows, a multiplicity that contradicts the model (a Multiple
//     Resource "MUST" use the Multiple Resource TLV).
//   - Accepted: non-minimal widths, such as a 16-bit identifier below 256,
//     a Length field where bits 2-0 would do, or an integer in 8 bytes that
//     fits in 1. Section 7.4.3 gives the possible widths of each field but
//     no rule that the shortest be used (Appendix C says integers "may be"
//     1, 2, 4 or 8 bytes long); Encode and Writer always write the
//     shortest form, and the fuzz tests check that re-encoding is never
//     longer. Bits 2-0 of the type byte are ignored when a Length
//     field is present, as the specification requires. Under a resource
//     path, Resource Instance TLVs without the Multiple Resource TLV
//     around them are accepted (Anjay's reader takes them too): the
//     "MUST be used" of 7.4.3 binds what a Client returns, and a decoder
//     cannot tell a response from a Write. Under an object instance path,
//     one Object Instance TLV with that instance's identifier around the
//     resources is accepted (Leshan's decoder tests send one).
//   - Identifiers need not ascend; only duplicates are rejected.
//
// # Allocation and aliasing
//
// Reading, resolving, converting and writing do not allocate: Entry.Value
// and String, Opaque and Corelnk values alias the input, with their
// capacity clipped, and are valid until that buffer is reused (copy them to
// keep them). A Writer appends to the caller's slice and allocates only to
// grow it. The exceptions are errors (one *Error each) and [Values]
// meeting a container with more than 16 identifiers out of order, which
// allocates one 8 KiB set per nesting level to find duplicates. A Decode
// callback that does not escape costs nothing; the allocation tests pin
// every count.
//
// # Limits
//
// [Limits.MaxDepth] bounds nesting, 1 to 3 (the default, and the deepest
// the hierarchy allows). A value is at most [MaxValueLen] (16,777,215)
// bytes, the largest a 24-bit Length field holds. Identifiers are 0 to
// 65534.
//
// # Errors
//
// Errors are [*Error] values naming the field, the byte offset, the
// resolved path when there is one, the rule and the class:
// [ErrTruncated] when the input ends inside a top-level entry (wrapping
// io.ErrUnexpectedEOF), [ErrMalformed] for everything the rules above
// reject, [ErrLimit] for MaxDepth and the 24-bit length, and
// [ErrUnsupported] for a payload against the root path (no Object ID) or
// an unknown type. Encoders check the same rules, set Offset to -1 and
// return b unchanged.
//
// # Adding a data type
//
// A new [lwm2m.Type] needs a case in decodeValue, appendValue and ValueLen
// (value.go), with its Appendix C TLV form cited, and rows in the value
// table of value_test.go. The entry kinds are fixed by the two type bits.
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
package tlv
