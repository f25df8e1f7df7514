package coapmsg

import (
	"bytes"
	"testing"
)

func TestEcho(t *testing.T) {
	// RFC 9175 section 2.2: a server that needs a fresh request answers
	// 4.01 Unauthorized with an Echo option; the value is opaque (ours here).
	challenge := []byte{0x4a, 0x86, 0xc4, 0xb4, 0x5b, 0x40, 0x32, 0x20}
	var resp Message
	resp.Type, resp.Code, resp.MessageID = Acknowledgement, Unauthorized, 7
	resp.Token = []byte{0xa1}
	if err := resp.SetEcho(challenge); err != nil {
		t.Fatal(err)
	}
	wire, err := resp.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, `
		61 81 00 07   // ACK, TKL 1, 4.01 Unauthorized, MID 7
		a1            // token
		d8 ef         // delta 13+239 = 252 Echo, len 8
		4a 86 c4 b4 5b 40 32 20`)
	if !bytes.Equal(wire, want) {
		t.Fatalf("encoded %x, want %x", wire, want)
	}
	back := mustDecodeMsg(t, wire)
	if v, ok := back.Echo(); !ok || !bytes.Equal(v, challenge) {
		t.Fatalf("Echo = %x %v", v, ok)
	}

	// RFC 9175 section 2.2.1: 1 to 40 bytes.
	wantOptErr(t, resp.SetEcho(nil), ErrBadOption, -1, Echo)
	wantOptErr(t, resp.SetEcho(make([]byte, MaxEchoLength+1)), ErrBadOption, -1, Echo)
	if err := resp.SetEcho(make([]byte, MaxEchoLength)); err != nil {
		t.Fatal(err)
	}
	if v, _ := resp.Echo(); len(v) != MaxEchoLength {
		t.Fatalf("Echo length %d", len(v))
	}
	var none Message
	if _, ok := none.Echo(); ok {
		t.Fatal("absent Echo found")
	}
}

func TestRequestTag(t *testing.T) {
	var req Message
	req.Code = POST
	if _, ok := req.RequestTag(); ok {
		t.Fatal("absent Request-Tag found")
	}
	// RFC 9175 section 3.2.1: an empty tag is present and differs from none.
	if err := req.SetRequestTag(nil); err != nil {
		t.Fatal(err)
	}
	if v, ok := req.RequestTag(); !ok || len(v) != 0 {
		t.Fatalf("empty tag: %x %v", v, ok)
	}
	if err := req.SetRequestTag([]byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	wire, err := req.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, `
		40 02 00 00   // CON, TKL 0, 0.02 POST, MID 0
		e2 00 17      // delta 14: 269+0x17 = 292 Request-Tag, len 2
		01 02`)
	if !bytes.Equal(wire, want) {
		t.Fatalf("encoded %x, want %x", wire, want)
	}
	// The option is repeatable: the accessor gives the first, Values all.
	req.AddOption(RequestTag, []byte{3})
	if v, _ := req.RequestTag(); !bytes.Equal(v, []byte{1, 2}) {
		t.Fatalf("first tag %x", v)
	}
	n := 0
	for it := req.Values(RequestTag); it.Next(); {
		n++
	}
	if n != 2 {
		t.Fatalf("%d tags", n)
	}
	// RFC 9175 section 3.2.1: at most 8 bytes; a failed set keeps the tags.
	wantOptErr(t, req.SetRequestTag(make([]byte, MaxRequestTagLength+1)), ErrBadOption, -1, RequestTag)
	if v, _ := req.RequestTag(); !bytes.Equal(v, []byte{1, 2}) {
		t.Fatalf("tag changed to %x", v)
	}
}

// echoCases are pinned by TestOptionAllocs and timed by BenchmarkEcho.
func echoCases(tb testing.TB) []optCase {
	challenge := make([]byte, 8)
	var m Message
	tag := []byte{1, 2, 3, 4}
	return []optCase{
		{"set-echo-request-tag", 0, len(challenge) + len(tag), func() {
			m.Reset()
			if m.SetEcho(challenge) != nil || m.SetRequestTag(tag) != nil {
				tb.Fatal("set")
			}
		}},
		{"get-echo", 0, len(challenge), func() {
			if _, ok := m.Echo(); !ok {
				tb.Fatal("absent")
			}
		}},
	}
}

func BenchmarkEcho(b *testing.B) { benchOpt(b, echoCases(b)) }
