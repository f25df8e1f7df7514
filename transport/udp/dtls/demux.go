package dtls

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/dtls/v3/pkg/protocol/extension"
	"github.com/pion/dtls/v3/pkg/protocol/handshake"

	"github.com/iotwire/iotwire/transport"
)

// The demultiplexer below splits one net.PacketConn into a virtual
// net.PacketConn per peer for pion's server (pion.NewListenerWithOptions
// takes any such "PacketListener"). pion's own one, with the same Connection
// ID routing, is internal to pion and opens its own socket; this one works
// over a socket the caller gives it.

const (
	// maxRecordDatagram is the largest datagram the demultiplexer reads
	// (pion reads 8,192 bytes too); a longer one is dropped where the
	// transport reports truncation.
	maxRecordDatagram = 8192
	// acceptBacklog is how many new peers may wait for Accept; the first
	// datagram of a peer beyond it is dropped, as a full SYN queue would.
	acceptBacklog = 128
	// peerBacklog is how many datagrams may wait for one peer's session;
	// more are dropped, as a full socket buffer would.
	peerBacklog = 128

	recordHeaderLen  = 13 // RFC 6347 section 4.1
	contentHandshake = 22 // RFC 6347 section 4.1
	contentCID       = 25 // tls12_cid, RFC 9146 section 4
)

var errDemuxClosed = errors.New("dtls: listener closed")

// addrKey identifies a peer's address: an AddrPort when the transport reads
// them (transport.AddrPortConn), else the net.Addr's string.
type addrKey struct {
	ap netip.AddrPort
	s  string
}

// datagram is one queued datagram; its buffer is recycled through a pool.
type datagram struct {
	buf  []byte
	addr net.Addr
}

// demux routes the datagrams of pc to per-peer connections: by Connection
// ID (RFC 9146) when a record carries one the server assigned, else by the
// sender's address; a handshake record from an unknown address makes a new
// connection for Accept.
type demux struct {
	pc     net.PacketConn
	apc    transport.AddrPortConn // pc, when it reads netip.AddrPorts; else nil
	cidLen int                    // the length of the server's Connection IDs; 0 for none

	acceptCh chan *peerConn
	done     chan struct{} // closed by Close
	readDone chan struct{} // closed when readLoop returns
	readErr  error         // why it returned, set before readDone closes
	pool     sync.Pool     // *datagram
	pcOnce   sync.Once

	mu     sync.Mutex
	closed bool
	byAddr map[addrKey]*peerConn
	byCID  map[string]*peerConn
	peers  int // peerConns made and not closed
}

func newDemux(pc net.PacketConn, cidLen int) *demux {
	d := &demux{
		pc:       pc,
		cidLen:   cidLen,
		acceptCh: make(chan *peerConn, acceptBacklog),
		done:     make(chan struct{}),
		readDone: make(chan struct{}),
		byAddr:   make(map[addrKey]*peerConn),
		byCID:    make(map[string]*peerConn),
	}
	d.apc, _ = pc.(transport.AddrPortConn)
	d.pool.New = func() any { return new(datagram) }
	return d
}

// Accept implements pion's PacketListener: it returns the connection of a
// new peer and the peer's address.
func (d *demux) Accept() (net.PacketConn, net.Addr, error) {
	select {
	case p := <-d.acceptCh:
		return p, p.raddr, nil
	case <-d.done:
		return nil, nil, errDemuxClosed
	case <-d.readDone:
		return nil, nil, d.readErr
	}
}

// Close stops accepting. The socket is closed once the last peer
// connection is closed too.
func (d *demux) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	close(d.done)
	var pending []*peerConn
	for {
		select {
		case p := <-d.acceptCh:
			pending = append(pending, p)
			continue
		default:
		}
		break
	}
	d.mu.Unlock()
	for _, p := range pending {
		p.Close()
	}
	d.mu.Lock()
	last := d.peers == 0
	d.mu.Unlock()
	if last {
		return d.closePC()
	}
	return nil
}

// closePC closes the socket and waits for readLoop to return.
func (d *demux) closePC() error {
	var err error
	d.pcOnce.Do(func() {
		err = d.pc.Close()
		<-d.readDone
	})
	return err
}

// Addr is the socket's address.
func (d *demux) Addr() net.Addr { return d.pc.LocalAddr() }

// readLoop reads the socket until it fails (or is closed) and dispatches
// each datagram.
func (d *demux) readLoop() {
	defer close(d.readDone)
	buf := make([]byte, maxRecordDatagram)
	for {
		var (
			n    int
			key  addrKey
			addr net.Addr
			err  error
		)
		if d.apc != nil {
			n, key.ap, err = d.apc.ReadFromAddrPort(buf)
		} else if n, addr, err = d.pc.ReadFrom(buf); addr != nil {
			key.s = addr.String()
		}
		if err != nil {
			// A truncated datagram is not a DTLS record; an ICMP error
			// concerns one peer. Neither ends the listener.
			if errors.Is(err, transport.ErrTooLarge) || transport.IsPeerUnreachable(err) {
				continue
			}
			d.readErr = err
			return
		}
		d.dispatch(buf[:n], key, addr)
	}
}

func (d *demux) dispatch(b []byte, key addrKey, addr net.Addr) {
	d.mu.Lock()
	var p *peerConn
	if d.cidLen > 0 {
		if cid, ok := recordCID(b, d.cidLen); ok {
			p = d.byCID[string(cid)]
		}
	}
	if p == nil {
		p = d.byAddr[key]
	}
	if p == nil {
		// pion's accept filter: only a handshake record opens a session.
		if d.closed || len(b) < recordHeaderLen || b[0] != contentHandshake {
			d.mu.Unlock()
			return
		}
		if addr == nil {
			addr = net.UDPAddrFromAddrPort(key.ap)
		}
		p = newPeerConn(d, key, addr)
		select {
		case d.acceptCh <- p:
			d.byAddr[key] = p
			d.peers++
		default:
			d.mu.Unlock()
			return
		}
	}
	d.mu.Unlock()
	p.deliver(b, key, addr)
}

// recordCID returns the Connection ID of the first tls12_cid record in
// datagram b (RFC 9146 section 4: content type 25, version, epoch, sequence
// number, then the ID), whose length the server chose.
func recordCID(b []byte, n int) ([]byte, bool) {
	for len(b) >= recordHeaderLen {
		if b[0] == contentCID {
			if len(b) < 11+n+2 {
				return nil, false
			}
			return b[11 : 11+n], true
		}
		l := recordHeaderLen + (int(b[11])<<8 | int(b[12]))
		if len(b) < l {
			return nil, false
		}
		b = b[l:]
	}
	return nil, false
}

// serverHelloCID returns the Connection ID a ServerHello in datagram b
// assigns (its connection_id extension, RFC 9146 section 3). The
// ServerHello opens the server's second flight; later records are skipped
// only while they are plain (not tls12_cid) records.
func serverHelloCID(b []byte) ([]byte, bool) {
	for len(b) >= recordHeaderLen && b[0] != contentCID {
		typ := b[0]
		l := recordHeaderLen + (int(b[11])<<8 | int(b[12]))
		if len(b) < l {
			return nil, false
		}
		rec := b[recordHeaderLen:l]
		b = b[l:]
		if typ != contentHandshake {
			continue
		}
		var hh handshake.Header
		if hh.Unmarshal(rec) != nil || hh.Type != handshake.TypeServerHello {
			continue
		}
		var sh handshake.MessageServerHello
		if sh.Unmarshal(rec[handshake.HeaderLength:]) != nil {
			return nil, false
		}
		for _, e := range sh.Extensions {
			if c, ok := e.(*extension.ConnectionID); ok {
				return c.CID, true
			}
		}
		return nil, false
	}
	return nil, false
}

// peerConn is the net.PacketConn of one peer's session: reads take the
// datagrams the demultiplexer queued for it, writes go to the socket.
type peerConn struct {
	d     *demux
	key   addrKey  // the address the session began from
	raddr net.Addr // the same, as a net.Addr

	queue     chan *datagram
	closed    chan struct{}
	closeOnce sync.Once
	rdl, wdl  deadline

	// Written by the demultiplexer's goroutine only: the last sender
	// address and its net.Addr, reused while it does not change (pion
	// compares net.Addr values to notice a new peer address).
	lastKey  addrKey
	lastAddr net.Addr

	// Connection ID bookkeeping (RFC 9146): hasCID once the ServerHello
	// assigned one, addrFreed once the session left its first address.
	hasCID, addrFreed atomic.Bool
	cid               string // under d.mu
}

func newPeerConn(d *demux, key addrKey, addr net.Addr) *peerConn {
	return &peerConn{
		d: d, key: key, raddr: addr,
		queue:   make(chan *datagram, peerBacklog),
		closed:  make(chan struct{}),
		lastKey: key, lastAddr: addr,
	}
}

// deliver queues a copy of b, or drops it if the queue is full.
func (p *peerConn) deliver(b []byte, key addrKey, addr net.Addr) {
	if addr == nil {
		if key != p.lastKey {
			p.lastKey, p.lastAddr = key, net.UDPAddrFromAddrPort(key.ap)
		}
		addr = p.lastAddr
	}
	dg := p.d.pool.Get().(*datagram)
	dg.buf = append(dg.buf[:0], b...)
	dg.addr = addr
	select {
	case p.queue <- dg:
	default:
		p.d.pool.Put(dg)
	}
}

// ReadFrom returns the next datagram for this session.
func (p *peerConn) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case dg := <-p.queue:
		return p.take(b, dg)
	default:
	}
	select {
	case dg := <-p.queue:
		return p.take(b, dg)
	case <-p.closed:
		return 0, nil, net.ErrClosed
	case <-p.d.readDone:
		if p.d.readErr != nil {
			return 0, nil, p.d.readErr
		}
		return 0, nil, net.ErrClosed
	case <-p.rdl.wait():
		return 0, nil, os.ErrDeadlineExceeded
	}
}

func (p *peerConn) take(b []byte, dg *datagram) (int, net.Addr, error) {
	n := copy(b, dg.buf)
	addr := dg.addr
	dg.addr = nil
	p.d.pool.Put(dg)
	return n, addr, nil
}

// WriteTo sends b to addr through the shared socket. It learns the
// session's Connection ID from the ServerHello, and releases the session's
// first address once it writes elsewhere (the peer moved, RFC 9146 section
// 6), as pion's own listener does.
func (p *peerConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	select {
	case <-p.closed:
		return 0, net.ErrClosed
	default:
	}
	select {
	case <-p.wdl.wait():
		return 0, os.ErrDeadlineExceeded
	default:
	}
	if p.d.cidLen > 0 {
		p.track(b, addr)
	}
	return p.d.pc.WriteTo(b, addr)
}

func (p *peerConn) track(b []byte, addr net.Addr) {
	d := p.d
	if !p.hasCID.Load() {
		if cid, ok := serverHelloCID(b); ok && len(cid) == d.cidLen {
			d.mu.Lock()
			select {
			case <-p.closed:
			default:
				p.cid = string(cid)
				d.byCID[p.cid] = p
			}
			d.mu.Unlock()
			p.hasCID.Store(true)
		}
		return
	}
	if p.addrFreed.Load() {
		return
	}
	var key addrKey
	if d.apc != nil {
		key.ap = transport.AddrPortOf(addr)
	} else if addr != nil {
		key.s = addr.String()
	}
	if key == p.key {
		return
	}
	d.mu.Lock()
	if d.byAddr[p.key] == p {
		delete(d.byAddr, p.key)
	}
	d.mu.Unlock()
	p.addrFreed.Store(true)
}

// Close ends the session's connection; the last one of a closed listener
// closes the socket.
func (p *peerConn) Close() error {
	var err error
	p.closeOnce.Do(func() {
		d := p.d
		d.mu.Lock()
		close(p.closed)
		if d.byAddr[p.key] == p {
			delete(d.byAddr, p.key)
		}
		if p.cid != "" && d.byCID[p.cid] == p {
			delete(d.byCID, p.cid)
		}
		d.peers--
		last := d.closed && d.peers == 0
		d.mu.Unlock()
		if last {
			err = d.closePC()
		}
	})
	return err
}

// LocalAddr is the socket's address.
func (p *peerConn) LocalAddr() net.Addr { return p.d.pc.LocalAddr() }

// SetDeadline sets this session's read and write deadlines; the socket's
// own are left alone, as other sessions share it.
func (p *peerConn) SetDeadline(t time.Time) error {
	p.rdl.set(t)
	p.wdl.set(t)
	return nil
}

// SetReadDeadline sets this session's read deadline.
func (p *peerConn) SetReadDeadline(t time.Time) error {
	p.rdl.set(t)
	return nil
}

// SetWriteDeadline sets this session's write deadline.
func (p *peerConn) SetWriteDeadline(t time.Time) error {
	p.wdl.set(t)
	return nil
}

// deadline is a settable point in time whose channel is closed once it has
// passed. The zero value has none.
type deadline struct {
	mu    sync.Mutex
	timer *time.Timer
	gen   uint64
	done  chan struct{}
}

func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	d.gen++
	if d.done == nil {
		d.done = make(chan struct{})
	}
	select {
	case <-d.done: // it had passed: start afresh
		d.done = make(chan struct{})
	default:
	}
	if t.IsZero() {
		return
	}
	wait := time.Until(t)
	if wait <= 0 {
		close(d.done)
		return
	}
	gen, done := d.gen, d.done
	d.timer = time.AfterFunc(wait, func() {
		d.mu.Lock()
		if d.gen == gen {
			close(done)
		}
		d.mu.Unlock()
	})
}

// wait returns a channel closed once the deadline has passed.
func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done == nil {
		d.done = make(chan struct{})
	}
	return d.done
}
