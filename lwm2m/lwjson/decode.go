package lwjson

import (
	"math"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Record is one resolved value: its path, its typed value and, when the
// payload gives one, its time. It is what [Decode] reports and [Encode]
// takes.
type Record struct {
	Path    path.Path
	Value   lwm2m.Value
	Time    float64 // seconds, bt + t; meaningful when HasTime
	HasTime bool
}

// Limits bounds what a Decoder accepts. The zero value means the defaults;
// a field out of its range means its default.
type Limits struct {
	// MaxRecords bounds the entries of the e array: 1 to 1<<24, default
	// 65,535.
	MaxRecords int
	// MaxDepth bounds the nesting of arrays and objects: the root object
	// is level 1, the e array 2 and its entries 3, so values of unknown
	// members may nest MaxDepth-3 levels. 3 to 64, default 16.
	MaxDepth int
	// MaxStringLen bounds a string (name or value) in bytes as it appears
	// on the wire: 1 to 1<<30, default 1<<24 (16 MiB).
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

func (l Limits) maxDepth() int { return wire.Limit(l.MaxDepth, 3, 64, DefaultMaxDepth) }

func (l Limits) maxStringLen() int {
	return wire.Limit(l.MaxStringLen, 1, 1<<30, DefaultMaxStringLen)
}

// maxPathText is the length of the longest LwM2M path,
// "/65534/65534/65534/65534".
const maxPathText = 24

// The decoder's progress.
const (
	stFresh   = iota // Next has not been called
	stEntries        // reading the e array
	stDone
)

// Decoder reads an LwM2M JSON payload entry by entry and resolves each
// entry into a [Record]. It is reusable: Reset starts a new payload and
// keeps the decoder's memory (the scratch buffer for escaped strings and
// Opaque values, the duplicate index), so a decoder used again and again
// stops allocating.
//
//	var d lwjson.Decoder
//	d.Reset(payload, base, reg, lwjson.Limits{})
//	for r, ok := d.Next(); ok; r, ok = d.Next() {
//		... r.Path, r.Value ...
//	}
//	if err := d.Err(); err != nil { ... }
//
// The root members may come in any order (Wakaama and Leshan both send bt
// after e), so the first call of Next checks the whole JSON text and reads
// bn and bt before it returns the first entry. See the package
// documentation for the resolution rules.
//
// String, Opaque and Corelnk values alias the input, or the scratch buffer
// for strings with escapes and for Opaque values: they are valid until the
// next call of Next or Reset.
type Decoder struct {
	sc      wire.JSONScanner // over the e array, in[eOff:eEnd]
	in      []byte
	base    path.Path
	reg     *lwm2m.Registry
	maxRec  int
	maxStr  int
	depth   int
	eOff    int
	state   int
	n       int
	bn      [maxPathText + 1]byte // with a leading '/'
	bnLen   int
	hasBN   bool
	bnOff   int
	bt      float64
	hasBT   bool
	keep    bool // Decode: never reuse scratch, so values outlive Next
	scratch []byte
	dup     wire.DupSet
	err     error
}

// Reset starts decoding the payload b, which answers the request path base,
// typed by reg (which may be nil), under the limits lim.
func (d *Decoder) Reset(b []byte, base path.Path, reg *lwm2m.Registry, lim Limits) {
	d.in, d.base, d.reg = b, base, reg
	d.maxRec, d.maxStr, d.depth = lim.maxRecords(), lim.maxStringLen(), lim.maxDepth()
	d.state, d.n = stFresh, 0
	d.bnLen, d.hasBN, d.hasBT, d.bt = 0, false, false, 0
	d.keep = false
	d.scratch = d.scratch[:0]
	d.dup.Reset()
	d.err = nil
}

// Err returns the error that stopped Next, or nil at the end of the
// payload.
func (d *Decoder) Err() error { return d.err }

func (d *Decoder) fail(err *Error) (Record, bool) {
	d.err = err
	d.state = stDone
	return Record{}, false
}

// syntaxErr converts the error of scanner s, whose input starts at offset
// base of d.in.
func syntaxErr(s *wire.JSONScanner, base int) *Error {
	e := s.Err()
	return decErr("json", base+e.Offset, e.Class(&classes), e.Rule, e.Msg)
}

// grow makes sure the scratch buffer exists. Decode sizes it once for the
// whole input: unescaped strings and decoded Opaque values are never
// longer than their JSON form, so it never grows again.
func (d *Decoder) grow() {
	if d.keep && d.scratch == nil {
		d.scratch = make([]byte, 0, len(d.in))
	}
}

// text returns the text of a string token, unescaped into scratch if
// needed.
func (d *Decoder) text(t wire.JSONToken) []byte {
	if !t.Escaped {
		return t.Raw
	}
	d.grow()
	var s []byte
	s, d.scratch = wire.UnescapeJSON(d.scratch, t.Raw)
	return s
}

// root checks the whole JSON text and reads the root members: bn, bt and
// the place of e. Unknown members are skipped.
func (d *Decoder) root() *Error {
	var s wire.JSONScanner
	s.Reset(d.in, d.depth)
	t, ok := s.Next()
	if !ok {
		return syntaxErr(&s, 0)
	}
	if t.Kind != wire.JSONBeginObject {
		return decErr("root", t.Offset, ErrMalformed, ruleRoot, "the payload is not a JSON object")
	}
	hasE := false
	eEnd := 0
	for {
		t, ok := s.Next()
		if !ok {
			return syntaxErr(&s, 0)
		}
		if t.Kind == wire.JSONEndObject {
			break
		}
		mark := len(d.scratch)
		name := d.text(t)
		v, ok := s.Next()
		if !ok {
			return syntaxErr(&s, 0)
		}
		switch string(name) {
		case "bn":
			if d.hasBN {
				return decErr("bn", t.Offset, ErrMalformed, ruleUnique, "member twice")
			}
			if v.Kind != wire.JSONString {
				return decErr("bn", v.Offset, ErrMalformed, ruleRoot, "bn is not a string")
			}
			bn := d.text(v)
			if len(bn) > maxPathText {
				return decErr("bn", v.Offset, ErrMalformed, rulePath, "base name longer than any LwM2M path")
			}
			// Leshan reads a base name without the leading '/' ("1024/0/")
			// as a path all the same; so does this package.
			d.bnLen = 0
			if len(bn) == 0 || bn[0] != '/' {
				d.bn[0] = '/'
				d.bnLen = 1
			}
			d.bnLen += copy(d.bn[d.bnLen:], bn)
			d.hasBN, d.bnOff = true, t.Offset
		case "bt":
			if d.hasBT {
				return decErr("bt", t.Offset, ErrMalformed, ruleUnique, "member twice")
			}
			if v.Kind != wire.JSONNumber {
				return decErr("bt", v.Offset, ErrMalformed, ruleRoot, "bt is not a number")
			}
			_, bits, ok := wire.ParseJSONNumber(v.Raw, true)
			if !ok {
				return decErr("bt", v.Offset, ErrMalformed, wire.RuleJSONNumber, "number beyond the float64 range")
			}
			d.bt, d.hasBT = math.Float64frombits(bits), true
		case "e":
			if hasE {
				return decErr("e", t.Offset, ErrMalformed, ruleUnique, "member twice")
			}
			if v.Kind != wire.JSONBeginArray {
				return decErr("e", v.Offset, ErrMalformed, ruleRoot, "e is not an array")
			}
			hasE, d.eOff = true, v.Offset
			if !s.SkipValue(v) {
				return syntaxErr(&s, 0)
			}
			eEnd = s.Offset()
		default:
			if !s.SkipValue(v) {
				return syntaxErr(&s, 0)
			}
		}
		if !d.keep {
			d.scratch = d.scratch[:mark]
		}
	}
	if _, ok := s.Next(); s.Failed() || ok {
		return syntaxErr(&s, 0)
	}
	if !hasE {
		return decErr("root", 0, ErrMalformed, ruleRoot, "no e array")
	}
	// The entries: the e array again, which the scan above has checked.
	d.sc.Reset(d.in[d.eOff:eEnd], d.depth-1)
	d.sc.Next() // '['
	return nil
}

// The member of an entry, as a bit.
const (
	fName = 1 << iota
	fValue
	fBool
	fString
	fObjlnk
	fTime
	fValues = fValue | fBool | fString | fObjlnk
)

// Next returns the next record. It reports false at the end of the payload
// and at the first error (see Err).
func (d *Decoder) Next() (Record, bool) {
	switch d.state {
	case stDone:
		return Record{}, false
	case stFresh:
		d.state = stEntries
		if err := d.root(); err != nil {
			return d.fail(err)
		}
	}
	if !d.keep {
		d.scratch = d.scratch[:0]
	}
	t, ok := d.sc.Next()
	if !ok {
		return d.fail(syntaxErr(&d.sc, d.eOff)) // not reached: root checked the array
	}
	off := d.eOff + t.Offset
	switch t.Kind {
	case wire.JSONEndArray:
		d.state = stDone
		return Record{}, false
	case wire.JSONBeginObject:
	default:
		return d.fail(decErr("entry", off, ErrMalformed, ruleEntry, "an entry is not a JSON object"))
	}
	if d.n >= d.maxRec {
		return d.fail(decErr("entry", off, ErrLimit, ruleFormat, "more entries than Limits.MaxRecords"))
	}
	d.n++
	return d.entry(off)
}

// entryValue holds the members of one entry.
type entryValue struct {
	has           int
	name, str, ol []byte
	strTok        wire.JSONToken
	num           wire.JSONToken
	b             bool
	time          float64
	offs          [6]int // offsets of the members, by bit position
}

// entry reads the members of the entry whose '{' is at off and resolves it.
func (d *Decoder) entry(off int) (Record, bool) {
	var e entryValue
	for {
		t, ok := d.sc.Next()
		if !ok {
			return d.fail(syntaxErr(&d.sc, d.eOff))
		}
		if t.Kind == wire.JSONEndObject {
			break
		}
		mark := len(d.scratch)
		name := d.text(t)
		f := 0
		switch string(name) {
		case "n":
			f = fName
		case "v":
			f = fValue
		case "bv":
			f = fBool
		case "sv":
			f = fString
		case "ov":
			f = fObjlnk
		case "t":
			f = fTime
		}
		d.scratch = d.scratch[:mark] // the unescaped member name is not kept
		v, ok := d.sc.Next()
		if !ok {
			return d.fail(syntaxErr(&d.sc, d.eOff))
		}
		toff, voff := d.eOff+t.Offset, d.eOff+v.Offset
		if f == 0 {
			if !d.sc.SkipValue(v) {
				return d.fail(syntaxErr(&d.sc, d.eOff))
			}
			continue
		}
		lbl := memberLabel(f)
		if e.has&f != 0 {
			return d.fail(decErr(lbl, toff, ErrMalformed, ruleUnique, "member twice in one entry"))
		}
		e.has |= f
		e.offs[bitIndex(f)] = toff
		switch f {
		case fName, fString, fObjlnk:
			if v.Kind != wire.JSONString {
				return d.fail(decErr(lbl, voff, ErrMalformed, ruleEntry, "member takes a string"))
			}
			if len(v.Raw) > d.maxStr {
				return d.fail(decErr(lbl, voff, ErrLimit, ruleFormat, "string longer than Limits.MaxStringLen"))
			}
			s := d.text(v)
			switch f {
			case fName:
				e.name = s
			case fString:
				e.str, e.strTok = s, v
				e.strTok.Offset = voff
			default:
				e.ol = s
			}
		case fBool:
			if v.Kind != wire.JSONTrue && v.Kind != wire.JSONFalse {
				return d.fail(decErr(lbl, voff, ErrMalformed, ruleEntry, "bv takes true or false"))
			}
			e.b = v.Kind == wire.JSONTrue
		default: // v, t
			if v.Kind != wire.JSONNumber {
				return d.fail(decErr(lbl, voff, ErrMalformed, ruleEntry, "member takes a number"))
			}
			if f == fValue {
				e.num = v
				e.num.Offset = voff
				continue
			}
			_, bits, ok := wire.ParseJSONNumber(v.Raw, true)
			if !ok {
				return d.fail(decErr(lbl, voff, ErrMalformed, wire.RuleJSONNumber, "number beyond the float64 range"))
			}
			e.time = math.Float64frombits(bits)
		}
	}
	return d.resolve(off, &e)
}

var memberLabels = [...]string{"n", "v", "bv", "sv", "ov", "t"}

func bitIndex(f int) int {
	i := 0
	for f > 1 {
		f >>= 1
		i++
	}
	return i
}

func memberLabel(f int) string { return memberLabels[bitIndex(f)] }

// resolve turns the entry e, whose '{' is at off, into a record.
func (d *Decoder) resolve(off int, e *entryValue) (Record, bool) {
	// The name (LwM2M 1.0 6.4.4: bn + n). Without bn, a name with a leading
	// '/' is a full path (Leshan's reading) and any other name is relative
	// to the request path (Wakaama's).
	var buf [2*maxPathText + 2]byte
	n := 0
	nameOff := off
	if e.has&fName != 0 {
		nameOff = e.offs[0]
	}
	switch {
	case d.hasBN:
		n = copy(buf[:], d.bn[:d.bnLen])
		if e.has&fName == 0 {
			nameOff = d.bnOff
		}
	case e.has&fName != 0 && len(e.name) > 0 && e.name[0] == '/':
	default:
		t, _ := d.base.AppendText(buf[:0])
		n = len(t)
		if e.has&fName != 0 && n > 1 {
			buf[n] = '/'
			n++
		}
	}
	if len(e.name) > len(buf)-n {
		return d.fail(decErr("n", nameOff, ErrMalformed, rulePath, "name longer than any LwM2M path"))
	}
	n += copy(buf[n:], e.name)
	p, ok := path.FromText(buf[:n])
	if !ok {
		return d.fail(decErr("n", nameOff, ErrMalformed, rulePath, "name is not an LwM2M path"))
	}
	if p.Level() < path.ResourceLevel {
		return d.fail(&Error{Field: "n", Offset: nameOff, Path: p, Rule: rulePath, Msg: "not the path of a resource or resource instance", Err: ErrMalformed})
	}
	if !d.base.Contains(p) {
		return d.fail(&Error{Field: "n", Offset: nameOff, Path: p, Rule: rulePath, Msg: "path outside the request path", Err: ErrMalformed})
	}
	rec := Record{Path: p}
	if d.hasBT || e.has&fTime != 0 {
		t := d.bt + e.time
		if math.IsInf(t, 0) {
			tOff := off
			if e.has&fTime != 0 {
				tOff = e.offs[5]
			}
			return d.fail(&Error{Field: "t", Offset: tOff, Path: p, Rule: ruleFormat, Msg: "time out of range", Err: ErrMalformed})
		}
		rec.Time, rec.HasTime = t+0, true // +0 turns -0 into 0
	}
	vf := e.has & fValues
	switch {
	case vf == 0:
		return d.fail(&Error{Field: "entry", Offset: off, Path: p, Rule: ruleEntry, Msg: "entry without a value", Err: ErrMalformed})
	case vf&(vf-1) != 0:
		return d.fail(&Error{Field: "entry", Offset: off, Path: p, Rule: ruleEntry, Msg: "more than one value in an entry", Err: ErrMalformed})
	}
	v, err := d.typed(p, vf, e)
	if err != nil {
		err.Path = p
		return d.fail(err)
	}
	rec.Value = v
	k := wire.DupKey{Len: uint8(p.Len()), HasTime: rec.HasTime}
	for i := 0; i < p.Len(); i++ {
		k.IDs |= uint64(p.ID(i)) << (16 * i)
	}
	if rec.HasTime {
		k.Time = math.Float64bits(rec.Time)
	}
	if !d.dup.Add(k) {
		return d.fail(&Error{Field: "n", Offset: nameOff, Path: p, Rule: ruleDup, Msg: "the same path twice without distinct times", Err: ErrMalformed})
	}
	return rec, true
}

// typeField is the value member each resource type takes.
var typeField = [...]int{
	lwm2m.String:   fString,
	lwm2m.Integer:  fValue,
	lwm2m.Unsigned: fValue,
	lwm2m.Float:    fValue,
	lwm2m.Boolean:  fBool,
	lwm2m.Opaque:   fString,
	lwm2m.Time:     fValue,
	lwm2m.Objlnk:   fObjlnk,
	lwm2m.Corelnk:  fString,
}

// typeMismatch is the message for a value member that does not match the
// resource type, by type.
var typeMismatch = [...]string{
	lwm2m.None:     "an executable resource takes no value",
	lwm2m.String:   "a string resource takes sv",
	lwm2m.Integer:  "an integer resource takes v",
	lwm2m.Unsigned: "an unsigned integer resource takes v",
	lwm2m.Float:    "a float resource takes v",
	lwm2m.Boolean:  "a boolean resource takes bv",
	lwm2m.Opaque:   "an opaque resource takes sv (base64)",
	lwm2m.Time:     "a time resource takes v",
	lwm2m.Objlnk:   "an objlnk resource takes ov",
	lwm2m.Corelnk:  "a corelnk resource takes sv",
}

// typed returns the value of member vf of e for the resource at p, typed by
// the registry when it knows the resource and by the member otherwise.
func (d *Decoder) typed(p path.Path, vf int, e *entryValue) (lwm2m.Value, *Error) {
	lbl := memberLabel(vf)
	voff := e.offs[bitIndex(vf)]
	var def *lwm2m.ResourceDef
	if d.reg != nil {
		o, _ := p.ObjectID()
		id, _ := p.ResourceID()
		def, _ = d.reg.Resource(o, id)
	}
	t := lwm2m.None
	if def != nil {
		t = def.Type
		switch {
		case int(t) >= len(typeMismatch):
			return lwm2m.Value{}, decErr(lbl, voff, ErrUnsupported, ruleTypes, "unknown resource type")
		case t == lwm2m.None || typeField[t] != vf:
			return lwm2m.Value{}, decErr(lbl, voff, ErrMalformed, ruleTypes, typeMismatch[t])
		case def.Multiple && p.Level() == path.ResourceLevel:
			return lwm2m.Value{}, decErr(lbl, voff, ErrMalformed, rulePath, "a multiple-instance resource takes values by resource instance")
		case !def.Multiple && p.Level() == path.ResourceInstanceLevel:
			return lwm2m.Value{}, decErr(lbl, voff, ErrMalformed, rulePath, "a single-instance resource has no resource instances")
		}
	}
	switch vf {
	case fBool:
		return lwm2m.BoolValue(e.b), nil
	case fObjlnk:
		l, ok := lwm2m.ParseObjlnk(e.ol)
		if !ok {
			return lwm2m.Value{}, decErr(lbl, voff, ErrMalformed, ruleObjlnk, "object link is not ObjectID:InstanceID")
		}
		return lwm2m.ObjlnkValue(l), nil
	case fString:
		switch t {
		case lwm2m.Opaque:
			return d.opaque(e)
		case lwm2m.Corelnk:
			return lwm2m.CorelnkValue(e.str), nil
		}
		return lwm2m.StringValue(e.str), nil
	}
	// v: a number.
	kind, bits, ok := wire.ParseJSONNumber(e.num.Raw, e.num.Float)
	if !ok {
		return lwm2m.Value{}, decErr(lbl, e.num.Offset, ErrMalformed, wire.RuleJSONNumber, "number beyond the float64 range")
	}
	switch t {
	case lwm2m.Float:
		return lwm2m.FloatValue(numFloat(kind, bits)), nil
	case lwm2m.Integer, lwm2m.Time:
		i, ok := numInt(kind, bits)
		if !ok {
			return lwm2m.Value{}, decErr(lbl, e.num.Offset, ErrMalformed, ruleInteger, "not an integer within the signed 64-bit range")
		}
		if t == lwm2m.Time {
			return lwm2m.TimeValue(i), nil
		}
		return lwm2m.IntegerValue(i), nil
	case lwm2m.Unsigned:
		u, ok := numUint(kind, bits)
		if !ok {
			return lwm2m.Value{}, decErr(lbl, e.num.Offset, ErrMalformed, ruleInteger, "not an integer within the unsigned 64-bit range")
		}
		return lwm2m.UnsignedValue(u), nil
	}
	switch kind {
	case wire.NumInt:
		return lwm2m.IntegerValue(int64(bits)), nil
	case wire.NumUint:
		return lwm2m.UnsignedValue(bits), nil
	}
	return lwm2m.FloatValue(math.Float64frombits(bits)), nil
}

// opaque decodes the base64 text of an Opaque value in sv: the standard
// alphabet with padding, as Leshan's decoder requires by default.
func (d *Decoder) opaque(e *entryValue) (lwm2m.Value, *Error) {
	d.grow()
	mark := len(d.scratch)
	out, bad, msg := wire.DecodeBase64(d.scratch, e.str, wire.Base64Std|wire.Base64Pad)
	if bad >= 0 {
		off := e.strTok.Offset + 1 + bad
		if e.strTok.Escaped {
			off = e.strTok.Offset
		}
		return lwm2m.Value{}, decErr("sv", off, ErrMalformed, ruleOpaque, msg)
	}
	d.scratch = out
	return lwm2m.OpaqueValue(out[mark:len(out):len(out)]), nil
}

func numFloat(kind wire.NumKind, bits uint64) float64 {
	switch kind {
	case wire.NumInt:
		return float64(int64(bits))
	case wire.NumUint:
		return float64(bits)
	}
	return math.Float64frombits(bits)
}

// numInt returns the number as an int64 if that is exact (an integral
// float in range counts: 20.0 is 20).
func numInt(kind wire.NumKind, bits uint64) (int64, bool) {
	switch kind {
	case wire.NumInt:
		return int64(bits), true
	case wire.NumUint:
		return 0, false
	}
	f := math.Float64frombits(bits)
	if f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// numUint returns the number as a uint64 if that is exact.
func numUint(kind wire.NumKind, bits uint64) (uint64, bool) {
	switch kind {
	case wire.NumInt:
		return bits, int64(bits) >= 0
	case wire.NumUint:
		return bits, true
	}
	f := math.Float64frombits(bits)
	if f != math.Trunc(f) || f < 0 || f >= 1<<64 {
		return 0, false
	}
	return uint64(f), true
}

// Decode resolves the LwM2M JSON payload b, which answers the request path
// base, and calls fn with each record in wire order (see the package
// documentation for the rules and the typing by reg, which may be nil). It
// stops at the first error, from the payload or from fn, and returns it;
// fn may have been called for the records before it.
//
// Values alias b, so they stay valid as long as b does. When the payload
// has strings with escapes or Opaque values, Decode allocates one buffer of
// len(b) bytes for their bytes (and grows it only for an Opaque value
// written with escapes, which needs room twice); more than 32 entries cost
// the duplicate index. Reuse a [Decoder] to avoid both.
func Decode(b []byte, base path.Path, reg *lwm2m.Registry, fn func(Record) error) error {
	var d Decoder
	d.Reset(b, base, reg, Limits{})
	d.keep = true
	for {
		r, ok := d.Next()
		if !ok {
			return d.err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}
