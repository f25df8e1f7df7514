package link_test

import (
	"errors"
	"fmt"

	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Walk the links of a Register payload and their parameters.
func ExampleReader() {
	payload := []byte(`</1/0>;ver=1.1,</3/0>,<>;rt="oma.lwm2m";ct=11542,</5>;pmin=10;pmax=60`)
	r := link.NewReader(payload)
	for r.Next() {
		l := r.Link()
		p, err := l.Path()
		fmt.Printf("<%s> path %v (%v)\n", l.Target, p, err)
		for it := l.Params(); it.Next(); {
			p := it.Param()
			fmt.Printf("  %s=%s quoted=%v\n", p.Name, p.Value, p.Quoted)
		}
	}
	if err := r.Err(); err != nil {
		panic(err)
	}
	// Output:
	// </1/0> path /1/0 (<nil>)
	//   ver=1.1 quoted=false
	// </3/0> path /3/0 (<nil>)
	// <> path / (<nil>)
	//   rt=oma.lwm2m quoted=true
	//   ct=11542 quoted=false
	// </5> path /5 (<nil>)
	//   pmin=10 quoted=false
	//   pmax=60 quoted=false
}

// Read the typed attributes of a Discover response.
func ExampleLink_Attrs() {
	payload := []byte(`</3/0>;pmax=60,</3/0/1>,</3/0/7>;dim=8;gt=50;lt=42.2`)
	r := link.NewReader(payload)
	for r.Next() {
		a, err := r.Link().Attrs()
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %v", r.Link().Target, a.Set)
		if a.Has(link.AttrPmax) {
			fmt.Printf(" pmax=%ds", a.Pmax)
		}
		if a.Has(link.AttrDim | link.AttrGt | link.AttrLt) {
			fmt.Printf(" dim=%d notify above %g or below %g", a.Dim, a.Gt, a.Lt)
		}
		fmt.Println()
	}
	r = link.NewReader([]byte(`</0/0>;ssid=0`))
	r.Next()
	_, err := r.Link().Attrs()
	fmt.Println(err, errors.Is(err, link.ErrAttribute))
	// Output:
	// /3/0: pmax pmax=60s
	// /3/0/1: 0
	// /3/0/7: dim|gt|lt dim=8 notify above 50 or below 42.2
	// link: ssid at offset 12: value outside [1:65534] [LwM2M Core 5.1.2] true
}

// An LwM2M 1.0 client announces an alternate path with rt="oma.lwm2m";
// its object links are below it.
func ExampleLink_PathUnder() {
	r := link.NewReader([]byte(`</lwm2m>;rt="oma.lwm2m";ct=11543,</lwm2m/1/101>,</lwm2m/3/0>`))
	var root []byte
	for r.Next() {
		l := r.Link()
		a, err := l.Attrs()
		if err != nil {
			panic(err)
		}
		if a.HasResourceType(link.ResourceTypeLwM2M) {
			root = l.Target
			ct, _ := a.ContentFormat()
			fmt.Printf("root %s, content format %d\n", root, ct)
			continue
		}
		p, err := l.PathUnder(root)
		fmt.Println(p, err)
	}
	// Output:
	// root /lwm2m, content format 11543
	// /1/101 <nil>
	// /3/0 <nil>
}

// Build a Register payload and a Discover response.
func ExampleWriter() {
	var w link.Writer
	w.Reset(make([]byte, 0, 128))
	w.Link("/")
	w.Param("rt", link.ResourceTypeLwM2M)
	w.Param("ct", "60 110 11542")
	w.PathLink(path.Object(1))
	w.Version("ver", link.Version{Major: 1, Minor: 2})
	w.PathLink(path.Instance(1, 0))
	w.PathLink(path.Instance(3, 0))
	out, err := w.Bytes()
	fmt.Println(string(out), err)

	w.Reset(out[:0])
	w.PathLink(path.Resource(3, 0, 7))
	w.Attrs(&link.Attrs{Set: link.AttrDim | link.AttrPmin | link.AttrGt, Dim: 8, Pmin: 10, Gt: 50.5})
	out, err = w.Bytes()
	fmt.Println(string(out), err)

	w.Reset(out[:0])
	w.Link("/a b")
	out, err = w.Bytes()
	fmt.Printf("%q %v\n", out, err)
	// Output:
	// </>;rt="oma.lwm2m";ct="60 110 11542",</1>;ver=1.2,</1/0>,</3/0> <nil>
	// </3/0/7>;dim=8;pmin=10;gt=50.5 <nil>
	// "" link: encode target: character not allowed in a URI [RFC 3986 4.1]
}

// Values alias the payload and keep their quoted-pair escapes;
// AppendUnquoted copies a value out, unescaped.
func ExampleAppendUnquoted() {
	payload := []byte(`</a>;title="say \"hi\""`)
	r := link.NewReader(payload)
	r.Next()
	p, _ := r.Link().Param("title")
	fmt.Printf("raw %s\n", p.Value)
	title := link.AppendUnquoted(nil, p.Value) // a copy: safe after payload is reused
	clear(payload)
	fmt.Printf("copy %s\n", title)
	// Output:
	// raw say \"hi\"
	// copy say "hi"
}

// AppendCanonical drops needless quotes and escapes, and quotes the
// parameters that are always quoted.
func ExampleAppendCanonical() {
	out, err := link.AppendCanonical(nil, []byte(`</>;rt=oma.lwm2m;ct="11543",</1>;ver="1.1";x="a\b"`))
	fmt.Println(string(out), err)
	_, err = link.AppendCanonical(nil, []byte(`</1/0>, </3/0>`))
	fmt.Println(err)
	// Output:
	// </>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1;x=ab <nil>
	// link: link at offset 7: whitespace outside a quoted-string [RFC 6690 2]
}

// Errors give the rule, the offset and the class; ErrTruncated marks a
// payload that stops inside a link.
func ExampleError() {
	for _, s := range []string{`</3/0>;pmin=10;`, `</3/0>;rt="x`, `</3/0>;pmin=10,,</3/1>`} {
		r := link.NewReader([]byte(s))
		for r.Next() {
		}
		var e *link.Error
		if errors.As(r.Err(), &e) {
			fmt.Printf("%v (offset %d, truncated %v)\n", e, e.Offset, errors.Is(e, link.ErrTruncated))
		}
	}
	// Output:
	// link: parameter at offset 15: payload ends after ';' [RFC 6690 2] (offset 15, truncated true)
	// link: quoted-string at offset 10: payload ends inside a quoted-string [RFC 7230 3.2.6] (offset 10, truncated true)
	// link: link at offset 15: empty link-value [RFC 6690 2] (offset 15, truncated false)
}
