package lwjson

import (
	"encoding/base64"
	"math"
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Encode appends the LwM2M JSON payload that answers the request path base
// with the records recs, in their order, in the form Leshan writes: the
// inverse of [Decode], so that decoding the result with the same registry
// gives back recs.
//
// The payload is {"bn":...,"e":[...]} with no white space. bn is the text
// of base followed by '/' ("/3/0/"; "/" for the root), each entry's n
// being the rest of its path ("6/0"); when a record has the path base
// itself (a single resource, or a time series of one), bn is the text of
// base, that record has no n and the others have names with a leading '/'. Entries
// have n, then the value, then t: Integer, Unsigned and Time as an integer
// in v, Float as a float in v (with ".0" or an exponent, "23.0"), String
// and Corelnk in sv, Opaque in sv as padded standard base64, Boolean in bv
// and Objlnk in ov ("66:0"). A record with a time gets it in t, as an
// absolute time; no bt is written.
//
// Every path must lie under base and name a resource or resource instance;
// the format cannot carry a record without a value (type None), NaN or an
// infinity (ErrUnsupported), and text must be UTF-8 (ErrMalformed). On
// error b is returned unchanged, with an [*Error] whose Offset is -1.
func Encode(b []byte, base path.Path, recs []Record) ([]byte, error) {
	orig := len(b)
	atBase := false // a record has the path base itself
	for i := range recs {
		if recs[i].Path == base {
			atBase = true
			break
		}
	}
	var buf [maxPathText]byte
	bt, _ := base.AppendText(buf[:0])
	bnLen := len(bt)
	b = append(b, `{"bn":"`...)
	b = append(b, bt...)
	if !atBase && !base.IsRoot() && len(recs) > 0 {
		b = append(b, '/')
		bnLen++
	}
	b = append(b, `","e":[`...)
	for i := range recs {
		r := &recs[i]
		switch {
		case !base.Contains(r.Path):
			return b[:orig], encErr("n", r.Path, ErrMalformed, rulePath, "path outside the request path")
		case r.Path.Level() < path.ResourceLevel:
			return b[:orig], encErr("n", r.Path, ErrMalformed, rulePath, "not the path of a resource or resource instance")
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if t, _ := r.Path.AppendText(buf[:0]); len(t) > bnLen {
			b = append(b, `"n":"`...)
			b = append(b, t[bnLen:]...)
			b = append(b, `",`...)
		}
		var err *Error
		if b, err = appendValue(b, r); err != nil {
			return b[:orig], err
		}
		if r.HasTime {
			if math.IsNaN(r.Time) || math.IsInf(r.Time, 0) {
				return b[:orig], encErr("t", r.Path, ErrUnsupported, wire.RuleJSONNumber, "JSON has no NaN or infinity")
			}
			b = append(b, `,"t":`...)
			if r.Time == math.Trunc(r.Time) && math.Abs(r.Time) < 1<<53 {
				b = strconv.AppendInt(b, int64(r.Time), 10)
			} else {
				b, _ = wire.AppendJSONFloat(b, r.Time)
			}
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// appendValue appends the value member of r.
func appendValue(b []byte, r *Record) ([]byte, *Error) {
	v := r.Value
	switch v.Type() {
	case lwm2m.Integer:
		i, _ := v.Integer()
		return strconv.AppendInt(append(b, `"v":`...), i, 10), nil
	case lwm2m.Time:
		i, _ := v.Time()
		return strconv.AppendInt(append(b, `"v":`...), i, 10), nil
	case lwm2m.Unsigned:
		u, _ := v.Unsigned()
		return strconv.AppendUint(append(b, `"v":`...), u, 10), nil
	case lwm2m.Float:
		f, _ := v.Float()
		out, ok := wire.AppendJSONFloat(append(b, `"v":`...), f)
		if !ok {
			return b, encErr("v", r.Path, ErrUnsupported, wire.RuleJSONNumber, "JSON has no NaN or infinity")
		}
		return out, nil
	case lwm2m.String, lwm2m.Corelnk:
		s, _ := v.Bytes()
		out, ok := wire.AppendJSONString(append(b, `"sv":`...), s)
		if !ok {
			return b, encErr("sv", r.Path, ErrMalformed, ruleFormat, "string is not UTF-8")
		}
		return out, nil
	case lwm2m.Opaque:
		s, _ := v.Bytes()
		b = base64.StdEncoding.AppendEncode(append(b, `"sv":"`...), s)
		return append(b, '"'), nil
	case lwm2m.Boolean:
		t, _ := v.Bool()
		return strconv.AppendBool(append(b, `"bv":`...), t), nil
	case lwm2m.Objlnk:
		l, _ := v.Objlnk()
		b = lwm2m.AppendObjlnk(append(b, `"ov":"`...), l)
		return append(b, '"'), nil
	case lwm2m.None:
		return b, encErr("entry", r.Path, ErrUnsupported, ruleEntry, "an entry needs a value")
	}
	return b, encErr("v", r.Path, ErrUnsupported, ruleTypes, "unknown value type")
}
