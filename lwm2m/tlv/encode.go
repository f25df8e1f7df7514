package tlv

import (
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Record is one resolved value: what [Decode] reports and [Encode] takes.
type Record struct {
	Path  path.Path
	Value lwm2m.Value
}

// Encode appends the TLV payload that answers the request path base with
// the records recs, in their order, and is the inverse of Decode: for a
// payload in the canonical form (the shortest widths, no Object Instance
// TLV under an object instance path, a Multiple Resource TLV around
// Resource Instances), Decode then Encode gives back the same bytes.
//
// Every record path must lie under base and name at least an object
// instance; base must name at least an object. Under an object path, each
// run of records of one object instance becomes an Object Instance TLV.
// Each run of records /o/i/r/ri of one resource becomes a Multiple Resource
// TLV, except under a resource instance path, which takes one Resource
// Instance TLV. A record /o/i/r becomes a Resource TLV, or an empty
// Multiple Resource TLV when its value has type None; a record /o/i with a
// None value becomes an empty Object Instance TLV. Records of one instance
// or resource must be adjacent: Encode does not reorder them nor look for
// duplicates.
//
// On error Encode returns b unchanged and an [*Error] with Offset -1.
func Encode(b []byte, base path.Path, recs []Record) ([]byte, error) {
	var w Writer
	w.Reset(b)
	bl := base.Level()
	inst, mr := -1, -1 // identifiers of the open Object Instance and Multiple Resource TLVs
	for i := range recs {
		p, v := recs[i].Path, recs[i].Value
		switch {
		case bl == path.RootLevel:
			return b, encErr("path", p, ErrUnsupported, ruleTLV, "the request path names no object, and TLV carries no Object ID")
		case !base.Contains(p):
			return b, encErr("path", p, ErrMalformed, ruleTLV, "record outside the request path")
		case p.Level() < path.InstanceLevel:
			return b, encErr("path", p, ErrMalformed, ruleTLV, "record for a whole object")
		case p.Level() == path.InstanceLevel && v.Type() != lwm2m.None:
			return b, encErr("path", p, ErrMalformed, ruleTLV, "object instance record with a value")
		}
		lvl := p.Level()
		wantInst := -1
		if bl == path.ObjectLevel {
			wantInst = int(p.ID(1))
		}
		wantMR := -1
		if lvl == path.ResourceInstanceLevel && bl < path.ResourceInstanceLevel {
			wantMR = int(p.ID(2))
		}
		if mr >= 0 && (mr != wantMR || inst != wantInst) {
			w.End()
			mr = -1
		}
		if inst >= 0 && inst != wantInst {
			w.End()
			inst = -1
		}
		if wantInst >= 0 && inst < 0 {
			w.Begin(ObjectInstance, uint16(wantInst))
			inst = wantInst
		}
		switch {
		case lvl == path.InstanceLevel:
			if bl == path.InstanceLevel {
				w.Begin(ObjectInstance, p.ID(1))
				w.End()
			}
			continue // under an object path the open instance is the record
		case wantMR >= 0 && mr < 0:
			w.Begin(MultipleResource, uint16(wantMR))
			mr = wantMR
		}
		switch {
		case lvl == path.ResourceInstanceLevel:
			w.Value(ResourceInstance, p.ID(3), v)
		case v.Type() == lwm2m.None:
			w.Begin(MultipleResource, p.ID(2))
			w.End()
		default:
			w.Value(Resource, p.ID(2), v)
		}
		if w.err != nil {
			if e, ok := w.err.(*Error); ok && e.Path.IsRoot() {
				e.Path = p
			}
			break
		}
	}
	for w.n > 0 && w.err == nil {
		w.End()
	}
	return w.Bytes()
}
