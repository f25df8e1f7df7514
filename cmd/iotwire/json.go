package main

// Protocol-neutral JSON helpers. Output goes through jsonWriter, which keeps
// keys in the order they are written; input goes through jsonObject, which
// matches keys exactly, rejects duplicates and keys nobody asked for, and
// reports every error with the offset of the offending value in the line.

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// jsonWriter appends one JSON value to b. Objects and arrays nest freely:
// the writer only needs to know whether the next value needs a comma.
type jsonWriter struct {
	b     []byte
	comma bool // a value was written at the current level
}

func (w *jsonWriter) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
}

// open starts an object ('{') or array ('[') as the next value.
func (w *jsonWriter) open(c byte) {
	w.sep()
	w.b = append(w.b, c)
	w.comma = false
}

// close ends the innermost object ('}') or array (']').
func (w *jsonWriter) close(c byte) {
	w.b = append(w.b, c)
	w.comma = true
}

// key writes an object key; the next call writes its value.
func (w *jsonWriter) key(k string) {
	w.sep()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
	w.comma = false
}

func (w *jsonWriter) str(s string) {
	w.sep()
	w.b = appendJSONString(w.b, s)
	w.comma = true
}

func (w *jsonWriter) uint(v uint64) {
	w.sep()
	w.b = strconv.AppendUint(w.b, v, 10)
	w.comma = true
}

func (w *jsonWriter) int(v int64) {
	w.sep()
	w.b = strconv.AppendInt(w.b, v, 10)
	w.comma = true
}

func (w *jsonWriter) null() {
	w.sep()
	w.b = append(w.b, "null"...)
	w.comma = true
}

func (w *jsonWriter) boolean(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
	w.comma = true
}

// hex writes a byte string as a lower-case hex string.
func (w *jsonWriter) hex(s []byte) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = hex.AppendEncode(w.b, s)
	w.b = append(w.b, '"')
	w.comma = true
}

func (w *jsonWriter) strField(k, s string)         { w.key(k); w.str(s) }
func (w *jsonWriter) uintField(k string, v uint64) { w.key(k); w.uint(v) }
func (w *jsonWriter) boolField(k string, v bool)   { w.key(k); w.boolean(v) }
func (w *jsonWriter) hexField(k string, s []byte)  { w.key(k); w.hex(s) }

// appendJSONString appends s as a JSON string. It escapes what JSON requires
// plus U+2028 and U+2029 (as encoding/json does) but not <, > and &, and
// replaces ill-formed UTF-8 with U+FFFD.
func appendJSONString[S string | []byte](b []byte, s S) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&15])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

// jsonField is one value of the input: its JSON text and where it starts.
type jsonField struct {
	off  int // offset of the value in the line
	raw  []byte
	used bool
}

// jsonObject reads one JSON object. Its accessors record the first error in
// a state shared with nested objects (a sticky error), so that a packet can
// be read field by field and checked once with done.
type jsonObject struct {
	path   string // "" at the top level, else "will", "subscriptions[0]"...
	fields map[string]*jsonField
	keys   []string // input order
	st     *jsonState
}

type jsonState struct{ err *unitError }

// parseJSONObject parses line, which must hold exactly one JSON object.
func parseJSONObject(line []byte) (*jsonObject, error) {
	st := &jsonState{}
	o := parseObjectAt(st, "", jsonField{raw: line})
	if st.err != nil {
		return nil, st.err
	}
	return o, nil
}

// parseObjectAt parses the object f under path; on error it records it in st
// and returns an empty object.
func parseObjectAt(st *jsonState, path string, f jsonField) *jsonObject {
	o := &jsonObject{path: path, fields: map[string]*jsonField{}, st: st}
	d := json.NewDecoder(bytes.NewReader(f.raw))
	tok, err := d.Token()
	if err != nil {
		o.syntaxErr(f, d, err)
		return o
	}
	if tok != json.Delim('{') {
		o.failAt(f.off, o.path, "want a JSON object")
		return o
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			o.syntaxErr(f, d, err)
			return o
		}
		k := tok.(string) // object keys are strings
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			o.syntaxErr(f, d, err)
			return o
		}
		off := f.off + int(d.InputOffset()) - len(v)
		if _, dup := o.fields[k]; dup {
			o.failAt(off, o.name(k), "duplicate key")
			return o
		}
		o.fields[k] = &jsonField{off: off, raw: v}
		o.keys = append(o.keys, k)
	}
	if _, err := d.Token(); err != nil { // the closing brace
		o.syntaxErr(f, d, err)
		return o
	}
	end := int(d.InputOffset())
	if rest := bytes.TrimLeft(f.raw[end:], " \t\r\n"); len(rest) > 0 {
		o.failAt(f.off+len(f.raw)-len(rest), o.path, "unexpected data after the object")
	}
	return o
}

func (o *jsonObject) syntaxErr(f jsonField, d *json.Decoder, err error) {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		o.failAt(f.off+int(se.Offset), "invalid JSON", se.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		o.failAt(f.off+len(f.raw), "invalid JSON", "unexpected end of input")
	default:
		o.failAt(f.off+int(d.InputOffset()), "invalid JSON", err.Error())
	}
}

// name is the path of key k in messages: "qos", "will.qos".
func (o *jsonObject) name(k string) string {
	if o.path == "" {
		return k
	}
	return o.path + "." + k
}

// failAt records the first error: "name: msg" (or msg when name is "")
// at offset off.
func (o *jsonObject) failAt(off int, name, msg string) {
	if o.st.err != nil {
		return
	}
	if name != "" {
		msg = name + ": " + msg
	}
	o.st.err = &unitError{Msg: msg, Offset: off}
}

// err returns the first error recorded so far, or nil.
func (o *jsonObject) err() error {
	if o.st.err == nil {
		return nil
	}
	return o.st.err
}

// fail records an error about the value of key k.
func (o *jsonObject) fail(k, msg string) {
	off := 0
	if f, ok := o.fields[k]; ok {
		off = f.off
	}
	o.failAt(off, o.name(k), msg)
}

// has reports whether key k is present.
func (o *jsonObject) has(k string) bool { _, ok := o.fields[k]; return ok }

// take returns key k and marks it used.
func (o *jsonObject) take(k string) (jsonField, bool) {
	f, ok := o.fields[k]
	if !ok {
		return jsonField{}, false
	}
	f.used = true
	return *f, true
}

// done records an error for the first key, in input order, that no
// accessor asked for: it does not apply to this object. It returns the
// first error recorded.
func (o *jsonObject) done(context string) error {
	for _, k := range o.keys {
		if f := o.fields[k]; !f.used {
			o.failAt(f.off, o.name(k), "unexpected key in "+context)
			break
		}
	}
	return o.err()
}

// str returns the string value of key k ("" when absent).
func (o *jsonObject) str(k string) string {
	f, ok := o.take(k)
	if !ok {
		return ""
	}
	return o.strOf(f, o.name(k))
}

// strBytes returns the string value of key k as bytes: nil when absent,
// non-nil (maybe empty) when present.
func (o *jsonObject) strBytes(k string) []byte {
	f, ok := o.take(k)
	if !ok {
		return nil
	}
	return append([]byte{}, o.strOf(f, o.name(k))...)
}

// hexBytes returns the decoded hex string of key k: nil when absent,
// non-nil (maybe empty) when present.
func (o *jsonObject) hexBytes(k string) []byte {
	f, ok := o.take(k)
	if !ok {
		return nil
	}
	return o.hexOf(f, o.name(k))
}

// uint returns the value of key k, an integer 0 to max (0 when absent).
func (o *jsonObject) uint(k string, max uint64) uint64 {
	f, ok := o.take(k)
	if !ok {
		return 0
	}
	return o.uintOf(f, o.name(k), max)
}

// boolean returns the value of key k (false when absent).
func (o *jsonObject) boolean(k string) bool {
	f, ok := o.take(k)
	if !ok {
		return false
	}
	switch string(f.raw) {
	case "true":
		return true
	case "false":
		return false
	}
	o.failAt(f.off, o.name(k), "want true or false")
	return false
}

// object returns the object value of key k, or nil when absent.
func (o *jsonObject) object(k string) *jsonObject {
	f, ok := o.take(k)
	if !ok {
		return nil
	}
	return parseObjectAt(o.st, o.name(k), f)
}

// array returns the elements of the array value of key k (nil when absent)
// and the name of each element for messages.
func (o *jsonObject) array(k string) ([]jsonField, []string) {
	f, ok := o.take(k)
	if !ok {
		return nil, nil
	}
	return o.arrayOf(f, o.name(k))
}

func (o *jsonObject) arrayOf(f jsonField, name string) ([]jsonField, []string) {
	var elems []json.RawMessage
	if len(f.raw) == 0 || f.raw[0] != '[' || json.Unmarshal(f.raw, &elems) != nil {
		o.failAt(f.off, name, "want an array")
		return nil, nil
	}
	// Find each element's offset with a second, token-level pass.
	d := json.NewDecoder(bytes.NewReader(f.raw))
	d.Token() // '['
	out := make([]jsonField, len(elems))
	names := make([]string, len(elems))
	for i := range elems {
		var v json.RawMessage
		d.Decode(&v) // cannot fail: Unmarshal accepted the array
		out[i] = jsonField{off: f.off + int(d.InputOffset()) - len(v), raw: v}
		names[i] = name + "[" + strconv.Itoa(i) + "]"
	}
	return out, names
}

func (o *jsonObject) strOf(f jsonField, name string) string {
	var s string
	if len(f.raw) == 0 || f.raw[0] != '"' || json.Unmarshal(f.raw, &s) != nil {
		o.failAt(f.off, name, "want a string")
	}
	return s
}

func (o *jsonObject) hexOf(f jsonField, name string) []byte {
	s := o.strOf(f, name)
	b, err := hex.DecodeString(s)
	if err != nil {
		o.failAt(f.off, name, "want a hex string")
	}
	if b == nil {
		b = []byte{}
	}
	return b
}

func (o *jsonObject) uintOf(f jsonField, name string, max uint64) uint64 {
	v, err := strconv.ParseUint(string(f.raw), 10, 64)
	if err != nil || v > max {
		o.failAt(f.off, name, "want an integer 0 to "+strconv.FormatUint(max, 10))
		return 0
	}
	return v
}

func (o *jsonObject) objectOf(f jsonField, name string) *jsonObject {
	return parseObjectAt(o.st, name, f)
}
