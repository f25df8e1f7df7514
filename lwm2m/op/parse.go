package op

import (
	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The sections cited by the option rules.
const (
	ruleRequest   = "RFC 7252 4.2 and 5.1: a request is a CON or NON with a method code"
	ruleCritical  = "RFC 7252 5.4.1: an unrecognized critical option"
	ruleRepeat    = "RFC 7252 5.4.5: a non-repeatable option repeated"
	ruleLength    = "RFC 7252 5.4.3: an option value of the wrong length"
	ruleProxy     = "RFC 7252 5.7.2: not a forward-proxy"
	ruleObserveV  = "RFC 7641 2: the Observe option of a request is 0 or 1"
	rulePath      = "LwM2M Core 7.1: a path of up to four decimal identifiers 0 to 65534"
	ruleInterface = "LwM2M Transport 6: the interface's URIs and methods"
)

// scan is what one pass over a message's options finds.
type scan struct {
	pathAt, pathN   int // the Uri-Path options: m.Options[pathAt:pathAt+pathN]
	queryAt, queryN int
	cf, accept      uint64
	hasCF, hasAcc   bool
	observe         uint64
	hasObserve      bool
}

// Parse reads the LwM2M operation of m, a CoAP request that arrived at the
// given role, into r, which it resets first. The operation depends on the
// role: see [Role]. The Token, Payload, parameters and Location of r alias
// m's buffer.
//
// It returns nil or an [*Error] naming the rule that broke and the
// response a server sends (Error.Code): the request is not one the role
// serves (4.04, 4.05), the operation does not apply to its path (4.05),
// a parameter, attribute or payload is missing or malformed (4.00), the
// Content-Format or Accept is not one the operation takes (4.15, 4.06), or
// a critical option is unknown (4.02). For a message that is no request,
// the error wraps [ErrNotRequest]. After an error, r holds what was
// recognized: its Kind and Path when known.
//
// A Reset message parsed as RoleClientFromServer is a KindCancelObservation
// with Type Reset and the Reset's MessageID: the caller matches it to the
// notification it sent (LwM2M Transport 6.4; RFC 7641 section 3.6). A
// Reset matching another message is a plain rejection.
func (r *Request) Parse(m *coapmsg.Message, role Role) error {
	if err := r.parse(m, role); err != nil {
		return err
	}
	return nil
}

func (r *Request) parse(m *coapmsg.Message, role Role) *Error {
	*r = Request{Type: m.Type, MessageID: m.MessageID, Token: m.Token}
	if role == 0 || role > RoleClientFromServer {
		return &Error{Field: "role", Msg: "unknown role", Err: ErrNotRequest}
	}
	if m.Code == coapmsg.Empty {
		if m.Type == coapmsg.Reset && role == RoleClientFromServer && len(m.Token) == 0 && len(m.Options) == 0 && len(m.Payload) == 0 {
			r.Kind = KindCancelObservation
			return nil
		}
		return &Error{Field: "code", Rule: ruleRequest, Msg: "an Empty message is no request", Err: ErrNotRequest}
	}
	if !m.Code.IsRequest() || m.Type > coapmsg.NonConfirmable {
		return &Error{Field: "code", Rule: ruleRequest, Msg: "not a request in a CON or NON", Err: ErrNotRequest}
	}
	var s scan
	if err := s.options(m); err != nil {
		return err
	}
	r.Payload = m.Payload
	if s.hasCF {
		r.ContentFormat, r.HasContentFormat = coapmsg.MediaType(s.cf), true
	}
	if s.hasAcc {
		r.Accept, r.HasAccept = coapmsg.MediaType(s.accept), true
	}
	segs := m.Options[s.pathAt : s.pathAt+s.pathN]
	qs := m.Options[s.queryAt : s.queryAt+s.queryN]
	var err *Error
	switch role {
	case RoleBootstrapServer:
		err = r.bootstrapServer(m.Code, segs)
	case RoleServer:
		err = r.server(m.Code, segs)
	case RoleClientFromBootstrap:
		err = r.clientFromBootstrap(m.Code, segs, &s)
	default:
		err = r.clientFromServer(m.Code, segs, &s)
	}
	if err != nil {
		return err
	}
	if len(qs) > 0 {
		switch r.Kind {
		case KindBootstrapRequest, KindBootstrapPackRequest, KindRegister, KindUpdate:
			err = r.parseParams(qs)
		case KindWriteAttributes, KindObserve, KindObserveComposite, KindDiscover,
			// RFC 7641 3.6: a cancel repeats the options of the
			// registration, which may carry attributes.
			KindCancelObservation, KindCancelObservationComposite:
			err = r.parseAttrs(qs)
		default:
			err = r.queryErr(ErrBadRequest, kinds[r.Kind].codeRule, "the operation takes no query parameters")
		}
		if err != nil {
			return err
		}
	}
	return r.check(false)
}

// options scans m's options once: the ranges of Uri-Path and Uri-Query,
// Content-Format, Accept and Observe, and the options that make any
// request fail.
func (s *scan) options(m *coapmsg.Message) *Error {
	for i := range m.Options {
		o := &m.Options[i]
		switch o.Number {
		case coapmsg.URIPath:
			if s.pathN == 0 {
				s.pathAt = i
			}
			s.pathN++
		case coapmsg.URIQuery:
			if s.queryN == 0 {
				s.queryAt = i
			}
			s.queryN++
		case coapmsg.ContentFormat:
			if err := readUint(o, 2, &s.cf, &s.hasCF); err != nil {
				return err
			}
		case coapmsg.Accept:
			if err := readUint(o, 2, &s.accept, &s.hasAcc); err != nil {
				return err
			}
		case coapmsg.Observe:
			if err := readUint(o, 3, &s.observe, &s.hasObserve); err != nil {
				return err
			}
		case coapmsg.ProxyURI, coapmsg.ProxyScheme:
			return &Error{Field: "option", Option: o.Number, Code: coapmsg.ProxyingNotSupported, Rule: ruleProxy,
				Msg: "an LwM2M endpoint does not forward requests", Err: ErrBadOption}
		default:
			if o.Number.Critical() {
				if _, ok := coapmsg.LookupOption(m.Code, o.Number); !ok {
					return &Error{Field: "option", Option: o.Number, Code: coapmsg.BadOption, Rule: ruleCritical,
						Msg: "unrecognized critical option", Err: ErrBadOption}
				}
			}
		}
	}
	// The options are sorted by number, so each range is contiguous; a
	// caller's unsorted Options would break that.
	for i := s.pathAt; i < s.pathAt+s.pathN; i++ {
		if m.Options[i].Number != coapmsg.URIPath {
			return &Error{Field: "option", Option: coapmsg.URIPath, Code: coapmsg.BadOption, Rule: "RFC 7252 3.1",
				Msg: "options not in number order", Err: ErrBadOption}
		}
	}
	for i := s.queryAt; i < s.queryAt+s.queryN; i++ {
		if m.Options[i].Number != coapmsg.URIQuery {
			return &Error{Field: "option", Option: coapmsg.URIQuery, Code: coapmsg.BadOption, Rule: "RFC 7252 3.1",
				Msg: "options not in number order", Err: ErrBadOption}
		}
	}
	return nil
}

// readUint reads a uint option of at most max bytes that may occur once.
func readUint(o *coapmsg.Option, max int, v *uint64, has *bool) *Error {
	if rule, msg := readUintRule(o, max, v, has); msg != "" {
		return &Error{Field: "option", Option: o.Number, Code: coapmsg.BadOption, Rule: rule, Msg: msg, Err: ErrBadOption}
	}
	return nil
}

// readUintRule is readUint that reports the broken rule as text.
func readUintRule(o *coapmsg.Option, max int, v *uint64, has *bool) (rule, msg string) {
	if *has {
		return ruleRepeat, "option repeated"
	}
	if len(o.Value) > max {
		return ruleLength, "option value too long"
	}
	*v, _ = o.Uint()
	*has = true
	return "", ""
}

// lwm2mPath parses Uri-Path segments as an LwM2M path. No segment, or one
// empty segment, is the root.
func lwm2mPath(segs []coapmsg.Option) (path.Path, bool) {
	var p path.Path
	if len(segs) == 1 && len(segs[0].Value) == 0 {
		return p, true
	}
	for i := range segs {
		id, ok := parseSegID(segs[i].Value)
		if !ok {
			return path.Path{}, false
		}
		if p, ok = p.Child(id); !ok {
			return path.Path{}, false
		}
	}
	return p, true
}

// parseSegID parses one path segment: a decimal identifier 0 to 65534
// without sign or leading zeros (LwM2M Core 7.1).
func parseSegID(s []byte) (uint16, bool) {
	if len(s) == 0 || len(s) > 5 || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	id := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		id = id*10 + int(c-'0')
	}
	if id > path.MaxID {
		return 0, false
	}
	return uint16(id), true
}

// isSeg reports whether segs is the one segment s.
func isSeg(segs []coapmsg.Option, s string) bool {
	return len(segs) == 1 && equal(segs[0].Value, s)
}

func (r *Request) notFound(msg string) *Error {
	return newErr(r.Kind, r.Path, "uri-path", coapmsg.URIPath, ErrNotFound, ruleInterface, msg)
}

func (r *Request) notAllowed(msg string) *Error {
	return newErr(r.Kind, r.Path, "code", 0, ErrNotAllowed, ruleInterface, msg)
}

// bootstrapServer maps a request a bootstrap server receives (LwM2M
// Transport 6.1).
func (r *Request) bootstrapServer(code coapmsg.Code, segs []coapmsg.Option) *Error {
	switch {
	case isSeg(segs, "bs"):
		if code != coapmsg.POST {
			return r.notAllowed("/bs takes only POST (Bootstrap-Request)")
		}
		r.Kind = KindBootstrapRequest
	case isSeg(segs, "bspack"):
		if code != coapmsg.GET {
			return r.notAllowed("/bspack takes only GET (Bootstrap-Pack-Request)")
		}
		r.Kind = KindBootstrapPackRequest
	default:
		return r.notFound("a bootstrap server serves /bs and /bspack")
	}
	return nil
}

// server maps a request an LwM2M server receives (LwM2M Transport 6.2 and
// 6.4).
func (r *Request) server(code coapmsg.Code, segs []coapmsg.Option) *Error {
	switch {
	case isSeg(segs, "rd"):
		if code != coapmsg.POST {
			return r.notAllowed("/rd takes only POST (Register)")
		}
		r.Kind = KindRegister
	case isSeg(segs, "dp"):
		if code != coapmsg.POST {
			return r.notAllowed("/dp takes only POST (Send)")
		}
		r.Kind = KindSend
	case len(segs) >= 2 && equal(segs[0].Value, "rd"):
		switch code {
		case coapmsg.POST:
			r.Kind = KindUpdate
		case coapmsg.DELETE:
			r.Kind = KindDeregister
		default:
			return r.notAllowed("a registration location takes POST (Update) and DELETE (De-register)")
		}
		for i := range segs {
			if len(segs[i].Value) == 0 {
				return r.notFound("empty segment in a registration location")
			}
			if !r.Location.Add(segs[i].Value) {
				return newErr(r.Kind, r.Path, "uri-path", coapmsg.URIPath, ErrLimit, "op MaxLocationSegments",
					"more location segments than MaxLocationSegments")
			}
		}
	default:
		return r.notFound("an LwM2M server serves /rd, the registration locations below it, and /dp")
	}
	return nil
}

// clientFromBootstrap maps a request a client receives from its bootstrap
// server (LwM2M Transport 6.1).
func (r *Request) clientFromBootstrap(code coapmsg.Code, segs []coapmsg.Option, s *scan) *Error {
	if isSeg(segs, "bs") {
		if code != coapmsg.POST {
			return r.notAllowed("/bs takes only POST (Bootstrap-Finish)")
		}
		r.Kind = KindBootstrapFinish
		return nil
	}
	p, ok := lwm2mPath(segs)
	if !ok {
		return r.notFound("not an LwM2M path")
	}
	r.Path = p
	if s.hasObserve {
		return newErr(0, p, "observe", coapmsg.Observe, ErrBadRequest, "LwM2M Core 6.1",
			"the Bootstrap interface has no observations")
	}
	switch code {
	case coapmsg.PUT:
		r.Kind = KindBootstrapWrite
	case coapmsg.GET:
		r.Kind = KindBootstrapRead
		if r.HasAccept && r.Accept == coapmsg.AppLinkFormat {
			r.Kind = KindBootstrapDiscover
		}
	case coapmsg.DELETE:
		r.Kind = KindBootstrapDelete
	default:
		return r.notAllowed("a bootstrap server sends PUT, GET and DELETE on LwM2M paths, and POST /bs")
	}
	return nil
}

// clientFromServer maps a request a client receives from an LwM2M server
// (LwM2M Transport 6.3 and 6.4).
func (r *Request) clientFromServer(code coapmsg.Code, segs []coapmsg.Option, s *scan) *Error {
	p, ok := lwm2mPath(segs)
	if !ok {
		return r.notFound("not an LwM2M path")
	}
	r.Path = p
	if s.hasObserve && code != coapmsg.GET && code != coapmsg.FETCH {
		return newErr(0, p, "observe", coapmsg.Observe, ErrBadRequest, "RFC 7641 2 and RFC 8132 2.4",
			"Observe in a request other than GET or FETCH")
	}
	if s.hasObserve && s.observe > 1 {
		return newErr(0, p, "observe", coapmsg.Observe, ErrBadRequest, ruleObserveV, "Observe value other than 0 or 1")
	}
	switch code {
	case coapmsg.GET:
		switch {
		case s.hasObserve && s.observe == 0:
			r.Kind = KindObserve
		case s.hasObserve:
			r.Kind = KindCancelObservation
		case r.HasAccept && r.Accept == coapmsg.AppLinkFormat:
			r.Kind = KindDiscover
		default:
			r.Kind = KindRead
		}
	case coapmsg.FETCH:
		switch {
		case s.hasObserve && s.observe == 0:
			r.Kind = KindObserveComposite
		case s.hasObserve:
			r.Kind = KindCancelObservationComposite
		default:
			r.Kind = KindReadComposite
		}
	case coapmsg.IPATCH:
		r.Kind = KindWriteComposite
	case coapmsg.PUT:
		r.Kind = KindWrite
		if s.queryN > 0 {
			r.Kind = KindWriteAttributes
		}
	case coapmsg.POST:
		switch p.Level() {
		case path.RootLevel:
			return r.notAllowed("POST on the root path is no operation")
		case path.ObjectLevel:
			r.Kind = KindCreate
		case path.ResourceLevel:
			// LwM2M Transport 1.2 6.3 lets a partial-update Write target a
			// multiple-instance Resource, which needs a hierarchical
			// Content-Format: without one, or with plain text, a POST on
			// a Resource is an Execute (Anjay and Leshan read it so).
			r.Kind = KindExecute
			if r.HasContentFormat && r.ContentFormat != coapmsg.TextPlain {
				r.Kind, r.Partial = KindWrite, true
			}
		default:
			r.Kind, r.Partial = KindWrite, true
		}
	case coapmsg.DELETE:
		r.Kind = KindDelete
	default:
		return r.notAllowed("an LwM2M server sends GET, FETCH, PUT, POST, iPATCH and DELETE")
	}
	return nil
}
