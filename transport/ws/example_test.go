package ws_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport/ws"
)

// CoAP over WebSockets (RFC 8323 section 4): a server mounted at
// /.well-known/coap answers a GET, and a client sends it. Each CoAP message
// travels in one binary WebSocket message, framed by coapmsg's DecodeWS.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv := httptest.NewServer(ws.CoAPHandler(ctx, nil, func(ctx context.Context, c *ws.CoAPConn) {
		var req, resp coapmsg.Message
		for {
			b, err := c.Next()
			if err != nil {
				return
			}
			if _, err := req.DecodeWS(b); err != nil || req.Code != coapmsg.GET {
				continue // a CSM, or something this server ignores
			}
			resp.Reset()
			resp.Code, resp.Token = coapmsg.Content, req.Token
			resp.Payload = []byte("hello")
			c.WriteMessage(&resp)
		}
	}))
	defer srv.Close()

	url := "ws" + strings.TrimPrefix(srv.URL, "http") + ws.WellKnownCoAP
	c, err := ws.DialCoAP(ctx, url, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	var req, resp coapmsg.Message
	req.Code, req.Token = coapmsg.GET, []byte{7}
	req.SetPath([]byte("/greeting"))
	if err := c.WriteMessage(&req); err != nil {
		fmt.Println(err)
		return
	}
	b, err := c.Next()
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := resp.DecodeWS(b); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Code, string(resp.Payload))
	// Output: 2.05 Content hello
}
