package tcp

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"
)

// DefaultHandshakeTimeout bounds a server-side TLS handshake when
// ListenOptions.HandshakeTimeout is 0.
const DefaultHandshakeTimeout = 10 * time.Second

// Dial connects to address ("host:port") over TCP, and runs the TLS
// handshake when config is not nil (set its ServerName, or let Dial take it
// from address). ctx bounds both the connection and the handshake.
func Dial(ctx context.Context, network, address string, config *tls.Config) (net.Conn, error) {
	if config == nil {
		var d net.Dialer
		return d.DialContext(ctx, network, address)
	}
	d := tls.Dialer{Config: config}
	return d.DialContext(ctx, network, address)
}

// ListenOptions configures a Listener. The zero value (or nil) means plain
// TCP and defaults.
type ListenOptions struct {
	// TLS, when not nil, makes the Listener accept TLS connections only.
	TLS *tls.Config
	// HandshakeTimeout bounds the TLS handshake of each accepted
	// connection that Serve runs; 0 means DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
}

// Listener accepts TCP (or TLS) connections and can serve them, each in
// its own goroutine, until Shutdown or Close.
type Listener struct {
	ln   net.Listener
	opts ListenOptions

	ctx    context.Context // handed to handlers; cancelled when shutting down
	cancel context.CancelFunc

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closing  bool
	handlers sync.WaitGroup
	serving  sync.WaitGroup
}

// ErrListenerClosed is returned by Serve after Shutdown or Close.
var ErrListenerClosed = errors.New("tcp: listener closed")

// Listen listens on address ("127.0.0.1:0", "[::1]:8883"); network is
// "tcp", "tcp4" or "tcp6".
func Listen(ctx context.Context, network, address string, opts *ListenOptions) (*Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return NewListener(ln, opts), nil
}

// NewListener serves connections from ln; the Listener owns it from then on.
func NewListener(ln net.Listener, opts *ListenOptions) *Listener {
	l := &Listener{ln: ln, conns: make(map[net.Conn]struct{})}
	if opts != nil {
		l.opts = *opts
	}
	if l.opts.HandshakeTimeout <= 0 {
		l.opts.HandshakeTimeout = DefaultHandshakeTimeout
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l
}

// Addr returns the listening address.
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// Accept waits for the next connection. With TLS it returns a *tls.Conn
// whose handshake has not run yet (it runs on the first read or write, or
// call HandshakeContext). The caller closes the connection; Shutdown and
// Close do not track it.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.ln.Accept()
	if err != nil {
		return nil, err
	}
	if l.opts.TLS != nil {
		return tls.Server(c, l.opts.TLS), nil
	}
	return c, nil
}

// Serve accepts connections and calls handler for each in its own
// goroutine, with a context that is cancelled when Shutdown starts; TLS
// connections have completed their handshake (bounded by HandshakeTimeout)
// when handler runs. The connection is closed when handler returns. Serve
// returns ErrListenerClosed after Shutdown or Close, or the error that
// stopped Accept.
func (l *Listener) Serve(handler func(ctx context.Context, c net.Conn)) error {
	// Join the WaitGroup under the lock that Shutdown takes to set
	// closing, so that a Serve starting late never runs after Shutdown
	// has returned.
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return ErrListenerClosed
	}
	l.serving.Add(1)
	l.mu.Unlock()
	defer l.serving.Done()
	var tempDelay time.Duration
	for {
		c, err := l.ln.Accept()
		if err != nil {
			l.mu.Lock()
			closing := l.closing
			l.mu.Unlock()
			if closing {
				return ErrListenerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, errTooManyFiles) {
				// Back off, as net/http does, on resource exhaustion.
				tempDelay = min(max(2*tempDelay, 5*time.Millisecond), time.Second)
				select {
				case <-time.After(tempDelay):
				case <-l.ctx.Done():
				}
				continue
			}
			return err
		}
		tempDelay = 0
		if !l.track(c) {
			c.Close()
			return ErrListenerClosed
		}
		go l.handle(c, handler)
	}
}

func (l *Listener) track(c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closing {
		return false
	}
	l.conns[c] = struct{}{}
	l.handlers.Add(1)
	return true
}

func (l *Listener) handle(raw net.Conn, handler func(context.Context, net.Conn)) {
	defer l.handlers.Done()
	defer func() {
		raw.Close()
		l.mu.Lock()
		delete(l.conns, raw)
		l.mu.Unlock()
	}()
	c := raw
	if l.opts.TLS != nil {
		tc := tls.Server(raw, l.opts.TLS)
		ctx, cancel := context.WithTimeout(l.ctx, l.opts.HandshakeTimeout)
		err := tc.HandshakeContext(ctx)
		cancel()
		if err != nil {
			return
		}
		c = tc
	}
	handler(l.ctx, c)
}

// Shutdown stops accepting, cancels the handlers' context and waits for
// every handler to return. If ctx is done first, it closes the remaining
// connections (which unblocks their handlers), waits for the handlers and
// returns ctx.Err().
func (l *Listener) Shutdown(ctx context.Context) error {
	l.startClosing()
	done := make(chan struct{})
	go func() {
		l.handlers.Wait()
		l.serving.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		l.closeConns()
		<-done
		return ctx.Err()
	}
}

// Close stops accepting, closes every connection Serve tracks and waits
// for the handlers to return.
func (l *Listener) Close() error {
	err := l.startClosing()
	l.closeConns()
	l.handlers.Wait()
	l.serving.Wait()
	return err
}

func (l *Listener) startClosing() error {
	l.mu.Lock()
	already := l.closing
	l.closing = true
	l.mu.Unlock()
	l.cancel()
	if already {
		return nil
	}
	return l.ln.Close()
}

func (l *Listener) closeConns() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		c.Close()
	}
}
