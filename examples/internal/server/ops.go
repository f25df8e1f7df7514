package server

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Preferred asks an operation for the client's preferred format (see
// Client.PreferredFormat) rather than a given one. It is not a registered
// Content-Format (65535 is in the experimental range).
const Preferred coapmsg.MediaType = 65535

// ErrUnknownClient is returned for an endpoint that is not registered.
var ErrUnknownClient = errors.New("server: no such registered client")

// StatusError is a response other than the operation's success code.
type StatusError struct {
	Kind op.Kind
	Path path.Path
	Code coapmsg.Code
}

// Error describes the error.
func (e *StatusError) Error() string {
	return fmt.Sprintf("server: %v %v answered %v", e.Kind, e.Path, e.Code)
}

// Content is the answer to a Read, an Observe or a notification: the
// payload as it came, and its values decoded whatever the format.
type Content struct {
	Code    coapmsg.Code
	Format  coapmsg.MediaType
	Payload []byte
	Records []content.Record // the values; byte values alias Payload
}

// conn returns how to reach endpoint ep and its preferred format.
func (s *Server) connOf(ep string) (*conn, Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[ep]
	if c == nil {
		return nil, Client{}, fmt.Errorf("%w: %q", ErrUnknownClient, ep)
	}
	return c.conn, c.snapshot(), nil
}

// do sends an operation to a client and returns the parsed response and
// the message it came in (which owns its memory).
func (s *Server) do(ctx context.Context, ep string, req *op.Request) (*op.Response, *coapmsg.Message, error) {
	cn, _, err := s.connOf(ep)
	if err != nil {
		return nil, nil, err
	}
	var bd op.Builder
	m, err := bd.Request(req)
	if err != nil {
		return nil, nil, err
	}
	m.Type = coapmsg.Confirmable
	raw, err := cn.ep.Do(ctx, m, cn.addr)
	if err != nil {
		return nil, nil, fmt.Errorf("server: %v %v to %s: %w", req.Kind, req.Path, ep, err)
	}
	var resp op.Response
	if err := resp.Parse(raw, req.Kind); err != nil {
		return nil, nil, err
	}
	if resp.Code != req.Kind.Success() {
		return &resp, raw, &StatusError{Kind: req.Kind, Path: req.Path, Code: resp.Code}
	}
	return &resp, raw, nil
}

// decode turns a response's payload into a Content.
func (s *Server) decode(resp *op.Response, base path.Path) (*Content, error) {
	c := &Content{Code: resp.Code, Format: resp.ContentFormat, Payload: resp.Payload}
	if len(resp.Payload) == 0 && !resp.HasContentFormat {
		return c, nil
	}
	recs, err := content.Decode(resp.ContentFormat, base, s.reg, resp.Payload)
	if err != nil {
		return c, fmt.Errorf("server: %v payload: %w", resp.ContentFormat, err)
	}
	c.Records = recs
	return c, nil
}

func (s *Server) format(ep string, f coapmsg.MediaType) (coapmsg.MediaType, error) {
	if f != Preferred {
		return f, nil
	}
	_, info, err := s.connOf(ep)
	if err != nil {
		return 0, err
	}
	return info.PreferredFormat(), nil
}

// Read reads p on client ep (LwM2M Core 6.3.1) in format f (or
// Preferred) and returns the values.
func (s *Server) Read(ctx context.Context, ep string, p path.Path, f coapmsg.MediaType) (*Content, error) {
	f, err := s.format(ep, f)
	if err != nil {
		return nil, err
	}
	req := op.Request{Kind: op.KindRead, Path: p, Accept: f, HasAccept: true}
	resp, _, err := s.do(ctx, ep, &req)
	if err != nil {
		return nil, err
	}
	c, err := s.decode(resp, p)
	if err == nil {
		s.log.Info("→ Read", "ep", ep, "path", p, "format", c.Format, "values", content.FormatRecords(c.Records))
	}
	return c, err
}

// WriteOptions choose how Write writes.
type WriteOptions struct {
	// Partial sends a partial update (POST) rather than a replace (PUT),
	// LwM2M Core 6.3.3.
	Partial bool
	// Format is the payload's format; Preferred when 0 (for plain text,
	// use coapmsg.TextPlain with Single set).
	Format coapmsg.MediaType
	Single bool // use Format even when it is 0 (plain text)
}

// Write writes recs under p on client ep (LwM2M Core 6.3.3).
func (s *Server) Write(ctx context.Context, ep string, p path.Path, recs []content.Record, o WriteOptions) error {
	f := o.Format
	if f == 0 && !o.Single {
		f = Preferred
	}
	f, err := s.format(ep, f)
	if err != nil {
		return err
	}
	payload, err := content.Encode(nil, f, p, recs)
	if err != nil {
		return err
	}
	req := op.Request{Kind: op.KindWrite, Path: p, Partial: o.Partial, ContentFormat: f, HasContentFormat: true, Payload: payload}
	if _, _, err := s.do(ctx, ep, &req); err != nil {
		return err
	}
	s.log.Info("→ Write", "ep", ep, "path", p, "partial", o.Partial, "format", f, "values", content.FormatRecords(recs))
	return nil
}

// Execute executes the resource p on client ep with the Execute arguments
// args (LwM2M Core 6.3.5; build them with op.AppendArg), or none.
func (s *Server) Execute(ctx context.Context, ep string, p path.Path, args []byte) error {
	req := op.Request{Kind: op.KindExecute, Path: p, Payload: args}
	if len(args) > 0 {
		req.ContentFormat, req.HasContentFormat = coapmsg.TextPlain, true
	}
	if _, _, err := s.do(ctx, ep, &req); err != nil {
		return err
	}
	s.log.Info("→ Execute", "ep", ep, "path", p)
	return nil
}

// Link is one link of a Discover answer: a path and its attributes.
type Link struct {
	Path  path.Path
	Attrs link.Attrs // byte fields alias the answer
}

// Discover discovers p on client ep (LwM2M Core 6.3.2): the objects,
// instances and resources below it, with their attributes.
func (s *Server) Discover(ctx context.Context, ep string, p path.Path) ([]Link, error) {
	req := op.Request{Kind: op.KindDiscover, Path: p}
	resp, _, err := s.do(ctx, ep, &req)
	if err != nil {
		return nil, err
	}
	var links []Link
	r := link.NewReader(resp.Payload)
	for r.Next() {
		l := r.Link()
		lp, err := l.Path()
		if err != nil {
			return nil, err
		}
		a, err := l.Attrs()
		if err != nil {
			return nil, err
		}
		links = append(links, Link{Path: lp, Attrs: a})
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	s.log.Info("→ Discover", "ep", ep, "path", p, "links", string(resp.Payload))
	return links, nil
}

// WriteAttributes sets (and, with Unset, removes) notification attributes
// of p on client ep (LwM2M Core 6.3.4).
func (s *Server) WriteAttributes(ctx context.Context, ep string, p path.Path, a op.Attributes) error {
	req := op.Request{Kind: op.KindWriteAttributes, Path: p, Attrs: a}
	if _, _, err := s.do(ctx, ep, &req); err != nil {
		return err
	}
	s.log.Info("→ Write-Attributes", "ep", ep, "path", p, "set", a.Set, "unset", a.Unset)
	return nil
}

// Create creates an instance of object obj on client ep with the values
// recs (whose paths name the new instance, or none to let the client
// choose) and returns the new instance's path (LwM2M Core 6.3.6).
func (s *Server) Create(ctx context.Context, ep string, obj uint16, recs []content.Record) (path.Path, error) {
	f, err := s.format(ep, Preferred)
	if err != nil {
		return path.Path{}, err
	}
	payload, err := content.Encode(nil, f, path.Object(obj), recs)
	if err != nil {
		return path.Path{}, err
	}
	req := op.Request{Kind: op.KindCreate, Path: path.Object(obj), ContentFormat: f, HasContentFormat: true, Payload: payload}
	resp, _, err := s.do(ctx, ep, &req)
	if err != nil {
		return path.Path{}, err
	}
	p, ok := resp.CreatedPath()
	if !ok {
		return path.Path{}, errors.New("server: Create answered without the new instance's path")
	}
	s.log.Info("→ Create", "ep", ep, "path", p)
	return p, nil
}

// Delete deletes the instance p on client ep (LwM2M Core 6.3.7).
func (s *Server) Delete(ctx context.Context, ep string, p path.Path) error {
	req := op.Request{Kind: op.KindDelete, Path: p}
	if _, _, err := s.do(ctx, ep, &req); err != nil {
		return err
	}
	s.log.Info("→ Delete", "ep", ep, "path", p)
	return nil
}

// Observation is an observation of a path on a client (LwM2M Core 6.4.1).
// Its notifications are EventNotification events; a notification that is
// not 2.05 ends it (RFC 7641 section 3.2), and so does the client's
// de-registration.
type Observation struct {
	s        *Server
	Endpoint string
	Path     path.Path
	Format   coapmsg.MediaType

	conn     *conn
	token    []byte
	forget   func()                // the endpoint's local cancel
	onNotify func(*Content, error) // internal followers (firmware update)
	done     chan struct{}
	once     sync.Once
}

// Done is closed when the observation has ended.
func (o *Observation) Done() <-chan struct{} { return o.done }

// stopLocal ends the observation here: the next notification is answered
// with Reset, which cancels it at the client (RFC 7641 3.6).
func (o *Observation) stopLocal() {
	o.once.Do(func() {
		o.forget()
		close(o.done)
	})
}

// Cancel ends the observation, telling the client with a Cancel
// Observation (GET with Observe 1, LwM2M Core 6.4.2).
func (o *Observation) Cancel(ctx context.Context) error {
	o.s.mu.Lock()
	if c := o.s.clients[o.Endpoint]; c != nil {
		delete(c.obs, o)
	}
	o.s.mu.Unlock()
	o.stopLocal()
	req := op.Request{Kind: op.KindCancelObservation, Path: o.Path, Token: o.token, Accept: o.Format, HasAccept: true}
	var bd op.Builder
	m, err := bd.Request(&req)
	if err != nil {
		return err
	}
	m.Type = coapmsg.Confirmable
	if _, err := o.conn.ep.Do(ctx, m, o.conn.addr); err != nil {
		return err
	}
	o.s.log.Info("→ Cancel Observation", "ep", o.Endpoint, "path", o.Path)
	return nil
}

// Observe observes p on client ep (LwM2M Core 6.4.1) in format f (or
// Preferred): it returns the first answer and the observation, whose
// notifications arrive as EventNotification events.
func (s *Server) Observe(ctx context.Context, ep string, p path.Path, f coapmsg.MediaType) (*Observation, *Content, error) {
	return s.observe(ctx, ep, p, f, nil)
}

func (s *Server) observe(ctx context.Context, ep string, p path.Path, f coapmsg.MediaType, fn func(*Content, error)) (*Observation, *Content, error) {
	f, err := s.format(ep, f)
	if err != nil {
		return nil, nil, err
	}
	cn, _, err := s.connOf(ep)
	if err != nil {
		return nil, nil, err
	}
	req := op.Request{Kind: op.KindObserve, Path: p, Accept: f, HasAccept: true, Token: coapep.NewToken()}
	var bd op.Builder
	m, err := bd.Request(&req)
	if err != nil {
		return nil, nil, err
	}
	m.Type = coapmsg.Confirmable
	first, notes, forget, err := cn.ep.Observe(ctx, m, cn.addr)
	if err != nil {
		return nil, nil, fmt.Errorf("server: Observe %v on %s: %w", p, ep, err)
	}
	var resp op.Response
	if err := resp.Parse(first, op.KindObserve); err != nil {
		forget()
		return nil, nil, err
	}
	if resp.Code != coapmsg.Content {
		forget()
		return nil, nil, &StatusError{Kind: op.KindObserve, Path: p, Code: resp.Code}
	}
	c, err := s.decode(&resp, p)
	if err != nil {
		forget()
		return nil, nil, err
	}
	o := &Observation{s: s, Endpoint: ep, Path: p, Format: f, conn: cn, token: req.Token,
		forget: forget, onNotify: fn, done: make(chan struct{})}
	if !resp.HasObserve {
		o.stopLocal() // the client answered without observing
		return o, c, nil
	}
	s.mu.Lock()
	cl := s.clients[ep]
	if cl == nil || cl.conn != cn || s.ctx.Err() != nil {
		s.mu.Unlock()
		o.stopLocal()
		return nil, nil, fmt.Errorf("%w: %q left while observing", ErrUnknownClient, ep)
	}
	cl.obs[o] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go o.follow(notes)
	s.log.Info("→ Observe", "ep", ep, "path", p, "format", c.Format, "values", content.FormatRecords(c.Records))
	return o, c, nil
}

// follow turns the notifications into events until the observation ends.
func (o *Observation) follow(notes <-chan *coapmsg.Message) {
	s := o.s
	defer s.wg.Done()
	defer func() {
		o.stopLocal()
		s.mu.Lock()
		if c := s.clients[o.Endpoint]; c != nil {
			delete(c.obs, o)
		}
		s.mu.Unlock()
	}()
	for {
		select {
		case m, ok := <-notes:
			if !ok {
				return
			}
			var resp op.Response
			if err := resp.Parse(m, op.KindNotify); err != nil || resp.Code != coapmsg.Content {
				s.log.Info("observation ended by the client", "ep", o.Endpoint, "path", o.Path, "code", m.Code)
				return
			}
			c, err := s.decode(&resp, o.Path)
			snap, _ := s.Client(o.Endpoint)
			s.log.Info("← Notify", "ep", o.Endpoint, "path", o.Path, "seq", resp.Observe, "values", content.FormatRecords(c.Records))
			if o.onNotify != nil {
				o.onNotify(c, err)
			}
			s.emit(Event{Kind: EventNotification, Client: snap, Path: o.Path, Format: c.Format, Payload: c.Payload,
				Records: c.Records, Err: err, Observation: o, Seq: resp.Observe})
		case <-o.done:
			return
		case <-s.ctx.Done():
			return
		}
	}
}
