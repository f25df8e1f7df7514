package mqttbridge

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/tcp"
	"github.com/iotwire/iotwire/transport/ws"
)

// Defaults of Options.
const (
	DefaultKeepAlive      = 60 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultMaxInflight    = 256
	DefaultReceiveMaximum = 65535
	DefaultQoS0Buffer     = 256
)

// Errors of the client. Failures reported by the broker are [*ReasonError]
// values; a broken connection is a [*ConnError].
var (
	// ErrClosed is returned by the methods of a client after Close.
	ErrClosed = errors.New("mqttbridge: client closed")
	// ErrQoS is returned for a QoS the client does not offer (2) or the
	// broker does not accept (above its Maximum QoS, MQTT 5.0 3.2.2.3.4).
	ErrQoS = errors.New("mqttbridge: QoS not available")
	// ErrRetain is returned for a retained message when the broker says
	// Retain Available 0 (MQTT 5.0 3.2.2.3.5).
	ErrRetain = errors.New("mqttbridge: the broker does not retain messages")
	// ErrTooLarge is returned for a packet larger than the broker's
	// Maximum Packet Size (MQTT 5.0 3.2.2.3.6, [MQTT-3.1.2-24]).
	ErrTooLarge = errors.New("mqttbridge: packet larger than the broker's maximum packet size")
)

// ReasonError is a reason code of 0x80 or more from the broker: a refused
// CONNECT, PUBLISH, SUBSCRIBE or UNSUBSCRIBE, or a DISCONNECT.
type ReasonError struct {
	Packet mqttpkt.PacketType // CONNACK, PUBACK, SUBACK, UNSUBACK or DISCONNECT
	Code   mqttpkt.ReasonCode
	Reason string // the Reason String property, if any
}

// Error names the packet, the reason code and the reason string, such as
// "mqttbridge: PUBACK Not authorized (0x87): no way".
func (e *ReasonError) Error() string {
	s := "mqttbridge: " + e.Packet.String() + " " + e.Code.Name(e.Packet, mqttpkt.V5) +
		" (0x" + strconv.FormatUint(uint64(e.Code)|0x100, 16)[1:] + ")"
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// ConnError is the end of a connection that the client did not ask for:
// an I/O error, a timeout, or a packet that broke the protocol.
type ConnError struct {
	Op  string // what failed: "read", "write", "keep alive", "protocol"
	Err error
}

// Error returns "mqttbridge: connection lost (Op): cause".
func (e *ConnError) Error() string {
	return "mqttbridge: connection lost (" + e.Op + "): " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ConnError) Unwrap() error { return e.Err }

// Options configures Dial. The zero value means defaults.
type Options struct {
	// ClientID is the MQTT client identifier; "" means "iotwire-" and 16
	// random hex digits.
	ClientID string
	// Username and Password are sent when not empty.
	Username, Password string
	// KeepAlive is the keep-alive interval (MQTT 5.0 3.1.2.10), in whole
	// seconds up to 65535 s; 0 means DefaultKeepAlive, negative disables
	// it. The broker may impose its own (Server Keep Alive). The client
	// pings every half interval and gives up on a broker silent for 1.5
	// intervals.
	KeepAlive time.Duration
	// ConnectTimeout bounds dialling plus CONNECT/CONNACK; 0 means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// WriteTimeout bounds each write to the connection; 0 means
	// DefaultWriteTimeout. A write that times out ends the connection.
	WriteTimeout time.Duration
	// MaxInflight bounds the QoS 1 messages published and not yet
	// acknowledged; the broker's Receive Maximum bounds it further
	// (MQTT 5.0 4.9). Publishing waits while the window is full. 0 means
	// DefaultMaxInflight.
	MaxInflight int
	// ReceiveMaximum is how many QoS 1 messages the broker may send us
	// before we acknowledge them (MQTT 5.0 3.1.2.11.3). A message is
	// acknowledged once its handler returns, so this bounds the messages
	// queued for handlers (the queue grows only as far as the handlers
	// lag). 0 means DefaultReceiveMaximum, 65,535, the protocol's
	// default. Lower values hold less memory, but make some brokers slow
	// down with a backlog: mochi-mqtt 2.7.9 keeps the messages it may not
	// send yet in a map it sorts at every acknowledgement.
	ReceiveMaximum uint16
	// QoS0Buffer bounds the QoS 0 messages queued for handlers; past it,
	// QoS 0 messages are dropped (and counted, see Dropped). 0 means
	// DefaultQoS0Buffer.
	QoS0Buffer int
	// MaxPacketSize is the largest packet accepted from the broker,
	// announced in CONNECT (MQTT 5.0 3.1.2.11.4); 0 means
	// mqttpkt.DefaultMaxPacketSize (1 MiB).
	MaxPacketSize int
	// TopicAliasMaximum is how many topic aliases the broker may use
	// towards us (MQTT 5.0 3.1.2.11.5); 0 means none.
	TopicAliasMaximum uint16
	// UseTopicAliases makes Publish send a topic alias instead of the
	// topic name for repeated topics, up to the broker's Topic Alias
	// Maximum (MQTT 5.0 3.3.2.3.4): the first message of a topic carries
	// name and alias, the next ones the alias alone.
	UseTopicAliases bool
	// Will is the message the broker publishes if the connection ends
	// without DISCONNECT (MQTT 5.0 3.1.3.2), or nil.
	Will *Message
	// TLS configures mqtts:// and wss:// connections; nil means the
	// system roots and the URL's host name.
	TLS *tls.Config
}

// Message is an MQTT application message: one to publish, or one
// received by a Handler.
type Message struct {
	Topic   string
	Payload []byte
	QoS     mqttpkt.QoS // 0 or 1
	Retain  bool
	Props   Props
}

// Props are the MQTT 5.0 properties of a message (MQTT 5.0 3.3.2.3).
type Props struct {
	// ContentType is the MIME type of the payload, such as
	// "application/json".
	ContentType string
	// PayloadUTF8 is the Payload Format Indicator: the payload is UTF-8 text.
	PayloadUTF8 bool
	// MessageExpiry, when not 0, is the lifetime of the message in the
	// broker, in seconds.
	MessageExpiry uint32
	// ResponseTopic and CorrelationData make a request: the responder
	// publishes its answer to ResponseTopic with the same CorrelationData
	// (MQTT 5.0 4.10).
	ResponseTopic   string
	CorrelationData []byte
	// User holds the User Properties in order.
	User []UserProperty
}

// UserProperty is one MQTT 5.0 User Property, a name-value pair.
type UserProperty struct{ Key, Value string }

// Get returns the value of the first user property named key.
func (p *Props) Get(key string) (string, bool) {
	for _, u := range p.User {
		if u.Key == key {
			return u.Value, true
		}
	}
	return "", false
}

// Handler receives the messages of a subscription. Handlers run one at a
// time, in arrival order, on the client's delivery goroutine, and a QoS 1
// message is acknowledged when its handler returns. A handler may publish
// (even wait for a PUBACK: acknowledgements are read by another
// goroutine), but while it runs no other message is delivered: start a
// goroutine for long work. m and its fields are the handler's to keep.
type Handler func(m *Message)

// Client is an MQTT 5.0 client over TCP, TLS or WebSocket. Its methods are
// safe for concurrent use. Create it with Dial; end it with Close.
type Client struct {
	opts Options
	conn *tcp.MQTTConn

	// From CONNACK (MQTT 5.0 3.2.2.3), fixed after Dial.
	clientID    string
	keepAlive   time.Duration // effective; 0 when disabled
	maxQoS      mqttpkt.QoS
	retainOK    bool
	subIDsOK    bool
	maxPacket   int    // broker's Maximum Packet Size; 0 unlimited
	aliasMax    uint16 // broker's Topic Alias Maximum
	recvMax     uint16 // ours, announced in CONNECT
	recvMaxBrk  uint16 // the broker's Receive Maximum; 0 means 65,535
	slots       chan struct{}
	inbox       queue        // received messages waiting for the dispatcher
	unacked     atomic.Int32 // QoS 1 messages received and not yet acknowledged
	dropped     atomic.Uint64
	stopPing    chan struct{}
	flushMu     sync.Mutex
	wg          sync.WaitGroup // the reader, dispatcher and pinger
	closeCalled atomic.Bool

	wmu     sync.Mutex        // orders publishes: topic alias assignment and write
	aliases map[string]uint16 // topic name -> alias we assigned

	mu      sync.Mutex
	err     error // why the connection ended; nil while it is up
	done    chan struct{}
	nextID  uint16
	pending map[uint16]*pending // by packet identifier: PUBLISH, SUBSCRIBE, UNSUBSCRIBE
	subs    []*subscription
	nextSub uint32
}

// pending is a packet waiting for its acknowledgement.
type pending struct {
	ack   mqttpkt.PacketType // PUBACK, SUBACK or UNSUBACK
	slot  bool               // holds an in-flight window slot
	done  func(error)        // PUBLISH: called once with the outcome
	codes chan []mqttpkt.ReasonCode
	fail  chan error
}

// subscription routes received messages to a handler.
type subscription struct {
	id      uint32 // Subscription Identifier, 0 when the broker has none
	filters []string
	h       Handler
}

// inbound is a received message on its way to the handlers.
type inbound struct {
	m        Message
	packetID uint16 // QoS 1: to acknowledge
	subIDs   []uint32
}

// Dial connects to the broker at brokerURL and runs CONNECT/CONNACK as an
// MQTT 5.0 client with a clean start. URLs: mqtt://host[:port] (or
// tcp://, port 1883), mqtts://host[:port] (TLS, 8883), ws://host[:port]/path
// and wss:// (the path defaults to /mqtt). ctx bounds the connection set-up
// only.
func Dial(ctx context.Context, brokerURL string, opts Options) (*Client, error) {
	o := opts
	if o.KeepAlive == 0 {
		o.KeepAlive = DefaultKeepAlive
	}
	if o.KeepAlive > 65535*time.Second {
		o.KeepAlive = 65535 * time.Second
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.MaxInflight <= 0 {
		o.MaxInflight = DefaultMaxInflight
	}
	if o.ReceiveMaximum == 0 {
		o.ReceiveMaximum = DefaultReceiveMaximum
	}
	if o.QoS0Buffer <= 0 {
		o.QoS0Buffer = DefaultQoS0Buffer
	}
	if o.MaxPacketSize <= 0 {
		o.MaxPacketSize = mqttpkt.DefaultMaxPacketSize
	}
	if o.ClientID == "" {
		var r [8]byte
		rand.Read(r[:])
		o.ClientID = "iotwire-" + hex.EncodeToString(r[:])
	}
	ctx, cancel := context.WithTimeout(ctx, o.ConnectTimeout)
	defer cancel()
	conn, err := dialURL(ctx, brokerURL, &o)
	if err != nil {
		return nil, err
	}
	c := &Client{opts: o, conn: conn, recvMax: o.ReceiveMaximum, done: make(chan struct{}),
		pending: make(map[uint16]*pending), aliases: make(map[string]uint16)}
	if err := c.handshake(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	window := o.MaxInflight
	if int(c.brokerRecvMax()) < window {
		window = int(c.brokerRecvMax())
	}
	c.slots = make(chan struct{}, window)
	c.inbox.init()
	c.stopPing = make(chan struct{})
	c.wg.Add(2)
	go c.readLoop()
	go c.dispatch()
	if c.keepAlive > 0 {
		c.wg.Add(1)
		go c.ping()
	}
	return c, nil
}

// dialURL opens the byte stream to the broker and frames MQTT on it.
func dialURL(ctx context.Context, brokerURL string, o *Options) (*tcp.MQTTConn, error) {
	u, err := url.Parse(brokerURL)
	if err != nil || u.Hostname() == "" {
		return nil, errors.New("mqttbridge: not a broker URL: " + strconv.Quote(brokerURL) + " (want mqtt://host:port or ws://host:port/path)")
	}
	port := map[string]string{"mqtt": "1883", "tcp": "1883", "mqtts": "8883", "ssl": "8883", "ws": "80", "wss": "443"}[u.Scheme]
	if port == "" {
		return nil, errors.New("mqttbridge: unsupported scheme " + strconv.Quote(u.Scheme) + " (mqtt, mqtts, ws or wss)")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	fo := &tcp.Options{MaxSize: o.MaxPacketSize, WriteTimeout: o.WriteTimeout}
	switch u.Scheme {
	case "ws", "wss":
		if u.Path == "" {
			u.Path = "/mqtt"
		}
		wo := &ws.Options{MaxSize: o.MaxPacketSize, WriteTimeout: o.WriteTimeout, TLS: o.TLS}
		m, err := ws.DialMQTT(ctx, u.String(), wo)
		if err != nil {
			return nil, &ConnError{Op: "dial", Err: err}
		}
		return m, nil
	default:
		var conf *tls.Config
		if u.Scheme == "mqtts" || u.Scheme == "ssl" {
			conf = o.TLS
			if conf == nil {
				conf = &tls.Config{}
			}
		}
		nc, err := tcp.Dial(ctx, "tcp", net.JoinHostPort(u.Hostname(), port), conf)
		if err != nil {
			return nil, &ConnError{Op: "dial", Err: err}
		}
		return tcp.NewMQTT(nc, fo), nil
	}
}

// handshake sends CONNECT and reads CONNACK (MQTT 5.0 3.1, 3.2).
func (c *Client) handshake(ctx context.Context) error {
	o := &c.opts
	ka := uint16(0)
	if o.KeepAlive > 0 {
		ka = uint16((o.KeepAlive + time.Second - 1) / time.Second)
	}
	p := &mqttpkt.Connect{Version: mqttpkt.V5, CleanStart: true, KeepAlive: ka, ClientID: []byte(o.ClientID)}
	if o.Username != "" {
		p.Username = []byte(o.Username)
	}
	if o.Password != "" {
		p.Password = []byte(o.Password)
	}
	if o.ReceiveMaximum != 65535 {
		p.Props.ReceiveMaximum = o.ReceiveMaximum // absent means 65,535 (MQTT 5.0 3.1.2.11.3)
	}
	p.Props.MaximumPacketSize = uint32(o.MaxPacketSize)
	p.Props.TopicAliasMaximum = o.TopicAliasMaximum
	if w := o.Will; w != nil {
		if w.QoS > mqttpkt.QoS1 {
			return ErrQoS
		}
		p.WillFlag = true
		p.Will = mqttpkt.Will{QoS: w.QoS, Retain: w.Retain, Topic: []byte(w.Topic), Payload: w.Payload}
		setProps(&p.Will.Props, &w.Props)
	}
	if err := c.conn.WritePacket(p); err != nil {
		return &ConnError{Op: "write", Err: err}
	}
	// Read CONNACK within ctx: its deadline, and its cancellation.
	if d, ok := ctx.Deadline(); ok {
		c.conn.SetReadDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { c.conn.SetReadDeadline(time.Unix(1, 0)) })
	_, b, err := c.conn.NextPacket()
	stop()
	c.conn.SetReadDeadline(time.Time{})
	if err != nil {
		if ctx.Err() != nil {
			return &ConnError{Op: "connect", Err: ctx.Err()}
		}
		return &ConnError{Op: "connect", Err: err}
	}
	var ack mqttpkt.Connack
	if _, err := ack.Decode(b, mqttpkt.V5); err != nil {
		return &ConnError{Op: "protocol", Err: err}
	}
	if ack.ReasonCode >= 0x80 {
		return &ReasonError{Packet: mqttpkt.TypeConnack, Code: ack.ReasonCode, Reason: string(ack.Props.ReasonString)}
	}
	pr := &ack.Props
	c.clientID = o.ClientID
	if len(pr.AssignedClientID) > 0 {
		c.clientID = string(pr.AssignedClientID)
	}
	c.keepAlive = time.Duration(ka) * time.Second
	if pr.Has(mqttpkt.PropServerKeepAlive) {
		// MQTT 5.0 3.2.2.3.14: the client must use the server's value.
		c.keepAlive = time.Duration(pr.ServerKeepAlive) * time.Second
	}
	c.maxQoS = mqttpkt.QoS2
	if pr.Has(mqttpkt.PropMaximumQoS) {
		c.maxQoS = mqttpkt.QoS(pr.MaximumQoS)
	}
	c.retainOK = !pr.Has(mqttpkt.PropRetainAvailable) || pr.RetainAvailable == 1
	c.subIDsOK = !pr.Has(mqttpkt.PropSubIDAvailable) || pr.SubIDAvailable == 1
	c.maxPacket = int(pr.MaximumPacketSize)
	if o.UseTopicAliases {
		c.aliasMax = pr.TopicAliasMaximum
	}
	c.recvMaxBrk = pr.ReceiveMaximum
	return nil
}

// brokerRecvMax is the broker's Receive Maximum (MQTT 5.0 3.2.2.3.3:
// absent means 65,535).
func (c *Client) brokerRecvMax() uint16 {
	if c.recvMaxBrk == 0 {
		return 65535
	}
	return c.recvMaxBrk
}

// ClientID returns the client identifier in use (the broker's Assigned
// Client Identifier when it sent one).
func (c *Client) ClientID() string { return c.clientID }

// Inflight returns the size of the QoS 1 window: Options.MaxInflight
// bounded by the broker's Receive Maximum.
func (c *Client) Inflight() int { return cap(c.slots) }

// Dropped returns how many QoS 0 messages were dropped because the
// handlers did not keep up (Options.QoS0Buffer).
func (c *Client) Dropped() uint64 { return c.dropped.Load() }

// Done is closed when the connection has ended, by Close or by an error.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended: nil while it is up, ErrClosed
// after Close, else a [*ConnError] or [*ReasonError] (a DISCONNECT from
// the broker).
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// fail ends the connection with err, once: it closes the network
// connection (which stops the reader), and fails every packet waiting for
// an acknowledgement.
func (c *Client) fail(err error) {
	if c.closeCalled.Load() {
		// Close is under way: the broker may close the connection on our
		// DISCONNECT before Close gets here, and that is no loss.
		err = ErrClosed
	}
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err = err
	pend := c.pending
	c.pending = nil
	c.mu.Unlock()
	close(c.done)
	close(c.stopPing)
	c.conn.Close()
	for _, p := range pend {
		c.finish(p, err, nil)
	}
}

// finish completes a pending packet.
func (c *Client) finish(p *pending, err error, codes []mqttpkt.ReasonCode) {
	if p.slot {
		// Free the slot after done has run, so that Flush returns only
		// once every done has.
		defer func() { <-c.slots }()
	}
	switch {
	case p.done != nil:
		p.done(err)
	case err != nil:
		p.fail <- err
	default:
		p.codes <- codes
	}
}

// Close sends DISCONNECT (normal disconnection: the broker discards the
// Will), closes the connection and waits for the client's goroutines,
// including a handler that is running (so a handler must not call it).
// Messages waiting for a PUBACK fail with ErrClosed; call Flush first to
// wait for them. Close returns the error that ended the connection before
// it, if any.
func (c *Client) Close() error {
	if !c.closeCalled.CompareAndSwap(false, true) {
		c.wg.Wait()
		return nil
	}
	prev := c.Err()
	if prev == nil {
		// MQTT 5.0 3.14.4: after DISCONNECT the client closes the connection.
		c.conn.WritePacket(&mqttpkt.Disconnect{Version: mqttpkt.V5})
		c.fail(ErrClosed)
	}
	c.wg.Wait()
	return prev
}
