package link

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// writeRegister builds the Register payload of the lwm2m-register-root
// vector in a different order; shared with the allocation test and the
// benchmark.
func writeRegister(w *Writer, dst []byte) ([]byte, error) {
	w.Reset(dst)
	w.Link("/")
	w.Param("rt", ResourceTypeLwM2M)
	w.Uint("ct", 11543)
	w.PathLink(path.Object(1))
	w.Version("ver", Version{1, 1})
	w.PathLink(path.Instance(1, 0))
	w.PathLink(path.Instance(3, 0))
	w.PathLink(path.Object(5))
	w.Uint("pmin", 10)
	w.Uint("pmax", 60)
	return w.Bytes()
}

const registerWant = `</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>,</5>;pmin=10;pmax=60`

func TestWriterRegister(t *testing.T) {
	var w Writer
	out, err := writeRegister(&w, []byte("x"))
	if err != nil || string(out) != "x"+registerWant || w.Len() != len(registerWant) {
		t.Fatalf("%s %v", out, err)
	}
	got, err := readAll(t, out[1:])
	if err != nil || len(got) != 5 || got[0] != `/;rt="oma.lwm2m";ct=11543` {
		t.Fatalf("%q %v", got, err)
	}
}

func TestWriterValues(t *testing.T) {
	var w Writer
	w.Reset(nil)
	w.Link("</a>"[1:3])
	w.Param("a", "token")
	w.Param("b", "")
	w.Param("c", `say "hi" \ bye`)
	w.Param("d", "two words")
	w.Param("rt", "x")
	w.Param("e", "caf\u00e9")
	w.Param("f", "a,b;c")
	w.ParamBytes("g", []byte("\t"))
	w.Flag("obs")
	w.Param("title*", "UTF-8''%e2%82%ac")
	w.Int("h", -3)
	w.Float("gt", 42.2)
	w.Float("lt", 1e21)
	w.Float("st", -0.000001)
	w.LinkBytes(nil)
	out, err := w.Bytes()
	want := `</a>;a=token;b="";c="say \"hi\" \\ bye";d="two words";rt="x";e="café";f="a,b;c";g="` + "\t" +
		`";obs;title*=UTF-8''%e2%82%ac;h=-3;gt=42.2;lt=1000000000000000000000;st=-0.000001,<>`
	if err != nil || string(out) != want {
		t.Fatalf("\n got %s\nwant %s (%v)", out, want, err)
	}
	// Build -> parse: every value comes back.
	l := firstLink(t, string(out))
	vals := map[string]string{}
	for it := l.Params(); it.Next(); {
		p := it.Param()
		vals[string(p.Name)] = string(p.AppendValue(nil))
	}
	for name, v := range map[string]string{"a": "token", "b": "", "c": `say "hi" \ bye`, "d": "two words", "e": "café", "f": "a,b;c", "g": "\t"} {
		if vals[name] != v {
			t.Errorf("%s: %q, want %q", name, vals[name], v)
		}
	}
}

func TestWriterErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		class error
		field string
		fn    func(w *Writer)
	}{
		{"param-first", ErrMalformed, "parameter", func(w *Writer) { w.Param("a", "b") }},
		{"uint-first", ErrMalformed, "parameter", func(w *Writer) { w.Uint("a", 1) }},
		{"bad-target", ErrMalformed, "target", func(w *Writer) { w.Link("/a b") }},
		{"target-gt", ErrMalformed, "target", func(w *Writer) { w.Link("/a>") }},
		{"bad-name", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Param("a b", "c") }},
		{"empty-name", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Flag("") }},
		{"star-name", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Param("*", "c") }},
		{"star-flag", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Flag("t*") }},
		{"star-uint", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Uint("t*", 1) }},
		{"ext-value", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Param("t*", "not ext") }},
		{"control", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Param("a", "line\n") }},
		{"del", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Param("a", "\x7f") }},
		{"utf8", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Param("a", "\xff") }},
		{"utf8-short", ErrMalformed, "parameter", func(w *Writer) { w.Link("/"); w.Param("a", "\xc3") }},
		{"nan", ErrAttribute, "gt", func(w *Writer) { w.Link("/"); w.Float("gt", math.NaN()) }},
		{"inf", ErrAttribute, "lt", func(w *Writer) { w.Link("/"); w.Float("lt", math.Inf(-1)) }},
		{"ssid", ErrAttribute, "ssid", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrSSID}) }},
		{"pmin", ErrAttribute, "pmin", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrPmin, Pmin: -1}) }},
		{"st", ErrAttribute, "st", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrSt, St: -1}) }},
		{"gt-nan", ErrAttribute, "gt", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrGt, Gt: math.NaN()}) }},
		{"rt", ErrAttribute, "rt", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrRT, RT: []byte("Upper")}) }},
		{"rt-empty", ErrAttribute, "rt", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrRT}) }},
		{"ct", ErrAttribute, "ct", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrCT, CT: []byte("70000")}) }},
		{"uri", ErrAttribute, "uri", func(w *Writer) { w.Link("/"); w.Attrs(&Attrs{Set: AttrURI, URI: []byte("no-scheme")}) }},
		{"uri-long", ErrLimit, "uri", func(w *Writer) {
			w.Link("/")
			w.Attrs(&Attrs{Set: AttrURI, URI: bytes.Repeat([]byte(`\a`), 300)})
		}},
	} {
		var w Writer
		dst := []byte("keep")
		w.Reset(dst)
		c.fn(&w)
		w.Link("/after") // ignored after the error
		out, err := w.Bytes()
		var e *Error
		if !errors.Is(err, c.class) || !errors.As(err, &e) || e.Offset != -1 || e.Field != c.field {
			t.Errorf("%s: %v (want %s)", c.name, err, c.field)
		}
		if string(out) != "keep" || w.Err() != err {
			t.Errorf("%s: returned %q", c.name, out)
		}
	}
}

// TestWriterAttrs checks Attrs -> Writer.Attrs -> Link.Attrs.
func TestWriterAttrs(t *testing.T) {
	in := Attrs{
		Set: AttrVer | AttrLwM2M | AttrDim | AttrSSID | AttrURI | AttrPmin | AttrPmax | AttrGt | AttrLt | AttrSt |
			AttrEpmin | AttrEpmax | AttrEdge | AttrCon | AttrHqmax | AttrRT | AttrIf | AttrCT | AttrSz | AttrRel |
			AttrRev | AttrAnchor,
		Ver: Version{1, 2}, LwM2M: Version{1, 1}, Dim: 8, SSID: 101, URI: []byte("coaps://s.example:5684"),
		Pmin: 10, Pmax: 60, Gt: 50, Lt: -42.25, St: 0.5, Epmin: 1, Epmax: 2, Edge: true, Con: true, Hqmax: 3,
		RT: []byte("oma.lwm2m x.y"), If: []byte("core.s"), CT: []byte("60 112"), Sz: 1 << 40,
		Rel: []byte("describedby"), Rev: []byte(`a\lt`), Anchor: []byte("/x"),
	}
	var w Writer
	w.PathLink(path.Resource(3, 0, 7))
	w.Attrs(&in)
	out, err := w.Bytes()
	want := `</3/0/7>;ver=1.2;lwm2m=1.1;dim=8;ssid=101;uri="coaps://s.example:5684";pmin=10;pmax=60;gt=50;lt=-42.25;` +
		`st=0.5;epmin=1;epmax=2;edge=1;con=1;hqmax=3;rt="oma.lwm2m x.y";if="core.s";ct="60 112";sz=1099511627776;` +
		`rel="describedby";rev="alt";anchor="/x"`
	if err != nil || string(out) != want {
		t.Fatalf("\n got %s\nwant %s (%v)", out, want, err)
	}
	got, err := firstLink(t, string(out)).Attrs()
	if err != nil {
		t.Fatal(err)
	}
	if !attrsEqual(&got, &in) {
		t.Errorf("\n got %+v\nwant %+v", got, in)
	}
}

// attrsEqual compares attributes, byte-slice fields by their unescaped value.
func attrsEqual(a, b *Attrs) bool {
	for _, f := range [][2][]byte{{a.URI, b.URI}, {a.RT, b.RT}, {a.If, b.If}, {a.CT, b.CT}, {a.Rel, b.Rel}, {a.Rev, b.Rev}, {a.Anchor, b.Anchor}} {
		if !bytes.Equal(AppendUnquoted(nil, f[0]), AppendUnquoted(nil, f[1])) {
			return false
		}
	}
	x, y := *a, *b
	x.URI, x.RT, x.If, x.CT, x.Rel, x.Rev, x.Anchor = nil, nil, nil, nil, nil, nil, nil
	y.URI, y.RT, y.If, y.CT, y.Rel, y.Rev, y.Anchor = nil, nil, nil, nil, nil, nil, nil
	return reflect.DeepEqual(x, y)
}

// TestCanonical lists non-canonical payloads and their canonical form.
func TestCanonical(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{`</a>;rt=abc`, `</a>;rt="abc"`},
		{`</a>;uri=coap://h`, `</a>;uri="coap://h"`},
		{`</a>;ct="40"`, `</a>;ct=40`},
		{`</a>;ver="1.1"`, `</a>;ver=1.1`},
		{`</a>;x="a\b"`, `</a>;x=ab`},
		{`</a>;x="\""`, `</a>;x="\""`},
		{`</a>;x=""`, `</a>;x=""`},
		{`</a>;x="<=>"`, `</a>;x=<=>`},
		{`</a>;title="x";title*=UTF-8''x`, `</a>;title="x";title*=UTF-8''x`},
		{"</a>;x=\"caf\xc3\\\xa9\"", "</a>;x=\"caf\xc3\xa9\""},
		{`<>,<>`, `<>,<>`},
	} {
		out, err := AppendCanonical([]byte("p:"), []byte(c.in))
		if err != nil || string(out) != "p:"+c.out {
			t.Errorf("%s: %s %v", c.in, out, err)
			continue
		}
		again, err := AppendCanonical(nil, out[2:])
		if err != nil || !bytes.Equal(again, out[2:]) {
			t.Errorf("%s: not a fixpoint: %s", c.in, again)
		}
		a, _ := readAll(t, []byte(c.in))
		b, _ := readAll(t, out[2:])
		if !equalLinks(a, b) {
			t.Errorf("%s: links differ\n%q\n%q", c.in, a, b)
		}
	}
	if out, err := AppendCanonical([]byte("keep"), []byte(`</a>,`)); err == nil || string(out) != "keep" {
		t.Errorf("error: %s %v", out, err)
	}
}

// equalLinks compares rendered links, ignoring whether a value was quoted.
func equalLinks(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if stripQuotes(a[i]) != stripQuotes(b[i]) {
			return false
		}
	}
	return true
}

func stripQuotes(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(`"`), nil)) }
