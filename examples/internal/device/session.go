package device

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// session is one conversation with a server over one transport: the CoAP
// endpoint, the registration (for an LwM2M server) and the observations.
type session struct {
	c      *Client
	ep     *coapep.Endpoint
	pc     net.PacketConn // the endpoint's transport
	server net.Addr
	role   op.Role

	bd     op.Builder // responses; used on the read goroutine only
	upload upload     // the Block1 transfer in progress

	finished chan struct{} // Bootstrap-Finish received (bootstrap sessions)

	// Guarded by c.mu.
	location       string // the registration location, "" when not registered
	lifetime       time.Duration
	binding        string
	objectsChanged bool
	obs            []*observation
	seq            uint32        // the last Observe sequence number used
	wake           chan struct{} // wakes the notifier
}

func (c *Client) newSession(pc net.PacketConn, server net.Addr, role op.Role) *session {
	s := &session{c: c, pc: pc, server: server, role: role, wake: make(chan struct{}, 1)}
	s.ep = coapep.New(pc, coapep.Config{
		AckTimeout: c.cfg.AckTimeout,
		Handler:    s.handle,
		OnReset:    s.onReset,
	})
	return s
}

// do sends an operation to the server and returns its response, checked
// against the codes the operation allows.
func (s *session) do(ctx context.Context, r *op.Request) (*op.Response, error) {
	var bd op.Builder
	m, err := bd.Request(r)
	if err != nil {
		return nil, err
	}
	m.Type = coapmsg.Confirmable
	raw, err := s.ep.Do(ctx, m, s.server)
	if err != nil {
		return nil, err
	}
	var resp op.Response
	if err := resp.Parse(raw, r.Kind); err != nil {
		return nil, err
	}
	return &resp, nil
}

// objectLinks is the Register and Update payload: the root link with the
// formats the client reads and writes, then every object (with its version
// when not 1.0) and its instances. The Security Object is left out (LwM2M
// Core 6.2.1: it "MUST NOT be part of the Registration Objects").
func (c *Client) objectLinks() ([]byte, error) {
	var w link.Writer
	w.Reset(nil)
	w.Link("/")
	w.Param("rt", link.ResourceTypeLwM2M)
	w.Param("ct", "112 110 11544 11542 11543")
	for _, id := range c.st.ids() {
		if id == 0 {
			continue
		}
		obj := c.st.objects[id]
		if v := obj.def.Version; v != "" && v != "1.0" || len(obj.inst) == 0 {
			w.PathLink(path.Object(id))
			if v := obj.def.Version; v != "" && v != "1.0" {
				w.Param("ver", v)
			}
		}
		for _, i := range sortedKeys(obj.inst) {
			w.PathLink(path.Instance(id, i))
		}
	}
	return w.Bytes()
}

// register sends Register (LwM2M Core 6.2.1) and keeps the location.
func (s *session) register(ctx context.Context) (time.Duration, error) {
	c := s.c
	lt, binding, _ := c.serverAccount()
	b, err := parseBinding(binding)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	links, err := c.objectLinks()
	// A new registration starts without observations (LwM2M Core 6.2.1:
	// the server observes again).
	s.obs = nil
	s.location = ""
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	req := op.Request{
		Kind: op.KindRegister, ContentFormat: coapmsg.AppLinkFormat, HasContentFormat: true,
		Params: op.Params{
			Set:      op.ParamEndpoint | op.ParamLifetime | op.ParamVersion | op.ParamBinding,
			Endpoint: []byte(c.cfg.Endpoint), Lifetime: uint64(lt / time.Second),
			Version: c.cfg.Version, Binding: b,
		},
		Payload: links,
	}
	if c.cfg.SMSNumber != "" {
		req.Params.Set |= op.ParamSMS
		req.Params.SMS = []byte(c.cfg.SMSNumber)
	}
	resp, err := s.do(ctx, &req)
	if err != nil {
		return 0, err
	}
	if resp.Code != coapmsg.Created {
		return 0, fmt.Errorf("device: Register answered %v", resp.Code)
	}
	loc := resp.Location.String()
	c.mu.Lock()
	s.location, s.lifetime, s.binding, s.objectsChanged = loc, lt, binding, false
	c.mu.Unlock()
	s.poke() // observations made while the answer was on its way
	c.log.Info("registered", "location", loc, "ep", c.cfg.Endpoint, "lt", lt, "b", binding, "lwm2m", c.cfg.Version)
	if c.cfg.OnRegistered != nil {
		c.cfg.OnRegistered(loc)
	}
	return lt, nil
}

// update sends Update (LwM2M Core 6.2.2) with what changed since the last
// Register or Update: the lifetime, the binding, the object list.
func (s *session) update(ctx context.Context) (lt time.Duration, notFound bool, err error) {
	c := s.c
	lt, binding, _ := c.serverAccount()
	c.mu.Lock()
	req := op.Request{Kind: op.KindUpdate}
	req.Location.SetText([]byte(s.location))
	if lt != s.lifetime {
		req.Params.Set |= op.ParamLifetime
		req.Params.Lifetime = uint64(lt / time.Second)
	}
	if binding != s.binding {
		b, err := parseBinding(binding)
		if err != nil {
			c.mu.Unlock()
			return lt, false, err
		}
		req.Params.Set |= op.ParamBinding
		req.Params.Binding = b
	}
	sentObjects := s.objectsChanged
	if sentObjects {
		links, err := c.objectLinks()
		if err != nil {
			c.mu.Unlock()
			return lt, false, err
		}
		req.ContentFormat, req.HasContentFormat, req.Payload = coapmsg.AppLinkFormat, true, links
	}
	c.mu.Unlock()
	resp, err := s.do(ctx, &req)
	if err != nil {
		return lt, false, err
	}
	switch resp.Code {
	case coapmsg.Changed:
	case coapmsg.NotFound:
		return lt, true, nil
	default:
		return lt, false, fmt.Errorf("device: Update answered %v", resp.Code)
	}
	c.mu.Lock()
	s.lifetime, s.binding = lt, binding
	if sentObjects {
		s.objectsChanged = false
	}
	c.mu.Unlock()
	c.log.Info("updated", "location", req.Location.String(), "lt", lt, "objects", sentObjects)
	return lt, false, nil
}

// deregister sends De-register (LwM2M Core 6.2.3).
func (s *session) deregister(ctx context.Context) {
	c := s.c
	c.mu.Lock()
	loc := s.location
	s.location = ""
	c.mu.Unlock()
	if loc == "" {
		return
	}
	req := op.Request{Kind: op.KindDeregister}
	req.Location.SetText([]byte(loc))
	resp, err := s.do(ctx, &req)
	switch {
	case err != nil:
		c.log.Warn("de-register failed", "err", err)
	case resp.Code != coapmsg.Deleted:
		c.log.Warn("de-register answered", "code", resp.Code)
	default:
		c.log.Info("de-registered", "location", loc)
	}
}

// onReset handles a Reset answering one of our NON notifications: the
// server cancels that observation (RFC 7641 section 3.6).
func (s *session) onReset(mid uint16, _ net.Addr) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, o := range s.obs {
		if o.mid == mid && o.midSet {
			c.log.Info("observation cancelled by Reset", "path", o.path)
			s.obs = append(s.obs[:i], s.obs[i+1:]...)
			return
		}
	}
}
