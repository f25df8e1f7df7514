// Package link reads and writes the CoRE Link Format ([RFC 6690],
// application/link-format, CoAP Content-Format 40) as LwM2M uses it: the
// object list of a Register or Update payload, and Discover and
// Bootstrap-Discover responses with their attributes ([LwM2M Core] 5.1.2,
// 6.1, 6.2.1, 6.3), without allocating.
//
// A [Reader] walks the links of a payload; each [Link] has its target (the
// URI-Reference without '<' and '>') and a [Params] iterator over its
// parameters, in wire order:
//
//	r := link.NewReader([]byte(`</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>`))
//	for r.Next() {
//		l := r.Link()
//		p, err := l.Path()       // /1/0, with lwm2m/path
//		a, err := l.Attrs()      // typed, checked attributes
//		for it := l.Params(); it.Next(); {
//			p := it.Param()      // Name, Value, HasValue, Quoted
//		}
//	}
//	if err := r.Err(); err != nil { ... }
//
// [Link.Attrs] parses the attributes this package knows into an [Attrs]:
// the LwM2M attributes ver, lwm2m, dim, ssid, uri, pmin, pmax, gt, lt, st,
// epmin, epmax, edge, con and hqmax, and rt, if, ct, sz, rel, rev and
// anchor. A [Writer] builds a payload, and [AppendCanonical] rewrites one in
// canonical form.
//
// # Grammar
//
// The Reader is strict. It accepts exactly the link-value-list of RFC 6690
// section 2:
//
//	Link            = link-value-list
//	link-value-list = [ link-value *[ "," link-value ]]
//	link-value      = "<" URI-Reference ">" *( ";" link-param )
//	link-extension  = ( parmname [ "=" ( ptoken / quoted-string ) ] )
//	                / ( ext-name-star "=" ext-value )
//
// An empty payload has no links; an empty link-value (",,"), a ',' at
// either end, and whitespace anywhere outside a quoted-string are errors
// (the link format has no linear whitespace: section 2 removes it when it
// converts an HTTP Link header; the line breaks in the RFC's examples are
// for readability). The target must be an RFC 3986 URI-Reference; "<>" is
// one. A quoted-string follows RFC 7230 section 3.2.6 (quoted-pair escapes,
// no control characters) and must be UTF-8; an ext-value (a parameter
// name ending in '*') follows RFC 8187 section 3.2.1.
//
// Every link-param of RFC 6690 section 2, rel=relation-types and sz=cardinal
// included, is also a link-extension, so the grammar alone accepts any
// value in token or quoted form for any name. The value rules of the named
// parameters (relation-types, cardinal, URI-Reference) are therefore
// checked by [Link.Attrs], with the LwM2M ranges, and not by the Reader.
//
// # Canonical form
//
// The Writer and [AppendCanonical] write one form for each list of links:
//
//   - no whitespace; links separated by ',' and parameters by ';', in the
//     order given;
//   - the target written as given (a valid URI-Reference is not rewritten);
//   - a parameter without a value as ";name"; an ext-value unquoted, as given;
//   - any other value unquoted when it is a non-empty run of ptokenchar,
//     except for anchor, if, rel, rev, rt, title and uri, which are always
//     quoted: ct=11543, ver=1.1, rt="oma.lwm2m", uri="coaps://s.example";
//   - otherwise a quoted-string in which only '"' and '\' are escaped:
//     ct="60 110", title="a \"b\"".
//
// Parsing a canonical payload and writing it again gives the same bytes,
// and canonicalization keeps every link, name and unescaped value
// (FuzzParse checks both). The RFC 6690 examples and the LwM2M examples
// are canonical.
//
// # Allocation and aliasing
//
// Reading, [Link.Attrs], [Link.Path], the Writer and AppendCanonical do not
// allocate (a decimal attribute longer than 32 bytes costs one allocation
// in strconv), and errors cost one. Targets, names, values and the
// byte-slice fields of Attrs alias the payload, with their capacity
// clipped; they are valid until that buffer is reused. Copy what must
// outlive it, with AppendUnquoted for values.
//
// Values are returned raw: for a quoted-string, the bytes between the
// quotes with their escapes. [AppendUnquoted] removes the escapes into a
// caller's buffer, so the iterator itself never needs one.
//
// # Limits
//
// The Reader keeps no state that grows with the payload, so the number of
// links and parameters is not limited. A typed attribute value that uses
// quoted-pair escapes is unescaped on the stack to be checked and may not
// exceed [MaxEscapedValue] bytes ([ErrLimit]). Integer attributes are
// bounded by their definitions: dim 0 to 255, ssid 1 to 65534, the periods
// and hqmax 0 to 2^63-1 (an LwM2M Integer), ct codes 0 to 65535, version
// parts 0 to 65535.
//
// # Errors
//
// Errors are [*Error] values naming the field, the byte offset in the
// payload, the rule (such as "RFC 6690 2") and the class: [ErrMalformed]
// for a grammar error, [ErrTruncated] for a payload that ends inside a
// link-value, [ErrAttribute] for a well-formed link whose known attribute
// has a bad value, and [ErrLimit]. Writer errors have Offset -1, and the
// Writer returns its input slice unchanged.
//
// # Adding an attribute
//
// A new attribute needs an Attr constant, an entry at the same index in
// attrDefs (attrs.go) with its name, kind, range and defining section, a
// field in Attrs filled in Attrs.set, and a case in Writer.Attrs. A new
// kind of value needs a parser in Attrs.set or checkKind.
//
// [RFC 6690]: https://www.rfc-editor.org/rfc/rfc6690
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
package link
