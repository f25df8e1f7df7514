package device

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/udp"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

// PacketConn adapts a connected datagram connection (a DTLS client Conn,
// an sms.PeerConn, a connected UDP socket) to the net.PacketConn a CoAP
// endpoint reads from: ReadFrom reports every datagram as coming from the
// peer, WriteTo sends to the peer whatever the address.
func PacketConn(c net.Conn) net.PacketConn { return coapep.PacketConnOf(c) }

// DialOptions are what Dial needs beyond the URI.
type DialOptions struct {
	// PSKIdentity and PSKKey secure a coaps:// account (DTLS with a
	// pre-shared key, LwM2M Security Mode 0).
	PSKIdentity, PSKKey []byte
	// SMSLink carries an sms: account; SMSNumber is the device's number.
	SMSLink   sms.Link
	SMSNumber string
	// HandshakeTimeout bounds the DTLS handshake (dtls.DefaultHandshakeTimeout when 0).
	HandshakeTimeout time.Duration
}

// Dial opens the transport to a server account and returns the
// PacketConn and server address to give Run or Bootstrap:
//
//   - coap://host:port, a UDP socket connected to the server;
//   - coaps://host:port, DTLS 1.2 with a pre-shared key over UDP;
//   - sms:+number (or sms://+number, tel:+number), a connection over the
//     SMS link to that number (the LwM2M SMS binding, CoAP in binary
//     short messages).
func Dial(ctx context.Context, uri string, o DialOptions) (net.PacketConn, net.Addr, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, nil, fmt.Errorf("device: server URI %q: %w", uri, err)
	}
	switch u.Scheme {
	case "coap":
		c, err := udp.Dial(ctx, "udp", hostPort(u, "5683"), nil)
		if err != nil {
			return nil, nil, err
		}
		return PacketConn(c), c.RemoteAddr(), nil
	case "coaps":
		cfg := &dtls.Config{
			PSKIdentity:      o.PSKIdentity,
			PSK:              func([]byte) ([]byte, error) { return o.PSKKey, nil },
			HandshakeTimeout: o.HandshakeTimeout,
		}
		c, err := dtls.Dial(ctx, "udp", hostPort(u, "5684"), cfg)
		if err != nil {
			return nil, nil, err
		}
		return PacketConn(c), c.RemoteAddr(), nil
	case "sms", "tel":
		if o.SMSLink == nil {
			return nil, nil, fmt.Errorf("device: %s needs an SMS link", uri)
		}
		pc, err := sms.Dial(o.SMSLink, uri, sms.Config{Local: o.SMSNumber})
		if err != nil {
			return nil, nil, err
		}
		return PacketConn(pc), pc.RemoteAddr(), nil
	}
	return nil, nil, fmt.Errorf("device: server URI %q: scheme is not coap, coaps or sms", uri)
}

func hostPort(u *url.URL, port string) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), port)
}
