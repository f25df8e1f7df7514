//go:build !noopt

package tcp_test

import (
	"context"
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/internal/transporttest"
	"github.com/iotwire/iotwire/transport/tcp"
)

// The allocation counts are exact; they change under -gcflags=all=-N -l,
// hence the noopt build tag.

// tlsPair returns both ends of a loopback TLS 1.3 connection, handshaken.
func tlsPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	a, b := connPair(t)
	ca := transporttest.NewCA(t)
	cert, _ := ca.Issue(t, "localhost")
	sc := tls.Server(b, &tls.Config{Certificates: []tls.Certificate{cert}})
	cc := tls.Client(a, &tls.Config{RootCAs: ca.Pool, ServerName: "localhost"})
	errc := make(chan error, 1)
	go func() { errc <- sc.Handshake() }()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	if err := cc.HandshakeContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return cc, sc
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	pub := &mqttpkt.Publish{Version: mqttpkt.V311, Topic: []byte("dev/1/temp"), Payload: []byte("21.5")}
	var got mqttpkt.Publish
	var req coapmsg.Message
	req.Code, req.Token = coapmsg.GET, []byte{9}
	req.SetPath([]byte("/3/0/1"))
	var gotReq coapmsg.Message
	opts := &tcp.Options{ReadTimeout: time.Minute, WriteTimeout: time.Minute}
	mqttRoundTrip := func(a, b net.Conn) func() {
		w, r := tcp.NewMQTT(a, opts), tcp.NewMQTT(b, opts)
		return func() {
			check(t, w.WritePacket(pub))
			_, pkt, err := r.NextPacket()
			check(t, err)
			_, err = got.Decode(pkt, mqttpkt.V311)
			check(t, err)
		}
	}
	coapRoundTrip := func(a, b net.Conn) func() {
		w, r := tcp.NewCoAP(a, opts), tcp.NewCoAP(b, opts)
		return func() {
			check(t, w.WriteMessage(&req))
			f, err := r.Next()
			check(t, err)
			_, err = gotReq.DecodeTCP(f)
			check(t, err)
		}
	}
	cases := []struct {
		name string
		want float64
		fn   func()
	}{
		{"mqtt/tcp", 0, mqttRoundTrip(connPair(t))},
		// crypto/tls (Go 1.26) allocates an atLeastReader for each record it
		// reads (Conn.readFromUntil): one per message here, one record each.
		{"mqtt/tls", 1, mqttRoundTrip(tlsPair(t))},
		{"coap/tcp", 0, coapRoundTrip(connPair(t))},
		{"coap/tls", 1, coapRoundTrip(tlsPair(t))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if raceEnabled && c.want > 0 {
				t.Skip("crypto/tls allocation counts vary under -race")
			}
			c.fn() // grow the buffers
			if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
				t.Errorf("%v allocs per message, want %v", got, c.want)
			}
		})
	}
}

func check(tb testing.TB, err error) {
	if err != nil {
		tb.Helper()
		tb.Fatal(err)
	}
}
