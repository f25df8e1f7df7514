package ws_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/internal/transporttest"
	"github.com/iotwire/iotwire/transport/tcp"
	"github.com/iotwire/iotwire/transport/ws"
)

const ioTimeout = 10 * time.Second

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	t.Cleanup(cancel)
	return ctx
}

func wsURL(s *httptest.Server, path string) string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + path
}

// mqttEcho serves an MQTT WebSocket endpoint that writes back every packet
// it frames, one WebSocket message per packet.
func mqttEcho(t *testing.T, opts *ws.Options) *httptest.Server {
	s := httptest.NewServer(ws.MQTTHandler(nil, opts, func(ctx context.Context, c *tcp.MQTTConn) {
		for {
			b, err := c.Next()
			if err != nil {
				return
			}
			if err := c.WriteFrame(b); err != nil {
				return
			}
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestMQTTStream(t *testing.T) {
	s := mqttEcho(t, nil)
	m, err := ws.DialMQTT(ctxT(t), wsURL(s, "/mqtt"), &ws.Options{ReadTimeout: ioTimeout, WriteTimeout: ioTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	// Several packets in one WebSocket message...
	var burst []byte
	for i := range 20 {
		p := &mqttpkt.Publish{Version: mqttpkt.V5, Topic: []byte("a/b"), Payload: bytes.Repeat([]byte{byte(i)}, i)}
		burst, _ = p.AppendBinary(burst)
	}
	if err := m.WriteFrame(burst); err != nil {
		t.Fatal(err)
	}
	// ...and one packet spread over three.
	big := &mqttpkt.Publish{Version: mqttpkt.V5, QoS: mqttpkt.QoS1, PacketID: 7, Topic: []byte("big"), Payload: bytes.Repeat([]byte("x"), 70000)}
	bb, _ := big.AppendBinary(nil)
	for _, part := range [][]byte{bb[:1], bb[1:40000], bb[40000:]} {
		if err := m.WriteFrame(part); err != nil {
			t.Fatal(err)
		}
	}
	var p mqttpkt.Publish
	for i := range 21 {
		h, b, err := m.NextPacket()
		if err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if h.Type != mqttpkt.TypePublish {
			t.Fatalf("packet %d: type %v", i, h.Type)
		}
		if _, err := p.Decode(b, mqttpkt.V5); err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if want := min(i, 70000); i < 20 && len(p.Payload) != want || i == 20 && (len(p.Payload) != 70000 || p.PacketID != 7) {
			t.Fatalf("packet %d: %d bytes", i, len(p.Payload))
		}
	}
}

func TestMQTTLimit(t *testing.T) {
	got := make(chan error, 1)
	s := httptest.NewServer(ws.MQTTHandler(nil, &ws.Options{MaxSize: 100}, func(ctx context.Context, c *tcp.MQTTConn) {
		_, err := c.Next()
		got <- err
	}))
	defer s.Close()
	m, err := ws.DialMQTT(ctxT(t), wsURL(s, "/"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p := &mqttpkt.Publish{Version: mqttpkt.V311, Topic: []byte("t"), Payload: make([]byte, 200)}
	if err := m.WritePacket(p); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if !errors.Is(err, mqttpkt.ErrLimit) {
			t.Fatalf("got %v, want mqttpkt.ErrLimit", err)
		}
	case <-time.After(ioTimeout):
		t.Fatal("no error")
	}
}

func TestSubprotocol(t *testing.T) {
	// A server that selects nothing: our clients refuse it.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c.CloseNow()
	}))
	defer plain.Close()
	if _, err := ws.DialMQTT(ctxT(t), wsURL(plain, "/"), nil); !errors.Is(err, ws.ErrSubprotocol) {
		t.Errorf("DialMQTT: %v, want ErrSubprotocol", err)
	}
	if _, err := ws.DialCoAP(ctxT(t), wsURL(plain, "/"), nil); !errors.Is(err, ws.ErrSubprotocol) {
		t.Errorf("DialCoAP: %v, want ErrSubprotocol", err)
	}
	// A client that offers nothing: our server closes with 1002, without
	// calling serve.
	called := make(chan struct{}, 1)
	s := httptest.NewServer(ws.CoAPHandler(nil, nil, func(context.Context, *ws.CoAPConn) { called <- struct{}{} }))
	defer s.Close()
	c, _, err := websocket.Dial(ctxT(t), wsURL(s, ws.WellKnownCoAP), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Read(ctxT(t))
	if st := websocket.CloseStatus(err); st != websocket.StatusProtocolError {
		t.Errorf("read: %v (status %v), want 1002", err, st)
	}
	select {
	case <-called:
		t.Error("serve called without the subprotocol")
	default:
	}
	// An MQTT client at a CoAP endpoint.
	if _, err := ws.DialMQTT(ctxT(t), wsURL(s, ws.WellKnownCoAP), nil); !errors.Is(err, ws.ErrSubprotocol) {
		t.Errorf("DialMQTT to a CoAP endpoint: %v", err)
	}
}

// coapServer answers CSM with CSM and requests through
// transporttest.Resources (translated from and to the UDP format).
func coapServer(t *testing.T, opts *ws.Options, res *transporttest.Resources) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle(ws.WellKnownCoAP, ws.CoAPHandler(nil, opts, func(ctx context.Context, c *ws.CoAPConn) {
		var in, out coapmsg.Message
		var udp, ans []byte
		for {
			b, err := c.Next()
			if err != nil {
				return
			}
			if _, err := in.DecodeWS(b); err != nil {
				out.SetAbort(coapmsg.AbortOptions{})
				c.WriteMessage(&out)
				return
			}
			if in.Code == coapmsg.CSM {
				out.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 1152})
				if err := c.WriteMessage(&out); err != nil {
					return
				}
				continue
			}
			in.Type = coapmsg.Confirmable
			udp, _ = in.AppendBinary(udp[:0])
			ans = res.Handle(udp, ans[:0])
			if _, err := out.Decode(ans); err != nil {
				t.Errorf("handler answer: %v", err)
				return
			}
			if err := c.WriteMessage(&out); err != nil {
				return
			}
		}
	}))
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestCoAPRoundTrip(t *testing.T) {
	res := new(transporttest.Resources)
	s := coapServer(t, nil, res)
	c, err := ws.DialCoAP(ctxT(t), wsURL(s, ws.WellKnownCoAP), &ws.Options{ReadTimeout: ioTimeout, WriteTimeout: ioTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var req, resp coapmsg.Message
	req.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 1152})
	if err := c.WriteMessage(&req); err != nil {
		t.Fatal(err)
	}
	b, err := c.Next()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := resp.DecodeWS(b); err != nil || resp.Code != coapmsg.CSM {
		t.Fatalf("CSM answer: %v %v", resp.Code, err)
	}
	for i, step := range []struct {
		code    coapmsg.Code
		path    string
		payload string
		want    coapmsg.Code
		body    string
	}{
		{coapmsg.GET, "/hello", "", coapmsg.Content, "world"},
		{coapmsg.PUT, "/store", "42", coapmsg.Changed, ""},
		{coapmsg.GET, "/store", "", coapmsg.Content, "42"},
		{coapmsg.GET, "/nothing", "", coapmsg.NotFound, ""},
	} {
		req.Reset()
		req.Code, req.Token, req.Payload = step.code, []byte{1, 2, byte(i)}, []byte(step.payload)
		req.SetPath([]byte(step.path))
		if err := c.WriteMessage(&req); err != nil {
			t.Fatal(err)
		}
		b, err := c.Next()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := resp.DecodeWS(b); err != nil {
			t.Fatal(err)
		}
		if resp.Code != step.want || string(resp.Payload) != step.body || !bytes.Equal(resp.Token, req.Token) {
			t.Errorf("%v %s: %v %q token %x", step.code, step.path, resp.Code, resp.Payload, resp.Token)
		}
	}
	if res.Stored() != "42" {
		t.Errorf("stored %q", res.Stored())
	}
}

func TestCoAPLimits(t *testing.T) {
	got := make(chan error, 1)
	mux := http.NewServeMux()
	mux.Handle(ws.WellKnownCoAP, ws.CoAPHandler(nil, &ws.Options{MaxSize: 600}, func(ctx context.Context, c *ws.CoAPConn) {
		for {
			b, err := c.Next()
			if err != nil {
				got <- err
				return
			}
			if len(b) != 600 {
				got <- errors.New("wrong size")
				return
			}
		}
	}))
	s := httptest.NewServer(mux)
	defer s.Close()
	c, err := ws.DialCoAP(ctxT(t), wsURL(s, ws.WellKnownCoAP), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg := make([]byte, 600)
	msg[1] = byte(coapmsg.GET)
	if err := c.WriteFrame(msg); err != nil { // exactly the limit: accepted
		t.Fatal(err)
	}
	if err := c.WriteFrame(make([]byte, 601)); err != nil {
		t.Fatal(err)
	}
	// The client reads, so it answers the server's close frame.
	if _, err := c.Next(); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Errorf("client read after the limit: %v, want status 1009", err)
	}
	select {
	case err := <-got:
		if !errors.Is(err, coapmsg.ErrLimit) {
			t.Fatalf("got %v, want coapmsg.ErrLimit", err)
		}
	case <-time.After(ioTimeout):
		t.Fatal("no error")
	}

	// A text message closes with 1003.
	c2, err := ws.DialCoAP(ctxT(t), wsURL(s, ws.WellKnownCoAP), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := c2.Conn().Write(ctxT(t), websocket.MessageText, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Next(); websocket.CloseStatus(err) != websocket.StatusUnsupportedData {
		t.Errorf("client read after a text message: %v, want status 1003", err)
	}
	select {
	case err := <-got:
		if !errors.Is(err, ws.ErrNotBinary) {
			t.Fatalf("got %v, want ErrNotBinary", err)
		}
	case <-time.After(ioTimeout):
		t.Fatal("no error")
	}
}

func TestCoAPCloseAndTimeout(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle(ws.WellKnownCoAP, ws.CoAPHandler(nil, nil, func(ctx context.Context, c *ws.CoAPConn) {
		select {
		case <-release:
		case <-ctx.Done():
		}
	}))
	s := httptest.NewServer(mux)
	defer s.Close()
	// A normal close by the server reads as io.EOF.
	c, err := ws.DialCoAP(ctxT(t), wsURL(s, ws.WellKnownCoAP), nil)
	if err != nil {
		t.Fatal(err)
	}
	release <- struct{}{}
	if _, err := c.Next(); err != io.EOF {
		t.Errorf("after the server closed: %v, want io.EOF", err)
	}
	// A read timeout ends the read with an error.
	c2, err := ws.DialCoAP(ctxT(t), wsURL(s, ws.WellKnownCoAP), &ws.Options{ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Conn().CloseNow()
	if _, err := c2.Next(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("read timeout: %v", err)
	}
}

func TestShutdownContext(t *testing.T) {
	base, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	s := httptest.NewServer(ws.MQTTHandler(base, nil, func(ctx context.Context, c *tcp.MQTTConn) {
		<-ctx.Done()
		// Still able to say goodbye.
		c.WritePacket(&mqttpkt.Disconnect{Version: mqttpkt.V5, ReasonCode: mqttpkt.ServerShuttingDown})
		close(served)
	}))
	defer s.Close()
	m, err := ws.DialMQTT(ctxT(t), wsURL(s, "/"), &ws.Options{ReadTimeout: ioTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	cancel()
	_, b, err := m.NextPacket()
	if err != nil {
		t.Fatal(err)
	}
	var d mqttpkt.Disconnect
	if _, err := d.Decode(b, mqttpkt.V5); err != nil || d.ReasonCode != mqttpkt.ServerShuttingDown {
		t.Fatalf("DISCONNECT %v %v", d.ReasonCode, err)
	}
	<-served
	if _, err := m.Next(); err != io.EOF {
		t.Errorf("after the server's close: %v, want io.EOF", err)
	}
}

func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/iotwire/iotwire/transport", "github.com/iotwire/iotwire/transport/tcp",
		"github.com/iotwire/iotwire/coapmsg", "github.com/coder/websocket")
}
