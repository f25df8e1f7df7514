package tlv

import (
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Values resolves a TLV payload into resource values with full paths, in
// wire order, without allocating in the common case (see below). Use it as
// a cursor:
//
//	it := tlv.NewValues(payload, base, lwm2m.CoreRegistry(), tlv.Limits{})
//	for it.Next() {
//		p, v := it.Path(), it.Value()
//	}
//	if err := it.Err(); err != nil { ... }
//
// Each Resource TLV yields its path /o/i/r and each Resource Instance TLV
// its path /o/i/r/ri. An empty Object Instance or Multiple Resource TLV
// yields its own path with a value of type [lwm2m.None], so that "instance
// /3/1 exists" and "resource /3/0/11 has no instances" survive a decode;
// containers with children yield nothing themselves.
//
// Values are typed by the registry's resource definitions (Appendix C TLV
// forms, see DecodeValue). A resource the registry does not know, or all
// resources when the registry is nil, is [lwm2m.Opaque]; so is an
// Executable resource (type None) that carries bytes. When the registry
// knows a resource, its multiplicity is checked as well: a Multiple
// Resource must come as a Multiple Resource TLV (or as Resource Instance
// TLVs directly under a request path naming it), and a single-instance
// resource as a Resource TLV.
//
// Identifiers must be unique among siblings: a second Object Instance 0, a
// second Resource 1 in one instance or a second Resource Instance 0 in one
// Multiple Resource is an error. Checking this allocates nothing while the
// identifiers of each container ascend, as every encoder we know of writes
// them; a container with more than 16 entries out of order costs one
// allocation of 8 KiB per nesting level for the rest of the walk.
//
// String, Opaque and Corelnk values alias the payload. A Values shares that
// bookkeeping between copies, so, unlike a [Reader], it must not be copied
// once Next has been called.
type Values struct {
	rd   [DefaultMaxDepth]Reader
	dup  [DefaultMaxDepth]dupSet
	up   [DefaultMaxDepth]path.Path // up[d]: the path of the container read by rd[d+1]
	n    int                        // readers in use
	reg  *lwm2m.Registry
	base path.Path
	p    path.Path
	v    lwm2m.Value
	off  int
	err  error
}

// NewValues returns a Values over the TLV payload b, which answers the
// request path base, typed by reg (which may be nil). The base decides the
// top-level entries as for [NewReader]; it must name at least an object,
// since TLV carries no Object ID.
func NewValues(b []byte, base path.Path, reg *lwm2m.Registry, lim Limits) Values {
	it := Values{rd: [DefaultMaxDepth]Reader{NewReader(b, base, lim)}, n: 1, reg: reg, base: base}
	it.dup[0].reset(0)
	return it
}

// Path returns the path of the value Next last found.
func (it *Values) Path() path.Path { return it.p }

// Value returns the value Next last found.
func (it *Values) Value() lwm2m.Value { return it.v }

// Offset returns the offset in the payload of the entry Next last found.
func (it *Values) Offset() int { return it.off }

// Err returns the error that stopped Next, or nil at a clean end.
func (it *Values) Err() error { return it.err }

// Next finds the next value. It reports false at the end of the payload or
// at the first error (see Err).
func (it *Values) Next() bool {
	for it.err == nil && it.n > 0 {
		d := it.n - 1
		r := &it.rd[d]
		e, ok := r.next(false)
		if !ok {
			if r.err != nil {
				it.err = r.err
				return false
			}
			it.dup[d].done()
			it.n--
			continue
		}
		p, err := it.entryPath(d, e)
		if err == nil {
			err = it.dup[d].add(r.in, e)
		}
		var def *lwm2m.ResourceDef
		if err == nil && e.Kind != ObjectInstance {
			def, err = it.checkModel(p, e)
		}
		if err != nil {
			it.err = err
			return false
		}
		it.off = e.Offset
		if e.Kind.IsContainer() {
			if len(e.Value) == 0 {
				it.p, it.v = p, lwm2m.Value{}
				return true
			}
			it.rd[d+1] = r.Children()
			it.up[d] = p
			it.dup[d+1].reset(e.ValueOffset())
			it.n++
			continue
		}
		t := lwm2m.Opaque
		if def != nil && def.Type != lwm2m.None {
			t = def.Type
		}
		v, verr := decodeValue(t, e.Value, e.ValueOffset())
		if verr != nil {
			verr.Path = p
			it.err = verr
			return false
		}
		it.p, it.v = p, v
		return true
	}
	return false
}

// entryPath returns the path of entry e read at depth d.
func (it *Values) entryPath(d int, e Entry) (path.Path, error) {
	var parent path.Path
	if d == 0 {
		if it.base.IsRoot() {
			return parent, decErr("entry", e.Offset, ErrUnsupported, ruleTLV, "the request path names no object, and TLV carries no Object ID")
		}
		// The Reader has checked that the base is at least at the level
		// of e's parent, and that e's identifier matches the base when e
		// names the base itself.
		parent = it.base
		for parent.Level() >= e.Kind.level() {
			parent = parent.Parent()
		}
	} else {
		parent = it.up[d-1]
	}
	p, _ := parent.Child(e.ID) // e.ID < 65535, checked by readHeader
	return p, nil
}

// checkModel looks up the resource of a Resource, Multiple Resource or
// Resource Instance entry in the registry and checks its multiplicity. It
// returns nil for a resource the registry does not know.
func (it *Values) checkModel(p path.Path, e Entry) (*lwm2m.ResourceDef, error) {
	if it.reg == nil {
		return nil, nil
	}
	o, _ := p.ObjectID()
	r, _ := p.ResourceID()
	def, ok := it.reg.Resource(o, r)
	if !ok || def == nil {
		return nil, nil
	}
	var err *Error
	switch {
	case e.Kind == Resource && def.Multiple:
		err = decErr("type", e.Offset, ErrMalformed, ruleMultiTLV, "multiple-instance resource as a Resource TLV")
	case e.Kind != Resource && !def.Multiple:
		err = decErr("type", e.Offset, ErrMalformed, ruleMultiTLV, "single-instance resource as a "+e.Kind.String())
	default:
		return def, nil
	}
	err.Path = p
	return nil, err
}

// Decode resolves the TLV payload b, which answers the request path base,
// and calls fn with each value in wire order (see [Values] for what is
// reported and how values are typed). It stops at the first error, from the
// payload or from fn, and returns it; fn may have been called for the
// values before a malformed part. A callback that does not escape (a
// function literal passed directly) costs no allocation.
func Decode(b []byte, base path.Path, reg *lwm2m.Registry, fn func(p path.Path, v lwm2m.Value) error) error {
	it := NewValues(b, base, reg, Limits{})
	for it.Next() {
		if err := fn(it.p, it.v); err != nil {
			return err
		}
	}
	return it.err
}

// dupSet finds repeated identifiers among the entries of one container.
// While identifiers ascend nothing is stored; an identifier out of order is
// looked up by rescanning the container's earlier entries, and past
// dupRescan earlier entries in a bitmap of all 65535 identifiers.
type dupSet struct {
	start int   // offset of the container's first entry
	max   int32 // largest identifier so far, -1 for none
	n     int   // entries so far
	bits  *[1024]uint64
	inUse bool // bits holds this container's identifiers
}

const dupRescan = 16

func (s *dupSet) reset(start int) {
	s.done()
	s.start, s.max, s.n = start, -1, 0
}

func (s *dupSet) done() {
	if s.inUse {
		clear(s.bits[:])
		s.inUse = false
	}
}

// add records e, whose earlier siblings are in in[s.start:e.Offset].
func (s *dupSet) add(in []byte, e Entry) error {
	id := e.ID
	s.n++
	switch {
	case s.inUse:
	case int32(id) > s.max:
		s.max = int32(id)
		return nil
	case s.n-1 <= dupRescan:
		for off := s.start; off < e.Offset; {
			sib, next, _ := readHeader(in, off, e.Offset, false, false)
			if sib.ID == id {
				return dupErr(e)
			}
			off = next
		}
		return nil
	default:
		if s.bits == nil {
			s.bits = new([1024]uint64)
		}
		for off := s.start; off < e.Offset; {
			sib, next, _ := readHeader(in, off, e.Offset, false, false)
			s.bits[sib.ID>>6] |= 1 << (sib.ID & 63)
			off = next
		}
		s.inUse = true
	}
	w, bit := &s.bits[id>>6], uint64(1)<<(id&63)
	if *w&bit != 0 {
		return dupErr(e)
	}
	*w |= bit
	return nil
}

func dupErr(e Entry) error {
	return decErr("identifier", e.Offset+1, ErrMalformed, ruleTLV, "identifier repeated among siblings")
}
