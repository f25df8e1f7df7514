package fuzz

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/iotwire/iotwire/lwm2m/senml"
)

// The SenML targets compare lwm2m/senml's raw record readers (before
// resolution) with general decoders: encoding/json for SenML JSON and
// fxamacker/cbor for SenML CBOR, decoding into generic maps. Whatever
// senml accepts, the peer must accept as well-formed JSON or CBOR, with one
// record per array element and the same value for every label senml knows.
// senml is stricter (RFC 8428 labels and types, UTF-8, duplicate labels,
// must-understand labels): what it rejects, the peer may accept.

// senmlLabels are the labels of RFC 8428 section 4 and LwM2M's vlo, with
// their CBOR keys (RFC 8428 section 6, table 6; vlo is a text key).
var senmlLabels = []struct {
	field senml.Field
	json  string
	cbor  any
}{
	{senml.BaseName, "bn", int64(-2)}, {senml.BaseTime, "bt", int64(-3)}, {senml.BaseUnit, "bu", int64(-4)},
	{senml.BaseValue, "bv", int64(-5)}, {senml.BaseSum, "bs", int64(-6)}, {senml.BaseVersion, "bver", int64(-1)},
	{senml.Name, "n", uint64(0)}, {senml.Unit, "u", uint64(1)}, {senml.Value, "v", uint64(2)},
	{senml.StringValue, "vs", uint64(3)}, {senml.BoolValue, "vb", uint64(4)}, {senml.Sum, "s", uint64(5)},
	{senml.Time, "t", uint64(6)}, {senml.UpdateTime, "ut", uint64(7)}, {senml.DataValue, "vd", uint64(8)},
	{senml.ObjLinkValue, "vlo", "vlo"},
}

// fieldValue returns what senml read for field f of r, as the peer would
// show it: a string, a float64, an int64 (bver) or a bool.
func fieldValue(r *senml.Record, f senml.Field) any {
	switch f {
	case senml.BaseName:
		return string(r.BaseName)
	case senml.BaseUnit:
		return string(r.BaseUnit)
	case senml.Name:
		return string(r.Name)
	case senml.Unit:
		return string(r.Unit)
	case senml.StringValue:
		return string(r.String)
	case senml.ObjLinkValue:
		return string(r.ObjLink)
	case senml.DataValue:
		return r.Data
	case senml.BoolValue:
		return r.Bool
	case senml.BaseVersion:
		return float64(r.BaseVersion)
	case senml.BaseTime:
		return r.BaseTime.Float()
	case senml.BaseValue:
		return r.BaseValue.Float()
	case senml.BaseSum:
		return r.BaseSum.Float()
	case senml.Value:
		return r.Value.Float()
	case senml.Sum:
		return r.Sum.Float()
	case senml.Time:
		return r.Time.Float()
	case senml.UpdateTime:
		return r.UpdateTime.Float()
	}
	return nil
}

// sameNumber compares a float64 with the peer's number, which for JSON is
// a float64 and for CBOR any integer or float type.
func sameNumber(ours float64, theirs any) bool {
	var f float64
	switch x := theirs.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case uint64:
		f = float64(x)
	case int64:
		f = float64(x)
	default:
		return false
	}
	return f == ours || math.IsNaN(f) && math.IsNaN(ours)
}

// decodeVD decodes the peer's vd string in any of the forms senml reads
// (base64url without padding, and the padded and standard forms).
func decodeVD(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

func senmlSeedsJSON() []string {
	return []string{
		`[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"9","v":100},{"n":"13","v":1367491215}]`,
		`[{"bn":"/72/","bt":25462634,"n":"1/2","v":22.4,"t":-5},{"n":"1/2","v":22.9,"t":-30}]`,
		`[{"n":"/3/0/0"},{"n":"/3/0/9"}]`,
		`[{"bn":"/0/0/","n":"3","vd":"AQID"},{"n":"1","vb":true},{"n":"/65/0/0","vlo":"3:0"}]`,
		`[{"bver":10,"bu":"Cel","u":"%RH","bv":1.5,"bs":2,"s":3,"ut":60,"n":"/1/0/1","v":-1e-3,"x":[1,{"y":null}]}]`,
	}
}

// FuzzSenMLJSON: lwm2m/senml's JSONDecoder against encoding/json.
func FuzzSenMLJSON(f *testing.F) {
	for _, s := range senmlSeedsJSON() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d senml.JSONDecoder
		d.Reset(b, senml.Limits{})
		var recs []senml.Record
		for r, ok := d.Next(); ok; r, ok = d.Next() {
			r.BaseName, r.BaseUnit, r.Name, r.Unit = bytes.Clone(r.BaseName), bytes.Clone(r.BaseUnit), bytes.Clone(r.Name), bytes.Clone(r.Unit)
			r.String, r.Data, r.ObjLink = bytes.Clone(r.String), bytes.Clone(r.Data), bytes.Clone(r.ObjLink)
			recs = append(recs, r)
		}
		if d.Err() != nil {
			return
		}
		var peer []map[string]any
		if err := json.Unmarshal(b, &peer); err != nil {
			t.Fatalf("senml accepts %q, encoding/json rejects it: %v", b, err)
		}
		if len(peer) != len(recs) {
			t.Fatalf("%q: senml reads %d records, encoding/json %d", b, len(recs), len(peer))
		}
		for i := range recs {
			r := &recs[i]
			for _, l := range senmlLabels {
				theirs, has := peer[i][l.json]
				if has != r.Has(l.field) {
					t.Fatalf("%q record %d: label %s present: senml %v, encoding/json %v", b, i, l.json, r.Has(l.field), has)
				}
				if !has {
					continue
				}
				ours := fieldValue(r, l.field)
				switch o := ours.(type) {
				case float64:
					if !sameNumber(o, theirs) {
						t.Fatalf("%q record %d %s: senml %v, encoding/json %v", b, i, l.json, o, theirs)
					}
				case []byte:
					s, _ := theirs.(string)
					if v, ok := decodeVD(s); !ok || !bytes.Equal(v, o) {
						t.Fatalf("%q record %d vd: senml %x, encoding/json %q", b, i, o, s)
					}
				default:
					if ours != theirs {
						t.Fatalf("%q record %d %s: senml %v, encoding/json %v", b, i, l.json, ours, theirs)
					}
				}
			}
		}
	})
}

// FuzzSenMLCBOR: lwm2m/senml's CBORDecoder against fxamacker/cbor.
func FuzzSenMLCBOR(f *testing.F) {
	for _, s := range senmlSeedsJSON() {
		// The seeds in CBOR: decode them with senml, write with AppendCBOR.
		var d senml.JSONDecoder
		d.Reset([]byte(s), senml.Limits{})
		var recs []senml.Record
		for r, ok := d.Next(); ok; r, ok = d.Next() {
			recs = append(recs, r)
		}
		if out, err := senml.AppendCBOR(nil, recs); err == nil && d.Err() == nil {
			f.Add(out)
		}
	}
	dm, err := cbor.DecOptions{DefaultMapType: nil, IntDec: cbor.IntDecConvertNone}.DecMode()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d senml.CBORDecoder
		d.Reset(b, senml.Limits{})
		var recs []senml.Record
		for r, ok := d.Next(); ok; r, ok = d.Next() {
			recs = append(recs, r)
		}
		if d.Err() != nil {
			return
		}
		var peer []map[any]any
		if err := dm.Unmarshal(b, &peer); err != nil {
			if msg := err.Error(); strings.Contains(msg, "cbor: tag number") || strings.Contains(msg, "time.Time") {
				// An unknown label whose value holds a tag 0, 1, 2 or 3
				// with content of the wrong type or a date that is not
				// RFC 3339: well-formed but not
				// valid CBOR (RFC 8949 5.3). senml skips unknown labels
				// checking well-formedness only (RFC 8428 4.4: ignore
				// them); fxamacker/cbor checks the validity of those tags.
				return
			}
			if strings.Contains(err.Error(), "invalid map key type") {
				// A map or array as a map key: valid CBOR (RFC 8949
				// 5.6 allows any key type), which senml skips as an
				// unknown label; Go maps cannot hold such keys.
				return
			}
			t.Fatalf("senml accepts %x, fxamacker/cbor rejects it: %v", b, err)
		}
		if len(peer) != len(recs) {
			t.Fatalf("%x: senml reads %d records, fxamacker/cbor %d", b, len(recs), len(peer))
		}
		for i := range recs {
			r := &recs[i]
			for _, l := range senmlLabels {
				theirs, has := peer[i][l.cbor]
				if has != r.Has(l.field) {
					t.Fatalf("%x record %d: label %s present: senml %v, fxamacker/cbor %v", b, i, l.json, r.Has(l.field), has)
				}
				if !has {
					continue
				}
				ours := fieldValue(r, l.field)
				switch o := ours.(type) {
				case float64:
					if !sameNumber(o, theirs) && !sameDecimal(o, theirs) {
						t.Fatalf("%x record %d %s: senml %v, fxamacker/cbor %#v", b, i, l.json, o, theirs)
					}
				case []byte:
					if v, ok := theirs.([]byte); !ok || !bytes.Equal(v, o) {
						t.Fatalf("%x record %d vd: senml %x, fxamacker/cbor %#v", b, i, o, theirs)
					}
				default:
					if ours != theirs {
						t.Fatalf("%x record %d %s: senml %#v, fxamacker/cbor %#v", b, i, l.json, ours, theirs)
					}
				}
			}
		}
	})
}

// sameDecimal accepts a tag 4 decimal fraction (RFC 8949 3.4.4), which
// fxamacker/cbor leaves as a cbor.Tag, when its value is ours.
func sameDecimal(ours float64, theirs any) bool {
	tag, ok := theirs.(cbor.Tag)
	if !ok || tag.Number != 4 {
		return false
	}
	parts, ok := tag.Content.([]any)
	if !ok || len(parts) != 2 {
		return false
	}
	var e, m float64
	for i, p := range parts {
		var v float64
		switch x := p.(type) {
		case uint64:
			v = float64(x)
		case int64:
			v = float64(x)
		default:
			return false
		}
		if i == 0 {
			e = v
		} else {
			m = v
		}
	}
	want := m * math.Pow(10, e)
	return math.Abs(want-ours) <= 1e-9*math.Max(1, math.Abs(want))
}
