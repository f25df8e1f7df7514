package coapmsg

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// unhex decodes an annotated hex layout (see codectest.Unhex).
func unhex(tb testing.TB, s string) []byte { tb.Helper(); return codectest.Unhex(tb, s) }

// udpVectors are canonical messages: Decode then AppendBinary gives the
// same bytes.
var udpVectors = []struct {
	name  string
	hex   string
	check func(t *testing.T, m *Message)
}{
	{"get-temperature-rfc7252-a1", `
		40 01 7d 34                 // ver 1, CON, TKL 0, 0.01 GET, MID 0x7d34
		bb 74 65 6d 70 65 72 61 74 75 72 65 // Uri-Path (11) "temperature"`,
		func(t *testing.T, m *Message) {
			if m.Type != Confirmable || m.Code != GET || m.MessageID != 0x7d34 || string(m.AppendPath(nil)) != "/temperature" {
				t.Fatalf("%+v", m)
			}
		}},
	{"ack-content-rfc7252-a1", `
		60 45 7d 34                 // ver 1, ACK, TKL 0, 2.05 Content, MID 0x7d34
		ff 32 32 2e 33 20 43        // payload "22.3 C"`,
		func(t *testing.T, m *Message) {
			if m.Type != Acknowledgement || m.Code != Content || string(m.Payload) != "22.3 C" || len(m.Options) != 0 {
				t.Fatalf("%+v", m)
			}
		}},
	{"lwm2m-read-tlv", `
		44 01 00 2a                 // CON, TKL 4, GET, MID 42
		de ad be ef                 // token
		b1 33                       // Uri-Path "3"
		01 30                       // Uri-Path "0" (delta 0)
		62 2d 16                    // Accept (17, delta 6), 11542`,
		func(t *testing.T, m *Message) {
			if a, ok := m.Uint(Accept); !ok || a != 11542 || string(m.AppendPath(nil)) != "/3/0" || !bytes.Equal(m.Token, []byte{0xde, 0xad, 0xbe, 0xef}) {
				t.Fatalf("%+v", m)
			}
		}},
	{"lwm2m-register", `
		48 02 12 34                 // CON, TKL 8, POST, MID 0x1234
		01 02 03 04 05 06 07 08     // token
		b2 72 64                    // Uri-Path "rd"
		11 28                       // Content-Format (12) 40 link-format
		37 65 70 3d 6e 6f 64 65     // Uri-Query (15) "ep=node"
		06 6c 74 3d 33 30 30        // Uri-Query "lt=300"
		ff 3c 2f 31 2f 30 3e        // payload "</1/0>"`,
		func(t *testing.T, m *Message) {
			cf, ok := m.ContentFormat()
			if !ok || cf != AppLinkFormat || string(m.AppendQuery(nil)) != "ep=node&lt=300" || string(m.Payload) != "</1/0>" {
				t.Fatalf("%+v", m)
			}
		}},
	{"extended-delta-13", `
		50 45 00 01                 // NON, 2.05
		d2 2f 04 00                 // delta 13+47 = 60 Size1, length 2: 1024`,
		func(t *testing.T, m *Message) {
			if v, ok := m.Uint(Size1); !ok || v != 1024 {
				t.Fatalf("%+v", m)
			}
		}},
	{"empty-con-ping", `40 00 12 34`, func(t *testing.T, m *Message) {
		if m.Code != Empty || m.Type != Confirmable || len(m.Options) != 0 || len(m.Token) != 0 {
			t.Fatalf("%+v", m)
		}
	}},
	{"reset", `70 00 12 34`, func(t *testing.T, m *Message) {
		if m.Type != Reset || m.Code != Empty {
			t.Fatalf("%+v", m)
		}
	}},
}

func TestUDPVectors(t *testing.T) {
	for _, v := range udpVectors {
		if v.check == nil {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			b := unhex(t, v.hex)
			var m Message
			n, err := m.Decode(b)
			if err != nil || n != len(b) {
				t.Fatalf("decode: n=%d err=%v", n, err)
			}
			v.check(t, &m)
			out, err := m.AppendBinary(nil)
			if err != nil || !bytes.Equal(out, b) || m.Len() != len(b) {
				t.Fatalf("re-encode: %x, %v (Len %d)", out, err, m.Len())
			}
		})
	}
}

// A 300-byte option value uses the two-byte extended length.
func TestLongOption(t *testing.T) {
	var m Message
	m.Type, m.Code, m.MessageID = Confirmable, GET, 7
	uri := []byte("coap://example.com/" + strings.Repeat("a", 281))
	m.AddOption(ProxyURI, uri)
	b, err := m.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	// delta 35 = 13 + 22, length 300 = 269 + 31.
	if want := unhex(t, "40 01 00 07 de 16 00 1f"); !bytes.Equal(b[:8], want) || len(b) != 8+300 {
		t.Fatalf("% x", b[:8])
	}
	var d Message
	if _, err := d.Decode(b); err != nil || !bytes.Equal(d.Options[0].Value, uri) {
		t.Fatal(err)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		hex    string
		class  error
		rule   string
		offset int
	}{
		{"short-header", "40 01 00", ErrMalformed, "RFC 7252 3", 3},
		{"version-2", "80 01 00 00", ErrUnsupported, "RFC 7252 3", 0},
		{"version-0", "00 01 00 00", ErrUnsupported, "RFC 7252 3", 0},
		{"token-length-9", "49 01 00 00 01 02 03 04 05 06 07 08 09", ErrMalformed, "RFC 7252 3", 0},
		{"class-1-reserved", "40 20 00 00", ErrMalformed, "RFC 7252 12.1", 1},
		{"class-6-reserved", "40 c0 00 00", ErrMalformed, "RFC 7252 12.1", 1},
		{"signaling-over-udp", "40 e1 00 00", ErrMalformed, "RFC 8323 5", 1},
		{"empty-with-token", "41 00 00 00 aa", ErrMalformed, "RFC 7252 4.1", 4},
		{"empty-with-payload", "40 00 00 00 ff 01", ErrMalformed, "RFC 7252 4.1", 4},
		{"token-past-end", "44 01 00 00 aa", ErrMalformed, "RFC 7252 3", 5},
		{"delta-15", "40 01 00 00 f0", ErrMalformed, "RFC 7252 3.1", 4},
		{"length-15", "40 01 00 00 bf", ErrMalformed, "RFC 7252 3.1", 4},
		{"marker-without-payload", "40 01 00 00 ff", ErrMalformed, "RFC 7252 3", 4},
		{"option-number-past-65535", "40 01 00 00 e0 ff ff", ErrMalformed, "RFC 7252 3.1", 4},
		{"extended-delta-truncated", "40 01 00 00 d0", ErrMalformed, "RFC 7252 3.1", 5},
		{"extended-length-truncated", "40 01 00 00 1e 00", ErrMalformed, "RFC 7252 3.1", 5},
		{"value-past-end", "40 01 00 00 b5 61", ErrMalformed, "RFC 7252 3.1", 5},
		{"content-format-3-bytes", "40 01 00 00 c3 01 02 03", ErrBadOption, "RFC 7252 5.10.3", 4},
		{"content-format-repeated", "40 01 00 00 c1 01 01 02", ErrBadOption, "RFC 7252 5.4.5", 6},
		{"uri-host-empty", "40 01 00 00 30", ErrBadOption, "RFC 7252 5.10.1", 4},
		{"uri-path-not-utf8", "40 01 00 00 b1 ff", ErrBadOption, "RFC 7252 3.2", 4},
		{"if-none-match-with-value", "40 01 00 00 51 00", ErrBadOption, "RFC 7252 5.10.8.2", 4},
		{"hop-limit-empty", "40 01 00 00 d0 03", ErrBadOption, "RFC 8768 3", 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			var m Message
			_, err := m.Decode(unhex(t, c.hex))
			if !errors.Is(err, c.class) {
				t.Fatalf("got %v, want class %v", err, c.class)
			}
			var e *Error
			if !errors.As(err, &e) || e.Rule != c.rule || e.Offset != c.offset {
				t.Fatalf("got %+v, want rule %q offset %d (%v)", e, c.rule, c.offset, err)
			}
		})
	}
}

// With ErrBadOption the message is still complete, so a server can answer it.
func TestBadOptionKeepsMessage(t *testing.T) {
	// Uri-Path "a", then Content-Format with 3 bytes, then payload "p".
	b := unhex(t, `44 01 00 09 01 02 03 04  b1 61  13 00 00 01  ff 70`)
	var m Message
	_, err := m.Decode(b)
	var e *Error
	if !errors.As(err, &e) || e.Err != ErrBadOption || e.Option != ContentFormat || e.Option.Critical() {
		t.Fatalf("%v", err)
	}
	if m.MessageID != 9 || len(m.Token) != 4 || len(m.Options) != 2 || string(m.Payload) != "p" {
		t.Fatalf("message not complete: %+v", m)
	}
}

func TestTooManyOptions(t *testing.T) {
	var m Message
	m.Code = GET
	for i := 0; i <= MaxInlineOptions; i++ {
		m.AddOption(URIPath, []byte("a"))
	}
	b, err := m.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	var d Message
	if _, err := d.Decode(b); !errors.Is(err, ErrLimit) {
		t.Fatalf("inline capacity: %v", err)
	}
	d.Options = make([]Option, 0, 32) // a caller-supplied slice takes more
	if _, err := d.Decode(b); err != nil || len(d.Options) != MaxInlineOptions+1 {
		t.Fatal(err)
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		m     Message
		class error
	}{
		{"type-4", Message{Type: 4, Code: GET}, ErrMalformed},
		{"token-9", Message{Code: GET, Token: make([]byte, 9)}, ErrMalformed},
		{"class-1", Message{Code: NewCode(1, 0)}, ErrMalformed},
		{"signaling-udp", Message{Code: CSM}, ErrMalformed},
		{"empty-with-token", Message{Code: Empty, Token: []byte{1}}, ErrMalformed},
		{"unsorted", Message{Code: GET, Options: []Option{{URIPath, []byte("a")}, {URIHost, []byte("h")}}}, ErrMalformed},
		{"bad-length", Message{Code: GET, Options: []Option{{ContentFormat, []byte{1, 2, 3}}}}, ErrBadOption},
		{"repeated", Message{Code: GET, Options: []Option{{Accept, nil}, {Accept, nil}}}, ErrBadOption},
		{"too-long", Message{Code: GET, Options: []Option{{9999, make([]byte, maxOptionLen+1)}}}, ErrLimit},
	} {
		t.Run(c.name, func(t *testing.T) {
			pre := []byte("x")
			out, err := c.m.AppendBinary(pre)
			if !errors.Is(err, c.class) || !bytes.Equal(out, pre) {
				t.Fatalf("%v, %x", err, out)
			}
		})
	}
}

func TestBuilders(t *testing.T) {
	var m Message
	m.Code = GET
	m.SetUint(Accept, 11542)
	m.SetPath([]byte("/3/0/1"))
	m.SetQuery([]byte("?a=1&b"))
	m.AddOption(URIHost, []byte("h"))
	m.SetUint(Observe, 0)
	if got := []OptionNumber{URIHost, Observe, URIPath, URIPath, URIPath, URIQuery, URIQuery, Accept}; len(m.Options) != len(got) {
		t.Fatalf("%v", m.Options)
	} else {
		for i, n := range got {
			if m.Options[i].Number != n {
				t.Fatalf("option %d is %v, want %v", i, m.Options[i].Number, n)
			}
		}
	}
	if v, ok := m.Option(Observe); !ok || len(v) != 0 {
		t.Fatal("observe 0 is an empty value")
	}
	m.RemoveOption(URIPath)
	if string(m.AppendPath(nil)) != "/" || string(m.AppendQuery(nil)) != "a=1&b" {
		t.Fatal(string(m.AppendPath(nil)), string(m.AppendQuery(nil)))
	}
	m.Options = append(m.Options, Option{URIHost, []byte("z")})
	m.SortOptions()
	if _, err := m.AppendBinary(nil); err == nil {
		t.Fatal("two Uri-Host options encoded")
	}
	// CopyTo detaches the message from its buffers.
	src := []byte{0x44, 0x01, 0, 1, 1, 2, 3, 4, 0xb1, 'x', 0xff, 'p'}
	var a, c Message
	if _, err := a.Decode(src); err != nil {
		t.Fatal(err)
	}
	a.CopyTo(&c, nil)
	clear(src)
	if string(c.AppendPath(nil)) != "/x" || string(c.Payload) != "p" || c.Token[3] != 4 {
		t.Fatalf("%+v", c)
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Content.String(), "2.05 Content"},
		{NewCode(2, 6).String(), "2.06"},
		{GET.Dotted(), "0.01"},
		{URIPath.String(), "Uri-Path"},
		{OptionNumber(2049).String(), "2049"},
		{AppLwM2MTLV.String(), "application/vnd.oma.lwm2m+tlv"},
		{Acknowledgement.String(), "ACK"},
		{FormatUint.String(), "uint"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if c, ok := ParseCode("4.04"); !ok || c != NotFound {
		t.Error("ParseCode")
	}
	if _, ok := ParseCode("4.40"); ok {
		t.Error("ParseCode accepted detail 40")
	}
	// Option number properties (RFC 7252 5.4.6, Table 4).
	if !URIPath.Critical() || !URIPath.Unsafe() || ETag.Critical() || !Size1.NoCacheKey() || ContentFormat.NoCacheKey() {
		t.Error("option bits")
	}
	var m Message
	m.Code = GET
	m.AddOption(2049, nil)
	m.AddOption(2050, nil)
	if n, ok := m.UnrecognizedCritical(); !ok || n != 2049 {
		t.Error("UnrecognizedCritical")
	}
}
