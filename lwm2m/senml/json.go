package senml

import (
	"encoding/base64"
	"math"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// JSONDecoder reads the records of a SenML JSON pack (RFC 8428 section 5,
// application/senml+json, Content-Format 110) one at a time, as they are on
// the wire. It is small and reusable: Reset starts a new pack and keeps the
// scratch buffer, so a decoder used again and again stops allocating.
//
//	var d senml.JSONDecoder
//	d.Reset(payload, senml.Limits{})
//	for r, ok := d.Next(); ok; r, ok = d.Next() {
//		... r.Name, r.Value ...
//	}
//	if err := d.Err(); err != nil { ... }
//
// The pack must be one JSON array of objects, strict RFC 8259 JSON (see the
// package documentation). In each record the labels of RFC 8428 Table 4
// and LwM2M's vlo must have values of their type (a string for bn, bu, n,
// u, vs, vd and vlo; a number for bt, bv, bs, v, s, t and ut; an integer
// for bver; true or false for vb); a label twice in one record is an error;
// an unknown label ending in '_' is ErrUnsupported (RFC 8428 4.4) and any
// other unknown label is skipped with its value. vd is decoded from
// base64url (see the package documentation for the padded and standard
// forms also accepted).
//
// Byte fields of a Record alias the input, or the scratch buffer for
// strings with escapes and for vd: they are valid until the next call of
// Next or Reset.
type JSONDecoder struct {
	sc      wire.JSONScanner
	in      []byte
	maxRec  int
	maxStr  int
	n       int // records read
	scratch []byte
	keep    bool // DecodeJSON: never reuse scratch, so values outlive Next
	done    bool
	started bool
	fieldOffsets
	err error
}

// Reset starts reading the pack b under the limits lim.
func (d *JSONDecoder) Reset(b []byte, lim Limits) {
	d.sc.Reset(b, lim.maxDepth())
	d.in = b
	d.maxRec, d.maxStr = lim.maxRecords(), lim.maxStringLen()
	d.n = 0
	d.scratch = d.scratch[:0]
	d.keep, d.done, d.started = false, false, false
	d.recOff = 0
	d.err = nil
}

// Err returns the error that stopped Next, or nil at the end of the pack.
func (d *JSONDecoder) Err() error { return d.err }

// Offset returns the byte offset of the member with label f in the record
// Next last returned, or of that record's '{' if it has no such member (or
// f is not a single field).
func (d *JSONDecoder) Offset(f Field) int {
	return d.offset(f)
}

func (d *JSONDecoder) scanErr() {
	e := d.sc.Err()
	d.err = decErr("json", e.Offset, e.Class(&classes), e.Rule, e.Msg)
}

func (d *JSONDecoder) fail(err *Error) (Record, bool) {
	d.err = err
	return Record{}, false
}

// Next returns the next record. It reports false at the end of the pack
// (after checking that nothing but white space follows it) and at the first
// error (see Err).
func (d *JSONDecoder) Next() (Record, bool) {
	if d.done || d.err != nil {
		return Record{}, false
	}
	if !d.started {
		d.started = true
		t, ok := d.sc.Next()
		if !ok {
			d.scanErr()
			return Record{}, false
		}
		if t.Kind != wire.JSONBeginArray {
			return d.fail(decErr("pack", t.Offset, ErrMalformed, ruleJSON, "a SenML pack is a JSON array"))
		}
	}
	t, ok := d.sc.Next()
	if !ok {
		d.scanErr()
		return Record{}, false
	}
	switch t.Kind {
	case wire.JSONEndArray:
		if d.sc.Next(); d.sc.Failed() {
			d.scanErr()
		}
		d.done = true
		return Record{}, false
	case wire.JSONBeginObject:
	default:
		return d.fail(decErr("record", t.Offset, ErrMalformed, ruleJSON, "a SenML record is a JSON object"))
	}
	if d.n >= d.maxRec {
		return d.fail(decErr("record", t.Offset, ErrLimit, ruleJSON, "more records than Limits.MaxRecords"))
	}
	d.n++
	if !d.keep {
		d.scratch = d.scratch[:0]
	}
	return d.record(t.Offset)
}

// grow makes sure the scratch buffer exists. DecodeJSON sizes it once for
// the whole input: unescaped strings and decoded vd values are never
// longer than their JSON form, so it never grows again.
func (d *JSONDecoder) grow() {
	if d.keep && d.scratch == nil {
		d.scratch = make([]byte, 0, len(d.in))
	}
}

// label returns the field named by a member name token, unescaping it if
// needed, and whether an unknown name ends in '_'.
func (d *JSONDecoder) label(t wire.JSONToken) (Field, bool) {
	name := t.Raw
	mark := len(d.scratch)
	if t.Escaped {
		d.grow()
		name, d.scratch = wire.UnescapeJSON(d.scratch, t.Raw)
	}
	var f Field
	switch string(name) {
	case "bn":
		f = BaseName
	case "bt":
		f = BaseTime
	case "bu":
		f = BaseUnit
	case "bv":
		f = BaseValue
	case "bs":
		f = BaseSum
	case "bver":
		f = BaseVersion
	case "n":
		f = Name
	case "u":
		f = Unit
	case "v":
		f = Value
	case "vs":
		f = StringValue
	case "vb":
		f = BoolValue
	case "s":
		f = Sum
	case "t":
		f = Time
	case "ut":
		f = UpdateTime
	case "vd":
		f = DataValue
	case "vlo":
		f = ObjLinkValue
	}
	mustUnderstand := f == 0 && len(name) > 0 && name[len(name)-1] == '_'
	d.scratch = d.scratch[:mark] // the unescaped name is not kept
	return f, mustUnderstand
}

// record reads the members of a record whose '{' is at off.
func (d *JSONDecoder) record(off int) (Record, bool) {
	var r Record
	d.begin(off)
	for {
		t, ok := d.sc.Next()
		if !ok {
			d.scanErr()
			return Record{}, false
		}
		if t.Kind == wire.JSONEndObject {
			return r, true
		}
		f, mustUnderstand := d.label(t) // t is a name: the scanner allows nothing else here
		v, ok := d.sc.Next()
		if !ok {
			d.scanErr()
			return Record{}, false
		}
		if f == 0 {
			if mustUnderstand {
				return d.fail(decErr("record", t.Offset, ErrUnsupported, ruleMustKnow, "unknown label ending in '_'"))
			}
			if !d.sc.SkipValue(v) {
				d.scanErr()
				return Record{}, false
			}
			continue
		}
		lbl := f.Label()
		if r.Fields&f != 0 {
			return d.fail(decErr(lbl, t.Offset, ErrMalformed, ruleUnique, "label twice in one record"))
		}
		r.Fields |= f
		d.at(f, fieldIndex(f), t.Offset)
		switch f {
		case BaseName, BaseUnit, Name, Unit, StringValue, DataValue, ObjLinkValue:
			if v.Kind != wire.JSONString {
				return d.fail(decErr(lbl, v.Offset, ErrMalformed, ruleLabels, msgWantString))
			}
			if len(v.Raw) > d.maxStr {
				return d.fail(decErr(lbl, v.Offset, ErrLimit, ruleLabels, "string longer than Limits.MaxStringLen"))
			}
			s := v.Raw
			mark := len(d.scratch)
			if v.Escaped {
				d.grow()
				s, d.scratch = wire.UnescapeJSON(d.scratch, v.Raw)
			}
			switch f {
			case BaseName:
				r.BaseName = s
			case BaseUnit:
				r.BaseUnit = s
			case Name:
				r.Name = s
			case Unit:
				r.Unit = s
			case StringValue:
				r.String = s
			case ObjLinkValue:
				r.ObjLink = s
			case DataValue:
				data, err := d.decodeData(s, v, mark)
				if err != nil {
					return d.fail(err)
				}
				r.Data = data
			}
		case BoolValue:
			if v.Kind != wire.JSONTrue && v.Kind != wire.JSONFalse {
				return d.fail(decErr(lbl, v.Offset, ErrMalformed, ruleLabels, msgWantBool))
			}
			r.Bool = v.Kind == wire.JSONTrue
		default:
			if v.Kind != wire.JSONNumber {
				return d.fail(decErr(lbl, v.Offset, ErrMalformed, ruleLabels, msgWantNumber))
			}
			kind, bits, ok := wire.ParseJSONNumber(v.Raw, v.Float)
			if !ok {
				return d.fail(decErr(lbl, v.Offset, ErrMalformed, wire.RuleJSONNumber, "number beyond the float64 range"))
			}
			n := Number{kind, bits}
			switch f {
			case BaseVersion:
				if kind != wire.NumInt {
					return d.fail(decErr(lbl, v.Offset, ErrMalformed, ruleBase, "base version is not an integer"))
				}
				r.BaseVersion = int64(bits)
			case BaseTime:
				r.BaseTime = n
			case BaseValue:
				r.BaseValue = n
			case BaseSum:
				r.BaseSum = n
			case Value:
				r.Value = n
			case Sum:
				r.Sum = n
			case Time:
				r.Time = n
			case UpdateTime:
				r.UpdateTime = n
			}
		}
	}
}

// The base64 forms accepted for vd: RFC 8428 section 5 asks for base64url
// without padding; padded and standard-alphabet values, which Wakaama and
// older Zephyr send, are accepted too, each in its canonical form.
const vdModes = wire.Base64URL | wire.Base64NoPad | wire.Base64Std | wire.Base64Pad

// decodeData decodes the vd text s (unescaped at scratch[mark:] when v was
// escaped) into the scratch buffer.
func (d *JSONDecoder) decodeData(s []byte, v wire.JSONToken, mark int) ([]byte, *Error) {
	d.grow()
	start := len(d.scratch)
	out, bad, msg := wire.DecodeBase64(d.scratch, s, vdModes)
	if bad >= 0 {
		off := v.Offset + 1 + bad
		if v.Escaped {
			off = v.Offset // the offset within the escaped text is not known
		}
		return nil, decErr("vd", off, ErrMalformed, ruleDataValue, msg)
	}
	d.scratch = out
	if v.Escaped {
		// Move the bytes over the unescaped text they came from.
		n := copy(d.scratch[mark:], d.scratch[start:])
		d.scratch = d.scratch[:mark+n]
		start = mark
	}
	return d.scratch[start:len(d.scratch):len(d.scratch)], nil
}

// Resolve reads the rest of the pack, resolves each record with z and calls
// fn with it, in wire order, stopping at the first error (from the input,
// from resolution or from fn). Errors from z carry the byte offset of the
// field concerned. Values are valid until the next call on d.
func (d *JSONDecoder) Resolve(z *Resolver, fn func(Resolved) error) error {
	for r, ok := d.Next(); ok; r, ok = d.Next() {
		if err := d.resolve(z, &r, fn); err != nil {
			return err
		}
	}
	return d.err
}

// DecodeJSON resolves the SenML JSON pack b, which answers the request path
// base, and calls fn with each record in wire order (see [Resolver] for the
// rules and the typing by reg, which may be nil). It stops at the first
// error, from the payload or from fn, and returns it; fn may have been
// called for the records before it.
//
// Values alias b, so they stay valid as long as b does. When the pack has
// strings with escapes or vd values, DecodeJSON allocates one buffer of
// len(b) bytes for their text; more than 32 records cost the Resolver's
// duplicate index. Reuse a [JSONDecoder] and a [Resolver] to avoid both.
func DecodeJSON(b []byte, base path.Path, reg *lwm2m.Registry, fn func(Resolved) error) error {
	var d JSONDecoder
	d.Reset(b, Limits{})
	d.keep = true
	var z Resolver
	z.Reset(base, reg)
	return d.Resolve(&z, fn)
}

// appendMember appends the label of a member, preceded by a ',' unless it
// is the record's first.
func appendMember(b []byte, first *bool, label string) []byte {
	if !*first {
		b = append(b, ',')
	}
	*first = false
	b = append(b, '"')
	b = append(b, label...)
	return append(b, '"', ':')
}

// appendNumber appends n as written on the wire: an integer as one, a
// float in the form of wire.AppendJSONFloat.
func appendNumber(b []byte, n Number) ([]byte, bool) {
	switch n.kind {
	case wire.NumInt:
		return strconv.AppendInt(b, int64(n.bits), 10), true
	case wire.NumUint:
		return strconv.AppendUint(b, n.bits, 10), true
	}
	return wire.AppendJSONFloat(b, math.Float64frombits(n.bits))
}

// recordOrder is the order AppendJSON writes fields in: bver first, then
// the base fields, the name, the value and the times.
var recordOrder = [...]Field{BaseVersion, BaseName, BaseTime, BaseUnit, BaseValue, BaseSum, Name, Unit,
	Value, StringValue, BoolValue, DataValue, ObjLinkValue, Sum, Time, UpdateTime}

// AppendJSON appends the SenML JSON pack of the raw records recs (RFC 8428
// section 5), each with the fields its Fields names, in a fixed order (bver,
// bn, bt, bu, bv, bs, n, u, v, vs, vb, vd, vlo, s, t, ut). Numbers keep
// their kind: integers as integers, floats in the shortest form that reads
// back as the same float (see the package documentation); vd is written in
// base64url without padding. It writes no white space, so decoding the
// result gives back recs. Strings must be UTF-8 (ErrMalformed) and floats
// finite (ErrUnsupported); on error b is returned unchanged.
func AppendJSON(b []byte, recs []Record) ([]byte, error) {
	orig := len(b)
	b = append(b, '[')
	for i := range recs {
		if i > 0 {
			b = append(b, ',')
		}
		var err *Error
		if b, err = appendRecord(b, &recs[i]); err != nil {
			return b[:orig], err
		}
	}
	return append(b, ']'), nil
}

func appendRecord(b []byte, r *Record) ([]byte, *Error) {
	b = append(b, '{')
	first := true
	for _, f := range recordOrder {
		if r.Fields&f == 0 {
			continue
		}
		lbl := f.Label()
		b = appendMember(b, &first, lbl)
		ok := true
		var n Number
		switch f {
		case BaseVersion:
			b = strconv.AppendInt(b, r.BaseVersion, 10)
			continue
		case BoolValue:
			b = strconv.AppendBool(b, r.Bool)
			continue
		case DataValue:
			b = append(b, '"')
			b = base64.RawURLEncoding.AppendEncode(b, r.Data)
			b = append(b, '"')
			continue
		case BaseName:
			b, ok = wire.AppendJSONString(b, r.BaseName)
		case BaseUnit:
			b, ok = wire.AppendJSONString(b, r.BaseUnit)
		case Name:
			b, ok = wire.AppendJSONString(b, r.Name)
		case Unit:
			b, ok = wire.AppendJSONString(b, r.Unit)
		case StringValue:
			b, ok = wire.AppendJSONString(b, r.String)
		case ObjLinkValue:
			b, ok = wire.AppendJSONString(b, r.ObjLink)
		case BaseTime:
			n = r.BaseTime
		case BaseValue:
			n = r.BaseValue
		case BaseSum:
			n = r.BaseSum
		case Value:
			n = r.Value
		case Sum:
			n = r.Sum
		case Time:
			n = r.Time
		case UpdateTime:
			n = r.UpdateTime
		}
		if !ok {
			return b, encErr(lbl, root, ErrMalformed, ruleJSON, "string is not UTF-8")
		}
		switch f {
		case BaseTime, BaseValue, BaseSum, Value, Sum, Time, UpdateTime:
			if b, ok = appendNumber(b, n); !ok {
				return b, encErr(lbl, root, ErrUnsupported, wire.RuleJSONNumber, "JSON has no NaN or infinity")
			}
		}
	}
	return append(b, '}'), nil
}

// appendTime appends a time or time offset: an integral value below 2^53
// as an integer, else as a float.
func appendTime(b []byte, t float64) []byte {
	if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
		return strconv.AppendInt(b, int64(t), 10)
	}
	b, _ = wire.AppendJSONFloat(b, t) // finite: checked by EncodeJSON
	return b
}

// timeOffset returns the time offset with the fewest significant digits
// that gives t when added to bt (bt + (t-bt) == t holds for the callers),
// so that 1699877805.766 and 1699877805.867 differ by 0.101 rather than by
// the float64 difference 0.10100007057189941.
func timeOffset(bt, t float64) float64 {
	d := t - bt
	var buf [32]byte
	for p := 0; p < 16; p++ {
		s := strconv.AppendFloat(buf[:0], d, 'e', p, 64)
		if _, bits, ok := wire.ParseJSONNumber(s, true); ok {
			if c := math.Float64frombits(bits); bt+c == t {
				return c
			}
		}
	}
	return d
}

// EncodeJSON appends the SenML JSON pack of the resolved records recs, in
// their order, answering the request path base: the inverse of
// [DecodeJSON], so that decoding the result with the same registry gives
// back recs (a record typed by the registry must carry a value of the
// resource's type for that to hold).
//
// Every path must lie under base. A value takes the field of its type
// (LwM2M Core 7.4.5): Integer, Unsigned and Time as an integer in v, Float
// as a float in v (with ".0" or an exponent, so that it reads back as a
// Float without a registry), String and Corelnk in vs, Boolean in vb,
// Opaque in vd (base64url without padding), Objlnk in vlo ("3:0"); a value
// of type None writes no value field. A value needs a resource or resource
// instance path.
//
// Names are shortened with a base name: EncodeJSON computes the common
// prefix of the paths and writes as bn, on the first record, the cut of it
// at a '/' (or the whole prefix when it ends at a segment boundary of
// every path) that makes the pack shortest, or no bn when that is
// shortest; each n is then the rest of its path, left out when empty.
// Times: when every record has one and each differs from the first by an
// amount that adds back exactly, the first time is written as bt and the
// others as t relative to it (no t where equal; the offset with the fewest
// digits that adds back to the same time); otherwise each record with a
// time has it in t. Integral times are written as integers.
//
// Floats and times must be finite and text UTF-8; on error b is returned
// unchanged, with an [*Error] whose Offset is -1.
func EncodeJSON(b []byte, base path.Path, recs []Resolved) ([]byte, error) {
	orig := len(b)
	// Times: relative to a base time when exact.
	relative, bt, bad := relativeTimes(recs)
	if bad >= 0 {
		return b, encErr("t", recs[bad].Path, ErrUnsupported, wire.RuleJSONNumber, "JSON has no NaN or infinity")
	}
	// Other members of each record than bn and n: their count decides
	// the commas.
	others := func(i int) int {
		n := 0
		if recs[i].Value.Type() != lwm2m.None {
			n++
		}
		if relative && i == 0 {
			n++ // bt
		}
		if relative && recs[i].Time != bt || !relative && recs[i].HasTime {
			n++ // t
		}
		return n
	}
	// The cost of a base name of length k, in the bytes that differ.
	cost := func(k int) int {
		c := 0
		for i := range recs {
			m := others(i)
			if i == 0 && k > 0 {
				c += 7 + k // "bn":"..."
				m++
			}
			if rest := pathTextLen(recs[i].Path) - k; rest > 0 {
				c += 6 + rest // "n":"..."
				m++
			}
			if m > 1 {
				c += m - 1
			}
		}
		return c
	}
	bnLen, lcp := baseName(recs, cost)

	var buf [maxPathText]byte
	b = append(b, '[')
	for i := range recs {
		r := &recs[i]
		if !base.Contains(r.Path) {
			return b[:orig], encErr("n", r.Path, ErrMalformed, ruleLwM2M, "path outside the request path")
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		first := true
		if i == 0 && bnLen > 0 {
			b = appendMember(b, &first, "bn")
			b = append(b, '"')
			b = append(b, lcp[:bnLen]...)
			b = append(b, '"')
		}
		if i == 0 && relative {
			b = appendMember(b, &first, "bt")
			b = appendTime(b, bt)
		}
		if t := pathText(&buf, r.Path); len(t) > bnLen {
			b = appendMember(b, &first, "n")
			b = append(b, '"')
			b = append(b, t[bnLen:]...)
			b = append(b, '"')
		}
		var err *Error
		if b, err = appendValue(b, &first, r); err != nil {
			return b[:orig], err
		}
		switch {
		case relative && r.Time != bt:
			b = appendMember(b, &first, "t")
			b = appendTime(b, timeOffset(bt, r.Time))
		case !relative && r.HasTime:
			b = appendMember(b, &first, "t")
			b = appendTime(b, r.Time)
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// appendValue appends the value member of r, if it has a value.
func appendValue(b []byte, first *bool, r *Resolved) ([]byte, *Error) {
	v := r.Value
	if v.Type() != lwm2m.None && r.Path.Level() < path.ResourceLevel {
		return b, encErr("v", r.Path, ErrMalformed, ruleLwM2M, "a value needs a resource or resource instance path")
	}
	switch v.Type() {
	case lwm2m.None:
	case lwm2m.Integer:
		i, _ := v.Integer()
		b = strconv.AppendInt(appendMember(b, first, "v"), i, 10)
	case lwm2m.Time:
		i, _ := v.Time()
		b = strconv.AppendInt(appendMember(b, first, "v"), i, 10)
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		b = strconv.AppendUint(appendMember(b, first, "v"), u, 10)
	case lwm2m.Float:
		f, _ := v.Float()
		var ok bool
		if b, ok = wire.AppendJSONFloat(appendMember(b, first, "v"), f); !ok {
			return b, encErr("v", r.Path, ErrUnsupported, wire.RuleJSONNumber, "JSON has no NaN or infinity")
		}
	case lwm2m.String, lwm2m.Corelnk:
		s, _ := v.Bytes()
		var ok bool
		if b, ok = wire.AppendJSONString(appendMember(b, first, "vs"), s); !ok {
			return b, encErr("vs", r.Path, ErrMalformed, ruleJSON, "string is not UTF-8")
		}
	case lwm2m.Boolean:
		t, _ := v.Bool()
		b = strconv.AppendBool(appendMember(b, first, "vb"), t)
	case lwm2m.Opaque:
		d, _ := v.Bytes()
		b = append(appendMember(b, first, "vd"), '"')
		b = append(base64.RawURLEncoding.AppendEncode(b, d), '"')
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		b = append(appendMember(b, first, "vlo"), '"')
		b = append(lwm2m.AppendObjlnk(b, l), '"')
	default:
		return b, encErr("v", r.Path, ErrUnsupported, ruleTypes, "unknown value type")
	}
	return b, nil
}
