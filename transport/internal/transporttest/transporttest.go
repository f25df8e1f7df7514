// Package transporttest holds what the transport packages' tests share: a
// tiny CoAP resource handler built on coapmsg, and a runner for libcoap's
// command-line clients.
package transporttest

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/internal/codectest"
)

// Resources is a tiny CoAP server's state: GET /hello answers "world",
// GET and PUT /store read and replace a stored value, anything else is
// 4.04. It is safe for concurrent use.
type Resources struct {
	mu     sync.Mutex
	stored []byte
	// Requests counts the requests handled.
	Requests int
}

// Stored returns the value of /store.
func (r *Resources) Stored() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return string(r.stored)
}

// Handle decodes one CoAP datagram and appends the response to out,
// returning out unchanged when there is nothing to send (not a request, or
// undecodable).
func (r *Resources) Handle(req []byte, out []byte) []byte {
	var m coapmsg.Message
	if _, err := m.Decode(req); err != nil || !m.Code.IsRequest() {
		return out
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Requests++
	resp := coapmsg.Message{Type: coapmsg.NonConfirmable, MessageID: m.MessageID + 0x100, Token: m.Token}
	if m.Type == coapmsg.Confirmable {
		resp.Type, resp.MessageID = coapmsg.Acknowledgement, m.MessageID
	}
	switch path := string(m.AppendPath(nil)); {
	case path == "/hello" && m.Code == coapmsg.GET:
		resp.Code, resp.Payload = coapmsg.Content, []byte("world")
		resp.SetUint(coapmsg.ContentFormat, uint64(coapmsg.TextPlain))
	case path == "/store" && m.Code == coapmsg.GET:
		resp.Code, resp.Payload = coapmsg.Content, append([]byte(nil), r.stored...)
	case path == "/store" && m.Code == coapmsg.PUT:
		r.stored = append(r.stored[:0], m.Payload...)
		resp.Code = coapmsg.Changed
	case path == "/hello" || path == "/store":
		resp.Code = coapmsg.MethodNotAllowed
	default:
		resp.Code = coapmsg.NotFound
	}
	b, err := resp.AppendBinary(out)
	if err != nil {
		return out
	}
	return b
}

// LibcoapBin finds a libcoap example program such as coap-client-notls:
// missing, the test skips, or fails when CI=true (codectest.LookTool).
func LibcoapBin(t *testing.T, name string) string {
	t.Helper()
	return codectest.LookTool(t, name, "/usr/bin/"+name, "/usr/local/bin/"+name)
}

// RunLibcoap runs a libcoap program to completion (at most 10 s) and
// returns its stdout without the final newline, its stderr and its exit
// status.
func RunLibcoap(t *testing.T, bin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = time.Second
	var out, errb codectest.LockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v: %v\nstdout:\n%s\nstderr:\n%s", cmd, ctx.Err(), out.String(), errb.String())
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		status = ee.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", cmd, err)
	}
	t.Logf("%v: status %d\nstdout: %q\nstderr: %q", cmd.Args, status, out.String(), errb.String())
	return strings.TrimSuffix(out.String(), "\n"), errb.String(), status
}
