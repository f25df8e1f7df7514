package main

// The JSON mapping of the CoRE Link Format (--proto link, RFC 6690,
// Content-Format 40), as the JSON contract describes it:
//
//	{"links":[{"target":"/","params":{"rt":"oma.lwm2m","ct":"11543"}},{"target":"/3/0","params":{"obs":null}}]}
//
// One object per unit: a unit is one payload. "target" is the URI-Reference
// without its angle brackets; "params" holds the parameters in wire order,
// each value a string with the quotes and quoted-pair escapes removed, or
// null for a parameter without a value. An ext-value (a name ending in '*',
// RFC 8187) is given as written, charset'language'percent-encoding and all.
//
// A JSON object cannot hold one key twice, so a link that repeats a
// parameter name (names compared exactly) is rejected instead of losing a
// value. Keys are written in wire order and encode writes them in the order
// of the input line, so decode | encode keeps the order of the parameters.
// encode writes the canonical form of package lwm2m/link (its Writer):
// no whitespace, and a value quoted only where it must be or where the
// parameter is always quoted (anchor, if, rel, rev, rt, title, uri).
//
// Both directions check the attributes that package lwm2m/link knows
// (Link.Attrs: the LwM2M attributes of LwM2M Core 5.1.2 and rt, if, ct, sz,
// rel, rev, anchor): a well-formed payload with pmin=-1 or ver=1 is
// malformed here, as it is for an LwM2M Server (4.00 Bad Request).

import (
	"errors"

	"github.com/iotwire/iotwire/lwm2m/link"
)

// linkCodec returns the codec of --proto link.
func linkCodec() codec {
	return codec{decode: linkDecodeUnit, encode: linkEncodeObject}
}

// linkDecodeUnit appends the JSON line of the link-format payload unit.
func linkDecodeUnit(dst, unit []byte, _ *options) ([]byte, error) {
	w := jsonWriter{b: dst}
	w.open('{')
	w.key("links")
	w.open('[')
	seen := map[string]struct{}{} // parameter names of the current link
	var val []byte
	r := link.NewReader(unit)
	for r.Next() {
		l := r.Link()
		if _, err := l.Attrs(); err != nil {
			return dst, linkError(err)
		}
		w.open('{')
		w.strField("target", string(l.Target))
		w.key("params")
		w.open('{')
		clear(seen)
		for it := l.Params(); it.Next(); {
			p := it.Param()
			if _, dup := seen[string(p.Name)]; dup {
				return dst, &unitError{Msg: "parameter: " + quote(string(p.Name)) +
					" given twice in one link, which a JSON object cannot hold", Offset: p.Offset}
			}
			seen[string(p.Name)] = struct{}{}
			w.key(string(p.Name))
			if !p.HasValue {
				w.null()
				continue
			}
			val = p.AppendValue(val[:0])
			w.str(string(val))
		}
		w.close('}')
		w.close('}')
	}
	if err := r.Err(); err != nil {
		return dst, linkError(err)
	}
	w.close(']')
	w.close('}')
	return append(w.b, '\n'), nil
}

// linkError turns an error of package link into a unit error: "field:
// message [rule]" and the offset in the payload (0 for encode errors).
func linkError(err error) *unitError {
	var e *link.Error
	if !errors.As(err, &e) {
		return &unitError{Msg: err.Error()}
	}
	return &unitError{Msg: e.Field + ": " + linkMessage(e), Offset: max(e.Offset, 0)}
}

// linkMessage returns "message [rule]".
func linkMessage(e *link.Error) string {
	if e.Rule == "" {
		return e.Msg
	}
	return e.Msg + " [" + e.Rule + "]"
}

// linkEncodeObject appends the link-format payload that the JSON object line
// describes, in canonical form.
func linkEncodeObject(dst, line []byte, _ *options) ([]byte, error) {
	o, err := parseJSONObject(line)
	if err != nil {
		return dst, err
	}
	f, ok := o.take("links")
	if !ok {
		return dst, &unitError{Msg: `missing key "links"`}
	}
	elems, names := o.arrayOf(f, "links")
	if err := o.done("link-format payload"); err != nil {
		return dst, err
	}
	var w link.Writer
	w.Reset(dst)
	for i, e := range elems {
		start := w.Len()
		lo := o.objectOf(e, names[i])
		if o.err() != nil {
			return dst, o.err()
		}
		tf, ok := lo.take("target")
		if !ok {
			return dst, &unitError{Msg: names[i] + `: missing key "target"`, Offset: e.off}
		}
		target := lo.strOf(tf, lo.name("target"))
		if err := o.err(); err != nil {
			return dst, err
		}
		w.Link(target)
		if err := writerFail(&w, lo.name("target"), tf.off); err != nil {
			return dst, err
		}
		po := lo.object("params")
		if err := lo.done("link"); err != nil {
			return dst, err
		}
		if po == nil {
			po = &jsonObject{fields: map[string]*jsonField{}, st: lo.st}
		}
		for _, k := range po.keys {
			pf, _ := po.take(k)
			switch {
			case string(pf.raw) == "null":
				w.Flag(k)
			case pf.raw[0] == '"':
				w.Param(k, po.strOf(pf, po.name(k)))
			default:
				return dst, &unitError{Msg: po.name(k) + ": want a string, or null for a parameter without a value", Offset: pf.off}
			}
			if err := writerFail(&w, po.name(k), pf.off); err != nil {
				return dst, err
			}
		}
		// Check the attributes that decode checks, on the link just
		// written, so that encode never writes what decode rejects.
		b, _ := w.Bytes()
		seg := b[len(b)-w.Len()+start:]
		if i > 0 {
			seg = seg[1:] // the ',' before the link
		}
		r := link.NewReader(seg)
		if !r.Next() {
			return dst, linkError(r.Err()) // cannot happen: the Writer checked the grammar
		}
		if _, err := r.Link().Attrs(); err != nil {
			var le *link.Error
			off, name := e.off, names[i]
			if errors.As(err, &le) {
				if af, ok := po.fields[le.Field]; ok {
					off, name = af.off, po.name(le.Field)
				}
				return dst, &unitError{Msg: name + ": " + linkMessage(le), Offset: off}
			}
			return dst, &unitError{Msg: name + ": " + err.Error(), Offset: off}
		}
	}
	return w.Bytes()
}

// writerFail returns the error of w, if any, as a unit error about the JSON
// value name at offset off.
func writerFail(w *link.Writer, name string, off int) error {
	err := w.Err()
	if err == nil {
		return nil
	}
	var e *link.Error
	if errors.As(err, &e) {
		return &unitError{Msg: name + ": " + linkMessage(e), Offset: off}
	}
	return &unitError{Msg: name + ": " + err.Error(), Offset: off}
}
