//go:build !noopt

package ws_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"context"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/ws"
)

// coapEcho serves a CoAP WebSocket endpoint that writes back every message
// it reads.
func coapEcho(t *testing.T, opts *ws.Options) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle(ws.WellKnownCoAP, ws.CoAPHandler(nil, opts, func(ctx context.Context, c *ws.CoAPConn) {
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
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// TestAllocs: once warm, an MQTT or CoAP round trip over a loopback
// WebSocket (client write, server read and write back, client read: four
// WebSocket messages) allocates nothing on either side, with and without
// timeouts.
func TestAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts: not under -short or -race")
	}
	pub := &mqttpkt.Publish{Version: mqttpkt.V311, Topic: []byte("dev/1/temp"), Payload: []byte("21.5")}
	var gotPub mqttpkt.Publish
	req := &coapmsg.Message{Code: coapmsg.GET, Token: []byte{9}}
	req.SetPath([]byte("/3/0/1"))
	var gotReq coapmsg.Message
	for _, c := range []struct {
		name string
		opts *ws.Options
	}{
		{"no-timeouts", nil},
		{"timeouts", &ws.Options{ReadTimeout: time.Minute, WriteTimeout: time.Minute}},
	} {
		t.Run("mqtt/"+c.name, func(t *testing.T) {
			s := mqttEcho(t, c.opts)
			m, err := ws.DialMQTT(ctxT(t), wsURL(s, "/mqtt"), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			rt := func() {
				if err := m.WritePacket(pub); err != nil {
					t.Fatal(err)
				}
				_, b, err := m.NextPacket()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := gotPub.Decode(b, mqttpkt.V311); err != nil {
					t.Fatal(err)
				}
			}
			rt()
			if n := testing.AllocsPerRun(500, rt); n != 0 {
				t.Errorf("%v allocs per round trip, want 0", n)
			}
		})
		t.Run("coap/"+c.name, func(t *testing.T) {
			s := coapEcho(t, c.opts)
			m, err := ws.DialCoAP(ctxT(t), wsURL(s, ws.WellKnownCoAP), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			rt := func() {
				if err := m.WriteMessage(req); err != nil {
					t.Fatal(err)
				}
				b, err := m.Next()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := gotReq.DecodeWS(b); err != nil {
					t.Fatal(err)
				}
			}
			rt()
			if n := testing.AllocsPerRun(500, rt); n != 0 {
				t.Errorf("%v allocs per round trip, want 0", n)
			}
		})
	}
}
