package link

import (
	"bytes"
	"errors"
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
)

func readLinks(b []byte) ([]Link, error) {
	var ls []Link
	r := NewReader(b)
	for r.Next() {
		ls = append(ls, r.Link())
	}
	return ls, r.Err()
}

// sameLink reports whether two links have the same target and the same
// parameters, values compared unescaped.
func sameLink(a, b Link) bool {
	if !bytes.Equal(a.Target, b.Target) {
		return false
	}
	pa, pb := a.Params(), b.Params()
	for {
		na, nb := pa.Next(), pb.Next()
		if na != nb {
			return false
		}
		if !na {
			return true
		}
		x, y := pa.Param(), pb.Param()
		if !bytes.Equal(x.Name, y.Name) || x.HasValue != y.HasValue ||
			!bytes.Equal(x.AppendValue(nil), y.AppendValue(nil)) {
			return false
		}
	}
}

func checkErr(t *testing.T, err error, n int, classes ...error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Offset < 0 || e.Offset > n || e.Rule == "" || e.Msg == "" {
		t.Fatalf("bad error %T %v", err, err)
	}
	for _, c := range classes {
		if errors.Is(err, c) {
			return
		}
	}
	t.Fatalf("error of an unexpected class: %v", err)
}

// FuzzParse checks the Reader and the canonical form: no panic, no
// mutation of the input, errors are *Error with an offset inside the
// payload, and for a payload that parses: AppendCanonical succeeds, its
// output parses to the same links (targets, names, unescaped values), is a
// fixpoint of AppendCanonical, and gives the same attributes; attributes
// written with Writer.Attrs parse back to themselves.
func FuzzParse(f *testing.F) {
	for _, v := range vectors {
		f.Add([]byte(v.in))
	}
	for _, c := range errVectors {
		f.Add([]byte(c.in))
	}
	for _, s := range []string{
		`</a>;rt=abc;ct="40";x="a\b";y="\"\\"`,
		`</a>;pmin="1\0";rt="oma\.lwm2m";ct="\4\0 60";gt=-1.5;st=0;edge=0`,
		`<coap://[v1.x]:5683/a?b#c>;anchor="../x";rev="a b";sz=0`,
		"</a>;t=\"caf\xc3\\\xa9\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		links, err := readLinks(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("Reader modified its input")
		}
		out, cerr := AppendCanonical(nil, b)
		if err != nil {
			checkErr(t, err, len(b), ErrMalformed, ErrTruncated)
			if cerr == nil {
				t.Fatal("AppendCanonical accepted a payload the Reader rejects")
			}
			return
		}
		if cerr != nil {
			t.Fatalf("cannot canonicalize %q: %v", b, cerr)
		}
		again, err := readLinks(out)
		if err != nil {
			t.Fatalf("canonical form %q does not parse: %v", out, err)
		}
		if len(again) != len(links) {
			t.Fatalf("%d links, canonical %d", len(links), len(again))
		}
		if out2, err := AppendCanonical(nil, out); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n%q\n%q", out, out2)
		}
		for i, l := range links {
			if !sameLink(l, again[i]) {
				t.Fatalf("link %d differs:\n%q\n%q", i, b, out)
			}
			if _, err := l.Path(); err != nil {
				var pe *path.Error
				if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(b) {
					if !errors.Is(err, ErrMalformed) {
						t.Fatalf("bad path error %v", err)
					}
				}
			}
			a1, e1 := l.Attrs()
			a2, e2 := again[i].Attrs()
			if e1 != nil {
				checkErr(t, e1, len(b), ErrAttribute, ErrLimit)
				if e2 == nil && !errors.Is(e1, ErrLimit) {
					t.Fatalf("attributes rejected (%v) but accepted in canonical form %q", e1, out)
				}
				continue
			}
			if e2 != nil {
				t.Fatalf("attributes accepted but rejected in canonical form %q: %v", out, e2)
			}
			if !attrsEqual(&a1, &a2) {
				t.Fatalf("attributes differ in canonical form:\n%+v\n%+v", a1, a2)
			}
			for it := a1.ContentFormats(); it.Next(); {
			}
			var w Writer
			w.LinkBytes(l.Target)
			w.Attrs(&a1)
			wb, err := w.Bytes()
			if err != nil {
				t.Fatalf("Writer.Attrs(%+v): %v", a1, err)
			}
			if len(wb) != w.Len() {
				t.Fatal("Len")
			}
			a3, err := firstLink(t, string(wb)).Attrs()
			if err != nil || !attrsEqual(&a1, &a3) {
				t.Fatalf("Writer.Attrs round trip %q: %v\n%+v\n%+v", wb, err, a1, a3)
			}
		}
	})
}

// FuzzWriter checks that any value written with Param parses back to
// itself, and that a value the Writer refuses is not UTF-8 or holds a
// control character.
func FuzzWriter(f *testing.F) {
	for _, s := range []string{"", "token", `a "b" \ c`, "two words", "caf\u00e9", "a,b;c", "\t", "\n", "\xff"} {
		f.Add("x", s)
	}
	f.Add("title*", "UTF-8''%e2%82%ac")
	f.Fuzz(func(t *testing.T, name, value string) {
		var w Writer
		w.Link("/a")
		w.Param(name, value)
		out, err := w.Bytes()
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset != -1 || len(out) != 0 {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		l := firstLink(t, string(out))
		p, ok := l.Param(name)
		if !ok || !p.HasValue || string(p.AppendValue(nil)) != value {
			t.Fatalf("%q=%q wrote %q", name, value, out)
		}
		if again, err := AppendCanonical(nil, out); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Writer output %q is not canonical: %q", out, again)
		}
	})
}
