package senml

import (
	"math"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Field is a bit set naming the fields present in a [Record]. The comment
// of each constant gives its JSON label and CBOR label (RFC 8428 Table 4;
// vlo is LwM2M's, Core 7.4.5, and a text key in CBOR too).
type Field uint32

// The SenML fields, in the order of RFC 8428 Table 4 (base fields first),
// then LwM2M's vlo.
const (
	BaseName     Field = 1 << iota // bn, CBOR label -2
	BaseTime                       // bt, -3
	BaseUnit                       // bu, -4
	BaseValue                      // bv, -5
	BaseSum                        // bs, -6
	BaseVersion                    // bver, -1
	Name                           // n, 0
	Unit                           // u, 1
	Value                          // v, 2
	StringValue                    // vs, 3
	BoolValue                      // vb, 4
	Sum                            // s, 5
	Time                           // t, 6
	UpdateTime                     // ut, 7
	DataValue                      // vd, 8
	ObjLinkValue                   // vlo (LwM2M)
)

// numFields is the number of Field bits.
const numFields = 16

// labels are the JSON labels of the fields, by bit position.
var labels = [numFields]string{"bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "v", "vs", "vb", "s", "t", "ut", "vd", "vlo"}

// ValueFields are the fields that carry a record's value: v, vs, vb, vd
// and vlo. A record has at most one of them (RFC 8428 4.2).
const ValueFields = Value | StringValue | BoolValue | DataValue | ObjLinkValue

// Label returns the JSON label of a single field, such as "bn", or "" if f
// is not exactly one known field.
func (f Field) Label() string {
	for i := range numFields {
		if f == 1<<i {
			return labels[i]
		}
	}
	return ""
}

// fieldByLabel returns the field whose JSON label is s, or 0.
func fieldByLabel(s string) Field {
	for i, l := range labels {
		if l == s {
			return 1 << i
		}
	}
	return 0
}

// fieldIndex returns the bit position of a single field.
func fieldIndex(f Field) int {
	for i := range numFields {
		if f == 1<<i {
			return i
		}
	}
	return -1
}

// Number is a SenML number kept exactly as the wire had it: an integer in
// the int64 or uint64 range, or a float64. The zero Number is the integer
// 0. Numbers compare with == (a float by its bits, so 0.0 and -0.0 differ,
// and the integer 0 is not the float 0).
type Number struct {
	kind wire.NumKind // NumInt, NumUint (only above math.MaxInt64) or NumFloat
	bits uint64       // int64 bits, uint64, or float64 bits
}

// IntNumber returns the integer i.
func IntNumber(i int64) Number { return Number{wire.NumInt, uint64(i)} }

// UintNumber returns the integer u.
func UintNumber(u uint64) Number {
	if u <= math.MaxInt64 {
		return Number{wire.NumInt, u}
	}
	return Number{wire.NumUint, u}
}

// FloatNumber returns the float f.
func FloatNumber(f float64) Number { return Number{wire.NumFloat, math.Float64bits(f)} }

// IsFloat reports whether n is a float rather than an integer.
func (n Number) IsFloat() bool { return n.kind == wire.NumFloat }

// Float returns n as a float64, rounding an integer beyond 2^53 to nearest.
func (n Number) Float() float64 {
	switch n.kind {
	case wire.NumInt:
		return float64(int64(n.bits))
	case wire.NumUint:
		return float64(n.bits)
	}
	return math.Float64frombits(n.bits)
}

// Int returns n as an int64 and whether that is exact: an integer in range,
// or a float with an integral value in range ("20.0" is 20).
func (n Number) Int() (int64, bool) {
	switch n.kind {
	case wire.NumInt:
		return int64(n.bits), true
	case wire.NumUint:
		return 0, false
	}
	f := math.Float64frombits(n.bits)
	if f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// Uint returns n as a uint64 and whether that is exact: a non-negative
// integer, or a float with an integral value from 0 to below 2^64.
func (n Number) Uint() (uint64, bool) {
	switch n.kind {
	case wire.NumInt:
		return n.bits, int64(n.bits) >= 0
	case wire.NumUint:
		return n.bits, true
	}
	f := math.Float64frombits(n.bits)
	if f != math.Trunc(f) || f < 0 || f >= 1<<64 {
		return 0, false
	}
	return uint64(f), true
}

// isFinite reports whether n is not an infinity or NaN.
func (n Number) isFinite() bool {
	if n.kind != wire.NumFloat {
		return true
	}
	f := math.Float64frombits(n.bits)
	return !math.IsInf(f, 0) && !math.IsNaN(f)
}

// add returns n+m: exact when both are integers and the sum fits int64 or
// uint64, else the float64 sum.
func (n Number) add(m Number) Number {
	if n.kind != wire.NumFloat && m.kind != wire.NumFloat {
		a, aok := n.Int()
		b, bok := m.Int()
		if aok && bok {
			s := a + b
			if (s > a) == (b > 0) {
				return IntNumber(s)
			}
		}
		ua, uaok := n.Uint()
		ub, ubok := m.Uint()
		if uaok && ubok && ua+ub >= ua {
			return UintNumber(ua + ub)
		}
		switch {
		case uaok && bok && b < 0 && ua >= uint64(-b):
			return UintNumber(ua - uint64(-b))
		case ubok && aok && a < 0 && ub >= uint64(-a):
			return UintNumber(ub - uint64(-a))
		}
	}
	return FloatNumber(n.Float() + m.Float())
}

// Record is one SenML record as written on the wire, before resolution
// (RFC 8428 section 4): Fields says which fields are present, and only
// those hold meaningful values.
//
// Byte fields alias the input, or the decoder's scratch buffer when they
// had to be unescaped (JSON escapes) or decoded (JSON vd is base64url):
// they are valid until the next call on the decoder. Copy them to keep
// them.
type Record struct {
	Fields                                                     Field // which fields are present
	BaseName, BaseUnit, Name, Unit, String, Data, ObjLink      []byte
	BaseTime, BaseValue, BaseSum, Value, Sum, Time, UpdateTime Number
	BaseVersion                                                int64
	Bool                                                       bool
}

// Has reports whether the record has every field in f.
func (r *Record) Has(f Field) bool { return r.Fields&f == f }

// Resolved is a record after RFC 8428 section 4.6 resolution, as LwM2M uses
// it: a path and a typed value.
type Resolved struct {
	Path    path.Path
	Value   lwm2m.Value // type None for a record with no value (Read-Composite request names)
	Time    float64     // resolved time in seconds (bt + t); meaningful when HasTime
	HasTime bool
}

// Limits bounds what a decoder accepts. The zero value means the defaults;
// a field out of its range means its default.
type Limits struct {
	// MaxRecords bounds the records of a pack: 1 to 1<<24, default 65,535.
	MaxRecords int
	// MaxDepth bounds the nesting of arrays and objects (maps): the pack
	// is level 1 and its records level 2, so values of unknown labels may
	// nest MaxDepth-2 levels. 2 to 64, default 16.
	MaxDepth int
	// MaxStringLen bounds a string (name, unit, string value, data value)
	// in bytes as it appears on the wire: 1 to 1<<30, default 1<<24
	// (16 MiB).
	MaxStringLen int
}

// The default limits.
const (
	DefaultMaxRecords   = 65535
	DefaultMaxDepth     = 16
	DefaultMaxStringLen = 1 << 24
)

func (l Limits) maxRecords() int {
	return wire.Limit(l.MaxRecords, 1, 1<<24, DefaultMaxRecords)
}

func (l Limits) maxDepth() int { return wire.Limit(l.MaxDepth, 2, 64, DefaultMaxDepth) }

func (l Limits) maxStringLen() int {
	return wire.Limit(l.MaxStringLen, 1, 1<<30, DefaultMaxStringLen)
}

// fieldOffsets are the byte offsets of the record a decoder (JSON or CBOR)
// last read and of its fields, for errors.
type fieldOffsets struct {
	recOff int
	have   Field          // the fields whose offs entry belongs to this record
	offs   [numFields]int // the offset of each field's key, when in have
}

// begin starts a record at off.
func (o *fieldOffsets) begin(off int) {
	o.recOff, o.have = off, 0
}

// at records off as the offset of the key of field f, index i.
func (o *fieldOffsets) at(f Field, i, off int) {
	o.have |= f
	o.offs[i] = off
}

// offset returns the offset of field f, or of the record if it has no
// such field (or f is not a single field).
func (o *fieldOffsets) offset(f Field) int {
	if i := fieldIndex(f); i >= 0 && o.have&f != 0 {
		return o.offs[i]
	}
	return o.recOff
}

// resolve resolves r, the record last read, with z and calls fn with the
// result. An error from z, which sees records rather than bytes, gets the
// offset of its field.
func (o *fieldOffsets) resolve(z *Resolver, r *Record, fn func(Resolved) error) error {
	var res Resolved
	if err := z.resolve(r, &res); err != nil {
		if e, ok := err.(*Error); ok && e.Offset < 0 {
			e.Offset = o.offset(fieldByLabel(e.Field))
		}
		return err
	}
	return fn(res)
}

// The messages for a label with a value of the wrong type (JSON and CBOR).
const (
	msgWantString = "label takes a string"
	msgWantNumber = "label takes a number"
	msgWantBool   = "label takes true or false"
)

// relativeTimes reports whether the times of recs can be written as a base
// time, the first, and offsets from it: every record has a time and each
// differs from the first by an amount that adds back exactly. bad is the
// index of the first record whose time is not finite, or -1.
func relativeTimes(recs []Resolved) (relative bool, bt float64, bad int) {
	relative = len(recs) > 0
	for i := range recs {
		r := &recs[i]
		if r.HasTime && (math.IsNaN(r.Time) || math.IsInf(r.Time, 0)) {
			return false, 0, i
		}
		if i == 0 {
			bt = r.Time
		}
		if !r.HasTime || bt+(r.Time-bt) != r.Time {
			relative = false
		}
	}
	return relative, bt, -1
}

// baseName returns the length of the base name that makes the pack of recs
// shortest by cost, which gives the bytes that depend on a base name of
// length k (0: none), and the common prefix of the path texts it is cut
// from. The candidates are the cuts of the prefix after a '/', and the
// whole prefix when it ends at a segment boundary of every path.
func baseName(recs []Resolved, cost func(k int) int) (int, [maxPathText]byte) {
	var lcp, buf [maxPathText]byte
	lcpLen := 0
	for i := range recs {
		t := pathText(&buf, recs[i].Path)
		if i == 0 {
			lcpLen = copy(lcp[:], t)
			continue
		}
		k := 0
		for k < lcpLen && k < len(t) && t[k] == lcp[k] {
			k++
		}
		lcpLen = k
	}
	full := true // the whole prefix ends at a segment boundary of every path
	for i := range recs {
		t := pathText(&buf, recs[i].Path)
		if len(t) > lcpLen && t[lcpLen] != '/' {
			full = false
			break
		}
	}
	bnLen, best := 0, cost(0)
	for k := lcpLen; k > 0; k-- {
		if lcp[k-1] != '/' && !(k == lcpLen && full) {
			continue
		}
		if c := cost(k); c < best {
			bnLen, best = k, c
		}
	}
	return bnLen, lcp
}

// pathText returns the text form of p, in buf.
func pathText(buf *[maxPathText]byte, p path.Path) []byte {
	t, _ := p.AppendText(buf[:0])
	return t
}

// pathTextLen returns the length of the text form of p.
func pathTextLen(p path.Path) int {
	if p.IsRoot() {
		return 1
	}
	n := 0
	for i := 0; i < p.Len(); i++ {
		id := p.ID(i)
		n += 2
		for id >= 10 {
			n++
			id /= 10
		}
	}
	return n
}
