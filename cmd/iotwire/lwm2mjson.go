package main

// The JSON mapping of LwM2M content formats (--proto tlv), as the JSON
// contract describes it:
//
//	{"records":[{"path":"/3/0/0","type":"string","value":"Open Mobile Alliance"},{"path":"/3/0/9","type":"integer","value":100}]}
//
// One object per unit (one payload), one record per resource value in wire
// order, with the full path resolved against --base, the request path the
// payload answers. TLV carries no types: they come from the object models
// (models, the core objects of LwM2M 1.2), and a resource the models do not
// know is "opaque". Values: "string" and "corelnk" a JSON string, "integer",
// "unsigned", "float" and "time" (seconds) a JSON number, "boolean" true or
// false, "opaque" hex, "objlnk" "3:0", and "none" null: the record of an
// empty Object Instance or Multiple Resource TLV, which says that the
// instance or resource exists with nothing in it.
//
// encode reads the same records and --base and writes the TLV in canonical
// form (tlv.Encode): the shortest widths, an Object Instance TLV around each
// instance only under an object path, a Multiple Resource TLV around the
// instances of a resource. It checks what decode would reject, so that what
// it writes decodes back to the same records: a type or multiplicity that
// contradicts the object model, and records of one instance or resource that
// are not adjacent, or a path given twice.

import (
	"errors"
	"math"
	"strconv"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/tlv"
)

// models types the resource values of LwM2M content formats: the objects of
// the LwM2M Core specification (lwm2m.CoreRegistry). Tests replace it to add
// the objects of other vectors.
var models = lwm2m.CoreRegistry()

// tlvCodec returns the codec of --proto tlv.
func tlvCodec() codec {
	return codec{decode: tlvDecodeUnit, encode: tlvEncodeObject, prepare: parseBase}
}

// parseBase parses --base into o.basePath.
func parseBase(o *options) error {
	p, err := path.Parse(o.base)
	if err != nil {
		var e *path.Error
		if errors.As(err, &e) {
			msg := "--base " + quote(o.base) + ": " + e.Msg
			if e.Rule != "" {
				msg += " [" + e.Rule + "]"
			}
			return errors.New(msg)
		}
		return errors.New("--base " + quote(o.base) + ": " + err.Error())
	}
	o.basePath = p
	return nil
}

// tlvDecodeUnit appends the JSON line of the TLV payload unit.
func tlvDecodeUnit(dst, unit []byte, o *options) ([]byte, error) {
	w := jsonWriter{b: dst}
	w.open('{')
	w.key("records")
	w.open('[')
	it := tlv.NewValues(unit, o.basePath, models, tlv.Limits{})
	for it.Next() {
		v := it.Value()
		if f, ok := v.Float(); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return dst, &unitError{Msg: "value " + it.Path().String() +
				": float is NaN or infinite, which a JSON number cannot hold", Offset: it.Offset()}
		}
		w.open('{')
		w.strField("path", it.Path().String())
		w.strField("type", v.Type().String())
		w.key("value")
		appendValueJSON(&w, v)
		w.close('}')
	}
	if err := it.Err(); err != nil {
		return dst, tlvError(err)
	}
	w.close(']')
	w.close('}')
	return append(w.b, '\n'), nil
}

// appendValueJSON writes v as the contract shows a value of its type.
func appendValueJSON(w *jsonWriter, v lwm2m.Value) {
	switch v.Type() {
	case lwm2m.String, lwm2m.Corelnk:
		b, _ := v.Bytes()
		w.str(string(b)) // UTF-8: the TLV decoder checked
	case lwm2m.Integer:
		i, _ := v.Integer()
		w.int(i)
	case lwm2m.Time:
		i, _ := v.Time()
		w.int(i)
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		w.uint(u)
	case lwm2m.Float:
		f, _ := v.Float()
		w.sep()
		w.b = appendJSONFloat(w.b, f)
		w.comma = true
	case lwm2m.Boolean:
		b, _ := v.Bool()
		w.boolean(b)
	case lwm2m.Opaque:
		b, _ := v.Bytes()
		w.hex(b)
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		w.str(strconv.Itoa(int(l.Object)) + ":" + strconv.Itoa(int(l.Instance)))
	default: // None
		w.null()
	}
}

// appendJSONFloat appends the finite f as a JSON number, in the shortest
// form that parses back to the same float64, the way encoding/json writes
// it: plain decimals, and an exponent below 1e-6 and from 1e21 on.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 to e-7
		b = b[:n-1]
	}
	return b
}

// tlvError turns an error of package tlv into a unit error: "field path:
// message [rule]" and the offset in the payload.
func tlvError(err error) *unitError {
	var e *tlv.Error
	if !errors.As(err, &e) {
		return &unitError{Msg: err.Error()}
	}
	return &unitError{Msg: tlvMessage(e), Offset: max(e.Offset, 0)}
}

// tlvMessage returns "field /3/0/1: message [rule]", without the path when
// the error has none.
func tlvMessage(e *tlv.Error) string { return recordMessage(e.Field, e.Path, e.Msg, e.Rule) }

// recordMessage returns "field /3/0/1: msg [rule]", without the path when
// it is the root and without the rule when there is none.
func recordMessage(field string, p path.Path, msg, rule string) string {
	b := append([]byte(nil), field...)
	if !p.IsRoot() {
		b = append(b, ' ')
		b, _ = p.AppendText(b)
	}
	b = append(b, ": "...)
	b = append(b, msg...)
	if rule != "" {
		b = append(b, " ["...)
		b = append(b, rule...)
		b = append(b, ']')
	}
	return string(b)
}

// tlvEncodeObject appends the TLV payload that the JSON object line
// describes, answering --base.
func tlvEncodeObject(dst, line []byte, o *options) ([]byte, error) {
	obj, err := parseJSONObject(line)
	if err != nil {
		return dst, err
	}
	f, ok := obj.take("records")
	if !ok {
		return dst, &unitError{Msg: `missing key "records"`}
	}
	elems, names := obj.arrayOf(f, "records")
	if err := obj.done("TLV payload"); err != nil {
		return dst, err
	}
	recs := make([]tlv.Record, len(elems))
	var layout tlvLayout
	for i, e := range elems {
		ro := obj.objectOf(e, names[i])
		if err := obj.err(); err != nil {
			return dst, err
		}
		if err := readRecord(ro, e, names[i], &recs[i]); err != nil {
			return dst, err
		}
		if msg := layout.add(o.basePath, recs[i].Path); msg != "" {
			pf := ro.fields["path"]
			return dst, &unitError{Msg: ro.name("path") + ": " + msg, Offset: pf.off}
		}
	}
	out, err := tlv.Encode(dst, o.basePath, recs)
	if err != nil {
		var e *tlv.Error
		if errors.As(err, &e) {
			for i := range recs {
				if recs[i].Path == e.Path {
					return dst, &unitError{Msg: names[i] + ": " + tlvMessage(e), Offset: elems[i].off}
				}
			}
		}
		return dst, tlvError(err)
	}
	// Decode what was written: whatever decode would reject or read
	// differently (a rule the checks above miss) is an error here.
	i := 0
	err = tlv.Decode(out[len(dst):], o.basePath, models, func(p path.Path, v lwm2m.Value) error {
		if i >= len(recs) || !sameRecord(recs[i], p, v) {
			return errRoundTrip
		}
		i++
		return nil
	})
	if err == nil && i < len(recs) {
		err = errRoundTrip
	}
	if err != nil {
		msg := "the TLV written for the records does not decode back to them"
		if i < len(recs) {
			msg = "the TLV written for this record does not decode back to it"
		}
		var e *tlv.Error
		if errors.As(err, &e) {
			msg += ": " + tlvMessage(e)
		}
		name, off := "records", f.off
		if i < len(recs) {
			name, off = names[i], elems[i].off
		}
		return dst, &unitError{Msg: name + ": " + msg, Offset: off}
	}
	return out, nil
}

var errRoundTrip = errors.New("round trip")

// sameRecord reports whether decode gives back r as (p, v): the same path
// and value, or, for a resource the models do not know, the value's TLV
// bytes as opaque.
func sameRecord(r tlv.Record, p path.Path, v lwm2m.Value) bool {
	if r.Path != p {
		return false
	}
	if r.Value.Type() != v.Type() && v.Type() == lwm2m.Opaque {
		b, _ := v.Bytes()
		want, err := tlv.AppendValue(nil, r.Value)
		return err == nil && string(b) == string(want)
	}
	return r.Value.Equal(v)
}

// readRecord reads one record object {"path", "type", "value"} into r and
// checks its type and multiplicity against the object models.
func readRecord(ro *jsonObject, e jsonField, name string, r *tlv.Record) error {
	tf, err := readPathValue(ro, e, name, &r.Path, &r.Value)
	if err != nil {
		return err
	}
	t := r.Value.Type()
	if t == lwm2m.None && r.Path.Level() == path.ResourceInstanceLevel {
		return &unitError{Msg: ro.name("type") + ": a resource instance has a value; none is for an empty object instance or multiple resource", Offset: tf.off}
	}
	if err := ro.done("record"); err != nil {
		return err
	}
	if msg := checkModel(r.Path, t); msg != "" {
		return &unitError{Msg: ro.name("type") + ": " + msg, Offset: tf.off}
	}
	return nil
}

// readPathValue reads the "path", "type" and "value" keys of a record
// object into p and v, and returns the "type" field for error offsets.
func readPathValue(ro *jsonObject, e jsonField, name string, p *path.Path, v *lwm2m.Value) (jsonField, error) {
	pf, ok := ro.take("path")
	if !ok {
		return pf, &unitError{Msg: name + `: missing key "path"`, Offset: e.off}
	}
	ps := ro.strOf(pf, ro.name("path"))
	if err := ro.err(); err != nil {
		return pf, err
	}
	var err error
	if *p, err = path.Parse(ps); err != nil {
		msg := err.Error()
		var pe *path.Error
		if errors.As(err, &pe) {
			msg = pe.Msg
			if pe.Rule != "" {
				msg += " [" + pe.Rule + "]"
			}
		}
		return pf, &unitError{Msg: ro.name("path") + ": " + msg, Offset: pf.off}
	}
	tf, ok := ro.take("type")
	if !ok {
		return tf, &unitError{Msg: name + `: missing key "type"`, Offset: e.off}
	}
	ts := ro.strOf(tf, ro.name("type"))
	if err := ro.err(); err != nil {
		return tf, err
	}
	t, ok := lwm2m.ParseType(ts)
	if !ok || t.String() != ts {
		return tf, &unitError{Msg: ro.name("type") + ": want string, integer, unsigned, float, boolean, opaque, time, objlnk, corelnk or none", Offset: tf.off}
	}
	vf, ok := ro.take("value")
	if !ok {
		return tf, &unitError{Msg: name + `: missing key "value"`, Offset: e.off}
	}
	*v, err = readValue(ro, vf, t)
	return tf, err
}

// readValue reads the value f of a record of type t.
func readValue(ro *jsonObject, f jsonField, t lwm2m.Type) (lwm2m.Value, error) {
	name := ro.name("value")
	fail := func(want string) (lwm2m.Value, error) {
		return lwm2m.Value{}, &unitError{Msg: name + ": want " + want + " for type " + t.String(), Offset: f.off}
	}
	raw := string(f.raw)
	isString := raw[0] == '"'
	isNumber := raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9'
	switch t {
	case lwm2m.String, lwm2m.Corelnk:
		if !isString {
			return fail("a string")
		}
		s := []byte(ro.strOf(f, name))
		if t == lwm2m.String {
			return lwm2m.StringValue(s), nil
		}
		return lwm2m.CorelnkValue(s), nil
	case lwm2m.Integer, lwm2m.Time:
		i, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fail("an integer -9223372036854775808 to 9223372036854775807")
		}
		if t == lwm2m.Time {
			return lwm2m.TimeValue(i), nil
		}
		return lwm2m.IntegerValue(i), nil
	case lwm2m.Unsigned:
		u, err := strconv.ParseUint(raw, 10, 64)
		if err != nil {
			return fail("an integer 0 to 18446744073709551615")
		}
		return lwm2m.UnsignedValue(u), nil
	case lwm2m.Float:
		x, err := strconv.ParseFloat(raw, 64)
		if !isNumber || err != nil {
			return fail("a number within the float64 range")
		}
		return lwm2m.FloatValue(x), nil
	case lwm2m.Boolean:
		switch raw {
		case "true":
			return lwm2m.BoolValue(true), nil
		case "false":
			return lwm2m.BoolValue(false), nil
		}
		return fail("true or false")
	case lwm2m.Opaque:
		if !isString {
			return fail("a hex string")
		}
		b := ro.hexOf(f, name)
		if err := ro.err(); err != nil {
			return fail("a hex string")
		}
		return lwm2m.OpaqueValue(b), nil
	case lwm2m.Objlnk:
		if !isString {
			return fail(`a string "object:instance" such as "3:0"`)
		}
		v, err := lwm2m.ParseText(lwm2m.Objlnk, []byte(ro.strOf(f, name)), nil)
		if err != nil {
			return fail(`a string "object:instance" such as "3:0", each 0 to 65535`)
		}
		return v, nil
	default: // None
		if raw != "null" {
			return fail("null")
		}
		return lwm2m.Value{}, nil
	}
}

// checkModel checks a record of type t at p against the object models, the
// way the TLV decoder reads it back: a resource the models know takes its
// type, a Multiple Resource comes as resource instances (or as an empty
// Multiple Resource: none), a single resource as one value, and an
// Executable resource only as opaque bytes. A resource the models do not
// know takes any type; decode shows it as opaque. It returns "" or what is
// wrong.
func checkModel(p path.Path, t lwm2m.Type) string {
	o, _ := p.ObjectID()
	r, ok := p.ResourceID()
	if !ok {
		return ""
	}
	def, ok := models.Resource(o, r)
	if !ok {
		return ""
	}
	what := "resource " + strconv.Itoa(int(r)) + " of object " + strconv.Itoa(int(o)) + " (" + def.Name + ")"
	want := def.Type
	if want == lwm2m.None {
		want = lwm2m.Opaque // an Executable resource: its bytes, if any
	}
	switch {
	case p.Level() == path.ResourceInstanceLevel && !def.Multiple:
		return what + " is a single resource: it has no resource instances"
	case p.Level() == path.ResourceLevel && def.Multiple && t != lwm2m.None:
		return what + " is a multiple resource: give its instances, or none for an empty one"
	case p.Level() == path.ResourceLevel && !def.Multiple && t == lwm2m.None:
		return what + " is a single resource: it needs a value of type " + want.String()
	case t != want && t != lwm2m.None:
		return "want " + want.String() + ": " + what + " has type " + want.String()
	}
	return ""
}

// tlvLayout checks that the records of one TLV container (an Object
// Instance under an object path, a Multiple Resource) are adjacent, as
// tlv.Encode needs, and that no path is given twice.
type tlvLayout struct {
	open [4]path.Path       // the containers of the last record, outermost first
	n    int                // entries of open in use
	seen map[path.Path]bool // containers closed, and the records so far
}

// add records p, under base, and returns "" or what is wrong.
func (t *tlvLayout) add(base, p path.Path) string {
	if t.seen == nil {
		t.seen = map[path.Path]bool{}
	}
	if !base.Contains(p) || p.Level() <= base.Level() {
		return "" // tlv.Encode reports it
	}
	// The containers of p below base, outermost first.
	var chain [4]path.Path
	n := 0
	for q := p.Parent(); q.Level() > base.Level() && q.Level() >= path.InstanceLevel; q = q.Parent() {
		chain[n] = q
		n++
	}
	for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	k := 0 // containers still open that p shares
	for k < n && k < t.n && t.open[k] == chain[k] {
		k++
	}
	for _, q := range t.open[k:t.n] {
		t.seen[q] = true
	}
	for i := k; i < n; i++ {
		if t.seen[chain[i]] {
			return "the records below " + chain[i].String() + " must be adjacent (they make one TLV), and " + p.String() + " is not next to the others"
		}
		t.open[i] = chain[i]
	}
	t.n = n
	if t.seen[p] {
		return p.String() + " given twice"
	}
	t.seen[p] = true
	return ""
}
