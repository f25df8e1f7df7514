// Package broker runs an embedded MQTT broker for the examples: the
// mochi-mqtt server (github.com/mochi-mqtt/server/v2, MQTT 3.1.1 and 5.0),
// listening on a loopback TCP port and optionally on a WebSocket endpoint,
// allowing every client. The lwm2m-mqtt-gateway starts one when it runs
// without --broker, so that the demo needs nothing installed.
//
// mochi is imported by the examples module only: the iotwire module stays
// free of it.
package broker

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/iotwire/iotwire/transport/tcp"
	"github.com/iotwire/iotwire/transport/ws"
)

// DefaultAddr is where the broker listens when Options.Addr is empty: a
// free port on the loopback interface.
const DefaultAddr = "127.0.0.1:0"

// QueueLimit is how many messages the broker holds for one subscriber that
// has not caught up (mochi's pending writes and in-flight store), before it
// drops messages for it. mochi's default is 8,192; the demo raises it so
// that a burst of 10,000 notifications reaches a slow subscriber.
const QueueLimit = 1 << 15

// Options configures Start. The zero value means defaults.
type Options struct {
	// Addr is the TCP address of the MQTT listener; "" means DefaultAddr.
	// Port 0 picks a free port: read it back with Addr.
	Addr string
	// WSAddr, when not empty, adds an MQTT over WebSocket listener on that
	// address (such as "127.0.0.1:0"), served at the path /mqtt.
	WSAddr string
	// Logger receives the broker's log; nil discards it.
	Logger *slog.Logger
}

// Broker is a running embedded broker.
type Broker struct {
	srv   *mqtt.Server
	addr  string
	wsURL string
	once  sync.Once
}

// fixPuback makes mochi acknowledge a QoS 1 PUBLISH with reason code 0x00
// (Success). mochi 2.7.9 sends packets.QosCodes[qos], which for QoS 1 is
// 0x01, a SUBACK code that MQTT 5.0 3.4.2.1 does not allow in PUBACK:
// strict clients, iotwire's included, reject it. The table is used for that
// PUBACK only, and is changed once, before the first server starts.
var fixPuback sync.Once

// Start starts a broker and returns once it accepts connections.
func Start(o Options) (*Broker, error) {
	fixPuback.Do(func() { packets.QosCodes[1] = packets.CodeSuccess })
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	caps := mqtt.NewDefaultServerCapabilities()
	caps.MaximumClientWritesPending = QueueLimit
	caps.MaximumInflight = QueueLimit
	// mochi copies a PUBLISH's properties into its PUBACK unless told not
	// to; only Reason String and User Property belong there (MQTT 5.0
	// 3.4.2.2).
	caps.Compatibilities.NoInheritedPropertiesOnAck = true
	srv := mqtt.New(&mqtt.Options{Capabilities: caps, Logger: logger, InlineClient: false})
	// Without an auth hook mochi refuses every client.
	if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
		return nil, err
	}
	if err := srv.AddHook(new(quotaHook), nil); err != nil {
		return nil, err
	}
	// Listen first, so that port 0 resolves and a busy port fails here.
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, err
	}
	b := &Broker{srv: srv, addr: ln.Addr().String()}
	if err := srv.AddListener(listeners.NewNet("tcp", ln)); err != nil {
		ln.Close()
		return nil, err
	}
	if o.WSAddr != "" {
		wln, err := net.Listen("tcp", o.WSAddr)
		if err != nil {
			ln.Close()
			return nil, err
		}
		b.wsURL = "ws://" + wln.Addr().String() + "/mqtt"
		if err := srv.AddListener(newWSListener("ws", wln)); err != nil {
			ln.Close()
			wln.Close()
			return nil, err
		}
	}
	if err := srv.Serve(); err != nil {
		srv.Close()
		return nil, err
	}
	return b, nil
}

// Addr returns the TCP address of the MQTT listener, "127.0.0.1:port".
func (b *Broker) Addr() string { return b.addr }

// URL returns the broker's URL for clients: "mqtt://127.0.0.1:port".
func (b *Broker) URL() string { return "mqtt://" + b.addr }

// WSURL returns the URL of the WebSocket listener, "ws://127.0.0.1:port/mqtt",
// or "" without one.
func (b *Broker) WSURL() string { return b.wsURL }

// Close disconnects every client (DISCONNECT 0x8B, Server shutting down),
// closes the listeners and waits for the connections to end.
func (b *Broker) Close() error {
	var err error
	b.once.Do(func() { err = b.srv.Close() })
	return err
}

// quotaHook works around a deadlock of mochi 2.7.9. After each packet from
// a client that has QoS 1 messages in flight and send quota left, mochi
// calls Inflight.NextImmediate, which takes the in-flight map's read lock
// and then, in GetAll, takes it again; when another client's PUBLISH is
// being forwarded to this one at that moment, its Inflight.Set waits for
// the write lock between the two, and the second read lock waits for it:
// both connections stop for good. A burst of QoS 1 messages to a
// subscriber triggers it.
//
// The send quota is how mochi honours a client's Receive Maximum (MQTT 5.0
// 3.3.4). mochi caps a client's Receive Maximum at MaximumInflight, which
// is also the most messages it keeps in flight for the client; for a
// client whose Receive Maximum reaches that cap (65,535, the default,
// does) the quota never holds anything back, so the hook turns it off, and
// with it the deadlock. Clients asking for less keep mochi's behaviour.
// (A client that sends no Receive Maximum gets no quota from mochi at all.)
type quotaHook struct{ mqtt.HookBase }

// ID names the hook for mochi.
func (h *quotaHook) ID() string { return "iotwire-send-quota" }

// Provides says which events the hook handles.
func (h *quotaHook) Provides(b byte) bool { return b == mqtt.OnSessionEstablished }

// OnSessionEstablished runs after CONNACK, before the client's first
// packet is read and before it can have subscriptions.
func (h *quotaHook) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) {
	if cl.Properties.Props.ReceiveMaximum >= QueueLimit {
		cl.State.Inflight.ResetSendQuota(0)
	}
}

// wsListener is a mochi listener for MQTT over WebSocket built on iotwire's
// transport/ws (coder/websocket): each upgraded connection's byte stream is
// handed to mochi as a net.Conn. mochi has a WebSocket listener of its own,
// but it cannot listen on port 0 and report the port.
type wsListener struct {
	id string
	ln net.Listener

	ctx    context.Context // done when the listener closes: ends the connections
	cancel context.CancelFunc
	once   sync.Once
}

func newWSListener(id string, ln net.Listener) *wsListener {
	ctx, cancel := context.WithCancel(context.Background())
	return &wsListener{id: id, ln: ln, ctx: ctx, cancel: cancel}
}

// ID, Address, Protocol and Init are the rest of listeners.Listener.
func (l *wsListener) ID() string              { return l.id }
func (l *wsListener) Address() string         { return l.ln.Addr().String() }
func (l *wsListener) Protocol() string        { return "ws" }
func (l *wsListener) Init(*slog.Logger) error { return nil }

// Serve serves HTTP until Close; each WebSocket connection runs mochi's
// client loop in its request goroutine.
func (l *wsListener) Serve(establish listeners.EstablishFn) {
	h := ws.MQTTHandler(l.ctx, nil, func(ctx context.Context, c *tcp.MQTTConn) {
		// Nothing has been read from c yet, so its byte stream is whole.
		stop := context.AfterFunc(ctx, func() { c.Close() })
		defer stop()
		establish(l.id, c.Conn)
	})
	mux := http.NewServeMux()
	mux.Handle("/mqtt", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	srv.Serve(l.ln) // returns when Close closes ln
}

// Close disconnects the listener's clients and stops serving.
func (l *wsListener) Close(closeClients listeners.CloseFn) {
	l.once.Do(func() {
		closeClients(l.id)
		l.cancel()
		l.ln.Close()
	})
}

var _ listeners.Listener = (*wsListener)(nil)
