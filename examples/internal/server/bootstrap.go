package server

import (
	"context"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// BootstrapAccount is the LwM2M server account a bootstrap server writes
// to a client: a Security Object instance (/0/1) and a Server Object
// instance (/1/0) with the same Short Server ID.
type BootstrapAccount struct {
	ServerURI string // such as "coap://127.0.0.1:5683" or "coaps://..."
	SSID      int64  // Short Server ID; 1 when 0
	Lifetime  time.Duration
	Binding   string // "U" when empty
	// PSKIdentity and PSKKey make it a Security Mode 0 (PSK) account;
	// without them it is NoSec (3).
	PSKIdentity, PSKKey []byte
	// SMSNumber is the server's MSISDN (/0/1/9), for the SMS binding.
	SMSNumber string
}

// bootstrapRequest answers Bootstrap-Request (LwM2M Core 6.1.3) with 2.04
// and then, in the background, deletes the client's accounts, writes the
// new one and finishes (Bootstrap-Delete, -Write, -Finish).
func (s *Server) bootstrapRequest(req *op.Request, from *conn) op.Response {
	ep := string(req.Params.Endpoint)
	acct, ok := s.cfg.Bootstrap(ep)
	if !ok {
		s.log.Info("← Bootstrap-Request refused: unknown endpoint", "ep", ep)
		return op.Reply(req, coapmsg.BadRequest)
	}
	f := coapmsg.AppLwM2MTLV
	if req.Params.Has(op.ParamPreferredFormat) && content.Supported(req.Params.PreferredFormat) {
		f = req.Params.PreferredFormat
	}
	s.log.Info("← Bootstrap-Request", "ep", ep, "pct", f)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return op.Reply(req, coapmsg.ServiceUnavailable)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
		defer cancel()
		if err := s.bootstrap(ctx, from, ep, f, acct); err != nil {
			s.log.Warn("bootstrap failed", "ep", ep, "err", err)
			return
		}
		s.emit(Event{Kind: EventBootstrapped, Client: Client{Endpoint: ep, Transport: from.transport, Addr: from.addr}})
	}()
	return op.Reply(req, coapmsg.Changed)
}

func (s *Server) bootstrap(ctx context.Context, to *conn, ep string, f coapmsg.MediaType, a BootstrapAccount) error {
	if a.SSID == 0 {
		a.SSID = 1
	}
	if a.Binding == "" {
		a.Binding = "U"
	}
	if a.Lifetime == 0 {
		a.Lifetime = 300 * time.Second
	}
	mode := int64(3)
	if len(a.PSKKey) > 0 {
		mode = 0
	}
	str := func(s string) lwm2m.Value { return lwm2m.StringValue([]byte(s)) }
	security := []content.Record{
		{Path: path.Resource(0, 1, 0), Value: str(a.ServerURI)},
		{Path: path.Resource(0, 1, 1), Value: lwm2m.BoolValue(false)},
		{Path: path.Resource(0, 1, 2), Value: lwm2m.IntegerValue(mode)},
		{Path: path.Resource(0, 1, 3), Value: lwm2m.OpaqueValue(a.PSKIdentity)},
		{Path: path.Resource(0, 1, 4), Value: lwm2m.OpaqueValue(nil)},
		{Path: path.Resource(0, 1, 5), Value: lwm2m.OpaqueValue(a.PSKKey)},
	}
	if a.SMSNumber != "" {
		security = append(security, content.Record{Path: path.Resource(0, 1, 9), Value: str(a.SMSNumber)})
	}
	security = append(security, content.Record{Path: path.Resource(0, 1, 10), Value: lwm2m.IntegerValue(a.SSID)})
	server := []content.Record{
		{Path: path.Resource(1, 0, 0), Value: lwm2m.IntegerValue(a.SSID)},
		{Path: path.Resource(1, 0, 1), Value: lwm2m.IntegerValue(int64(a.Lifetime / time.Second))},
		{Path: path.Resource(1, 0, 6), Value: lwm2m.BoolValue(false)},
		{Path: path.Resource(1, 0, 7), Value: str(a.Binding)},
	}

	send := func(req *op.Request) error {
		var bd op.Builder
		m, err := bd.Request(req)
		if err != nil {
			return err
		}
		m.Type = coapmsg.Confirmable
		raw, err := to.ep.Do(ctx, m, to.addr)
		if err != nil {
			return err
		}
		var resp op.Response
		if err := resp.Parse(raw, req.Kind); err != nil {
			return err
		}
		if resp.Code != req.Kind.Success() {
			return &StatusError{Kind: req.Kind, Path: req.Path, Code: resp.Code}
		}
		s.log.Info("→ "+req.Kind.String(), "ep", ep, "path", req.Path, "code", resp.Code)
		return nil
	}
	// Delete the client's accounts (it keeps its bootstrap account), as
	// Leshan's bootstrap server does by default: a Bootstrap-Delete of /
	// would delete the application's instances too. Then look at what is
	// left.
	for _, p := range []path.Path{path.Object(0), path.Object(1)} {
		if err := send(&op.Request{Kind: op.KindBootstrapDelete, Path: p}); err != nil {
			return err
		}
	}
	disc := op.Request{Kind: op.KindBootstrapDiscover}
	var bd op.Builder
	m, err := bd.Request(&disc)
	if err != nil {
		return err
	}
	m.Type = coapmsg.Confirmable
	if raw, err := to.ep.Do(ctx, m, to.addr); err == nil {
		s.log.Info("→ Bootstrap-Discover", "ep", ep, "links", string(raw.Payload))
		if err := checkLinks(raw.Payload); err != nil {
			return err
		}
	} else {
		return err
	}
	for _, w := range []struct {
		p    path.Path
		recs []content.Record
	}{{path.Instance(0, 1), security}, {path.Instance(1, 0), server}} {
		payload, err := content.Encode(nil, f, w.p, w.recs)
		if err != nil {
			return err
		}
		if err := send(&op.Request{Kind: op.KindBootstrapWrite, Path: w.p, ContentFormat: f, HasContentFormat: true, Payload: payload}); err != nil {
			return err
		}
	}
	return send(&op.Request{Kind: op.KindBootstrapFinish})
}

// checkLinks checks a Bootstrap-Discover answer.
func checkLinks(b []byte) error {
	r := link.NewReader(b)
	for r.Next() {
	}
	return r.Err()
}
