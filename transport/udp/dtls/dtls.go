package dtls

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/gob"
	"errors"
	"net"
	"sync"
	"time"

	pion "github.com/pion/dtls/v3"

	"github.com/iotwire/iotwire/transport/udp"
)

// DefaultHandshakeTimeout bounds a handshake when Config.HandshakeTimeout is 0.
const DefaultHandshakeTimeout = 10 * time.Second

// DefaultConnectionIDLength is the length of the Connection IDs a server
// assigns when Config.ConnectionIDLength is 0.
const DefaultConnectionIDLength = 8

// Cipher suites, as pion names them.
const (
	// TLS_PSK_WITH_AES_128_CCM_8 is the PSK suite LwM2M mandates (RFC 6655).
	TLS_PSK_WITH_AES_128_CCM_8 = pion.TLS_PSK_WITH_AES_128_CCM_8
	// TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 is the certificate suite of
	// RFC 7252 section 9.1.3.3 and LwM2M.
	TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 = pion.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
)

// Config configures a server or a client. Set PSK, Certificates, or both.
type Config struct {
	// PSK returns the key for a PSK identity: on a server, the identity a
	// client sent; on a client, the hint the server sent (often empty).
	// An error fails the handshake.
	PSK func(identity []byte) ([]byte, error)
	// PSKIdentity is, on a client, the identity sent to the server; on a
	// server, the identity hint sent to clients (may be empty).
	PSKIdentity []byte

	// Certificates are this side's certificate chains.
	Certificates []tls.Certificate
	// RootCAs verify a server's certificate (clients); ClientCAs verify
	// client certificates (servers), as required by ClientAuth.
	RootCAs, ClientCAs *x509.CertPool
	// ClientAuth is the server's policy for client certificates.
	ClientAuth pion.ClientAuthType
	// ServerName is the name a client checks the certificate against.
	ServerName string
	// InsecureSkipVerify disables certificate verification (tests only).
	InsecureSkipVerify bool

	// CipherSuites overrides the defaults: TLS_PSK_WITH_AES_128_CCM_8 and
	// TLS_PSK_WITH_AES_128_GCM_SHA256 with PSK;
	// TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 and
	// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with certificates.
	CipherSuites []pion.CipherSuiteID

	// ConnectionIDLength is the length of the Connection IDs a server
	// assigns (RFC 9146); 0 means DefaultConnectionIDLength, a negative
	// value disables Connection IDs. On a client, a negative value stops it
	// from offering Connection ID support.
	ConnectionIDLength int

	// HandshakeTimeout bounds each handshake; 0 means DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// MTU is the largest datagram sent; 0 means pion's default (1200).
	MTU int
}

func (c *Config) handshakeTimeout() time.Duration {
	if c.HandshakeTimeout > 0 {
		return c.HandshakeTimeout
	}
	return DefaultHandshakeTimeout
}

func (c *Config) shared() ([]pion.Option, error) {
	if c.PSK == nil && len(c.Certificates) == 0 && !(c.RootCAs != nil || c.InsecureSkipVerify) {
		return nil, errors.New("dtls: Config needs PSK or certificates")
	}
	var opts []pion.Option
	suites := c.CipherSuites
	if suites == nil {
		if c.PSK != nil {
			suites = append(suites, pion.TLS_PSK_WITH_AES_128_CCM_8, pion.TLS_PSK_WITH_AES_128_GCM_SHA256)
		}
		if len(c.Certificates) > 0 || c.RootCAs != nil || c.InsecureSkipVerify {
			suites = append(suites, pion.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, pion.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
		}
	}
	opts = append(opts, pion.WithCipherSuites(suites...), pion.WithExtendedMasterSecret(pion.RequestExtendedMasterSecret))
	if c.PSK != nil {
		opts = append(opts, pion.WithPSK(c.PSK), pion.WithPSKIdentityHint(append([]byte{}, c.PSKIdentity...)))
	}
	if len(c.Certificates) > 0 {
		opts = append(opts, pion.WithCertificates(c.Certificates...))
	}
	if c.RootCAs != nil {
		opts = append(opts, pion.WithRootCAs(c.RootCAs))
	}
	if c.ServerName != "" {
		opts = append(opts, pion.WithServerName(c.ServerName))
	}
	if c.InsecureSkipVerify {
		opts = append(opts, pion.WithInsecureSkipVerify(true))
	}
	if c.MTU > 0 {
		opts = append(opts, pion.WithMTU(c.MTU))
	}
	return opts, nil
}

func (c *Config) serverOptions() ([]pion.ServerOption, error) {
	shared, err := c.shared()
	if err != nil {
		return nil, err
	}
	var opts []pion.ServerOption
	for _, o := range shared {
		opts = append(opts, o)
	}
	if c.ClientCAs != nil {
		opts = append(opts, pion.WithClientCAs(c.ClientCAs))
	}
	if c.ClientAuth != pion.NoClientCert {
		opts = append(opts, pion.WithClientAuth(c.ClientAuth))
	}
	switch n := c.ConnectionIDLength; {
	case n == 0:
		opts = append(opts, pion.WithConnectionIDGenerator(pion.RandomCIDGenerator(DefaultConnectionIDLength)))
	case n > 0:
		opts = append(opts, pion.WithConnectionIDGenerator(pion.RandomCIDGenerator(n)))
	}
	return opts, nil
}

func (c *Config) clientOptions() ([]pion.ClientOption, error) {
	shared, err := c.shared()
	if err != nil {
		return nil, err
	}
	var opts []pion.ClientOption
	for _, o := range shared {
		opts = append(opts, o)
	}
	if c.ConnectionIDLength >= 0 {
		opts = append(opts, pion.WithConnectionIDGenerator(pion.OnlySendCIDGenerator()))
	}
	return opts, nil
}

// Conn is one DTLS session: a net.Conn whose reads and writes are records.
type Conn struct {
	*pion.Conn
	timeout time.Duration
	mtu     int
}

// HandshakeContext runs the handshake if it has not run, bounded by ctx
// and the Config's HandshakeTimeout.
func (c *Conn) HandshakeContext(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.Conn.HandshakeContext(ctx)
}

// PSKIdentity returns, on a server, the PSK identity the client sent (nil
// for a certificate handshake); on a client, the server's identity hint.
func (c *Conn) PSKIdentity() []byte {
	st, ok := c.ConnectionState()
	if !ok {
		return nil
	}
	return bytes.Clone(st.IdentityHint)
}

// PeerCertificates returns the peer's certificate chain, leaf first, or
// nil.
func (c *Conn) PeerCertificates() []*x509.Certificate {
	st, ok := c.ConnectionState()
	if !ok {
		return nil
	}
	var certs []*x509.Certificate
	for _, der := range st.PeerCertificates {
		if cert, err := x509.ParseCertificate(der); err == nil {
			certs = append(certs, cert)
		}
	}
	return certs
}

// CipherSuite returns the negotiated cipher suite.
func (c *Conn) CipherSuite() pion.CipherSuiteID {
	st, _ := c.ConnectionState()
	return st.CipherSuiteID
}

// ConnectionIDs returns the negotiated Connection IDs: the one this side
// expects in records it receives, and the one it puts in records it sends.
func (c *Conn) ConnectionIDs() (local, remote []byte) {
	st, ok := c.ConnectionState()
	if !ok {
		return nil, nil
	}
	// pion keeps the IDs unexported; its serialised state (gob) names them.
	ser, err := st.MarshalBinary()
	if err != nil {
		return nil, nil
	}
	var ids struct{ LocalConnectionID, RemoteConnectionID []byte }
	if gob.NewDecoder(bytes.NewReader(ser)).Decode(&ids) != nil {
		return nil, nil
	}
	return ids.LocalConnectionID, ids.RemoteConnectionID
}

// MaxDatagramSize returns the largest payload one record carries at the
// configured MTU: the MTU less the UDP/IP-free record overhead of
// AES-128-CCM_8 or GCM with an 8-byte Connection ID (13 header + 8 CID +
// 1 inner content type + 8 explicit nonce + 16 tag, rounded up to 48).
func (c *Conn) MaxDatagramSize() int { return c.mtu - 48 }

// Dial opens a UDP socket to address ("127.0.0.1:5684") and runs a client
// handshake, bounded by ctx and config.HandshakeTimeout.
func Dial(ctx context.Context, network, address string, config *Config) (*Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	uc, ok := nc.(*net.UDPConn)
	if !ok {
		nc.Close()
		return nil, errors.New("dtls: not a UDP network")
	}
	c, err := Client(ctx, connectedPacketConn{uc}, uc.RemoteAddr(), config)
	if err != nil {
		uc.Close()
		return nil, err
	}
	return c, nil
}

// connectedPacketConn adapts a connected UDP socket to net.PacketConn for
// pion (which calls WriteTo with the peer's address).
type connectedPacketConn struct{ *net.UDPConn }

func (c connectedPacketConn) WriteTo(b []byte, _ net.Addr) (int, error) { return c.UDPConn.Write(b) }

// Client runs a client handshake with raddr over pc (any datagram
// transport, such as a udp.Conn), bounded by ctx and
// config.HandshakeTimeout. Closing the Conn closes pc.
func Client(ctx context.Context, pc net.PacketConn, raddr net.Addr, config *Config) (*Conn, error) {
	opts, err := config.clientOptions()
	if err != nil {
		return nil, err
	}
	pc2, err := pion.ClientWithOptions(pc, raddr, opts...)
	if err != nil {
		return nil, err
	}
	c := &Conn{Conn: pc2, timeout: config.handshakeTimeout(), mtu: mtuOf(config)}
	if err := c.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func mtuOf(c *Config) int {
	if c.MTU > 0 {
		return c.MTU
	}
	return 1200
}

// Listener accepts DTLS sessions from many peers on one datagram socket.
type Listener struct {
	ln     net.Listener
	config *Config

	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	conns    map[*Conn]struct{}
	closed   bool
	handlers sync.WaitGroup
}

// ErrListenerClosed is returned by Serve after Close.
var ErrListenerClosed = errors.New("dtls: listener closed")

// Listen opens a UDP socket on address ("127.0.0.1:5684", "[::1]:0") and
// accepts DTLS sessions on it: NewListener over a udp.Conn. ctx bounds the
// address resolution. Connection IDs are on unless
// config.ConnectionIDLength is negative.
func Listen(ctx context.Context, network, address string, config *Config) (*Listener, error) {
	if _, err := config.serverOptions(); err != nil {
		return nil, err
	}
	pc, err := udp.Listen(ctx, network, address, nil)
	if err != nil {
		return nil, err
	}
	l, err := NewListener(pc, config)
	if err != nil {
		pc.Close()
		return nil, err
	}
	return l, nil
}

// NewListener accepts DTLS sessions from many peers over pc, any datagram
// transport: a udp.Conn, a *net.UDPConn, or another net.PacketConn whose
// ReadFrom returns each peer's address. It reads pc in a goroutine of its
// own and hands each session the datagrams of its peer: those whose
// records carry the Connection ID the server assigned to the session (so
// that a peer whose address changes keeps its session, RFC 9146 section 6)
// and otherwise those from the session's address. A datagram from a new
// address that opens with a handshake record starts a new session; other
// strays are dropped. Connection IDs are on unless config.ConnectionIDLength
// is negative.
//
// The Listener owns pc from then on: it closes pc once it is closed itself
// and every session it accepted has been closed. Nothing else should read
// from pc; the sessions' deadlines are their own and leave pc's alone.
// Datagrams longer than 8,192 bytes are dropped where pc reports
// truncation (transport.ErrTooLarge, as a udp.Conn does); ICMP errors
// (transport.IsPeerUnreachable) do not stop the Listener, and any other
// read error of pc ends it, Accept and the sessions' reads returning that
// error. If NewListener fails, pc is left open.
func NewListener(pc net.PacketConn, config *Config) (*Listener, error) {
	opts, err := config.serverOptions()
	if err != nil {
		return nil, err
	}
	cidLen := config.ConnectionIDLength
	switch {
	case cidLen == 0:
		cidLen = DefaultConnectionIDLength
	case cidLen < 0:
		cidLen = 0
	}
	d := newDemux(pc, cidLen)
	ln, err := pion.NewListenerWithOptions(d, opts...)
	if err != nil {
		return nil, err
	}
	go d.readLoop()
	l := &Listener{ln: ln, config: config, conns: make(map[*Conn]struct{})}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l, nil
}

// Addr returns the address of the Listener's socket.
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// Accept waits for a datagram from a new peer and returns its Conn before
// the handshake: call HandshakeContext (Serve does it for you). The caller
// closes the Conn.
func (l *Listener) Accept() (*Conn, error) {
	nc, err := l.ln.Accept()
	if err != nil {
		return nil, err
	}
	pc, ok := nc.(*pion.Conn)
	if !ok {
		nc.Close()
		return nil, errors.New("dtls: unexpected connection type")
	}
	return &Conn{Conn: pc, timeout: l.config.handshakeTimeout(), mtu: mtuOf(l.config)}, nil
}

// Serve accepts sessions and, for each, runs the handshake (bounded by
// HandshakeTimeout) and then handler in a goroutine of its own, with a
// context cancelled by Close. The Conn is closed when handler returns.
// Serve returns ErrListenerClosed after Close.
func (l *Listener) Serve(handler func(ctx context.Context, c *Conn)) error {
	for {
		c, err := l.Accept()
		if err != nil {
			l.mu.Lock()
			closed := l.closed
			l.mu.Unlock()
			if closed {
				return ErrListenerClosed
			}
			return err
		}
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			c.Close()
			return ErrListenerClosed
		}
		l.conns[c] = struct{}{}
		l.handlers.Add(1)
		l.mu.Unlock()
		go func() {
			defer l.handlers.Done()
			defer func() {
				c.Close()
				l.mu.Lock()
				delete(l.conns, c)
				l.mu.Unlock()
			}()
			if err := c.HandshakeContext(l.ctx); err != nil {
				return
			}
			handler(l.ctx, c)
		}()
	}
}

// Close stops accepting, cancels the handlers' context, closes every
// session Serve started and waits for the handlers to return. The socket
// is closed then, or once the last session taken with Accept is closed.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	for c := range l.conns {
		c.Close()
	}
	l.mu.Unlock()
	l.cancel()
	err := l.ln.Close()
	l.handlers.Wait()
	return err
}
