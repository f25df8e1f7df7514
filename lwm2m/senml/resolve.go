package senml

import (
	"math"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// maxPathText is the length of the longest LwM2M path,
// "/65534/65534/65534/65534".
const maxPathText = 24

// MaxVersion is the SenML version this package understands (RFC 8428 4.4:
// the Base Version defaults to 10).
const MaxVersion = 10

// Resolver turns raw records into resolved ones (RFC 8428 section 4.6),
// carrying the base fields from record to record, and types their values
// for LwM2M (Core 7.4.5). Base is the request path the payload answers;
// Reg types values by resource (nil: types follow the wire). Set both, or
// call Reset, before the first record of a pack; the zero Resolver answers
// the root path without a registry.
//
// Resolution, record by record:
//
//   - bver: a positive integer; a version above 10 is ErrUnsupported (RFC
//     8428 4.4: a reader "MUST NOT use" a pack of a later version);
//     versions 1 to 10 are accepted.
//   - bn, bt, bv, bs apply to their record and to the records after it
//     until a record sets them again (RFC 8428 4.1); bu, u and ut are
//     ignored (LwM2M gives them no meaning).
//   - The name is bn followed by n, as plain concatenation ("/3/0/" + "1"
//     and "/2/3" + "/0" both give a path): it must be a non-empty LwM2M
//     path ("/3/0/1", at most four identifiers of 0 to 65534, no trailing
//     '/') lying under Base (LwM2M Core 7.4.5).
//   - The time is bt + t when either is present (HasTime); a missing bt
//     counts as 0 and a missing t as 0. Relative and absolute times (RFC
//     8428 4.5.3) are not told apart: Time is the sum as sent.
//   - The value is the one value field (v, vs, vb, vd or vlo; two are an
//     error, RFC 8428 4.2). bv is added to v (RFC 8428 4.6), exactly for
//     integers. A record with a sum s and no value field takes bs + s as
//     its numeric value; a sum next to a value field is ignored (LwM2M maps
//     no resource to a sum). A record with no value resolves to type None:
//     a Read-Composite or Observe-Composite request names paths without
//     values (LwM2M Core 7.4.5), unlike RFC 8428's value-or-sum rule.
//   - Typing: when Reg knows the resource, its type decides, and the
//     value field must match it (LwM2M Core 7.4.5): v for Integer,
//     Unsigned, Float and Time (an integer type takes any JSON number
//     with an integral value in range, such as 20.0, and rejects 20.5), vs
//     for String and Corelnk, vb for Boolean, vd for Opaque, vlo for
//     Objlnk; an Executable resource (type None) takes no value; a value
//     for a multiple-instance resource needs a resource instance path, and
//     a single-instance resource has none. Otherwise the wire decides: v
//     is Integer when it is an integer literal within int64, Unsigned
//     above that up to 2^64-1, else Float; vs is String, vb Boolean, vd
//     Opaque and vlo Objlnk. A value needs a resource or resource instance
//     path.
//   - vlo is "ObjectID:InstanceID", two decimal numbers from 0 to 65535
//     without sign or leading zeros ("65535:65535" is the null link).
//   - The same path twice is an error unless the times differ (time
//     series); a record without a time and one with a time differ.
//
// Value bytes (vs, vd) alias the record's. A Resolver keeps state for the
// duplicate check that grows past 32 records onto the heap; it keeps that
// memory across Reset, so a reused Resolver does not allocate.
type Resolver struct {
	Base path.Path
	Reg  *lwm2m.Registry

	bn                  [maxPathText]byte
	bnLen               int
	bt, bv, bs          Number
	hasBT, hasBV, hasBS bool
	dup                 wire.DupSet
}

// Reset prepares z for a new pack answering base, typed by reg, keeping
// its memory.
func (z *Resolver) Reset(base path.Path, reg *lwm2m.Registry) {
	z.Base, z.Reg = base, reg
	z.bnLen = 0
	z.hasBT, z.hasBV, z.hasBS = false, false, false
	z.dup.Reset()
}

var root path.Path

// setBase keeps the base number n of field f when r has it.
func (z *Resolver) setBase(r *Record, f Field, n, dst *Number, has *bool) *Error {
	if !r.Has(f) {
		return nil
	}
	if !n.isFinite() {
		return resErr(f.Label(), root, ErrMalformed, ruleLabels, "number is not finite")
	}
	*dst, *has = *n, true
	return nil
}

// Resolve resolves r, the next record of the pack, and returns it. Errors
// are [*Error] values with Offset -1 and Field naming the label concerned;
// after an error the state of z is unspecified until Reset.
func (z *Resolver) Resolve(r *Record) (Resolved, error) {
	var res Resolved
	if err := z.resolve(r, &res); err != nil {
		return Resolved{}, err
	}
	return res, nil
}

// resolve is Resolve writing into *res, which spares the copies of a
// Resolved on the decoders' path; *res is undefined after an error.
func (z *Resolver) resolve(r *Record, res *Resolved) error {
	if r.Has(BaseVersion) {
		switch v := r.BaseVersion; {
		case v < 1:
			return resErr("bver", root, ErrMalformed, ruleBase, "base version is not a positive integer")
		case v > MaxVersion:
			return resErr("bver", root, ErrUnsupported, ruleVersion, "base version above 10")
		}
	}
	if r.Has(BaseName) {
		if len(r.BaseName) > maxPathText {
			return resErr("bn", root, ErrMalformed, rulePath, "base name longer than any LwM2M path")
		}
		z.bnLen = copy(z.bn[:], r.BaseName)
	}
	// bt, bv and bs carry over to the records after (RFC 8428 4.6). Three
	// plain ifs: a loop over a table of them copied the Numbers per record.
	if r.Fields&(BaseTime|BaseValue|BaseSum) != 0 {
		if err := z.setBase(r, BaseTime, &r.BaseTime, &z.bt, &z.hasBT); err != nil {
			return err
		}
		if err := z.setBase(r, BaseValue, &r.BaseValue, &z.bv, &z.hasBV); err != nil {
			return err
		}
		if err := z.setBase(r, BaseSum, &r.BaseSum, &z.bs, &z.hasBS); err != nil {
			return err
		}
	}

	// The name: bn + n (RFC 8428 4.6), an LwM2M path (Core 7.4.5).
	nameField := "n"
	if !r.Has(Name) {
		nameField = "bn"
	}
	var buf [maxPathText]byte
	n := copy(buf[:], z.bn[:z.bnLen])
	if r.Has(Name) {
		if n+len(r.Name) > maxPathText {
			return resErr(nameField, root, ErrMalformed, rulePath, "name longer than any LwM2M path")
		}
		n += copy(buf[n:], r.Name)
	}
	if n == 0 {
		return resErr("n", root, ErrMalformed, ruleName, "record without a name")
	}
	p, ok := path.FromText(buf[:n])
	if !ok {
		return resErr(nameField, root, ErrMalformed, rulePath, "name is not an LwM2M path")
	}
	if !z.Base.Contains(p) {
		return resErr(nameField, p, ErrMalformed, ruleLwM2M, "path outside the request path")
	}
	*res = Resolved{Path: p}

	// The time: bt + t.
	if z.hasBT || r.Has(Time) {
		var t float64
		if z.hasBT {
			t = z.bt.Float()
		}
		if r.Has(Time) {
			t += r.Time.Float()
		}
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return resErr("t", p, ErrMalformed, ruleResolve, "time out of range")
		}
		res.Time, res.HasTime = t+0, true // +0 turns -0 into 0
	}

	// The value.
	vf := r.Fields & ValueFields
	if vf&(vf-1) != 0 {
		return resErr("record", p, ErrMalformed, ruleFields, "more than one value field")
	}
	label := "v"
	var num Number
	switch {
	case vf == Value:
		num = r.Value
		if z.hasBV {
			num = z.bv.add(num)
		}
	case vf == 0 && r.Has(Sum):
		vf, label, num = Value, "s", r.Sum
		if z.hasBS {
			num = z.bs.add(num)
		}
	}
	if !num.isFinite() {
		return resErr(label, p, ErrMalformed, ruleResolve, "value out of range")
	}
	if vf != 0 {
		if err := z.typed(p, vf, label, r, num, &res.Value); err != nil {
			return err
		}
	}
	if !z.dup.Add(dupKey(res)) {
		return resErr("n", p, ErrMalformed, ruleDup, "the same path twice without distinct times")
	}
	return nil
}

// typeField is the value field each resource type takes (LwM2M Core 7.4.5).
var typeField = [...]Field{
	lwm2m.String:   StringValue,
	lwm2m.Integer:  Value,
	lwm2m.Unsigned: Value,
	lwm2m.Float:    Value,
	lwm2m.Boolean:  BoolValue,
	lwm2m.Opaque:   DataValue,
	lwm2m.Time:     Value,
	lwm2m.Objlnk:   ObjLinkValue,
	lwm2m.Corelnk:  StringValue,
}

// typeMismatch is the message for a value field that does not match the
// resource type, by type.
var typeMismatch = [...]string{
	lwm2m.None:     "an executable resource takes no value",
	lwm2m.String:   "a string resource takes vs",
	lwm2m.Integer:  "an integer resource takes v",
	lwm2m.Unsigned: "an unsigned integer resource takes v",
	lwm2m.Float:    "a float resource takes v",
	lwm2m.Boolean:  "a boolean resource takes vb",
	lwm2m.Opaque:   "an opaque resource takes vd",
	lwm2m.Time:     "a time resource takes v",
	lwm2m.Objlnk:   "an objlnk resource takes vlo",
	lwm2m.Corelnk:  "a corelnk resource takes vs",
}

// typed sets *v to the value of field vf of r (num for v) for the resource
// at p, typed by the registry when it knows the resource.
func (z *Resolver) typed(p path.Path, vf Field, label string, r *Record, num Number, v *lwm2m.Value) error {
	if vf != Value {
		label = vf.Label()
	}
	if p.Level() < path.ResourceLevel {
		return resErr(label, p, ErrMalformed, ruleLwM2M, "a value needs a resource or resource instance path")
	}
	var def *lwm2m.ResourceDef
	if z.Reg != nil {
		o, _ := p.ObjectID()
		id, _ := p.ResourceID()
		def, _ = z.Reg.Resource(o, id)
	}
	if def == nil {
		switch vf {
		case Value:
			if num.IsFloat() {
				*v = lwm2m.FloatValue(num.Float())
				return nil
			}
			if i, ok := num.Int(); ok {
				*v = lwm2m.IntegerValue(i)
				return nil
			}
			u, _ := num.Uint()
			*v = lwm2m.UnsignedValue(u)
			return nil
		case StringValue:
			*v = lwm2m.StringValue(r.String)
			return nil
		case BoolValue:
			*v = lwm2m.BoolValue(r.Bool)
			return nil
		case DataValue:
			*v = lwm2m.OpaqueValue(r.Data)
			return nil
		}
		return parseObjlnk(p, r.ObjLink, v)
	}
	t := def.Type
	switch {
	case int(t) >= len(typeMismatch):
		return resErr(label, p, ErrUnsupported, ruleTypes, "unknown resource type")
	case t == lwm2m.None || typeField[t] != vf:
		return resErr(label, p, ErrMalformed, ruleTypes, typeMismatch[t])
	case def.Multiple && p.Level() == path.ResourceLevel:
		return resErr(label, p, ErrMalformed, ruleLwM2M, "a multiple-instance resource takes values by resource instance")
	case !def.Multiple && p.Level() == path.ResourceInstanceLevel:
		return resErr(label, p, ErrMalformed, ruleLwM2M, "a single-instance resource has no resource instances")
	}
	switch t {
	case lwm2m.Integer, lwm2m.Time:
		i, ok := num.Int()
		if !ok {
			return resErr(label, p, ErrMalformed, ruleTypes, "not an integer within the signed 64-bit range")
		}
		if t == lwm2m.Time {
			*v = lwm2m.TimeValue(i)
			return nil
		}
		*v = lwm2m.IntegerValue(i)
		return nil
	case lwm2m.Unsigned:
		u, ok := num.Uint()
		if !ok {
			return resErr(label, p, ErrMalformed, ruleTypes, "not an integer within the unsigned 64-bit range")
		}
		*v = lwm2m.UnsignedValue(u)
		return nil
	case lwm2m.Float:
		*v = lwm2m.FloatValue(num.Float())
		return nil
	case lwm2m.String:
		*v = lwm2m.StringValue(r.String)
		return nil
	case lwm2m.Corelnk:
		*v = lwm2m.CorelnkValue(r.String)
		return nil
	case lwm2m.Boolean:
		*v = lwm2m.BoolValue(r.Bool)
		return nil
	case lwm2m.Opaque:
		*v = lwm2m.OpaqueValue(r.Data)
		return nil
	}
	return parseObjlnk(p, r.ObjLink, v)
}

// parseObjlnk parses a vlo value, "ObjectID:InstanceID" (LwM2M Core 7.4.5,
// the Objlnk text form of Appendix C).
func parseObjlnk(p path.Path, b []byte, v *lwm2m.Value) error {
	l, ok := lwm2m.ParseObjlnk(b)
	if !ok {
		return resErr("vlo", p, ErrMalformed, ruleTypes, "object link is not ObjectID:InstanceID")
	}
	*v = lwm2m.ObjlnkValue(l)
	return nil
}

// dupKey returns the key of res for the duplicate check.
func dupKey(res *Resolved) wire.DupKey {
	k := wire.DupKey{Len: uint8(res.Path.Len()), HasTime: res.HasTime}
	for i := 0; i < res.Path.Len(); i++ {
		k.IDs |= uint64(res.Path.ID(i)) << (16 * i)
	}
	if res.HasTime {
		k.Time = math.Float64bits(res.Time)
	}
	return k
}
