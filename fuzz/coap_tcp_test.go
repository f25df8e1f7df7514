package fuzz

import (
	"errors"
	"reflect"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
	tcpcoder "github.com/plgd-dev/go-coap/v3/tcp/coder"

	"github.com/iotwire/iotwire/coapmsg"
)

// coapTCPSeeds returns the messages of coapSeeds and the five signaling
// messages of RFC 8323 section 5 in the TCP format, encoded by coapmsg.
func coapTCPSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	add := func(m *coapmsg.Message) {
		b, err := m.AppendTCP(nil)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	for _, s := range coapSeeds(tb) {
		var m coapmsg.Message
		if _, err := m.Decode(s); err != nil {
			tb.Fatal(err)
		}
		m.Type, m.MessageID = 0, 0
		add(&m)
	}
	var m coapmsg.Message
	m.SetCSM(coapmsg.CSMOptions{MaxMessageSize: 1 << 16, HasMaxMessageSize: true, BlockWiseTransfer: true})
	add(&m)
	m.SetPing(coapmsg.PingOptions{Custody: true})
	m.Token = []byte{0x7c, 1}
	add(&m)
	m.SetPong(coapmsg.PingOptions{})
	m.Token = []byte{0x7c, 1}
	add(&m)
	m.SetRelease(coapmsg.ReleaseOptions{HoldOff: 30, HasHoldOff: true})
	m.AddOption(coapmsg.AlternativeAddress, []byte("[::1]:5683"))
	add(&m)
	m.SetAbort(coapmsg.AbortOptions{BadCSMOption: 2, HasBadCSMOption: true})
	m.Payload = []byte("bad Max-Message-Size")
	add(&m)
	// A 300-byte Proxy-Uri, so that the 14 (2-byte) Extended Length of
	// RFC 8323 section 3.2 is in the corpus.
	m.Reset()
	m.Code = coapmsg.GET
	uri := make([]byte, 300)
	for i := range uri {
		uri[i] = 'a' + byte(i%26)
	}
	m.SetOption(coapmsg.ProxyURI, uri)
	add(&m)
	return out
}

// FuzzCoAPTCPGoCoap feeds the same bytes to coapmsg's DecodeTCP (CoAP over
// TCP, RFC 8323 section 3.2) and to go-coap v3's tcp/coder, with the
// contract of FuzzCoAPGoCoap: whatever coapmsg accepts, go-coap must accept,
// spanning the same n bytes, and read the same code, token, options and
// payload from, except for the documented differences in README.md;
// whatever coapmsg rejects must come with a typed error naming the field.
// Signaling messages (class 7) are decoded by both with the option
// registry of their code.
func FuzzCoAPTCPGoCoap(f *testing.F) {
	for _, s := range coapTCPSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m coapmsg.Message
		n, err := m.DecodeTCP(b)
		if err != nil {
			var e *coapmsg.Error
			if !errors.As(err, &e) || e.Field == "" {
				t.Fatalf("coapmsg rejects %x without a typed error: %v", b, err)
			}
			// ErrBadOption and ErrAbort come with the message filled, as in
			// FuzzCoAPGoCoap: go-coap drops the over-long elective options
			// and keeps the rest, so the two cannot be compared there.
			return
		}
		if gcDiffers(&m) || gcTCPDiffers(&m) {
			return
		}
		gm := message.Message{Options: make(message.Options, 0, len(m.Options)+1), MessageID: -1, Type: message.Unset}
		gn, err := tcpcoder.DefaultCoder.Decode(b, &gm)
		if err != nil {
			t.Fatalf("coapmsg accepts %x, go-coap rejects it: %v", b[:n], err)
		}
		if gn != n {
			t.Fatalf("%x: coapmsg reads a %d-byte frame, go-coap %d bytes", b, n, gn)
		}
		// The TCP format has no Type and no Message ID: go-coap leaves
		// them as they were, coapmsg zero.
		gm.Type, gm.MessageID = 0, 0
		ours, theirs := iotCo(&m), gcCo(&gm)
		if !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("%x: coapmsg and go-coap disagree:\ncoapmsg %+v\ngo-coap %+v", b[:n], ours, theirs)
		}
	})
}

// gcTCPDiffers reports the frames that go-coap v3's TCP coder reads
// differently from RFC 8323; README.md lists them with the rule.
func gcTCPDiffers(m *coapmsg.Message) bool {
	if m.Code>>5 != 7 || m.Code >= coapmsg.CSM && m.Code <= coapmsg.Abort {
		return false
	}
	// A signaling code other than 7.01 to 7.05: its option numbers are its
	// own (RFC 8323 5.2), and coapmsg, knowing none, keeps the elective ones
	// (critical ones abort). go-coap reads them with the request/response
	// registry of RFC 7252 and drops an elective option whose length breaks
	// that registry's entry (an empty ETag, say).
	for _, o := range m.Options {
		def, ok := message.CoapOptionDefs[message.OptionID(o.Number)]
		if ok && !o.Number.Critical() && (def.ValueFormat == message.ValueUnknown ||
			uint32(len(o.Value)) < def.MinLen || uint32(len(o.Value)) > def.MaxLen) {
			return true
		}
	}
	return false
}

// TestGoCoapTCPDifferences pins the frames gcTCPDiffers skips: each is
// valid (coapmsg accepts it) and go-coap still reads it differently. When a
// go-coap release fixes one, this test fails: drop the case, its rule and
// its row in README.md.
func TestGoCoapTCPDifferences(t *testing.T) {
	for _, c := range []struct {
		name string
		wire []byte
	}{
		// Len 4, TKL 1, code 7.31, token 30, options 4 "0", 4 "" and 6 "".
		{"7.31 with an empty option 4 (RFC 8323 5.2)", []byte{0x41, 0xff, 0x30, 0x41, 0x30, 0x00, 0x20}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var m coapmsg.Message
			if n, err := m.DecodeTCP(c.wire); err != nil || n != len(c.wire) {
				t.Fatalf("coapmsg: n = %d, %v", n, err)
			}
			if !gcTCPDiffers(&m) {
				t.Fatal("gcTCPDiffers does not skip it")
			}
			gm := message.Message{Options: make(message.Options, 0, 16)}
			_, err := tcpcoder.DefaultCoder.Decode(c.wire, &gm)
			gm.Type, gm.MessageID = 0, 0
			if err == nil && reflect.DeepEqual(iotCo(&m), gcCo(&gm)) {
				t.Fatal("go-coap now reads it as coapmsg does")
			}
		})
	}
}
