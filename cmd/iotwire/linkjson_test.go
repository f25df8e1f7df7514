package main

import (
	"encoding/hex"
	"testing"
)

// linkVector is one canonical link-format payload and its JSON line. The
// payloads are given as text (the command reads them as hex, one per line)
// and follow RFC 6690 section 2:
// "<" URI-Reference ">" *( ";" link-param ), link-values separated by ','.
type linkVector struct {
	name    string
	payload string
	json    string
}

var linkVectors = []linkVector{
	// LwM2M Core 1.1 6.2.1: a Register payload, as in testdata/coap-lwm2m.hex.
	{"register",
		`</>;rt="oma.lwm2m";ct=11542,</1/0>,</3/0>,</4/0>,</5>`,
		`{"links":[{"target":"/","params":{"rt":"oma.lwm2m","ct":"11542"}},{"target":"/1/0","params":{}},{"target":"/3/0","params":{}},{"target":"/4/0","params":{}},{"target":"/5","params":{}}]}`},
	// LwM2M Core 1.1 5.4.2: a Discover response with attributes.
	{"discover",
		`</3/0>;pmin=10;pmax=60,</3/0/7>;dim=2;gt=50;lt=42.2;st=0.5`,
		`{"links":[{"target":"/3/0","params":{"pmin":"10","pmax":"60"}},{"target":"/3/0/7","params":{"dim":"2","gt":"50","lt":"42.2","st":"0.5"}}]}`},
	// RFC 6690 section 5, the last example: anchors, rel, a full URI.
	{"rfc6690-5",
		`</sensors>;ct=40;title="Sensor Index",</sensors/temp>;rt="temperature-c";if="sensor",<http://www.example.com/sensors/t123>;anchor="/sensors/temp";rel="describedby"`,
		`{"links":[{"target":"/sensors","params":{"ct":"40","title":"Sensor Index"}},{"target":"/sensors/temp","params":{"rt":"temperature-c","if":"sensor"}},{"target":"http://www.example.com/sensors/t123","params":{"anchor":"/sensors/temp","rel":"describedby"}}]}`},
	// Parameters keep their wire order, which is not alphabetical.
	{"wire-order", `</1>;pmax=60;pmin=10;ct=40`,
		`{"links":[{"target":"/1","params":{"pmax":"60","pmin":"10","ct":"40"}}]}`},
	// A parameter without a value is null; an empty value is "".
	{"flag-and-empty", `</3/0/9>;obs;title=""`,
		`{"links":[{"target":"/3/0/9","params":{"obs":null,"title":""}}]}`},
	// quoted-pair escapes are removed in JSON and written back for '"' and '\'.
	{"escapes", `</5>;title="a \"b\" \\c"`,
		`{"links":[{"target":"/5","params":{"title":"a \"b\" \\c"}}]}`},
	// UTF-8 in a quoted-string, a tab (qdtext, RFC 7230 3.2.6), a list of Content-Formats.
	{"utf8-tab-ct-list", "</t>;u=\"°C\";x=\"a\tb\";ct=\"60 110\"",
		`{"links":[{"target":"/t","params":{"u":"°C","x":"a\tb","ct":"60 110"}}]}`},
	// An ext-value (RFC 8187) is given as written, percent-encoding and all.
	{"ext-value", `</d>;title*=UTF-8'de'n%c3%a4chstes`,
		`{"links":[{"target":"/d","params":{"title*":"UTF-8'de'n%c3%a4chstes"}}]}`},
	// "<>" is a URI-Reference; so is a relative one with a query.
	{"empty-and-query-targets", `<>,</rd?ep=a>`,
		`{"links":[{"target":"","params":{}},{"target":"/rd?ep=a","params":{}}]}`},
	// LwM2M Core 1.1 5.2.7.1: a Bootstrap-Discover response; uri is always quoted.
	{"bootstrap-discover", `</>;lwm2m=1.1,</0/0>;ssid=101;uri="coaps://server_1.example.com",</1/0>;ssid=101`,
		`{"links":[{"target":"/","params":{"lwm2m":"1.1"}},{"target":"/0/0","params":{"ssid":"101","uri":"coaps://server_1.example.com"}},{"target":"/1/0","params":{"ssid":"101"}}]}`},
}

func textHex(s string) string { return hex.EncodeToString([]byte(s)) }

func TestLinkVectors(t *testing.T) {
	for _, v := range linkVectors {
		t.Run(v.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, textHex(v.payload)+"\n", "decode", "--proto", "link")
			if code != 0 || errOut != "" || out != v.json+"\n" {
				t.Errorf("decode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, out, v.json)
			}
			out, errOut, code = runCmd(t, v.json+"\n", "encode", "--proto", "link", "--out", "raw")
			if code != 0 || errOut != "" || out != v.payload {
				t.Errorf("encode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, out, v.payload)
			}
		})
	}
}

// TestLinkCanonical decodes payloads that are not in the canonical form
// and checks that encode writes the canonical one.
func TestLinkCanonical(t *testing.T) {
	tests := []struct{ name, in, json, canonical string }{
		{"token value quoted, quoted value that is a token",
			`</3/0>;ver="1.1";rt=oma.lwm2m;ct="40"`,
			`{"links":[{"target":"/3/0","params":{"ver":"1.1","rt":"oma.lwm2m","ct":"40"}}]}`,
			`</3/0>;ver=1.1;rt="oma.lwm2m";ct=40`},
		{"needless escape", `</1>;title="a\bc";x="\y"`,
			`{"links":[{"target":"/1","params":{"title":"abc","x":"y"}}]}`,
			`</1>;title="abc";x=y`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.in, "decode", "--proto", "link", "--in", "raw")
			if code != 0 || out != tt.json+"\n" {
				t.Errorf("decode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, out, tt.json)
			}
			out, errOut, code = runCmd(t, tt.json, "encode", "--proto", "link", "--out", "raw")
			if code != 0 || out != tt.canonical {
				t.Errorf("encode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, out, tt.canonical)
			}
		})
	}
}

func TestLinkUnits(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"raw: the whole input, an empty payload has no links", []string{"decode", "--proto", "link", "--in", "raw"},
			"", `{"links":[]}` + "\n"},
		{"raw: the whole input is the payload", []string{"decode", "--proto", "link", "--in", "raw"},
			"</1>,</2>", `{"links":[{"target":"/1","params":{}},{"target":"/2","params":{}}]}` + "\n"},
		{"one object per hex line; --base is ignored", []string{"decode", "--proto", "link", "--base", "/3"},
			textHex("</1>") + "\n" + textHex("</2>;obs") + "\n",
			`{"links":[{"target":"/1","params":{}}]}` + "\n" + `{"links":[{"target":"/2","params":{"obs":null}}]}` + "\n"},
		{"base64", []string{"decode", "--proto", "link", "--in", "base64"},
			"PC8xPg==\n", `{"links":[{"target":"/1","params":{}}]}` + "\n"},
		{"encode: no links is the empty payload", []string{"encode", "--proto", "link"},
			`{"links":[]}` + "\n" + `{"links":[{"target":"/1"}]}` + "\n", "\n3c2f313e\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.stdin, tt.args...)
			if code != 0 || errOut != "" || out != tt.want {
				t.Errorf("exit %d, stderr %q\n got %q\nwant %q", code, errOut, out, tt.want)
			}
		})
	}
}

// TestLinkMalformed checks exit status 1, the exact stderr line (offsets
// are bytes in the payload for decode, characters in the line for encode),
// that the units before the bad one are written, and nothing of the bad one.
func TestLinkMalformed(t *testing.T) {
	decode := []string{"decode", "--proto", "link", "--in", "raw"}
	encode := []string{"encode", "--proto", "link"}
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantOut    string
		wantStderr string
	}{
		{"repeated parameter", decode, `</1>;a=1;b;a=2`, "",
			`iotwire: link: unit 1: parameter: "a" given twice in one link, which a JSON object cannot hold (offset 11)` + "\n"},
		{"repeated known attribute", decode, `</1>;rt="a";rt="b"`, "",
			"iotwire: link: unit 1: rt: attribute given twice [RFC 6690 3.1] (offset 12)\n"},
		{"second unit bad", []string{"decode", "--proto", "link"}, textHex("</1>") + "\n" + textHex("</1>, </2>") + "\n",
			`{"links":[{"target":"/1","params":{}}]}` + "\n",
			"iotwire: link: unit 2: link: whitespace outside a quoted-string [RFC 6690 2] (offset 5)\n"},
		{"raw: a final line break is data, and whitespace", decode, "</1>\n", "",
			"iotwire: link: unit 1: link: whitespace outside a quoted-string [RFC 6690 2] (offset 4)\n"},
		{"trailing comma", decode, `</1>,`, "",
			"iotwire: link: unit 1: link: payload ends after ',' [RFC 6690 2] (offset 5)\n"},
		{"no '<'", decode, `/1`, "",
			"iotwire: link: unit 1: link: link-value does not start with '<' [RFC 6690 2] (offset 0)\n"},
		{"unterminated target", decode, `</1`, "",
			"iotwire: link: unit 1: target: payload ends inside the target (no '>') [RFC 6690 2] (offset 0)\n"},
		{"unterminated quoted-string", decode, `</1>;a="b`, "",
			"iotwire: link: unit 1: quoted-string: payload ends inside a quoted-string [RFC 7230 3.2.6] (offset 7)\n"},
		{"bad ext-value", decode, `</1>;a*=x`, "",
			`iotwire: link: unit 1: parameter: ext-value charset not followed by "'" [RFC 8187 3.2.1] (offset 9)` + "\n"},
		{"LwM2M attribute out of range", decode, `</1/0>;ssid=0`, "",
			"iotwire: link: unit 1: ssid: value outside [1:65534] [LwM2M Core 5.1.2] (offset 12)\n"},
		{"LwM2M attribute without a value", decode, `</3>;ver`, "",
			"iotwire: link: unit 1: ver: attribute needs a value [LwM2M Core 5.1.2] (offset 5)\n"},
		{"ct not a code", decode, `</1>;ct=abc`, "",
			"iotwire: link: unit 1: ct: Content-Format code is not a decimal integer without sign or leading zeros [RFC 7252 7.2.1] (offset 8)\n"},

		{"encode: missing links", encode, `{}`, "",
			`iotwire: link: unit 1: missing key "links" (offset 0)` + "\n"},
		{"encode: unknown key", encode, `{"links":[],"link":[]}`, "",
			"iotwire: link: unit 1: link: unexpected key in link-format payload (offset 19)\n"},
		{"encode: links not an array", encode, `{"links":{}}`, "",
			"iotwire: link: unit 1: links: want an array (offset 9)\n"},
		{"encode: missing target", encode, `{"links":[{"params":{}}]}`, "",
			`iotwire: link: unit 1: links[0]: missing key "target" (offset 10)` + "\n"},
		{"encode: target not a URI-Reference", encode, `{"links":[{"target":"/1"},{"target":"a b"}]}`, "",
			"iotwire: link: unit 1: links[1].target: character not allowed in a URI [RFC 3986 4.1] (offset 36)\n"},
		{"encode: unknown key in a link", encode, `{"links":[{"target":"/1","attrs":{}}]}`, "",
			"iotwire: link: unit 1: links[0].attrs: unexpected key in link (offset 33)\n"},
		{"encode: params not an object", encode, `{"links":[{"target":"/1","params":["a"]}]}`, "",
			"iotwire: link: unit 1: links[0].params: want a JSON object (offset 34)\n"},
		{"encode: number value", encode, `{"links":[{"target":"/1","params":{"ct":40}}]}`, "",
			"iotwire: link: unit 1: links[0].params.ct: want a string, or null for a parameter without a value (offset 40)\n"},
		{"encode: bad name", encode, `{"links":[{"target":"/1","params":{"a b":"1"}}]}`, "",
			"iotwire: link: unit 1: links[0].params.a b: parameter name is not a parmname [RFC 6690 2] (offset 41)\n"},
		{"encode: duplicate key", encode, `{"links":[{"target":"/1","params":{"a":"1","a":"2"}}]}`, "",
			"iotwire: link: unit 1: links[0].params.a: duplicate key (offset 47)\n"},
		{"encode: control character", encode, `{"links":[{"target":"/1","params":{"a":"\u0001"}}]}`, "",
			"iotwire: link: unit 1: links[0].params.a: value holds a control character, which a quoted-string cannot carry [RFC 7230 3.2.6] (offset 39)\n"},
		{"encode: ext-value", encode, `{"links":[{"target":"/1","params":{"a*":"x"}}]}`, "",
			"iotwire: link: unit 1: links[0].params.a*: value is not an ext-value [RFC 8187 3.2.1] (offset 40)\n"},
		{"encode: flag ext-value", encode, `{"links":[{"target":"/1","params":{"a*":null}}]}`, "",
			"iotwire: link: unit 1: links[0].params.a*: parameter name ending in '*' needs an ext-value [RFC 8187 3.2.1] (offset 40)\n"},
		{"encode: LwM2M attribute", encode, `{"links":[{"target":"/1","params":{"pmin":"1"}},{"target":"/2","params":{"pmin":"-1"}}]}`,
			"", "iotwire: link: unit 1: links[1].params.pmin: value is not a decimal integer without sign or leading zeros [LwM2M Core 5.1.2] (offset 80)\n"},
		{"encode: known attribute as a flag", encode, `{"links":[{"target":"/1","params":{"rt":null}}]}`, "",
			"iotwire: link: unit 1: links[0].params.rt: attribute needs a value [RFC 6690 3.1] (offset 40)\n"},
		{"encode: second unit", encode, `{"links":[]}` + "\n" + `{"links":[1]}`, "\n",
			"iotwire: link: unit 2: links[0]: want a JSON object (offset 10)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.stdin, tt.args...)
			if code != 1 || out != tt.wantOut || errOut != tt.wantStderr {
				t.Errorf("exit %d, want 1\nstdout %q\n  want %q\nstderr %q\n  want %q", code, out, tt.wantOut, errOut, tt.wantStderr)
			}
		})
	}
}
