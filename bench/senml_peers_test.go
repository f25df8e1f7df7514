package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/fxamacker/cbor/v2"
)

// The SenML peers: encoding/json and fxamacker/cbor decoding into the Go
// structs an application would declare for RFC 8428 records. Both decode
// into a slice reused across iterations and encode from a prepared slice,
// which only favours them.

// senmlJSONRec is an RFC 8428 section 5 record as encoding/json reads it.
// Optional values are pointers so that a present zero is not lost.
type senmlJSONRec struct {
	BaseName    string   `json:"bn,omitempty"`
	BaseTime    float64  `json:"bt,omitempty"`
	BaseUnit    string   `json:"bu,omitempty"`
	BaseValue   float64  `json:"bv,omitempty"`
	BaseSum     float64  `json:"bs,omitempty"`
	BaseVersion int      `json:"bver,omitempty"`
	Name        string   `json:"n,omitempty"`
	Unit        string   `json:"u,omitempty"`
	Value       *float64 `json:"v,omitempty"`
	StringValue *string  `json:"vs,omitempty"`
	BoolValue   *bool    `json:"vb,omitempty"`
	DataValue   *string  `json:"vd,omitempty"`
	ObjLink     *string  `json:"vlo,omitempty"`
	Sum         *float64 `json:"s,omitempty"`
	Time        float64  `json:"t,omitempty"`
	UpdateTime  float64  `json:"ut,omitempty"`
}

// senmlCBORRec is an RFC 8428 section 6 record as fxamacker/cbor reads it:
// integer labels, and the text key "vlo" of LwM2M.
type senmlCBORRec struct {
	BaseVersion int      `cbor:"-1,keyasint,omitempty"`
	BaseName    string   `cbor:"-2,keyasint,omitempty"`
	BaseTime    float64  `cbor:"-3,keyasint,omitempty"`
	BaseUnit    string   `cbor:"-4,keyasint,omitempty"`
	BaseValue   float64  `cbor:"-5,keyasint,omitempty"`
	BaseSum     float64  `cbor:"-6,keyasint,omitempty"`
	Name        string   `cbor:"0,keyasint,omitempty"`
	Unit        string   `cbor:"1,keyasint,omitempty"`
	Value       *float64 `cbor:"2,keyasint,omitempty"`
	StringValue *string  `cbor:"3,keyasint,omitempty"`
	BoolValue   *bool    `cbor:"4,keyasint,omitempty"`
	Sum         *float64 `cbor:"5,keyasint,omitempty"`
	Time        float64  `cbor:"6,keyasint,omitempty"`
	UpdateTime  float64  `cbor:"7,keyasint,omitempty"`
	DataValue   []byte   `cbor:"8,keyasint,omitempty"`
	ObjLink     *string  `cbor:"vlo,omitempty"`
}

// cborDec and cborEnc are fxamacker/cbor modes made once, as its docs advise.
var (
	cborDec = func() cbor.DecMode {
		m, err := cbor.DecOptions{}.DecMode()
		if err != nil {
			panic(err)
		}
		return m
	}()
	cborEnc = func() cbor.EncMode {
		m, err := cbor.EncOptions{ShortestFloat: cbor.ShortestFloat16}.EncMode()
		if err != nil {
			panic(err)
		}
		return m
	}()
)

// senmlFlat is one record after base name and base time resolution, in one
// form for every implementation, compared with reflect.DeepEqual: the full
// name, the value as text with its kind, and the resolved time (0 if none).
type senmlFlat struct {
	Name string
	Kind string // "v", "vs", "vb", "vd", "vlo" or "" (no value)
	Val  string
	Time float64
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// flattenJSON resolves bn and bt of encoding/json's records (RFC 8428 4.6).
func flattenJSON(recs []senmlJSONRec) []senmlFlat {
	var out []senmlFlat
	var bn string
	var bt float64
	for _, r := range recs {
		if r.BaseName != "" {
			bn = r.BaseName
		}
		if r.BaseTime != 0 {
			bt = r.BaseTime
		}
		f := senmlFlat{Name: bn + r.Name}
		if r.Time != 0 || bt != 0 {
			f.Time = bt + r.Time
		}
		switch {
		case r.Value != nil:
			f.Kind, f.Val = "v", fmtNum(*r.Value+r.BaseValue)
		case r.StringValue != nil:
			f.Kind, f.Val = "vs", *r.StringValue
		case r.BoolValue != nil:
			f.Kind, f.Val = "vb", strconv.FormatBool(*r.BoolValue)
		case r.DataValue != nil:
			f.Kind, f.Val = "vd", *r.DataValue
		case r.ObjLink != nil:
			f.Kind, f.Val = "vlo", *r.ObjLink
		}
		out = append(out, f)
	}
	return out
}

// flattenCBOR resolves bn and bt of fxamacker/cbor's records.
func flattenCBOR(recs []senmlCBORRec) []senmlFlat {
	var out []senmlFlat
	var bn string
	var bt float64
	for _, r := range recs {
		if r.BaseName != "" {
			bn = r.BaseName
		}
		if r.BaseTime != 0 {
			bt = r.BaseTime
		}
		f := senmlFlat{Name: bn + r.Name}
		if r.Time != 0 || bt != 0 {
			f.Time = bt + r.Time
		}
		switch {
		case r.Value != nil:
			f.Kind, f.Val = "v", fmtNum(*r.Value+r.BaseValue)
		case r.StringValue != nil:
			f.Kind, f.Val = "vs", *r.StringValue
		case r.BoolValue != nil:
			f.Kind, f.Val = "vb", strconv.FormatBool(*r.BoolValue)
		case r.DataValue != nil:
			f.Kind, f.Val = "vd", fmt.Sprintf("%x", r.DataValue)
		case r.ObjLink != nil:
			f.Kind, f.Val = "vlo", *r.ObjLink
		}
		out = append(out, f)
	}
	return out
}

// jsonDecodeRecs decodes b into recs[:0] with encoding/json.
func jsonDecodeRecs(b []byte, recs []senmlJSONRec) ([]senmlJSONRec, error) {
	recs = recs[:0]
	err := json.Unmarshal(b, &recs)
	return recs, err
}

// jsonEncodeRecs encodes recs with encoding/json into buf.
func jsonEncodeRecs(buf *bytes.Buffer, recs []senmlJSONRec) error {
	buf.Reset()
	return json.NewEncoder(buf).Encode(recs)
}

// cborDecodeRecs decodes b into recs[:0] with fxamacker/cbor.
func cborDecodeRecs(b []byte, recs []senmlCBORRec) ([]senmlCBORRec, error) {
	recs = recs[:0]
	err := cborDec.Unmarshal(b, &recs)
	return recs, err
}

// cborEncodeRecs appends the CBOR of recs to buf with fxamacker/cbor.
func cborEncodeRecs(buf *bytes.Buffer, recs []senmlCBORRec) error {
	buf.Reset()
	return cborEnc.NewEncoder(buf).Encode(recs)
}
