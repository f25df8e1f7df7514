package udp_test

// Interoperability with libcoap (https://libcoap.net): coap-client-notls
// sends GET and PUT requests to a tiny coapmsg server that runs on this
// package's Conn, over IPv4 and IPv6 loopback. Without the binary the test
// skips, or fails when CI=true.

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/iotwire/iotwire/transport/internal/transporttest"
	"github.com/iotwire/iotwire/transport/udp"
)

// serveCoAP answers CoAP requests on c until ctx is done or c is closed.
func serveCoAP(ctx context.Context, t *testing.T, c *udp.Conn, res *transporttest.Resources) {
	buf := make([]byte, c.MaxDatagramSize())
	var out []byte
	for {
		n, peer, err := c.ReadFromContext(ctx, buf)
		switch {
		case ctx.Err() != nil || errors.Is(err, net.ErrClosed):
			return
		case err != nil:
			t.Errorf("server read: %v", err)
			return
		}
		out = res.Handle(buf[:n], out[:0])
		if len(out) > 0 {
			if _, err := c.WriteToAddrPort(out, peer); err != nil {
				t.Errorf("server write: %v", err)
			}
		}
	}
}

func TestInteropLibcoapClient(t *testing.T) {
	bin := transporttest.LibcoapBin(t, "coap-client-notls")
	for _, f := range families(t) {
		t.Run(f.network, func(t *testing.T) {
			c := listen(t, f.network, f.addr, nil)
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			res := new(transporttest.Resources)
			wg.Go(func() { serveCoAP(ctx, t, c, res) })
			defer func() { cancel(); wg.Wait() }()

			ap := c.LocalAddrPort()
			host := ap.Addr().String()
			if ap.Addr().Is6() {
				host = "[" + host + "]"
			}
			base := "coap://" + host + ":" + strconv.Itoa(int(ap.Port()))
			if out, _, st := transporttest.RunLibcoap(t, bin, "-B", "5", base+"/hello"); st != 0 || out != "world" {
				t.Errorf("GET /hello: %q, status %d; want world", out, st)
			}
			if _, _, st := transporttest.RunLibcoap(t, bin, "-B", "5", "-m", "put", "-e", "stored-value", base+"/store"); st != 0 {
				t.Errorf("PUT /store: status %d", st)
			}
			if got := res.Stored(); got != "stored-value" {
				t.Errorf("server stored %q after PUT", got)
			}
			// NON request, NON response.
			if out, _, st := transporttest.RunLibcoap(t, bin, "-B", "5", "-N", base+"/store"); st != 0 || out != "stored-value" {
				t.Errorf("NON GET /store: %q, status %d", out, st)
			}
			if _, errOut, _ := transporttest.RunLibcoap(t, bin, "-B", "5", base+"/nowhere"); !strings.Contains(errOut, "4.04") {
				t.Errorf("GET /nowhere: stderr %q, want 4.04", errOut)
			}
		})
	}
}
