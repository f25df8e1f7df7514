package ws

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/iotwire/iotwire/transport/tcp"
)

// Subprotocol names, offered by the client and selected by the server.
const (
	// SubprotocolMQTT is MQTT's WebSocket subprotocol (MQTT 5.0 section
	// 6.0, MQTT 3.1.1 section 6).
	SubprotocolMQTT = "mqtt"
	// SubprotocolCoAP is CoAP's WebSocket subprotocol (RFC 8323 section 4.1).
	SubprotocolCoAP = "coap"
)

// WellKnownCoAP is the path of the CoAP WebSocket endpoint: coap+ws://host/p
// is reached at ws://host/.well-known/coap (RFC 8323 section 8.3).
const WellKnownCoAP = "/.well-known/coap"

// ErrSubprotocol marks a WebSocket handshake in which the peer did not
// select (client side) or did not offer (server side) the protocol's
// subprotocol.
var ErrSubprotocol = errors.New("ws: subprotocol not negotiated")

// ErrNotBinary marks a text message on a CoAP connection, which RFC 8323
// section 4.2 does not allow; the connection is closed with status 1003.
var ErrNotBinary = errors.New("ws: CoAP over WebSocket needs binary messages")

// Options configures the connections of Dial and of the handlers. The zero
// value (or nil) means defaults.
type Options struct {
	// MaxSize is the largest MQTT packet or CoAP message accepted; 0 means
	// mqttpkt.DefaultMaxPacketSize or coapmsg.DefaultMaxMessageSize.
	MaxSize int
	// ReadTimeout, when positive, bounds each NextPacket or Next (an idle
	// timeout); WriteTimeout each write. An expired timeout closes the
	// WebSocket connection.
	ReadTimeout, WriteTimeout time.Duration

	// TLS is the client configuration for wss:// URLs when HTTPClient is
	// nil; nil means the system roots.
	TLS *tls.Config
	// Header holds extra HTTP headers for the client's handshake request.
	Header http.Header
	// HTTPClient, when not nil, makes the client's handshake request.
	HTTPClient *http.Client

	// OriginPatterns lists the hosts (path.Match patterns) from which a
	// server accepts browser requests besides its own; requests without
	// an Origin header, as most devices send, are always accepted.
	OriginPatterns []string
}

func (o *Options) orDefault() *Options {
	if o == nil {
		return &Options{}
	}
	return o
}

// subprotocolError reports which subprotocol was wanted.
type subprotocolError struct{ want, got string }

func (e *subprotocolError) Error() string {
	got := e.got
	if got == "" {
		got = "none"
	}
	return "ws: subprotocol " + e.want + " not negotiated (got " + got + ")"
}

func (e *subprotocolError) Unwrap() error { return ErrSubprotocol }

// dial runs the client handshake for url with subprotocol proto.
func dial(ctx context.Context, url, proto string, o *Options) (*websocket.Conn, error) {
	do := &websocket.DialOptions{Subprotocols: []string{proto}, HTTPHeader: o.Header, HTTPClient: o.HTTPClient}
	if do.HTTPClient == nil && o.TLS != nil {
		do.HTTPClient = &http.Client{Transport: &http.Transport{TLSClientConfig: o.TLS, Proxy: http.ProxyFromEnvironment}}
	}
	c, _, err := websocket.Dial(ctx, url, do)
	if err != nil {
		return nil, err
	}
	if got := c.Subprotocol(); got != proto {
		c.Close(websocket.StatusProtocolError, "subprotocol "+proto+" required")
		return nil, &subprotocolError{proto, got}
	}
	return c, nil
}

// accept runs the server handshake; on failure the response (or the close
// frame) has been written.
func accept(w http.ResponseWriter, r *http.Request, proto string, o *Options) (*websocket.Conn, error) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{proto}, OriginPatterns: o.OriginPatterns})
	if err != nil {
		return nil, err
	}
	if got := c.Subprotocol(); got != proto {
		c.Close(websocket.StatusProtocolError, "subprotocol "+proto+" required")
		return nil, &subprotocolError{proto, got}
	}
	return c, nil
}

// serveContext returns the context handed to a handler's serve function:
// done when the request's context is (the connection ended) or when base is.
func serveContext(r *http.Request, base context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(r.Context())
	if base == nil {
		return ctx, cancel
	}
	stop := context.AfterFunc(base, cancel)
	return ctx, func() { stop(); cancel() }
}

// DialMQTT opens an MQTT connection to a ws:// or wss:// URL (such as
// ws://broker:8080/mqtt), offering the subprotocol "mqtt". The returned
// connection is framed as over TCP; its net.Conn is the WebSocket
// connection's byte stream, whose writes are one binary message each and
// whose deadlines close the connection when they pass (as
// websocket.NetConn's do). ctx bounds the handshake only;
// Close ends the connection (with status 1000).
func DialMQTT(ctx context.Context, url string, opts *Options) (*tcp.MQTTConn, error) {
	o := opts.orDefault()
	c, err := dial(ctx, url, SubprotocolMQTT, o)
	if err != nil {
		return nil, err
	}
	return tcp.NewMQTT(newStreamConn(c), mqttOptions(o)), nil
}

func mqttOptions(o *Options) *tcp.Options {
	return &tcp.Options{MaxSize: o.MaxSize, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout}
}

// MQTTHandler returns an http.Handler that upgrades each request to an
// MQTT WebSocket connection (subprotocol "mqtt") and calls serve with it,
// in the request's goroutine; the connection is closed when serve returns.
// serve's context is done when the connection ends or when base (which may
// be nil) is done: cancel base when http.Server.Shutdown starts
// (http.Server.RegisterOnShutdown), since Shutdown does not track upgraded
// connections. A request that does not offer "mqtt" is refused.
func MQTTHandler(base context.Context, opts *Options, serve func(ctx context.Context, c *tcp.MQTTConn)) http.Handler {
	o := *opts.orDefault()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := accept(w, r, SubprotocolMQTT, &o)
		if err != nil {
			return
		}
		m := tcp.NewMQTT(newStreamConn(c), mqttOptions(&o))
		defer m.Close()
		ctx, cancel := serveContext(r, base)
		defer cancel()
		serve(ctx, m)
	})
}

// CoAPHandler returns an http.Handler that upgrades each request to a CoAP
// WebSocket connection (subprotocol "coap") and calls serve with it, as
// MQTTHandler does. Mount it at WellKnownCoAP.
func CoAPHandler(base context.Context, opts *Options, serve func(ctx context.Context, c *CoAPConn)) http.Handler {
	o := *opts.orDefault()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := accept(w, r, SubprotocolCoAP, &o)
		if err != nil {
			return
		}
		m := newCoAP(c, &o)
		defer m.Close()
		ctx, cancel := serveContext(r, base)
		defer cancel()
		serve(ctx, m)
	})
}
