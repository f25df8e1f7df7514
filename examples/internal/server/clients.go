package server

import (
	"bytes"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Client is what the server knows of a registered client: a snapshot,
// owned by the caller.
type Client struct {
	Endpoint string        // ep
	Location string        // the registration location assigned, such as "/rd/3"
	Lifetime time.Duration // lt
	Version  link.Version  // lwm2m; 1.0 when the client did not say
	Binding  op.Binding    // b
	Queue    bool          // Q
	SMS      string        // sms: the client's MSISDN

	Transport   string   // "udp", "dtls", "sms", ...: where it registered or last updated
	Addr        net.Addr // its address on that transport
	PSKIdentity string   // the DTLS PSK identity, over DTLS
	DTLSConnID  []byte   // over DTLS, the Connection ID (RFC 9146) in the client's records; empty without one

	Objects []ObjectLink        // the Objects and Object Instances of the Register payload
	Formats []coapmsg.MediaType // the Content-Formats of the root link's ct, if any

	Registered, Updated, Expires time.Time
}

// ObjectLink is one link of a Register or Update payload: an Object (with
// its version, when not 1.0) or an Object Instance.
type ObjectLink struct {
	Path    path.Path
	Version string
}

// HasObject reports whether the client announced the object id.
func (c *Client) HasObject(id uint16) bool {
	for _, l := range c.Objects {
		if o, ok := l.Path.ObjectID(); ok && o == id {
			return true
		}
	}
	return false
}

// PreferredFormat is the format the server asks for when an operation
// names none: TLV for an LwM2M 1.0 client, else the first format of the
// client's ct that the examples read (SenML CBOR when it gave none).
func (c *Client) PreferredFormat() coapmsg.MediaType {
	if c.Version.Major == 1 && c.Version.Minor == 0 {
		return coapmsg.AppLwM2MTLV
	}
	for _, f := range c.Formats {
		if content.Supported(f) && !content.Single(f) {
			return f
		}
	}
	return coapmsg.AppSenMLCBOR
}

// client is a registration.
type client struct {
	info  Client
	id    string
	conn  *conn
	timer *time.Timer
	obs   map[*Observation]struct{}
}

// EventKind says what an Event reports.
type EventKind uint8

// The events.
const (
	EventRegistered   EventKind = iota + 1 // a Register was accepted
	EventUpdated                           // an Update was accepted
	EventDeregistered                      // a De-register, or a new Register of the same endpoint
	EventExpired                           // the lifetime ended without an Update
	EventNotification                      // a notification of an observation
	EventSend                              // values sent with Send (POST /dp)
	EventBootstrapped                      // a bootstrap server session ended with Bootstrap-Finish
)

var eventNames = [...]string{"", "registered", "updated", "deregistered", "expired", "notification", "send", "bootstrapped"}

// String returns the event's name, such as "registered".
func (k EventKind) String() string {
	if int(k) < len(eventNames) && k != 0 {
		return eventNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is what happened on the server: a registration changed, or values
// arrived from a client. An Event owns its memory (Payload, and the byte
// values of Records, which alias Payload): keep it as long as needed.
type Event struct {
	Kind   EventKind
	Time   time.Time
	Client Client // the registration, as it is after the event (or was, for the last ones)

	// The values of a notification or a Send. Path is the observed path
	// (the root for a Send); Records the values in the payload, decoded
	// whatever the format, and Err the reason when the payload did not
	// decode.
	Path        path.Path
	Format      coapmsg.MediaType
	Payload     []byte
	Records     []content.Record
	Err         error
	Observation *Observation // the observation notified
	Seq         uint32       // the notification's Observe sequence number
}

// Clients returns the registered clients, by endpoint name.
func (s *Server) Clients() []Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Client, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c.snapshot())
	}
	slices.SortFunc(out, func(a, b Client) int {
		switch {
		case a.Endpoint < b.Endpoint:
			return -1
		case a.Endpoint > b.Endpoint:
			return 1
		}
		return 0
	})
	return out
}

// Client returns the registration of endpoint ep.
func (s *Server) Client(ep string) (Client, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[ep]
	if c == nil {
		return Client{}, false
	}
	return c.snapshot(), true
}

func (c *client) snapshot() Client {
	info := c.info
	info.Objects = slices.Clone(info.Objects)
	info.Formats = slices.Clone(info.Formats)
	info.Transport, info.Addr, info.PSKIdentity = c.conn.transport, c.conn.addr, c.conn.pskIdentity
	info.DTLSConnID = c.conn.cid
	return info
}

// parseObjects reads a Register or Update payload (LwM2M Core 6.2.1):
// the root link with rt="oma.lwm2m" (its ct lists the formats), then the
// objects and instances.
func parseObjects(payload []byte) (objs []ObjectLink, formats []coapmsg.MediaType, err error) {
	r := link.NewReader(payload)
	for r.Next() {
		l := r.Link()
		a, err := l.Attrs()
		if err != nil {
			return nil, nil, err
		}
		if a.HasResourceType(link.ResourceTypeLwM2M) {
			for it := a.ContentFormats(); it.Next(); {
				formats = append(formats, coapmsg.MediaType(it.Value()))
			}
			continue
		}
		p, err := l.Path()
		if err != nil {
			return nil, nil, err
		}
		if p.IsRoot() {
			continue
		}
		ol := ObjectLink{Path: p}
		if a.Has(link.AttrVer) {
			ol.Version = a.Ver.String()
		}
		objs = append(objs, ol)
	}
	return objs, formats, r.Err()
}

// register answers Register (LwM2M Core 6.2.1): 2.01 Created with the
// location /rd/<id>. A Register of an endpoint already registered
// replaces that registration.
func (s *Server) register(req *op.Request, from *conn) op.Response {
	p := &req.Params
	objs, formats, err := parseObjects(req.Payload)
	if err != nil {
		s.log.Info("← Register refused", "err", err)
		return op.Reply(req, coapmsg.BadRequest)
	}
	now := time.Now()
	info := Client{
		Endpoint: string(p.Endpoint), Lifetime: 86400 * time.Second, Version: link.Version{Major: 1, Minor: 0},
		Binding: op.BindingUDP, Queue: p.Queue(), SMS: string(p.SMS),
		Objects: objs, Formats: formats, Registered: now, Updated: now,
	}
	if p.Has(op.ParamLifetime) {
		info.Lifetime = time.Duration(p.Lifetime) * time.Second
	}
	if p.Has(op.ParamVersion) {
		info.Version = p.Version
	}
	if p.Has(op.ParamBinding) {
		info.Binding = p.Binding
	}
	s.mu.Lock()
	old := s.clients[info.Endpoint]
	var oldInfo Client
	if old != nil {
		oldInfo = old.snapshot()
		s.dropLocked(old)
	}
	s.nextID++
	id := strconv.Itoa(s.nextID)
	info.Location = "/rd/" + id
	c := &client{info: info, id: id, conn: from, obs: map[*Observation]struct{}{}}
	s.clients[info.Endpoint], s.byID[id] = c, c
	s.armLocked(c)
	snap := c.snapshot()
	s.mu.Unlock()

	if old != nil {
		s.emit(Event{Kind: EventDeregistered, Client: oldInfo})
	}
	s.log.Info("← Register", "ep", snap.Endpoint, "location", snap.Location, "lt", snap.Lifetime, "lwm2m", snap.Version,
		"b", snap.Binding, "transport", snap.Transport, "addr", snap.Addr, "objects", len(snap.Objects))
	s.emit(Event{Kind: EventRegistered, Client: snap})
	resp := op.Reply(req, coapmsg.Created)
	resp.Location.Add(segRD)
	resp.Location.Add([]byte(id))
	return resp
}

var segRD = []byte("rd")

// armLocked (re)starts the expiry timer of c.
func (s *Server) armLocked(c *client) {
	d := c.info.Lifetime + s.cfg.ExpiryGrace
	c.info.Expires = time.Now().Add(d)
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timer = time.AfterFunc(d, func() { s.expire(c) })
}

// expire removes a registration whose lifetime ended.
func (s *Server) expire(c *client) {
	s.mu.Lock()
	if s.clients[c.info.Endpoint] != c || time.Now().Before(c.info.Expires) {
		s.mu.Unlock()
		return
	}
	s.dropLocked(c)
	snap := c.snapshot()
	s.mu.Unlock()
	s.log.Info("registration expired", "ep", snap.Endpoint, "location", snap.Location)
	s.emit(Event{Kind: EventExpired, Client: snap})
}

// dropLocked forgets a registration and ends its observations.
func (s *Server) dropLocked(c *client) {
	if s.clients[c.info.Endpoint] == c {
		delete(s.clients, c.info.Endpoint)
	}
	delete(s.byID, c.id)
	if c.timer != nil {
		c.timer.Stop()
	}
	for o := range c.obs {
		o.stopLocal()
	}
	c.obs = map[*Observation]struct{}{}
}

// lookup finds the registration of an Update or De-register: /rd/<id>.
func (s *Server) lookupLocked(req *op.Request) *client {
	if req.Location.Len() != 2 {
		return nil
	}
	return s.byID[string(req.Location.Segment(1))]
}

// update answers Update (LwM2M Core 6.2.2): the lifetime restarts, and
// what the Update carries replaces what the Register said. The client is
// reached from then on where the Update came from.
func (s *Server) update(req *op.Request, from *conn) op.Response {
	p := &req.Params
	var objs []ObjectLink
	var formats []coapmsg.MediaType
	if len(req.Payload) > 0 {
		var err error
		if objs, formats, err = parseObjects(req.Payload); err != nil {
			s.log.Info("← Update refused", "err", err)
			return op.Reply(req, coapmsg.BadRequest)
		}
	}
	s.mu.Lock()
	c := s.lookupLocked(req)
	if c == nil {
		s.mu.Unlock()
		s.log.Info("← Update of an unknown registration", "location", req.Location.String())
		return op.Reply(req, coapmsg.NotFound)
	}
	if p.Has(op.ParamLifetime) {
		c.info.Lifetime = time.Duration(p.Lifetime) * time.Second
	}
	if p.Has(op.ParamBinding) {
		c.info.Binding = p.Binding
	}
	if p.Has(op.ParamSMS) {
		c.info.SMS = string(p.SMS)
	}
	c.info.Queue = p.Queue()
	if len(req.Payload) > 0 {
		c.info.Objects = objs
		if formats != nil {
			c.info.Formats = formats
		}
	}
	moved := !c.conn.same(from)
	c.conn = from
	c.info.Updated = time.Now()
	s.armLocked(c)
	snap := c.snapshot()
	s.mu.Unlock()
	s.log.Info("← Update", "ep", snap.Endpoint, "location", snap.Location, "lt", snap.Lifetime, "moved", moved,
		"objects", len(req.Payload) > 0)
	s.emit(Event{Kind: EventUpdated, Client: snap})
	return op.Reply(req, coapmsg.Changed)
}

// deregister answers De-register (LwM2M Core 6.2.3).
func (s *Server) deregister(req *op.Request, from *conn) op.Response {
	s.mu.Lock()
	c := s.lookupLocked(req)
	if c == nil {
		s.mu.Unlock()
		return op.Reply(req, coapmsg.NotFound)
	}
	s.dropLocked(c)
	snap := c.snapshot()
	s.mu.Unlock()
	s.log.Info("← De-register", "ep", snap.Endpoint, "location", snap.Location)
	s.emit(Event{Kind: EventDeregistered, Client: snap})
	return op.Reply(req, coapmsg.Deleted)
}

// send answers Send (LwM2M Core 6.4.5): the values go out as an event.
// The client is known by where the Send came from.
func (s *Server) send(req *op.Request, from *conn) op.Response {
	s.mu.Lock()
	var c *client
	for _, x := range s.clients {
		if x.conn.same(from) {
			c = x
			break
		}
	}
	var snap Client
	if c != nil {
		snap = c.snapshot()
	}
	s.mu.Unlock()
	if c == nil {
		s.log.Info("← Send from an unregistered client", "addr", from.addr)
		return op.Reply(req, coapmsg.NotFound)
	}
	payload := bytes.Clone(req.Payload)
	recs, err := content.Decode(req.ContentFormat, path.Path{}, s.reg, payload)
	if err != nil {
		s.log.Info("← Send refused", "ep", snap.Endpoint, "err", err)
		return op.Reply(req, coapmsg.BadRequest)
	}
	s.log.Info("← Send", "ep", snap.Endpoint, "values", content.FormatRecords(recs))
	s.emit(Event{Kind: EventSend, Client: snap, Format: req.ContentFormat, Payload: payload, Records: recs})
	return op.Reply(req, coapmsg.Changed)
}
