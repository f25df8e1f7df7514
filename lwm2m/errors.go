package lwm2m

import (
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// The error classes. Every error returned by this package is an [*Error]
// that wraps one of these, so errors.Is(err, ErrMalformed) works.
var (
	// ErrMalformed means the payload is not a value of the expected type,
	// such as "1.5" for an Integer or "yes" for a Boolean (LwM2M Core
	// Appendix C). A server answers 4.00 Bad Request.
	ErrMalformed error = &wire.Sentinel{Msg: "malformed value"}
	// ErrUnsupported means the content format cannot carry a value of
	// that type: anything but Opaque in the Opaque format (LwM2M Core
	// 7.4.2), a NaN or infinity in Plain Text, an unknown Type. A server
	// answers 4.06 Not Acceptable or 4.15 Unsupported Content-Format.
	ErrUnsupported error = &wire.Sentinel{Msg: "unsupported"}
	// ErrModel means an object definition breaks the rules of LwM2M Core
	// Appendix D: an ID above 65534, two resources with one ID, an
	// operation set other than R, W, RW, E or none, type none on a
	// resource that is not executable, and the like.
	ErrModel error = &wire.Sentinel{Msg: "invalid object model"}
	// ErrDuplicate means Register was given an object ID that the
	// registry already holds; Replace overwrites it instead.
	ErrDuplicate error = &wire.Sentinel{Msg: "object already registered"}
)

// Error describes which rule was broken and where. Decoders set Offset to
// the byte offset in the payload and Object and Resource to -1; encoders set
// all three to -1; the registry sets Offset to -1 and Object (and Resource,
// or -1) to the definition concerned. Every field holds constants or
// numbers: an Error never retains the input.
type Error struct {
	Offset   int    // byte offset in the input, or -1
	Object   int    // object ID of an invalid definition, or -1
	Resource int    // resource ID of an invalid definition, or -1
	Rule     string // the section, such as "LwM2M Core Appendix C"
	Msg      string // what is wrong, lower case
	Err      error  // the class
}

// Error formats the error as "lwm2m: at offset 3: integer out of range
// [LwM2M Core Appendix C]", "lwm2m: encode: ..." or "lwm2m: object 3
// resource 4: ...".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "lwm2m: "...)
	switch {
	case e.Offset >= 0:
		b = append(b, "at offset "...)
		b = strconv.AppendInt(b, int64(e.Offset), 10)
	case e.Object >= 0:
		b = append(b, "object "...)
		b = strconv.AppendInt(b, int64(e.Object), 10)
		if e.Resource >= 0 {
			b = append(b, " resource "...)
			b = strconv.AppendInt(b, int64(e.Resource), 10)
		}
	default:
		b = append(b, "encode"...)
	}
	b = append(b, ": "...)
	b = append(b, e.Msg...)
	if e.Rule != "" {
		b = append(b, " ["...)
		b = append(b, e.Rule...)
		b = append(b, ']')
	}
	return string(b)
}

// Unwrap returns the error class.
func (e *Error) Unwrap() error { return e.Err }

func decErr(off int, class error, rule, msg string) error {
	return &Error{Offset: off, Object: -1, Resource: -1, Rule: rule, Msg: msg, Err: class}
}

func encErr(class error, rule, msg string) error {
	return &Error{Offset: -1, Object: -1, Resource: -1, Rule: rule, Msg: msg, Err: class}
}

func modelErr(obj, res int, class error, rule, msg string) error {
	return &Error{Offset: -1, Object: obj, Resource: res, Rule: rule, Msg: msg, Err: class}
}
