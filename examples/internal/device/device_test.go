package device

import (
	"bytes"
	"net"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

func TestImage(t *testing.T) {
	img := MakeImage("1.2.3", []byte("payload"))
	if v, p, r := ParseImage(img); v != "1.2.3" || string(p) != "payload" || r != ResultInitial {
		t.Errorf("ParseImage: %q %q %d", v, p, r)
	}
	bad := bytes.Clone(img)
	bad[len(bad)-1] ^= 1
	for _, tc := range []struct {
		name string
		b    []byte
		want int
	}{
		{"corrupted payload", bad, ResultIntegrity},
		{"truncated", img[:len(img)-1], ResultIntegrity},
		{"short header", img[:20], ResultIntegrity},
		{"not an image", []byte("ELF......................................................"), ResultUnsupportedPackage},
		{"empty", nil, ResultUnsupportedPackage},
	} {
		if _, _, r := ParseImage(tc.b); r != tc.want {
			t.Errorf("%s: result %d, want %d", tc.name, r, tc.want)
		}
	}
}

func TestPasses(t *testing.T) {
	gt := op.Attributes{Set: link.AttrGt, Gt: 25}
	st := op.Attributes{Set: link.AttrSt, St: 1}
	both := op.Attributes{Set: link.AttrLt | link.AttrGt, Lt: 10, Gt: 25}
	for _, tc := range []struct {
		a         op.Attributes
		last, cur float64
		want      bool
	}{
		{op.Attributes{}, 1, 1.1, true},
		{gt, 20, 24, false},
		{gt, 24, 26, true},
		{gt, 26, 24, true},
		{st, 20, 20.5, false},
		{st, 20, 21, true},
		{st, 20, 18.9, true},
		{both, 12, 9, true},
		{both, 12, 20, false},
	} {
		if got := passes(tc.a, tc.last, tc.cur); got != tc.want {
			t.Errorf("passes(%v, %v -> %v) = %v", tc.a.Set, tc.last, tc.cur, got)
		}
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Endpoint == "" {
		cfg.Endpoint = "test"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddObject(TemperatureObject(nil)); err != nil {
		t.Fatal(err)
	}
	c.Set(path.Resource(3303, 0, 5700), lwm2m.FloatValue(20))
	return c
}

func TestObjectLinks(t *testing.T) {
	c := newTestClient(t, Config{})
	c.mu.Lock()
	b, err := c.objectLinks()
	c.mu.Unlock()
	want := `</>;rt="oma.lwm2m";ct="112 110 11544 11542 11543",</1>;ver=1.2,</1/0>,</3>;ver=1.2,</3/0>,</4>;ver=1.3,</4/0>,</5>;ver=1.2,</5/0>,</3303>;ver=1.1,</3303/0>`
	if err != nil || string(b) != want {
		t.Errorf("objectLinks:\n got %s %v\nwant %s", b, err, want)
	}
}

func TestAttrsFor(t *testing.T) {
	c := newTestClient(t, Config{})
	c.Set(path.Resource(1, 0, 2), lwm2m.IntegerValue(5))
	c.Set(path.Resource(1, 0, 3), lwm2m.IntegerValue(100))
	c.attrs[path.Object(3303)] = op.Attributes{Set: link.AttrPmax, Pmax: 60}
	c.attrs[path.Resource(3303, 0, 5700)] = op.Attributes{Set: link.AttrPmin | link.AttrSt, Pmin: 1, St: 0.5}
	a := c.attrsFor(path.Resource(3303, 0, 5700), op.Attributes{})
	if a.Pmin != 1 || a.Pmax != 60 || !a.Has(link.AttrSt) || a.St != 0.5 {
		t.Errorf("resource: %+v", a)
	}
	a = c.attrsFor(path.Instance(3, 0), op.Attributes{Set: link.AttrPmax, Pmax: 7})
	if a.Pmin != 5 || a.Pmax != 7 {
		t.Errorf("device instance: %+v", a)
	}
}

// handleRaw runs one request through the session's handler, as the
// endpoint would, and returns the response.
func handleRaw(s *session, m *coapmsg.Message) *coapmsg.Message {
	var resp coapmsg.Message
	b, _ := m.AppendBinary(nil)
	var in coapmsg.Message
	in.Decode(b)
	s.handle(&coapep.Request{Msg: &in, From: &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5683}, Resp: &resp})
	return &resp
}

func request(code coapmsg.Code, p string, cf int, payload []byte) *coapmsg.Message {
	m := &coapmsg.Message{Type: coapmsg.Confirmable, Code: code, MessageID: 1, Token: []byte{1}, Payload: payload}
	m.SetPath([]byte(p))
	if cf >= 0 {
		m.SetUint(coapmsg.ContentFormat, uint64(cf))
	}
	return m
}

func TestHandler(t *testing.T) {
	c := newTestClient(t, Config{FirmwareMaxSize: 100})
	s := c.newSession(nil, nil, op.RoleClientFromServer)

	// Block1 out of sequence: 4.08 (RFC 7959 2.9.2).
	m := request(coapmsg.PUT, "/5/0/0", int(coapmsg.AppOctetStream), make([]byte, 16))
	m.SetBlock1(coapmsg.Block{Num: 0, More: true, SZX: 0})
	if r := handleRaw(s, m); r.Code != coapmsg.Continue {
		t.Errorf("block 0: %v", r.Code)
	}
	if v, _ := c.Get(path.Resource(5, 0, 3)); !v.Equal(lwm2m.IntegerValue(StateDownloading)) {
		t.Errorf("state after block 0: %v", v)
	}
	m = request(coapmsg.PUT, "/5/0/0", int(coapmsg.AppOctetStream), make([]byte, 16))
	m.SetBlock1(coapmsg.Block{Num: 2, More: true, SZX: 0})
	if r := handleRaw(s, m); r.Code != coapmsg.RequestEntityIncomplete {
		t.Errorf("block 2 after 0: %v, want 4.08", r.Code)
	}
	// A package above the limit, announced by Size1: 4.13 and Update Result 2.
	m = request(coapmsg.PUT, "/5/0/0", int(coapmsg.AppOctetStream), make([]byte, 16))
	m.SetBlock1(coapmsg.Block{Num: 0, More: true, SZX: 0})
	m.SetSize1(100000)
	if r := handleRaw(s, m); r.Code != coapmsg.RequestEntityTooLarge {
		t.Errorf("Size1 too large: %v, want 4.13", r.Code)
	}
	if v, _ := c.Get(path.Resource(5, 0, 5)); !v.Equal(lwm2m.IntegerValue(ResultNoStorage)) {
		t.Errorf("result after 4.13: %v", v)
	}

	for _, tc := range []struct {
		name string
		m    *coapmsg.Message
		want coapmsg.Code
	}{
		{"read", request(coapmsg.GET, "/3/0/0", -1, nil), coapmsg.Content},
		{"read missing object", request(coapmsg.GET, "/9", -1, nil), coapmsg.NotFound},
		{"execute a readable resource", request(coapmsg.POST, "/3/0/0", -1, nil), coapmsg.MethodNotAllowed},
		{"execute an unknown resource", request(coapmsg.POST, "/3/0/99", -1, nil), coapmsg.NotFound},
		{"write a bad payload", request(coapmsg.PUT, "/3/0/14", int(coapmsg.AppSenMLCBOR), []byte{0xff}), coapmsg.BadRequest},
		{"write an unknown resource", request(coapmsg.PUT, "/3/0/99", int(coapmsg.TextPlain), []byte("x")), coapmsg.NotFound},
		{"create an existing instance", request(coapmsg.POST, "/3303", int(coapmsg.AppSenMLJSON), []byte(`[{"n":"/3303/0/5700","v":1}]`)), coapmsg.BadRequest},
		{"create on a core object", request(coapmsg.POST, "/1", int(coapmsg.AppSenMLJSON), []byte(`[]`)), coapmsg.MethodNotAllowed},
		{"composite read", request(coapmsg.FETCH, "/", int(coapmsg.AppSenMLJSON), []byte(`[{"n":"/3/0/0"}]`)), coapmsg.NotImplemented},
	} {
		if r := handleRaw(s, tc.m); r.Code != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, r.Code, tc.want)
		}
	}
	m = request(coapmsg.PUT, "/3303/0/5700", -1, nil)
	m.SetQuery([]byte("pmin=10&pmax=5"))
	if r := handleRaw(s, m); r.Code != coapmsg.BadRequest {
		t.Errorf("pmin > pmax: %v, want 4.00", r.Code)
	}
}

func TestBootstrapDelete(t *testing.T) {
	c := newTestClient(t, Config{BootstrapURI: "coap://bs.invalid"})
	s := c.newSession(nil, nil, op.RoleClientFromBootstrap)
	c.Set(path.Resource(0, 1, 0), lwm2m.StringValue([]byte("coap://old")))
	if r := handleRaw(s, request(coapmsg.DELETE, "/", -1, nil)); r.Code != coapmsg.Deleted {
		t.Fatalf("Bootstrap-Delete /: %v", r.Code)
	}
	accts := c.Accounts()
	if len(accts) != 1 || !accts[0].Bootstrap {
		t.Errorf("accounts left: %+v", accts)
	}
	if _, ok := c.Get(path.Resource(3, 0, 0)); !ok {
		t.Error("the Device Object instance was deleted")
	}
	if _, ok := c.Get(path.Resource(3303, 0, 5700)); ok {
		t.Error("the temperature instance survived")
	}
}
