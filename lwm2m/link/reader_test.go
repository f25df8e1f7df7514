package link

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// vector is a spec payload and the links it holds. Each link is rendered by
// render: the target, then ";name" for a parameter without a value,
// ";name=v" for a token and `;name="v"` for a quoted-string, v unescaped.
// All vectors are canonical: AppendCanonical returns them unchanged.
type vector struct {
	name  string // benchstat sub-name
	prov  string // where the payload comes from
	in    string
	links []string
}

var vectors = []vector{
	{
		name: "rfc6690-if",
		prov: "RFC 6690 section 5, GET /.well-known/core (line breaks of the RFC removed)",
		in:   `</sensors/temp>;if="sensor",</sensors/light>;if="sensor"`,
		links: []string{
			`/sensors/temp;if="sensor"`,
			`/sensors/light;if="sensor"`,
		},
	},
	{
		name: "rfc6690-rt",
		prov: "RFC 6690 section 5, GET /sensors",
		in:   `</sensors/temp>;rt="temperature-c";if="sensor",</sensors/light>;rt="light-lux";if="sensor"`,
		links: []string{
			`/sensors/temp;rt="temperature-c";if="sensor"`,
			`/sensors/light;rt="light-lux";if="sensor"`,
		},
	},
	{
		name: "rfc6690-anchor",
		prov: "RFC 6690 section 5, links with anchor and rel to an absolute URI",
		in: `</sensors>;ct=40;title="Sensor Index",` +
			`</sensors/temp>;rt="temperature-c";if="sensor",` +
			`</sensors/light>;rt="light-lux";if="sensor",` +
			`<http://www.example.com/sensors/t123>;anchor="/sensors/temp";rel="describedby",` +
			`</t>;anchor="/sensors/temp";rel="alternate"`,
		links: []string{
			`/sensors;ct=40;title="Sensor Index"`,
			`/sensors/temp;rt="temperature-c";if="sensor"`,
			`/sensors/light;rt="light-lux";if="sensor"`,
			`http://www.example.com/sensors/t123;anchor="/sensors/temp";rel="describedby"`,
			`/t;anchor="/sensors/temp";rel="alternate"`,
		},
	},
	{
		name:  "rfc6690-sz",
		prov:  "RFC 6690 section 5, firmware resource with a size estimate",
		in:    `</firmware/v2.1>;rt="firmware";sz=262144`,
		links: []string{`/firmware/v2.1;rt="firmware";sz=262144`},
	},
	{
		name: "lwm2m-register-root",
		prov: "LwM2M Core 6.2.1 Register payload with the root link, as the brief gives it",
		in:   `</1/0>;ver=1.1,</3/0>,<>;rt="oma.lwm2m";ct=11542,</5>;pmin=10;pmax=60`,
		links: []string{
			`/1/0;ver=1.1`,
			`/3/0`,
			`;rt="oma.lwm2m";ct=11542`,
			`/5;pmin=10;pmax=60`,
		},
	},
	{
		name: "lwm2m-register-wakaama",
		prov: "LwM2M 1.1 Register payload of Eclipse Wakaama's lwm2mclient (capture in its log)",
		in:   `</>;rt="oma.lwm2m";ct=110,</1>;ver=1.1,</1/0>,</2/0>,</3/0>,</4/0>,</5/0>,</6/0>,</7/0>,</31024>;ver=1.0,</31024/10>,</31024/11>,</31024/12>`,
		links: []string{
			`/;rt="oma.lwm2m";ct=110`, `/1;ver=1.1`, `/1/0`, `/2/0`, `/3/0`, `/4/0`, `/5/0`, `/6/0`, `/7/0`,
			`/31024;ver=1.0`, `/31024/10`, `/31024/11`, `/31024/12`,
		},
	},
	{
		name: "lwm2m-register-altpath",
		prov: "LwM2M Core 1.0 5.3.1 Register example with the alternate path /lwm2m (the spec shows ', ' between links; the spaces are removed here, see errVectors)",
		in:   `</lwm2m>;rt="oma.lwm2m",</lwm2m/1/101>,</lwm2m/1/102>,</lwm2m/2/0>,</lwm2m/2/1>,</lwm2m/2/2>,</lwm2m/3/0>,</lwm2m/4/0>,</lwm2m/5>`,
		links: []string{
			`/lwm2m;rt="oma.lwm2m"`, `/lwm2m/1/101`, `/lwm2m/1/102`, `/lwm2m/2/0`, `/lwm2m/2/1`, `/lwm2m/2/2`,
			`/lwm2m/3/0`, `/lwm2m/4/0`, `/lwm2m/5`,
		},
	},
	{
		name: "lwm2m-discover-instance",
		prov: "LwM2M Core Discover example on Object Instance /3/0 (6.3; 5.4.2 in 1.0)",
		in:   `</3/0>;pmax=60,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,</3/0/6>;dim=8,</3/0/7>;dim=8;gt=50;lt=42.2,</3/0/8>;dim=8,</3/0/11>,</3/0/16>`,
		links: []string{
			`/3/0;pmax=60`, `/3/0/1`, `/3/0/2`, `/3/0/3`, `/3/0/4`, `/3/0/6;dim=8`,
			`/3/0/7;dim=8;gt=50;lt=42.2`, `/3/0/8;dim=8`, `/3/0/11`, `/3/0/16`,
		},
	},
	{
		name:  "lwm2m-discover-resource",
		prov:  "LwM2M Core Discover example on Resource /3/0/7",
		in:    `</3/0/7>;dim=8;pmin=10;pmax=60;gt=50;lt=42.2`,
		links: []string{`/3/0/7;dim=8;pmin=10;pmax=60;gt=50;lt=42.2`},
	},
	{
		name: "lwm2m-bootstrap-discover",
		prov: "LwM2M Core 1.1 Bootstrap-Discover example (6.1.7.3; as in AVSystem Anjay's tests)",
		in:   `</>;lwm2m=1.1,</0/0>;ssid=101;uri="coaps://server_1.example.com",</0/1>,</0/2>;ssid=102;uri="coaps://server_2.example.com"`,
		links: []string{
			`/;lwm2m=1.1`,
			`/0/0;ssid=101;uri="coaps://server_1.example.com"`,
			`/0/1`,
			`/0/2;ssid=102;uri="coaps://server_2.example.com"`,
		},
	},
	{
		name: "rfc8187-ext-value",
		prov: "RFC 8187 section 3.2.2 example value (title*), an escaped quote, a flag (RFC 7641 obs)",
		in:   `</a>;title*=UTF-8'en'%c2%a3%20rates;x="a \"b\" \\ c";obs,<>`,
		links: []string{
			`/a;title*=UTF-8'en'%c2%a3%20rates;x="a "b" \ c";obs`,
			``,
		},
	},
	{
		name:  "empty",
		prov:  "RFC 6690 section 2: link-value-list is optional",
		in:    ``,
		links: nil,
	},
}

func render(l Link) string {
	var b []byte
	b = append(b, l.Target...)
	for it := l.Params(); it.Next(); {
		p := it.Param()
		b = append(append(b, ';'), p.Name...)
		if !p.HasValue {
			continue
		}
		b = append(b, '=')
		if p.Quoted {
			b = append(b, '"')
		}
		b = p.AppendValue(b)
		if p.Quoted {
			b = append(b, '"')
		}
	}
	return string(b)
}

func readAll(tb testing.TB, in []byte) ([]string, error) {
	tb.Helper()
	var out []string
	r := NewReader(in)
	for r.Next() {
		out = append(out, render(r.Link()))
	}
	return out, r.Err()
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			in := []byte(v.in)
			orig := bytes.Clone(in)
			got, err := readAll(t, in)
			if err != nil {
				t.Fatalf("%s: %v", v.prov, err)
			}
			if !slices.Equal(got, v.links) {
				t.Fatalf("%s:\n got %q\nwant %q", v.prov, got, v.links)
			}
			if !bytes.Equal(in, orig) {
				t.Fatal("Reader modified its input")
			}
			out, err := AppendCanonical(nil, in)
			if err != nil || string(out) != v.in {
				t.Fatalf("not canonical:\n in %s\nout %s (%v)", v.in, out, err)
			}
		})
	}
}

func TestReaderOffsets(t *testing.T) {
	in := []byte(`</1/0>;ver=1.1,</3/0>,<>;rt="oma.lwm2m";ct=11542`)
	r := NewReader(in)
	var offs, ends []int
	for r.Next() {
		l := r.Link()
		offs = append(offs, l.Offset)
		ends = append(ends, r.Offset())
		if in[l.Offset] != '<' || !bytes.Equal(in[l.Offset+1:l.Offset+1+len(l.Target)], l.Target) {
			t.Errorf("link offset %d", l.Offset)
		}
		if cap(l.Target) != len(l.Target) {
			t.Error("target capacity not clipped")
		}
		for it := l.Params(); it.Next(); {
			p := it.Param()
			if !bytes.Equal(in[p.Offset:p.Offset+len(p.Name)], p.Name) {
				t.Errorf("param %s offset %d", p.Name, p.Offset)
			}
			if vo := p.valueOffset(); !bytes.Equal(in[vo:vo+len(p.Value)], p.Value) {
				t.Errorf("param %s value offset %d", p.Name, vo)
			}
		}
	}
	if !slices.Equal(offs, []int{0, 15, 22}) || !slices.Equal(ends, []int{14, 21, len(in)}) {
		t.Errorf("offsets %v ends %v", offs, ends)
	}
	if r.Next() || r.Err() != nil {
		t.Error("Next after the end")
	}
}

func TestParamLookup(t *testing.T) {
	r := NewReader([]byte(`</a>;obs;x=1;x="2";y=""`))
	if !r.Next() {
		t.Fatal(r.Err())
	}
	l := r.Link()
	if p, ok := l.Param("x"); !ok || string(p.Value) != "1" || p.Quoted {
		t.Errorf("x: %+v", p)
	}
	if p, ok := l.Param("obs"); !ok || p.HasValue {
		t.Errorf("obs: %+v", p)
	}
	if p, ok := l.Param("y"); !ok || !p.HasValue || !p.Quoted || len(p.Value) != 0 {
		t.Errorf("y: %+v", p)
	}
	if _, ok := l.Param("z"); ok {
		t.Error("z found")
	}
	var zero Link
	if it := zero.Params(); it.Next() {
		t.Error("zero Link has parameters")
	}
}

func TestAppendUnquoted(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{``, ``},
		{`abc`, `abc`},
		{`a\"b`, `a"b`},
		{`\\`, `\`},
		{`\a\b\c`, `abc`},
		{`a\`, `a\`},
		{`\\\"`, `\"`},
	} {
		if got := string(AppendUnquoted([]byte("x"), []byte(c.in))); got != "x"+c.out {
			t.Errorf("%q: %q", c.in, got)
		}
	}
}

func TestQuotedUTF8(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"</a>;t=\"caf\xc3\xa9\"", true},
		{"</a>;t=\"\xe2\x82\xac 5\"", true},
		{"</a>;t=\"caf\xc3\\\xa9\"", true}, // the escape stands for a byte of the same sequence
		{"</a>;t=\"\xc3\"", false},
		{"</a>;t=\"\xc3a\"", false},
		{"</a>;t=\"\x80\"", false},
		{"</a>;t=\"\xed\xa0\x80\"", false}, // a surrogate
		{"</a>;t=\"\xff\"", false},
	} {
		_, err := readAll(t, []byte(c.in))
		if (err == nil) != c.ok {
			t.Errorf("%q: %v", c.in, err)
		}
	}
}

// errVectors are malformed payloads with the offset and class of the error.
var errVectors = []struct {
	in     string
	class  error
	field  string
	offset int
}{
	{`,</a>`, ErrMalformed, "link", 0},
	{`</a>,`, ErrTruncated, "link", 5},
	{`</a>,,</b>`, ErrMalformed, "link", 5},
	{` </a>`, ErrMalformed, "link", 0},
	{`</a> `, ErrMalformed, "link", 4},
	{"</a>\n,</b>", ErrMalformed, "link", 4},
	{`</a>, </b>`, ErrMalformed, "link", 5},
	{`</lwm2m>;rt="oma.lwm2m", </lwm2m/1/101>`, ErrMalformed, "link", 24}, // LwM2M 1.0 5.3.1 as printed
	{`</a>;rt="x" ,</b>`, ErrMalformed, "link", 11},
	{`a`, ErrMalformed, "link", 0},
	{`</a>x`, ErrMalformed, "link", 4},
	{`</a`, ErrTruncated, "target", 0},
	{`<`, ErrTruncated, "target", 0},
	{`</a b>`, ErrMalformed, "target", 3},
	{`</a b`, ErrMalformed, "target", 3},
	{`<"a">`, ErrMalformed, "target", 1},
	{`<%zz>`, ErrMalformed, "target", 1},
	{`</a%4>`, ErrMalformed, "target", 3},
	{`<1a:b>`, ErrMalformed, "target", 3},
	{`</a[b]>`, ErrMalformed, "target", 3},
	{`</a#b#c>`, ErrMalformed, "target", 5},
	{`</a?[>`, ErrMalformed, "target", 4},
	{`<coap://[::1>`, ErrMalformed, "target", 8},
	{`<coap://[::1]x>`, ErrMalformed, "target", 13},
	{`<coap://[zz]>`, ErrMalformed, "target", 9},
	{`<coap://[1.2.3.4]>`, ErrMalformed, "target", 9},
	{`<coap://[v1]>`, ErrMalformed, "target", 11},
	{`<coap://h:8x>`, ErrMalformed, "target", 11},
	{`<coap://[fe80::1%25eth0]>`, ErrMalformed, "target", 16}, // RFC 6874 zone IDs are not RFC 3986
	{`<coap://a@b@c>`, ErrMalformed, "target", 11},
	{`<coap://u[@h>`, ErrMalformed, "target", 9},
	{`</a>;`, ErrTruncated, "parameter", 5},
	{`</a>;;b`, ErrMalformed, "parameter", 5},
	{`</a>; b`, ErrMalformed, "parameter", 5},
	{`</a>;=b`, ErrMalformed, "parameter", 5},
	{`</a>;b=`, ErrTruncated, "parameter", 7},
	{`</a>;b=;c`, ErrMalformed, "parameter", 7},
	{`</a>;b=,</c>`, ErrMalformed, "parameter", 7},
	{`</a>;b= c`, ErrMalformed, "parameter", 7},
	{`</a>;b c`, ErrMalformed, "link", 6},
	{`</a>;b"`, ErrMalformed, "link", 6},
	{`</a>;b=c"d"`, ErrMalformed, "link", 8},
	{`</a>;b="c"d`, ErrMalformed, "link", 10},
	{`</a>;b=c,`, ErrTruncated, "link", 9},
	{`</a>;b="c`, ErrTruncated, "quoted-string", 7},
	{`</a>;b="c\`, ErrTruncated, "quoted-string", 7},
	{"</a>;b=\"c\x01\"", ErrMalformed, "quoted-string", 9},
	{"</a>;b=\"c\r\n d\"", ErrMalformed, "quoted-string", 9},
	{"</a>;b=\"\\\n\"", ErrMalformed, "quoted-string", 9},
	{"</a>;b=\"\x7f\"", ErrMalformed, "quoted-string", 8},
	{"</a>;b=\"x\xff\"", ErrMalformed, "quoted-string", 9},
	{"</a>;b=\"\xc3\"", ErrMalformed, "quoted-string", 8},
	{`</a>;b*`, ErrTruncated, "parameter", 7},
	{`</a>;b*;c`, ErrMalformed, "parameter", 7},
	{`</a>;b*="x"`, ErrMalformed, "parameter", 8},
	{`</a>;b*=abc`, ErrMalformed, "parameter", 11},
	{`</a>;b*='en'x`, ErrMalformed, "parameter", 8},
	{`</a>;b*=UTF-8'en`, ErrMalformed, "parameter", 16},
	{`</a>;b*=UTF-8'e-'x`, ErrMalformed, "parameter", 15},
	{`</a>;b*=UTF-8'1en'x`, ErrMalformed, "parameter", 14},
	{`</a>;b*=UTF-8'abcdefghi'x`, ErrMalformed, "parameter", 22},
	{`</a>;b*=UTF-8''%g0`, ErrMalformed, "parameter", 15},
	{`</a>;b*=UTF-8''a'b`, ErrMalformed, "parameter", 16},
	{`</a>;b**=x`, ErrMalformed, "parameter", 7},
}

func TestErrors(t *testing.T) {
	for _, c := range errVectors {
		_, err := readAll(t, []byte(c.in))
		var e *Error
		if !errors.Is(err, c.class) || !errors.As(err, &e) || e.Offset != c.offset || e.Field != c.field {
			t.Errorf("%q: %v (want %s at %d, %v)", c.in, err, c.field, c.offset, c.class)
			continue
		}
		if e.Rule == "" || e.Msg == "" {
			t.Errorf("%q: no rule or message", c.in)
		}
		if _, err := AppendCanonical(nil, []byte(c.in)); err == nil {
			t.Errorf("%q: AppendCanonical accepted it", c.in)
		}
	}
	if !errors.Is(ErrTruncated, io.ErrUnexpectedEOF) {
		t.Error("ErrTruncated does not wrap io.ErrUnexpectedEOF")
	}
}

func TestErrorString(t *testing.T) {
	_, err := readAll(t, []byte(`</a>, </b>`))
	if got := err.Error(); got != "link: link at offset 5: whitespace outside a quoted-string [RFC 6690 2]" {
		t.Error(got)
	}
	var w Writer
	w.Param("a", "b")
	if _, err := w.Bytes(); err == nil || err.Error() != "link: encode parameter: parameter before the first link [RFC 6690 2]" {
		t.Error(err)
	}
}

// TestValidURIs checks targets RFC 3986 accepts, including the examples of
// its section 1.1.2 and the reference resolution examples of section 5.4.
func TestValidURIs(t *testing.T) {
	for _, u := range []string{
		"", "/", "/3/0/1", "a", "./a:b", "../g", "?y", "#s", "g;x?y#s", "//g", ";x",
		"ftp://ftp.is.co.za/rfc/rfc1808.txt",
		"http://www.ietf.org/rfc/rfc2396.txt",
		"ldap://[2001:db8::7]/c=GB?objectClass?one",
		"mailto:John.Doe@example.com",
		"news:comp.infosystems.www.servers.unix",
		"tel:+1-816-555-1212",
		"telnet://192.0.2.16:80/",
		"urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
		"coaps://[fe80::1]:5684/rd?ep=node&lt=60",
		"coap://[v7.a:b]/", "coap://user:pw@h:/p", "coap://h:5683",
	} {
		if off, msg := checkURI(u, false); off >= 0 {
			t.Errorf("%q: %d %s", u, off, msg)
		}
		if _, err := readAll(t, []byte("<"+u+">")); err != nil {
			t.Errorf("%q: %v", u, err)
		}
	}
}

func TestPath(t *testing.T) {
	in := []byte(`</lwm2m>;rt="oma.lwm2m",</lwm2m/3/0>,</lwm2m3/0>,</3/0/6/1>,<>,</>,</a>,</lwm2m/3/65535>`)
	var got []string
	var errs []string
	r := NewReader(in)
	for r.Next() {
		l := r.Link()
		p, err := l.PathUnder([]byte("/lwm2m/"))
		if err != nil {
			errs = append(errs, err.Error())
		} else {
			got = append(got, p.String())
		}
		if q, err := l.Path(); err == nil && q.Level() == path.ResourceInstanceLevel && q != path.ResourceInstance(3, 0, 6, 1) {
			t.Error("Path", q)
		}
	}
	if !slices.Equal(got, []string{"/", "/3/0"}) {
		t.Errorf("paths %q", got)
	}
	want := []string{
		"link: target at offset 38: target is not below the LwM2M root path [LwM2M Core 6.2.1]",
		"link: target at offset 50: target is not below the LwM2M root path [LwM2M Core 6.2.1]",
		"link: target at offset 61: target is not below the LwM2M root path [LwM2M Core 6.2.1]",
		"link: target at offset 64: target is not below the LwM2M root path [LwM2M Core 6.2.1]",
		"link: target at offset 68: target is not below the LwM2M root path [LwM2M Core 6.2.1]",
		"path: at offset 82: identifier above 65534 (MAX_ID 65535 is reserved) [LwM2M Core 7.1]",
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors\n%s", strings.Join(errs, "\n"))
	}
	r = NewReader([]byte(`</a>,</3/x>`))
	r.Next()
	r.Next()
	_, err := r.Link().Path()
	var pe *path.Error
	if !errors.As(err, &pe) || pe.Offset != 9 || !errors.Is(err, path.ErrMalformed) {
		t.Errorf("path error %v", err)
	}
}
