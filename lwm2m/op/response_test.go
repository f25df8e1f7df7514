package op

import (
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/path"
)

type respCase struct {
	name    string
	kind    Kind
	typ     coapmsg.Type // ACK unless set
	code    coapmsg.Code
	opts    []opt
	payload string
	want    Response // Kind, Type, MessageID, Token, Code and Payload are filled in
	class   error
}

func locOpts(segs ...string) []opt {
	var o []opt
	for _, s := range segs {
		o = append(o, opt{coapmsg.LocationPath, []byte(s)})
	}
	return o
}

// The responses of LwM2M Transport 6's tables.
var respCases = []respCase{
	{name: "register/created", kind: KindRegister, code: coapmsg.Created, opts: locOpts("rd", "5a3f"), want: Response{Location: loc("/rd/5a3f")}},
	{name: "register/created-no-location", kind: KindRegister, code: coapmsg.Created, class: ErrResponse},
	{name: "register/forbidden", kind: KindRegister, code: coapmsg.Forbidden},
	{name: "register/precondition-failed", kind: KindRegister, code: coapmsg.PreconditionFailed},
	{name: "register/content", kind: KindRegister, code: coapmsg.Content, class: ErrResponse},
	{name: "register/internal-error", kind: KindRegister, code: coapmsg.InternalServerError, payload: "db down"},
	{name: "register/too-deep", kind: KindRegister, code: coapmsg.Created, opts: locOpts("1", "2", "3", "4", "5", "6", "7", "8", "9"), class: ErrLimit},
	{name: "update/changed", kind: KindUpdate, code: coapmsg.Changed},
	{name: "update/not-found", kind: KindUpdate, code: coapmsg.NotFound},
	{name: "deregister/deleted", kind: KindDeregister, code: coapmsg.Deleted},
	{name: "bootstrap-request/changed", kind: KindBootstrapRequest, code: coapmsg.Changed},
	{name: "bootstrap-finish/not-acceptable", kind: KindBootstrapFinish, code: coapmsg.NotAcceptable},
	{name: "bootstrap-delete/method-not-allowed", kind: KindBootstrapDelete, code: coapmsg.MethodNotAllowed, class: ErrResponse},
	{name: "read/content", kind: KindRead, code: coapmsg.Content, opts: []opt{cf(senmlC)}, payload: "\x81\xa2\x00\x66/3/0/9\x02\x18\x55",
		want: Response{ContentFormat: senmlC, HasContentFormat: true}},
	{name: "read/changed", kind: KindRead, code: coapmsg.Changed, class: ErrResponse},
	{name: "read/not-acceptable", kind: KindRead, code: coapmsg.NotAcceptable},
	{name: "read/block2", kind: KindRead, code: coapmsg.Content, opts: []opt{cf(tlv), u(coapmsg.Block2, 0x0e)}, payload: "\x00",
		want: Response{ContentFormat: tlv, HasContentFormat: true}},
	{name: "write/too-large", kind: KindWrite, code: coapmsg.RequestEntityTooLarge},
	{name: "write/continue", kind: KindWrite, code: coapmsg.Continue},
	{name: "execute/changed", kind: KindExecute, code: coapmsg.Changed},
	{name: "execute/bad-option", kind: KindExecute, code: coapmsg.BadOption},
	{name: "create/created-location", kind: KindCreate, code: coapmsg.Created, opts: locOpts("3303", "1"), want: Response{Location: loc("/3303/1")}},
	{name: "create/created", kind: KindCreate, code: coapmsg.Created},
	{name: "delete/deleted", kind: KindDelete, code: coapmsg.Deleted},
	{name: "delete/content", kind: KindDelete, code: coapmsg.Content, class: ErrResponse},
	{name: "observe/established", kind: KindObserve, code: coapmsg.Content, opts: []opt{obs(12), cf(text)}, payload: "85",
		want: Response{Observe: 12, HasObserve: true, ContentFormat: text, HasContentFormat: true}},
	{name: "observe/not-established", kind: KindObserve, code: coapmsg.Content, opts: []opt{cf(text)}, payload: "85",
		want: Response{ContentFormat: text, HasContentFormat: true}},
	{name: "notify", kind: KindNotify, typ: coapmsg.NonConfirmable, code: coapmsg.Content, opts: []opt{obs(0xffffff), cf(text)}, payload: "86",
		want: Response{Observe: 0xffffff, HasObserve: true, ContentFormat: text, HasContentFormat: true}},
	{name: "notify/con", kind: KindNotify, typ: coapmsg.Confirmable, code: coapmsg.Content, opts: []opt{obs(13), cf(senmlJ)}, payload: "[]",
		want: Response{Observe: 13, HasObserve: true, ContentFormat: senmlJ, HasContentFormat: true}},
	{name: "notify/no-observe", kind: KindNotify, typ: coapmsg.NonConfirmable, code: coapmsg.Content, payload: "86", class: ErrResponse},
	{name: "notify/error-ends-observation", kind: KindNotify, typ: coapmsg.NonConfirmable, code: coapmsg.NotFound},
	{name: "send/changed", kind: KindSend, code: coapmsg.Changed},
	{name: "send/unsupported", kind: KindSend, code: coapmsg.UnsupportedContentFormat},
	{name: "request-as-response", kind: KindRead, code: coapmsg.GET, class: ErrResponse},
	{name: "reset", kind: KindRead, typ: coapmsg.Reset, code: coapmsg.Content, class: ErrResponse},
	{name: "unknown-kind", kind: 0, code: coapmsg.Content, class: ErrResponse},
	{name: "unknown-critical-option", kind: KindRead, code: coapmsg.Content, opts: []opt{{2049, nil}}, class: ErrResponse},
	{name: "observe-4-bytes", kind: KindObserve, code: coapmsg.Content, opts: []opt{{coapmsg.Observe, []byte{1, 2, 3, 4}}}, class: ErrResponse},
}

func TestResponse(t *testing.T) {
	var bd Builder
	for _, c := range respCases {
		t.Run(c.name, func(t *testing.T) {
			typ := c.typ
			if typ == 0 {
				typ = coapmsg.Acknowledgement
			}
			m := message(typ, c.code, "", "", c.opts, c.payload)
			if c.name != "observe-4-bytes" && c.name != "reset" {
				m = overWire(t, m)
			}
			var r Response
			err := r.Parse(m, c.kind)
			if c.class != nil {
				if err == nil {
					t.Fatal("accepted")
				}
				checkErr(t, err, c.class, 0)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			want.Kind, want.Type, want.MessageID, want.Token, want.Code = c.kind, typ, testMID, testToken, c.code
			if c.payload != "" {
				want.Payload = []byte(c.payload)
			}
			if !equalResponse(&r, &want) {
				t.Fatalf("got %+v\nwant %+v", r, want)
			}
			out, err := bd.AppendResponse(nil, &r)
			if err != nil {
				t.Fatal(err)
			}
			var d coapmsg.Message
			if _, err := d.Decode(out); err != nil {
				t.Fatal(err)
			}
			var back Response
			if err := back.Parse(&d, c.kind); err != nil || !equalResponse(&back, &r) {
				t.Fatalf("round trip %v\ngot %+v\nwant %+v", err, back, r)
			}
		})
	}
}

func TestReply(t *testing.T) {
	req := Request{Kind: KindRegister, Type: coapmsg.Confirmable, MessageID: 77, Token: []byte{1, 2}}
	resp := Reply(&req, coapmsg.Created)
	if resp.Type != coapmsg.Acknowledgement || resp.MessageID != 77 || string(resp.Token) != "\x01\x02" || resp.Kind != KindRegister {
		t.Fatalf("%+v", resp)
	}
	var bd Builder
	if _, err := bd.AppendResponse(nil, &resp); err == nil {
		t.Fatal("Created without Location-Path built")
	}
	resp.Location.SetText([]byte("rd/42"))
	out, err := bd.AppendResponse(nil, &resp)
	if err != nil {
		t.Fatal(err)
	}
	var m coapmsg.Message
	if _, err := m.Decode(out); err != nil {
		t.Fatal(err)
	}
	if m.Type != coapmsg.Acknowledgement || m.Code != coapmsg.Created || m.MessageID != 77 {
		t.Fatalf("%v %v", m.Type, m.Code)
	}
	req.Type = coapmsg.NonConfirmable
	if resp := Reply(&req, coapmsg.BadRequest); resp.Type != coapmsg.NonConfirmable || resp.MessageID != 0 {
		t.Fatalf("%+v", resp)
	}
	// A code the operation does not allow is refused.
	bad := Reply(&req, coapmsg.Content)
	if _, err := bd.AppendResponse(nil, &bad); err == nil {
		t.Fatal("2.05 to Register built")
	}
	if _, err := bd.AppendResponse(nil, &Response{Kind: KindRead, Code: coapmsg.GET}); err == nil {
		t.Fatal("request code built as a response")
	}
	if _, err := bd.AppendResponse(nil, &Response{Kind: KindNotify, Code: coapmsg.Content, Observe: 1 << 24, HasObserve: true}); err == nil {
		t.Fatal("Observe past 24 bits built")
	}
	if _, err := bd.AppendResponse(nil, &Response{Kind: KindRegister, Code: coapmsg.Created, Location: Location{segs: [8][]byte{[]byte("rd"), nil}, n: 2}}); err == nil {
		t.Fatal("empty location segment built")
	}
}

func TestNotify(t *testing.T) {
	obs := Request{Kind: KindObserve, Token: []byte{9}, Path: res(3, 0, 9)}
	n := Notify(&obs, 1<<24+5)
	if n.Kind != KindNotify || n.Code != coapmsg.Content || n.Observe != 5 || !n.HasObserve || n.Type != coapmsg.NonConfirmable || string(n.Token) != "\x09" {
		t.Fatalf("%+v", n)
	}
}

func TestCreatedPath(t *testing.T) {
	var r Response
	buf := r.SetCreatedPath(path.Instance(3303, 12), make([]byte, 0, 16))
	if string(buf) != "330312" || r.Location.String() != "/3303/12" {
		t.Fatal(string(buf), r.Location.String())
	}
	if p, ok := r.CreatedPath(); !ok || p != path.Instance(3303, 12) {
		t.Fatal(p, ok)
	}
	r.Location.SetText([]byte("/3303/x"))
	if _, ok := r.CreatedPath(); ok {
		t.Fatal("bad segment accepted")
	}
	r.Location.SetText([]byte("/rd/1/2"))
	if _, ok := r.CreatedPath(); ok {
		t.Fatal("three segments accepted")
	}
	r.SetCreatedPath(path.Object(1), nil)
	if r.Location.Len() != 0 {
		t.Fatal("object path set")
	}
}

func TestAllows(t *testing.T) {
	for _, c := range []struct {
		k    Kind
		code coapmsg.Code
		ok   bool
	}{
		{KindRegister, coapmsg.Created, true}, {KindRegister, coapmsg.Forbidden, true}, {KindRegister, coapmsg.NotFound, false},
		{KindExecute, coapmsg.Changed, true}, {KindExecute, coapmsg.Content, false}, {KindExecute, coapmsg.InternalServerError, true},
		{KindRead, coapmsg.ServiceUnavailable, true}, {KindRead, coapmsg.Conflict, false}, {KindWrite, coapmsg.UnsupportedContentFormat, true},
		{KindSend, coapmsg.NotFound, true}, {KindBootstrapDiscover, coapmsg.Unauthorized, false}, {0, coapmsg.Content, false},
		{numKinds, coapmsg.Content, false},
	} {
		if got := c.k.Allows(c.code); got != c.ok {
			t.Errorf("%v allows %v: %v", c.k, c.code, got)
		}
	}
}
