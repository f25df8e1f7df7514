// Package lwm2m holds the LwM2M resource data model that every content
// format shares ([LwM2M Core] 1.1 and 1.2): the resource types of Appendix
// C, a [Value] that holds any of them without allocating, the Plain Text
// (section 7.4.1) and Opaque (section 7.4.2) content formats for a single
// value, and the object models (Appendix D and E) that give values their
// types.
//
// A content format decoder asks the [Registry] for the type of a resource
// and parses the payload with it:
//
//	reg := lwm2m.CoreRegistry()
//	def, ok := reg.Resource(3, 13) // Device, Current Time: Time, RW
//	v, err := lwm2m.ParseText(def.Type, payload, nil)
//	out, err := lwm2m.AppendText(out[:0], v)
//
// # Allocation and aliasing
//
// A Value is a small struct. String, Opaque and Corelnk values alias the
// byte slice they were made from; ParseText and ParseOpaque return values
// that alias the payload, valid until that buffer is reused. The one
// exception is an Opaque value in Plain Text, which is base64 and has to be
// decoded: ParseText writes the bytes into the dst buffer it is given and
// the value aliases dst. Parsing, formatting and registry lookups do not
// allocate, except that ParseText allocates once when dst is too small for
// an Opaque value, and once for a Float written with more than 24
// significant digits (no shortest-form encoder writes one). Registering an
// object copies it.
//
// # Limits
//
// Object and resource IDs are 0 to 65534: MAX_ID 65535 is reserved
// (LwM2M Core 7.1). Integer and Time values are 64-bit signed, Unsigned
// values 64-bit unsigned, Floats IEEE 754 binary64. Plain Text has no other
// limit than the length of the payload.
//
// # Errors
//
// Errors are [*Error] values with the byte offset (parsing), the object and
// resource (registering), the rule and a class: [ErrMalformed] for text that
// is not a value of the expected type, [ErrUnsupported] for a type that a
// content format cannot carry (an Integer in the Opaque format, a NaN in
// Plain Text), [ErrModel] for an invalid object definition and
// [ErrDuplicate] for an object registered twice. Encoders check the same
// rules and return b unchanged on error.
//
// # Adding an object
//
// An application registers its own objects with [Registry.Register] on a
// registry from [NewRegistry] or [CoreRegistry]. To add an object to the
// core set, append its definition to coreObjects (models_core.go) in object
// ID order, transcribed from the OMA LwM2M registry XML, and cite the
// defining specification section in its comment.
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
package lwm2m
