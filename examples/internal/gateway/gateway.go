// Package gateway composes the examples' LwM2M server (package server) and
// MQTT bridge (package mqttbridge) into an LwM2M-to-MQTT gateway: every
// registration, update, de-registration, notification and Send of a device
// is published as an MQTT 5 message, and the read, write, execute, observe
// and cancel commands published on MQTT become LwM2M operations whose
// results go back on the command's Response Topic with its Correlation
// Data. The topics and payloads are those of package mqttbridge.
package gateway

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/mqttbridge"
	"github.com/iotwire/iotwire/examples/internal/server"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// Config configures a Gateway.
type Config struct {
	// Server configures the LwM2M side; its OnEvent is the gateway's.
	Server server.Config
	// Bridge configures the MQTT side.
	Bridge mqttbridge.Config
	// Observe lists the paths the gateway observes on every device that
	// registers with them (such as /3303/0/5700, a temperature), so that
	// their values stream to MQTT without a command.
	Observe []path.Path
	// Logger receives what the gateway does; nil discards it.
	Logger *slog.Logger
}

// Gateway is an LwM2M server bridged to an MQTT broker.
type Gateway struct {
	cfg Config
	srv *server.Server
	br  *mqttbridge.Bridge
	log *slog.Logger

	mu  sync.Mutex
	obs map[obsKey]*server.Observation
	ctx context.Context // the gateway's life: Run's context
	wg  sync.WaitGroup  // automatic observations being set up
}

type obsKey struct {
	ep string
	p  path.Path
}

// New returns a gateway publishing through the MQTT client c. Serve the
// LwM2M transports on Server(), then call Start (or Run).
func New(c *mqttbridge.Client, cfg Config) *Gateway {
	g := &Gateway{cfg: cfg, log: cfg.Logger, obs: map[obsKey]*server.Observation{}, ctx: context.Background()}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	sc := cfg.Server
	sc.OnEvent = g.onEvent
	g.srv = server.New(sc)
	g.br = mqttbridge.NewBridge(c, lwm2mSide{g}, cfg.Bridge)
	return g
}

// Server returns the LwM2M server, to serve transports on.
func (g *Gateway) Server() *server.Server { return g.srv }

// Bridge returns the MQTT bridge, for its topics and statistics.
func (g *Gateway) Bridge() *mqttbridge.Bridge { return g.br }

// Start starts serving the MQTT commands and returns once the broker has
// granted their subscription, so that no command published after Start
// returns is missed. ctx is the gateway's life: its events are published
// under it.
func (g *Gateway) Start(ctx context.Context) error {
	g.mu.Lock()
	g.ctx = ctx
	g.mu.Unlock()
	return g.br.Start(ctx)
}

// Stop stops serving commands (answering those running), waits for the
// observations being set up, and closes the LwM2M server.
func (g *Gateway) Stop() {
	g.br.Stop()
	g.wg.Wait()
	g.srv.Close()
}

// Run is Start, then Stop when ctx ends.
func (g *Gateway) Run(ctx context.Context) error {
	if err := g.Start(ctx); err != nil {
		g.srv.Close()
		return err
	}
	<-ctx.Done()
	g.Stop()
	return nil
}

// onEvent publishes a server event. It runs on the server's event
// goroutine, one event at a time and in order, so what a device did
// reaches MQTT in the order it happened.
func (g *Gateway) onEvent(e server.Event) {
	g.mu.Lock()
	ctx := g.ctx
	g.mu.Unlock()
	ep := e.Client.Endpoint
	var err error
	switch e.Kind {
	case server.EventRegistered, server.EventUpdated:
		r := registration(&e.Client, e.Time)
		if e.Kind == server.EventRegistered {
			err = g.br.Registered(ctx, r)
		} else {
			err = g.br.Updated(ctx, r)
		}
		// An Update may bring the instance an observation needs.
		g.observeAll(e.Client)
	case server.EventDeregistered, server.EventExpired:
		reason := "deregistered"
		if e.Kind == server.EventExpired {
			reason = "expired"
		}
		g.forget(ep)
		err = g.br.Deregistered(ctx, ep, reason)
	case server.EventNotification, server.EventSend:
		if e.Err != nil {
			g.log.Warn("undecodable values", "ep", ep, "path", e.Path, "err", e.Err)
			return
		}
		meta := mqttbridge.Meta{ContentFormat: e.Format, HasContentFormat: true, Transport: e.Client.Transport, Received: e.Time}
		if e.Kind == server.EventSend {
			err = g.br.Send(ctx, ep, e.Records, meta)
		} else {
			err = g.br.Notify(ctx, ep, e.Records, meta)
		}
	}
	if err != nil && ctx.Err() == nil {
		g.log.Warn("not published", "ep", ep, "event", e.Kind, "err", err)
	}
}

// registration is the MQTT form of a registration.
func registration(c *server.Client, at time.Time) mqttbridge.Registration {
	r := mqttbridge.Registration{
		Endpoint: c.Endpoint, Location: c.Location, Lifetime: int64(c.Lifetime / time.Second),
		Version: c.Version.String(), Binding: c.Binding.String(), SMSNumber: c.SMS, Queue: c.Queue,
		Transport: c.Transport, Time: at,
	}
	if c.Addr != nil {
		r.Address = c.Addr.String()
	}
	for _, l := range c.Objects {
		r.Objects = append(r.Objects, mqttbridge.ObjectLink{Path: l.Path, Version: l.Version})
	}
	return r
}

// observeAll starts the configured observations on a new registration, in
// the background: the event goroutine must not wait for the device.
func (g *Gateway) observeAll(c server.Client) {
	for _, p := range g.cfg.Observe {
		if !hasInstance(&c, p) {
			continue
		}
		g.mu.Lock()
		ctx := g.ctx
		o := g.obs[obsKey{c.Endpoint, p}]
		g.mu.Unlock()
		if o != nil {
			select {
			case <-o.Done():
			default:
				continue // observed already
			}
		}
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if _, err := (lwm2mSide{g}).Observe(ctx, c.Endpoint, p); err != nil && ctx.Err() == nil {
				g.log.Warn("observe", "ep", c.Endpoint, "path", p, "err", err)
			}
		}()
	}
}

// Observed returns how many devices the gateway observes p on.
func (g *Gateway) Observed(p path.Path) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for k, o := range g.obs {
		select {
		case <-o.Done():
		default:
			if k.p == p {
				n++
			}
		}
	}
	return n
}

// hasInstance reports whether the registration lists the object instance
// of p (or the object without instances listed, when the client lists
// none).
func hasInstance(c *server.Client, p path.Path) bool {
	inst := path.Instance(p.ID(0), p.ID(1))
	for _, l := range c.Objects {
		if l.Path == inst {
			return true
		}
	}
	return false
}

// forget drops the observations of a device that left.
func (g *Gateway) forget(ep string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for k := range g.obs {
		if k.ep == ep {
			delete(g.obs, k)
		}
	}
}

// lwm2mSide is the mqttbridge.LwM2M the commands run on.
type lwm2mSide struct{ g *Gateway }

func (s lwm2mSide) Read(ctx context.Context, ep string, p path.Path) ([]senml.Resolved, error) {
	c, err := s.g.srv.Read(ctx, ep, p, server.Preferred)
	if err != nil {
		return nil, codeErr(err)
	}
	return c.Records, nil
}

func (s lwm2mSide) Write(ctx context.Context, ep string, p path.Path, values []senml.Resolved) error {
	// A resource is replaced; an instance gets a partial update (LwM2M
	// Core 6.3.3), which keeps the resources the command does not name.
	partial := p.Level() == path.InstanceLevel
	return codeErr(s.g.srv.Write(ctx, ep, p, values, server.WriteOptions{Partial: partial}))
}

func (s lwm2mSide) Execute(ctx context.Context, ep string, p path.Path, args string) error {
	var a []byte
	if args != "" {
		a = []byte(args)
	}
	return codeErr(s.g.srv.Execute(ctx, ep, p, a))
}

func (s lwm2mSide) Observe(ctx context.Context, ep string, p path.Path) ([]senml.Resolved, error) {
	k := obsKey{ep, p}
	s.g.mu.Lock()
	old := s.g.obs[k]
	s.g.mu.Unlock()
	if old != nil {
		select {
		case <-old.Done():
		default:
			// Already observed: answer with the current values.
			return s.Read(ctx, ep, p)
		}
	}
	o, c, err := s.g.srv.Observe(ctx, ep, p, server.Preferred)
	if err != nil {
		return nil, codeErr(err)
	}
	s.g.mu.Lock()
	s.g.obs[k] = o
	s.g.mu.Unlock()
	return c.Records, nil
}

func (s lwm2mSide) Cancel(ctx context.Context, ep string, p path.Path) error {
	k := obsKey{ep, p}
	s.g.mu.Lock()
	o := s.g.obs[k]
	delete(s.g.obs, k)
	s.g.mu.Unlock()
	if o == nil {
		return &mqttbridge.CodeError{Code: coapmsg.NotFound, Msg: "not observed"}
	}
	return codeErr(o.Cancel(ctx))
}

// codeErr gives a device's error answer its CoAP code for the result.
func codeErr(err error) error {
	var se *server.StatusError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return &mqttbridge.CodeError{Code: se.Code}
	case errors.Is(err, server.ErrUnknownClient):
		return &mqttbridge.CodeError{Code: coapmsg.NotFound, Msg: "no such registered device"}
	}
	return err
}
