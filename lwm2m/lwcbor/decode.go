package lwcbor

import (
	"math"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// DefaultMaxRecords is the default of [Limits.MaxRecords].
const DefaultMaxRecords = 65535

// Limits bounds what a [Values] accepts. The zero value means the defaults.
type Limits struct {
	// MaxRecords is the largest number of values (leaves of the map tree)
	// a payload may hold, 1 or more; 0 means DefaultMaxRecords (65535).
	// Each value takes at least two bytes, so the input size bounds the
	// work too; the limit bounds what a caller collects.
	MaxRecords int
}

func (l Limits) maxRecords() int {
	return wire.Limit(l.MaxRecords, 1, math.MaxInt, DefaultMaxRecords)
}

// maxMaps is the deepest nesting of maps: the payload's map and one map
// below each of the 4 path levels (a map at a resource instance path can
// only hold keys that make the path too long, which is reported).
const maxMaps = 5

// frame is one open map.
type frame struct {
	left  uint64 // entries left in a definite-length map
	indef bool   // an indefinite-length map, ended by a break
	plen  int    // the length of the path its keys extend
}

// Values resolves an LwM2M CBOR payload into resource values with their
// paths, in wire order, without allocating in the common case (see below).
// Use it as a cursor:
//
//	it := lwcbor.NewValues(payload, base, lwm2m.CoreRegistry(), lwcbor.Limits{})
//	for it.Next() {
//		p, v := it.Path(), it.Value()
//	}
//	if err := it.Err(); err != nil { ... }
//
// The payload is a map whose keys are path identifiers: an unsigned integer
// for one level, or an array of them for several. A key's value is either a
// nested map, whose keys continue the path, or the value of the path built
// so far. Paths are absolute (they start at the Object ID, whatever the
// request path) and must lie under base, the request path the payload
// answers; the root accepts every path (Read-Composite, Write-Composite,
// Send). Each value yields its path; null yields the path with a value of
// type [lwm2m.None] (a path named without a value, as in a Read-Composite
// request) and may stand at any level; other values need a resource or
// resource instance path.
//
// Values are typed by the registry's resource definitions, checked as
// [DecodeValue] describes; a resource the registry does not know, an
// Executable resource, or all resources when the registry is nil, take the
// type of the CBOR item. When the registry knows a resource, its
// multiplicity is checked as well: a Multiple Resource holds its values at
// resource instance paths, and a single-instance resource at its resource
// path.
//
// A path may hold a value only once, and not both a value and values below
// it: /3/0/1 twice, or null at /3/0 beside a value at /3/0/1, is an error
// however the keys spell the paths. While paths ascend (as every encoder we
// know of writes them, and as [Encode] does) checking this costs nothing;
// from the first path out of order on, Values rereads the payload up to
// there once and checks each path against those seen before: in place for
// the first 32, in a map past that, which allocates.
//
// String, Opaque and Corelnk values alias the payload. A Values is a
// cursor over nested maps; copy it only before the first call to Next (the
// map of paths, once made, would be shared by the copies).
type Values struct {
	b      []byte
	base   path.Path
	reg    *lwm2m.Registry
	max    int
	stack  [maxMaps]frame
	n      int // frames in use
	off    int // next byte to read
	cur    path.Path
	state  uint8
	scan   bool // paths only: the reread for the duplicate check
	p      path.Path
	v      lwm2m.Value
	valOff int
	keyOff int
	count  int
	last   path.Path
	ooo    bool // a path came out of order: check every path
	few    [inlineSeen]path.Path
	nfew   int                 // paths in few, while seen is nil
	seen   map[path.Path]uint8 // past inlineSeen paths out of order
	err    error
}

// inlineSeen is how many value paths Values checks for repeats in place,
// by a linear scan, once paths come out of order; past that it keeps them
// in a map, which allocates.
const inlineSeen = 32

// The states of a Values.
const (
	stStart = iota
	stRun
	stDone
)

// Bits of Values.seen.
const (
	seenValue = 1 // the path holds a value
	seenInner = 2 // paths below it hold values
)

// rootPath is the zero Path, for errors where no path is known.
var rootPath path.Path

// NewValues returns a Values over the LwM2M CBOR payload b, which answers
// the request path base, typed by reg (which may be nil).
func NewValues(b []byte, base path.Path, reg *lwm2m.Registry, lim Limits) Values {
	return Values{b: b, base: base, reg: reg, max: lim.maxRecords()}
}

// Path returns the path of the value Next last found.
func (it *Values) Path() path.Path { return it.p }

// Value returns the value Next last found.
func (it *Values) Value() lwm2m.Value { return it.v }

// Offset returns the offset in the payload of the value Next last found.
func (it *Values) Offset() int { return it.valOff }

// Err returns the error that stopped Next, or nil at a clean end.
func (it *Values) Err() error { return it.err }

func (it *Values) fail(err *Error) bool {
	if err.Path.IsRoot() {
		err.Path = it.cur
	}
	it.err = err
	it.state = stDone
	return false
}

// Next finds the next value. It reports false at the end of the payload or
// at the first error (see Err).
func (it *Values) Next() bool {
	switch it.state {
	case stDone:
		return false
	case stStart:
		it.state = stRun
		h, e := wire.ReadCBORHead(it.b, 0)
		if e != wire.CBOROK {
			return it.fail(cborErr("map", 0, e))
		}
		if h.Major != wire.CBORMap {
			return it.fail(decErr("map", 0, ErrMalformed, ruleMap, "payload is not a map"))
		}
		it.stack[0] = frame{left: h.Arg, indef: h.Indefinite()}
		it.n, it.off = 1, h.End
	}
	for {
		if it.n == 0 {
			it.state = stDone
			if it.off != len(it.b) {
				it.cur = rootPath
				return it.fail(decErr("payload", it.off, ErrMalformed, ruleMap, "bytes after the map"))
			}
			return false
		}
		f := &it.stack[it.n-1]
		if f.indef {
			h, e := wire.ReadCBORHead(it.b, it.off)
			if e != wire.CBOROK {
				return it.fail(cborErr("key", it.off, e))
			}
			if h.IsBreak() {
				it.off = h.End
				it.n--
				continue
			}
		} else {
			if f.left == 0 {
				it.n--
				continue
			}
			f.left--
		}
		for it.cur.Len() > f.plen {
			it.cur = it.cur.Parent()
		}
		it.keyOff = it.off
		if err := it.readKey(); err != nil {
			return it.fail(err)
		}
		h, e := wire.ReadCBORHead(it.b, it.off)
		if e != wire.CBOROK {
			return it.fail(cborErr("value", it.off, e))
		}
		if h.Major == wire.CBORMap {
			if err := it.push(h); err != nil {
				return it.fail(err)
			}
			continue
		}
		return it.leaf(h)
	}
}

// push opens the nested map whose head is h.
func (it *Values) push(h wire.CBORHead) *Error {
	empty := !h.Indefinite() && h.Arg == 0
	if h.Indefinite() {
		c, e := wire.ReadCBORHead(it.b, h.End)
		if e != wire.CBOROK {
			return cborErr("key", h.End, e)
		}
		empty = c.IsBreak()
	}
	if empty {
		return decErr("map", h.Off, ErrMalformed, ruleCBOR, "empty nested map: a path without a value is null")
	}
	// A map at a resource instance path is not empty, so its first key
	// fails with a path too long: the stack cannot overflow.
	it.stack[it.n] = frame{left: h.Arg, indef: h.Indefinite(), plen: it.cur.Len()}
	it.n++
	it.off = h.End
	return nil
}

// readKey reads the key at it.off and appends its identifiers to it.cur.
func (it *Values) readKey() *Error {
	h, e := wire.ReadCBORHead(it.b, it.off)
	if e != wire.CBOROK {
		return cborErr("key", it.off, e)
	}
	switch h.Major {
	case wire.CBORUint:
		if err := it.addID(h); err != nil {
			return err
		}
		it.off = h.End
		return nil
	case wire.CBORArray:
		p := h.End
		n := uint64(0)
		for h.Indefinite() || n < h.Arg {
			c, e := wire.ReadCBORHead(it.b, p)
			switch {
			case e != wire.CBOROK:
				return cborErr("key", p, e)
			case c.IsBreak() && h.Indefinite():
				if n == 0 {
					return decErr("key", h.Off, ErrMalformed, ruleKey, "empty array as a key")
				}
				it.off = c.End
				return nil
			case c.Major != wire.CBORUint:
				return decErr("key", p, ErrMalformed, ruleKey, "path element is not an unsigned integer")
			}
			if err := it.addID(c); err != nil {
				return err
			}
			n++
			p = c.End
		}
		if n == 0 {
			return decErr("key", h.Off, ErrMalformed, ruleKey, "empty array as a key")
		}
		it.off = p
		return nil
	case wire.CBORText:
		return decErr("key", h.Off, ErrUnsupported, ruleGateway, "text keys are not supported")
	}
	if h.IsBreak() {
		return decErr("key", h.Off, ErrMalformed, "RFC 8949 3.2.1", "break in a definite-length map")
	}
	return decErr("key", h.Off, ErrMalformed, ruleKey, "key is not an identifier or an array of identifiers")
}

// addID appends the identifier of the unsigned integer head h to it.cur.
func (it *Values) addID(h wire.CBORHead) *Error {
	if h.Arg > path.MaxID {
		return decErr("key", h.Off, ErrMalformed, ruleMaxID, "identifier above 65534")
	}
	p, ok := it.cur.Child(uint16(h.Arg))
	if !ok {
		return decErr("key", h.Off, ErrMalformed, rulePathLen, "more than 4 identifiers")
	}
	it.cur = p
	return nil
}

// leaf reads the value whose head is h at the path it.cur. It reports
// false after an error.
func (it *Values) leaf(h wire.CBORHead) bool {
	p := it.cur
	it.valOff = h.Off
	if it.scan {
		next, e := wire.SkipCBOR(it.b, h.Off, 2)
		if e != wire.CBOROK {
			return it.fail(cborErr("value", next, e))
		}
		it.off, it.p = next, p
		return true
	}
	if !it.base.Contains(p) {
		return it.fail(decErr("key", it.keyOff, ErrMalformed, ruleBase, "path outside the request path"))
	}
	null := h.Major == wire.CBORSimple && h.Info == wire.CBORNull
	if !null && p.Level() < path.ResourceLevel {
		return it.fail(decErr("value", h.Off, ErrMalformed, ruleCBOR, "a value needs a resource or resource instance path"))
	}
	t := lwm2m.None
	if it.reg != nil && p.Level() >= path.ResourceLevel {
		o, _ := p.ObjectID()
		r, _ := p.ResourceID()
		if def, ok := it.reg.Resource(o, r); ok {
			switch {
			case def.Multiple && p.Level() == path.ResourceLevel && !null:
				return it.fail(decErr("value", h.Off, ErrMalformed, ruleMulti, "value of a multiple-instance resource at its resource path"))
			case !def.Multiple && p.Level() == path.ResourceInstanceLevel:
				return it.fail(decErr("key", it.keyOff, ErrMalformed, ruleMulti, "resource instance of a single-instance resource"))
			}
			t = def.Type
		}
	}
	v, next, err := decodeValue(it.b, h.Off, t)
	if err != nil {
		return it.fail(err)
	}
	if it.count++; it.count > it.max {
		return it.fail(decErr("value", h.Off, ErrLimit, ruleCBOR, "more values than Limits.MaxRecords"))
	}
	if err := it.checkPath(p); err != nil {
		return it.fail(err)
	}
	it.off, it.p, it.v = next, p, v
	return true
}

// checkPath checks that p has not held a value yet, and that neither p nor
// a path above or below it has.
func (it *Values) checkPath(p path.Path) *Error {
	if !it.ooo {
		if it.count == 1 || it.last.Compare(p) < 0 && !it.last.Contains(p) {
			it.last = p
			return nil
		}
		// The first path out of order: collect the earlier ones, which
		// ascend, so none repeats or contains another.
		it.ooo = true
		r := Values{b: it.b, scan: true, max: it.max}
		for r.Next() && r.valOff < it.valOff {
			it.add(r.p)
		}
	}
	if it.seen == nil {
		for _, q := range it.few[:it.nfew] {
			if q == p {
				return decErr("key", it.keyOff, ErrMalformed, ruleLeaf, "path holds a value twice")
			}
			if q.Contains(p) || p.Contains(q) {
				return decErr("key", it.keyOff, ErrMalformed, ruleLeaf, "path holds a value and nested values")
			}
		}
		it.add(p)
		return nil
	}
	if it.seen[p] != 0 {
		msg := "path holds a value twice"
		if it.seen[p]&seenValue == 0 {
			msg = "path holds a value and nested values"
		}
		return decErr("key", it.keyOff, ErrMalformed, ruleLeaf, msg)
	}
	for q := p.Parent(); !q.IsRoot(); q = q.Parent() {
		if it.seen[q]&seenValue != 0 {
			return decErr("key", it.keyOff, ErrMalformed, ruleLeaf, "path holds a value and nested values")
		}
	}
	it.mark(p)
	return nil
}

// add records the value path p: in few while there is room, then in the
// map.
func (it *Values) add(p path.Path) {
	if it.seen == nil {
		if it.nfew < inlineSeen {
			it.few[it.nfew] = p
			it.nfew++
			return
		}
		it.seen = make(map[path.Path]uint8, 2*inlineSeen)
		for _, q := range it.few[:it.nfew] {
			it.mark(q)
		}
	}
	it.mark(p)
}

func (it *Values) mark(p path.Path) {
	it.seen[p] |= seenValue
	for q := p.Parent(); !q.IsRoot(); q = q.Parent() {
		it.seen[q] |= seenInner
	}
}

// Decode resolves the LwM2M CBOR payload b, which answers the request path
// base, and calls fn with each value in wire order (see [Values] for what
// is reported and how values are typed). It stops at the first error, from
// the payload or from fn, and returns it; fn may have been called for the
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
