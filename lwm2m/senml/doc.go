// Package senml encodes and decodes SenML ([RFC 8428]) as LwM2M 1.1 and 1.2
// use it: SenML JSON (application/senml+json, Content-Format 110, [LwM2M
// Core] 1.2 section 7.4.5) and SenML CBOR (application/senml+cbor,
// Content-Format 112, section 7.4.6), without allocating.
//
// There are two layers:
//
//   - Raw records: [JSONDecoder] and [CBORDecoder] read the records of a
//     pack as they are on the wire, each a [Record] whose Fields say which
//     labels it has; [AppendJSON] and [AppendCBOR] write records back.
//     Numbers keep their wire form in a [Number] (an integer or a float).
//   - Resolved records: a [Resolver] applies the base fields (RFC 8428
//     section 4.6) and turns each record into a [Resolved]: an LwM2M path,
//     a typed [lwm2m.Value] and an optional time. [DecodeJSON] and
//     [DecodeCBOR] do both layers in one call; [EncodeJSON] and [EncodeCBOR]
//     are their inverses, choosing a base name and base time that shorten
//     the pack.
//
// Reading a Write-Composite or a Read response and writing one:
//
//	err := senml.DecodeJSON(payload, base, reg, func(r senml.Resolved) error {
//		records = append(records, r)
//		return nil
//	})
//	out, err := senml.EncodeJSON(out[:0], base, records)
//
// See [Resolver] for the resolution rules: the name is bn + n and must be
// an LwM2M path under the request path; values are typed by the registry
// where it knows the resource and by the wire otherwise; the same path
// twice is an error unless the times differ.
//
// # Strictness
//
// The JSON must be RFC 8259 text: one array of objects, no trailing data,
// no comments, no byte order mark, strings in UTF-8 without raw control
// characters and with \u surrogates in pairs, numbers in the grammar of
// section 6 (no leading zeros, no NaN) and within the float64 range. On top
// of that:
//
//   - Rejected: a label with a value of the wrong JSON type; a known label
//     twice in one record (RFC 8259 says member names SHOULD be unique,
//     and which one would win is not defined); an unknown label ending in
//     '_' (RFC 8428 4.4); a Base Version above 10, or not a positive
//     integer; two value fields in a record (v, vs, vb, vd, vlo); a
//     record whose name (bn + n) is empty or not an LwM2M path; a value
//     that does not fit its resource (see [Resolver]); the same path twice
//     without distinct times; a vd that is not canonical base64.
//   - An empty payload is not a pack (ErrTruncated), although Leshan
//     reads one as no records; "[]" is the empty pack.
//   - Accepted: unknown labels without a trailing '_', skipped with their
//     values (RFC 8428 4.4, 12.3.1 "MUST ignore"); records without a value
//     (the names of a Read-Composite request); bu, u and ut (ignored);
//     an integer resource written as a float with an integral value
//     ("v":20.0); vd with padding or in the standard alphabet ('+', '/'):
//     RFC 8428 section 5 asks for base64url without padding, and that is
//     what this package writes, but Wakaama and older Zephyr versions send
//     padded standard base64 (a vector notes Leshan accepts both unless
//     configured not to), so both are read. Mixed alphabets, wrong
//     padding, white space and non-zero unused bits are still rejected.
//
// SenML CBOR (RFC 8428 section 6) follows the same rules with integer labels
// (-6 to 8) and the text key "vlo", with these differences:
//
//   - The pack array and each record map must have definite lengths
//     (indefinite ones are ErrUnsupported, as in Wakaama; every LwM2M
//     implementation we know writes definite lengths), and text and byte
//     strings must be definite too (RFC 8428 section 6). Text must be
//     UTF-8. Unknown integer labels and unknown text keys are skipped with
//     their values (to a nesting depth of [Limits].MaxDepth); a text key
//     spelling a label ("n") is an unknown key, not the label.
//   - Numbers may be integers of any CBOR width, floats of half, single and
//     double width, and decimal fractions (tag 4, as Leshan writes bt);
//     other tags are ErrUnsupported. bver must be an unsigned integer.
//   - Writers use the shortest head and the shortest float width that holds
//     the value exactly (half, single, double), as Wakaama does.
//
// # Numbers
//
// A JSON number without fraction or exponent that fits int64 (or, above
// that, uint64) stays an integer; every other number is a float64, parsed
// with correct rounding. Writers use the shortest digits that read back as
// the same float64, in plain notation for decimal exponents -6 to 20 and
// with an exponent otherwise, and add ".0" to an integral float ("20.0")
// so that its kind survives: without a registry an integer literal
// resolves to an Integer and anything else to a Float.
//
// # Allocation and aliasing
//
// [JSONDecoder], [CBORDecoder], [Resolver] and the Append and Encode
// functions do not allocate once warm, and [DecodeCBOR] never does (CBOR
// strings need no unescaping): Record bytes and Resolved String, Opaque and Corelnk values
// alias the input, with their capacity clipped, or the decoder's scratch
// buffer for strings with escapes and for vd (valid until the next call on
// the decoder), and writers append to the caller's slice. A Resolver
// checks the first 32 records for duplicates in place and builds a heap
// index past that, kept across Reset. [DecodeJSON] creates its decoder
// and resolver per call: it allocates one buffer of len(b) bytes when the
// pack has escapes or vd values, so that values stay valid as long as b,
// and the index past 32 records. Errors cost one *Error. The allocation
// tests pin every count.
//
// # Limits
//
// [Limits] bounds the records of a pack (default 65,535; a CBOR array head
// announcing more is rejected before any record is read), the nesting of
// JSON arrays and objects and of CBOR items (default 16; unknown labels may
// carry nested values) and the length of one string (default 16 MiB). An LwM2M path
// has at most 24 characters, so longer names are rejected early.
//
// # Errors
//
// Errors are [*Error] values naming the label, the byte offset, the
// resolved path when there is one, the rule and the class: [ErrTruncated]
// when the input ends inside the JSON text or a CBOR item (wrapping
// io.ErrUnexpectedEOF), [ErrMalformed] for broken JSON or CBOR and the rules
// above, [ErrLimit] for
// [Limits], and [ErrUnsupported] for a later SenML version, a
// must-understand label and, when encoding, NaN, infinities and unknown
// types. Encoders set Offset to -1 and return b unchanged.
//
// # Adding a label or a data type
//
// A new label needs a [Field] constant (after ObjLinkValue, so the bits of
// the others stay), its JSON label in labels and JSONDecoder.label, a case
// in JSONDecoder.record for its JSON type, a place in recordOrder, and a
// rule in Resolver.Resolve if it changes resolution. A new [lwm2m.Type]
// needs its value field in typeField and typeMismatch (resolve.go), a case
// in Resolver.typed and in appendValue (json.go), with the section of
// LwM2M Core 7.4.5 that maps it.
//
// [RFC 8428]: https://www.rfc-editor.org/rfc/rfc8428
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
package senml
