package op

import (
	"strconv"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Kind is an LwM2M operation of the four interfaces of LwM2M Core 1.1 and
// 1.2 section 6: Bootstrap, Client Registration, Device Management and
// Service Enablement, and Information Reporting.
type Kind uint8

// The operations. The zero Kind is no operation.
const (
	// Bootstrap interface (LwM2M Core 6.1, Transport 6.1).
	KindBootstrapRequest     Kind = iota + 1 // POST /bs?ep=..&pct=.., client to bootstrap server
	KindBootstrapPackRequest                 // GET /bspack?ep=.., client to bootstrap server (1.2)
	KindBootstrapFinish                      // POST /bs, bootstrap server to client
	KindBootstrapWrite                       // PUT /o[/i[/r]], bootstrap server to client
	KindBootstrapRead                        // GET /o[/i], bootstrap server to client (1.1)
	KindBootstrapDiscover                    // GET / or /o with Accept: application/link-format
	KindBootstrapDelete                      // DELETE / , /o or /o/i

	// Client Registration interface (LwM2M Core 6.2, Transport 6.2).
	KindRegister   // POST /rd?ep=..&lt=..&lwm2m=..&b=..&sms=..&Q with the link-format payload
	KindUpdate     // POST /{location}?lt=..&b=..&sms=..&Q
	KindDeregister // DELETE /{location}

	// Device Management and Service Enablement interface (LwM2M Core 6.3, Transport 6.3).
	KindRead            // GET /o[/i[/r[/ri]]]
	KindReadComposite   // FETCH / with a list of paths (1.1)
	KindDiscover        // GET /o[/i[/r]] with Accept: application/link-format
	KindWrite           // PUT (replace) or POST (partial update) /o/i[/r[/ri]]
	KindWriteComposite  // iPATCH / (1.1)
	KindWriteAttributes // PUT /o[/i[/r[/ri]]]?pmin=..&pmax=..
	KindExecute         // POST /o/i/r with optional arguments
	KindCreate          // POST /o
	KindDelete          // DELETE /o/i

	// Information Reporting interface (LwM2M Core 6.4, Transport 6.4).
	KindObserve                    // GET with Observe 0
	KindObserveComposite           // FETCH / with Observe 0 (1.1)
	KindCancelObservation          // GET with Observe 1, or a Reset answering a notification
	KindCancelObservationComposite // FETCH / with Observe 1 (1.1)
	KindNotify                     // 2.05 Content with an Observe sequence number, client to server
	KindSend                       // POST /dp, client to server (1.1)

	numKinds
)

// Role says which end of which interface receives a message. The same CoAP
// request means different operations in each: a DELETE of / is a
// Bootstrap-Delete from a bootstrap server and not allowed from an LwM2M
// server, a POST to /bs is a Bootstrap-Request at the bootstrap server and
// a Bootstrap-Finish at the client.
type Role uint8

// The roles. The zero Role is none; Parse rejects it.
const (
	// RoleBootstrapServer is a bootstrap server receiving from a client:
	// Bootstrap-Request and Bootstrap-Pack-Request.
	RoleBootstrapServer Role = iota + 1
	// RoleServer is an LwM2M server receiving from a client: Register,
	// Update, De-register and Send.
	RoleServer
	// RoleClientFromBootstrap is a client receiving from its bootstrap
	// server: Bootstrap-Write, -Read, -Discover, -Delete and -Finish.
	RoleClientFromBootstrap
	// RoleClientFromServer is a client receiving from an LwM2M server: the
	// Device Management and Information Reporting operations.
	RoleClientFromServer
)

var roleNames = [...]string{"", "bootstrap server", "server", "client from bootstrap server", "client from server"}

// String returns "bootstrap server", "server", "client from bootstrap
// server" or "client from server".
func (r Role) String() string {
	if r != 0 && int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "Role(" + strconv.Itoa(int(r)) + ")"
}

// levels is a set of path levels, one bit per path.Level.
type levels uint8

const (
	lvRoot levels = 1 << iota
	lvObject
	lvInstance
	lvResource
	lvResourceInstance

	lvAny = lvObject | lvInstance | lvResource | lvResourceInstance
)

func (l levels) has(p path.Path) bool { return l&(1<<p.Level()) != 0 }

// kindInfo is what the tables of LwM2M Transport section 6 and the
// operation definitions of LwM2M Core section 6 say of one operation.
type kindInfo struct {
	name     string
	role     Role           // who receives the request
	levels   levels         // path levels the operation may target; 0: no LwM2M path
	pathMsg  string         // the error when the level is not allowed
	pathRule string         // the rule cited by pathMsg
	codes    []coapmsg.Code // the success code, then the error codes the table lists
	codeRule string
}

// The response codes of the mapping tables of LwM2M Transport 1.1 and 1.2
// section 6 ("Operation to Method and URI Mapping", one table per
// interface): the success code first, then the failures each table lists.
var (
	codesBSRequest  = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.UnsupportedContentFormat}
	codesBSPack     = []coapmsg.Code{coapmsg.Content, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed, coapmsg.NotAcceptable}
	codesBSFinish   = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.NotAcceptable}
	codesBSWrite    = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.UnsupportedContentFormat}
	codesBSRead     = []coapmsg.Code{coapmsg.Content, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed, coapmsg.NotAcceptable}
	codesBSDiscover = []coapmsg.Code{coapmsg.Content, coapmsg.BadRequest, coapmsg.NotFound}
	codesBSDelete   = []coapmsg.Code{coapmsg.Deleted, coapmsg.BadRequest}

	codesRegister   = []coapmsg.Code{coapmsg.Created, coapmsg.BadRequest, coapmsg.Forbidden, coapmsg.PreconditionFailed}
	codesUpdate     = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.NotFound}
	codesDeregister = []coapmsg.Code{coapmsg.Deleted, coapmsg.BadRequest, coapmsg.NotFound}

	codesRead       = []coapmsg.Code{coapmsg.Content, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed, coapmsg.NotAcceptable}
	codesComposite  = []coapmsg.Code{coapmsg.Content, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed, coapmsg.NotAcceptable, coapmsg.UnsupportedContentFormat}
	codesDiscover   = []coapmsg.Code{coapmsg.Content, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed}
	codesWrite      = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed, coapmsg.RequestEntityTooLarge, coapmsg.UnsupportedContentFormat}
	codesWriteAttrs = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed}
	codesExecute    = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed}
	codesCreate     = []coapmsg.Code{coapmsg.Created, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed, coapmsg.UnsupportedContentFormat}
	codesDelete     = []coapmsg.Code{coapmsg.Deleted, coapmsg.BadRequest, coapmsg.Unauthorized, coapmsg.NotFound, coapmsg.MethodNotAllowed}

	codesSend = []coapmsg.Code{coapmsg.Changed, coapmsg.BadRequest, coapmsg.NotFound, coapmsg.UnsupportedContentFormat}
)

// The sections cited by the rules.
const (
	ruleBSTable   = "LwM2M Transport 6.1"
	ruleRegTable  = "LwM2M Transport 6.2"
	ruleDMTable   = "LwM2M Transport 6.3"
	ruleInfoTable = "LwM2M Transport 6.4"

	ruleBSWrite    = "LwM2M Core 6.1.7.2 Bootstrap-Write: an Object, Object Instance or Resource"
	ruleBSRead     = "LwM2M Core 6.1.7.4 Bootstrap-Read: an Object or Object Instance"
	ruleBSDiscover = "LwM2M Core 6.1.7.3 Bootstrap-Discover: the root or an Object"
	ruleBSDelete   = "LwM2M Core 6.1.7.5 Bootstrap-Delete: the root, an Object or Object Instance"
	ruleRead       = "LwM2M Core 6.3.1 Read: an Object, Object Instance, Resource or Resource Instance"
	ruleDiscover   = "LwM2M Core 6.3.2 Discover: an Object, Object Instance or Resource"
	ruleWrite      = "LwM2M Core 6.3.3 Write: an Object Instance, Resource or Resource Instance"
	ruleWriteAttrs = "LwM2M Core 6.3.4 Write-Attributes: an Object, Object Instance, Resource or Resource Instance"
	ruleExecute    = "LwM2M Core 6.3.5 Execute: a Resource"
	ruleCreate     = "LwM2M Core 6.3.6 Create: an Object"
	ruleDelete     = "LwM2M Core 6.3.7 Delete: an Object Instance"
	ruleComposite  = "LwM2M Transport 6.3: composite operations target the root path"
	ruleObserve    = "LwM2M Core 6.4.1 Observe: an Object, Object Instance, Resource or Resource Instance"
)

var kinds = [numKinds]kindInfo{
	KindBootstrapRequest:     {"Bootstrap-Request", RoleBootstrapServer, 0, "", "", codesBSRequest, ruleBSTable},
	KindBootstrapPackRequest: {"Bootstrap-Pack-Request", RoleBootstrapServer, 0, "", "", codesBSPack, ruleBSTable},
	KindBootstrapFinish:      {"Bootstrap-Finish", RoleClientFromBootstrap, 0, "", "", codesBSFinish, ruleBSTable},
	KindBootstrapWrite: {"Bootstrap-Write", RoleClientFromBootstrap, lvObject | lvInstance | lvResource,
		"Bootstrap-Write targets an Object, Object Instance or Resource", ruleBSWrite, codesBSWrite, ruleBSTable},
	KindBootstrapRead: {"Bootstrap-Read", RoleClientFromBootstrap, lvObject | lvInstance,
		"Bootstrap-Read targets an Object or Object Instance", ruleBSRead, codesBSRead, ruleBSTable},
	KindBootstrapDiscover: {"Bootstrap-Discover", RoleClientFromBootstrap, lvRoot | lvObject,
		"Bootstrap-Discover targets the root or an Object", ruleBSDiscover, codesBSDiscover, ruleBSTable},
	KindBootstrapDelete: {"Bootstrap-Delete", RoleClientFromBootstrap, lvRoot | lvObject | lvInstance,
		"Bootstrap-Delete targets the root, an Object or Object Instance", ruleBSDelete, codesBSDelete, ruleBSTable},

	KindRegister:   {"Register", RoleServer, 0, "", "", codesRegister, ruleRegTable},
	KindUpdate:     {"Update", RoleServer, 0, "", "", codesUpdate, ruleRegTable},
	KindDeregister: {"De-register", RoleServer, 0, "", "", codesDeregister, ruleRegTable},

	KindRead: {"Read", RoleClientFromServer, lvAny,
		"Read targets an Object, Object Instance, Resource or Resource Instance", ruleRead, codesRead, ruleDMTable},
	KindReadComposite: {"Read-Composite", RoleClientFromServer, lvRoot,
		"Read-Composite targets the root path; the paths are in the payload", ruleComposite, codesComposite, ruleDMTable},
	KindDiscover: {"Discover", RoleClientFromServer, lvObject | lvInstance | lvResource,
		"Discover targets an Object, Object Instance or Resource", ruleDiscover, codesDiscover, ruleDMTable},
	KindWrite: {"Write", RoleClientFromServer, lvInstance | lvResource | lvResourceInstance,
		"Write targets an Object Instance, Resource or Resource Instance", ruleWrite, codesWrite, ruleDMTable},
	KindWriteComposite: {"Write-Composite", RoleClientFromServer, lvRoot,
		"Write-Composite targets the root path; the paths are in the payload", ruleComposite, codesWrite, ruleDMTable},
	KindWriteAttributes: {"Write-Attributes", RoleClientFromServer, lvAny,
		"Write-Attributes targets an Object, Object Instance, Resource or Resource Instance", ruleWriteAttrs, codesWriteAttrs, ruleDMTable},
	KindExecute: {"Execute", RoleClientFromServer, lvResource,
		"only a Resource can be executed", ruleExecute, codesExecute, ruleDMTable},
	KindCreate: {"Create", RoleClientFromServer, lvObject,
		"Create targets an Object; the new instance's ID is in the payload", ruleCreate, codesCreate, ruleDMTable},
	KindDelete: {"Delete", RoleClientFromServer, lvInstance,
		"only an Object Instance can be deleted", ruleDelete, codesDelete, ruleDMTable},

	KindObserve: {"Observe", RoleClientFromServer, lvAny,
		"Observe targets an Object, Object Instance, Resource or Resource Instance", ruleObserve, codesRead, ruleInfoTable},
	KindObserveComposite: {"Observe-Composite", RoleClientFromServer, lvRoot,
		"Observe-Composite targets the root path; the paths are in the payload", ruleComposite, codesComposite, ruleInfoTable},
	KindCancelObservation: {"Cancel Observation", RoleClientFromServer, lvAny,
		"Cancel Observation targets an Object, Object Instance, Resource or Resource Instance", ruleObserve, codesRead, ruleInfoTable},
	KindCancelObservationComposite: {"Cancel Observation-Composite", RoleClientFromServer, lvRoot,
		"Cancel Observation-Composite targets the root path", ruleComposite, codesComposite, ruleInfoTable},
	KindNotify: {"Notify", RoleServer, 0, "", "", codesRead, ruleInfoTable},
	KindSend:   {"Send", RoleServer, 0, "", "", codesSend, ruleInfoTable},
}

// String returns the operation's name as the specification writes it,
// such as "Bootstrap-Request", "De-register" or "Cancel Observation".
func (k Kind) String() string {
	if k != 0 && k < numKinds {
		return kinds[k].name
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Role returns the role that receives the operation's request (for
// KindNotify, the server that receives the notification).
func (k Kind) Role() Role {
	if k != 0 && k < numKinds {
		return kinds[k].role
	}
	return 0
}

// usesPath reports whether the operation targets an LwM2M path.
func (k Kind) usesPath() bool { return k != 0 && k < numKinds && kinds[k].levels != 0 }

// Composite reports whether the operation carries its paths in the payload
// (Read-Composite, Write-Composite, Observe-Composite and its
// cancellation).
func (k Kind) Composite() bool {
	switch k {
	case KindReadComposite, KindWriteComposite, KindObserveComposite, KindCancelObservationComposite:
		return true
	}
	return false
}

// Success returns the code of a successful response: 2.01 Created for
// Register and Create, 2.02 Deleted for the deletions, 2.04 Changed for the
// writes, Execute, Update, Send and the bootstrap requests, 2.05 Content for
// the reads, discoveries, observations and notifications. It returns 0 for
// an unknown Kind.
func (k Kind) Success() coapmsg.Code {
	if k != 0 && k < numKinds {
		return kinds[k].codes[0]
	}
	return 0
}

// Codes returns the response codes the mapping table of LwM2M Transport
// section 6 assigns to the operation: the success code first, then the
// failures. The slice is shared: do not modify it.
func (k Kind) Codes() []coapmsg.Code {
	if k != 0 && k < numKinds {
		return kinds[k].codes
	}
	return nil
}

// Allows reports whether c may answer the operation: a code of its table
// ([Kind.Codes]) or one that CoAP lets any server return to any request:
// 4.02 Bad Option for an unrecognized critical option (RFC 7252 section
// 5.4.1), 5.00, 5.01 and 5.03 (RFC 7252 section 5.9.3), and, during a
// block-wise transfer, 2.31 Continue, 4.08 Request Entity Incomplete and
// 4.13 Request Entity Too Large (RFC 7959 section 2.9).
func (k Kind) Allows(c coapmsg.Code) bool {
	for _, x := range k.Codes() {
		if x == c {
			return k != 0
		}
	}
	if k == 0 || k >= numKinds {
		return false
	}
	switch c {
	case coapmsg.BadOption, coapmsg.InternalServerError, coapmsg.NotImplemented, coapmsg.ServiceUnavailable,
		coapmsg.Continue, coapmsg.RequestEntityIncomplete, coapmsg.RequestEntityTooLarge:
		return true
	}
	return false
}

// method returns the CoAP method of the operation's request; partial
// selects POST for a Write.
func (k Kind) method(partial bool) coapmsg.Code {
	switch k {
	case KindBootstrapRequest, KindBootstrapFinish, KindRegister, KindUpdate, KindExecute, KindCreate, KindSend:
		return coapmsg.POST
	case KindBootstrapPackRequest, KindBootstrapRead, KindBootstrapDiscover, KindRead, KindDiscover,
		KindObserve, KindCancelObservation:
		return coapmsg.GET
	case KindBootstrapWrite, KindWriteAttributes:
		return coapmsg.PUT
	case KindWrite:
		if partial {
			return coapmsg.POST
		}
		return coapmsg.PUT
	case KindBootstrapDelete, KindDeregister, KindDelete:
		return coapmsg.DELETE
	case KindReadComposite, KindObserveComposite, KindCancelObservationComposite:
		return coapmsg.FETCH
	case KindWriteComposite:
		return coapmsg.IPATCH
	}
	return 0
}
