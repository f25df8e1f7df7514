package main

// The JSON mapping of SMS TPDUs (--proto sms-deliver, sms-submit): the
// unit is a modem PDU, the SMSC address first ("00" for none), then an
// SMS-DELIVER or SMS-SUBMIT TPDU (3GPP TS 23.040 9.2.2.1, 9.2.2.2).
//
// The contract's keys come first: smsc, originator (DELIVER) or
// destination (SUBMIT) as "+digits" for international numbers, pid, dcs,
// scts (DELIVER, RFC 3339), udh ([{iei, data}], absent without a header),
// concat ({ref, total, seq}) and ports ({dst, src}) when the header has
// them, then text (GSM 7-bit and UCS-2) or user_data (hex, for 8-bit
// data, compressed data and UCS-2 that is not valid UTF-16). Added keys
// make the mapping lossless: smsc_type, originator_type and
// destination_type (the Type-of-Address octet, only when it differs from
// what the text implies: 0x91 for "+digits", 0x81 for digits, 0xD0 for
// an alphanumeric address), message_reference and validity_period
// ({relative: N}, {absolute: RFC 3339} or {enhanced: hex}; absent when
// none) for SUBMIT, and the first-octet flags: more_messages,
// loop_prevention, status_report_indication and reply_path for DELIVER,
// reject_duplicates, status_report_request and reply_path for SUBMIT.
//
// encode reads the same keys; a missing key takes its zero value. text is
// encoded in the alphabet dcs names (GSM 7-bit after the header's fill
// bits, or UCS-2); user_data needs a dcs that counts octets. Without udh,
// a header is built from concat (a 16-bit reference when ref > 255) and
// ports (16-bit ports when either is > 255); with udh, concat and ports
// must agree with it.

import (
	"errors"
	"math"

	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// smsCodec returns the codec of sms-deliver (submit false) or sms-submit.
func smsCodec(submit bool) codec {
	return codec{
		decode: func(dst, unit []byte, _ *options) ([]byte, error) { return smsDecodeUnit(dst, unit, submit) },
		encode: func(dst, obj []byte, _ *options) ([]byte, error) { return smsEncodeObject(dst, obj, submit) },
	}
}

// smsError turns a tpdu error into a unit error; base is the offset of the
// TPDU in the unit (0 for SMSC errors and encode errors).
func smsError(err error, base int) *unitError {
	var e *tpdu.Error
	if !errors.As(err, &e) {
		return &unitError{Msg: err.Error(), Offset: base}
	}
	return &unitError{Msg: e.Field + ": " + tpduMessage(err), Offset: base + max(e.Offset, 0)}
}

// tpduMessage returns the message and rule of a tpdu error, without its
// field: "user data longer than 140 octets [3GPP TS 23.040 9.2.3.16]".
func tpduMessage(err error) string {
	var e *tpdu.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if e.Rule == "" {
		return e.Msg
	}
	return e.Msg + " [" + e.Rule + "]"
}

// defaultType is the Type-of-Address that tpdu.ParseAddress gives the
// text of a.
func defaultType(a *tpdu.Address) byte {
	b, _ := tpdu.ParseAddress(a.String())
	return b.Type
}

func writeAddress(w *jsonWriter, key string, a *tpdu.Address) {
	w.strField(key, a.String())
	if !a.IsZero() && a.Type != defaultType(a) {
		w.uintField(key+"_type", uint64(a.Type))
	}
}

// smsDecodeUnit appends the JSON line of one modem PDU.
func smsDecodeUnit(dst, unit []byte, submit bool) ([]byte, error) {
	smsc, n, err := tpdu.DecodeSMSC(unit)
	if err != nil {
		return dst, smsError(err, 0)
	}
	w := jsonWriter{b: dst}
	w.open('{')
	writeAddress(&w, "smsc", &smsc)
	var ud *tpdu.UserData
	var dcs tpdu.DCS
	if submit {
		var s tpdu.Submit
		if _, err := s.Decode(unit[n:]); err != nil {
			return dst, smsError(err, n)
		}
		writeAddress(&w, "destination", &s.Destination)
		w.uintField("message_reference", uint64(s.MR))
		w.uintField("pid", uint64(s.PID))
		w.uintField("dcs", uint64(s.DCS))
		switch s.VP.Format {
		case tpdu.VPRelative:
			w.key("validity_period")
			w.open('{')
			w.uintField("relative", uint64(s.VP.Relative))
			w.close('}')
		case tpdu.VPAbsolute:
			w.key("validity_period")
			w.open('{')
			w.strField("absolute", string(s.VP.Absolute.AppendText(nil)))
			w.close('}')
		case tpdu.VPEnhanced:
			w.key("validity_period")
			w.open('{')
			w.hexField("enhanced", s.VP.Enhanced[:])
			w.close('}')
		}
		w.boolField("reject_duplicates", s.RejectDuplicates)
		w.boolField("status_report_request", s.StatusReportReq)
		w.boolField("reply_path", s.ReplyPath)
		ud, dcs = &s.UserData, s.DCS
		return writeUserData(&w, ud, dcs), nil
	}
	var d tpdu.Deliver
	if _, err := d.Decode(unit[n:]); err != nil {
		return dst, smsError(err, n)
	}
	writeAddress(&w, "originator", &d.Originator)
	w.uintField("pid", uint64(d.PID))
	w.uintField("dcs", uint64(d.DCS))
	w.strField("scts", string(d.SCTS.AppendText(nil)))
	w.boolField("more_messages", d.MoreMessages)
	w.boolField("loop_prevention", d.LoopPrevention)
	w.boolField("status_report_indication", d.StatusReportIndic)
	w.boolField("reply_path", d.ReplyPath)
	return writeUserData(&w, &d.UserData, d.DCS), nil
}

// writeUserData writes udh, concat, ports and text or user_data, closes
// the object and returns the line.
func writeUserData(w *jsonWriter, ud *tpdu.UserData, dcs tpdu.DCS) []byte {
	if ud.Header != nil {
		w.key("udh")
		w.open('[')
		for it := ud.IEs(); it.Next(); {
			ie := it.IE()
			w.open('{')
			w.uintField("iei", uint64(ie.ID))
			w.hexField("data", ie.Data)
			w.close('}')
		}
		w.close(']')
	}
	if c, ok := ud.Concat(); ok {
		w.key("concat")
		w.open('{')
		w.uintField("ref", uint64(c.Ref))
		w.uintField("total", uint64(c.Total))
		w.uintField("seq", uint64(c.Seq))
		w.close('}')
	}
	if p, ok := ud.Ports(); ok {
		w.key("ports")
		w.open('{')
		w.uintField("dst", uint64(p.Dst))
		w.uintField("src", uint64(p.Src))
		w.close('}')
	}
	if text, err := ud.AppendText(nil, dcs); err == nil {
		w.strField("text", string(text))
	} else {
		w.hexField("user_data", ud.Body)
	}
	w.close('}')
	return append(w.b, '\n')
}

// readAddress reads key (and key_type) as an address.
func readAddress(o *jsonObject, key string) tpdu.Address {
	s := o.str(key)
	a, err := tpdu.ParseAddress(s)
	if err != nil {
		o.fail(key, "want \"+digits\", digits or up to 11 GSM 7-bit characters")
		return a
	}
	if o.has(key + "_type") {
		a.Type = byte(o.uint(key+"_type", math.MaxUint8))
	}
	return a
}

// readTimestamp reads a time stamp in the RFC 3339 form decode writes,
// "2002-08-26T19:37:41+02:00" (or "Z"), field by field: the TPDU may hold
// dates that do not exist, and "-00:00" keeps the sign bit of a zero zone.
func readTimestamp(o *jsonObject, f jsonField, name string) tpdu.Timestamp {
	s := o.strOf(f, name)
	var ts tpdu.Timestamp
	num := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			if j >= len(s) || s[j] < '0' || s[j] > '9' {
				return 0, false
			}
			v = v*10 + int(s[j]-'0')
		}
		return v, true
	}
	y, ok := num(0, 4)
	var v [5]int
	for i, at := range [5]int{5, 8, 11, 14, 17} {
		var okf bool
		v[i], okf = num(at, 2)
		ok = ok && okf
	}
	ok = ok && len(s) >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':'
	if ok && s[19:] != "Z" {
		zh, okh := num(20, 2)
		zm, okm := num(23, 2)
		ok = okh && okm && len(s) == 25 && (s[19] == '+' || s[19] == '-') && s[22] == ':' && zm%15 == 0
		ts.Quarters, ts.West = uint8(zh*4+zm/15), s[19] == '-'
	}
	if !ok {
		o.failAt(f.off, name, "want an RFC 3339 time in whole seconds")
		return tpdu.Timestamp{}
	}
	if y < 1990 || y > 2089 || ts.Quarters > 79 {
		o.failAt(f.off, name, "want a year 1990-2089 and a zone within 19:45 [3GPP TS 23.040 9.2.3.11]")
		return tpdu.Timestamp{}
	}
	ts.Year = uint8(y % 100)
	ts.Month, ts.Day, ts.Hour, ts.Minute, ts.Second = uint8(v[0]), uint8(v[1]), uint8(v[2]), uint8(v[3]), uint8(v[4])
	return ts
}

// smsEncodeObject appends the modem PDU that the JSON object line describes.
func smsEncodeObject(dst, line []byte, submit bool) ([]byte, error) {
	o, err := parseJSONObject(line)
	if err != nil {
		return dst, err
	}
	smsc := readAddress(o, "smsc")
	var ud tpdu.UserData
	var dcs tpdu.DCS
	var d tpdu.Deliver
	var s tpdu.Submit
	if submit {
		s.Destination = readAddress(o, "destination")
		s.MR = byte(o.uint("message_reference", math.MaxUint8))
		s.PID = byte(o.uint("pid", math.MaxUint8))
		s.DCS = tpdu.DCS(o.uint("dcs", math.MaxUint8))
		if vo := o.object("validity_period"); vo != nil {
			switch {
			case vo.has("relative"):
				s.VP = tpdu.ValidityPeriod{Format: tpdu.VPRelative, Relative: byte(vo.uint("relative", math.MaxUint8))}
			case vo.has("absolute"):
				f, _ := vo.take("absolute")
				s.VP = tpdu.ValidityPeriod{Format: tpdu.VPAbsolute, Absolute: readTimestamp(vo, f, vo.name("absolute"))}
			case vo.has("enhanced"):
				b := vo.hexBytes("enhanced")
				if len(b) != 7 {
					vo.fail("enhanced", "want 7 octets")
				}
				s.VP.Format = tpdu.VPEnhanced
				copy(s.VP.Enhanced[:], b)
			default:
				o.fail("validity_period", "want relative, absolute or enhanced")
			}
			vo.done("validity_period")
		}
		s.RejectDuplicates = o.boolean("reject_duplicates")
		s.StatusReportReq = o.boolean("status_report_request")
		s.ReplyPath = o.boolean("reply_path")
		dcs = s.DCS
	} else {
		d.Originator = readAddress(o, "originator")
		d.PID = byte(o.uint("pid", math.MaxUint8))
		d.DCS = tpdu.DCS(o.uint("dcs", math.MaxUint8))
		if f, ok := o.take("scts"); ok {
			d.SCTS = readTimestamp(o, f, "scts")
		}
		d.MoreMessages = o.boolean("more_messages")
		d.LoopPrevention = o.boolean("loop_prevention")
		d.StatusReportIndic = o.boolean("status_report_indication")
		d.ReplyPath = o.boolean("reply_path")
		dcs = d.DCS
	}
	readUserData(o, &ud, dcs)
	kind := "SMS-DELIVER"
	if submit {
		kind = "SMS-SUBMIT"
	}
	if err := o.done(kind); err != nil {
		return dst, err
	}
	out := tpdu.AppendSMSC(dst, &smsc)
	if submit {
		s.UserData = ud
		out, err = s.AppendBinary(out)
	} else {
		d.UserData = ud
		out, err = d.AppendBinary(out)
	}
	if err != nil {
		return dst, smsError(err, 0)
	}
	return out, nil
}

// readUserData reads udh, concat, ports and text or user_data into ud.
func readUserData(o *jsonObject, ud *tpdu.UserData, dcs tpdu.DCS) {
	var concat *tpdu.Concat
	if co := o.object("concat"); co != nil {
		c := tpdu.Concat{Ref: uint16(co.uint("ref", math.MaxUint16)), Total: uint8(co.uint("total", math.MaxUint8)),
			Seq: uint8(co.uint("seq", math.MaxUint8))}
		c.Wide = c.Ref > 255
		co.done("concat")
		concat = &c
	}
	var ports *tpdu.Ports
	if po := o.object("ports"); po != nil {
		p := tpdu.Ports{Dst: uint16(po.uint("dst", math.MaxUint16)), Src: uint16(po.uint("src", math.MaxUint16))}
		p.Wide = p.Dst > 255 || p.Src > 255
		po.done("ports")
		ports = &p
	}
	if o.has("udh") {
		elems, names := o.array("udh")
		ud.Header = []byte{}
		for i, e := range elems {
			ie := o.objectOf(e, names[i])
			id := byte(ie.uint("iei", math.MaxUint8))
			data := ie.hexBytes("data")
			if len(data) > 255 {
				ie.fail("data", "longer than 255 octets")
				data = nil
			}
			ie.done("udh element")
			ud.Header = tpdu.AppendIE(ud.Header, id, data)
		}
		if c, ok := ud.Concat(); concat != nil && (!ok || c.Ref != concat.Ref || c.Total != concat.Total || c.Seq != concat.Seq) {
			o.fail("concat", "does not match udh")
		}
		if p, ok := ud.Ports(); ports != nil && (!ok || p.Dst != ports.Dst || p.Src != ports.Src) {
			o.fail("ports", "does not match udh")
		}
	} else if concat != nil || ports != nil {
		ud.Header = []byte{}
		if ports != nil {
			ud.Header = tpdu.AppendPorts(ud.Header, *ports)
		}
		if concat != nil {
			ud.Header = tpdu.AppendConcat(ud.Header, *concat)
		}
	}
	if o.has("text") && o.has("user_data") {
		o.fail("user_data", "give text or user_data, not both")
		return
	}
	if f, ok := o.take("text"); ok {
		text := o.strOf(f, "text")
		if o.err() != nil {
			return
		}
		if _, err := ud.SetText(nil, dcs, text); err != nil {
			o.failAt(f.off, "text", tpduMessage(err))
		}
		return
	}
	if o.has("user_data") {
		ud.Body = o.hexBytes("user_data")
		if dcs.Alphabet() == tpdu.GSM7 && !dcs.Compressed() {
			o.fail("user_data", "the dcs is GSM 7-bit, which counts septets: give text")
		}
	}
}
