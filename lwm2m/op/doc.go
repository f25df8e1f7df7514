// Package op maps CoAP messages to the LwM2M operations of the Bootstrap,
// Client Registration, Device Management and Service Enablement, and
// Information Reporting interfaces ([LwM2M Core] 1.1 and 1.2 section 6,
// mapped to CoAP in [LwM2M Transport] section 6), in both directions,
// without allocating.
//
// [Request.Parse] reads a decoded [coapmsg.Message] into a [Request]: the
// operation ([Kind]), its target path, Content-Format and Accept, typed
// query parameters (registration [Params], notification [Attributes],
// Discover depth), the registration [Location], the payload and the
// token. The same CoAP request means different operations at different
// ends, so the caller says where it arrived ([Role]):
//
//	var req op.Request
//	if err := req.Parse(&msg, op.RoleClientFromServer); err != nil {
//		// err is an *op.Error; its Code is the response to send (4.04, 4.05, ...)
//	}
//	switch req.Kind {
//	case op.KindRead: ...
//	}
//
// A [Builder] writes a Request or a [Response] back as a CoAP message with
// coapmsg's builder: [Builder.AppendRequest], [Builder.AppendResponse], or
// [Builder.Request] for the [coapmsg.Message] itself (to frame it for TCP).
// [Kind.Codes] and [Kind.Allows] give the response codes of each operation;
// [Reply] and [Notify] start a response; [Response.Parse] checks one.
//
// # The mapping
//
//	Role                     Method  URI                       Operation
//	RoleBootstrapServer      POST    /bs?ep=&pct=              Bootstrap-Request
//	                         GET     /bspack?ep=               Bootstrap-Pack-Request (1.2)
//	RoleClientFromBootstrap  POST    /bs                       Bootstrap-Finish
//	                         PUT     /o[/i[/r]]                Bootstrap-Write
//	                         GET     /o[/i]                    Bootstrap-Read (1.1)
//	                         GET     [/o]  Accept 40           Bootstrap-Discover
//	                         DELETE  [/o[/i]]                  Bootstrap-Delete
//	RoleServer               POST    /rd?ep=&lt=&lwm2m=&b=&sms=&Q   Register
//	                         POST    /rd/{id}?lt=&b=&sms=&Q    Update
//	                         DELETE  /rd/{id}                  De-register
//	                         POST    /dp                       Send (1.1)
//	RoleClientFromServer     GET     /o[/i[/r[/ri]]]           Read
//	                         GET     /o[/i[/r]]  Accept 40     Discover (?depth=, 1.2)
//	                         GET     ... Observe 0 / 1         Observe / Cancel Observation
//	                         FETCH   /  [Observe 0 / 1]        Read-, Observe-Composite / cancel (1.1)
//	                         PUT     /o/i[/r[/ri]]             Write (replace)
//	                         POST    /o/i[/r]                  Write (partial update)
//	                         iPATCH  /                         Write-Composite (1.1)
//	                         PUT     /o[/i[/r[/ri]]]?pmin=..   Write-Attributes
//	                         POST    /o/i/r                    Execute
//	                         POST    /o                        Create
//	                         DELETE  /o/i                      Delete
//	                         RST (Empty)                       Cancel Observation by Reset
//
// The rules each operation enforces cite their section in the source (and
// in [Error.Rule]). Choices where the specification leaves room:
//
//   - A POST on a Resource is an Execute when it has no Content-Format or
//     plain text, and a partial-update Write otherwise (Transport 1.2 lets
//     a partial update target a multiple-instance Resource; Anjay and
//     Leshan decide the same way).
//   - A PUT with Uri-Query options is a Write-Attributes and may carry
//     no Content-Format or payload; a PUT without them is a Write, which
//     needs a Content-Format (4.00 without one).
//   - Plain text, opaque and CBOR (60) carry one value, so a Write,
//     Create or Bootstrap-Write in them must target a Resource or
//     Resource Instance (4.00), and a Read asking for them an equally
//     deep path (4.06).
//   - Attributes without a value ("?pmin") remove the attribute; only
//     Write-Attributes may carry them. The values follow the checks of
//     LwM2M Core 1.2 section 7.3: integers never negative, st >= 0, pmin
//     <= pmax, epmin <= epmax, lt < gt and lt + 2*st < gt; gt, lt, st and
//     edge attach only to a Resource or Resource Instance. Unknown
//     attributes, and the read-only properties (ver, dim, ssid, uri), are
//     errors. LwM2M 1.2 lets an Observe and an Observe-Composite carry
//     attributes; they are parsed the same way.
//   - Register needs ep and a payload; a Content-Format, if present, must
//     be application/link-format. A missing lwm2m means 1.0, which forbids
//     the T and N bindings and the Q parameter; 1.1 and later forbid the Q
//     binding letter. Update may carry Q (as Anjay sends it). Unknown
//     parameters of Register, Update and the bootstrap requests are kept
//     in [Params.Extra] (Leshan keeps them too); a known parameter that the
//     operation does not define (ep in an Update) is an error.
//   - An LwM2M server recognizes Update and De-register on locations under
//     /rd, the form every implementation assigns; a client builds them
//     for any location the server returned.
//   - The Bootstrap-Pack-Request ep is optional, as Anjay sends it.
//   - Observe values other than 0 and 1 in a request are errors (RFC 7641
//     section 2 defines only those).
//
// # Allocation and aliasing
//
// Parse, the Builder, the response helpers and Args allocate nothing on
// success: a Request's Token, Payload, Params.Endpoint, Params.SMS,
// Params.Extra and Location segments alias the parsed message's buffer and
// are valid until it is reused (copy the message with coapmsg's CopyTo to
// keep them). A Builder owns the message it builds and the bytes of the
// values it formats; that storage grows to the largest message built and
// is then reused. Errors cost one allocation (an *Error). The one other
// exception: a gt, lt or st value longer than 32 bytes is converted to a
// string for strconv.ParseFloat, which costs one allocation.
//
// # Limits
//
// A path has at most 4 identifiers of 0 to 65534 (lwm2m/path). A
// registration location has at most [MaxLocationSegments] segments, and
// Register, Update and the bootstrap requests keep at most
// [MaxExtraParams] unknown query parameters; more give an error wrapping
// [ErrLimit]. The gt, lt and st attributes are below [MaxDecimal] in
// magnitude (4.00 otherwise), so that the exact decimal form the Builder
// writes fits a Uri-Query option. Option values are bounded by coapmsg.
//
// # Errors
//
// Every error is an [*Error] that wraps one class: [ErrNotRequest] (no
// response), [ErrBadRequest] (4.00), [ErrNotFound] (4.04), [ErrNotAllowed]
// (4.05), [ErrNotAcceptable] (4.06), [ErrUnsupportedFormat] (4.15),
// [ErrBadOption] (4.02, or 5.05 for a Proxy-Uri), [ErrLimit] (4.00) and,
// for responses, [ErrResponse]. Error.Code is the response a server sends,
// Error.Rule the section broken, Error.Kind and Error.Path what was
// recognized.
//
// # Adding an operation
//
// A new operation needs a Kind constant and its kindInfo entry (kind.go:
// name, receiving role, path levels, response codes with their table), a
// case in the role's mapping function (parse.go), its method in
// Kind.method and its URI in Builder.Request (build.go), and its format
// and parameter rules in check.go. Add rows to the tables of
// parse_test.go; the round-trip and fuzz tests then cover it.
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
// [LwM2M Transport]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Transport-V1_2-20201110-A.html
package op
