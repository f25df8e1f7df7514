package tlv

import (
	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
)

// MaxValueLen is the longest value a TLV can carry: its Length field has at
// most 24 bits.
const MaxValueLen = 1<<24 - 1

// Writer appends TLV entries to a byte slice, always in the shortest form:
// an 8-bit identifier when it is below 256, and the Length in bits 2-0 of
// the type byte when it is below 8, else the narrowest Length field.
//
// Containers are written with Begin and End. Begin writes the header with
// no Length field, since the smallest form is the most likely; End patches
// in the Length, moving the children right only when it needs a field
// (internal/wire PatchLen). Errors are sticky: after the first one the
// Writer ignores further calls, and Bytes returns the slice as it was
// before Reset, with the error.
//
//	var w tlv.Writer
//	w.Reset(buf[:0])
//	w.Begin(tlv.ObjectInstance, 0)
//	w.Value(tlv.Resource, 0, lwm2m.StringValue(manufacturer))
//	w.End()
//	buf, err := w.Bytes()
//
// The Writer checks the hierarchy: an Object Instance only at the top
// level, a Resource or Multiple Resource at the top level or in an Object
// Instance, a Resource Instance at the top level or in a Multiple Resource.
// It does not check identifiers for duplicates. The zero Writer appends to
// a nil slice.
type Writer struct {
	b     []byte
	start int // len(b) at Reset
	open  [2]frame
	n     int // open containers
	err   error
}

// frame is an open container: the offset of its type byte and of its body.
type frame struct {
	at, body int
	kind     Kind
}

// Reset makes w append to b, forgetting any state and error.
func (w *Writer) Reset(b []byte) { *w = Writer{b: b, start: len(b)} }

// Bytes returns the slice with the entries appended, or, after an error or
// with a container still open, the slice given to Reset and the error.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err == nil && w.n > 0 {
		w.fail(encErr("entry", rootPath, ErrMalformed, ruleTLV, "container not closed with End"))
	}
	if w.err != nil {
		return w.b[:w.start], w.err
	}
	return w.b, nil
}

// Err returns the first error, if any.
func (w *Writer) Err() error { return w.err }

// Depth returns the number of containers open.
func (w *Writer) Depth() int { return w.n }

func (w *Writer) fail(err *Error) {
	if w.err == nil {
		w.err = err
	}
}

// check reports whether an entry of kind k with identifier id may be
// written now.
func (w *Writer) check(k Kind, id uint16) bool {
	if w.err != nil {
		return false
	}
	if id == 0xffff {
		w.fail(encErr("identifier", rootPath, ErrMalformed, ruleMaxID, "65535 is reserved"))
		return false
	}
	if k > Resource {
		w.fail(encErr("type", rootPath, ErrMalformed, ruleTLV, "unknown kind"))
		return false
	}
	if w.n == 0 {
		return true
	}
	parent := w.open[w.n-1].kind
	if parent == ObjectInstance && (k == Resource || k == MultipleResource) ||
		parent == MultipleResource && k == ResourceInstance {
		return true
	}
	w.fail(encErr("type", rootPath, ErrMalformed, ruleHierarchy, k.String()+" inside a "+parent.String()))
	return false
}

// appendHeader appends the type byte, identifier and Length field of an
// entry with a value of n bytes.
func appendHeader(b []byte, k Kind, id uint16, n int) []byte {
	t := byte(k) << 6
	if id > 0xff {
		t |= 0x20
	}
	lw := lenWidth(n)
	if lw == 0 {
		t |= byte(n)
	} else {
		t |= byte(lw) << 3
	}
	b = append(b, t)
	if id > 0xff {
		b = append(b, byte(id>>8))
	}
	b = append(b, byte(id))
	return appendBE(b, uint64(n), lw)
}

// lenWidth returns the width of the Length field for a value of n bytes:
// 0 when bits 2-0 of the type byte hold n, else 1 to 3.
func lenWidth(n int) int {
	switch {
	case n <= 7:
		return 0
	case n <= 0xff:
		return 1
	case n <= 0xffff:
		return 2
	}
	return 3
}

// Begin opens a container: an ObjectInstance or a MultipleResource with
// identifier id. Close it with End.
func (w *Writer) Begin(k Kind, id uint16) {
	if !w.check(k, id) {
		return
	}
	if !k.IsContainer() {
		w.fail(encErr("type", rootPath, ErrMalformed, ruleTLV, "Begin of a "+k.String()+", which is not a container"))
		return
	}
	at := len(w.b)
	w.b = appendHeader(w.b, k, id, 0)
	w.b, _ = wire.ReserveLen(w.b, 0)
	w.open[w.n] = frame{at: at, body: len(w.b), kind: k}
	w.n++
}

// End closes the container opened last, writing its Length.
func (w *Writer) End() {
	if w.err != nil {
		return
	}
	if w.n == 0 {
		w.fail(encErr("entry", rootPath, ErrMalformed, ruleTLV, "End without Begin"))
		return
	}
	f := w.open[w.n-1]
	n := len(w.b) - f.body
	if n > MaxValueLen {
		w.fail(encErr("length", rootPath, ErrLimit, ruleTLV, "container longer than 16,777,215 bytes"))
		return
	}
	if lw := lenWidth(n); lw == 0 {
		w.b[f.at] |= byte(n) // bits 2-0 hold the length: nothing to move
	} else {
		w.b = wire.PatchLen(w.b, f.body, 0, lw, uint64(n))
		w.b[f.at] |= byte(lw) << 3
	}
	w.n--
}

// Append writes an entry of kind k with identifier id and the value bytes
// v as they are. For a Resource or Resource Instance, v is the value in
// its TLV form (see AppendValue); for a container, v is its encoded
// children, which Append does not check.
func (w *Writer) Append(k Kind, id uint16, v []byte) {
	if !w.check(k, id) {
		return
	}
	if len(v) > MaxValueLen {
		w.fail(encErr("length", rootPath, ErrLimit, ruleTLV, "value longer than 16,777,215 bytes"))
		return
	}
	w.b = append(appendHeader(w.b, k, id, len(v)), v...)
}

// Value writes a Resource or Resource Instance with identifier id holding
// v in its TLV form (AppendValue).
func (w *Writer) Value(k Kind, id uint16, v lwm2m.Value) {
	if !w.check(k, id) {
		return
	}
	if k.IsContainer() {
		w.fail(encErr("type", rootPath, ErrMalformed, ruleTLV, "Value for a "+k.String()))
		return
	}
	n := ValueLen(v)
	if n > MaxValueLen {
		w.fail(encErr("length", rootPath, ErrLimit, ruleTLV, "value longer than 16,777,215 bytes"))
		return
	}
	at := len(w.b)
	w.b = appendHeader(w.b, k, id, n)
	b, err := appendValue(w.b, v)
	if err != nil {
		w.b = w.b[:at]
		w.fail(err)
		return
	}
	w.b = b
}
