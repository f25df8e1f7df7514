package smppsim

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/iotwire/iotwire/transport/sms/smpp"
)

// session is one ESME connection.
type session struct {
	s    *SMSC
	conn net.Conn
	rd   *smpp.Reader

	wmu  sync.Mutex
	wbuf []byte

	// Guarded by s.mu.
	systemID string
	mode     smpp.CommandID // the bind request; 0 while unbound
	ended    bool

	pmu     sync.Mutex
	pending map[uint32]chan reply // requests of the SMSC awaiting responses; nil when ended
	seq     uint32
	gone    chan struct{} // closed when run has returned

	sub smpp.SubmitSM // used by run only
}

// reply is a response to a request of the SMSC.
type reply struct {
	id     smpp.CommandID
	status smpp.Status
	err    error
}

func (s *SMSC) newSession(conn net.Conn) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil
	}
	ss := &session{
		s: s, conn: conn, rd: smpp.NewReader(conn, s.cfg.MaxCommandLength),
		pending: make(map[uint32]chan reply), gone: make(chan struct{}),
	}
	s.sessions = append(s.sessions, ss)
	s.wg.Add(1)
	return ss
}

// run reads and answers PDUs until the connection ends.
func (ss *session) run() {
	s := ss.s
	defer func() {
		ss.conn.Close()
		s.mu.Lock()
		ss.ended = true
		for i, x := range s.sessions {
			if x == ss {
				s.sessions = append(s.sessions[:i], s.sessions[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
		ss.pmu.Lock()
		for _, ch := range ss.pending {
			ch <- reply{err: smpp.ErrConnLost}
		}
		ss.pending = nil
		ss.pmu.Unlock()
		close(ss.gone)
		s.wg.Done()
	}()
	for {
		h, pdu, err := ss.rd.Next()
		if err != nil {
			var e *smpp.Error
			if errors.As(err, &e) && !errors.Is(err, smpp.ErrTruncated) {
				ss.sendEmpty(smpp.CmdGenericNack, smpp.StatusInvCmdLen, h.Seq)
			}
			return
		}
		if s.cfg.OnPDU != nil {
			s.mu.Lock()
			sys := ss.systemID
			s.mu.Unlock()
			s.cfg.OnPDU(sys, h)
		}
		if !ss.handle(h, pdu) {
			return
		}
	}
}

// statusOf returns the command_status for a decoding or validation error.
func statusOf(err error) smpp.Status {
	var e *smpp.Error
	if errors.As(err, &e) && e.Status != smpp.StatusOK {
		return e.Status
	}
	return smpp.StatusSysErr
}

// handle answers one PDU; it returns false to end the session.
func (ss *session) handle(h smpp.Header, pdu []byte) bool {
	if h.ID.IsResponse() {
		ss.response(h, pdu)
		return true
	}
	drop := false
	if f, ok := ss.s.fault(h.ID); ok {
		switch f.Action {
		case RespondStatus:
			ss.sendEmpty(respOf(h.ID), f.Status, h.Seq)
			return true
		case RespondNack:
			ss.sendEmpty(smpp.CmdGenericNack, f.Status, h.Seq)
			return true
		case CloseConn:
			return false
		case DropResponse:
			drop = true
		}
	}
	switch h.ID {
	case smpp.CmdBindTransceiver, smpp.CmdBindTransmitter, smpp.CmdBindReceiver:
		ss.bind(h, pdu, drop)
	case smpp.CmdSubmitSM:
		ss.submit(h, pdu, drop)
	case smpp.CmdEnquireLink:
		var e smpp.EnquireLink
		if _, err := e.Decode(pdu); err != nil {
			ss.sendEmpty(smpp.CmdGenericNack, statusOf(err), h.Seq)
		} else if !drop {
			ss.sendEmpty(smpp.CmdEnquireLinkResp, smpp.StatusOK, h.Seq)
		}
	case smpp.CmdUnbind:
		var u smpp.Unbind
		if _, err := u.Decode(pdu); err != nil {
			ss.sendEmpty(smpp.CmdGenericNack, statusOf(err), h.Seq)
			return true
		}
		// Unbound from now on: Deliver and friends pick other sessions
		// even before this one's goroutine has ended.
		ss.s.mu.Lock()
		ss.mode = 0
		ss.s.mu.Unlock()
		if !drop {
			ss.sendEmpty(smpp.CmdUnbindResp, smpp.StatusOK, h.Seq)
		}
		return false
	default:
		// Unknown, unsupported, or not for an SMSC (deliver_sm): 5.1.3.
		if !drop {
			ss.sendEmpty(smpp.CmdGenericNack, smpp.StatusInvCmdID, h.Seq)
		}
	}
	return true
}

// respOf returns the response to request id, or generic_nack for requests
// this simulator does not know.
func respOf(id smpp.CommandID) smpp.CommandID {
	switch id {
	case smpp.CmdBindTransceiver, smpp.CmdBindTransmitter, smpp.CmdBindReceiver, smpp.CmdSubmitSM,
		smpp.CmdEnquireLink, smpp.CmdUnbind:
		return id.Resp()
	}
	return smpp.CmdGenericNack
}

// response hands a response to the request of the SMSC waiting for it.
func (ss *session) response(h smpp.Header, pdu []byte) {
	ss.pmu.Lock()
	ch := ss.pending[h.Seq]
	delete(ss.pending, h.Seq)
	ss.pmu.Unlock()
	if ch == nil {
		return
	}
	var err error
	switch h.ID {
	case smpp.CmdDeliverSMResp:
		var r smpp.DeliverSMResp
		_, err = r.Decode(pdu)
	case smpp.CmdEnquireLinkResp:
		var r smpp.EnquireLinkResp
		_, err = r.Decode(pdu)
	case smpp.CmdUnbindResp:
		var r smpp.UnbindResp
		_, err = r.Decode(pdu)
	case smpp.CmdGenericNack:
		var r smpp.GenericNack
		_, err = r.Decode(pdu)
	}
	ch <- reply{id: h.ID, status: h.Status, err: err}
}

func (ss *session) bind(h smpp.Header, pdu []byte, drop bool) {
	s := ss.s
	resp := smpp.BindResp{Header: smpp.Header{ID: h.ID.Resp(), Seq: h.Seq}}
	var b smpp.Bind
	_, err := b.Decode(pdu)
	s.mu.Lock()
	switch pw, known := s.cfg.Accounts[string(b.SystemID)]; {
	case err != nil:
		resp.Status = statusOf(err)
	case ss.mode != 0:
		resp.Status = smpp.StatusAlyBnd
	case !known:
		resp.Status = smpp.StatusInvSysID
	case pw != string(b.Password):
		resp.Status = smpp.StatusInvPaswd
	default:
		ss.systemID, ss.mode = string(b.SystemID), h.ID
		resp.SystemID = []byte(s.cfg.SystemID)
		resp.TLVs = smpp.AppendTLVUint8(nil, smpp.TagSCInterfaceVersion, smpp.InterfaceVersion)
	}
	s.mu.Unlock()
	if !drop {
		ss.send(&resp)
	}
}

func (ss *session) submit(h smpp.Header, pdu []byte, drop bool) {
	s := ss.s
	resp := smpp.SubmitSMResp{Header: smpp.Header{Seq: h.Seq}}
	s.mu.Lock()
	mode, sys := ss.mode, ss.systemID
	s.mu.Unlock()
	switch {
	case mode == 0 || mode == smpp.CmdBindReceiver:
		resp.Status = smpp.StatusInvBndSts
	default:
		if _, err := ss.sub.Decode(pdu); err != nil {
			resp.Status = statusOf(err)
			break
		}
		if err := ss.sub.Validate(); err != nil {
			resp.Status = statusOf(err)
			break
		}
		var id string
		if s.cfg.Submit != nil {
			id, resp.Status = s.cfg.Submit(sys, &ss.sub)
		} else {
			id = s.messageID()
		}
		if resp.Status == smpp.StatusOK {
			resp.MessageID = []byte(id)
		}
	}
	if drop {
		return
	}
	if err := ss.send(&resp); err != nil {
		ss.sendEmpty(smpp.CmdSubmitSMResp, smpp.StatusSysErr, h.Seq)
	}
}

type appender interface {
	AppendBinary([]byte) ([]byte, error)
}

// send encodes and writes p. It returns p's encoding error; write errors
// end the session.
func (ss *session) send(p appender) error {
	ss.wmu.Lock()
	defer ss.wmu.Unlock()
	b, err := p.AppendBinary(ss.wbuf[:0])
	if err != nil {
		return err
	}
	ss.wbuf = b
	ss.write(b)
	return nil
}

// sendEmpty writes a PDU without body (a submit_sm_resp without body when
// status is not 0).
func (ss *session) sendEmpty(id smpp.CommandID, st smpp.Status, seq uint32) {
	h := smpp.Header{ID: id, Status: st, Seq: seq}
	var p appender
	switch id {
	case smpp.CmdSubmitSMResp:
		p = &smpp.SubmitSMResp{Header: h}
	case smpp.CmdBindTransceiverResp, smpp.CmdBindTransmitterResp, smpp.CmdBindReceiverResp:
		p = &smpp.BindResp{Header: h}
	case smpp.CmdEnquireLinkResp:
		p = &smpp.EnquireLinkResp{Header: h}
	case smpp.CmdEnquireLink:
		p = &smpp.EnquireLink{Header: h}
	case smpp.CmdUnbindResp:
		p = &smpp.UnbindResp{Header: h}
	default:
		p = &smpp.GenericNack{Header: h}
	}
	ss.send(p)
}

// write writes b; ss.wmu is held. A failed write ends the session.
func (ss *session) write(b []byte) {
	ss.conn.SetWriteDeadline(time.Now().Add(ss.s.cfg.WriteTimeout))
	if _, err := ss.conn.Write(b); err != nil {
		ss.conn.Close()
	}
}

// request sends a request of the SMSC and waits for its response.
func (ss *session) request(ctx context.Context, id smpp.CommandID, enc func([]byte, uint32) ([]byte, error)) error {
	ss.pmu.Lock()
	if ss.pending == nil {
		ss.pmu.Unlock()
		return smpp.ErrConnLost
	}
	ss.seq = ss.seq%smpp.MaxSeq + 1
	seq := ss.seq
	ch := make(chan reply, 1)
	ss.pending[seq] = ch
	ss.pmu.Unlock()
	forget := func() {
		ss.pmu.Lock()
		if ss.pending != nil {
			delete(ss.pending, seq)
		}
		ss.pmu.Unlock()
	}
	ss.wmu.Lock()
	b, err := enc(ss.wbuf[:0], seq)
	if err == nil {
		ss.wbuf = b
		ss.write(b)
	}
	ss.wmu.Unlock()
	if err != nil {
		forget()
		return err
	}
	select {
	case r := <-ch:
		switch {
		case r.err != nil:
			return r.err
		case r.id == smpp.CmdGenericNack:
			return &smpp.NackError{Command: id, Status: r.status}
		case r.id != id.Resp():
			return &smpp.Error{Op: r.id.String(), Field: "command_id", Offset: 4, Rule: "SMPP 3.4 5.1.2",
				Msg: "response does not match the request", Status: smpp.StatusInvCmdID, Err: smpp.ErrMalformed}
		case r.status != smpp.StatusOK:
			return r.status
		}
		return nil
	case <-ctx.Done():
		forget()
		return ctx.Err()
	case <-ss.s.done:
		forget()
		return ErrClosed
	}
}
