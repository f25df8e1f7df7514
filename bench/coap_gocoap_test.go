package bench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	tcpcoder "github.com/plgd-dev/go-coap/v3/tcp/coder"
	udpcoder "github.com/plgd-dev/go-coap/v3/udp/coder"
)

// go-coap: github.com/plgd-dev/go-coap/v3, its raw message coders
// udp/coder and tcp/coder (DefaultCoder.Decode and Encode).
//
// Decoding uses a message.Message reused across iterations, with the
// 16-option slice that pool.NewMessage gives it. The UDP coder resets the
// message itself; before a TCP decode the benchmark clears Token, Options
// and Payload, as pool.Message.Reset does when a message is released. The
// servers decode through pool.Message.UnmarshalWithDecoder, which first
// copies the input into the message's own buffer and wraps a non-empty
// payload in a new bytes.Reader: the benchmark leaves both out, which only
// favours go-coap.
//
// Encoding is DefaultCoder.Encode of a prepared message.Message into a
// reused buffer large enough for it, as pool.Message.MarshalWithEncoder
// does (it also calls Size first, which the benchmark leaves out).

// gcBuilder builds go-coap options with its Options methods, which copy
// the values into buf.
type gcBuilder struct {
	opts message.Options
	buf  []byte
	err  error
}

// use takes the results of an Options method.
func (g *gcBuilder) use(opts message.Options, n int, err error) {
	if err != nil {
		if g.err == nil {
			g.err = err
		}
		return
	}
	g.opts, g.buf = opts, g.buf[n:]
}

// gcMessage returns the go-coap message of case name, built with go-coap's
// option helpers.
func gcMessage(name string) (message.Message, error) {
	m := message.Message{Type: message.Confirmable, MessageID: coapMID, Token: message.Token(coapToken)}
	g := gcBuilder{opts: make(message.Options, 0, 16), buf: make([]byte, 1024)}
	switch name {
	case "coap-lwm2m-read-req", "coap+tcp-lwm2m-read-req":
		m.Code = codes.GET
		g.use(g.opts.SetPath(g.buf, "/3/0"))
		g.use(g.opts.SetAccept(g.buf, message.AppLwm2mTLV))
	case "coap-con-get-4opts":
		m.Code = codes.GET
		g.use(g.opts.SetString(g.buf, message.URIHost, coapHost))
		g.use(g.opts.SetPath(g.buf, "/sensors/temperature"))
		g.use(g.opts.SetAccept(g.buf, message.AppJSON))
	case "coap-lwm2m-read-resp", "coap+tcp-lwm2m-read-resp":
		m.Type, m.Code = message.Acknowledgement, codes.Content
		g.use(g.opts.SetContentFormat(g.buf, message.AppLwm2mTLV))
		m.Payload = []byte(coapPayload(64))
	case "coap-content-64B":
		m.Type, m.Code = message.NonConfirmable, codes.Content
		g.use(g.opts.SetContentFormat(g.buf, message.AppJSON))
		m.Payload = []byte(coapPayload(64))
	case "coap-block2-observe":
		m.Type, m.Code, m.Token = message.NonConfirmable, codes.Content, message.Token(coapToken8)
		g.use(g.opts.SetObserve(g.buf, coapObserve))
		g.use(g.opts.SetContentFormat(g.buf, message.AppLwm2mJSON))
		g.use(g.opts.SetUint32(g.buf, message.Block2, coapBlock2))
		m.Payload = []byte(coapPayload(512))
	case "coap-300B-option":
		m.Code = codes.GET
		g.use(g.opts.SetString(g.buf, message.ProxyURI, coapProxyURI))
	case "coap-lwm2m-register":
		m.Code = codes.POST
		g.use(g.opts.SetPath(g.buf, "/rd"))
		g.use(g.opts.SetContentFormat(g.buf, message.AppLinkFormat))
		for q := range strings.SplitSeq(coapRegQuery, "&") {
			g.use(g.opts.AddString(g.buf, message.URIQuery, q))
		}
		m.Payload = []byte(coapLinks)
	default:
		panic("no go-coap message for " + name)
	}
	if strings.HasPrefix(name, "coap+tcp-") {
		m.Type, m.MessageID = message.Unset, -1 // as in a new pool.Message
	}
	m.Options = g.opts
	return m, g.err
}

// gcDecoder decodes with the UDP or the TCP coder.
type gcDecoder interface {
	Decode(data []byte, m *message.Message) (int, error)
}

// gcEncoder encodes with the UDP or the TCP coder.
type gcEncoder interface {
	Size(m message.Message) (int, error)
	Encode(m message.Message, buf []byte) (int, error)
}

// gcNewMessage returns a message ready for decoding, as pool.NewMessage
// makes it.
func gcNewMessage() *message.Message {
	return &message.Message{Options: make(message.Options, 0, 16), MessageID: -1, Type: message.Unset}
}

func gcBenchDecode(b *testing.B, c *coapCase) {
	m := gcNewMessage()
	wire := c.wire
	if c.tcp {
		for b.Loop() {
			m.Token, m.Options, m.Payload = nil, m.Options[:0], nil
			if _, err := tcpcoder.DefaultCoder.Decode(wire, m); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	for b.Loop() {
		if _, err := udpcoder.DefaultCoder.Decode(wire, m); err != nil {
			b.Fatal(err)
		}
	}
}

func gcBenchEncode(b *testing.B, c *coapCase) {
	m, err := gcMessage(c.name)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 1024)
	if c.tcp {
		for b.Loop() {
			if _, err := tcpcoder.DefaultCoder.Encode(m, buf); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	for b.Loop() {
		if _, err := udpcoder.DefaultCoder.Encode(m, buf); err != nil {
			b.Fatal(err)
		}
	}
}

func gcCoders(tcp bool) (gcDecoder, gcEncoder) {
	if tcp {
		return tcpcoder.DefaultCoder, tcpcoder.DefaultCoder
	}
	return udpcoder.DefaultCoder, udpcoder.DefaultCoder
}

func gcDecodeOnce(c *coapCase) (coapMsg, error) {
	dec, _ := gcCoders(c.tcp)
	m := gcNewMessage()
	n, err := dec.Decode(c.wire, m)
	if err != nil {
		return coapMsg{}, err
	}
	if n != len(c.wire) {
		return coapMsg{}, fmt.Errorf("decoded %d of %d bytes", n, len(c.wire))
	}
	return gcMsg(m, c.tcp), nil
}

func gcEncodeOnce(c *coapCase) ([]byte, error) {
	_, enc := gcCoders(c.tcp)
	m, err := gcMessage(c.name)
	if err != nil {
		return nil, err
	}
	size, err := enc.Size(m)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, size)
	n, err := enc.Encode(m, buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// gcMsg converts a go-coap message to a coapMsg; tcp drops the Type and
// Message ID, which the TCP coder leaves as they were.
func gcMsg(m *message.Message, tcp bool) coapMsg {
	out := coapMsg{Type: byte(m.Type), Code: byte(m.Code), MID: uint16(m.MessageID),
		Token: string(m.Token), Payload: string(m.Payload)}
	if tcp {
		out.Type, out.MID = 0, 0
	}
	for _, o := range m.Options {
		out.Options = append(out.Options, coapOpt{uint16(o.ID), string(o.Value)})
	}
	return out
}
