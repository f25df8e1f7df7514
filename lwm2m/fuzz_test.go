package lwm2m

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// FuzzParseText checks the Plain Text decoder for every type: no panic, no
// mutation of the input, errors are *Error with an offset in range, and a
// decoded value encodes (len == TextLen) to text that decodes to the same
// value and encodes to the same text again (parse -> append -> parse
// fixpoint). Every type but Float accepts only its canonical form, so
// those inputs come back byte for byte.
func FuzzParseText(f *testing.F) {
	for _, v := range textVectors {
		f.Add(uint8(v.typ), []byte(v.text))
	}
	for _, c := range textAccepted {
		f.Add(uint8(c.typ), []byte(c.text))
	}
	for _, c := range textErrors {
		f.Add(uint8(c.typ), []byte(c.text))
	}
	f.Fuzz(func(t *testing.T, typ uint8, b []byte) {
		typ %= uint8(Corelnk) + 2 // every type and one unknown
		orig := bytes.Clone(b)
		v, err := ParseText(Type(typ), b, nil)
		if !bytes.Equal(b, orig) {
			t.Fatal("ParseText modified its input")
		}
		if Type(typ) == Objlnk {
			// ParseObjlnk agrees.
			if l, ok := ParseObjlnk(b); ok != (err == nil) || ok && !ObjlnkValue(l).Equal(v) {
				t.Fatalf("%q: ParseObjlnk %v %v, ParseText %v", b, l, ok, err)
			}
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(b) {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		if v.Type() != Type(typ) {
			t.Fatalf("type %v, want %v", v.Type(), Type(typ))
		}
		out, err := AppendText(nil, v)
		if err != nil {
			t.Fatalf("parsed %q but cannot append: %v", b, err)
		}
		if len(out) != TextLen(v) {
			t.Fatalf("TextLen %d, appended %d", TextLen(v), len(out))
		}
		w, err := ParseText(Type(typ), out, make([]byte, 0, len(out)))
		if err != nil || !w.Equal(v) {
			t.Fatalf("%q -> %q -> %+v, %v; want %+v", b, out, w, err, v)
		}
		again, err := AppendText(nil, w)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not a fixpoint: %q then %q", out, again)
		}
		// Only Float has more than one accepted spelling of a value.
		if Type(typ) != Float && !bytes.Equal(out, b) {
			t.Fatalf("accepted non-canonical %q (canonical %q)", b, out)
		}
	})
}

// FuzzAppendText starts from values: every value AppendText accepts parses
// back to itself.
func FuzzAppendText(f *testing.F) {
	f.Add(uint8(Float), uint64(math.Float64bits(6.667e-11)), []byte(nil))
	f.Add(uint8(Integer), uint64(1<<63), []byte(nil))
	f.Add(uint8(Opaque), uint64(0), []byte{1, 2, 3, 4, 5})
	f.Add(uint8(String), uint64(0), []byte("Zürich"))
	f.Add(uint8(Objlnk), uint64(0xffffffff), []byte(nil))
	f.Fuzz(func(t *testing.T, typ uint8, num uint64, b []byte) {
		var v Value
		switch Type(typ % (uint8(Corelnk) + 1)) {
		case None:
		case String:
			v = StringValue(b)
		case Integer:
			v = IntegerValue(int64(num))
		case Unsigned:
			v = UnsignedValue(num)
		case Float:
			v = FloatValue(math.Float64frombits(num))
		case Boolean:
			v = BoolValue(num&1 == 1)
		case Opaque:
			v = OpaqueValue(b)
		case Time:
			v = TimeValue(int64(num))
		case Objlnk:
			v = ObjlnkValue(ObjLink{uint16(num >> 16), uint16(num)})
		case Corelnk:
			v = CorelnkValue(b)
		}
		out, err := AppendText([]byte("x"), v)
		if err != nil {
			if string(out) != "x" || TextLen(v) != -1 {
				t.Fatalf("error %v but out %q, TextLen %d", err, out, TextLen(v))
			}
			return
		}
		if len(out)-1 != TextLen(v) {
			t.Fatalf("TextLen %d, appended %d", TextLen(v), len(out)-1)
		}
		w, err := ParseText(v.Type(), out[1:], nil)
		if err != nil || !w.Equal(v) {
			t.Fatalf("%+v -> %q -> %+v, %v", v, out[1:], w, err)
		}
	})
}
