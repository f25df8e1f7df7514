package main

// The JSON mapping of CoAP messages (--proto coap, coap+tcp), as the JSON
// contract describes it:
//
//	{"type":"CON","code":"0.01","message_id":1,"token":"0a0b",
//	 "options":[{"number":11,"name":"Uri-Path","value":"rd"}],"payload":""}
//
// coap+tcp objects have no "type" and no "message_id". Options are listed in
// wire order; the registry of package coapmsg (LookupOption, which knows the
// signaling options of 7.xx messages) gives each known option its "name" and
// the JSON type of its "value": a string for string options, a number for
// uint options, null for empty options, hex for opaque and unknown options.
//
// A uint value whose bytes are not its canonical form (leading zero bytes,
// RFC 7252 section 3.2 "SHOULD") keeps "value" a number and adds "raw", the
// value bytes in hex, so that decode | encode gives the input back. encode
// writes "raw" as given (after checking that it holds "value") and otherwise
// the canonical form: coapmsg.AppendUint, left-padded with zero bytes to the
// option's minimum length (only Hop-Limit has one).

import (
	"errors"
	"math"
	"strconv"

	"github.com/iotwire/iotwire/coapmsg"
)

// coapCodec returns the codec of --proto coap (tcp false: one datagram per
// unit) or coap+tcp (tcp true: RFC 8323 frames back to back).
func coapCodec(tcp bool) codec {
	return codec{
		decode: func(dst, unit []byte, _ *options) ([]byte, error) { return coapDecodeUnit(dst, unit, tcp) },
		encode: func(dst, obj []byte, _ *options) ([]byte, error) { return coapEncodeObject(dst, obj, tcp) },
	}
}

// coapDecodeUnit appends the JSON line of the datagram unit, or one JSON
// line per TCP frame of unit.
func coapDecodeUnit(dst, unit []byte, tcp bool) ([]byte, error) {
	var m coapmsg.Message
	if !tcp {
		if _, err := coapDecodeMessage(&m, unit, false); err != nil {
			return dst, coapError(err, 0)
		}
		return append(appendCoAPJSON(dst, &m, false), '\n'), nil
	}
	for off := 0; off < len(unit); {
		n, err := coapDecodeMessage(&m, unit[off:], true)
		if err != nil {
			return dst, coapError(err, off)
		}
		dst = append(appendCoAPJSON(dst, &m, true), '\n')
		off += n // n >= 2: a frame has at least its Len|TKL byte and Code
	}
	return dst, nil
}

// coapDecodeMessage decodes the datagram b, or the TCP frame at the start of
// b. A message may hold more options than a coapmsg.Message keeps inline: on
// ErrLimit the option storage grows, up to one option per byte of b.
func coapDecodeMessage(m *coapmsg.Message, b []byte, tcp bool) (int, error) {
	if cap(m.Options) < 64 {
		m.Options = make([]coapmsg.Option, 0, 64)
	}
	for {
		var n int
		var err error
		if tcp {
			n, err = m.DecodeTCP(b)
		} else {
			n, err = m.Decode(b)
		}
		if !errors.Is(err, coapmsg.ErrLimit) || cap(m.Options) >= len(b) {
			return n, err
		}
		m.Options = make([]coapmsg.Option, 0, min(4*cap(m.Options), len(b)))
	}
}

// coapError turns a coapmsg error into a unit error: the message without the
// package prefix ("option 12: value length outside the option's range [RFC
// 7252 5.10.3]") and the offset from the start of the unit, where the
// message started at base. Encode errors have no offset: they report base.
func coapError(err error, base int) *unitError {
	var e *coapmsg.Error
	if !errors.As(err, &e) {
		return &unitError{Msg: err.Error(), Offset: base}
	}
	return &unitError{Msg: e.Message(), Offset: base + max(e.Offset, 0)}
}

// appendCoAPJSON appends the JSON object of m, without a newline.
func appendCoAPJSON(dst []byte, m *coapmsg.Message, tcp bool) []byte {
	w := jsonWriter{b: dst}
	w.open('{')
	if !tcp {
		w.strField("type", m.Type.String())
	}
	w.strField("code", m.Code.Dotted())
	if !tcp {
		w.uintField("message_id", uint64(m.MessageID))
	}
	w.hexField("token", m.Token)
	w.key("options")
	w.open('[')
	for _, o := range m.Options {
		w.open('{')
		w.uintField("number", uint64(o.Number))
		def, known := coapmsg.LookupOption(m.Code, o.Number)
		if known {
			w.strField("name", def.Name)
		}
		w.key("value")
		switch {
		case !known || def.Format == coapmsg.FormatOpaque:
			w.hex(o.Value)
		case def.Format == coapmsg.FormatEmpty:
			w.null() // Decode checked the length: always 0.
		case def.Format == coapmsg.FormatUint:
			// Decode checked the length against MaxLen, at most 4.
			v, _ := o.Uint()
			w.uint(v)
			if string(o.Value) != string(canonicalUint(nil, def, v)) {
				w.hexField("raw", o.Value)
			}
		default: // FormatString: Decode checked that it is UTF-8
			w.str(string(o.Value))
		}
		w.close('}')
	}
	w.close(']')
	w.hexField("payload", m.Payload)
	w.close('}')
	return w.b
}

// canonicalUint appends the form in which encode writes the uint value v of
// option def: minimal (RFC 7252 section 3.2), left-padded with zero bytes to
// the option's minimum length.
func canonicalUint(b []byte, def *coapmsg.OptionDef, v uint64) []byte {
	n := len(b)
	b = coapmsg.AppendUint(b, v)
	for len(b)-n < def.MinLen {
		b = append(b, 0)
		copy(b[n+1:], b[n:])
		b[n] = 0
	}
	return b
}

// coapEncodeObject appends the datagram or TCP frame that the JSON object
// line describes.
func coapEncodeObject(dst, line []byte, tcp bool) ([]byte, error) {
	o, err := parseJSONObject(line)
	if err != nil {
		return dst, err
	}
	var m coapmsg.Message
	context := "CoAP message"
	if tcp {
		context = "CoAP over TCP message"
		for _, k := range []string{"type", "message_id"} {
			if o.has(k) {
				o.fail(k, "coap+tcp messages have no "+k)
				return dst, o.err()
			}
		}
	} else {
		f, ok := o.take("type")
		if !ok {
			return dst, &unitError{Msg: `missing key "type"`}
		}
		name := o.strOf(f, "type")
		if err := o.err(); err != nil {
			return dst, err
		}
		if m.Type, ok = coapmsg.ParseType(name); !ok {
			return dst, &unitError{Msg: "type: want CON, NON, ACK or RST", Offset: f.off}
		}
		m.MessageID = uint16(o.uint("message_id", math.MaxUint16))
	}
	f, ok := o.take("code")
	if !ok {
		return dst, &unitError{Msg: `missing key "code"`}
	}
	code := o.strOf(f, "code")
	if err := o.err(); err != nil {
		return dst, err
	}
	if m.Code, ok = coapmsg.ParseCode(code); !ok {
		return dst, &unitError{Msg: `code: want "c.dd" such as "2.05"`, Offset: f.off}
	}
	if m.Token = o.hexBytes("token"); len(m.Token) > coapmsg.MaxTokenLength {
		o.fail("token", "longer than 8 bytes [RFC 7252 3]")
	}
	readCoAPOptions(o, &m)
	m.Payload = o.hexBytes("payload")
	if err := o.done(context); err != nil {
		return dst, err
	}
	if tcp {
		dst, err = m.AppendTCP(dst)
	} else {
		dst, err = m.AppendBinary(dst)
	}
	if err != nil {
		return dst, coapError(err, 0)
	}
	return dst, nil
}

// readCoAPOptions reads the "options" array of o into m.Options, in the
// array's order, which must be wire (number) order. Errors stay in o.
func readCoAPOptions(o *jsonObject, m *coapmsg.Message) {
	elems, names := o.array("options")
	m.Options = make([]coapmsg.Option, 0, len(elems))
	prev := 0
	for i, e := range elems {
		oo := o.objectOf(e, names[i])
		if o.err() != nil {
			return
		}
		nf, ok := oo.take("number")
		if !ok {
			oo.failAt(e.off, names[i], `missing key "number"`)
			return
		}
		num := oo.uintOf(nf, oo.name("number"), math.MaxUint16)
		if o.err() != nil {
			return
		}
		if int(num) < prev {
			oo.failAt(nf.off, oo.name("number"), "option "+strconv.FormatUint(num, 10)+
				" after option "+strconv.Itoa(prev)+": options must be in wire order, by number [RFC 7252 3.1]")
			return
		}
		prev = int(num)
		n := coapmsg.OptionNumber(num)
		def, known := coapmsg.LookupOption(m.Code, n)
		desc := "option " + strconv.FormatUint(num, 10) + " is not in the registry"
		if known {
			desc = def.Name + " is " + formatArticle(def.Format) + " option"
		}
		if nameF, ok := oo.take("name"); ok {
			name := oo.strOf(nameF, oo.name("name"))
			switch {
			case o.err() != nil:
			case !known:
				oo.failAt(nameF.off, oo.name("name"), desc+": it has no name")
			case name != def.Name:
				oo.failAt(nameF.off, oo.name("name"), "want "+quote(def.Name)+" for option "+
					strconv.FormatUint(num, 10)+" in a "+m.Code.Dotted()+" message")
			}
		}
		vf, ok := oo.take("value")
		if !ok {
			oo.failAt(e.off, names[i], `missing key "value"`)
			return
		}
		value := readCoAPValue(oo, vf, def, known, desc)
		if o.err() != nil {
			return
		}
		oo.done("option")
		m.Options = append(m.Options, coapmsg.Option{Number: n, Value: value})
	}
}

// readCoAPValue reads the "value" f of an option (and its "raw" for a uint
// option) and returns the value bytes. desc describes the option for
// messages. Errors stay in oo.
func readCoAPValue(oo *jsonObject, f jsonField, def *coapmsg.OptionDef, known bool, desc string) []byte {
	name := oo.name("value")
	format := coapmsg.FormatOpaque
	if known {
		format = def.Format
	}
	switch format {
	case coapmsg.FormatEmpty:
		if string(f.raw) != "null" {
			oo.failAt(f.off, name, "want null: "+desc)
		}
		return nil
	case coapmsg.FormatString:
		if len(f.raw) == 0 || f.raw[0] != '"' {
			oo.failAt(f.off, name, "want a string: "+desc)
			return nil
		}
		return []byte(oo.strOf(f, name))
	case coapmsg.FormatUint:
		maxV := uint64(math.MaxUint64)
		if def.MaxLen < 8 {
			maxV = 1<<(8*def.MaxLen) - 1
		}
		v, err := strconv.ParseUint(string(f.raw), 10, 64)
		if err != nil || v > maxV {
			oo.failAt(f.off, name, "want an integer 0 to "+strconv.FormatUint(maxV, 10)+": "+desc)
			return nil
		}
		rf, ok := oo.take("raw")
		if !ok {
			return canonicalUint(nil, def, v)
		}
		raw := oo.hexOf(rf, oo.name("raw"))
		if got, ok := (coapmsg.Option{Value: raw}).Uint(); oo.st.err == nil && (!ok || got != v) {
			oo.failAt(rf.off, oo.name("raw"), "does not hold the value "+strconv.FormatUint(v, 10))
		}
		return raw
	default: // FormatOpaque or unknown
		if len(f.raw) == 0 || f.raw[0] != '"' {
			oo.failAt(f.off, name, "want a hex string: "+desc)
			return nil
		}
		return oo.hexOf(f, name)
	}
}

// formatArticle returns "a string", "a uint", "an empty" or "an opaque".
func formatArticle(f coapmsg.Format) string {
	s := f.String()
	if s[0] == 'e' || s[0] == 'o' {
		return "an " + s
	}
	return "a " + s
}
