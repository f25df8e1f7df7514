package device

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// Defaults of Config.
const (
	DefaultLifetime        = 300 * time.Second
	DefaultRetryDelay      = 5 * time.Second
	DefaultDeregisterWait  = 5 * time.Second
	DefaultFirmwareMaxSize = 256 << 10
)

// Info is what the Device Object (3) says of the device.
type Info struct {
	Manufacturer, Model, Serial, FirmwareVersion string
}

// Config configures a Client. The zero value of each field means its
// default; Endpoint is required.
type Config struct {
	// Endpoint is the Endpoint Client Name (ep), unique per server.
	Endpoint string
	// Version is the LwM2M version the client registers with: 1.1 (the
	// default) or 1.0. It decides the format of a response when the server
	// names none (see the package documentation).
	Version link.Version
	// Lifetime is the registration lifetime written to the Server Object
	// (/1/0/1) when the client is not bootstrapped; DefaultLifetime when 0.
	Lifetime time.Duration
	// Binding is the binding mode of the Server Object (/1/0/7): "U" (the
	// default) or "S" for SMS.
	Binding string
	// SMSNumber is the device's MSISDN, sent as the sms parameter of
	// Register when set.
	SMSNumber string

	// ServerURI is the LwM2M Server URI of the account the client starts
	// with (/0/0/0, /1/0), such as "coap://127.0.0.1:5683". With
	// BootstrapURI set instead, the client starts with a bootstrap account
	// and gets its server accounts from the bootstrap server.
	ServerURI    string
	BootstrapURI string
	// PSKIdentity and PSKKey are the DTLS pre-shared key of that first
	// account (Security Mode 0); without them the mode is NoSec (3).
	PSKIdentity, PSKKey []byte

	// Info fills the Device Object.
	Info Info
	// Registry types the values of writes; CoreRegistry when nil. Objects
	// added with AddObject are registered in it.
	Registry *lwm2m.Registry

	// FirmwareMaxSize is the largest firmware package accepted (Update
	// Result 2 past it); DefaultFirmwareMaxSize when 0.
	FirmwareMaxSize int
	// FirmwareApply installs a verified firmware payload while the
	// Firmware Update Object is in state Updating. An error gives Update
	// Result 8. nil succeeds at once.
	FirmwareApply func(ctx context.Context, version string, payload []byte) error
	// OnReboot is called (in a goroutine) when a server executes Reboot
	// (/3/0/4).
	OnReboot func()
	// OnRegistered is called after each successful Register with the
	// location the server assigned.
	OnRegistered func(location string)

	// AckTimeout is CoAP's ACK_TIMEOUT (coapep.DefaultAckTimeout when 0).
	AckTimeout time.Duration
	// RetryDelay is the wait before a failed Register is tried again.
	RetryDelay time.Duration
	// DeregisterWait bounds the De-register sent when Run stops.
	DeregisterWait time.Duration
	// NonConfirmable sends notifications as NON messages; by default they
	// are CON and retransmitted until acknowledged.
	NonConfirmable bool
	// Logger receives a readable log of what flows; nil discards it.
	Logger *slog.Logger
}

// Client is an LwM2M 1.1 client: an object store with the core objects and
// the application's, served to LwM2M servers and bootstrap servers over any
// datagram transport. Its methods are safe for concurrent use.
type Client struct {
	cfg Config
	log *slog.Logger
	reg *lwm2m.Registry

	mu       sync.Mutex
	st       store
	attrs    map[path.Path]op.Attributes // Write-Attributes, per path
	sess     *session                    // the registration session, while Run runs
	fw       firmware                    // the package downloaded
	clock    atomic.Int64                // offset of Current Time, set by a write
	notified atomic.Uint64               // notifications sent (CON: acknowledged)
	updates  chan struct{}               // asks Run for a registration Update
	running  bool
	runCtx   context.Context // cancelled when Run returns, for background work

	wg sync.WaitGroup // firmware installs
}

// Notified returns the number of notifications sent so far (for a
// confirmable one, acknowledged by the server).
func (c *Client) Notified() uint64 { return c.notified.Load() }

// New returns a client holding the core objects: Security (0), Server (1)
// unless the client is to be bootstrapped, Device (3), Connectivity
// Monitoring (4) and Firmware Update (5).
func New(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("device: Config.Endpoint is required")
	}
	if cfg.Version == (link.Version{}) {
		cfg.Version = link.Version{Major: 1, Minor: 1}
	}
	if cfg.Version != (link.Version{Major: 1, Minor: 1}) && cfg.Version != (link.Version{Major: 1, Minor: 0}) {
		return nil, errors.New("device: Config.Version must be 1.0 or 1.1")
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = DefaultLifetime
	}
	if cfg.Binding == "" {
		cfg.Binding = "U"
	}
	if _, err := parseBinding(cfg.Binding); err != nil {
		return nil, err
	}
	if cfg.Registry == nil {
		cfg.Registry = lwm2m.CoreRegistry()
	}
	if cfg.FirmwareMaxSize <= 0 {
		cfg.FirmwareMaxSize = DefaultFirmwareMaxSize
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = DefaultRetryDelay
	}
	if cfg.DeregisterWait <= 0 {
		cfg.DeregisterWait = DefaultDeregisterWait
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c := &Client{
		cfg: cfg, log: log, reg: cfg.Registry,
		attrs:   map[path.Path]op.Attributes{},
		updates: make(chan struct{}, 1),
	}
	c.st = store{reg: c.reg, objects: map[uint16]*object{}}
	if err := c.addCoreObjects(); err != nil {
		return nil, err
	}
	return c, nil
}

// AddObject adds an application object, such as a temperature sensor
// (3303), with no instances: create them with CreateInstance or Set.
func (c *Client) AddObject(o Object) error {
	def, ok := c.reg.Object(o.Def.ID)
	if !ok {
		if err := c.reg.Register(o.Def); err != nil {
			return err
		}
		def, _ = c.reg.Object(o.Def.ID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.objects[def.ID] != nil {
		return fmt.Errorf("device: object %d added twice", def.ID)
	}
	impl := o
	c.st.objects[def.ID] = &object{def: def, impl: &impl, inst: map[uint16]*instance{}}
	c.objectsChangedLocked()
	return nil
}

// CreateInstance creates an empty instance of an object.
func (c *Client) CreateInstance(obj, inst uint16) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.st.createInstance(obj, inst); err != nil {
		return err
	}
	c.objectsChangedLocked()
	return nil
}

// Set stores v at p, a Resource or Resource Instance path (for a multiple
// resource), creating the instance if needed, and notifies the observers
// of p. Byte values are copied.
func (c *Client) Set(p path.Path, v lwm2m.Value) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	created := !c.st.exists(p.Parent()) && p.Len() == 3 || p.Len() == 4 && !c.st.exists(path.Instance(p.ID(0), p.ID(1)))
	if err := c.st.set(p, v, true); err != nil {
		return err
	}
	if created {
		c.objectsChangedLocked()
	}
	c.changedLocked(p)
	return nil
}

// Get returns the value at p, a Resource or Resource Instance path.
func (c *Client) Get(p path.Path) (lwm2m.Value, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.get(p)
}

// Read returns the values under p as a server reading it would get them,
// every resource included (the bootstrap view).
func (c *Client) Read(p path.Path) ([]content.Record, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	recs, err := c.st.read(nil, p, readBootstrap)
	return content.Clone(recs), err
}

// changedLocked marks the observations that see p for a notification.
func (c *Client) changedLocked(p path.Path) {
	if c.sess != nil {
		c.sess.changed(p)
	}
}

// objectsChangedLocked notes that the object list of the registration
// changed: the next Update carries it (LwM2M Core 6.2.2).
func (c *Client) objectsChangedLocked() {
	if c.sess != nil {
		c.sess.objectsChanged = true
		c.requestUpdate()
	}
}

// TriggerUpdate asks Run to send a registration Update now, as executing
// Registration Update Trigger (/1/0/8) does.
func (c *Client) TriggerUpdate() { c.requestUpdate() }

// requestUpdate asks Run for a registration Update now.
func (c *Client) requestUpdate() {
	select {
	case c.updates <- struct{}{}:
	default:
	}
}

// Account is an LwM2M server or bootstrap server account: a Security
// Object instance and, for a server, the Server Object instance with the
// same Short Server ID.
type Account struct {
	Security  uint16 // instance of /0
	Server    int    // instance of /1, -1 for a bootstrap account
	URI       string
	Bootstrap bool
	Mode      int64 // Security Mode: 0 PSK, 3 NoSec
	Identity  []byte
	Key       []byte
	SSID      int64
	Lifetime  time.Duration
	Binding   string
	SMSNumber string // the server's MSISDN (/0/x/9), for the SMS binding
}

// Accounts returns the accounts of the Security Object, servers first
// (in instance order), then bootstrap servers.
func (c *Client) Accounts() []Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	var servers, bootstrap []Account
	sec := c.st.objects[0]
	for _, i := range sortedKeys(sec.inst) {
		get := func(r uint16) lwm2m.Value { v, _ := c.st.get(path.Resource(0, i, r)); return v }
		a := Account{Security: i, Server: -1}
		b, _ := get(0).Bytes()
		a.URI = string(b)
		a.Bootstrap, _ = get(1).Bool()
		a.Mode, _ = get(2).Integer()
		a.Identity, _ = get(3).Bytes()
		a.Key, _ = get(5).Bytes()
		sms, _ := get(9).Bytes()
		a.SMSNumber = string(sms)
		a.SSID, _ = get(10).Integer()
		if a.Bootstrap {
			bootstrap = append(bootstrap, a)
			continue
		}
		if srv := c.st.objects[1]; srv != nil {
			for _, j := range sortedKeys(srv.inst) {
				if ssid, _ := c.getInt(path.Resource(1, j, 0)); ssid == a.SSID {
					a.Server = int(j)
					lt, _ := c.getInt(path.Resource(1, j, 1))
					a.Lifetime = time.Duration(lt) * time.Second
					bv, _ := c.st.get(path.Resource(1, j, 7))
					bb, _ := bv.Bytes()
					a.Binding = string(bb)
					break
				}
			}
		}
		servers = append(servers, a)
	}
	return append(servers, bootstrap...)
}

func (c *Client) getInt(p path.Path) (int64, bool) {
	v, ok := c.st.get(p)
	if !ok {
		return 0, false
	}
	return v.Integer()
}

// parseBinding reads the binding letters of LwM2M 1.1 (U, T, S, N).
func parseBinding(s string) (op.Binding, error) {
	var b op.Binding
	for _, ch := range s {
		switch ch {
		case 'U':
			b |= op.BindingUDP
		case 'T':
			b |= op.BindingTCP
		case 'S':
			b |= op.BindingSMS
		case 'N':
			b |= op.BindingNonIP
		default:
			return 0, fmt.Errorf("device: binding %q: not U, T, S or N", s)
		}
	}
	if b == 0 {
		return 0, errors.New("device: empty binding")
	}
	return b, nil
}

// Run registers the client with the LwM2M server at server over pc,
// keeps the registration alive with Updates before its lifetime ends
// (re-registering when the server answers 4.04), serves the server's
// requests and sends notifications, until ctx is done; it then
// de-registers (bounded by Config.DeregisterWait) and returns nil. It
// returns early with an error if the transport fails. Run takes pc over
// and closes it. The registration uses the first server account (see
// Accounts) for its lifetime and binding.
//
// A Register that fails is tried again after Config.RetryDelay.
func (c *Client) Run(ctx context.Context, pc net.PacketConn, server net.Addr) error {
	c.mu.Lock()
	if c.running {
		c.mu.Unlock()
		pc.Close()
		return errors.New("device: Run is already running")
	}
	c.running = true
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	c.runCtx = runCtx
	c.mu.Unlock()
	defer func() {
		stopRun()
		c.wg.Wait()
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
	}()

	s := c.newSession(pc, server, op.RoleClientFromServer)
	serveCtx, stopServe := context.WithCancel(context.WithoutCancel(ctx))
	served := make(chan error, 1)
	go func() { served <- s.ep.Serve(serveCtx) }()
	defer func() {
		stopServe()
		<-served
	}()
	c.setIPAddress(pc.LocalAddr())

	notifyCtx, stopNotify := context.WithCancel(context.WithoutCancel(ctx))
	notifierDone := make(chan struct{})
	go func() { defer close(notifierDone); s.notifier(notifyCtx) }()
	defer func() { stopNotify(); <-notifierDone }()

	c.mu.Lock()
	c.sess = s
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.sess = nil
		c.mu.Unlock()
	}()

	for {
		// Register, and retry until it works.
		lt, err := s.register(ctx)
		for err != nil {
			if ctx.Err() != nil {
				return nil
			}
			c.log.Warn("register failed", "err", err, "retry", c.cfg.RetryDelay)
			select {
			case <-ctx.Done():
				return nil
			case err := <-served:
				served <- err
				return fmt.Errorf("device: transport: %w", err)
			case <-time.After(c.cfg.RetryDelay):
			}
			lt, err = s.register(ctx)
		}
		// Update before the lifetime ends, and when asked.
		timer := time.NewTimer(updateDelay(lt))
		reregister := false
		for !reregister {
			select {
			case <-ctx.Done():
				timer.Stop()
				dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.DeregisterWait)
				s.deregister(dctx)
				cancel()
				return nil
			case err := <-served:
				timer.Stop()
				served <- err
				return fmt.Errorf("device: transport: %w", err)
			case <-timer.C:
			case <-c.updates:
				timer.Stop()
			}
			var notFound bool
			lt, notFound, err = s.update(ctx)
			switch {
			case notFound:
				c.log.Info("server forgot the registration (4.04): registering again")
				reregister = true
			case err != nil && ctx.Err() == nil:
				c.log.Warn("update failed: registering again", "err", err)
				reregister = true
			default:
				timer.Reset(updateDelay(lt))
			}
		}
	}
}

// updateDelay is when the next Update goes out: half the lifetime for a
// short one, else a minute before it ends, so that a retransmitted Update
// still arrives in time (RFC 7252 MAX_TRANSMIT_WAIT is 93 s at the defaults;
// LwM2M Core 6.2.2 leaves the margin to the client).
func updateDelay(lt time.Duration) time.Duration {
	margin := min(lt/2, time.Minute)
	return lt - margin
}

// Bootstrap runs a client-initiated bootstrap (LwM2M Core 6.1.3) with the
// bootstrap server at server over pc: Bootstrap-Request, then the server's
// Bootstrap-Write, -Read, -Discover and -Delete operations until its
// Bootstrap-Finish, or until ctx is done. It takes pc over and closes it.
// Afterwards Accounts lists the servers the bootstrap server wrote.
func (c *Client) Bootstrap(ctx context.Context, pc net.PacketConn, server net.Addr) error {
	np := &notifyingPC{PacketConn: pc, reading: make(chan struct{}, 1)}
	s := c.newSession(np, server, op.RoleClientFromBootstrap)
	s.finished = make(chan struct{}, 1)
	serveCtx, stopServe := context.WithCancel(context.WithoutCancel(ctx))
	served := make(chan error, 1)
	go func() { served <- s.ep.Serve(serveCtx) }()
	defer func() {
		stopServe()
		<-served
	}()

	req := op.Request{Kind: op.KindBootstrapRequest, Params: op.Params{
		Set:      op.ParamEndpoint | op.ParamPreferredFormat,
		Endpoint: []byte(c.cfg.Endpoint), PreferredFormat: coapmsg.AppSenMLCBOR,
	}}
	if c.cfg.Version.Minor == 0 {
		req.Params.Set &^= op.ParamPreferredFormat // pct is a parameter of LwM2M 1.1
	}
	resp, err := s.do(ctx, &req)
	if err != nil {
		return fmt.Errorf("device: Bootstrap-Request: %w", err)
	}
	if resp.Code != coapmsg.Changed {
		return fmt.Errorf("device: Bootstrap-Request answered %v", resp.Code)
	}
	c.log.Info("bootstrap requested", "server", server)
	select {
	case <-s.finished:
	case <-ctx.Done():
		return ctx.Err()
	case err := <-served:
		return fmt.Errorf("device: transport: %w", err)
	}
	// The 2.04 answering Bootstrap-Finish is written after the handler
	// returns; the endpoint reading again means it is out.
	select {
	case <-np.reading:
	case <-ctx.Done():
	}
	c.log.Info("bootstrap finished", "accounts", len(c.Accounts()))
	return nil
}

// notifyingPC tells, once armed, when the endpoint's read loop calls
// ReadFrom again: the response to the last request has been written.
type notifyingPC struct {
	net.PacketConn
	mu      sync.Mutex
	armed   bool
	reading chan struct{}
}

func (p *notifyingPC) arm() {
	p.mu.Lock()
	p.armed = true
	p.mu.Unlock()
}

func (p *notifyingPC) ReadFrom(b []byte) (int, net.Addr, error) {
	p.mu.Lock()
	if p.armed {
		p.armed = false
		select {
		case p.reading <- struct{}{}:
		default:
		}
	}
	p.mu.Unlock()
	return p.PacketConn.ReadFrom(b)
}

// Send sends the current values of paths to the server with the Send
// operation (POST /dp, LwM2M Core 6.4.5) in SenML CBOR, each with the
// current time. The client must be registered.
func (c *Client) Send(ctx context.Context, paths ...path.Path) error {
	c.mu.Lock()
	s := c.sess
	var recs []content.Record
	var err error
	if s != nil && s.location != "" {
		now := float64(time.Now().UnixMilli()) / 1000
		for _, p := range paths {
			n := len(recs)
			if recs, err = c.st.read(recs, p, readServer); err != nil {
				break
			}
			for i := n; i < len(recs); i++ {
				recs[i].Time, recs[i].HasTime = now, true
			}
		}
	}
	c.mu.Unlock()
	if s == nil || s.location == "" {
		return errors.New("device: Send needs a registration")
	}
	if err != nil {
		return err
	}
	payload, err := content.Encode(nil, coapmsg.AppSenMLCBOR, path.Path{}, recs)
	if err != nil {
		return err
	}
	req := op.Request{Kind: op.KindSend, ContentFormat: coapmsg.AppSenMLCBOR, HasContentFormat: true, Payload: payload}
	resp, err := s.do(ctx, &req)
	if err != nil {
		return err
	}
	if resp.Code != coapmsg.Changed {
		return fmt.Errorf("device: Send answered %v", resp.Code)
	}
	c.log.Info("→ Send", "values", content.FormatRecords(recs))
	return nil
}

// Registered reports the registration location while the client is
// registered, such as "/rd/3".
func (c *Client) Registered() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil || c.sess.location == "" {
		return "", false
	}
	return c.sess.location, true
}

// serverAccount returns the lifetime and binding of the first server
// account, from the Server Object.
func (c *Client) serverAccount() (lt time.Duration, binding string, ssid int64) {
	for _, a := range c.Accounts() {
		if !a.Bootstrap && a.Server >= 0 {
			return a.Lifetime, a.Binding, a.SSID
		}
	}
	return c.cfg.Lifetime, c.cfg.Binding, 1
}
