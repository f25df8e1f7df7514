package coapep

import (
	"bytes"
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
)

// lossy drops the first n datagrams it writes.
type lossy struct {
	net.PacketConn
	drop atomic.Int32
}

func (l *lossy) WriteTo(b []byte, a net.Addr) (int, error) {
	if l.drop.Add(-1) >= 0 {
		return len(b), nil
	}
	return l.PacketConn.WriteTo(b, a)
}

func listen(t *testing.T) net.PacketConn {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return pc
}

// pair starts a server endpoint with h and a client endpoint, stopped at
// the end of the test.
func pair(t *testing.T, h Handler, clientPC net.PacketConn) (srv, cli *Endpoint) {
	ctx, cancel := context.WithCancel(context.Background())
	srv = New(listen(t), Config{Handler: h, AckTimeout: 100 * time.Millisecond})
	if clientPC == nil {
		clientPC = listen(t)
	}
	cli = New(clientPC, Config{AckTimeout: 100 * time.Millisecond})
	go srv.Serve(ctx)
	go cli.Serve(ctx)
	t.Cleanup(func() { cancel(); srv.Wait(); cli.Wait() })
	return srv, cli
}

func TestDoObserveBlocks(t *testing.T) {
	var calls atomic.Int32
	var mu sync.Mutex
	var observer net.Addr
	var obsToken []byte
	var upload []byte
	big := bytes.Repeat([]byte("0123456789abcdef"), 200) // 3200 bytes
	h := func(r *Request) {
		calls.Add(1)
		path := string(bytes.Join(segments(r.Msg), []byte("/")))
		switch path {
		case "hello":
			r.Resp.Code, r.Resp.Payload = coapmsg.Content, []byte("world")
			if _, ok := r.Msg.Observe(); ok {
				mu.Lock()
				observer, obsToken = r.From, append([]byte(nil), r.Msg.Token...)
				mu.Unlock()
				r.Resp.SetObserve(1)
			}
		case "big":
			blk, ok, _ := r.Msg.Block2(false)
			if !ok {
				blk = coapmsg.Block{SZX: 6}
			}
			lo := int(blk.Num) * blk.Size()
			hi := min(lo+blk.Size(), len(big))
			r.Resp.Code, r.Resp.Payload = coapmsg.Content, big[lo:hi]
			r.Resp.SetBlock2(coapmsg.Block{Num: blk.Num, More: hi < len(big), SZX: blk.SZX})
		case "fw":
			blk, _, _ := r.Msg.Block1(false)
			mu.Lock()
			upload = append(upload, r.Msg.Payload...)
			mu.Unlock()
			if blk.More {
				r.Resp.Code = coapmsg.Continue
				r.Resp.SetBlock1(blk)
				return
			}
			r.Resp.Code = coapmsg.Changed
		default:
			r.Resp.Code = coapmsg.NotFound
		}
	}
	srv, cli := pair(t, h, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	req := &coapmsg.Message{Code: coapmsg.GET}
	req.SetPath([]byte("/hello"))
	resp, err := cli.Do(ctx, req, srv.LocalAddr())
	if err != nil || resp.Code != coapmsg.Content || string(resp.Payload) != "world" {
		t.Fatalf("GET: %v %v", resp, err)
	}

	// Observe, then a confirmable notification from the server.
	obs := &coapmsg.Message{Code: coapmsg.GET}
	obs.SetPath([]byte("/hello"))
	first, notes, stop, err := cli.Observe(ctx, obs, srv.LocalAddr())
	if err != nil || string(first.Payload) != "world" {
		t.Fatalf("Observe: %v %v", first, err)
	}
	mu.Lock()
	n := &coapmsg.Message{Type: coapmsg.Confirmable, Code: coapmsg.Content, Token: obsToken, Payload: []byte("again")}
	to := observer
	mu.Unlock()
	n.SetObserve(2)
	if err := srv.Send(ctx, n, to); err != nil {
		t.Fatalf("notify: %v", err)
	}
	select {
	case m := <-notes:
		if string(m.Payload) != "again" {
			t.Errorf("notification %q", m.Payload)
		}
	case <-ctx.Done():
		t.Fatal("no notification")
	}
	// After cancel, a notification is rejected with Reset.
	stop()
	n.SetObserve(3)
	if err := srv.Send(ctx, n, to); err != ErrReset {
		t.Errorf("notify after cancel: %v, want ErrReset", err)
	}

	// Block2 and Block1.
	get := &coapmsg.Message{Code: coapmsg.GET}
	get.SetPath([]byte("/big"))
	resp, err = cli.Fetch(ctx, get, srv.LocalAddr())
	if err != nil || !bytes.Equal(resp.Payload, big) {
		t.Fatalf("Fetch: %d bytes, %v", len(resp.Payload), err)
	}
	put := &coapmsg.Message{Code: coapmsg.PUT}
	put.SetPath([]byte("/fw"))
	resp, err = cli.Upload(ctx, put, big, 6, srv.LocalAddr())
	mu.Lock()
	got := upload
	mu.Unlock()
	if err != nil || resp.Code != coapmsg.Changed || !bytes.Equal(got, big) {
		t.Fatalf("Upload: %v, %d bytes, %v", resp, len(got), err)
	}
}

// TestRetransmitAndDedup: a lost request is retransmitted; a lost response
// makes the client retransmit, and the server answers the duplicate from
// its cache without running the handler again.
func TestRetransmitAndDedup(t *testing.T) {
	var calls atomic.Int32
	h := func(r *Request) { calls.Add(1); r.Resp.Code = coapmsg.Changed }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srvPC := &lossy{PacketConn: listen(t)}
	srv := New(srvPC, Config{Handler: h, AckTimeout: 50 * time.Millisecond})
	cliPC := &lossy{PacketConn: listen(t)}
	cli := New(cliPC, Config{AckTimeout: 50 * time.Millisecond})
	go srv.Serve(ctx)
	go cli.Serve(ctx)
	defer func() { cancel(); srv.Wait(); cli.Wait() }()

	cliPC.drop.Store(1) // the first request is lost
	req := &coapmsg.Message{Code: coapmsg.POST}
	if resp, err := cli.Do(ctx, req, srv.LocalAddr()); err != nil || resp.Code != coapmsg.Changed {
		t.Fatalf("after a lost request: %v %v", resp, err)
	}
	srvPC.drop.Store(1) // the first response is lost
	req = &coapmsg.Message{Code: coapmsg.POST}
	if resp, err := cli.Do(ctx, req, srv.LocalAddr()); err != nil || resp.Code != coapmsg.Changed {
		t.Fatalf("after a lost response: %v %v", resp, err)
	}
	if calls.Load() != 2 {
		t.Errorf("handler ran %d times for 2 requests", calls.Load())
	}
	// Nobody answers: ErrTimeout after the retransmissions.
	dead := listen(t)
	addr := dead.LocalAddr()
	dead.Close()
	if _, err := cli.Do(ctx, &coapmsg.Message{Code: coapmsg.GET}, addr); err != ErrTimeout {
		t.Errorf("to a closed port: %v", err)
	}
}

// segments returns the Uri-Path segments of m.
func segments(m *coapmsg.Message) [][]byte {
	var s [][]byte
	for _, o := range m.Options {
		if o.Number == coapmsg.URIPath {
			s = append(s, o.Value)
		}
	}
	return s
}
