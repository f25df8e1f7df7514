// Package smstest is a simulated GSM network for tests and demos of the SMS
// transport: subscribers reached in memory ([Network.Link]), through a
// simulated AT modem over a pipe ([Network.Modem]), or through a simulated
// SMSC speaking SMPP on a loopback port ([Network.SMSC]), with the routing
// between them by telephone number and hooks that lose or delay messages.
//
// The network stores and forwards as an SMSC does: a message to a number
// nobody has attached yet waits in that number's queue (up to
// Config.QueueLen messages; past it new messages are dropped and counted),
// and is delivered when the subscriber attaches.
package smstest

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// DefaultQueueLen is the default number of messages waiting per number.
const DefaultQueueLen = 1024

// Config configures a [Network]. The zero value delivers everything.
type Config struct {
	// QueueLen bounds the messages waiting for each number; 0 means
	// DefaultQueueLen.
	QueueLen int
	// Drop, when not nil, is asked about every message routed (from and to
	// as text, and the n-th message routed, from 1): true loses it, as a
	// radio network may.
	Drop func(from, to string, n uint64, m *sms.SMS) bool
}

// Stats counts what a Network did.
type Stats struct {
	Routed    uint64 // messages accepted for delivery
	Delivered uint64 // messages handed to a subscriber
	Dropped   uint64 // messages lost by Config.Drop
	Overflow  uint64 // messages dropped on a full queue
}

// Message is a routed short message, with its own copy of the user data.
type Message struct {
	From, To tpdu.Address
	DCS      tpdu.DCS
	Header   []byte // nil without a User Data Header
	Body     []byte
}

// Network routes short messages between subscribers by number. Its methods
// are safe for concurrent use.
type Network struct {
	cfg Config

	mu     sync.Mutex
	subs   map[tpdu.Address]*subscriber
	n      uint64
	stats  Stats
	closed bool
}

// subscriber is the queue of one number.
type subscriber struct {
	number tpdu.Address
	queue  chan Message
}

// New returns a Network.
func New(cfg Config) *Network {
	if cfg.QueueLen <= 0 {
		cfg.QueueLen = DefaultQueueLen
	}
	return &Network{cfg: cfg, subs: make(map[tpdu.Address]*subscriber)}
}

// Stats returns the counters.
func (n *Network) Stats() Stats {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.stats
}

// ErrUnknownNumber is returned for a number that is not a telephone
// number the network can route.
var ErrUnknownNumber = errors.New("smstest: not a routable number")

// routeKey is the key of a number in the routing table: a number of
// unknown type is taken as international, as an SMSC of one country
// would normalise it (3GPP TS 23.040 9.1.2.5).
func routeKey(a tpdu.Address) tpdu.Address {
	if a.TON() == tpdu.TONUnknown {
		a.Type = tpdu.TypeInternational
	}
	return a
}

// sub returns the subscriber of number, creating its queue.
func (n *Network) sub(number tpdu.Address) (*subscriber, error) {
	if number.IsZero() || number.TON() == tpdu.TONAlphanumeric {
		return nil, ErrUnknownNumber
	}
	key := routeKey(number)
	if s := n.subs[key]; s != nil {
		return s, nil
	}
	s := &subscriber{number: number, queue: make(chan Message, n.cfg.QueueLen)}
	n.subs[key] = s
	return s, nil
}

// Route delivers a copy of m from the number from to m.Peer (or queues it
// there). It is what the simulated modems and SMSC call; tests may call it
// to inject a message.
func (n *Network) Route(from tpdu.Address, m *sms.SMS) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return net.ErrClosed
	}
	s, err := n.sub(m.Peer)
	if err != nil {
		return err
	}
	n.n++
	if n.cfg.Drop != nil && n.cfg.Drop(from.String(), m.Peer.String(), n.n, m) {
		n.stats.Dropped++
		return nil
	}
	msg := Message{From: from, To: m.Peer, DCS: m.DCS, Body: append([]byte(nil), m.UserData.Body...)}
	if m.UserData.Header != nil {
		msg.Header = append([]byte{}, m.UserData.Header...)
	}
	select {
	case s.queue <- msg:
		n.stats.Routed++
	default:
		n.stats.Overflow++
	}
	return nil
}

// receive waits for the next message to number, until ctx ends or done
// is closed.
func (n *Network) receive(ctx context.Context, number tpdu.Address, done <-chan struct{}) (Message, error) {
	n.mu.Lock()
	s, err := n.sub(number)
	n.mu.Unlock()
	if err != nil {
		return Message{}, err
	}
	select {
	case m := <-s.queue:
		n.mu.Lock()
		n.stats.Delivered++
		n.mu.Unlock()
		return m, nil
	case <-ctx.Done():
		return Message{}, ctx.Err()
	case <-done:
		return Message{}, net.ErrClosed
	}
}

// Link returns an in-memory [sms.Link] for the subscriber number ("+" and
// digits, or digits): what it sends is routed from number, and it receives
// what is routed to number.
func (n *Network) Link(number string) (sms.Link, error) {
	a, err := tpdu.ParseAddress(number)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	_, err = n.sub(a)
	n.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return &memLink{net: n, number: a, done: make(chan struct{})}, nil
}

// memLink is a subscriber attached in memory.
type memLink struct {
	net    *Network
	number tpdu.Address
	once   sync.Once
	done   chan struct{}
}

func (l *memLink) Send(ctx context.Context, m *sms.SMS) error {
	select {
	case <-l.done:
		return net.ErrClosed
	default:
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.net.Route(l.number, m)
}

func (l *memLink) Receive(ctx context.Context, m *sms.SMS) error {
	msg, err := l.net.receive(ctx, l.number, l.done)
	if err != nil {
		return err
	}
	*m = sms.SMS{Peer: msg.From, DCS: msg.DCS, UserData: tpdu.UserData{Header: msg.Header, Body: msg.Body}}
	return nil
}

func (l *memLink) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Close stops routing: later messages are refused with net.ErrClosed.
func (n *Network) Close() error {
	n.mu.Lock()
	n.closed = true
	n.mu.Unlock()
	return nil
}
