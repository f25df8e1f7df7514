package op

import (
	"bytes"
	"errors"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
)

var classes = []error{ErrNotRequest, ErrBadRequest, ErrNotFound, ErrNotAllowed, ErrNotAcceptable,
	ErrUnsupportedFormat, ErrBadOption, ErrLimit, ErrResponse}

// checkFuzzErr checks that err is an *Error of one class whose Code goes
// with it.
func checkFuzzErr(t *testing.T, err error, response bool) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is no *Error", err, err)
	}
	known := false
	for _, c := range classes {
		if errors.Is(err, c) {
			known = true
		}
	}
	if !known {
		t.Fatalf("error %v has no known class", err)
	}
	want := codeOf(e.Err)
	if response {
		want = 0 // there is no response to a response
	}
	if e.Code != want && !(e.Err == ErrBadOption && e.Code == coapmsg.ProxyingNotSupported) {
		t.Fatalf("error %v: code %v for class %v", err, e.Code, e.Err)
	}
	_ = e.Error()
}

func fuzzRequestSeeds(f *testing.F) {
	for _, c := range reqCases {
		m := message(c.typ, c.code, c.path, c.query, c.opts, c.payload)
		b, err := m.AppendBinary(nil)
		if err != nil {
			continue // the raw cases coapmsg will not encode
		}
		f.Add(b, byte(c.role-1))
	}
}

// FuzzParse decodes arbitrary bytes with coapmsg and parses the message in
// one of the four roles: no panic, no change to the input, typed errors;
// an accepted request builds, decodes and parses back to itself.
func FuzzParse(f *testing.F) {
	fuzzRequestSeeds(f)
	var bd Builder
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		role := Role(1 + sel%4)
		orig := bytes.Clone(b)
		var m coapmsg.Message
		_, derr := m.Decode(b)
		if derr != nil && !errors.Is(derr, coapmsg.ErrBadOption) {
			return
		}
		var r Request
		err := r.Parse(&m, role)
		if !bytes.Equal(b, orig) {
			t.Fatal("Parse modified the input")
		}
		if err != nil {
			checkFuzzErr(t, err, false)
			return
		}
		if r.Kind == 0 || r.Kind.Role() != role {
			t.Fatalf("%v parsed at %v", r.Kind, role)
		}
		if derr != nil {
			return // coapmsg would not encode the bad option back
		}
		out, err := bd.AppendRequest(nil, &r)
		if err != nil {
			t.Fatalf("build %s: %v", show(&r), err)
		}
		msg, err := bd.Request(&r)
		if err != nil || msg.Len() != len(out) {
			t.Fatalf("Request and AppendRequest disagree: %v", err)
		}
		var d coapmsg.Message
		if _, err := d.Decode(out); err != nil {
			t.Fatalf("decode built %x: %v", out, err)
		}
		var back Request
		if err := back.Parse(&d, role); err != nil {
			t.Fatalf("parse built %x: %v\nfrom %s", out, err, show(&r))
		}
		if !equalRequest(&back, &r) {
			t.Fatalf("round trip\ngot  %s\nwant %s", show(&back), show(&r))
		}
		if len(out) > len(b)+8 {
			// Canonical forms are never much longer: the Builder writes
			// minimal options and drops those it does not map; the slack
			// is a Discover's Accept and the "=" of unset attributes it
			// removes.
			t.Fatalf("built %d bytes from %d", len(out), len(b))
		}
	})
}

// FuzzParseResponse parses arbitrary messages as the response to each
// operation: no panic, typed errors; an accepted response builds,
// decodes and parses back to itself.
func FuzzParseResponse(f *testing.F) {
	for _, c := range respCases {
		typ := c.typ
		if typ == 0 {
			typ = coapmsg.Acknowledgement
		}
		m := message(typ, c.code, "", "", c.opts, c.payload)
		if b, err := m.AppendBinary(nil); err == nil {
			f.Add(b, byte(c.kind-1))
		}
	}
	var bd Builder
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		k := Kind(1 + int(sel)%int(numKinds-1))
		var m coapmsg.Message
		if _, err := m.Decode(b); err != nil {
			return
		}
		var r Response
		if err := r.Parse(&m, k); err != nil {
			checkFuzzErr(t, err, true)
			return
		}
		out, err := bd.AppendResponse(nil, &r)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		var d coapmsg.Message
		if _, err := d.Decode(out); err != nil {
			t.Fatal(err)
		}
		var back Response
		if err := back.Parse(&d, k); err != nil || !equalResponse(&back, &r) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
