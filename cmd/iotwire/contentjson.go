package main

// The JSON mapping of the LwM2M content formats other than TLV:
// --proto senml+json (110), senml+cbor (112), lwm2m+cbor (11544) and
// lwm2m+json (11543). The shape is the one of tlv (lwm2mjson.go): one
// {"records":[...]} object per payload, one {"path","type","value"}
// record per resource value in wire order, resolved against --base. These
// formats carry their own types where TLV does not: a resource the object
// models know is typed (and checked) by them, any other by the wire. SenML
// and LwM2M JSON records may add "time", the resolved time in seconds, when
// the payload has one.
//
// encode writes the canonical form of the package concerned (senml,
// lwcbor, lwjson Encode: a base name and base time chosen to shorten the
// pack, nested maps for shared path prefixes, ...) and then decodes it:
// records that the format cannot carry as given (a "none" record in LwM2M
// JSON, an "unsigned" that SenML can only read back as "integer" without a
// model, a value that contradicts the model) are errors, not silently
// changed.

import (
	"errors"
	"math"
	"strconv"

	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/lwcbor"
	"github.com/iotwire/iotwire/lwm2m/lwjson"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// contentRecord is one record of a content format, with its optional time.
type contentRecord struct {
	Path    path.Path
	Value   lwm2m.Value
	Time    float64
	HasTime bool
}

// contentFormat is one content format: decode calls fn per record in wire
// order; encode appends the payload of recs.
type contentFormat struct {
	name   string // the --proto value
	timed  bool   // records may carry a time
	decode func(b []byte, base path.Path, fn func(contentRecord) error) error
	encode func(b []byte, base path.Path, recs []contentRecord) ([]byte, error)
}

var contentFormats = map[string]*contentFormat{
	"senml+json": {name: "senml+json", timed: true,
		decode: func(b []byte, base path.Path, fn func(contentRecord) error) error {
			return senml.DecodeJSON(b, base, models, func(r senml.Resolved) error {
				return fn(contentRecord(r))
			})
		},
		encode: func(b []byte, base path.Path, recs []contentRecord) ([]byte, error) {
			return senml.EncodeJSON(b, base, toResolved(recs))
		}},
	"senml+cbor": {name: "senml+cbor", timed: true,
		decode: func(b []byte, base path.Path, fn func(contentRecord) error) error {
			return senml.DecodeCBOR(b, base, models, func(r senml.Resolved) error {
				return fn(contentRecord(r))
			})
		},
		encode: func(b []byte, base path.Path, recs []contentRecord) ([]byte, error) {
			return senml.EncodeCBOR(b, base, toResolved(recs))
		}},
	"lwm2m+cbor": {name: "lwm2m+cbor",
		decode: func(b []byte, base path.Path, fn func(contentRecord) error) error {
			return lwcbor.Decode(b, base, models, func(p path.Path, v lwm2m.Value) error {
				return fn(contentRecord{Path: p, Value: v})
			})
		},
		encode: func(b []byte, base path.Path, recs []contentRecord) ([]byte, error) {
			out := make([]lwcbor.Record, len(recs))
			for i, r := range recs {
				out[i] = lwcbor.Record{Path: r.Path, Value: r.Value}
			}
			return lwcbor.Encode(b, base, out)
		}},
	"lwm2m+json": {name: "lwm2m+json", timed: true,
		decode: func(b []byte, base path.Path, fn func(contentRecord) error) error {
			return lwjson.Decode(b, base, models, func(r lwjson.Record) error {
				return fn(contentRecord(r))
			})
		},
		encode: func(b []byte, base path.Path, recs []contentRecord) ([]byte, error) {
			out := make([]lwjson.Record, len(recs))
			for i, r := range recs {
				out[i] = lwjson.Record(r)
			}
			return lwjson.Encode(b, base, out)
		}},
}

func toResolved(recs []contentRecord) []senml.Resolved {
	out := make([]senml.Resolved, len(recs))
	for i, r := range recs {
		out[i] = senml.Resolved(r)
	}
	return out
}

// contentCodec returns the codec of one of the content formats.
func contentCodec(name string) codec {
	f := contentFormats[name]
	return codec{
		decode:  func(dst, unit []byte, o *options) ([]byte, error) { return f.decodeUnit(dst, unit, o) },
		encode:  func(dst, line []byte, o *options) ([]byte, error) { return f.encodeObject(dst, line, o) },
		prepare: parseBase,
	}
}

// decodeUnit appends the JSON line of one payload.
func (f *contentFormat) decodeUnit(dst, unit []byte, o *options) ([]byte, error) {
	w := jsonWriter{b: dst}
	w.open('{')
	w.key("records")
	w.open('[')
	var bad *unitError
	err := f.decode(unit, o.basePath, func(r contentRecord) error {
		if v, ok := r.Value.Float(); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			bad = &unitError{Msg: "value " + r.Path.String() + ": float is NaN or infinite, which a JSON number cannot hold"}
			return bad
		}
		w.open('{')
		w.strField("path", r.Path.String())
		w.strField("type", r.Value.Type().String())
		w.key("value")
		appendValueJSON(&w, r.Value)
		if r.HasTime {
			if math.IsNaN(r.Time) || math.IsInf(r.Time, 0) {
				bad = &unitError{Msg: "time of " + r.Path.String() + ": NaN or infinite, which a JSON number cannot hold"}
				return bad
			}
			w.key("time")
			w.sep()
			w.b = appendJSONFloat(w.b, r.Time)
			w.comma = true
		}
		w.close('}')
		return nil
	})
	if bad != nil {
		return dst, bad
	}
	if err != nil {
		return dst, contentError(err)
	}
	w.close(']')
	w.close('}')
	return append(w.b, '\n'), nil
}

// encodeObject appends the payload that the JSON object line describes.
func (f *contentFormat) encodeObject(dst, line []byte, o *options) ([]byte, error) {
	obj, err := parseJSONObject(line)
	if err != nil {
		return dst, err
	}
	rf, ok := obj.take("records")
	if !ok {
		return dst, &unitError{Msg: `missing key "records"`}
	}
	elems, names := obj.arrayOf(rf, "records")
	if err := obj.done(f.name + " payload"); err != nil {
		return dst, err
	}
	recs := make([]contentRecord, len(elems))
	for i, e := range elems {
		ro := obj.objectOf(e, names[i])
		if err := obj.err(); err != nil {
			return dst, err
		}
		r := &recs[i]
		if _, err := readPathValue(ro, e, names[i], &r.Path, &r.Value); err != nil {
			return dst, err
		}
		if tf, ok := ro.take("time"); ok {
			if !f.timed {
				return dst, &unitError{Msg: ro.name("time") + ": " + f.name + " carries no times", Offset: tf.off}
			}
			t, err := strconv.ParseFloat(string(tf.raw), 64)
			if err != nil || tf.raw[0] == '"' {
				return dst, &unitError{Msg: ro.name("time") + ": want a number of seconds", Offset: tf.off}
			}
			r.Time, r.HasTime = t, true
		}
		if err := ro.done("record"); err != nil {
			return dst, err
		}
	}
	out, err := f.encode(dst, o.basePath, recs)
	if err != nil {
		if ce, ok := asContentError(err); ok {
			for i := range recs {
				if recs[i].Path == ce.path && !ce.path.IsRoot() {
					return dst, &unitError{Msg: names[i] + ": " + ce.message(), Offset: elems[i].off}
				}
			}
		}
		return dst, contentError(err)
	}
	// Decode what was written: whatever reads back differently is an
	// error here, so that encode never changes a record silently.
	i := 0
	err = f.decode(out[len(dst):], o.basePath, func(r contentRecord) error {
		if i >= len(recs) || !sameContentRecord(recs[i], r) {
			return errRoundTrip
		}
		i++
		return nil
	})
	if err == nil && i < len(recs) {
		err = errRoundTrip
	}
	if err != nil {
		msg := "the " + f.name + " written for the records does not decode back to them"
		name, off := "records", rf.off
		if i < len(recs) {
			msg = "the " + f.name + " written for this record does not decode back to it"
			if got, ok := decodedAt(f, out[len(dst):], o.basePath, i); ok {
				msg += " (it reads back as type " + got.Value.Type().String() + ")"
			}
			name, off = names[i], elems[i].off
		}
		if ce, ok := asContentError(err); ok {
			msg += ": " + ce.message()
		}
		return dst, &unitError{Msg: name + ": " + msg, Offset: off}
	}
	return out, nil
}

// decodedAt returns record i of the payload b, when it decodes that far.
func decodedAt(f *contentFormat, b []byte, base path.Path, i int) (contentRecord, bool) {
	var got contentRecord
	found, n := false, 0
	f.decode(b, base, func(r contentRecord) error {
		if n == i {
			got, found = r, true
			return errRoundTrip
		}
		n++
		return nil
	})
	return got, found
}

// sameContentRecord reports whether decode gave back want.
func sameContentRecord(want, got contentRecord) bool {
	if want.Path != got.Path || !want.Value.Equal(got.Value) || want.HasTime != got.HasTime {
		return false
	}
	return !want.HasTime || want.Time == got.Time
}

// contentErr is the part common to the errors of senml, lwcbor and lwjson.
type contentErr struct {
	field     string
	offset    int
	path      path.Path
	rule, msg string
}

func asContentError(err error) (contentErr, bool) {
	var se *senml.Error
	var ce *lwcbor.Error
	var je *lwjson.Error
	switch {
	case errors.As(err, &se):
		return contentErr{se.Field, se.Offset, se.Path, se.Rule, se.Msg}, true
	case errors.As(err, &ce):
		return contentErr{ce.Field, ce.Offset, ce.Path, ce.Rule, ce.Msg}, true
	case errors.As(err, &je):
		return contentErr{je.Field, je.Offset, je.Path, je.Rule, je.Msg}, true
	}
	return contentErr{}, false
}

// message returns "field /3/0/1: message [rule]", without the path when the
// error has none.
func (e contentErr) message() string {
	return recordMessage(e.field, e.path, e.msg, e.rule)
}

// contentError turns an error of senml, lwcbor or lwjson into a unit error
// with the offset in the payload.
func contentError(err error) *unitError {
	var ue *unitError
	if errors.As(err, &ue) {
		return ue
	}
	ce, ok := asContentError(err)
	if !ok {
		return &unitError{Msg: err.Error()}
	}
	return &unitError{Msg: ce.message(), Offset: max(ce.offset, 0)}
}
