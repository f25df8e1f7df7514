package coapmsg

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// tcpVectors are TCP frames (RFC 8323 section 3.2). The format has one
// encoding per message (the Len ranges do not overlap), so every vector is
// canonical: DecodeTCP then AppendTCP gives the same bytes. fill bytes of
// 'x' are appended to the hex (a long payload).
var tcpVectors = []struct {
	name  string
	hex   string
	fill  int
	check func(t *testing.T, m *Message)
}{
	{"rfc8323-3.2-valid-token", `
		01                          // Len 0, TKL 1 (RFC 8323 3.2, example frame)
		43                          // 2.03 Valid
		7f                          // token`,
		0, func(t *testing.T, m *Message) {
			if m.Code != Valid || !bytes.Equal(m.Token, []byte{0x7f}) || len(m.Options) != 0 || m.Payload != nil {
				t.Fatalf("%+v", m)
			}
		}},
	{"rfc8323-5.7-ping", `
		01                          // Len 0, TKL 1 (RFC 8323 5.7, Ping example)
		e2                          // 7.02 Ping
		42                          // token`,
		0, func(t *testing.T, m *Message) {
			o, ok := m.PingOptions()
			if m.Code != Ping || !ok || o.Custody || !bytes.Equal(m.Token, []byte{0x42}) {
				t.Fatalf("%+v", m)
			}
		}},
	{"rfc8323-5.7-pong", `
		01                          // Len 0, TKL 1 (RFC 8323 5.7, Pong example)
		e3                          // 7.03 Pong
		42                          // token of the Ping`,
		0, func(t *testing.T, m *Message) {
			if m.Code != Pong || !bytes.Equal(m.Token, []byte{0x42}) {
				t.Fatalf("%+v", m)
			}
		}},
	{"rfc8323-3.4-empty-keepalive", `
		00                          // Len 0, TKL 0
		00                          // 0.00 Empty: ignored by the recipient (RFC 8323 3.4)`,
		0, func(t *testing.T, m *Message) {
			if m.Code != Empty || len(m.Token) != 0 || len(m.Options) != 0 || m.Type != 0 || m.MessageID != 0 {
				t.Fatalf("%+v", m)
			}
		}},
	{"get-temperature-len12", `
		c1                          // Len 12 (options and payload), TKL 1
		01                          // 0.01 GET
		ab                          // token
		bb 74 65 6d 70 65 72 61 74 75 72 65 // Uri-Path (11) "temperature" (RFC 7252 A.1)`,
		0, func(t *testing.T, m *Message) {
			if m.Code != GET || string(m.AppendPath(nil)) != "/temperature" {
				t.Fatalf("%+v", m)
			}
		}},
	{"content-len13-ext8", `
		d0                          // Len 13: 8-bit Extended Length follows, TKL 0
		08                          // 8 + 13 = 21 bytes of options and payload
		45                          // 2.05 Content
		ff                          // payload marker, then 20 bytes "xxxx..."`,
		20, func(t *testing.T, m *Message) {
			if m.Code != Content || len(m.Payload) != 20 {
				t.Fatalf("%+v", m)
			}
		}},
	{"content-len14-ext16", `
		e2                          // Len 14: 16-bit Extended Length follows, TKL 2
		00 20                       // 32 + 269 = 301 bytes of options and payload
		45                          // 2.05 Content
		12 34                       // token
		ff                          // payload marker, then 300 bytes`,
		300, func(t *testing.T, m *Message) {
			if m.Code != Content || len(m.Payload) != 300 || len(m.Token) != 2 {
				t.Fatalf("%+v", m)
			}
		}},
	{"content-len14-max", `
		e0                          // Len 14, TKL 0
		ff ff                       // 65535 + 269 = 65804 bytes, the largest 16-bit length
		45                          // 2.05 Content
		ff                          // payload marker, then 65803 bytes`,
		65803, func(t *testing.T, m *Message) {
			if len(m.Payload) != 65803 {
				t.Fatalf("payload %d", len(m.Payload))
			}
		}},
	{"content-len15-ext32", `
		f0                          // Len 15: 32-bit Extended Length follows, TKL 0
		00 00 00 00                 // 0 + 65805 bytes of options and payload
		45                          // 2.05 Content
		ff                          // payload marker, then 65804 bytes`,
		65804, func(t *testing.T, m *Message) {
			if len(m.Payload) != 65804 {
				t.Fatalf("payload %d", len(m.Payload))
			}
		}},
	{"lwm2m-register-tkl8", `
		d8 0e                       // Len 13, TKL 8; 14 + 13 = 27 bytes of options and payload
		02                          // 0.02 POST
		01 02 03 04 05 06 07 08     // token
		b2 72 64                    // Uri-Path "rd"
		11 28                       // Content-Format (12) 40 link-format
		37 65 70 3d 6e 6f 64 65     // Uri-Query (15) "ep=node"
		06 6c 74 3d 33 30 30        // Uri-Query "lt=300"
		ff 3c 2f 31 2f 30 3e        // payload "</1/0>"`,
		0, func(t *testing.T, m *Message) {
			if m.Code != POST || string(m.AppendQuery(nil)) != "ep=node&lt=300" || string(m.Payload) != "</1/0>" {
				t.Fatalf("%+v", m)
			}
		}},
	{"csm-max-message-size-blockwise", `
		40                          // Len 4, TKL 0
		e1                          // 7.01 CSM (RFC 8323 5.3)
		22 20 00                    // Max-Message-Size (2): 8192 (5.3.1)
		20                          // Block-Wise-Transfer (4), empty (5.3.2)`,
		0, func(t *testing.T, m *Message) {
			o, ok := m.CSMOptions()
			if !ok || o != (CSMOptions{MaxMessageSize: 8192, HasMaxMessageSize: true, BlockWiseTransfer: true}) {
				t.Fatalf("%+v %+v", o, m)
			}
		}},
	{"csm-empty", `
		00                          // Len 0, TKL 0
		e1                          // 7.01 CSM without options: base values (RFC 8323 5.3)`,
		0, func(t *testing.T, m *Message) {
			if o, ok := m.CSMOptions(); !ok || o != (CSMOptions{}) {
				t.Fatalf("%+v", o)
			}
		}},
	{"pong-custody", `
		11                          // Len 1, TKL 1
		e3                          // 7.03 Pong
		42                          // token of the Ping
		20                          // Custody (2), empty (RFC 8323 5.4.1)`,
		0, func(t *testing.T, m *Message) {
			if o, ok := m.PingOptions(); !ok || !o.Custody {
				t.Fatalf("%+v", m)
			}
		}},
	{"ping-unknown-elective-ignored", `
		10                          // Len 1, TKL 0
		e2                          // 7.02 Ping
		40                          // option 4: unknown for Ping, elective: ignored (RFC 8323 5.2, 5.4)`,
		0, func(t *testing.T, m *Message) {
			if o, ok := m.PingOptions(); !ok || o.Custody || len(m.Options) != 1 || m.Options[0].Number != 4 {
				t.Fatalf("%+v", m)
			}
		}},
	{"release-alternative-address-hold-off", `
		d0 07                       // Len 13, TKL 0; 7 + 13 = 20 bytes
		e4                          // 7.04 Release (RFC 8323 5.5)
		2d 03                       // Alternative-Address (2), length 13 + 3 = 16
		65 78 61 6d 70 6c 65 2e 63 6f 6d 3a 35 36 38 34 // "example.com:5684"
		21 3c                       // Hold-Off (4): 60 s`,
		0, func(t *testing.T, m *Message) {
			o, ok := m.ReleaseOptions()
			it := m.Values(AlternativeAddress)
			if !ok || o != (ReleaseOptions{HoldOff: 60, HasHoldOff: true}) || !it.Next() || string(it.Value()) != "example.com:5684" || it.Next() {
				t.Fatalf("%+v %+v", o, m)
			}
		}},
	{"abort-bad-csm-option", `
		60                          // Len 6, TKL 0
		e5                          // 7.05 Abort (RFC 8323 5.6)
		21 09                       // Bad-CSM-Option (2): 9
		ff 62 61 64                 // diagnostic payload "bad"`,
		0, func(t *testing.T, m *Message) {
			o, ok := m.AbortOptions()
			if !ok || o != (AbortOptions{BadCSMOption: 9, HasBadCSMOption: true}) || string(m.Payload) != "bad" {
				t.Fatalf("%+v %+v", o, m)
			}
		}},
	{"empty-with-payload-ignored", `
		20                          // Len 2, TKL 0
		00                          // 0.00 Empty: allowed with content, and ignored (RFC 8323 3.4)
		ff 21                       // payload "!"`,
		0, func(t *testing.T, m *Message) {
			if m.Code != Empty || string(m.Payload) != "!" {
				t.Fatalf("%+v", m)
			}
		}},
}

// tcpVector returns the frame of vector i.
func tcpVector(tb testing.TB, i int) []byte {
	v := tcpVectors[i]
	b := unhex(tb, v.hex)
	return append(b, bytes.Repeat([]byte{'x'}, v.fill)...)
}

// tcpSame reports whether a and b hold the same message.
func tcpSame(a, b *Message) bool {
	if a.Type != b.Type || a.Code != b.Code || a.MessageID != b.MessageID || !bytes.Equal(a.Token, b.Token) ||
		!bytes.Equal(a.Payload, b.Payload) || len(a.Options) != len(b.Options) {
		return false
	}
	for i := range a.Options {
		if a.Options[i].Number != b.Options[i].Number || !bytes.Equal(a.Options[i].Value, b.Options[i].Value) {
			return false
		}
	}
	return true
}

func TestTCPVectors(t *testing.T) {
	for i, v := range tcpVectors {
		t.Run(v.name, func(t *testing.T) {
			wire := tcpVector(t, i)
			hdrLen, total, err := PeekTCP(wire)
			if err != nil || total != len(wire) || hdrLen < 2 || hdrLen > 6 {
				t.Fatalf("PeekTCP: %d %d %v", hdrLen, total, err)
			}
			// A second frame after the first is left alone.
			stream := append(bytes.Clone(wire), 0x01, 0xe2, 0x42)
			var m Message
			n, err := m.DecodeTCP(stream)
			if err != nil || n != len(wire) {
				t.Fatalf("DecodeTCP: n=%d err=%v", n, err)
			}
			v.check(t, &m)
			if m.LenTCP() != len(wire) {
				t.Errorf("LenTCP %d, frame %d", m.LenTCP(), len(wire))
			}
			out, err := m.AppendTCP([]byte("prefix"))
			if err != nil || !bytes.Equal(out[6:], wire) || string(out[:6]) != "prefix" {
				t.Fatalf("AppendTCP: %v\n got %x\nwant %x", err, out, wire)
			}
			// The same message in the WebSocket format: Len 0, no Extended Length.
			ws, err := m.AppendWS(nil)
			if err != nil || len(ws) != m.LenWS() || ws[0]>>4 != 0 || !bytes.Equal(ws[1:], wire[hdrLen-1:]) {
				t.Fatalf("AppendWS: %v %x", err, ws)
			}
			var w Message
			if n, err := w.DecodeWS(ws); err != nil || n != len(ws) || !tcpSame(&m, &w) {
				t.Fatalf("DecodeWS: %d %v %+v", n, err, w)
			}
			v.check(t, &w)
		})
	}
}

// TestWSVectors decodes CoAP over WebSockets messages (RFC 8323 section 4.2).
func TestWSVectors(t *testing.T) {
	for _, c := range []struct{ name, hex string }{
		{"rfc8323-3.2-example-as-ws", `01 43 7f // Len 0, TKL 1, 2.03 Valid, token 7f: a TCP frame of Len 0 is also a WebSocket message`},
		{"rfc8323-5.7-ping", `01 e2 42 // Len 0, TKL 1, 7.02 Ping, token 42`},
		{"get-with-payload", `
			02 01 0a 0b             // Len 0 (always, RFC 8323 4.2), TKL 2, 0.01 GET, token
			b2 72 64                // Uri-Path "rd"
			ff 68 69                // payload "hi"`},
		{"empty", `00 00 // 0.00 Empty, ignored (RFC 8323 4.4 by reference to 3.4)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			wire := unhex(t, c.hex)
			var m Message
			if n, err := m.DecodeWS(wire); err != nil || n != len(wire) {
				t.Fatalf("n=%d %v", n, err)
			}
			out, err := m.AppendWS(nil)
			if err != nil || !bytes.Equal(out, wire) || m.LenWS() != len(wire) {
				t.Fatalf("%v\n got %x\nwant %x", err, out, wire)
			}
		})
	}
}

// TestTCPDecodeErrors lists each rule DecodeTCP checks, with its section
// and the offset it reports.
func TestTCPDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		hex    string
		class  error
		offset int
		rule   string
		n      int          // n returned with the error
		option OptionNumber // Error.Option, for option errors
	}{
		{"empty-input", ``, ErrTruncated, 0, "RFC 8323 3.2", 0, 0},
		{"ext8-missing", `d1 // Len 13, no Extended Length`, ErrTruncated, 1, "RFC 8323 3.2", 0, 0},
		{"code-missing", `00 // Len 0, TKL 0, no code`, ErrTruncated, 1, "RFC 8323 3.2", 0, 0},
		{"ext16-short", `e0 00 // Len 14, one of two length bytes`, ErrTruncated, 2, "RFC 8323 3.2", 0, 0},
		{"ext32-short", `f0 00 00 00 // Len 15, three of four length bytes`, ErrTruncated, 4, "RFC 8323 3.2", 0, 0},
		{"token-short", `01 43 // TKL 1, token missing`, ErrTruncated, 2, "RFC 8323 3.2", 0, 0},
		{"body-short", `c1 01 ab bb 74 65 // Len 12, 3 of 12 bytes present`, ErrTruncated, 6, "RFC 8323 3.2", 0, 0},
		{"tkl-9", `09 01 01 02 03 04 05 06 07 08 09 // TKL 9 is reserved`, ErrMalformed, 0, "RFC 7252 3", 0, 0},
		{"tkl-15", `0f 01`, ErrMalformed, 0, "RFC 7252 3", 0, 0},
		{"class-1", `00 20 // code 1.00 is a reserved class`, ErrMalformed, 1, "RFC 7252 12.1", 2, 0},
		{"class-6", `00 c0 // code 6.00 is a reserved class`, ErrMalformed, 1, "RFC 7252 12.1", 2, 0},
		{"ext16-body-missing", `e0 00 00 45 // 269 bytes announced, none present`, ErrTruncated, 4, "RFC 8323 3.2", 0, 0},
		{"marker-no-payload", `10 45 ff // Len 1: a payload marker with no payload`, ErrMalformed, 2, "RFC 7252 3", 3, 0},
		{"option-past-frame", `
			20 01 b5 61             // Len 2: Uri-Path of length 5 in a 2-byte body
			62 63 64 65             // the bytes after the frame are not the option's`, ErrMalformed, 3, "RFC 7252 3.1", 4, 0},
		{"ext-delta-past-frame", `10 01 d0 00 // Len 1: the delta's extended byte is outside the frame`, ErrMalformed, 3, "RFC 7252 3.1", 3, 0},
		{"delta-15", `10 01 f0 // delta 15 is reserved`, ErrMalformed, 2, "RFC 7252 3.1", 3, 0},
		{"bad-option-length", `40 45 c3 00 00 28 // Content-Format of 3 bytes`, ErrBadOption, 2, "RFC 7252 5.10.3", 6, ContentFormat},
		// Signaling messages (RFC 8323 5.2, 5.3): the message is complete.
		{"csm-unknown-critical", `10 e1 10 // option 1 in a CSM: critical, unknown`, ErrAbort, 2, "RFC 8323 5.2", 3, 1},
		{"csm-bad-max-message-size", `60 e1 25 01 02 03 04 05 // Max-Message-Size of 5 bytes: invalid CSM`, ErrAbort, 2, "RFC 8323 5.3.1", 8, MaxMessageSize},
		{"csm-block-wise-with-value", `20 e1 41 01 // Block-Wise-Transfer with a value`, ErrAbort, 2, "RFC 8323 5.3.2", 4, BlockWiseTransfer},
		{"csm-repeated", `40 e1 21 01 01 02 // Max-Message-Size twice`, ErrAbort, 4, "RFC 7252 5.4.5", 6, MaxMessageSize},
		{"csm-bad-then-unknown-critical", `70 e1 25 01 02 03 04 05 10 // the first problem in wire order`, ErrAbort, 2, "RFC 8323 5.3.1", 9, MaxMessageSize},
		{"csm-unknown-critical-then-bad", `70 e1 10 15 01 02 03 04 05 // option 1, then option 2 of 5 bytes`, ErrAbort, 2, "RFC 8323 5.2", 9, 1},
		{"ping-custody-with-value", `20 e2 21 01 // Custody with a value: elective, ignored`, ErrBadOption, 2, "RFC 8323 5.4.1", 4, Custody},
		{"ping-bad-then-unknown-critical", `30 e2 21 01 10 // critical option 3 outranks the bad Custody`, ErrAbort, 4, "RFC 8323 5.2", 5, 3},
		{"pong-unknown-critical", `21 e3 42 d0 00 // option 13`, ErrAbort, 3, "RFC 8323 5.2", 5, 13},
		{"release-hold-off-repeated", `40 e4 41 05 01 06 // Hold-Off twice`, ErrBadOption, 4, "RFC 7252 5.4.5", 6, HoldOff},
		{"release-address-not-utf8", `20 e4 21 ff // Alternative-Address 0xff`, ErrBadOption, 2, "RFC 7252 3.2", 4, AlternativeAddress},
		{"release-address-empty", `10 e4 20 // Alternative-Address of length 0 (1-255)`, ErrBadOption, 2, "RFC 8323 5.5", 3, AlternativeAddress},
		{"abort-bad-csm-option-3-bytes", `40 e5 23 01 02 03`, ErrBadOption, 2, "RFC 8323 5.6", 6, BadCSMOption},
		{"unknown-signaling-code-critical", `10 e6 10 // 7.06 has no registered options`, ErrAbort, 2, "RFC 8323 5.2", 3, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := unhex(t, c.hex)
			orig := bytes.Clone(b)
			var m Message
			n, err := m.DecodeTCP(b)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset || e.Rule != c.rule || n != c.n || e.Option != c.option {
				t.Fatalf("got n=%d %v (%+v)\nwant n=%d class %v at %d [%s] option %d", n, err, e, c.n, c.class, c.offset, c.rule, c.option)
			}
			if c.class == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Error("ErrTruncated does not wrap io.ErrUnexpectedEOF")
			}
			if !bytes.Equal(b, orig) {
				t.Error("input modified")
			}
			if c.class == ErrBadOption || c.class == ErrAbort {
				// The message is complete: it re-encodes to the frame.
				if out := m.appendTCP(nil, m.bodyLen()); !bytes.Equal(out, b[:n]) {
					t.Errorf("incomplete message: %x", out)
				}
			}
		})
	}
}

// TestWSDecodeErrors lists the rules of DecodeWS that differ from DecodeTCP.
func TestWSDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		hex    string
		class  error
		offset int
		rule   string
	}{
		{"empty-input", ``, ErrMalformed, 0, "RFC 8323 4.2"},
		{"one-byte", `00`, ErrMalformed, 1, "RFC 8323 4.2"},
		{"len-not-0", `10 01 b0 // Len 1: the WebSocket frame carries the length`, ErrMalformed, 0, "RFC 8323 4.2"},
		{"tkl-9", `09 01`, ErrMalformed, 0, "RFC 7252 3"},
		{"token-short", `08 01 01 02 03 // TKL 8, three token bytes`, ErrMalformed, 5, "RFC 8323 4.2"},
		{"class-6", `00 c1`, ErrMalformed, 1, "RFC 7252 12.1"},
		{"marker-no-payload", `00 45 ff`, ErrMalformed, 2, "RFC 7252 3"},
		{"option-past-end", `00 01 b5 61`, ErrMalformed, 3, "RFC 7252 3.1"},
		{"csm-unknown-critical", `00 e1 10`, ErrAbort, 2, "RFC 8323 5.2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var m Message
			_, err := m.DecodeWS(unhex(t, c.hex))
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset || e.Rule != c.rule {
				t.Fatalf("got %v (%+v), want %v at %d [%s]", err, e, c.class, c.offset, c.rule)
			}
		})
	}
}

func TestTCPEncodeErrors(t *testing.T) {
	long := make([]byte, 9)
	for _, c := range []struct {
		name  string
		m     func(m *Message)
		class error
		rule  string
	}{
		{"token-9", func(m *Message) { m.Code, m.Token = GET, long }, ErrMalformed, "RFC 7252 3"},
		{"class-1", func(m *Message) { m.Code = NewCode(1, 0) }, ErrMalformed, "RFC 7252 12.1"},
		{"class-6", func(m *Message) { m.Code = NewCode(6, 1) }, ErrMalformed, "RFC 7252 12.1"},
		{"unsorted", func(m *Message) {
			m.Code = GET
			m.Options = []Option{{URIQuery, []byte("a")}, {URIPath, []byte("b")}}
		}, ErrMalformed, "RFC 7252 3.1"},
		{"hold-off-4-bytes", func(m *Message) { m.SetRelease(ReleaseOptions{HoldOff: 1 << 24, HasHoldOff: true}) }, ErrBadOption, "RFC 8323 5.5"},
		{"csm-max-message-size-repeated", func(m *Message) {
			m.SetCSM(CSMOptions{MaxMessageSize: 1, HasMaxMessageSize: true})
			m.AddOption(MaxMessageSize, []byte{2})
		}, ErrBadOption, "RFC 7252 5.4.5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var m Message
			c.m(&m)
			prefix := []byte("keep")
			for _, enc := range []func([]byte) ([]byte, error){m.AppendTCP, m.AppendWS} {
				out, err := enc(prefix)
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Rule != c.rule || e.Offset != -1 {
					t.Fatalf("got %v, want %v [%s]", err, c.class, c.rule)
				}
				if string(out) != "keep" || len(out) != 4 {
					t.Fatalf("b changed on error: %q", out)
				}
			}
		})
	}
}

// TestTCPLengthBoundaries encodes each boundary of the Len ranges and
// decodes it back (RFC 8323 section 3.2).
func TestTCPLengthBoundaries(t *testing.T) {
	for _, c := range []struct {
		body   int // options and payload
		hdrLen int
	}{
		{0, 2}, {2, 2}, {12, 2}, {13, 3}, {268, 3}, {269, 4}, {65804, 4}, {65805, 6}, {70000, 6},
	} {
		var m Message
		m.Code = Content
		if c.body > 0 {
			m.Payload = bytes.Repeat([]byte{'p'}, c.body-1)
		}
		if c.body == 1 {
			t.Fatal("a 1-byte body cannot be a payload")
		}
		out, err := m.AppendTCP(nil)
		if err != nil || len(out) != m.LenTCP() || len(out) != c.hdrLen+c.body {
			t.Fatalf("body %d: %v, %d bytes, LenTCP %d", c.body, err, len(out), m.LenTCP())
		}
		hdrLen, total, err := PeekTCP(out)
		if err != nil || hdrLen != c.hdrLen || total != len(out) {
			t.Fatalf("body %d: PeekTCP %d %d %v", c.body, hdrLen, total, err)
		}
		var d Message
		if n, err := d.DecodeTCP(out); err != nil || n != len(out) || !tcpSame(&m, &d) {
			t.Fatalf("body %d: %d %v", c.body, n, err)
		}
	}
}

// TestTCPTypeAndMessageIDDropped checks that the reliable formats carry no
// Type or Message ID (RFC 8323 sections 3.2 and 4.2).
func TestTCPTypeAndMessageIDDropped(t *testing.T) {
	m := Message{Type: Acknowledgement, Code: Content, MessageID: 0x1234, Token: []byte{1}}
	out, err := m.AppendTCP(nil)
	if err != nil || !bytes.Equal(out, []byte{0x01, 0x45, 0x01}) {
		t.Fatalf("%x %v", out, err)
	}
	var d Message
	d.Type, d.MessageID = Reset, 7
	if _, err := d.DecodeTCP(out); err != nil || d.Type != 0 || d.MessageID != 0 {
		t.Fatalf("%+v %v", d, err)
	}
}

// TestTCPErrorText pins the error format.
func TestTCPErrorText(t *testing.T) {
	var m Message
	_, err := m.DecodeTCP([]byte{0x10, 0xe1, 0x10})
	if got, want := err.Error(), "coapmsg: option 1 at offset 2: critical signaling option not understood [RFC 8323 5.2]"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// tcpSeeds are the vectors and a few malformed frames, for the fuzz targets.
func tcpSeeds(tb testing.TB) [][]byte {
	var seeds [][]byte
	for i, v := range tcpVectors {
		if v.fill < 1000 {
			seeds = append(seeds, tcpVector(tb, i))
		}
	}
	for _, s := range []string{`10 e1 10`, `30 e2 21 01 10`, `60 e1 25 01 02 03 04 05`, `20 01 b5 61 62`, `f0 00 00 00`, `d1`} {
		seeds = append(seeds, unhex(tb, s))
	}
	return seeds
}

// FuzzDecodeTCP checks DecodeTCP: no panic; no mutation of the input;
// errors are *Error with an offset in range; n is 0 or the frame length
// PeekTCP gives; and decode -> encode -> decode is a fixpoint whose
// encoding is the frame itself (the format is canonical). With ErrBadOption
// and ErrAbort the message is complete, so the unchecked encoding must
// still reproduce the frame.
func FuzzDecodeTCP(f *testing.F) {
	for _, s := range tcpSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		var m Message
		n, err := m.DecodeTCP(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("DecodeTCP modified its input")
		}
		_, total, perr := PeekTCP(b)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(b) {
				t.Fatalf("bad error %T %v", err, err)
			}
			_ = e.Error()
			if n != 0 && (perr != nil || n != total) {
				t.Fatalf("n = %d with error %v, frame %d", n, err, total)
			}
			if !errors.Is(err, ErrBadOption) && !errors.Is(err, ErrAbort) {
				return
			}
			if out := m.appendTCP(nil, m.bodyLen()); !bytes.Equal(out, b[:n]) || m.LenTCP() != n {
				t.Fatalf("message with %v incomplete:\n in %x\nout %x", err, b[:n], out)
			}
			var again Message
			n2, err2 := again.DecodeTCP(b[:n])
			var e2 *Error
			if n2 != n || !errors.As(err2, &e2) || e2.Err != e.Err || e2.Offset != e.Offset || !tcpSame(&m, &again) {
				t.Fatalf("second decode differs: %v vs %v", err, err2)
			}
			return
		}
		if perr != nil || n <= 0 || n > len(b) || n != total {
			t.Fatalf("n = %d, len %d, PeekTCP %d %v", n, len(b), total, perr)
		}
		out, err := m.AppendTCP(nil)
		if err != nil {
			t.Fatalf("decoded %x but cannot encode: %v", b[:n], err)
		}
		if !bytes.Equal(out, b[:n]) || len(out) != m.LenTCP() {
			t.Fatalf("not a fixpoint:\n in %x\nout %x", b[:n], out)
		}
		var again Message
		if n2, err := again.DecodeTCP(out); err != nil || n2 != len(out) || !tcpSame(&m, &again) {
			t.Fatalf("re-decode: %d %v", n2, err)
		}
		// The same message through the WebSocket format.
		ws, err := m.AppendWS(nil)
		if err != nil || len(ws) != m.LenWS() {
			t.Fatalf("AppendWS: %v", err)
		}
		if _, err := again.DecodeWS(ws); err != nil || !tcpSame(&m, &again) {
			t.Fatalf("DecodeWS of AppendWS: %v", err)
		}
	})
}

// FuzzDecodeWS checks DecodeWS like FuzzDecodeTCP.
func FuzzDecodeWS(f *testing.F) {
	for _, s := range tcpSeeds(f) {
		if len(s) > 0 && len(s) > int(tcpExtLen[s[0]>>4]) {
			s = append([]byte{s[0] & 0x0f}, s[1+int(tcpExtLen[s[0]>>4]):]...)
		}
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		var m Message
		n, err := m.DecodeWS(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("DecodeWS modified its input")
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(b) || errors.Is(err, ErrTruncated) {
				t.Fatalf("bad error %T %v", err, err)
			}
			if (errors.Is(err, ErrBadOption) || errors.Is(err, ErrAbort)) && !bytes.Equal(m.appendWS(nil), b) {
				t.Fatalf("message with %v incomplete", err)
			}
			return
		}
		if n != len(b) {
			t.Fatalf("n = %d, len %d", n, len(b))
		}
		out, err := m.AppendWS(nil)
		if err != nil || !bytes.Equal(out, b) || len(out) != m.LenWS() {
			t.Fatalf("not a fixpoint: %v\n in %x\nout %x", err, b, out)
		}
	})
}

func benchTCPVectors(b *testing.B, run func(b *testing.B, wire []byte)) {
	for i, v := range tcpVectors {
		if v.fill > 1000 {
			continue
		}
		wire := tcpVector(b, i)
		b.Run("msg="+strings.TrimPrefix(v.name, "rfc8323-"), func(b *testing.B) { run(b, wire) })
	}
}

func BenchmarkDecodeTCP(b *testing.B) {
	benchTCPVectors(b, func(b *testing.B, wire []byte) {
		fn := decodeTCPFn(b, wire)
		b.ReportAllocs()
		b.SetBytes(int64(len(wire)))
		for b.Loop() {
			fn()
		}
	})
}

func BenchmarkAppendTCP(b *testing.B) {
	benchTCPVectors(b, func(b *testing.B, wire []byte) {
		fn := appendTCPFn(b, wire)
		b.ReportAllocs()
		b.SetBytes(int64(len(wire)))
		for b.Loop() {
			fn()
		}
	})
}

func BenchmarkDecodeWS(b *testing.B) {
	benchTCPVectors(b, func(b *testing.B, wire []byte) {
		fn, n := decodeWSFn(b, wire)
		b.ReportAllocs()
		b.SetBytes(int64(n))
		for b.Loop() {
			fn()
		}
	})
}

func BenchmarkAppendWS(b *testing.B) {
	benchTCPVectors(b, func(b *testing.B, wire []byte) {
		fn, n := appendWSFn(b, wire)
		b.ReportAllocs()
		b.SetBytes(int64(n))
		for b.Loop() {
			fn()
		}
	})
}

// decodeTCPFn returns a function that decodes wire into a reused Message.
// The benchmarks and the allocation pins share these.
func decodeTCPFn(tb testing.TB, wire []byte) func() {
	var m Message
	return func() {
		if _, err := m.DecodeTCP(wire); err != nil {
			tb.Fatal(err)
		}
	}
}

// appendTCPFn returns a function that encodes the message of wire into a reused buffer.
func appendTCPFn(tb testing.TB, wire []byte) func() {
	m := new(Message)
	if _, err := m.DecodeTCP(wire); err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, 0, len(wire))
	return func() {
		var err error
		if buf, err = m.AppendTCP(buf[:0]); err != nil {
			tb.Fatal(err)
		}
	}
}

// wsOf returns the WebSocket form of the TCP frame wire.
func wsOf(tb testing.TB, wire []byte) []byte {
	var m Message
	if _, err := m.DecodeTCP(wire); err != nil {
		tb.Fatal(err)
	}
	ws, err := m.AppendWS(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return ws
}

func decodeWSFn(tb testing.TB, wire []byte) (func(), int) {
	ws := wsOf(tb, wire)
	var m Message
	return func() {
		if _, err := m.DecodeWS(ws); err != nil {
			tb.Fatal(err)
		}
	}, len(ws)
}

func appendWSFn(tb testing.TB, wire []byte) (func(), int) {
	ws := wsOf(tb, wire)
	m := new(Message)
	if _, err := m.DecodeWS(ws); err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, 0, len(ws))
	return func() {
		var err error
		if buf, err = m.AppendWS(buf[:0]); err != nil {
			tb.Fatal(err)
		}
	}, len(ws)
}
