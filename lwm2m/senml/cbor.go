package senml

// SenML CBOR (RFC 8428 section 6, application/senml+cbor, Content-Format
// 112; LwM2M Core 7.4.6). The CBOR primitives are internal/wire's, shared
// with lwm2m/lwcbor.
//
// To add a label: its integer label (RFC 8428 Table 6) or text key goes in
// cborLabel and cborKeys, its CBOR type in CBORDecoder.field, and its form
// in appendCBORField.

import (
	"encoding/binary"
	"math"
	"math/bits"
	"unicode/utf8"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The sections cited by the CBOR errors.
const (
	ruleCBOR         = "RFC 8428 6"
	ruleCBORPack     = "RFC 8428 6: a pack is an array of maps"
	ruleCBORVersion  = "RFC 8428 6: the version number is an unsigned integer"
	ruleCBORString   = "RFC 8428 6: definite-length text and byte strings"
	ruleCBORDupKey   = "RFC 8949 5.6: map keys are unique"
	ruleCBORLabel    = "RFC 8428 6: labels are integers (Table 6) or text strings"
	ruleCBORDefinite = "LwM2M Core 7.4.6: packs are read in definite-length form"
)

// cborVLO is the text key of vlo, LwM2M's object link value: it has no
// integer label (LwM2M Core 7.4.6).
const cborVLO = "vlo"

// cborLabel returns the field of an integer label of RFC 8428 Table 6:
// -6 to -1 for bs, bv, bu, bt, bn and bver, 0 to 8 for n, u, v, vs, vb, s,
// t, ut and vd. Other integers are unknown labels.
func cborLabel(neg bool, n uint64) Field {
	if neg {
		switch n { // the label is -1-n
		case 0:
			return BaseVersion
		case 1:
			return BaseName
		case 2:
			return BaseTime
		case 3:
			return BaseUnit
		case 4:
			return BaseValue
		case 5:
			return BaseSum
		}
		return 0
	}
	switch n {
	case 0:
		return Name
	case 1:
		return Unit
	case 2:
		return Value
	case 3:
		return StringValue
	case 4:
		return BoolValue
	case 5:
		return Sum
	case 6:
		return Time
	case 7:
		return UpdateTime
	case 8:
		return DataValue
	}
	return 0
}

// unknownIntLabel marks, in cborKeyByHead, a one-byte integer label that
// names no field: its value is skipped.
const unknownIntLabel Field = 1 << 31

// cborKeyByHead gives the field of each one-byte integer head (labels -24
// to 23), unknownIntLabel for the labels that name none, and 0 for every
// other initial byte.
var cborKeyByHead = func() (t [256]Field) {
	for c := 0; c < 24; c++ {
		t[c] = orUnknown(cborLabel(false, uint64(c)))
		t[0x20+c] = orUnknown(cborLabel(true, uint64(c)))
	}
	return t
}()

func orUnknown(f Field) Field {
	if f == 0 {
		return unknownIntLabel
	}
	return f
}

// cborKeys are the encoded map keys of the fields, by bit position: the
// integer labels as one-byte heads (0x20 | (-1-label) for the negative
// ones), vlo as a text string.
var cborKeys = [numFields]string{
	"\x21", "\x22", "\x23", "\x24", "\x25", "\x20", // bn bt bu bv bs bver
	"\x00", "\x01", "\x02", "\x03", "\x04", "\x05", "\x06", "\x07", "\x08", // n u v vs vb s t ut vd
	"\x63" + cborVLO,
}

// CBORDecoder reads the records of a SenML CBOR pack (RFC 8428 section 6,
// application/senml+cbor, Content-Format 112) one at a time, as they are on
// the wire. It is small and reusable, and never allocates (but for
// errors): every byte field aliases the input, since CBOR strings need no
// unescaping.
//
//	var d senml.CBORDecoder
//	d.Reset(payload, senml.Limits{})
//	for r, ok := d.Next(); ok; r, ok = d.Next() {
//		... r.Name, r.Value ...
//	}
//	if err := d.Err(); err != nil { ... }
//
// The pack must be one definite-length array of definite-length maps,
// well-formed CBOR (RFC 8949) with nothing after it. In each map:
//
//   - The integer labels of RFC 8428 Table 6 name the fields (-1 bver, -2
//     bn, -3 bt, -4 bu, -5 bv, -6 bs, 0 n, 1 u, 2 v, 3 vs, 4 vb, 5 s, 6 t, 7
//     ut, 8 vd) and the text key "vlo" LwM2M's object link (LwM2M Core
//     7.4.6). Each must have a value of its type: a text string for bn, bu,
//     n, u, vs and vlo; a byte string for vd; true or false for vb; an
//     unsigned integer for bver (RFC 8428 6); a number for bt, bv, bs, v, s,
//     t and ut.
//   - A number is an integer, a float of any width (half, single or
//     double: Wakaama writes the shortest) or a decimal fraction (tag 4,
//     which Leshan writes for times), as RFC 8428 section 6 allows. It
//     keeps its kind in a [Number]: an integer below -2^63 becomes the
//     nearest float64, as it does in JSON, and a decimal fraction is an
//     integer when its exponent is >= 0 and the value fits, else the
//     nearest float64.
//   - A known label twice in a map is an error (RFC 8949 5.6); an unknown
//     text key ending in '_' is ErrUnsupported (RFC 8428 4.4); other
//     unknown labels, integer or text, are skipped with their values, which
//     may nest Limits.MaxDepth-2 levels. Text keys such as "n" or "-2" are
//     unknown labels: SenML CBOR names its fields with integers. A key of
//     another type (bytes, float, array, ...) is ErrMalformed.
//   - Strings are definite-length (RFC 8428 6; an indefinite-length one is
//     ErrUnsupported) and text is UTF-8.
//
// A pack whose array announces more records than Limits.MaxRecords is
// rejected before its first record is read.
//
// Indefinite-length arrays and maps are well-formed CBOR, and RFC 8428
// does not forbid them, but this decoder rejects them with ErrUnsupported
// as Wakaama does (a vector pins it); Wakaama, Leshan, Anjay and Zephyr all
// write definite lengths.
type CBORDecoder struct {
	in       []byte
	off      int
	left     uint64 // records left in the pack
	maxRec   int
	maxStr   int
	maxDepth int
	started  bool
	done     bool
	fieldOffsets
	err error
}

// Reset starts reading the pack b under the limits lim.
func (d *CBORDecoder) Reset(b []byte, lim Limits) {
	*d = CBORDecoder{in: b, maxRec: lim.maxRecords(), maxStr: lim.maxStringLen(), maxDepth: lim.maxDepth()}
}

// Err returns the error that stopped Next, or nil at the end of the pack.
func (d *CBORDecoder) Err() error { return d.err }

// Offset returns the byte offset of the key of field f in the record Next
// last returned, or of that record's map if it has no such field (or f is
// not a single field).
func (d *CBORDecoder) Offset(f Field) int {
	return d.offset(f)
}

// stopCBOR reports a failure of the internal/wire CBOR readers.
func (d *CBORDecoder) stopCBOR(field string, off int, e wire.CBORError) bool {
	return d.stop(cborDecErr(field, off, e))
}

// Next returns the next record. It reports false at the end of the pack
// (after checking that nothing follows it) and at the first error (see
// Err).
func (d *CBORDecoder) Next() (Record, bool) {
	var r Record
	if !d.next(&r) {
		return Record{}, false
	}
	return r, true
}

// stop records err and ends the pack; it returns false for the callers.
func (d *CBORDecoder) stop(err *Error) bool {
	d.err = err
	d.done = true
	return false
}

// next reads the next record into r, as Next does: filling r in place
// spares the copies of a Record (about 300 bytes) per record.
func (d *CBORDecoder) next(r *Record) bool {
	if d.done {
		return false
	}
	if !d.started {
		d.started = true
		h, e := wire.ReadCBORHead(d.in, 0)
		switch {
		case e != wire.CBOROK:
			return d.stop(cborDecErr("pack", 0, e))
		case h.Major != wire.CBORArray:
			return d.stop(decErr("pack", 0, ErrMalformed, ruleCBORPack, "a SenML pack is a CBOR array"))
		case h.Indefinite():
			return d.stop(decErr("pack", 0, ErrUnsupported, ruleCBORDefinite, "indefinite-length array"))
		case h.Arg > uint64(d.maxRec):
			return d.stop(decErr("pack", 0, ErrLimit, ruleCBOR, "more records than Limits.MaxRecords"))
		case h.Arg > uint64(len(d.in)-h.End):
			return d.stop(decErr("pack", 0, ErrTruncated, "RFC 8949 3", "more records than bytes left"))
		}
		d.left, d.off = h.Arg, h.End
	}
	if d.left == 0 {
		d.done = true
		if d.off != len(d.in) {
			return d.stop(decErr("pack", d.off, ErrMalformed, ruleCBORPack, "bytes after the pack"))
		}
		return false
	}
	d.left--
	return d.record(r)
}

// record reads the map of the record at d.off into r.
func (d *CBORDecoder) record(r *Record) bool {
	// Only Fields is reset: every reader of a Record (Has, the Resolver)
	// looks at a field only when its bit is set, and Next hands out a
	// fresh Record.
	r.Fields = 0
	d.begin(d.off)
	h, e := wire.ReadCBORHead(d.in, d.off)
	switch {
	case e != wire.CBOROK:
		return d.stopCBOR("record", d.off, e)
	case h.Major != wire.CBORMap:
		return d.stop(decErr("record", d.off, ErrMalformed, ruleCBORPack, "a SenML record is a CBOR map"))
	case h.Indefinite():
		return d.stop(decErr("record", d.off, ErrUnsupported, ruleCBORDefinite, "indefinite-length map"))
	case h.Arg > uint64(len(d.in)-h.End)/2:
		return d.stop(decErr("record", d.off, ErrTruncated, "RFC 8949 3", "more map entries than bytes left"))
	}
	d.off = h.End
	for range h.Arg {
		keyOff := d.off
		f, ok := d.label(keyOff)
		if !ok {
			return false
		}
		if f == 0 {
			next, e := wire.SkipCBOR(d.in, d.off, d.maxDepth-2)
			if e != wire.CBOROK {
				return d.stopCBOR("record", next, e)
			}
			d.off = next
			continue
		}
		i := bits.TrailingZeros32(uint32(f))
		if r.Fields&f != 0 {
			return d.stop(decErr(labels[i], keyOff, ErrMalformed, ruleCBORDupKey, "label twice in one record"))
		}
		r.Fields |= f
		d.at(f, i, keyOff)
		if d.fastField(r, f) {
			continue
		}
		if err := d.field(r, f, labels[i]); err != nil {
			return d.stop(err)
		}
	}
	return true
}

// label reads the map key at keyOff and moves d.off past it. f is 0 for a
// label that names no field (its value is to be skipped); ok is false when
// the decoder stopped on an error.
func (d *CBORDecoder) label(keyOff int) (f Field, ok bool) {
	// The labels of RFC 8428 6 are one-byte integer heads: looked up by
	// that byte, without reading a head.
	if keyOff < len(d.in) {
		if kf := cborKeyByHead[d.in[keyOff]]; kf != 0 {
			d.off = keyOff + 1
			return kf &^ unknownIntLabel, true
		}
	}
	k, e := wire.ReadCBORHead(d.in, keyOff)
	if e != wire.CBOROK {
		return 0, d.stopCBOR("record", keyOff, e)
	}
	switch k.Major {
	case wire.CBORUint, wire.CBORNeg:
		d.off = k.End
		return cborLabel(k.Major == wire.CBORNeg, k.Arg), true
	case wire.CBORText:
		s, next, e := wire.ReadCBORString(d.in, keyOff, wire.CBORText)
		if e != wire.CBOROK {
			return 0, d.stopCBOR("record", next, e)
		}
		d.off = next
		switch {
		case string(s) == cborVLO:
			return ObjLinkValue, true
		case len(s) > 0 && s[len(s)-1] == '_':
			return 0, d.stop(decErr("record", keyOff, ErrUnsupported, ruleMustKnow, "unknown label ending in '_'"))
		}
		return 0, true
	}
	return 0, d.stop(decErr("record", keyOff, ErrMalformed, ruleCBORLabel, "label is not an integer or a text string"))
}

// field reads the value of field f, whose label is lbl, at d.off into r.
func (d *CBORDecoder) field(r *Record, f Field, lbl string) *Error {
	off := d.off
	h, e := wire.ReadCBORHead(d.in, off)
	if e != wire.CBOROK {
		return cborDecErr(lbl, off, e)
	}
	switch f {
	case BaseName, BaseUnit, Name, Unit, StringValue, ObjLinkValue, DataValue:
		major := uint8(wire.CBORText)
		msg := msgWantString
		if f == DataValue {
			major, msg = wire.CBORBytes, "label takes a byte string"
		}
		if h.Major != major {
			return decErr(lbl, off, ErrMalformed, ruleLabels, msg)
		}
		if !h.Indefinite() && h.Arg > uint64(d.maxStr) {
			return decErr(lbl, off, ErrLimit, ruleLabels, "string longer than Limits.MaxStringLen")
		}
		s, next, e := wire.CBORStringOf(d.in, h, major)
		if e != wire.CBOROK {
			if e == wire.CBORIndefiniteString {
				return decErr(lbl, off, ErrUnsupported, ruleCBORString, "indefinite-length string")
			}
			return cborDecErr(lbl, next, e)
		}
		d.off = next
		setString(r, f, s)
		return nil
	case BoolValue:
		if h.Major != wire.CBORSimple || h.Info != wire.CBORFalse && h.Info != wire.CBORTrue {
			return decErr(lbl, off, ErrMalformed, ruleLabels, msgWantBool)
		}
		r.Bool = h.Info == wire.CBORTrue
		d.off = h.End
		return nil
	case BaseVersion:
		if h.Major != wire.CBORUint {
			return decErr(lbl, off, ErrMalformed, ruleCBORVersion, "base version is not an unsigned integer")
		}
		if h.Arg > math.MaxInt64 {
			// As in JSON: no silent clamping of a version that does not
			// fit the Record (any above 10 is refused by resolution).
			return decErr(lbl, off, ErrMalformed, ruleCBORVersion, "base version above 2^63-1")
		}
		r.BaseVersion = int64(h.Arg)
		d.off = h.End
		return nil
	}
	if h.Major != wire.CBORUint && h.Major != wire.CBORNeg && h.Major != wire.CBORTag && !h.IsFloat() {
		return decErr(lbl, off, ErrMalformed, ruleLabels, msgWantNumber)
	}
	c, next, e := wire.CBORNumberOf(d.in, h)
	if e != wire.CBOROK {
		return cborDecErr(lbl, next, e)
	}
	d.off = next
	setNumber(r, f, cborNumber(c))
	return nil
}

// textFields are the fields whose value is a text string; numberFields
// those whose value is a number (RFC 8428 6).
const (
	textFields   = BaseName | BaseUnit | Name | Unit | StringValue | ObjLinkValue
	numberFields = BaseTime | BaseValue | BaseSum | Value | Sum | Time | UpdateTime
)

// fastField reads the value of field f at d.off into r when its initial
// byte says all: a text string of at most 23 bytes of ASCII for a text
// field, an integer from 0 to 23 or a double for a number field. It
// reports false, having read nothing, for anything else, which field then
// reads (and checks) in full.
func (d *CBORDecoder) fastField(r *Record, f Field) bool {
	off := d.off
	if off >= len(d.in) {
		return false
	}
	c := d.in[off]
	switch {
	case c>>5 == wire.CBORText && c&0x1f < 24 && f&textFields != 0:
		n := int(c & 0x1f)
		end := off + 1 + n
		if end > len(d.in) || n > d.maxStr {
			return false
		}
		v := d.in[off+1 : end : end]
		var acc byte
		for _, b := range v {
			acc |= b
		}
		if acc >= 0x80 {
			return false // UTF-8 to check
		}
		d.off = end
		setString(r, f, v)
		return true
	case c < 24 && f&numberFields != 0:
		d.off = off + 1
		setNumber(r, f, IntNumber(int64(c)))
		return true
	case c == 0xfb && f&numberFields != 0 && off+9 <= len(d.in):
		d.off = off + 9
		setNumber(r, f, FloatNumber(math.Float64frombits(binary.BigEndian.Uint64(d.in[off+1:]))))
		return true
	}
	return false
}

// setString stores the string value of field f.
func setString(r *Record, f Field, s []byte) {
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
		r.Data = s
	}
}

// setNumber stores the number value of field f.
func setNumber(r *Record, f Field, n Number) {
	switch f {
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

// cborDecErr turns a failure of the internal/wire CBOR readers into an
// Error.
func cborDecErr(field string, off int, e wire.CBORError) *Error {
	return decErr(field, off, e.Class(&classes), e.RuleOr(ruleCBOR), e.Msg())
}

// cborNumber converts a CBOR number to a Number: integers that fit int64
// or uint64 stay integers, others become the nearest float64.
func cborNumber(c wire.CBORNum) Number {
	switch {
	case c.Float:
		return FloatNumber(c.F)
	case !c.Neg:
		return UintNumber(c.N)
	}
	if i, ok := c.Int64(); ok {
		return IntNumber(i)
	}
	f, _ := c.Float64()
	return FloatNumber(f)
}

// Resolve reads the rest of the pack, resolves each record with z and calls
// fn with it, in wire order, stopping at the first error (from the input,
// from resolution or from fn). Errors from z carry the byte offset of the
// key of the field concerned. Values alias the input.
func (d *CBORDecoder) Resolve(z *Resolver, fn func(Resolved) error) error {
	var r Record
	for d.next(&r) {
		if err := d.resolve(z, &r, fn); err != nil {
			return err
		}
	}
	return d.err
}

// DecodeCBOR resolves the SenML CBOR pack b, which answers the request path
// base, and calls fn with each record in wire order (see [CBORDecoder] for
// the CBOR rules, and [Resolver] for resolution and the typing by reg,
// which may be nil). It stops at the first error, from the payload or from
// fn, and returns it; fn may have been called for the records before it.
//
// Values alias b. DecodeCBOR does not allocate, except for errors and,
// past 32 records, for the Resolver's duplicate index; reuse a
// [CBORDecoder] and a [Resolver] to avoid that too.
func DecodeCBOR(b []byte, base path.Path, reg *lwm2m.Registry, fn func(Resolved) error) error {
	var d CBORDecoder
	d.Reset(b, Limits{})
	var z Resolver
	z.Reset(base, reg)
	return d.Resolve(&z, fn)
}

// AppendCBOR appends the SenML CBOR pack of the raw records recs (RFC 8428
// section 6): a definite-length array of definite-length maps, each with
// the fields its Fields names in a fixed order (bver, bn, bt, bu, bv, bs,
// n, u, v, vs, vb, vd, vlo, s, t, ut, as [AppendJSON] does, which is also
// the order Wakaama and Leshan use), keyed by their integer labels and
// "vlo". Integers take the shortest head, floats the shortest width that
// holds them exactly (NaN and the infinities included: CBOR has them, and
// RFC 8428 6 lets a SenML CBOR number be any float), strings are
// definite-length. Decoding the result with a [CBORDecoder] gives back
// recs, and a pack in this form is written back byte for byte. Text must be
// UTF-8 (ErrMalformed) and BaseVersion non-negative (ErrMalformed); on
// error b is returned unchanged.
func AppendCBOR(b []byte, recs []Record) ([]byte, error) {
	orig := len(b)
	b = wire.AppendCBORHead(b, wire.CBORArray, uint64(len(recs)))
	for i := range recs {
		var err *Error
		if b, err = appendCBORRecord(b, &recs[i]); err != nil {
			return b[:orig], err
		}
	}
	return b, nil
}

// knownFields are the bits of the fields a Record can hold.
const knownFields = 1<<numFields - 1

func appendCBORRecord(b []byte, r *Record) ([]byte, *Error) {
	b = wire.AppendCBORHead(b, wire.CBORMap, uint64(bits.OnesCount32(uint32(r.Fields&knownFields))))
	for _, f := range recordOrder {
		if r.Fields&f == 0 {
			continue
		}
		b = append(b, cborKeys[fieldIndex(f)]...)
		var err *Error
		if b, err = appendCBORField(b, r, f); err != nil {
			return b, err
		}
	}
	return b, nil
}

// appendCBORField appends the value of field f of r.
func appendCBORField(b []byte, r *Record, f Field) ([]byte, *Error) {
	var s []byte
	switch f {
	case BaseVersion:
		if r.BaseVersion < 0 {
			return b, encErr("bver", root, ErrMalformed, ruleCBORVersion, "base version is negative")
		}
		return wire.AppendCBORUint(b, uint64(r.BaseVersion)), nil
	case BoolValue:
		return wire.AppendCBORBool(b, r.Bool), nil
	case DataValue:
		return wire.AppendCBORString(b, wire.CBORBytes, r.Data), nil
	case BaseTime:
		return appendCBORNumber(b, r.BaseTime), nil
	case BaseValue:
		return appendCBORNumber(b, r.BaseValue), nil
	case BaseSum:
		return appendCBORNumber(b, r.BaseSum), nil
	case Value:
		return appendCBORNumber(b, r.Value), nil
	case Sum:
		return appendCBORNumber(b, r.Sum), nil
	case Time:
		return appendCBORNumber(b, r.Time), nil
	case UpdateTime:
		return appendCBORNumber(b, r.UpdateTime), nil
	case BaseName:
		s = r.BaseName
	case BaseUnit:
		s = r.BaseUnit
	case Name:
		s = r.Name
	case Unit:
		s = r.Unit
	case StringValue:
		s = r.String
	case ObjLinkValue:
		s = r.ObjLink
	}
	if !utf8.Valid(s) {
		return b, encErr(f.Label(), root, ErrMalformed, "RFC 8949 3.1: text strings are UTF-8", "string is not UTF-8")
	}
	return wire.AppendCBORString(b, wire.CBORText, s), nil
}

// appendCBORNumber appends n as written on the wire: an integer as one, a
// float in the shortest exact width.
func appendCBORNumber(b []byte, n Number) []byte {
	switch n.kind {
	case wire.NumInt:
		return wire.AppendCBORInt(b, int64(n.bits))
	case wire.NumUint:
		return wire.AppendCBORUint(b, n.bits)
	}
	return wire.AppendCBORFloat(b, math.Float64frombits(n.bits))
}

// appendCBORTime appends a time or time offset: an integral value below
// 2^53 as an integer, else as a float.
func appendCBORTime(b []byte, t float64) []byte {
	if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
		return wire.AppendCBORInt(b, int64(t))
	}
	return wire.AppendCBORFloat(b, t)
}

// EncodeCBOR appends the SenML CBOR pack of the resolved records recs, in
// their order, answering the request path base: the inverse of
// [DecodeCBOR], so that decoding the result with the same registry gives
// back recs (a record typed by the registry must carry a value of the
// resource's type for that to hold).
//
// Every path must lie under base. A value takes the field of its type
// (LwM2M Core 7.4.6, as in JSON): Integer and Time as an integer in v,
// Unsigned as an unsigned integer in v, Float as a float in v (in the
// shortest width that holds it exactly, so that it reads back as a Float
// without a registry), String and Corelnk in vs, Boolean in vb, Opaque as
// a byte string in vd, Objlnk as text "3:0" under the key "vlo"; a value of
// type None writes no value field. A value needs a resource or resource
// instance path.
//
// Names and times are shortened as [EncodeJSON] does, with the sizes of
// CBOR: the base name is the cut of the paths' common prefix at a '/' (or
// the whole prefix when it ends at a segment boundary of every path) that
// makes the pack shortest, or none; when every record has a time and each
// differs from the first by an amount that adds back exactly, the first is
// written as bt and the others as t relative to it (no t where equal).
// Integral times below 2^53 are written as integers, others as floats.
//
// Floats and times must be finite (ErrUnsupported: the Resolver rejects
// them, RFC 8428 4.6) and text UTF-8 (ErrMalformed); on error b is returned
// unchanged, with an [*Error] whose Offset is -1.
func EncodeCBOR(b []byte, base path.Path, recs []Resolved) ([]byte, error) {
	orig := len(b)
	relative, bt, bad := relativeTimes(recs)
	if bad >= 0 {
		return b, encErr("t", recs[bad].Path, ErrUnsupported, ruleResolve, "time is not finite")
	}
	bnLen, lcp := cborBaseName(recs)
	var buf [maxPathText]byte
	b = wire.AppendCBORHead(b, wire.CBORArray, uint64(len(recs)))
	for i := range recs {
		r := &recs[i]
		if !base.Contains(r.Path) {
			return b[:orig], encErr("n", r.Path, ErrMalformed, ruleLwM2M, "path outside the request path")
		}
		name := pathText(&buf, r.Path)[bnLen:]
		n := 0 // map entries
		if i == 0 && bnLen > 0 {
			n++
		}
		if i == 0 && relative {
			n++
		}
		if len(name) > 0 {
			n++
		}
		if r.Value.Type() != lwm2m.None {
			n++
		}
		if relative && r.Time != bt || !relative && r.HasTime {
			n++
		}
		b = wire.AppendCBORHead(b, wire.CBORMap, uint64(n))
		if i == 0 && bnLen > 0 {
			b = append(b, cborKeys[fieldIndex(BaseName)]...)
			b = wire.AppendCBORString(b, wire.CBORText, lcp[:bnLen])
		}
		if i == 0 && relative {
			b = appendCBORTime(append(b, cborKeys[fieldIndex(BaseTime)]...), bt)
		}
		if len(name) > 0 {
			b = append(b, cborKeys[fieldIndex(Name)]...)
			b = wire.AppendCBORString(b, wire.CBORText, name)
		}
		var err *Error
		if b, err = appendCBORValue(b, r); err != nil {
			return b[:orig], err
		}
		switch {
		case relative && r.Time != bt:
			b = appendCBORTime(append(b, cborKeys[fieldIndex(Time)]...), r.Time-bt)
		case !relative && r.HasTime:
			b = appendCBORTime(append(b, cborKeys[fieldIndex(Time)]...), r.Time)
		}
	}
	return b, nil
}

// cborBaseName returns the length of the base name that makes the CBOR
// pack of recs shortest (0: none) and the common prefix it is cut from.
func cborBaseName(recs []Resolved) (int, [maxPathText]byte) {
	// The bytes that depend on the base name: the bn entry of the first
	// record and the n entries. Map heads stay one byte (fewer than 24
	// entries).
	str := func(n int) int { return 1 + wire.CBORHeadLen(uint64(n)) + n } // key, head, text
	cost := func(k int) int {
		c := 0
		if k > 0 {
			c += str(k)
		}
		for i := range recs {
			if rest := pathTextLen(recs[i].Path) - k; rest > 0 {
				c += str(rest)
			}
		}
		return c
	}
	return baseName(recs, cost)
}

// appendCBORValue appends the value entry of r, if it has a value.
func appendCBORValue(b []byte, r *Resolved) ([]byte, *Error) {
	v := r.Value
	if v.Type() != lwm2m.None && r.Path.Level() < path.ResourceLevel {
		return b, encErr("v", r.Path, ErrMalformed, ruleLwM2M, "a value needs a resource or resource instance path")
	}
	vkey := cborKeys[fieldIndex(Value)]
	switch v.Type() {
	case lwm2m.None:
	case lwm2m.Integer:
		i, _ := v.Integer()
		b = wire.AppendCBORInt(append(b, vkey...), i)
	case lwm2m.Time:
		i, _ := v.Time()
		b = wire.AppendCBORInt(append(b, vkey...), i)
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		b = wire.AppendCBORUint(append(b, vkey...), u)
	case lwm2m.Float:
		f, _ := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return b, encErr("v", r.Path, ErrUnsupported, ruleResolve, "value is not finite")
		}
		b = wire.AppendCBORFloat(append(b, vkey...), f)
	case lwm2m.String, lwm2m.Corelnk:
		s, _ := v.Bytes()
		if !utf8.Valid(s) {
			return b, encErr("vs", r.Path, ErrMalformed, "RFC 8949 3.1: text strings are UTF-8", "string is not UTF-8")
		}
		b = append(b, cborKeys[fieldIndex(StringValue)]...)
		b = wire.AppendCBORString(b, wire.CBORText, s)
	case lwm2m.Boolean:
		t, _ := v.Bool()
		b = wire.AppendCBORBool(append(b, cborKeys[fieldIndex(BoolValue)]...), t)
	case lwm2m.Opaque:
		d, _ := v.Bytes()
		b = append(b, cborKeys[fieldIndex(DataValue)]...)
		b = wire.AppendCBORString(b, wire.CBORBytes, d)
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		var t [11]byte // "65535:65535"
		s := lwm2m.AppendObjlnk(t[:0], l)
		b = append(b, cborKeys[fieldIndex(ObjLinkValue)]...)
		b = wire.AppendCBORString(b, wire.CBORText, s)
	default:
		return b, encErr("v", r.Path, ErrUnsupported, ruleTypes, "unknown value type")
	}
	return b, nil
}
