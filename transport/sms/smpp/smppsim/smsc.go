package smppsim

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/transport/sms/smpp"
)

// The errors of the simulator.
var (
	// ErrNotBound means no session of the account is bound as Deliver
	// (receiver or transceiver) or EnquireLink and Unbind (any mode) need.
	ErrNotBound = errors.New("smppsim: no suitable session bound")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("smppsim: closed")
)

// Config configures an [SMSC].
type Config struct {
	// Accounts maps each system_id that may bind to its password.
	Accounts map[string]string
	// SystemID is the SMSC's system_id in bind responses; default "smppsim".
	SystemID string
	// Submit receives each valid submit_sm of a session bound as
	// transmitter or transceiver, with the account's system_id, and
	// returns the message_id and command_status to answer with. sm aliases
	// the read buffer: it is valid during the call only. nil accepts every
	// message with message_ids "1", "2", and so on. It runs on the
	// session's goroutine: the session reads nothing else until it
	// returns.
	Submit func(systemID string, sm *smpp.SubmitSM) (messageID string, status smpp.Status)
	// OnPDU, if set, sees the header of every PDU the SMSC reads, before
	// the SMSC handles it, with the session's system_id ("" before bind).
	// It runs on the session's goroutine.
	OnPDU func(systemID string, h smpp.Header)
	// WriteTimeout bounds each write; default 10 s.
	WriteTimeout time.Duration
	// MaxCommandLength is the largest PDU read; default smpp.MaxCommandLength.
	MaxCommandLength int
}

// Action is what an injected [Fault] does to a request.
type Action int

// The fault actions.
const (
	// DropResponse handles the request (calling the Submit hook for a
	// submit_sm) but sends no response.
	DropResponse Action = iota + 1
	// RespondStatus answers with the response PDU carrying Fault.Status,
	// without handling the request.
	RespondStatus
	// RespondNack answers with generic_nack carrying Fault.Status.
	RespondNack
	// CloseConn closes the connection instead of answering.
	CloseConn
)

// Fault changes how the SMSC answers the next matching requests.
type Fault struct {
	Command smpp.CommandID // the request it applies to; 0 matches any request
	Action  Action
	Status  smpp.Status // for RespondStatus and RespondNack
	Count   int         // how many requests it applies to: 0 means 1, negative means all
}

// SMSC is the simulated SMSC. Its methods are safe for concurrent use.
type SMSC struct {
	cfg Config

	mu       sync.Mutex
	ln       net.Listener
	sessions []*session // in order of connection
	faults   []Fault
	nextID   uint64
	closing  bool
	done     chan struct{}
	closed   chan struct{}
	stop     func() bool

	wg sync.WaitGroup
}

// New returns an SMSC with the configuration cfg. Serve or ListenAndServe
// start it.
func New(cfg Config) *SMSC {
	if cfg.SystemID == "" {
		cfg.SystemID = "smppsim"
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	return &SMSC{cfg: cfg, done: make(chan struct{}), closed: make(chan struct{})}
}

// ListenAndServe listens on addr (such as "127.0.0.1:0") and serves in the
// background until ctx ends or Close is called. It returns once the
// listener is open, when Addr is valid.
func (s *SMSC) ListenAndServe(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	if err := s.setListener(ln); err != nil {
		ln.Close()
		return err
	}
	s.wg.Add(1)
	s.mu.Lock()
	s.stop = context.AfterFunc(ctx, func() { s.Close() })
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		s.accept(ln)
	}()
	return nil
}

// Serve accepts connections on ln until Close, serving each in its own
// goroutine. It returns nil after Close, or the listener's error.
func (s *SMSC) Serve(ln net.Listener) error {
	if err := s.setListener(ln); err != nil {
		return err
	}
	return s.accept(ln)
}

func (s *SMSC) setListener(ln net.Listener) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return ErrClosed
	}
	if s.ln != nil {
		return errors.New("smppsim: already serving")
	}
	s.ln = ln
	return nil
}

func (s *SMSC) accept(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
				return err
			}
		}
		ss := s.newSession(conn)
		if ss == nil {
			conn.Close()
			return nil
		}
		go ss.run()
	}
}

// Addr returns the listener's address, or nil before Serve or ListenAndServe.
func (s *SMSC) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Close stops the listener, closes every session and waits for their
// goroutines. Close is idempotent; concurrent calls wait for the first.
func (s *SMSC) Close() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		<-s.closed
		return nil
	}
	s.closing = true
	close(s.done)
	if s.stop != nil {
		s.stop()
	}
	if s.ln != nil {
		s.ln.Close()
	}
	for _, ss := range s.sessions {
		ss.conn.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	close(s.closed)
	return nil
}

// Inject adds a fault; faults apply in the order injected.
func (s *SMSC) Inject(f Fault) {
	if f.Count == 0 {
		f.Count = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, f)
	s.mu.Unlock()
}

// ClearFaults removes the faults not yet used up.
func (s *SMSC) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// fault returns the fault for a request of command id, using it up.
func (s *SMSC) fault(id smpp.CommandID) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if f.Command != 0 && f.Command != id {
			continue
		}
		out := *f
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		return out, true
	}
	return Fault{}, false
}

// Bound returns the number of sessions bound with systemID.
func (s *SMSC) Bound(systemID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, ss := range s.sessions {
		if ss.mode != 0 && ss.systemID == systemID {
			n++
		}
	}
	return n
}

// find returns the first session bound with systemID that can receive
// (deliver_sm) or, with anyMode, any bound session.
func (s *SMSC) find(systemID string, anyMode bool) (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, ErrClosed
	}
	for _, ss := range s.sessions {
		if ss.mode == 0 || ss.systemID != systemID || ss.ended {
			continue
		}
		if anyMode || ss.mode == smpp.CmdBindReceiver || ss.mode == smpp.CmdBindTransceiver {
			return ss, nil
		}
	}
	return nil, ErrNotBound
}

// Deliver sends dm as a deliver_sm to the first session bound as receiver
// or transceiver with systemID and waits for its deliver_sm_resp. dm's
// Seq and Status are set by the SMSC. It returns nil for ESME_ROK, the
// response's status as an smpp.Status, an *smpp.NackError, dm's encoding
// error, or one of the errors of the package doc.
func (s *SMSC) Deliver(ctx context.Context, systemID string, dm smpp.DeliverSM) error {
	ss, err := s.find(systemID, false)
	if err != nil {
		return err
	}
	return ss.request(ctx, smpp.CmdDeliverSM, func(b []byte, seq uint32) ([]byte, error) {
		dm.Seq, dm.Status = seq, smpp.StatusOK
		return dm.AppendBinary(b)
	})
}

// EnquireLink sends enquire_link to the first session bound with systemID
// and waits for enquire_link_resp.
func (s *SMSC) EnquireLink(ctx context.Context, systemID string) error {
	ss, err := s.find(systemID, true)
	if err != nil {
		return err
	}
	return ss.request(ctx, smpp.CmdEnquireLink, emptyPDU(smpp.CmdEnquireLink))
}

// Unbind sends unbind to the first session bound with systemID, waits for
// unbind_resp, then closes the connection (SMPP 3.4 4.2).
func (s *SMSC) Unbind(ctx context.Context, systemID string) error {
	ss, err := s.find(systemID, true)
	if err != nil {
		return err
	}
	err = ss.request(ctx, smpp.CmdUnbind, emptyPDU(smpp.CmdUnbind))
	ss.conn.Close()
	<-ss.gone
	return err
}

// Disconnect closes the connections of every session bound with systemID,
// without unbind, as a network failure would, and returns their number.
func (s *SMSC) Disconnect(systemID string) int {
	s.mu.Lock()
	var list []*session
	for _, ss := range s.sessions {
		if ss.mode != 0 && ss.systemID == systemID {
			list = append(list, ss)
		}
	}
	s.mu.Unlock()
	for _, ss := range list {
		ss.conn.Close()
		<-ss.gone
	}
	return len(list)
}

func emptyPDU(id smpp.CommandID) func([]byte, uint32) ([]byte, error) {
	return func(b []byte, seq uint32) ([]byte, error) {
		h := smpp.Header{Seq: seq}
		if id == smpp.CmdUnbind {
			return (&smpp.Unbind{Header: h}).AppendBinary(b)
		}
		return (&smpp.EnquireLink{Header: h}).AppendBinary(b)
	}
}

// messageID returns the next default message_id.
func (s *SMSC) messageID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return strconv.FormatUint(s.nextID, 10)
}
