package mqttbridge

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
	"github.com/iotwire/iotwire/mqttpkt"
)

// LwM2M is the LwM2M server side of the gateway, the operations a command
// turns into. Each call addresses the registered device ep and returns
// once it has answered, or with an error: to give the result a CoAP
// response code, return an error with a method CoAPCode() coapmsg.Code
// (such as [*CodeError]); ctx ends with the command's timeout.
type LwM2M interface {
	// Read reads the object, instance or resource at p (LwM2M Core 6.3.1).
	Read(ctx context.Context, ep string, p path.Path) ([]senml.Resolved, error)
	// Write writes values, all under p (6.3.3): a Replace of a resource,
	// or a Partial Update of an object instance.
	Write(ctx context.Context, ep string, p path.Path, values []senml.Resolved) error
	// Execute executes the resource at p with the arguments args (6.3.5).
	Execute(ctx context.Context, ep string, p path.Path, args string) error
	// Observe starts observing p (6.4.1) and returns the current values;
	// the notifications then reach the gateway, which calls Bridge.Notify.
	Observe(ctx context.Context, ep string, p path.Path) ([]senml.Resolved, error)
	// Cancel ends the observation of p (6.4.2).
	Cancel(ctx context.Context, ep string, p path.Path) error
}

// CodeError is a failed operation with its CoAP response code, such as
// 4.04 for a path the device does not have.
type CodeError struct {
	Code coapmsg.Code
	Msg  string // "" means the code's name
}

// Error returns the code and the message, such as "4.05 read-only resource".
func (e *CodeError) Error() string {
	if e.Msg == "" {
		return e.Code.String()
	}
	return e.Code.Dotted() + " " + e.Msg
}

// CoAPCode returns e.Code.
func (e *CodeError) CoAPCode() coapmsg.Code { return e.Code }

// Defaults of Config.
const (
	DefaultMaxCommands    = 16
	DefaultCommandTimeout = 30 * time.Second
	// answerTimeout bounds publishing a result once the operation is done.
	answerTimeout = 10 * time.Second
)

// The user properties the bridge sets on what it publishes.
const (
	PropEndpoint      = "lwm2m-endpoint"       // the endpoint name
	PropPath          = "lwm2m-path"           // the LwM2M path of a data message or result
	PropOp            = "lwm2m-op"             // register, update, deregister, notify, send, or the command's op
	PropContentFormat = "lwm2m-content-format" // the CoAP Content-Format the device used, a decimal number (11542 TLV, 110 SenML JSON, 112 SenML CBOR, 11544 LwM2M CBOR, ...)
	PropTransport     = "lwm2m-transport"      // udp, dtls, sms, ... when known
	PropTime          = "lwm2m-time"           // when the gateway handled it, RFC 3339 with milliseconds
	PropCode          = "lwm2m-code"           // a result's code, such as 2.05
)

// ContentTypeJSON is the MQTT 5.0 Content Type of every payload the
// bridge publishes.
const ContentTypeJSON = "application/json"

// Config configures a Bridge. The zero value means defaults.
type Config struct {
	// Topics names the topics; the zero value uses DefaultPrefix.
	Topics Topics
	// DataQoS0 publishes data messages at QoS 0 instead of QoS 1.
	// Registration messages and results are always QoS 1.
	DataQoS0 bool
	// RetainData retains the data messages, so that a new subscriber gets
	// the last value of each resource at once.
	RetainData bool
	// DataExpiry, when positive, is the Message Expiry Interval of data
	// messages (MQTT 5.0 3.3.2.3.3), in whole seconds.
	DataExpiry time.Duration
	// MaxCommands bounds the commands running at once; 0 means
	// DefaultMaxCommands. Past it, commands wait in the broker.
	MaxCommands int
	// CommandTimeout bounds each LwM2M operation; 0 means
	// DefaultCommandTimeout.
	CommandTimeout time.Duration
	// Registry types the values of write commands that name no type; nil
	// means lwm2m.CoreRegistry().
	Registry *lwm2m.Registry
	// OnEvent, if not nil, receives one Event per flow: a readable live log
	// (see LogTo). It is called from several goroutines, one call at a time.
	OnEvent func(Event)
	// Now is the clock of the messages' times; nil means time.Now.
	Now func() time.Time
}

// Meta describes where values came from.
type Meta struct {
	// ContentFormat is the CoAP Content-Format of the device's payload,
	// when HasContentFormat is set.
	ContentFormat    coapmsg.MediaType
	HasContentFormat bool
	// Transport names the device's transport: "udp", "dtls", "sms", ...
	Transport string
	// Received is when the values arrived; zero means now.
	Received time.Time
}

// Stats counts what a bridge did.
type Stats struct {
	Published     uint64 // messages the broker acknowledged (QoS 1) or that were written (QoS 0)
	PublishErrors uint64 // messages that failed
	Commands      uint64 // commands received
	CommandErrors uint64 // commands whose result is not a success
}

// Event is one flow through the bridge, for a live log.
type Event struct {
	Time     time.Time
	Kind     string // "registered", "updated", "deregistered", "notify", "send", "command", "error"
	Endpoint string
	Path     string // the LwM2M path, if any
	Topic    string // the MQTT topic published to (or, for a command, received on)
	Detail   string // a summary: values, result code, error
	Err      error  // the failure, for failed flows
}

// String formats the event as one line:
//
//	15:04:05.123 notify     dev1 /3/0/13 -> lwm2m/dev1/data/3/0/13: /3/0/13=1767366245 (time)
func (e Event) String() string {
	var b strings.Builder
	b.WriteString(e.Time.Format("15:04:05.000"))
	b.WriteByte(' ')
	b.WriteString(e.Kind)
	for i := len(e.Kind); i < 12; i++ {
		b.WriteByte(' ')
	}
	b.WriteByte(' ')
	b.WriteString(e.Endpoint)
	if e.Path != "" {
		b.WriteByte(' ')
		b.WriteString(e.Path)
	}
	if e.Topic != "" {
		if e.Kind == "command" {
			b.WriteString(" <- ")
		} else {
			b.WriteString(" -> ")
		}
		b.WriteString(e.Topic)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// LogTo returns an OnEvent function that writes each event as a line to w.
func LogTo(w io.Writer) func(Event) {
	var mu sync.Mutex
	return func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, e.String()+"\n")
	}
}

// Bridge connects the LwM2M server side of the gateway to MQTT: the
// gateway calls Registered, Updated, Deregistered, Notify and Send as
// devices come and go and report values, and between Start and Stop (or
// during Run) the bridge turns the commands published on MQTT into calls
// of an LwM2M implementation. Its methods are safe for concurrent use.
type Bridge struct {
	c   *Client
	lw  LwM2M
	cfg Config

	eventMu sync.Mutex // serialises OnEvent

	// Command serving, between Start and Stop.
	runMu    sync.Mutex // guards started, stopped and cmdWG.Add
	started  bool
	stopped  bool
	cmdCtx   context.Context // the commands' context, cancelled by Stop
	stopCmds context.CancelFunc
	cmdWG    sync.WaitGroup // running commands
	sem      chan struct{}  // bounds the running commands

	published, publishErrors, commands, commandErrors atomic.Uint64
}

// NewBridge returns a bridge publishing with c and serving commands with lw.
func NewBridge(c *Client, lw LwM2M, cfg Config) *Bridge {
	if cfg.MaxCommands <= 0 {
		cfg.MaxCommands = DefaultMaxCommands
	}
	if cfg.CommandTimeout <= 0 {
		cfg.CommandTimeout = DefaultCommandTimeout
	}
	if cfg.Registry == nil {
		cfg.Registry = lwm2m.CoreRegistry()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Bridge{c: c, lw: lw, cfg: cfg}
}

// Stats returns the counters.
func (b *Bridge) Stats() Stats {
	return Stats{Published: b.published.Load(), PublishErrors: b.publishErrors.Load(),
		Commands: b.commands.Load(), CommandErrors: b.commandErrors.Load()}
}

// Flush waits until the broker has acknowledged every QoS 1 message the
// bridge published so far, and Stats counts them.
func (b *Bridge) Flush(ctx context.Context) error { return b.c.Flush(ctx) }

// Topics returns the topic names in use.
func (b *Bridge) Topics() Topics { return b.cfg.Topics }

func (b *Bridge) event(e Event) {
	if b.cfg.OnEvent == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = b.cfg.Now()
	}
	b.eventMu.Lock()
	defer b.eventMu.Unlock()
	b.cfg.OnEvent(e)
}

// props returns the properties common to every message the bridge
// publishes: JSON content, the endpoint and the operation.
func (b *Bridge) props(ep, op string, now time.Time) Props {
	return Props{ContentType: ContentTypeJSON, PayloadUTF8: true, User: []UserProperty{
		{PropEndpoint, ep}, {PropOp, op}, {PropTime, now.UTC().Format("2006-01-02T15:04:05.000Z07:00")},
	}}
}

// publish sends m without waiting for its acknowledgement; the outcome is
// counted, and a failure logged, when it comes. On a broker without
// retained messages, m goes out unretained (an empty retained message,
// which only deletes one, is skipped).
func (b *Bridge) publish(ctx context.Context, m *Message, ev Event) error {
	done := func(err error) {
		if err != nil {
			b.publishErrors.Add(1)
			ev.Kind, ev.Err = "error", err
			b.event(ev)
			return
		}
		b.published.Add(1)
	}
	err := b.c.PublishAsync(ctx, m, done)
	if errors.Is(err, ErrRetain) && m.Retain {
		if len(m.Payload) == 0 {
			return nil
		}
		m.Retain = false
		err = b.c.PublishAsync(ctx, m, done)
	}
	if err != nil {
		b.publishErrors.Add(1)
	}
	return err
}

// Registered publishes a registration, retained, to
// <prefix>/<endpoint>/registration.
func (b *Bridge) Registered(ctx context.Context, r Registration) error {
	return b.registration(ctx, r, EventRegistered, "register")
}

// Updated publishes a registration update, retained, to
// <prefix>/<endpoint>/registration.
func (b *Bridge) Updated(ctx context.Context, r Registration) error {
	return b.registration(ctx, r, EventUpdated, "update")
}

func (b *Bridge) registration(ctx context.Context, r Registration, event, op string) error {
	if r.Endpoint == "" {
		return errors.New("mqttbridge: registration without endpoint")
	}
	r.Event = event
	if r.Time.IsZero() {
		r.Time = b.cfg.Now()
	}
	payload, err := EncodeRegistration(&r)
	if err != nil {
		return err
	}
	topic := b.cfg.Topics.Registration(r.Endpoint)
	m := &Message{Topic: topic, Payload: payload, QoS: mqttpkt.QoS1, Retain: true, Props: b.props(r.Endpoint, op, r.Time)}
	if r.Transport != "" {
		m.Props.User = append(m.Props.User, UserProperty{PropTransport, r.Transport})
	}
	var objs []string
	for _, o := range r.Objects {
		objs = append(objs, o.Path.String())
	}
	detail := "lt=" + strconv.FormatInt(r.Lifetime, 10)
	if r.Version != "" {
		detail += " lwm2m=" + r.Version
	}
	if r.Binding != "" {
		detail += " b=" + r.Binding
	}
	if r.Transport != "" {
		detail += " via " + r.Transport
	}
	if len(objs) > 0 {
		detail += " objects " + strings.Join(objs, " ")
	}
	ev := Event{Time: r.Time, Kind: event, Endpoint: r.Endpoint, Topic: topic, Detail: detail}
	if err := b.publish(ctx, m, ev); err != nil {
		ev.Kind, ev.Err = "error", err
		b.event(ev)
		return err
	}
	b.event(ev)
	return nil
}

// Deregistered publishes a de-registration to <prefix>/<endpoint>/deregistered
// (not retained) and clears the retained registration: an empty retained
// message deletes it (MQTT 5.0 3.3.1.3). reason is ReasonDeregistered or
// ReasonExpired.
func (b *Bridge) Deregistered(ctx context.Context, ep, reason string) error {
	if ep == "" {
		return errors.New("mqttbridge: de-registration without endpoint")
	}
	now := b.cfg.Now()
	payload, err := EncodeDeregistration(&Deregistration{Endpoint: ep, Reason: reason, Time: now})
	if err != nil {
		return err
	}
	topic := b.cfg.Topics.Deregistered(ep)
	ev := Event{Time: now, Kind: "deregistered", Endpoint: ep, Topic: topic, Detail: reason}
	m := &Message{Topic: topic, Payload: payload, QoS: mqttpkt.QoS1, Props: b.props(ep, "deregister", now)}
	if err := b.publish(ctx, m, ev); err != nil {
		ev.Kind, ev.Err = "error", err
		b.event(ev)
		return err
	}
	empty := &Message{Topic: b.cfg.Topics.Registration(ep), QoS: mqttpkt.QoS1, Retain: true}
	if err := b.publish(ctx, empty, ev); err != nil {
		ev.Kind, ev.Err = "error", err
		b.event(ev)
		return err
	}
	b.event(ev)
	return nil
}

// Notify publishes the values of a notification (LwM2M Core 6.4.3), one
// message per resource value on its data topic. It returns once they are
// written, waiting while the client's in-flight window is full; their
// acknowledgements are counted in Stats as they come.
func (b *Bridge) Notify(ctx context.Context, ep string, values []senml.Resolved, meta Meta) error {
	return b.data(ctx, ep, OpNotify, values, meta)
}

// Send publishes the values of a Send (LwM2M Core 6.4.5), as Notify does.
func (b *Bridge) Send(ctx context.Context, ep string, values []senml.Resolved, meta Meta) error {
	return b.data(ctx, ep, OpSend, values, meta)
}

func (b *Bridge) data(ctx context.Context, ep, op string, values []senml.Resolved, meta Meta) error {
	if ep == "" {
		return errors.New("mqttbridge: values without endpoint")
	}
	received := meta.Received
	if received.IsZero() {
		received = b.cfg.Now()
	}
	qos := mqttpkt.QoS1
	if b.cfg.DataQoS0 {
		qos = mqttpkt.QoS0
	}
	var expiry uint32
	if b.cfg.DataExpiry > 0 {
		expiry = uint32(min((b.cfg.DataExpiry+time.Second-1)/time.Second, 1<<32-1))
	}
	// Only resources carry values: an object or instance path (an empty
	// instance in a TLV payload, say) has nothing to publish.
	kept := values[:0:0]
	for _, v := range values {
		if v.Path.Level() >= path.ResourceLevel {
			kept = append(kept, v)
		}
	}
	values = kept
	ev := Event{Time: received, Kind: op, Endpoint: ep, Detail: summarize(values)}
	switch len(values) {
	case 0:
		return nil
	case 1:
		ev.Path = values[0].Path.String()
		ev.Topic = b.cfg.Topics.Data(ep, values[0].Path)
	default:
		ev.Topic = b.cfg.Topics.Data(ep, values[0].Path) + " (+" + strconv.Itoa(len(values)-1) + ")"
	}
	for _, v := range values {
		payload, err := EncodeData(&Data{Endpoint: ep, Op: op, Record: v, Received: received})
		if err != nil {
			return err
		}
		m := &Message{Topic: b.cfg.Topics.Data(ep, v.Path), Payload: payload, QoS: qos, Retain: b.cfg.RetainData,
			Props: b.props(ep, op, received)}
		m.Props.MessageExpiry = expiry
		m.Props.User = append(m.Props.User, UserProperty{PropPath, v.Path.String()})
		if meta.HasContentFormat {
			m.Props.User = append(m.Props.User, UserProperty{PropContentFormat, strconv.Itoa(int(meta.ContentFormat))})
		}
		if meta.Transport != "" {
			m.Props.User = append(m.Props.User, UserProperty{PropTransport, meta.Transport})
		}
		pe := ev
		pe.Path, pe.Topic = v.Path.String(), m.Topic
		if err := b.publish(ctx, m, pe); err != nil {
			pe.Kind, pe.Err = "error", err
			b.event(pe)
			return err
		}
	}
	b.event(ev)
	return nil
}

// summarize renders a few values for the log: "/3/0/13=1767366245 (time)".
func summarize(values []senml.Resolved) string {
	const most = 4
	var b []byte
	for i, v := range values {
		if i == most {
			b = append(b, " …"...)
			break
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, v.Path.String()...)
		b = append(b, '=')
		val := AppendValue(nil, v.Value)
		if len(val) > 40 {
			val = append(val[:39], "…"...)
		}
		b = append(b, val...)
		b = append(b, " ("...)
		b = append(b, v.Value.Type().String()...)
		b = append(b, ')')
	}
	return string(b)
}

// Start subscribes to the command topics (<prefix>/+/command) and returns
// once the broker has granted the subscription (ctx bounds that); from
// then on commands are served, at most Config.MaxCommands at once, until
// Stop. Each command's result goes to its MQTT 5.0 Response Topic, or to
// <prefix>/<endpoint>/response without one, with its Correlation Data
// (MQTT 5.0 4.10), at QoS 1.
func (b *Bridge) Start(ctx context.Context) error {
	b.runMu.Lock()
	if b.started {
		b.runMu.Unlock()
		return errors.New("mqttbridge: bridge already started")
	}
	b.started = true
	b.cmdCtx, b.stopCmds = context.WithCancel(context.Background())
	b.sem = make(chan struct{}, b.cfg.MaxCommands)
	b.runMu.Unlock()
	if err := b.c.Subscribe(ctx, b.command, b.cfg.Topics.CommandFilter()); err != nil {
		b.Stop()
		return err
	}
	return nil
}

// command is the handler of the command subscription. It waits for a free
// slot on the client's delivery goroutine: the message is acknowledged
// only after, so the commands that do not fit wait in the broker.
func (b *Bridge) command(m *Message) {
	select {
	case b.sem <- struct{}{}:
	case <-b.cmdCtx.Done():
		return
	}
	b.runMu.Lock()
	if b.stopped {
		b.runMu.Unlock()
		<-b.sem
		return
	}
	b.cmdWG.Add(1)
	b.runMu.Unlock()
	go func() {
		defer b.cmdWG.Done()
		defer func() { <-b.sem }()
		b.serve(b.cmdCtx, m)
	}()
}

// Stop stops serving commands: the running ones see their context
// cancelled (and answer 5.03 unless they finish first); Stop waits for
// their results to be published, then unsubscribes. It may be called more
// than once.
func (b *Bridge) Stop() {
	b.runMu.Lock()
	if !b.started || b.stopped {
		b.runMu.Unlock()
		return
	}
	b.stopped = true
	b.runMu.Unlock()
	b.stopCmds()
	b.cmdWG.Wait()
	if b.c.Err() == nil {
		ctx, cancel := context.WithTimeout(context.Background(), answerTimeout)
		b.c.Unsubscribe(ctx, b.cfg.Topics.CommandFilter())
		cancel()
	}
}

// Run is Start, then Stop when ctx is done or the client's connection
// ends; it returns ctx's error or the connection's.
func (b *Bridge) Run(ctx context.Context) error {
	if err := b.Start(ctx); err != nil {
		return err
	}
	defer b.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-b.c.Done():
		return b.c.Err()
	}
}

// serve runs one command and publishes its result.
func (b *Bridge) serve(ctx context.Context, m *Message) {
	b.commands.Add(1)
	start := b.cfg.Now()
	ep, _, _, err := b.cfg.Topics.Parse(m.Topic)
	res := Result{Endpoint: ep}
	var cmd Command
	if err == nil {
		cmd, err = DecodeCommand(m.Payload, b.cfg.Registry)
		res.ID, res.Op, res.Path = cmd.ID, cmd.Op, cmd.Path
	}
	if err != nil {
		res.Code, res.Error = coapmsg.BadRequest, err.Error()
	} else {
		octx, ocancel := context.WithTimeout(ctx, b.cfg.CommandTimeout)
		res.Values, err = b.call(octx, ep, &cmd)
		ocancel()
		res.Code = successCode(cmd.Op)
		if err != nil {
			res.Code, res.Error, res.Values = errorCode(err), err.Error(), nil
		}
	}
	if !res.OK() {
		b.commandErrors.Add(1)
	}
	topic := m.Props.ResponseTopic
	if topic == "" {
		topic = b.cfg.Topics.Response(ep)
		if ep == "" {
			topic = b.cfg.Topics.prefix() + "/" + KindResponse
		}
	}
	ev := Event{Time: start, Kind: "command", Endpoint: ep, Path: cmd.Path.String(), Topic: m.Topic}
	ev.Detail = cmd.Op + " -> " + res.Code.String()
	if res.Error != "" {
		ev.Detail += " (" + res.Error + ")"
	} else if len(res.Values) > 0 {
		ev.Detail += ": " + summarize(res.Values)
	}
	ev.Detail += " in " + b.cfg.Now().Sub(start).Round(time.Millisecond).String() + ", answer to " + topic
	if cmd.Op == "" {
		ev.Path = ""
	}
	payload, err := EncodeResult(&res)
	if err != nil { // a value JSON cannot hold: answer without the values
		res.Values, res.Code, res.Error = nil, coapmsg.InternalServerError, err.Error()
		payload, _ = EncodeResult(&res)
	}
	answer := &Message{Topic: topic, Payload: payload, QoS: mqttpkt.QoS1, Props: b.props(ep, cmd.Op, b.cfg.Now())}
	answer.Props.CorrelationData = m.Props.CorrelationData
	answer.Props.User = append(answer.Props.User, UserProperty{PropCode, res.Code.Dotted()})
	if cmd.Op != "" {
		answer.Props.User = append(answer.Props.User, UserProperty{PropPath, cmd.Path.String()})
	}
	// The operation may have ended with ctx; the answer still goes out.
	// It is counted when acknowledged, before Flush can return.
	actx, acancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	defer acancel()
	acked := make(chan error, 1)
	err = b.c.PublishAsync(actx, answer, func(err error) {
		if err != nil {
			b.publishErrors.Add(1)
		} else {
			b.published.Add(1)
		}
		acked <- err
	})
	if err != nil {
		b.publishErrors.Add(1)
	} else {
		select {
		case err = <-acked:
		case <-actx.Done():
			err = actx.Err()
		}
	}
	if err != nil {
		ev.Kind, ev.Err = "error", errors.New("answer lost: "+err.Error())
	}
	b.event(ev)
}

// call runs the operation of cmd.
func (b *Bridge) call(ctx context.Context, ep string, cmd *Command) ([]senml.Resolved, error) {
	switch cmd.Op {
	case OpRead:
		return b.lw.Read(ctx, ep, cmd.Path)
	case OpWrite:
		return nil, b.lw.Write(ctx, ep, cmd.Path, cmd.Values)
	case OpExecute:
		return nil, b.lw.Execute(ctx, ep, cmd.Path, cmd.Args)
	case OpObserve:
		return b.lw.Observe(ctx, ep, cmd.Path)
	case OpCancel:
		return nil, b.lw.Cancel(ctx, ep, cmd.Path)
	}
	return nil, &CodeError{Code: coapmsg.BadRequest, Msg: "unknown op"}
}

// successCode is the response code of a successful operation (LwM2M Core
// 6.3 and 6.4: Read and Observe 2.05 Content, Write and Execute 2.04
// Changed; a Cancel Observation is a Read without Observe, 2.05).
func successCode(op string) coapmsg.Code {
	switch op {
	case OpWrite, OpExecute:
		return coapmsg.Changed
	}
	return coapmsg.Content
}

// errorCode is the response code of a failed operation: the error's own,
// 5.04 Gateway Timeout for a device that did not answer in time, 5.03
// Service Unavailable when the gateway stops, else 5.00.
func errorCode(err error) coapmsg.Code {
	var ce interface{ CoAPCode() coapmsg.Code }
	switch {
	case errors.As(err, &ce):
		return ce.CoAPCode()
	case errors.Is(err, context.DeadlineExceeded):
		return coapmsg.GatewayTimeout
	case errors.Is(err, context.Canceled):
		return coapmsg.ServiceUnavailable // the gateway is stopping
	}
	return coapmsg.InternalServerError
}
