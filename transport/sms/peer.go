package sms

import (
	"net"
)

// PeerConn is a [Conn] connected to one number, a net.Conn: Read returns
// only datagrams from that number (others are dropped and counted in
// Stats.DroppedPeer), Write sends to it. A device client uses it to talk to
// its server's number; the CoAP and DTLS clients of this module take it
// as any connected datagram connection.
type PeerConn struct {
	*Conn
	remote *Addr
}

var _ net.Conn = (*PeerConn)(nil)

// Dial returns a Conn over link, as [NewConn] makes it, connected to the
// number remote (see [ParseAddr] for its forms).
func Dial(link Link, remote string, cfg Config) (*PeerConn, error) {
	to, err := ParseAddr(remote)
	if err != nil {
		return nil, err
	}
	c, err := NewConn(link, cfg)
	if err != nil {
		return nil, err
	}
	return &PeerConn{Conn: c, remote: to}, nil
}

// RemoteAddr returns the connected number.
func (p *PeerConn) RemoteAddr() net.Addr { return p.remote }

// Read reads the next datagram from the connected number into b, as
// ReadFrom does.
func (p *PeerConn) Read(b []byte) (int, error) {
	for {
		n, from, err := p.ReadFrom(b)
		if from != nil && !sameNumber(from.String(), p.remote.Number) {
			p.count(func(s *Stats) { s.DroppedPeer++ })
			continue
		}
		return n, err
	}
}

// Write sends b to the connected number, as WriteTo does.
func (p *PeerConn) Write(b []byte) (int, error) { return p.WriteTo(b, p.remote) }

// sameNumber compares numbers as the network routes them: "+1555..." and
// "1555..." are the same subscriber (a number of unknown type is taken as
// international, 3GPP TS 23.040 9.1.2.5).
func sameNumber(a, b string) bool {
	if len(a) > 0 && a[0] == '+' {
		a = a[1:]
	}
	if len(b) > 0 && b[0] == '+' {
		b = b[1:]
	}
	return a == b
}
