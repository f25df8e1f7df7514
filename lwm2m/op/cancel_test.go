package op

import (
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// TestCancelWithAttributes: a Cancel Observation repeats the options of
// the Observe it cancels (RFC 7641 3.6), attributes included: it parses,
// and builds back to the same request.
func TestCancelWithAttributes(t *testing.T) {
	m := &coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.GET, MessageID: 7, Token: []byte{1, 2}}
	m.SetPath([]byte("/3/0/9"))
	m.SetQuery([]byte("pmin=10&pmax=60"))
	m.SetObserve(coapmsg.ObserveDeregister)
	var r Request
	if err := r.Parse(m, RoleClientFromServer); err != nil {
		t.Fatalf("parse: %v", err)
	}
	if r.Kind != KindCancelObservation || r.Path != path.Resource(3, 0, 9) ||
		!r.Attrs.Has(link.AttrPmin|link.AttrPmax) || r.Attrs.Pmin != 10 || r.Attrs.Pmax != 60 {
		t.Fatalf("parsed %+v", r)
	}
	var bd Builder
	out, err := bd.Request(&r)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	var back Request
	if err := back.Parse(out, RoleClientFromServer); err != nil || back.Kind != KindCancelObservation || back.Attrs != r.Attrs {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	// A valueless attribute stays a Write-Attributes matter.
	m.SetQuery([]byte("pmin"))
	if err := r.Parse(m, RoleClientFromServer); err == nil {
		t.Error("a cancel with a valueless attribute parsed")
	}
}
