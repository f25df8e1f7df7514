package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

// DefaultEventQueue is the number of events waiting for Config.OnEvent
// before the transports wait for it.
const DefaultEventQueue = 4096

// Config configures a Server. The zero value works: core objects only,
// events dropped, no bootstrap role.
type Config struct {
	// Registry types the values of the clients' payloads; CoreRegistry
	// when nil. Register the application objects (such as
	// device.TemperatureDef) so that TLV values decode to their types.
	Registry *lwm2m.Registry
	// OnEvent receives every event (see Event), one at a time, in the
	// order they happened, from a goroutine of the Server's own. It may
	// call the Server's operations.
	OnEvent func(Event)
	// EventQueue bounds the events waiting for OnEvent
	// (DefaultEventQueue when 0). When it is full, the transports wait.
	EventQueue int
	// Bootstrap, when not nil, makes the server a bootstrap server too: it
	// answers Bootstrap-Request (POST /bs) for the endpoints it returns an
	// account for, and writes that account to the client.
	Bootstrap func(endpoint string) (BootstrapAccount, bool)
	// ExpiryGrace is added to a registration's lifetime before it expires
	// (LwM2M Core 6.2.1 removes it when the lifetime ends; a grace covers
	// an Update still in flight). 0 means none.
	ExpiryGrace time.Duration
	// AckTimeout is CoAP's ACK_TIMEOUT (coapep.DefaultAckTimeout when 0).
	AckTimeout time.Duration
	// Logger receives a readable log of what flows; nil discards it.
	Logger *slog.Logger
}

// Server is an LwM2M server: it accepts registrations on any number of
// transports at once and runs operations on the registered clients. Its
// methods are safe for concurrent use.
type Server struct {
	cfg Config
	log *slog.Logger
	reg *lwm2m.Registry

	mu      sync.Mutex
	clients map[string]*client // by endpoint name
	byID    map[string]*client // by location id ("/rd/<id>")
	nextID  int

	events chan Event
	ctx    context.Context // ends with Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // event dispatcher, observations, bootstraps
	once   sync.Once
}

// New returns a Server. Serve it on transports with ServePacketConn and
// ServeDTLS; Close it to stop its own goroutines.
func New(cfg Config) *Server {
	if cfg.Registry == nil {
		cfg.Registry = lwm2m.CoreRegistry()
	}
	if cfg.EventQueue <= 0 {
		cfg.EventQueue = DefaultEventQueue
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg: cfg, log: log, reg: cfg.Registry,
		clients: map[string]*client{}, byID: map[string]*client{},
		events: make(chan Event, cfg.EventQueue),
		ctx:    ctx, cancel: cancel,
	}
	s.wg.Add(1)
	go s.dispatch()
	return s
}

// Close ends the observations and the event dispatcher, forgets the
// clients and waits for the Server's goroutines. The transports stop with
// their own contexts.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		for _, c := range s.clients {
			s.dropLocked(c)
		}
		s.cancel() // under mu: no goroutine is added after this
		s.mu.Unlock()
		s.wg.Wait()
	})
	return nil
}

// dispatch hands the events to OnEvent in order.
func (s *Server) dispatch() {
	defer s.wg.Done()
	for {
		select {
		case ev := <-s.events:
			if s.cfg.OnEvent != nil {
				s.cfg.OnEvent(ev)
			}
		case <-s.ctx.Done():
			return
		}
	}
}

// emit queues an event; it waits while the queue is full.
func (s *Server) emit(ev Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	select {
	case s.events <- ev:
	case <-s.ctx.Done():
	}
}

// conn is how a client is reached: an endpoint of one transport and the
// client's address on it.
type conn struct {
	ep          *coapep.Endpoint
	addr        net.Addr
	transport   string // "udp", "dtls", "sms", ...
	pskIdentity string
	cid         []byte // the DTLS Connection ID the client puts in its records
}

func (c *conn) same(o *conn) bool {
	return c != nil && o != nil && c.ep == o.ep && c.addr.String() == o.addr.String()
}

// ServePacketConn serves LwM2M on a datagram transport (a UDP socket, an
// SMS Conn) until ctx is done or the transport fails; it closes pc when it
// returns. name tells the transport in Client.Transport and the log.
func (s *Server) ServePacketConn(ctx context.Context, name string, pc net.PacketConn) error {
	ep := s.endpoint(pc, name, "", nil)
	defer ep.Close()
	s.log.Info("serving", "transport", name, "addr", pc.LocalAddr())
	err := ep.Serve(ctx)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// ServeDTLS serves LwM2M on the DTLS sessions of l until ctx is done (see
// PSKConfig for a listener with pre-shared keys). Each session is a CoAP
// endpoint of its own; the client's PSK identity is kept in
// Client.PSKIdentity. It closes l when it returns.
func (s *Server) ServeDTLS(ctx context.Context, l *dtls.Listener) error {
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	s.log.Info("serving", "transport", "dtls", "addr", l.Addr())
	err := l.Serve(func(sctx context.Context, c *dtls.Conn) {
		id := string(c.PSKIdentity())
		// The Connection ID (RFC 9146) the server asked the client to put
		// in its records: with it a client whose NAT port changes keeps
		// its session.
		cid, _ := c.ConnectionIDs()
		ep := s.endpoint(coapep.PacketConnOf(c), "dtls", id, cid)
		s.log.Info("dtls session", "peer", c.RemoteAddr(), "identity", id, "cid", fmt.Sprintf("%x", cid))
		ep.Serve(sctx)
	})
	if errors.Is(err, dtls.ErrListenerClosed) || ctx.Err() != nil {
		return nil
	}
	return err
}

// PSKConfig returns a DTLS configuration for a listener that accepts the
// given PSK identities and keys (LwM2M Security Mode 0).
func PSKConfig(keys map[string][]byte) *dtls.Config {
	return &dtls.Config{PSK: func(identity []byte) ([]byte, error) {
		if k, ok := keys[string(identity)]; ok {
			return k, nil
		}
		return nil, errors.New("server: unknown PSK identity " + strconv.Quote(string(identity)))
	}}
}

func (s *Server) endpoint(pc net.PacketConn, transport, identity string, cid []byte) *coapep.Endpoint {
	var ep *coapep.Endpoint
	ep = coapep.New(pc, coapep.Config{
		AckTimeout: s.cfg.AckTimeout,
		Handler: func(r *coapep.Request) {
			s.handle(r, &conn{ep: ep, addr: r.From, transport: transport, pskIdentity: identity, cid: cid})
		},
	})
	return ep
}

// handle serves a request from a client: the Registration interface, Send,
// and Bootstrap-Request when the bootstrap role is on.
func (s *Server) handle(r *coapep.Request, from *conn) {
	role := op.RoleServer
	if seg, ok := r.Msg.Option(coapmsg.URIPath); ok && string(seg) == "bs" && s.cfg.Bootstrap != nil {
		role = op.RoleBootstrapServer
	}
	var req op.Request
	if err := req.Parse(r.Msg, role); err != nil {
		var oe *op.Error
		r.Resp.Code = coapmsg.BadRequest
		if errors.As(err, &oe) && oe.Code != 0 {
			r.Resp.Code = oe.Code
		}
		s.log.Info("← refused", "from", from.addr, "code", r.Resp.Code, "err", err)
		return
	}
	var resp op.Response
	switch req.Kind {
	case op.KindRegister:
		resp = s.register(&req, from)
	case op.KindUpdate:
		resp = s.update(&req, from)
	case op.KindDeregister:
		resp = s.deregister(&req, from)
	case op.KindSend:
		resp = s.send(&req, from)
	case op.KindBootstrapRequest:
		resp = s.bootstrapRequest(&req, from)
	default:
		resp = op.Reply(&req, coapmsg.NotImplemented)
	}
	var bd op.Builder
	m, err := bd.Response(&resp)
	if err != nil {
		s.log.Error("bad response", "err", err)
		r.Resp.Code = coapmsg.InternalServerError
		return
	}
	m.CopyTo(r.Resp, nil)
}
