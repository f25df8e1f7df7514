// Package lwjson encodes and decodes the legacy OMA LwM2M JSON format
// (application/vnd.oma.lwm2m+json, CoAP Content-Format 11543, [LwM2M 1.0]
// section 6.4.4; LwM2M 1.1 keeps it for compatibility and 1.2 replaces it
// with SenML JSON, see package lwm2m/senml), without allocating.
//
// A payload is one JSON object:
//
//	{"bn":"/3/0/","bt":1367491215,"e":[
//	  {"n":"0","sv":"Open Mobile Alliance"},
//	  {"n":"6/0","v":1},
//	  {"n":"13","v":1367491215,"t":-5}]}
//
// with an optional base name bn, an optional base time bt and the array e
// of entries, each with an optional name n, one value and an optional time
// t. The value member follows the resource type: v (a number) for Integer,
// Unsigned Integer, Float and Time; bv (true or false) for Boolean; sv (a
// string) for String, Corelnk and Opaque (as base64); ov ("ObjectID:
// InstanceID") for Objlnk. The field names are those of the IANA
// registration's specification and of Leshan's and Wakaama's codecs
// (eclipse-leshan/leshan leshan-lwm2m-core/.../json/jackson/
// JsonArrayEntrySerDes.java; eclipse-wakaama/wakaama tests/
// data_tlv_json_lwm2m_data_test.c).
//
// [Decode] resolves a payload into [Record] values (path, typed value,
// time) against the request path it answers and a registry; a reusable
// [Decoder] does the same without allocating; [Encode] is the inverse.
//
// # Resolution
//
//   - The root members may come in any order; e is required (an empty
//     array has no records), bn and bt are optional, unknown members are
//     skipped, and a member twice is an error. bt is a number.
//   - The path of an entry is bn followed by n, as plain concatenation
//     ("/3/0/" + "6/0", "/2/3" + "/0", "/3/0/1" + "1/0" = "/3/0/11/0", as
//     Wakaama's and Leshan's tests have it). A bn without a leading '/'
//     is read as if it had one ("1024/0/", as Leshan accepts). Without bn,
//     a name with a leading '/' is a full path (Leshan) and any other name
//     is relative to the request path (Wakaama: {"e":[{"n":"0",...}]} for
//     /3/0 is /3/0/0); an entry without n is the request path itself.
//   - The path must be that of a resource or resource instance, at most
//     four identifiers of 0 to 65534, lying under the request path.
//   - The time is bt + t when either is present (HasTime).
//   - An entry needs exactly one value member. When the registry knows the
//     resource, its type decides and the member must match it (see above);
//     an integer type takes any number with an integral value in range
//     (20.0 is 20); Opaque is standard base64 with padding (RFC 4648
//     section 4, what Leshan's decoder requires); a multiple-instance
//     resource needs a resource instance path and a single-instance
//     resource has none. Otherwise the member decides: v is Integer for an
//     integer literal within int64, Unsigned above that, else Float; bv is
//     Boolean, sv String and ov Objlnk.
//   - The same path twice is an error unless the times differ.
//
// # Strictness
//
// The JSON must be RFC 8259 text (see internal/wire: no trailing data, no
// byte order mark, UTF-8 strings without raw control characters and with
// \u surrogates in pairs, numbers within the float64 range), and members
// must have the types above. Accepted beyond the letter of the format:
// white space anywhere JSON allows it, unknown members, the bn without a
// leading '/' and the names relative to the request path described above.
//
// # Allocation and aliasing
//
// A reused [Decoder] and [Encode] do not allocate once warm: String,
// Opaque and Corelnk values alias the input, with their capacity clipped,
// or the decoder's scratch buffer for strings with escapes and for Opaque
// values (valid until the next call on the decoder). [Decode] creates its
// decoder per call: it allocates one buffer of len(b) bytes when the
// payload has escapes or Opaque values, so that values stay valid as long
// as b, and a duplicate index past 32 entries. Errors cost one *Error.
//
// # Limits
//
// [Limits] bounds the entries (default 65,535), the nesting of JSON
// arrays and objects (default 16) and the length of a string (default 16
// MiB).
//
// # Errors
//
// Errors are [*Error] values naming the member, the byte offset, the
// resolved path when there is one, the rule and the class: [ErrTruncated]
// when the input ends inside the JSON text (wrapping io.ErrUnexpectedEOF),
// [ErrMalformed] for broken JSON and the rules above, [ErrLimit] for
// [Limits], and [ErrUnsupported] when encoding a value the format cannot
// carry. Encode sets Offset to -1 and returns b unchanged.
//
// # Adding a data type
//
// A new [lwm2m.Type] needs its value member in typeField and typeMismatch
// and a case in Decoder.typed (decode.go) and in appendValue (encode.go).
//
// [LwM2M 1.0]: https://www.openmobilealliance.org/release/LightweightM2M/V1_0_2-20180209-A/OMA-TS-LightweightM2M-V1_0_2-20180209-A.pdf
package lwjson
