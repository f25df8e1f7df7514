package op

import (
	"math"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The sections cited by the payload and format rules.
const (
	ruleFormats      = "LwM2M Core 7.1: the LwM2M Content-Formats"
	ruleSingle       = "LwM2M Core 7.4: plain text, opaque and CBOR carry a single Resource or Resource Instance"
	ruleWriteCF      = "LwM2M Transport 6.3: Write, Create and Write-Composite carry a Content-Format"
	ruleBSWriteCF    = "LwM2M Transport 6.1: Bootstrap-Write carries a Content-Format"
	rulePartial      = "LwM2M Core 6.3.3: a partial update targets an Object Instance or a Resource"
	ruleWriteAttr    = "LwM2M Core 6.3.4 Write-Attributes: only query parameters, no payload"
	ruleExecCF       = "LwM2M Core 6.3.5 Execute: the arguments are plain text"
	ruleRegPayload   = "LwM2M Core 6.2.1: Register carries the Objects and Object Instances in link format"
	ruleSend         = "LwM2M Core 6.4.5 Send: SenML JSON, SenML CBOR or LwM2M CBOR records"
	ruleCompPaths    = "LwM2M Core 6.3.8 and 6.4.3: the paths are in a SenML JSON, SenML CBOR or LwM2M CBOR payload"
	ruleLocation     = "LwM2M Core 6.2.1: the registration location the server assigned (under /rd)"
	ruleVersion10    = "LwM2M Core 1.1 6.2.1.1: T and N are bindings of LwM2M 1.1, Q a parameter from 1.1"
	ruleVersion11    = "LwM2M Core 1.1 6.2.1.1: LwM2M 1.1 replaced the Q binding letter with the Q parameter"
	ruleEndpoint     = "LwM2M Core 6.2.1 Register and 6.1.7.1 Bootstrap-Request: the Endpoint Client Name is mandatory"
	ruleSMS          = "LwM2M Core 6.2.1: sms is the MSISDN of the client (ITU-T E.164, at most 15 digits)"
	rulePct          = "LwM2M Core 6.1.7.1: the preferred content format is TLV, SenML JSON or SenML CBOR (LwM2M CBOR in 1.2)"
	ruleBSPackFormat = "LwM2M Core 1.2 6.1.7.8 Bootstrap-Pack-Request: the pack is SenML JSON, SenML CBOR or LwM2M CBOR"
	ruleReset        = "RFC 7641 3.6: a Reset answering a notification is an Empty message"
)

// check applies the rules of r.Kind to r: the path level, the formats,
// the mandatory parameters and payload, and the attributes. Parse calls it
// on what it read, the Builder on what it is asked to write (build is
// true: the checks that Parse's mapping makes by construction are made
// too).
func (r *Request) check(build bool) *Error {
	k := r.Kind
	if k == 0 || k >= numKinds || k == KindNotify {
		return &Error{Kind: k, Field: "kind", Msg: "not a request operation", Err: ErrNotRequest}
	}
	info := &kinds[k]
	if k == KindCancelObservation && r.Type == coapmsg.Reset {
		if !r.Path.IsRoot() || len(r.Token) > 0 || len(r.Payload) > 0 || r.HasAccept || r.HasContentFormat {
			return newErr(k, r.Path, "type", 0, ErrBadRequest, ruleReset, "a Reset carries no token, path, options or payload")
		}
		return nil
	}
	if build && r.Type > coapmsg.NonConfirmable {
		return newErr(k, r.Path, "type", 0, ErrNotRequest, ruleRequest, "a request is a CON or NON")
	}

	// The target.
	switch {
	case info.levels != 0:
		if !info.levels.has(r.Path) {
			return newErr(k, r.Path, "uri-path", coapmsg.URIPath, ErrNotAllowed, info.pathRule, info.pathMsg)
		}
		if k == KindWrite && r.Partial && !(lvInstance | lvResource).has(r.Path) {
			return newErr(k, r.Path, "uri-path", coapmsg.URIPath, ErrNotAllowed, rulePartial,
				"a partial update targets an Object Instance or Resource")
		}
	case !r.Path.IsRoot():
		return newErr(k, r.Path, "path", 0, ErrBadRequest, ruleInterface, "the operation has no LwM2M path")
	}
	if k == KindUpdate || k == KindDeregister {
		// A client sends them to whatever location its server assigned;
		// an LwM2M server of this package serves the ones under /rd.
		if r.Location.Len() == 0 || !build && (r.Location.Len() < 2 || !equal(r.Location.segs[0], "rd")) {
			return newErr(k, r.Path, "uri-path", coapmsg.URIPath, ErrNotFound, ruleLocation, "not a registration location")
		}
		for i := 0; i < r.Location.Len(); i++ {
			if len(r.Location.segs[i]) == 0 {
				return newErr(k, r.Path, "uri-path", coapmsg.URIPath, ErrNotFound, ruleLocation, "empty location segment")
			}
		}
	} else if r.Location.Len() > 0 {
		return newErr(k, r.Path, "uri-path", coapmsg.URIPath, ErrBadRequest, ruleInterface, "only Update and De-register target a location")
	}
	if build && k != KindWrite && r.Partial {
		return newErr(k, r.Path, "partial", 0, ErrBadRequest, ruleInterface, "only a Write is a partial update")
	}

	if err := r.checkFormats(); err != nil {
		return err
	}
	if err := r.checkParams(build); err != nil {
		return err
	}
	return r.checkAttrs(build)
}

func (r *Request) cfErr(class error, rule, msg string) *Error {
	return newErr(r.Kind, r.Path, "content-format", coapmsg.ContentFormat, class, rule, msg)
}

func (r *Request) acceptErr(rule, msg string) *Error {
	return newErr(r.Kind, r.Path, "accept", coapmsg.Accept, ErrNotAcceptable, rule, msg)
}

func (r *Request) payloadErr(rule, msg string) *Error {
	return newErr(r.Kind, r.Path, "payload", 0, ErrBadRequest, rule, msg)
}

// checkFormats checks Content-Format, Accept and the payload.
func (r *Request) checkFormats() *Error {
	k, cf, single := r.Kind, r.ContentFormat, r.Path.Level() >= path.ResourceLevel
	switch k {
	case KindWrite, KindBootstrapWrite, KindCreate:
		rule := ruleWriteCF
		if k == KindBootstrapWrite {
			rule = ruleBSWriteCF
		}
		if !r.HasContentFormat {
			return r.cfErr(ErrBadRequest, rule, "no Content-Format")
		}
		if !isDataFormat(cf) {
			return r.cfErr(ErrUnsupportedFormat, ruleFormats, "not an LwM2M Content-Format")
		}
		if isSingleFormat(cf) && !single {
			return r.cfErr(ErrBadRequest, ruleSingle, "a single-value format for an Object or Object Instance")
		}
		if k == KindWrite && r.Partial && cf == coapmsg.TextPlain && r.Path.Level() == path.ResourceLevel {
			// A POST of plain text on a Resource is an Execute (see
			// Request.Parse); a partial update of a Resource needs a
			// hierarchical format (LwM2M Transport 1.2 6.3).
			return r.cfErr(ErrBadRequest, rulePartial, "a partial update of a Resource in plain text reads as an Execute")
		}
	case KindWriteComposite, KindSend, KindReadComposite, KindObserveComposite, KindCancelObservationComposite:
		rule := ruleCompPaths
		if k == KindSend {
			rule = ruleSend
		}
		if !r.HasContentFormat {
			return r.cfErr(ErrBadRequest, rule, "no Content-Format")
		}
		if !isCompositeFormat(cf) {
			return r.cfErr(ErrUnsupportedFormat, rule, "not SenML JSON, SenML CBOR or LwM2M CBOR")
		}
		if len(r.Payload) == 0 {
			return r.payloadErr(rule, "no payload")
		}
	case KindExecute:
		if r.HasContentFormat && cf != coapmsg.TextPlain {
			return r.cfErr(ErrUnsupportedFormat, ruleExecCF, "Execute arguments are plain text")
		}
		if off, msg := checkArgs(r.Payload); off >= 0 {
			return r.payloadErr(ruleArgs, msg)
		}
	case KindWriteAttributes:
		if r.HasContentFormat || len(r.Payload) > 0 {
			return r.payloadErr(ruleWriteAttr, "Write-Attributes carries no Content-Format or payload")
		}
	case KindRegister, KindUpdate:
		if r.HasContentFormat && cf != coapmsg.AppLinkFormat {
			return r.cfErr(ErrUnsupportedFormat, ruleRegPayload, "the object list is application/link-format")
		}
		if k == KindRegister && len(r.Payload) == 0 {
			return r.payloadErr(ruleRegPayload, "Register without the list of Objects and Object Instances")
		}
	}

	if !r.HasAccept {
		return nil
	}
	acc := r.Accept
	switch k {
	case KindRead, KindObserve, KindCancelObservation, KindBootstrapRead:
		if !isDataFormat(acc) {
			return r.acceptErr(ruleFormats, "not an LwM2M Content-Format")
		}
		if isSingleFormat(acc) && !single {
			return r.acceptErr(ruleSingle, "a single-value format for an Object or Object Instance")
		}
	case KindDiscover, KindBootstrapDiscover:
		if acc != coapmsg.AppLinkFormat {
			return r.acceptErr(ruleDMTable, "Discover answers in application/link-format")
		}
	case KindReadComposite, KindObserveComposite, KindCancelObservationComposite:
		if !isCompositeFormat(acc) {
			return r.acceptErr(ruleCompPaths, "not SenML JSON, SenML CBOR or LwM2M CBOR")
		}
	case KindBootstrapPackRequest:
		if !isCompositeFormat(acc) {
			return r.acceptErr(ruleBSPackFormat, "not SenML JSON, SenML CBOR or LwM2M CBOR")
		}
	}
	return nil
}

// checkParams checks the registration and bootstrap parameters.
func (r *Request) checkParams(build bool) *Error {
	k, p := r.Kind, &r.Params
	allowed, extras := allowedParams(k)
	if build {
		if p.Set&^allowed != 0 {
			return r.queryErr(ErrBadRequest, paramRule(k), "query parameter not defined for this operation")
		}
		if p.NExtra > MaxExtraParams || p.NExtra > 0 && !extras {
			return r.queryErr(ErrBadRequest, ruleInterface, "the operation takes no extra query parameters")
		}
		for i := 0; i < int(p.NExtra); i++ {
			name, _, _ := splitParam(p.Extra[i])
			if len(name) == 0 || lookupParam(name) != 0 {
				return r.queryErr(ErrBadRequest, ruleQuery, "extra parameter without a name or with a known name")
			}
		}
		if p.Set&ParamEndpoint != 0 && len(p.Endpoint) == 0 {
			return r.queryErr(ErrBadRequest, ruleEndpoint, "empty Endpoint Client Name")
		}
		if p.Set&ParamBinding != 0 {
			if msg := checkBinding(p.Binding); msg != "" {
				return r.queryErr(ErrBadRequest, ruleBinding, msg)
			}
		}
	}
	if (k == KindRegister || k == KindBootstrapRequest) && p.Set&ParamEndpoint == 0 {
		return r.queryErr(ErrBadRequest, ruleEndpoint, "no ep parameter")
	}
	if p.Set&ParamSMS != 0 && !validSMS(p.SMS) {
		return r.queryErr(ErrBadRequest, ruleSMS, "sms is not an MSISDN")
	}
	if p.Set&ParamPreferredFormat != 0 && !isBootstrapFormat(p.PreferredFormat) {
		return r.queryErr(ErrUnsupportedFormat, rulePct, "preferred content format is not TLV, SenML or LwM2M CBOR")
	}
	if k == KindRegister {
		v10 := p.Set&ParamVersion == 0 || p.Version.Major == 1 && p.Version.Minor == 0
		switch {
		case v10 && p.Binding&(BindingTCP|BindingNonIP) != 0:
			return r.queryErr(ErrBadRequest, ruleVersion10, "binding T or N in an LwM2M 1.0 registration")
		case v10 && p.Set&ParamQueue != 0:
			return r.queryErr(ErrBadRequest, ruleVersion10, "Q parameter in an LwM2M 1.0 registration")
		case !v10 && p.Binding&BindingQueue != 0:
			return r.queryErr(ErrBadRequest, ruleVersion11, "binding letter Q in an LwM2M 1.1 or later registration")
		}
	}
	return nil
}

// checkBinding checks a Binding a caller built: a known letter set, Q not
// alone.
func checkBinding(b Binding) string {
	switch {
	case b == 0:
		return "empty binding mode"
	case b >= 1<<len(bindingLetters):
		return "unknown binding letter"
	case b == BindingQueue:
		return "binding mode Q alone"
	}
	return ""
}

// checkAttrs checks the attributes of Write-Attributes and Observe and the
// depth of Discover.
func (r *Request) checkAttrs(build bool) *Error {
	k, a := r.Kind, &r.Attrs
	if r.HasDepth && (k != KindDiscover || r.Depth > 3) {
		return r.queryErr(ErrBadRequest, ruleDepth, "depth is a Discover parameter of 0 to 3")
	}
	if a.Empty() {
		if k == KindWriteAttributes {
			return r.queryErr(ErrBadRequest, ruleWriteAttr, "Write-Attributes without attributes")
		}
		return nil
	}
	switch k {
	case KindWriteAttributes:
	case KindObserve, KindObserveComposite, KindCancelObservation, KindCancelObservationComposite:
		if a.Unset != 0 {
			return r.queryErr(ErrBadRequest, ruleAttrs, "attribute without a value outside Write-Attributes")
		}
	default:
		return r.queryErr(ErrBadRequest, ruleQuery, "the operation takes no attributes")
	}
	if build {
		if (a.Set|a.Unset)&^notificationAttrs != 0 || a.Set&a.Unset != 0 {
			return r.queryErr(ErrBadRequest, ruleAttrs, "not a notification attribute, or both set and unset")
		}
		if a.Pmin < 0 || a.Pmax < 0 || a.Epmin < 0 || a.Epmax < 0 || a.Hqmax < 0 {
			return r.queryErr(ErrBadRequest, ruleAttrs, "negative period or count")
		}
		if !(math.Abs(a.Gt) < MaxDecimal) || !(math.Abs(a.Lt) < MaxDecimal) || !(math.Abs(a.St) < MaxDecimal) {
			return r.queryErr(ErrBadRequest, ruleAttrs, "gt, lt or st is not a number of magnitude below MaxDecimal")
		}
	}
	if a.Set&link.AttrSt != 0 && (a.St < 0 || math.Signbit(a.St)) {
		return r.queryErr(ErrBadRequest, ruleAttrs, "step is negative")
	}
	// The Change Value Conditions and Edge apply to a Resource or Resource
	// Instance (LwM2M Core 1.2 Table 7.3-2: their attachment level).
	if (a.Set|a.Unset)&(link.AttrGt|link.AttrLt|link.AttrSt|link.AttrEdge) != 0 && k != KindObserveComposite && k != KindCancelObservationComposite &&
		r.Path.Level() < path.ResourceLevel {
		return r.queryErr(ErrBadRequest, ruleAttrs, "gt, lt, st and edge attach to a Resource or Resource Instance")
	}
	if a.Has(link.AttrPmin|link.AttrPmax) && a.Pmin > a.Pmax {
		return r.queryErr(ErrBadRequest, ruleAttrs, "pmin greater than pmax")
	}
	if a.Has(link.AttrEpmin|link.AttrEpmax) && a.Epmin > a.Epmax {
		return r.queryErr(ErrBadRequest, ruleAttrs, "epmin greater than epmax")
	}
	if a.Has(link.AttrLt|link.AttrGt) && !(a.Lt < a.Gt) {
		return r.queryErr(ErrBadRequest, ruleAttrs, "lt not less than gt")
	}
	if a.Has(link.AttrLt|link.AttrGt|link.AttrSt) && !(a.Lt+2*a.St < a.Gt) {
		return r.queryErr(ErrBadRequest, ruleAttrs, "lt + 2*st not less than gt")
	}
	return nil
}
