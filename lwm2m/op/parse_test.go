package op

import (
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// reqCase is one CoAP request, the role it arrives at, and the Request
// it maps to or the error it gets.
type reqCase struct {
	name    string
	role    Role
	typ     coapmsg.Type // CON unless set
	code    coapmsg.Code
	path    string // Uri-Path, segments split on '/'
	query   string // Uri-Query, parameters split on '&'
	opts    []opt
	payload string
	raw     bool // parse the Message as built, without the wire round trip (coapmsg would not encode it)

	want  Request // Type, MessageID, Token and Payload are filled in from the message
	class error   // the error class, or nil
	rcode coapmsg.Code
}

const (
	tlv      = coapmsg.AppLwM2MTLV
	senmlJ   = coapmsg.AppSenMLJSON
	senmlC   = coapmsg.AppSenMLCBOR
	lwcbor   = coapmsg.AppLwM2MCBOR
	text     = coapmsg.TextPlain
	linkFmt  = coapmsg.AppLinkFormat
	regLinks = "</1/0>,</3/0>,</3303/0>"
)

var (
	bs  = RoleBootstrapServer
	srv = RoleServer
	cbs = RoleClientFromBootstrap
	cs  = RoleClientFromServer
)

// The operations, as LwM2M Transport 6 maps them, with the forbidden cases
// next to each (LwM2M Core 6 cites the rule in every error).
var reqCases = []reqCase{
	// Bootstrap interface, at the bootstrap server (Transport 6.1).
	{name: "bootstrap-request", role: bs, code: coapmsg.POST, path: "/bs", query: "ep=node1&pct=112",
		want: Request{Kind: KindBootstrapRequest, Params: Params{Set: ParamEndpoint | ParamPreferredFormat, Endpoint: []byte("node1"), PreferredFormat: senmlC}}},
	{name: "bootstrap-request/extra-param", role: bs, code: coapmsg.POST, path: "/bs", query: "ep=node1&apn=internet",
		want: Request{Kind: KindBootstrapRequest, Params: Params{Set: ParamEndpoint, Endpoint: []byte("node1"), Extra: [4][]byte{[]byte("apn=internet")}, NExtra: 1}}},
	{name: "bootstrap-request/no-ep", role: bs, code: coapmsg.POST, path: "/bs", query: "pct=11542", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-request/ep-empty", role: bs, code: coapmsg.POST, path: "/bs", query: "ep=", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-request/pct-link-format", role: bs, code: coapmsg.POST, path: "/bs", query: "ep=n&pct=40", class: ErrUnsupportedFormat, rcode: coapmsg.UnsupportedContentFormat},
	{name: "bootstrap-request/pct-not-number", role: bs, code: coapmsg.POST, path: "/bs", query: "ep=n&pct=tlv", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-request/lt-not-defined", role: bs, code: coapmsg.POST, path: "/bs", query: "ep=n&lt=30", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-request/get", role: bs, code: coapmsg.GET, path: "/bs", query: "ep=n", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap-pack-request", role: bs, code: coapmsg.GET, path: "/bspack", query: "ep=node1", opts: []opt{acc(senmlC)},
		want: withAccept(Request{Kind: KindBootstrapPackRequest, Params: Params{Set: ParamEndpoint, Endpoint: []byte("node1")}}, senmlC)},
	{name: "bootstrap-pack-request/accept-tlv", role: bs, code: coapmsg.GET, path: "/bspack", query: "ep=node1", opts: []opt{acc(tlv)}, class: ErrNotAcceptable, rcode: coapmsg.NotAcceptable},
	{name: "bootstrap-pack-request/post", role: bs, code: coapmsg.POST, path: "/bspack", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap-server/register", role: bs, code: coapmsg.POST, path: "/rd", query: "ep=n", payload: regLinks, class: ErrNotFound, rcode: coapmsg.NotFound},

	// Bootstrap interface, at the client (Transport 6.1).
	{name: "bootstrap-finish", role: cbs, code: coapmsg.POST, path: "/bs", want: Request{Kind: KindBootstrapFinish}},
	{name: "bootstrap-finish/query", role: cbs, code: coapmsg.POST, path: "/bs", query: "ep=n", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-finish/put", role: cbs, code: coapmsg.PUT, path: "/bs", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap-write/instance", role: cbs, code: coapmsg.PUT, path: "/1/0", opts: []opt{cf(tlv)}, payload: "\x08\x00\x01\x01",
		want: withCF(Request{Kind: KindBootstrapWrite, Path: inst(1, 0)}, tlv)},
	{name: "bootstrap-write/object", role: cbs, code: coapmsg.PUT, path: "/0", opts: []opt{cf(senmlJ)}, payload: "[]",
		want: withCF(Request{Kind: KindBootstrapWrite, Path: path.Object(0)}, senmlJ)},
	{name: "bootstrap-write/resource-text", role: cbs, code: coapmsg.PUT, path: "/1/0/1", opts: []opt{cf(text)}, payload: "300",
		want: withCF(Request{Kind: KindBootstrapWrite, Path: res(1, 0, 1)}, text)},
	{name: "bootstrap-write/root", role: cbs, code: coapmsg.PUT, path: "/", opts: []opt{cf(tlv)}, payload: "\x00", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap-write/resource-instance", role: cbs, code: coapmsg.PUT, path: "/1/0/7/0", opts: []opt{cf(text)}, payload: "U", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap-write/no-content-format", role: cbs, code: coapmsg.PUT, path: "/1/0", payload: "\x00", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-write/text-on-instance", role: cbs, code: coapmsg.PUT, path: "/1/0", opts: []opt{cf(text)}, payload: "1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-write/link-format", role: cbs, code: coapmsg.PUT, path: "/1/0", opts: []opt{cf(linkFmt)}, payload: "</1>", class: ErrUnsupportedFormat, rcode: coapmsg.UnsupportedContentFormat},
	{name: "bootstrap-write/attributes", role: cbs, code: coapmsg.PUT, path: "/1/0/1", query: "pmin=1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-read", role: cbs, code: coapmsg.GET, path: "/1", opts: []opt{acc(tlv)},
		want: withAccept(Request{Kind: KindBootstrapRead, Path: path.Object(1)}, tlv)},
	{name: "bootstrap-read/resource", role: cbs, code: coapmsg.GET, path: "/1/0/1", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap-read/observe", role: cbs, code: coapmsg.GET, path: "/1", opts: []opt{obs(0)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "bootstrap-discover/root", role: cbs, code: coapmsg.GET, path: "/", opts: []opt{acc(linkFmt)},
		want: withAccept(Request{Kind: KindBootstrapDiscover}, linkFmt)},
	{name: "bootstrap-discover/object", role: cbs, code: coapmsg.GET, path: "/0", opts: []opt{acc(linkFmt)},
		want: withAccept(Request{Kind: KindBootstrapDiscover, Path: path.Object(0)}, linkFmt)},
	{name: "bootstrap-discover/instance", role: cbs, code: coapmsg.GET, path: "/0/1", opts: []opt{acc(linkFmt)}, class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap-delete/root", role: cbs, code: coapmsg.DELETE, path: "/", want: Request{Kind: KindBootstrapDelete}},
	{name: "bootstrap-delete/instance", role: cbs, code: coapmsg.DELETE, path: "/0/1", want: Request{Kind: KindBootstrapDelete, Path: inst(0, 1)}},
	{name: "bootstrap-delete/resource", role: cbs, code: coapmsg.DELETE, path: "/0/1/2", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap/post-object", role: cbs, code: coapmsg.POST, path: "/1", opts: []opt{cf(tlv)}, payload: "\x00", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "bootstrap/not-a-path", role: cbs, code: coapmsg.GET, path: "/abc", class: ErrNotFound, rcode: coapmsg.NotFound},

	// Client Registration interface, at the server (Transport 6.2).
	{name: "register", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=node1&lt=300&lwm2m=1.1&b=U&Q", opts: []opt{cf(linkFmt)}, payload: regLinks,
		want: withCF(Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint | ParamLifetime | ParamVersion | ParamBinding | ParamQueue,
			Endpoint: []byte("node1"), Lifetime: 300, Version: link.Version{Major: 1, Minor: 1}, Binding: BindingUDP}}, linkFmt)},
	{name: "register/minimal", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=urn:imei:490154203237518", payload: regLinks,
		want: Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint, Endpoint: []byte("urn:imei:490154203237518")}}},
	{name: "register/1.0-uqs-sms", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=n&b=UQS&sms=+33612345678&lwm2m=1.0", payload: regLinks,
		want: Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint | ParamBinding | ParamSMS | ParamVersion, Endpoint: []byte("n"),
			Binding: BindingUDP | BindingQueue | BindingSMS, SMS: []byte("+33612345678"), Version: link.Version{Major: 1}}}},
	{name: "register/1.2-tcp-nonip", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=n&lwm2m=1.2&b=TN", payload: regLinks,
		want: Request{Kind: KindRegister, Params: Params{Set: ParamEndpoint | ParamVersion | ParamBinding, Endpoint: []byte("n"),
			Version: link.Version{Major: 1, Minor: 2}, Binding: BindingTCP | BindingNonIP}}},
	{name: "register/no-ep", role: srv, code: coapmsg.POST, path: "/rd", query: "lt=300", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/no-payload", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=n", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/text-payload", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=n", opts: []opt{cf(text)}, payload: regLinks, class: ErrUnsupportedFormat, rcode: coapmsg.UnsupportedContentFormat},
	{name: "register/ep-twice", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&ep=b", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/lt-negative", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&lt=-1", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/lt-leading-zero", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&lt=0300", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/lt-overflow", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&lt=18446744073709551616", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/version-bad", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&lwm2m=1", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/binding-unknown", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&b=X", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/binding-twice", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&b=UU", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/1.1-binding-q", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&lwm2m=1.1&b=UQ", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/1.0-binding-t", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&b=T", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/1.0-q-param", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&Q", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/q-with-value", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&lwm2m=1.1&Q=1", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/sms-not-msisdn", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&sms=abc", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/pct-not-defined", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&pct=112", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/empty-param", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&=x", payload: regLinks, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "register/too-many-extras", role: srv, code: coapmsg.POST, path: "/rd", query: "ep=a&x1=1&x2=2&x3=3&x4=4&x5=5", payload: regLinks, class: ErrLimit, rcode: coapmsg.BadRequest},
	{name: "register/get", role: srv, code: coapmsg.GET, path: "/rd", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "update", role: srv, code: coapmsg.POST, path: "/rd/5a3f", query: "lt=600&b=U",
		want: Request{Kind: KindUpdate, Location: loc("/rd/5a3f"), Params: Params{Set: ParamLifetime | ParamBinding, Lifetime: 600, Binding: BindingUDP}}},
	{name: "update/objects-and-q", role: srv, code: coapmsg.POST, path: "/rd/5a3f", query: "Q&sms=123", opts: []opt{cf(linkFmt)}, payload: regLinks,
		want: withCF(Request{Kind: KindUpdate, Location: loc("/rd/5a3f"), Params: Params{Set: ParamQueue | ParamSMS, SMS: []byte("123")}}, linkFmt)},
	{name: "update/empty", role: srv, code: coapmsg.POST, path: "/rd/5a3f", want: Request{Kind: KindUpdate, Location: loc("/rd/5a3f")}},
	{name: "update/ep", role: srv, code: coapmsg.POST, path: "/rd/5a3f", query: "ep=x", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "update/lwm2m", role: srv, code: coapmsg.POST, path: "/rd/5a3f", query: "lwm2m=1.1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "update/deep-location", role: srv, code: coapmsg.POST, path: "/rd/a/b/c/d/e/f/g/h", class: ErrLimit, rcode: coapmsg.BadRequest},
	{name: "deregister", role: srv, code: coapmsg.DELETE, path: "/rd/5a3f", want: Request{Kind: KindDeregister, Location: loc("/rd/5a3f")}},
	{name: "deregister/query", role: srv, code: coapmsg.DELETE, path: "/rd/5a3f", query: "lt=1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "deregister/rd", role: srv, code: coapmsg.DELETE, path: "/rd", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "registration/put-location", role: srv, code: coapmsg.PUT, path: "/rd/5a3f", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "server/unknown-path", role: srv, code: coapmsg.POST, path: "/foo", class: ErrNotFound, rcode: coapmsg.NotFound},
	{name: "server/read", role: srv, code: coapmsg.GET, path: "/3/0", class: ErrNotFound, rcode: coapmsg.NotFound},

	// Send, at the server (Transport 6.4).
	{name: "send", role: srv, code: coapmsg.POST, path: "/dp", opts: []opt{cf(senmlC)}, payload: "\x81\xa2\x00\x66/3/0/9\x02\x18\x55",
		want: withCF(Request{Kind: KindSend}, senmlC)},
	{name: "send/non", role: srv, typ: coapmsg.NonConfirmable, code: coapmsg.POST, path: "/dp", opts: []opt{cf(lwcbor)}, payload: "\xa1\x03\xa1\x00\xa1\x09\x18\x55",
		want: withCF(Request{Kind: KindSend}, lwcbor)},
	{name: "send/no-content-format", role: srv, code: coapmsg.POST, path: "/dp", payload: "[]", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "send/tlv", role: srv, code: coapmsg.POST, path: "/dp", opts: []opt{cf(tlv)}, payload: "\x00", class: ErrUnsupportedFormat, rcode: coapmsg.UnsupportedContentFormat},
	{name: "send/no-payload", role: srv, code: coapmsg.POST, path: "/dp", opts: []opt{cf(senmlJ)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},

	// Device Management and Service Enablement, at the client (Transport 6.3).
	{name: "read/instance-senml-cbor", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{acc(senmlC)},
		want: withAccept(Request{Kind: KindRead, Path: inst(3, 0)}, senmlC)},
	{name: "read/resource-instance", role: cs, code: coapmsg.GET, path: "/3/0/7/1", want: Request{Kind: KindRead, Path: path.ResourceInstance(3, 0, 7, 1)}},
	{name: "read/resource-text", role: cs, code: coapmsg.GET, path: "/3/0/9", opts: []opt{acc(text)},
		want: withAccept(Request{Kind: KindRead, Path: res(3, 0, 9)}, text)},
	{name: "read/non", role: cs, typ: coapmsg.NonConfirmable, code: coapmsg.GET, path: "/3", want: Request{Kind: KindRead, Path: path.Object(3)}},
	{name: "read/root", role: cs, code: coapmsg.GET, path: "/", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "read/text-on-instance", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{acc(text)}, class: ErrNotAcceptable, rcode: coapmsg.NotAcceptable},
	{name: "read/accept-json", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{acc(coapmsg.AppJSON)}, class: ErrNotAcceptable, rcode: coapmsg.NotAcceptable},
	{name: "read/query", role: cs, code: coapmsg.GET, path: "/3/0", query: "pmin=1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "read/single-empty-segment-is-root", role: cs, code: coapmsg.GET, opts: []opt{{coapmsg.URIPath, nil}}, class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "read/leading-zero", role: cs, code: coapmsg.GET, path: "/03/0", class: ErrNotFound, rcode: coapmsg.NotFound},
	{name: "read/max-id", role: cs, code: coapmsg.GET, path: "/65535", class: ErrNotFound, rcode: coapmsg.NotFound},
	{name: "read/five-ids", role: cs, code: coapmsg.GET, path: "/3/0/7/1/2", class: ErrNotFound, rcode: coapmsg.NotFound},
	{name: "read/trailing-slash", role: cs, code: coapmsg.GET, path: "/3/0/", class: ErrNotFound, rcode: coapmsg.NotFound},
	{name: "read-composite", role: cs, code: coapmsg.FETCH, path: "/", opts: []opt{cf(senmlJ), acc(senmlC)}, payload: `[{"n":"/3/0/9"},{"n":"/1/0/1"}]`,
		want: withAccept(withCF(Request{Kind: KindReadComposite}, senmlJ), senmlC)},
	{name: "read-composite/object-path", role: cs, code: coapmsg.FETCH, path: "/3", opts: []opt{cf(senmlJ)}, payload: `[{"n":"/3/0/9"}]`, class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "read-composite/no-content-format", role: cs, code: coapmsg.FETCH, path: "/", payload: `[{"n":"/3/0/9"}]`, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "read-composite/tlv", role: cs, code: coapmsg.FETCH, path: "/", opts: []opt{cf(tlv)}, payload: "\x00", class: ErrUnsupportedFormat, rcode: coapmsg.UnsupportedContentFormat},
	{name: "read-composite/no-paths", role: cs, code: coapmsg.FETCH, path: "/", opts: []opt{cf(senmlJ)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "read-composite/accept-tlv", role: cs, code: coapmsg.FETCH, path: "/", opts: []opt{cf(senmlJ), acc(tlv)}, payload: `[{"n":"/3"}]`, class: ErrNotAcceptable, rcode: coapmsg.NotAcceptable},
	{name: "discover", role: cs, code: coapmsg.GET, path: "/3", opts: []opt{acc(linkFmt)},
		want: withAccept(Request{Kind: KindDiscover, Path: path.Object(3)}, linkFmt)},
	{name: "discover/depth", role: cs, code: coapmsg.GET, path: "/3/0", query: "depth=2", opts: []opt{acc(linkFmt)},
		want: withAccept(Request{Kind: KindDiscover, Path: inst(3, 0), Depth: 2, HasDepth: true}, linkFmt)},
	{name: "discover/depth-4", role: cs, code: coapmsg.GET, path: "/3", query: "depth=4", opts: []opt{acc(linkFmt)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "discover/pmin", role: cs, code: coapmsg.GET, path: "/3", query: "pmin=4", opts: []opt{acc(linkFmt)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "discover/resource-instance", role: cs, code: coapmsg.GET, path: "/3/0/7/0", opts: []opt{acc(linkFmt)}, class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "discover/root", role: cs, code: coapmsg.GET, path: "/", opts: []opt{acc(linkFmt)}, class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "write/replace-instance", role: cs, code: coapmsg.PUT, path: "/3/0", opts: []opt{cf(tlv)}, payload: "\xc1\x0e\x2b",
		want: withCF(Request{Kind: KindWrite, Path: inst(3, 0)}, tlv)},
	{name: "write/replace-resource-text", role: cs, code: coapmsg.PUT, path: "/3/0/14", opts: []opt{cf(text)}, payload: "+02",
		want: withCF(Request{Kind: KindWrite, Path: res(3, 0, 14)}, text)},
	{name: "write/replace-resource-instance", role: cs, code: coapmsg.PUT, path: "/1/0/23/1", opts: []opt{cf(coapmsg.AppOctetStream)}, payload: "\x01",
		want: withCF(Request{Kind: KindWrite, Path: path.ResourceInstance(1, 0, 23, 1)}, coapmsg.AppOctetStream)},
	{name: "write/empty-string", role: cs, code: coapmsg.PUT, path: "/3/0/15", opts: []opt{cf(text)},
		want: withCF(Request{Kind: KindWrite, Path: res(3, 0, 15)}, text)},
	{name: "write/partial-instance", role: cs, code: coapmsg.POST, path: "/3/0", opts: []opt{cf(senmlC)}, payload: "\x80",
		want: withCF(Request{Kind: KindWrite, Partial: true, Path: inst(3, 0)}, senmlC)},
	{name: "write/partial-multiple-resource", role: cs, code: coapmsg.POST, path: "/3/0/6", opts: []opt{cf(tlv)}, payload: "\x41\x00\x01",
		want: withCF(Request{Kind: KindWrite, Partial: true, Path: res(3, 0, 6)}, tlv)},
	{name: "write/object", role: cs, code: coapmsg.PUT, path: "/3", opts: []opt{cf(tlv)}, payload: "\x00", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "write/root", role: cs, code: coapmsg.PUT, path: "/", opts: []opt{cf(senmlC)}, payload: "\x80", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "write/no-content-format", role: cs, code: coapmsg.PUT, path: "/3/0/14", payload: "+02", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write/partial-no-content-format", role: cs, code: coapmsg.POST, path: "/3/0", payload: "x", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write/link-format", role: cs, code: coapmsg.PUT, path: "/3/0", opts: []opt{cf(linkFmt)}, payload: "</3>", class: ErrUnsupportedFormat, rcode: coapmsg.UnsupportedContentFormat},
	{name: "write/text-on-instance", role: cs, code: coapmsg.PUT, path: "/3/0", opts: []opt{cf(text)}, payload: "1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write/partial-resource-instance", role: cs, code: coapmsg.POST, path: "/3/0/6/0", opts: []opt{cf(tlv)}, payload: "\x41\x00\x01", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "write-composite", role: cs, code: coapmsg.IPATCH, path: "/", opts: []opt{cf(senmlJ)}, payload: `[{"n":"/3/0/14","vs":"+02"}]`,
		want: withCF(Request{Kind: KindWriteComposite}, senmlJ)},
	{name: "write-composite/instance", role: cs, code: coapmsg.IPATCH, path: "/3/0", opts: []opt{cf(senmlJ)}, payload: `[]`, class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "write-composite/tlv", role: cs, code: coapmsg.IPATCH, path: "/", opts: []opt{cf(tlv)}, payload: "\x00", class: ErrUnsupportedFormat, rcode: coapmsg.UnsupportedContentFormat},
	{name: "write-attributes", role: cs, code: coapmsg.PUT, path: "/3303/0/5700", query: "pmin=10&pmax=60&gt=50.5&lt=-10&st=2",
		want: Request{Kind: KindWriteAttributes, Path: res(3303, 0, 5700), Attrs: Attributes{
			Set: link.AttrPmin | link.AttrPmax | link.AttrGt | link.AttrLt | link.AttrSt, Pmin: 10, Pmax: 60, Gt: 50.5, Lt: -10, St: 2}}},
	{name: "write-attributes/unset", role: cs, code: coapmsg.PUT, path: "/3/0", query: "pmin&pmax=",
		want: Request{Kind: KindWriteAttributes, Path: inst(3, 0), Attrs: Attributes{Unset: link.AttrPmin | link.AttrPmax}}},
	{name: "write-attributes/1.2", role: cs, code: coapmsg.PUT, path: "/3303/0/5700/1", query: "epmin=5&epmax=30&edge=1&con=0&hqmax=8",
		want: Request{Kind: KindWriteAttributes, Path: path.ResourceInstance(3303, 0, 5700, 1), Attrs: Attributes{
			Set: link.AttrEpmin | link.AttrEpmax | link.AttrEdge | link.AttrCon | link.AttrHqmax, Epmin: 5, Epmax: 30, Edge: true, Hqmax: 8}}},
	{name: "write-attributes/object", role: cs, code: coapmsg.PUT, path: "/3303", query: "pmax=300",
		want: Request{Kind: KindWriteAttributes, Path: path.Object(3303), Attrs: Attributes{Set: link.AttrPmax, Pmax: 300}}},
	{name: "write-attributes/pmin-above-pmax", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "pmin=60&pmax=10", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/negative-step", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "st=-1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/negative-pmin", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "pmin=-1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/unknown", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "foo=1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/property-dim", role: cs, code: coapmsg.PUT, path: "/3/0/7", query: "dim=2", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/gt-on-instance", role: cs, code: coapmsg.PUT, path: "/3/0", query: "gt=5", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/lt-not-below-gt", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "lt=5&gt=5", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/step-too-wide", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "lt=5&gt=10&st=3", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/epmin-above-epmax", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "epmin=5&epmax=1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/twice", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "pmin=1&pmin=2", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/edge-2", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "edge=2", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/exponent", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "gt=1e3", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "write-attributes/root", role: cs, code: coapmsg.PUT, path: "/", query: "pmin=1", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "write-attributes/payload", role: cs, code: coapmsg.PUT, path: "/3/0/9", query: "pmin=1", opts: []opt{cf(text)}, payload: "1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "execute", role: cs, code: coapmsg.POST, path: "/3/0/4", want: Request{Kind: KindExecute, Path: res(3, 0, 4)}},
	{name: "execute/arguments", role: cs, code: coapmsg.POST, path: "/5/0/2", payload: "0='https://example.com/fw',1",
		want: Request{Kind: KindExecute, Path: res(5, 0, 2)}},
	{name: "execute/text", role: cs, code: coapmsg.POST, path: "/1/0/8", opts: []opt{cf(text)}, payload: "2='x'",
		want: withCF(Request{Kind: KindExecute, Path: res(1, 0, 8)}, text)},
	{name: "execute/unterminated", role: cs, code: coapmsg.POST, path: "/3/0/4", payload: "0='abc", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "execute/digit-twice", role: cs, code: coapmsg.POST, path: "/3/0/4", payload: "1,1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "execute/not-a-digit", role: cs, code: coapmsg.POST, path: "/3/0/4", payload: "a", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "execute/space", role: cs, code: coapmsg.POST, path: "/3/0/4", payload: "0='a b'", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "execute/query", role: cs, code: coapmsg.POST, path: "/3/0/4", query: "x=1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "create", role: cs, code: coapmsg.POST, path: "/3303", opts: []opt{cf(tlv)}, payload: "\x08\x01\x06\xe4\x16\x44\x01\x00",
		want: withCF(Request{Kind: KindCreate, Path: path.Object(3303)}, tlv)},
	{name: "create/no-content-format", role: cs, code: coapmsg.POST, path: "/3303", payload: "x", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "create/text", role: cs, code: coapmsg.POST, path: "/3303", opts: []opt{cf(text)}, payload: "1", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "create/root", role: cs, code: coapmsg.POST, path: "/", opts: []opt{cf(tlv)}, payload: "\x00", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "delete", role: cs, code: coapmsg.DELETE, path: "/3303/1", want: Request{Kind: KindDelete, Path: inst(3303, 1)}},
	{name: "delete/resource", role: cs, code: coapmsg.DELETE, path: "/3303/1/5700", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "delete/object", role: cs, code: coapmsg.DELETE, path: "/3303", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "delete/root", role: cs, code: coapmsg.DELETE, path: "/", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "client/patch", role: cs, code: coapmsg.PATCH, path: "/3/0", opts: []opt{cf(senmlJ)}, payload: "[]", class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "client/bootstrap-finish-from-server", role: cs, code: coapmsg.POST, path: "/bs", class: ErrNotFound, rcode: coapmsg.NotFound},

	// Information Reporting, at the client (Transport 6.4).
	{name: "observe", role: cs, code: coapmsg.GET, path: "/3/0/9", opts: []opt{obs(0), acc(text)},
		want: withAccept(Request{Kind: KindObserve, Path: res(3, 0, 9)}, text)},
	{name: "observe/attributes-1.2", role: cs, code: coapmsg.GET, path: "/3303/0/5700", query: "pmin=10&pmax=60", opts: []opt{obs(0)},
		want: Request{Kind: KindObserve, Path: res(3303, 0, 5700), Attrs: Attributes{Set: link.AttrPmin | link.AttrPmax, Pmin: 10, Pmax: 60}}},
	{name: "observe/unset-attribute", role: cs, code: coapmsg.GET, path: "/3/0/9", query: "pmin", opts: []opt{obs(0)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "observe/root", role: cs, code: coapmsg.GET, path: "/", opts: []opt{obs(0)}, class: ErrNotAllowed, rcode: coapmsg.MethodNotAllowed},
	{name: "observe/link-format", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{obs(0), acc(linkFmt)}, class: ErrNotAcceptable, rcode: coapmsg.NotAcceptable},
	{name: "observe/value-2", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{obs(2)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "observe/on-put", role: cs, code: coapmsg.PUT, path: "/3/0/14", opts: []opt{obs(0), cf(text)}, payload: "+02", class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "cancel-observation", role: cs, code: coapmsg.GET, path: "/3/0/9", opts: []opt{obs(1)},
		want: Request{Kind: KindCancelObservation, Path: res(3, 0, 9)}},
	// RFC 7641 3.6: a cancel repeats the registration's options, attributes included.
	{name: "cancel-observation/attributes", role: cs, code: coapmsg.GET, path: "/3/0/9", query: "pmin=1", opts: []opt{obs(1)},
		want: Request{Kind: KindCancelObservation, Path: res(3, 0, 9), Attrs: Attributes{Set: link.AttrPmin, Pmin: 1}}},
	{name: "cancel-observation/unset-attribute", role: cs, code: coapmsg.GET, path: "/3/0/9", query: "pmin", opts: []opt{obs(1)}, class: ErrBadRequest, rcode: coapmsg.BadRequest},
	{name: "cancel-observation/reset", role: cs, typ: coapmsg.Reset, code: coapmsg.Empty,
		want: Request{Kind: KindCancelObservation}},
	{name: "observe-composite", role: cs, code: coapmsg.FETCH, path: "/", opts: []opt{obs(0), cf(senmlC), acc(senmlC)}, payload: "\x82\xa1\x00\x66/3/0/9\xa1\x00\x66/1/0/1",
		want: withAccept(withCF(Request{Kind: KindObserveComposite}, senmlC), senmlC)},
	{name: "observe-composite/attributes", role: cs, code: coapmsg.FETCH, path: "/", query: "pmax=30&gt=2", opts: []opt{obs(0), cf(senmlJ)}, payload: `[{"n":"/3303/0/5700"}]`,
		want: withCF(Request{Kind: KindObserveComposite, Attrs: Attributes{Set: link.AttrPmax | link.AttrGt, Pmax: 30, Gt: 2}}, senmlJ)},
	{name: "cancel-observation-composite", role: cs, code: coapmsg.FETCH, path: "/", opts: []opt{obs(1), cf(senmlJ)}, payload: `[{"n":"/3/0/9"}]`,
		want: withCF(Request{Kind: KindCancelObservationComposite}, senmlJ)},

	// What no role takes.
	{name: "response", role: cs, code: coapmsg.Content, path: "/3/0", class: ErrNotRequest},
	{name: "empty-ack", role: cs, typ: coapmsg.Acknowledgement, code: coapmsg.Empty, class: ErrNotRequest},
	{name: "reset-at-server", role: srv, typ: coapmsg.Reset, code: coapmsg.Empty, class: ErrNotRequest},
	{name: "ping", role: cs, typ: coapmsg.Confirmable, code: coapmsg.Empty, class: ErrNotRequest},
	{name: "request-in-ack", role: cs, typ: coapmsg.Acknowledgement, code: coapmsg.GET, path: "/3/0", class: ErrNotRequest},
	{name: "no-role", role: 0, code: coapmsg.GET, path: "/3/0", class: ErrNotRequest},
	{name: "unknown-critical-option", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{{2049, []byte{1}}}, class: ErrBadOption, rcode: coapmsg.BadOption},
	{name: "unknown-elective-option", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{{2048, []byte{1}}},
		want: Request{Kind: KindRead, Path: inst(3, 0)}},
	{name: "proxy-uri", role: cs, code: coapmsg.GET, path: "/3/0", opts: []opt{{coapmsg.ProxyURI, []byte("coap://x/3/0")}}, class: ErrBadOption, rcode: coapmsg.ProxyingNotSupported},
	{name: "content-format-twice", role: cs, raw: true, code: coapmsg.PUT, path: "/3/0/1", opts: []opt{cf(text), cf(text)}, payload: "x", class: ErrBadOption, rcode: coapmsg.BadOption},
	{name: "accept-3-bytes", role: cs, raw: true, code: coapmsg.GET, path: "/3/0", opts: []opt{{coapmsg.Accept, []byte{1, 2, 3}}}, class: ErrBadOption, rcode: coapmsg.BadOption},
	{name: "block2-ignored", role: cs, code: coapmsg.GET, path: "/5/0/0", opts: []opt{u(coapmsg.Block2, 0x16)},
		want: Request{Kind: KindRead, Path: res(5, 0, 0)}},
}

// TestParse maps each request, checks the Request or the error, and for
// every accepted one builds it back and parses that again.
func TestParse(t *testing.T) {
	seen := map[string]bool{}
	var bd Builder
	for _, c := range reqCases {
		t.Run(c.name, func(t *testing.T) {
			if seen[c.name] {
				t.Fatal("duplicate case name")
			}
			seen[c.name] = true
			typ := c.typ
			m := message(typ, c.code, c.path, c.query, c.opts, c.payload)
			if !c.raw {
				m = overWire(t, m)
			}
			var r Request
			err := r.Parse(m, c.role)
			if c.class != nil {
				if err == nil {
					t.Fatalf("accepted: %s", show(&r))
				}
				checkErr(t, err, c.class, c.rcode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			want.Type, want.MessageID = typ, testMID
			if c.code != coapmsg.Empty {
				want.Token = testToken
			}
			if c.payload != "" {
				want.Payload = []byte(c.payload)
			}
			if !equalRequest(&r, &want) {
				t.Fatalf("got  %s\nwant %s", show(&r), show(&want))
			}
			if r.Kind.Role() != c.role {
				t.Fatalf("%v received at %v, Kind.Role says %v", r.Kind, c.role, r.Kind.Role())
			}
			// Build it back, decode, parse: the same Request.
			out, err := bd.AppendRequest(nil, &r)
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			var d coapmsg.Message
			if _, err := d.Decode(out); err != nil {
				t.Fatalf("decode built %x: %v", out, err)
			}
			var back Request
			if err := back.Parse(&d, c.role); err != nil {
				t.Fatalf("parse built %x: %v", out, err)
			}
			if !equalRequest(&back, &r) {
				t.Fatalf("round trip\ngot  %s\nwant %s", show(&back), show(&r))
			}
		})
	}
}

// TestParseCoversKinds checks that the table has an accepted case of every
// request operation in every role that receives it.
func TestParseCoversKinds(t *testing.T) {
	got := map[Kind]bool{}
	for _, c := range reqCases {
		if c.class == nil {
			got[c.want.Kind] = true
		}
	}
	for k := Kind(1); k < numKinds; k++ {
		if k != KindNotify && !got[k] {
			t.Errorf("no accepted case for %v", k)
		}
	}
}
