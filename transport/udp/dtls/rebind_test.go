package dtls_test

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/udp/dtls"
)

// natRelay stands for a NAT between a client and a server: it forwards the
// client's datagrams from an outbound socket and the replies back; Rebind
// switches to a new outbound socket, as a NAT whose binding expired gives
// the client a new source port.
type natRelay struct {
	front  *net.UDPConn
	server netip.AddrPort

	mu     sync.Mutex
	client netip.AddrPort
	back   *net.UDPConn
	backs  []*net.UDPConn
	wg     sync.WaitGroup
}

func newNATRelay(t *testing.T, server netip.AddrPort) *natRelay {
	t.Helper()
	front, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	r := &natRelay{front: front, server: server}
	r.Rebind(t)
	r.wg.Go(func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := front.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			r.mu.Lock()
			r.client = from
			back := r.back
			r.mu.Unlock()
			back.WriteToUDPAddrPort(buf[:n], server)
		}
	})
	t.Cleanup(func() {
		front.Close()
		r.mu.Lock()
		for _, b := range r.backs {
			b.Close()
		}
		r.mu.Unlock()
		r.wg.Wait()
	})
	return r
}

// Rebind makes later datagrams to the server leave from a new port, and
// returns that port's address. Replies to old ports still get through.
func (r *natRelay) Rebind(t *testing.T) netip.AddrPort {
	t.Helper()
	back, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.back = back
	r.backs = append(r.backs, back)
	r.mu.Unlock()
	r.wg.Go(func() {
		buf := make([]byte, 65536)
		for {
			n, _, err := back.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			r.mu.Lock()
			client := r.client
			r.mu.Unlock()
			r.front.WriteToUDPAddrPort(buf[:n], client)
		}
	})
	return back.LocalAddr().(*net.UDPAddr).AddrPort()
}

func addrPort(a net.Addr) netip.AddrPort {
	ap := a.(*net.UDPAddr).AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// TestNATRebinding: the client's source port changes mid-session; thanks
// to the Connection ID the server keeps the session and answers at the new
// address (RFC 9146 section 6). Without Connection IDs, the server drops
// the records from the unknown address.
//
// The server runs over dtls.Listen and over NewListener on a udp.Conn and
// on a bare net.UDPConn.
func TestNATRebinding(t *testing.T) {
	for _, kind := range []string{"listen", "udp.Conn", "net.UDPConn"} {
		for _, withCID := range []bool{true, false} {
			name := "socket=" + kind + "/" + map[bool]string{true: "cid=on", false: "cid=off"}[withCID]
			t.Run(name, func(t *testing.T) { testNATRebinding(t, kind, withCID) })
		}
	}
}

func testNATRebinding(t *testing.T, kind string, withCID bool) {
	scfg := &dtls.Config{PSK: pskLookup}
	if !withCID {
		scfg.ConnectionIDLength = -1
	}
	l, conns := echoServerOn(t, kind, scfg)
	relay := newNATRelay(t, addrPort(l.Addr()))
	c, err := dtls.Dial(dialCtx(t), "udp4", relay.front.LocalAddr().String(), &dtls.Config{
		PSK: func([]byte) ([]byte, error) { return keys["device-1"], nil }, PSKIdentity: []byte("device-1")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	roundTrip(t, c, "before", "device-1:before")
	sc := <-conns
	first := addrPort(sc.RemoteAddr())

	second := relay.Rebind(t)
	if second == first {
		t.Fatal("rebinding kept the port")
	}
	if !withCID {
		c.SetDeadline(time.Now().Add(time.Second))
		c.Write([]byte("after"))
		_, err := c.Read(make([]byte, 64))
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("without Connection IDs, read after rebinding: %v, want a timeout", err)
		}
		return
	}
	roundTrip(t, c, "after", "device-1:after")
	// pion hands a record's data to Read before it moves the session to
	// the record's address, so the echo of "after" may still leave for the
	// old one (which the relay forwards too). By the time "again" is
	// echoed, the move that "after" caused is done.
	roundTrip(t, c, "again", "device-1:again")
	if got := addrPort(sc.RemoteAddr()); got != second {
		t.Errorf("server's peer address %v after rebinding, want %v (was %v)", got, second, first)
	}
}
