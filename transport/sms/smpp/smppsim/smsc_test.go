package smppsim

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/transport/sms/smpp"
)

const guard = 10 * time.Second

func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/iotwire/iotwire/transport/sms/smpp")
}

// noLeaks fails t if goroutines of the simulator outlive the test's
// cleanups (Close waits for them).
func noLeaks(t *testing.T) {
	t.Cleanup(func() {
		deadline := time.Now().Add(guard)
		for {
			buf := make([]byte, 1<<20)
			stacks := string(buf[:runtime.Stack(buf, true)])
			var live []string
			for _, g := range strings.Split(stacks, "\n\n") {
				if strings.Contains(g, "smppsim.(*") {
					live = append(live, g)
				}
			}
			if len(live) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("leaked goroutines:\n%s", strings.Join(live, "\n\n"))
			}
			time.Sleep(time.Millisecond) // a goroutine past wg.Done, returning
		}
	})
}

func guardCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}

// raw is a hand-driven ESME connection to an SMSC.
type raw struct {
	t    *testing.T
	conn net.Conn
	rd   *smpp.Reader
}

func start(t *testing.T, cfg Config) *SMSC {
	t.Helper()
	noLeaks(t)
	if cfg.Accounts == nil {
		cfg.Accounts = map[string]string{"esme": "secret"}
	}
	s := New(cfg)
	if err := s.ListenAndServe(guardCtx(t), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func connect(t *testing.T, s *SMSC) *raw {
	t.Helper()
	conn, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(guard))
	t.Cleanup(func() { conn.Close() })
	return &raw{t: t, conn: conn, rd: smpp.NewReader(conn, 0)}
}

// send writes a hand-written PDU and returns the header of the answer.
func (r *raw) send(hexPDU string) (smpp.Header, []byte) {
	r.t.Helper()
	if _, err := r.conn.Write(codectest.Unhex(r.t, hexPDU)); err != nil {
		r.t.Fatal(err)
	}
	h, pdu, err := r.rd.Next()
	if err != nil {
		r.t.Fatal(err)
	}
	return h, pdu
}

func (r *raw) expect(hexPDU string, id smpp.CommandID, st smpp.Status) []byte {
	r.t.Helper()
	h, pdu := r.send(hexPDU)
	if h.ID != id || h.Status != st {
		r.t.Fatalf("got %v %v, want %v %v", h.ID, h.Status, id, st)
	}
	return pdu
}

const (
	// bind_transceiver esme/secret (SMPP 3.4 4.1.5).
	bindTRX = `00000021 00000009 00000000 00000001 65736d6500 73656372657400 00 34 01 01 00`
	// bind_transceiver esme/wrong.
	bindBad = `00000020 00000009 00000000 00000001 65736d6500 77726f6e6700 00 34 01 01 00`
	// bind_receiver esme/secret.
	bindRX = `00000021 00000001 00000000 00000001 65736d6500 73656372657400 00 34 01 01 00`
	// submit_sm to "1" with short_message "hi".
	submit = `00000024 00000004 00000000 00000002 00 0000 00 0000 3100 00 00 00 00 00 00 00 00 00 02 6869`
)

func TestSession(t *testing.T) {
	s := start(t, Config{})
	r := connect(t, s)
	r.expect(`00000010 00000015 00000000 00000005`, smpp.CmdEnquireLinkResp, smpp.StatusOK) // before bind too
	r.expect(submit, smpp.CmdSubmitSMResp, smpp.StatusInvBndSts)
	r.expect(bindBad, smpp.CmdBindTransceiverResp, smpp.StatusInvPaswd)
	pdu := r.expect(bindTRX, smpp.CmdBindTransceiverResp, smpp.StatusOK)
	var br smpp.BindResp
	if _, err := br.Decode(pdu); err != nil || string(br.SystemID) != "smppsim" {
		t.Fatalf("%s %v", br.SystemID, err)
	}
	if v, ok := br.TLVs.SCInterfaceVersion(); !ok || v != 0x34 {
		t.Fatal("no sc_interface_version")
	}
	r.expect(bindTRX, smpp.CmdBindTransceiverResp, smpp.StatusAlyBnd)
	pdu = r.expect(submit, smpp.CmdSubmitSMResp, smpp.StatusOK)
	var sr smpp.SubmitSMResp
	if _, err := sr.Decode(pdu); err != nil || string(sr.MessageID) != "1" {
		t.Fatalf("%s %v", sr.MessageID, err)
	}
	// Strict checks: sm_length past the end (ESME_RINVMSGLEN), a long
	// source_addr (ESME_RINVSRCADR), priority 4 (ESME_RINVPRTFLG).
	r.expect(`00000024 00000004 00000000 00000003 00 0000 00 0000 3100 00 00 00 00 00 00 00 00 00 05 6869`, smpp.CmdSubmitSMResp, smpp.StatusInvMsgLen)
	r.expect(`00000038 00000004 00000000 00000003 00 0000 3131313131313131313131313131313131313131313100 0000 3100 00 00 00 00 00 00 00 00 00 00`,
		smpp.CmdSubmitSMResp, smpp.StatusInvSrcAdr)
	r.expect(`00000024 00000004 00000000 00000003 00 0000 00 0000 3100 00 00 04 00 00 00 00 00 00 02 6869`, smpp.CmdSubmitSMResp, smpp.StatusInvPrtFlg)
	// Unknown and unexpected requests: generic_nack ESME_RINVCMDID.
	r.expect(`00000010 00000110 00000000 00000004`, smpp.CmdGenericNack, smpp.StatusInvCmdID)
	r.expect(`00000024 00000005 00000000 00000004 00 0000 00 0000 3100 00 00 00 00 00 00 00 00 00 02 6869`, smpp.CmdGenericNack, smpp.StatusInvCmdID)
	// unbind ends the session.
	r.expect(`00000010 00000006 00000000 00000009`, smpp.CmdUnbindResp, smpp.StatusOK)
	if _, _, err := r.rd.Next(); err == nil {
		t.Fatal("session still open after unbind")
	}
}

func TestReceiverCannotSubmit(t *testing.T) {
	s := start(t, Config{})
	r := connect(t, s)
	r.expect(bindRX, smpp.CmdBindReceiverResp, smpp.StatusOK)
	r.expect(submit, smpp.CmdSubmitSMResp, smpp.StatusInvBndSts)
}

func TestBadCommandLength(t *testing.T) {
	s := start(t, Config{MaxCommandLength: 64})
	r := connect(t, s)
	r.expect(`00000100 00000004 00000000 00000007`, smpp.CmdGenericNack, smpp.StatusInvCmdLen)
	if _, _, err := r.rd.Next(); err == nil {
		t.Fatal("session still open")
	}
}

func TestFaults(t *testing.T) {
	s := start(t, Config{})
	r := connect(t, s)
	r.expect(bindTRX, smpp.CmdBindTransceiverResp, smpp.StatusOK)
	s.Inject(Fault{Command: smpp.CmdSubmitSM, Action: RespondStatus, Status: smpp.StatusMsgQFul, Count: 2})
	s.Inject(Fault{Action: RespondNack, Status: smpp.StatusSysErr})
	r.expect(submit, smpp.CmdSubmitSMResp, smpp.StatusMsgQFul)
	r.expect(submit, smpp.CmdSubmitSMResp, smpp.StatusMsgQFul)
	r.expect(`00000010 00000015 00000000 00000005`, smpp.CmdGenericNack, smpp.StatusSysErr) // Command 0: any request
	r.expect(submit, smpp.CmdSubmitSMResp, smpp.StatusOK)
	s.Inject(Fault{Command: smpp.CmdEnquireLink, Action: DropResponse, Count: -1})
	s.ClearFaults()
	r.expect(`00000010 00000015 00000000 00000006`, smpp.CmdEnquireLinkResp, smpp.StatusOK)
	s.Inject(Fault{Command: smpp.CmdEnquireLink, Action: CloseConn})
	r.conn.Write(codectest.Unhex(t, `00000010 00000015 00000000 00000007`))
	if _, _, err := r.rd.Next(); err == nil {
		t.Fatal("connection still open")
	}
}

func TestDeliverErrors(t *testing.T) {
	s := start(t, Config{})
	dm := smpp.DeliverSM{SourceAddr: []byte("1"), DestinationAddr: []byte("2")}
	if err := s.Deliver(guardCtx(t), "esme", dm); !errors.Is(err, ErrNotBound) {
		t.Fatalf("unbound: %v", err)
	}
	r := connect(t, s)
	r.expect(bindTRX, smpp.CmdBindTransceiverResp, smpp.StatusOK)
	// The ESME answers deliver_sm with an error status, then with
	// generic_nack; a context that ends first gives its error.
	errc := make(chan error, 1)
	for _, answer := range []string{"80000005 00000045", "80000000 00000003"} {
		go func() { errc <- s.Deliver(guardCtx(t), "esme", dm) }()
		h, _, err := r.rd.Next()
		if err != nil || h.ID != smpp.CmdDeliverSM {
			t.Fatalf("%v %v", h.ID, err)
		}
		seq := codectest.Unhex(t, "00000000")
		seq[3] = byte(h.Seq)
		resp := append(codectest.Unhex(t, "00000011 "+answer), seq...)
		if answer[:8] == "80000005" {
			resp = append(resp, 0)
		} else {
			resp[3] = 0x10
		}
		r.conn.Write(resp)
		err = <-errc
		switch answer[:8] {
		case "80000005":
			if !errors.Is(err, smpp.StatusSubmitFail) {
				t.Fatalf("status: %v", err)
			}
		default:
			var ne *smpp.NackError
			if !errors.As(err, &ne) || ne.Command != smpp.CmdDeliverSM || ne.Status != smpp.StatusInvCmdID {
				t.Fatalf("nack: %v", err)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { errc <- s.Deliver(ctx, "esme", dm) }()
	if _, _, err := r.rd.Next(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
	s.Close()
	if err := s.Deliver(guardCtx(t), "esme", dm); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
}

func TestServeAndClose(t *testing.T) {
	noLeaks(t)
	var lc net.ListenConfig
	ln, err := lc.Listen(guardCtx(t), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Accounts: map[string]string{"esme": "secret"}})
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	r := connect2(t, ln.Addr().String())
	r.expect(bindTRX, smpp.CmdBindTransceiverResp, smpp.StatusOK)
	if s.Bound("esme") != 1 {
		t.Fatal("not bound")
	}
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	s.Close() // concurrent and repeated Close
	<-done
	if err := <-errc; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, _, err := r.rd.Next(); err == nil {
		t.Fatal("session survived Close")
	}
	if err := s.Serve(ln); !errors.Is(err, ErrClosed) {
		t.Fatalf("Serve after Close: %v", err)
	}

	// ListenAndServe stops when its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	s2 := New(Config{})
	if err := s2.ListenAndServe(ctx, "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	addr := s2.Addr().String()
	cancel()
	s2.Close() // waits for the shutdown the context started
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatal("still listening")
	}
}

func connect2(t *testing.T, addr string) *raw {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(guard))
	t.Cleanup(func() { conn.Close() })
	return &raw{t: t, conn: conn, rd: smpp.NewReader(conn, 0)}
}
