package op

import (
	"bytes"
	"math"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// TestBuildCanonical pins the bytes the Builder writes for requests in
// the forms LwM2M Transport 6 gives them.
func TestBuildCanonical(t *testing.T) {
	reg := Request{Kind: KindRegister, MessageID: 0x1234, Token: []byte{0xab, 0xcd}, ContentFormat: linkFmt, HasContentFormat: true,
		Params: Params{Set: ParamEndpoint | ParamLifetime | ParamVersion | ParamBinding | ParamQueue,
			Endpoint: []byte("node1"), Lifetime: 300, Version: link.Version{Major: 1, Minor: 1}, Binding: BindingUDP},
		Payload: []byte("</1/0>,</3/0>")}
	cases := []struct {
		name string
		req  Request
		hex  string
	}{
		{"register", reg, `
			42 02 12 34 ab cd       // CON POST, MID 0x1234, token abcd
			b2 72 64                // Uri-Path "rd" (11)
			11 28                   // Content-Format 40 (12)
			38 65 70 3d 6e 6f 64 65 31 // Uri-Query "ep=node1" (15)
			06 6c 74 3d 33 30 30    // "lt=300"
			09 6c 77 6d 32 6d 3d 31 2e 31 // "lwm2m=1.1"
			03 62 3d 55             // "b=U"
			01 51                   // "Q"
			ff 3c 2f 31 2f 30 3e 2c 3c 2f 33 2f 30 3e // </1/0>,</3/0>`},
		{"read-3-0-senml-cbor", Request{Kind: KindRead, MessageID: 1, Token: []byte{7}, Path: inst(3, 0), Accept: senmlC, HasAccept: true}, `
			41 01 00 01 07          // CON GET, MID 1, token 07
			b1 33 01 30             // Uri-Path "3", "0"
			61 70                   // Accept 112 (17)`},
		{"observe-3-0-9", Request{Kind: KindObserve, MessageID: 2, Token: []byte{8}, Path: res(3, 0, 9)}, `
			41 01 00 02 08          // CON GET
			60                      // Observe 0 (6)
			51 33 01 30 01 39       // Uri-Path "3", "0", "9"`},
		{"write-attributes", Request{Kind: KindWriteAttributes, MessageID: 3, Token: []byte{9}, Path: res(3303, 0, 5700),
			Attrs: Attributes{Set: link.AttrPmin | link.AttrGt, Pmin: 10, Gt: 25.5}, Type: coapmsg.Confirmable}, `
			41 03 00 03 09          // CON PUT
			b4 33 33 30 33 01 30 04 35 37 30 30 // Uri-Path "3303", "0", "5700"
			47 70 6d 69 6e 3d 31 30 // Uri-Query "pmin=10"
			07 67 74 3d 32 35 2e 35 // "gt=25.5"`},
		{"cancel-by-reset", Request{Kind: KindCancelObservation, Type: coapmsg.Reset, MessageID: 0x0a0b}, `
			70 00 0a 0b             // RST, Empty`},
		{"deregister", Request{Kind: KindDeregister, MessageID: 4, Location: loc("/rd/5a3f")}, `
			40 04 00 04             // CON DELETE, no token
			b2 72 64 04 35 61 33 66 // Uri-Path "rd", "5a3f"`},
	}
	var bd Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := codectest.Unhex(t, c.hex)
			got, err := bd.AppendRequest([]byte{0xee}, &c.req)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != 0xee || !bytes.Equal(got[1:], want) {
				t.Fatalf("got  %x\nwant %x", got[1:], want)
			}
		})
	}
}

// TestBuildForbidden checks that the Builder refuses the requests the
// specification forbids, with the class Parse would give, and leaves the
// buffer unchanged.
func TestBuildForbidden(t *testing.T) {
	cases := []struct {
		name  string
		req   Request
		class error
	}{
		{"no-kind", Request{}, ErrNotRequest},
		{"notify-as-request", Request{Kind: KindNotify}, ErrNotRequest},
		{"execute-on-instance", Request{Kind: KindExecute, Path: inst(3, 0)}, ErrNotAllowed},
		{"execute-on-object", Request{Kind: KindExecute, Path: path.Object(3)}, ErrNotAllowed},
		{"execute-binary-args", Request{Kind: KindExecute, Path: res(3, 0, 4), ContentFormat: tlv, HasContentFormat: true}, ErrUnsupportedFormat},
		{"create-on-resource", Request{Kind: KindCreate, Path: res(3303, 0, 1), ContentFormat: tlv, HasContentFormat: true}, ErrNotAllowed},
		{"create-on-instance", Request{Kind: KindCreate, Path: inst(3303, 0), ContentFormat: tlv, HasContentFormat: true}, ErrNotAllowed},
		{"delete-resource", Request{Kind: KindDelete, Path: res(3303, 0, 1)}, ErrNotAllowed},
		{"delete-object", Request{Kind: KindDelete, Path: path.Object(3303)}, ErrNotAllowed},
		{"discover-resource-instance", Request{Kind: KindDiscover, Path: path.ResourceInstance(3, 0, 7, 1)}, ErrNotAllowed},
		{"write-object", Request{Kind: KindWrite, Path: path.Object(3), ContentFormat: tlv, HasContentFormat: true}, ErrNotAllowed},
		{"write-no-content-format", Request{Kind: KindWrite, Path: res(3, 0, 14), Payload: []byte("+02")}, ErrBadRequest},
		{"write-partial-text-resource", Request{Kind: KindWrite, Partial: true, Path: res(3, 0, 14), ContentFormat: text, HasContentFormat: true}, ErrBadRequest},
		{"write-with-attributes", Request{Kind: KindWrite, Path: res(3, 0, 14), ContentFormat: text, HasContentFormat: true,
			Attrs: attrs(link.AttrPmin)}, ErrBadRequest},
		{"partial-read", Request{Kind: KindRead, Partial: true, Path: res(3, 0, 14)}, ErrBadRequest},
		{"bootstrap-write-root", Request{Kind: KindBootstrapWrite, ContentFormat: tlv, HasContentFormat: true}, ErrNotAllowed},
		{"bootstrap-delete-resource", Request{Kind: KindBootstrapDelete, Path: res(0, 1, 2)}, ErrNotAllowed},
		{"register-no-ep", Request{Kind: KindRegister, Payload: []byte(regLinks)}, ErrBadRequest},
		{"register-empty-ep", Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint}, Payload: []byte(regLinks)}, ErrBadRequest},
		{"register-on-path", Request{Kind: KindRegister, Path: path.Object(3), Params: Params{Set: ParamEndpoint, Endpoint: []byte("n")}, Payload: []byte(regLinks)}, ErrBadRequest},
		{"register-pct", Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint | ParamPreferredFormat, Endpoint: []byte("n")}, Payload: []byte(regLinks)}, ErrBadRequest},
		{"register-binding-zero", Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint | ParamBinding, Endpoint: []byte("n")}, Payload: []byte(regLinks)}, ErrBadRequest},
		{"register-binding-q-alone", Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint | ParamBinding, Endpoint: []byte("n"), Binding: BindingQueue}, Payload: []byte(regLinks)}, ErrBadRequest},
		{"register-extra-known-name", Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint, Endpoint: []byte("n"),
			Extra: [4][]byte{[]byte("ep=x")}, NExtra: 1}, Payload: []byte(regLinks)}, ErrBadRequest},
		{"read-extra-param", Request{Kind: KindRead, Path: inst(3, 0), Params: Params{Extra: [4][]byte{[]byte("x=1")}, NExtra: 1}}, ErrBadRequest},
		{"update-no-location", Request{Kind: KindUpdate}, ErrNotFound},
		{"deregister-no-location", Request{Kind: KindDeregister}, ErrNotFound},
		{"update-empty-segment", Request{Kind: KindUpdate, Location: Location{segs: [8][]byte{[]byte("rd"), nil}, n: 2}}, ErrNotFound},
		{"read-with-location", Request{Kind: KindRead, Path: inst(3, 0), Location: loc("/rd/1")}, ErrBadRequest},
		{"write-attributes-none", Request{Kind: KindWriteAttributes, Path: inst(3, 0)}, ErrBadRequest},
		{"write-attributes-pmin-above-pmax", Request{Kind: KindWriteAttributes, Path: inst(3, 0), Attrs: Attributes{Set: link.AttrPmin | link.AttrPmax, Pmin: 9, Pmax: 1}}, ErrBadRequest},
		{"write-attributes-negative-st", Request{Kind: KindWriteAttributes, Path: res(3, 0, 9), Attrs: Attributes{Set: link.AttrSt, St: -1}}, ErrBadRequest},
		{"write-attributes-negative-pmin", Request{Kind: KindWriteAttributes, Path: res(3, 0, 9), Attrs: Attributes{Set: link.AttrPmin, Pmin: -1}}, ErrBadRequest},
		{"write-attributes-nan", Request{Kind: KindWriteAttributes, Path: res(3, 0, 9), Attrs: Attributes{Set: link.AttrGt, Gt: math.NaN()}}, ErrBadRequest},
		{"write-attributes-property", Request{Kind: KindWriteAttributes, Path: res(3, 0, 9), Attrs: Attributes{Set: link.AttrDim}}, ErrBadRequest},
		{"write-attributes-set-and-unset", Request{Kind: KindWriteAttributes, Path: res(3, 0, 9), Attrs: Attributes{Set: link.AttrPmin, Unset: link.AttrPmin}}, ErrBadRequest},
		{"observe-unset", Request{Kind: KindObserve, Path: res(3, 0, 9), Attrs: Attributes{Unset: link.AttrPmin}}, ErrBadRequest},
		{"read-depth", Request{Kind: KindRead, Path: res(3, 0, 9), HasDepth: true}, ErrBadRequest},
		{"discover-depth-9", Request{Kind: KindDiscover, Path: path.Object(3), Depth: 9, HasDepth: true}, ErrBadRequest},
		{"request-in-ack", Request{Kind: KindRead, Type: coapmsg.Acknowledgement, Path: inst(3, 0)}, ErrNotRequest},
		{"reset-with-token", Request{Kind: KindCancelObservation, Type: coapmsg.Reset, Token: []byte{1}}, ErrBadRequest},
		{"send-no-payload", Request{Kind: KindSend, ContentFormat: senmlC, HasContentFormat: true}, ErrBadRequest},
		{"execute-bad-args", Request{Kind: KindExecute, Path: res(3, 0, 4), Payload: []byte("0=x")}, ErrBadRequest},
	}
	var bd Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			buf := []byte{1, 2, 3}
			out, err := bd.AppendRequest(buf, &c.req)
			if err == nil {
				t.Fatalf("built %x", out)
			}
			if len(out) != 3 || &out[0] != &buf[0] {
				t.Fatal("buffer changed on error")
			}
			checkErr(t, err, c.class, codeOf(c.class))
			if c.req.Check() == nil {
				t.Fatal("Check accepts what the Builder refuses")
			}
		})
	}
}

// A client updates whatever location its server assigned.
func TestBuildOtherLocation(t *testing.T) {
	var bd Builder
	r := Request{Kind: KindUpdate, Location: loc("/reg/7")}
	out, err := bd.AppendRequest(nil, &r)
	if err != nil {
		t.Fatal(err)
	}
	var m coapmsg.Message
	if _, err := m.Decode(out); err != nil || string(m.AppendPath(nil)) != "/reg/7" || m.Code != coapmsg.POST {
		t.Fatal(err, string(m.AppendPath(nil)))
	}
}

// TestBuildMessage checks that Builder.Request returns the message itself,
// for framing over TCP.
func TestBuildMessage(t *testing.T) {
	var bd Builder
	r := Request{Kind: KindSend, ContentFormat: senmlJ, HasContentFormat: true, Payload: []byte(`[{"n":"/3/0/9","v":85}]`)}
	m, err := bd.Request(&r)
	if err != nil {
		t.Fatal(err)
	}
	frame, err := m.AppendTCP(nil)
	if err != nil {
		t.Fatal(err)
	}
	var d coapmsg.Message
	if _, err := d.DecodeTCP(frame); err != nil {
		t.Fatal(err)
	}
	var back Request
	if err := back.Parse(&d, RoleServer); err != nil || back.Kind != KindSend || !bytes.Equal(back.Payload, r.Payload) {
		t.Fatal(err, show(&back))
	}
}

// A Builder whose text outgrows its inline buffer keeps working.
func TestBuildLongValues(t *testing.T) {
	ep := bytes.Repeat([]byte("e"), 250)
	extra := [4][]byte{}
	for i := range extra {
		extra[i] = append([]byte{byte('w' + i), '='}, bytes.Repeat([]byte("v"), 200)...)
	}
	r := Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint | ParamSMS, Endpoint: ep, SMS: []byte("123456789012345"),
		Extra: extra, NExtra: 4}, Payload: []byte(regLinks)}
	var bd Builder
	out, err := bd.AppendRequest(nil, &r)
	if err != nil {
		t.Fatal(err)
	}
	var d coapmsg.Message
	if _, err := d.Decode(out); err != nil {
		t.Fatal(err)
	}
	var back Request
	if err := back.Parse(&d, RoleServer); err != nil {
		t.Fatal(err)
	}
	r.Token = back.Token
	if !equalRequest(&back, &r) {
		t.Fatalf("got %s", show(&back))
	}
}

func TestBindingText(t *testing.T) {
	for _, c := range []struct {
		b    Binding
		want string
	}{
		{BindingUDP, "U"}, {BindingUDP | BindingQueue, "UQ"}, {BindingSMS | BindingQueue, "SQ"},
		{BindingUDP | BindingSMS, "US"}, {BindingUDP | BindingSMS | BindingQueue, "UQS"},
		{BindingUDP | BindingTCP | BindingSMS | BindingNonIP, "UTSN"}, {BindingTCP | BindingQueue, "TQ"},
	} {
		if got := c.b.String(); got != c.want {
			t.Errorf("%d: %q, want %q", c.b, got, c.want)
		}
		b, msg := parseBinding([]byte(c.want))
		if msg != "" || b != c.b {
			t.Errorf("parse %q: %v %q", c.want, b, msg)
		}
	}
}

func TestLocation(t *testing.T) {
	var l Location
	if !l.SetText([]byte("/rd/5a3f")) || l.Len() != 2 || string(l.Segment(1)) != "5a3f" || l.String() != "/rd/5a3f" {
		t.Fatal(l.String())
	}
	if l.SetText([]byte("/rd//x")) || l.Len() != 0 {
		t.Fatal("empty segment accepted")
	}
	if !l.SetText([]byte("/")) || l.String() != "/" {
		t.Fatal(l.String())
	}
	if l.SetText([]byte("/a/b/c/d/e/f/g/h/i")) {
		t.Fatal("9 segments accepted")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	l.Segment(0)
}

func TestArgs(t *testing.T) {
	r := Request{Payload: []byte("0='https://x/fw.bin',1,9='!#'")}
	var got []string
	it := r.Args()
	for it.Next() {
		v, ok := it.Value()
		s := string(rune('0' + it.Digit()))
		if ok {
			s += "=" + string(v)
		}
		got = append(got, s)
	}
	if it.Err() != nil || len(got) != 3 || got[0] != "0=https://x/fw.bin" || got[1] != "1" || got[2] != "9=!#" {
		t.Fatal(got, it.Err())
	}
	for _, bad := range []string{"0=", "0='a", "x", "0,0", "0;1", "0='a'b", "10"} {
		it := (&Request{Payload: []byte(bad)}).Args()
		for it.Next() {
		}
		if it.Err() == nil {
			t.Errorf("%q accepted", bad)
		}
		if off, _ := checkArgs([]byte(bad)); off < 0 {
			t.Errorf("checkArgs %q accepted", bad)
		}
	}
	b := AppendArg(nil, 0, []byte("https://x"))
	b = AppendArg(b, 3, nil)
	if string(b) != "0='https://x',3" {
		t.Fatal(string(b))
	}
	for _, f := range []func(){func() { AppendArg(nil, 10, nil) }, func() { AppendArg(nil, 1, []byte("a b")) }} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		}()
	}
}

func TestStrings(t *testing.T) {
	for k := Kind(1); k < numKinds; k++ {
		if k.String() == "" || k.String()[0] == 'K' || k.Success() == 0 || len(k.Codes()) < 2 || k.Role() == 0 {
			t.Errorf("kind %d: %q %v %v", k, k.String(), k.Success(), k.Role())
		}
	}
	if Kind(0).String() != "Kind(0)" || Kind(200).String() != "Kind(200)" || Kind(0).Role() != 0 || Kind(0).Codes() != nil || Kind(0).Success() != 0 {
		t.Fatal("zero kind")
	}
	if KindDeregister.String() != "De-register" || KindCancelObservationComposite.String() != "Cancel Observation-Composite" {
		t.Fatal(KindDeregister.String())
	}
	if RoleServer.String() != "server" || Role(9).String() != "Role(9)" || Role(0).String() != "Role(0)" {
		t.Fatal(RoleServer.String())
	}
	if (ParamEndpoint|ParamQueue).String() != "ep|Q" || Param(0).String() != "0" || Param(0x80).String() != "?" {
		t.Fatal((ParamEndpoint | ParamQueue).String())
	}
	if !KindReadComposite.Composite() || KindRead.Composite() {
		t.Fatal("Composite")
	}
}
