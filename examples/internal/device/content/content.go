// Package content converts LwM2M payloads to and from resolved records
// (path, typed value, optional time) whatever their Content-Format, for the
// example device and server: one switch over the toolkit's format packages.
//
//	recs, err := content.Decode(coapmsg.AppLwM2MTLV, path.Instance(3, 0), reg, payload)
//	out, err := content.Encode(nil, coapmsg.AppSenMLCBOR, path.Instance(3, 0), recs)
//
// The formats are those of LwM2M Core 1.1 and 1.2 section 7.4: plain text
// (0), opaque (42) and CBOR (60) for a single Resource or Resource
// Instance; TLV (11542, and the pre-registration 1542), SenML JSON (110),
// SenML CBOR (112), LwM2M CBOR (11544) and the legacy LwM2M JSON (11543,
// and 1543) for any path.
//
// Records are [senml.Resolved] values: the toolkit's shape for a path, a
// [lwm2m.Value] and a time. Decode returns records whose byte values alias
// the payload; use [Clone] to keep them past the payload's life.
package content

import (
	"errors"
	"strconv"
	"strings"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/lwcbor"
	"github.com/iotwire/iotwire/lwm2m/lwjson"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
	"github.com/iotwire/iotwire/lwm2m/tlv"
)

// Record is one resolved value: a path, a typed value and an optional time.
type Record = senml.Resolved

// ErrUnsupported is returned for a Content-Format this package does not
// read or write, and for a single-value format asked to carry something
// other than one value at a Resource or Resource Instance path.
var ErrUnsupported = errors.New("content: unsupported content format for this path")

// Formats are the Content-Formats Decode and Encode handle for any path,
// in the order a server prefers them (LwM2M 1.1 first).
var Formats = []coapmsg.MediaType{
	coapmsg.AppSenMLCBOR, coapmsg.AppSenMLJSON, coapmsg.AppLwM2MCBOR, coapmsg.AppLwM2MTLV, coapmsg.AppLwM2MJSON,
}

// Single reports whether f carries a single value: plain text, opaque and
// CBOR (LwM2M Core 1.2 sections 7.4.1, 7.4.2 and 7.4.4).
func Single(f coapmsg.MediaType) bool {
	return f == coapmsg.TextPlain || f == coapmsg.AppOctetStream || f == coapmsg.AppCBOR
}

// Supported reports whether Decode and Encode handle f.
func Supported(f coapmsg.MediaType) bool {
	switch f {
	case coapmsg.TextPlain, coapmsg.AppOctetStream, coapmsg.AppCBOR,
		coapmsg.AppLwM2MTLV, coapmsg.AppLwM2MTLVOld, coapmsg.AppSenMLJSON, coapmsg.AppSenMLCBOR,
		coapmsg.AppLwM2MCBOR, coapmsg.AppLwM2MJSON, coapmsg.AppLwM2MJSONOld:
		return true
	}
	return false
}

// Decode resolves payload, in format f, answering (or written to) the
// request path base, and returns its records in wire order. reg types the
// values (nil: the wire decides, and TLV values are Opaque). Byte values
// alias payload.
func Decode(f coapmsg.MediaType, base path.Path, reg *lwm2m.Registry, payload []byte) ([]Record, error) {
	var recs []Record
	add := func(p path.Path, v lwm2m.Value) error {
		recs = append(recs, Record{Path: p, Value: v})
		return nil
	}
	var err error
	switch f {
	case coapmsg.TextPlain, coapmsg.AppOctetStream, coapmsg.AppCBOR:
		var v lwm2m.Value
		v, err = decodeSingle(f, base, reg, payload)
		if err == nil {
			recs = append(recs, Record{Path: base, Value: v})
		}
	case coapmsg.AppLwM2MTLV, coapmsg.AppLwM2MTLVOld:
		err = tlv.Decode(payload, base, reg, add)
	case coapmsg.AppSenMLJSON:
		err = senml.DecodeJSON(payload, base, reg, func(r senml.Resolved) error { recs = append(recs, r); return nil })
	case coapmsg.AppSenMLCBOR:
		err = senml.DecodeCBOR(payload, base, reg, func(r senml.Resolved) error { recs = append(recs, r); return nil })
	case coapmsg.AppLwM2MCBOR:
		err = lwcbor.Decode(payload, base, reg, add)
	case coapmsg.AppLwM2MJSON, coapmsg.AppLwM2MJSONOld:
		err = lwjson.Decode(payload, base, reg, func(r lwjson.Record) error {
			recs = append(recs, Record{Path: r.Path, Value: r.Value, Time: r.Time, HasTime: r.HasTime})
			return nil
		})
	default:
		err = ErrUnsupported
	}
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// resourceType returns the registry's type for the resource of p, or None
// when the registry does not know it; multiple reports a multiple-instance
// resource.
func resourceType(reg *lwm2m.Registry, p path.Path) (t lwm2m.Type, multiple, known bool) {
	if reg == nil || p.Len() < 3 {
		return lwm2m.None, false, false
	}
	def, ok := reg.Resource(p.ID(0), p.ID(2))
	if !ok {
		return lwm2m.None, false, false
	}
	return def.Type, def.Multiple, true
}

func decodeSingle(f coapmsg.MediaType, base path.Path, reg *lwm2m.Registry, b []byte) (lwm2m.Value, error) {
	if base.Level() < path.ResourceLevel {
		return lwm2m.Value{}, ErrUnsupported
	}
	t, multiple, known := resourceType(reg, base)
	if multiple && base.Level() == path.ResourceLevel {
		return lwm2m.Value{}, ErrUnsupported // one value cannot stand for all the instances
	}
	switch f {
	case coapmsg.TextPlain:
		if !known {
			t = lwm2m.String
		}
		return lwm2m.ParseText(t, b, nil)
	case coapmsg.AppOctetStream:
		return lwm2m.ParseOpaque(lwm2m.Opaque, b)
	default: // CBOR (60): one item, typed by the registry or by the item
		v, n, err := lwcbor.DecodeValue(t, b)
		if err == nil && n != len(b) {
			err = errors.New("content: bytes after the CBOR value")
		}
		return v, err
	}
}

// Encode appends the payload of recs in format f, answering the request
// path base, to dst. The single-value formats need exactly one record at
// base; TLV needs a base of at least an Object (it carries no Object ID).
func Encode(dst []byte, f coapmsg.MediaType, base path.Path, recs []Record) ([]byte, error) {
	switch f {
	case coapmsg.TextPlain, coapmsg.AppOctetStream, coapmsg.AppCBOR:
		if len(recs) != 1 || recs[0].Path != base || base.Level() < path.ResourceLevel {
			return dst, ErrUnsupported
		}
		switch f {
		case coapmsg.TextPlain:
			return lwm2m.AppendText(dst, recs[0].Value)
		case coapmsg.AppOctetStream:
			return lwm2m.AppendOpaque(dst, recs[0].Value)
		}
		return lwcbor.AppendValue(dst, recs[0].Value)
	case coapmsg.AppLwM2MTLV, coapmsg.AppLwM2MTLVOld:
		rs := make([]tlv.Record, len(recs))
		for i, r := range recs {
			rs[i] = tlv.Record{Path: r.Path, Value: r.Value}
		}
		return tlv.Encode(dst, base, rs)
	case coapmsg.AppSenMLJSON:
		return senml.EncodeJSON(dst, base, recs)
	case coapmsg.AppSenMLCBOR:
		return senml.EncodeCBOR(dst, base, recs)
	case coapmsg.AppLwM2MCBOR:
		rs := make([]lwcbor.Record, len(recs))
		for i, r := range recs {
			rs[i] = lwcbor.Record{Path: r.Path, Value: r.Value}
		}
		return lwcbor.Encode(dst, base, rs)
	case coapmsg.AppLwM2MJSON, coapmsg.AppLwM2MJSONOld:
		rs := make([]lwjson.Record, len(recs))
		for i, r := range recs {
			rs[i] = lwjson.Record{Path: r.Path, Value: r.Value, Time: r.Time, HasTime: r.HasTime}
		}
		return lwjson.Encode(dst, base, rs)
	}
	return dst, ErrUnsupported
}

// Clone returns a copy of recs whose byte values (String, Opaque,
// Corelnk) own their memory: one allocation holds all of them.
func Clone(recs []Record) []Record {
	n := 0
	for _, r := range recs {
		if b, ok := r.Value.Bytes(); ok {
			n += len(b)
		}
	}
	buf := make([]byte, 0, n)
	out := make([]Record, len(recs))
	for i, r := range recs {
		out[i] = r
		if b, ok := r.Value.Bytes(); ok {
			start := len(buf)
			buf = append(buf, b...)
			out[i].Value = withBytes(r.Value, buf[start:len(buf):len(buf)])
		}
	}
	return out
}

// CloneValue returns v with its bytes (if any) copied.
func CloneValue(v lwm2m.Value) lwm2m.Value {
	if b, ok := v.Bytes(); ok {
		return withBytes(v, append([]byte(nil), b...))
	}
	return v
}

func withBytes(v lwm2m.Value, b []byte) lwm2m.Value {
	switch v.Type() {
	case lwm2m.String:
		return lwm2m.StringValue(b)
	case lwm2m.Opaque:
		return lwm2m.OpaqueValue(b)
	case lwm2m.Corelnk:
		return lwm2m.CorelnkValue(b)
	}
	return v
}

// FormatValue returns v as readable text for logs: plain text where the
// type has it, the length of opaque values.
func FormatValue(v lwm2m.Value) string {
	switch v.Type() {
	case lwm2m.None:
		return "(none)"
	case lwm2m.Opaque:
		b, _ := v.Bytes()
		return strconv.Itoa(len(b)) + " bytes"
	case lwm2m.String, lwm2m.Corelnk:
		b, _ := v.Bytes()
		return strconv.Quote(string(b))
	}
	out, err := lwm2m.AppendText(nil, v)
	if err != nil {
		return "?"
	}
	return string(out)
}

// FormatRecords returns recs as "path=value" pairs for logs.
func FormatRecords(recs []Record) string {
	var sb strings.Builder
	for i, r := range recs {
		if i > 0 {
			sb.WriteString(" ")
		}
		sb.WriteString(r.Path.String())
		sb.WriteString("=")
		sb.WriteString(FormatValue(r.Value))
	}
	return sb.String()
}

// Names maps the short names the example commands take to formats.
var Names = map[string]coapmsg.MediaType{
	"text": coapmsg.TextPlain, "opaque": coapmsg.AppOctetStream, "cbor": coapmsg.AppCBOR,
	"tlv": coapmsg.AppLwM2MTLV, "senml-json": coapmsg.AppSenMLJSON, "senml-cbor": coapmsg.AppSenMLCBOR,
	"lwm2m-cbor": coapmsg.AppLwM2MCBOR, "lwm2m-json": coapmsg.AppLwM2MJSON,
}
