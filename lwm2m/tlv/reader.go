package tlv

import (
	"strconv"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// Kind is the type of identifier in bits 7-6 of a TLV's type byte
// (LwM2M Core 7.4.3). Its value is those two bits.
type Kind uint8

// The four kinds of TLV entry.
const (
	ObjectInstance   Kind = 0 // 00: its value holds Resource and Multiple Resource TLVs
	ResourceInstance Kind = 1 // 01: a value inside a Multiple Resource TLV
	MultipleResource Kind = 2 // 10: its value holds Resource Instance TLVs
	Resource         Kind = 3 // 11: a resource with its value
)

var kindNames = [...]string{"object instance", "resource instance", "multiple resource", "resource"}

// String returns "object instance", "resource instance", "multiple
// resource" or "resource".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// IsContainer reports whether an entry of kind k holds other entries
// (ObjectInstance and MultipleResource) rather than a resource value.
func (k Kind) IsContainer() bool { return k == ObjectInstance || k == MultipleResource }

// level returns the path level of an entry of kind k: /o/i for an object
// instance, /o/i/r for a resource, /o/i/r/ri for a resource instance.
func (k Kind) level() path.Level {
	switch k {
	case ObjectInstance:
		return path.InstanceLevel
	case ResourceInstance:
		return path.ResourceInstanceLevel
	}
	return path.ResourceLevel
}

// Entry is one TLV: its kind, identifier and value.
//
// Value aliases the buffer given to [NewReader], with its capacity clipped;
// it is valid until that buffer is reused. For a container it holds the
// encoded children: read them with [Reader.Children].
type Entry struct {
	Kind   Kind
	ID     uint16
	Value  []byte
	Offset int // offset of the type byte in the buffer given to NewReader

	hdr uint8 // header length: type byte, identifier and length field
}

// ValueOffset returns the offset of Value in the buffer given to NewReader.
func (e Entry) ValueOffset() int { return e.Offset + int(e.hdr) }

// DefaultMaxDepth is the default of [Limits.MaxDepth] and the deepest
// nesting the format has: Object Instance > Multiple Resource > Resource
// Instance.
const DefaultMaxDepth = 3

// Limits bounds what a [Reader] accepts. The zero value means the defaults.
type Limits struct {
	// MaxDepth is the deepest nesting accepted, 1 to 3; top-level entries
	// are at depth 1. 0 means DefaultMaxDepth (3); values above 3 act as
	// 3, since the TLV hierarchy cannot nest deeper. With 1, containers
	// must be empty; with 2, a Multiple Resource inside an Object Instance
	// must be.
	MaxDepth int

	// Canonical rejects entries whose identifier or length field is wider
	// than needed: a 16-bit identifier below 256, a length field for a value
	// shorter than 8 bytes, a 16-bit length below 256 or a 24-bit one below
	// 65536. The specification allows these forms (7.4.3 gives both widths
	// without requiring the shorter), so the default accepts them; Writer
	// always produces the canonical form.
	Canonical bool
}

func (l Limits) maxDepth() uint8 {
	if l.MaxDepth <= 0 || l.MaxDepth > DefaultMaxDepth {
		return DefaultMaxDepth
	}
	return uint8(l.MaxDepth)
}

// ctxTop marks a Reader over a top-level payload; otherwise the context is
// the Kind of the container being read. noLast marks a Reader with no
// current entry.
const (
	ctxTop = 4
	noLast = 0xff
)

// Reader walks the TLV entries of a payload or of one container's value,
// without allocating. It is a small value: copy it to save the parsing
// state and resume from the copy later.
//
//	r := tlv.NewReader(payload, base, tlv.Limits{})
//	for e, ok := r.Next(); ok; e, ok = r.Next() {
//		if e.Kind.IsContainer() {
//			c := r.Children()
//			for ce, ok := c.Next(); ok; ce, ok = c.Next() { ... }
//			if err := c.Err(); err != nil { ... }
//		}
//	}
//	if err := r.Err(); err != nil { ... }
//
// Next reports false at the end of the entries or at the first error; Err
// tells which. Next checks each entry in full before returning it: its
// header, its identifier, its place in the hierarchy and, for a container,
// every entry nested inside it, so a walk that stops at the top level
// still rejects a malformed payload. Skip passes over the next entry after
// checking only its header and its place, not what it contains: the format
// is self-describing so that a parser can skip entries it does not know.
type Reader struct {
	in       []byte // the whole buffer given to NewReader
	off, end int    // the entries still to read are in[off:end]
	ctx      uint8  // ctxTop, or the Kind of the container being read
	depth    uint8  // depth of the entries read, 1 at the top
	maxDepth uint8
	canon    bool      // Limits.Canonical
	seen     uint8     // top level: bit k set once an entry of Kind k was read
	base     path.Path // top level: the request path the payload answers
	last     uint8     // Kind of the entry Next or Skip last returned, or noLast
	lastVal  int       // offset of that entry's value
	lastEnd  int       // offset after it
	err      error
}

// NewReader returns a Reader over the TLV payload b, which answers the
// request path base (the path of the Read, or the target of the Write).
//
// The base decides which entries may appear at the top level
// (LwM2M Core 7.4.3):
//   - the root "/": any kind (a raw walk: TLV itself carries no Object ID);
//   - an object "/o": Object Instance TLVs only, since the Object Instance
//     TLV MUST be used when the request has no Object Instance ID;
//   - an object instance "/o/i": Resource and Multiple Resource TLVs, or a
//     single Object Instance TLV with identifier i that wraps them;
//   - a resource "/o/i/r": one Multiple Resource or Resource TLV with
//     identifier r, or Resource Instance TLVs directly (see the package
//     documentation on strictness);
//   - a resource instance "/o/i/r/ri": one Resource Instance TLV with
//     identifier ri.
func NewReader(b []byte, base path.Path, lim Limits) Reader {
	return Reader{in: b, end: len(b), ctx: ctxTop, depth: 1, maxDepth: lim.maxDepth(), canon: lim.Canonical, base: base, last: noLast}
}

// Next returns the next entry, or false at the end of the entries or on an
// error (see Err). The entry, including everything nested in it, has been
// checked.
func (r *Reader) Next() (Entry, bool) { return r.next(true) }

// Skip passes over the next entry, checking its header and its place in
// the hierarchy but not the entries nested in it. It reports false at the
// end of the entries or on an error (see Err). After Skip, Children reads
// the skipped entry's children.
func (r *Reader) Skip() bool {
	_, ok := r.next(false)
	return ok
}

// Err returns the error that stopped Next or Skip, or nil at a clean end.
func (r *Reader) Err() error { return r.err }

// Offset returns the offset, in the buffer given to NewReader, of the next
// entry.
func (r *Reader) Offset() int { return r.off }

// Children returns a Reader over the entries nested in the container that
// Next or Skip last returned. If there is none (no entry yet, or the entry
// is a Resource or Resource Instance, whose value is not TLV), the Reader
// it returns reads nothing and its Err reports the misuse.
func (r *Reader) Children() Reader {
	c := Reader{in: r.in, depth: r.depth + 1, maxDepth: r.maxDepth, canon: r.canon, last: noLast}
	if r.last == noLast || !Kind(r.last).IsContainer() {
		c.err = decErr("entry", r.off, ErrUnsupported, "", "Children called without a container entry")
		return c
	}
	c.ctx = r.last
	c.off, c.end = r.lastVal, r.lastEnd
	if c.off < c.end && c.depth > c.maxDepth {
		c.err = decErr("entry", c.off, ErrLimit, ruleHierarchy, "nesting deeper than Limits.MaxDepth")
	}
	return c
}

func (r *Reader) next(validate bool) (Entry, bool) {
	r.last = noLast
	if r.err != nil || r.off >= r.end {
		return Entry{}, false
	}
	e, next, err := readHeader(r.in, r.off, r.end, r.ctx == ctxTop, r.canon)
	if err == nil {
		err = r.place(e)
	}
	if err == nil && e.Kind.IsContainer() && len(e.Value) > 0 {
		if r.depth >= r.maxDepth {
			err = decErr("entry", e.ValueOffset(), ErrLimit, ruleHierarchy, "nesting deeper than Limits.MaxDepth")
		} else if validate {
			err = validateChildren(r.in, e.ValueOffset(), next, e.Kind, r.depth+1, r.maxDepth, r.canon)
		}
	}
	if err != nil {
		r.err = err
		return Entry{}, false
	}
	r.off = next
	r.last, r.lastVal, r.lastEnd = uint8(e.Kind), e.ValueOffset(), next
	return e, true
}

// validateChildren checks the children of a container of kind parent, which lie
// in in[off:end] at the given depth, and everything nested in them.
func validateChildren(in []byte, off, end int, parent Kind, depth, maxDepth uint8, canon bool) error {
	for off < end {
		e, next, err := readHeader(in, off, end, false, canon)
		if err != nil {
			return err
		}
		if err := childPlace(parent, e); err != nil {
			return err
		}
		if e.Kind.IsContainer() && len(e.Value) > 0 {
			if depth >= maxDepth {
				return decErr("entry", e.ValueOffset(), ErrLimit, ruleHierarchy, "nesting deeper than Limits.MaxDepth")
			}
			if err := validateChildren(in, e.ValueOffset(), next, e.Kind, depth+1, maxDepth, canon); err != nil {
				return err
			}
		}
		off = next
	}
	return nil
}

// readHeader reads the entry at in[off:end], which is not empty, and
// returns it and the offset after it. top says whether the entry is at the
// top level, where running out of bytes is truncation rather than an entry
// overrunning its container. canon applies Limits.Canonical.
func readHeader(in []byte, off, end int, top, canon bool) (Entry, int, error) {
	t := in[off]
	p := off + 1
	idLen := 1 + int(t>>5&1)
	if end-p < idLen {
		return Entry{}, 0, short(p, "identifier", top)
	}
	id := uint16(in[p])
	if idLen == 2 {
		id = id<<8 | uint16(in[p+1])
	}
	if id == 0xffff {
		return Entry{}, 0, decErr("identifier", p, ErrMalformed, ruleMaxID, "65535 is reserved")
	}
	if canon && idLen == 2 && id < 256 {
		return Entry{}, 0, decErr("identifier", p, ErrMalformed, "Limits.Canonical", "16-bit identifier below 256")
	}
	p += idLen
	lenAt, n := off, int(t&7)
	if lt := int(t >> 3 & 3); lt != 0 {
		// Bits 2-0 MUST be ignored when a Length field is present.
		lenAt = p
		if end-p < lt {
			return Entry{}, 0, short(p, "length", top)
		}
		n = 0
		for i := range lt {
			n = n<<8 | int(in[p+i])
		}
		if canon && (n < 8 || lt > 1 && n < 1<<(8*(lt-1))) {
			return Entry{}, 0, decErr("length", p, ErrMalformed, "Limits.Canonical", "length field wider than needed")
		}
		p += lt
	}
	if end-p < n {
		if top {
			return Entry{}, 0, decErr("length", lenAt, ErrTruncated, ruleTLV, "value runs past the end of the input")
		}
		return Entry{}, 0, decErr("length", lenAt, ErrMalformed, ruleTLV, "value runs past the end of its container")
	}
	return Entry{Kind: Kind(t >> 6), ID: id, Value: in[p : p+n : p+n], Offset: off, hdr: uint8(p - off)}, p + n, nil
}

func short(off int, field string, top bool) error {
	if top {
		return decErr(field, off, ErrTruncated, ruleTLV, "input ends inside the "+field)
	}
	return decErr(field, off, ErrMalformed, ruleTLV, field+" runs past the end of its container")
}

// childPlace checks that an entry of e's kind may sit in a container of
// kind parent.
func childPlace(parent Kind, e Entry) error {
	switch {
	case parent == ObjectInstance && (e.Kind == Resource || e.Kind == MultipleResource),
		parent == MultipleResource && e.Kind == ResourceInstance:
		return nil
	case parent == ObjectInstance && e.Kind == ObjectInstance:
		return decErr("type", e.Offset, ErrMalformed, ruleHierarchy, "object instance inside an object instance")
	case parent == ObjectInstance:
		return decErr("type", e.Offset, ErrMalformed, ruleHierarchy, "resource instance outside a multiple resource")
	}
	return decErr("type", e.Offset, ErrMalformed, ruleHierarchy, "multiple resource holds a "+e.Kind.String())
}

// place checks e's place: inside a container, the hierarchy; at the top
// level, the rules of the base path (see NewReader).
func (r *Reader) place(e Entry) error {
	if r.ctx != ctxTop {
		return childPlace(Kind(r.ctx), e)
	}
	seen := r.seen
	r.seen |= 1 << e.Kind
	lvl := r.base.Level()
	if lvl == path.RootLevel {
		return nil
	}
	el := e.Kind.level()
	if el > lvl+1 {
		// A resource at /o, a resource instance at /o or /o/i.
		if lvl == path.ObjectLevel {
			return decErr("type", e.Offset, ErrMalformed, ruleInstTLV, e.Kind.String()+" at the top of an object's payload")
		}
		return decErr("type", e.Offset, ErrMalformed, ruleHierarchy, "resource instance outside a multiple resource")
	}
	if el <= lvl {
		// The entry names the base itself (or, for a resource instance
		// path, an ancestor): its identifier must match, and it must be
		// the only entry.
		if el < lvl {
			return decErr("type", e.Offset, ErrMalformed, ruleTLV, e.Kind.String()+" above the level of the request path")
		}
		if e.ID != r.base.ID(int(el)-1) {
			return decErr("identifier", e.Offset+1, ErrMalformed, ruleTLV, "identifier differs from the request path")
		}
		if seen != 0 {
			return decErr("type", e.Offset, ErrMalformed, ruleTLV, "more than one entry for the request path")
		}
		return nil
	}
	// A child of the base (el == lvl+1): not after an entry for the base.
	var self uint8
	switch lvl {
	case path.InstanceLevel:
		self = 1 << ObjectInstance
	case path.ResourceLevel:
		self = 1<<MultipleResource | 1<<Resource
	}
	if seen&self != 0 {
		return decErr("type", e.Offset, ErrMalformed, ruleTLV, "more than one entry for the request path")
	}
	return nil
}
