package bench

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
)

// The CoAP cases compare iotwire's coapmsg with go-coap's message coders.
// They run under the same BenchmarkDecode and BenchmarkEncode as the MQTT
// cases, with msg= names starting with "coap".

// The message content the CoAP cases share.
const (
	coapMID      = 0x5a3c             // Message ID of the UDP cases
	coapToken    = "\x7e\x21\x9c\x04" // the 4-byte token of most cases
	coapToken8   = "\x7e\x21\x9c\x04\x31\x0b\xe2\x58"
	coapHost     = "coap.example.net"
	coapObserve  = 0x2a1f // Observe sequence number of the notification
	coapBlock2   = 0x1d   // Block2 NUM=1, M=1, SZX=5 (512 bytes)
	coapLinks    = "</1/0>,</3/0>,</3303/0>,</3303/1>"
	coapRegQuery = "ep=node-1&lt=300&lwm2m=1.1&b=U"

	// Content-Formats and Accept values (RFC 7252 12.3, OMA LwM2M).
	cfLinkFormat = 40
	cfJSON       = 50
	cfLwM2MTLV   = 11542
	cfLwM2MJSON  = 11543
)

// coapPayload returns n printable bytes, the same for every call.
func coapPayload(n int) string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
	var sb strings.Builder
	for i := range n {
		sb.WriteByte(alphabet[(i*7+3)%len(alphabet)])
	}
	return sb.String()
}

// coapProxyURI is the 300-byte Proxy-Uri of coap-300B-option.
var coapProxyURI = func() string {
	s := "coap://gateway.example.net:5683/lwm2m/devices/node-1/objects/3303/0/5700?history="
	return s + coapPayload(300-len(s))
}()

// coapOpt is one option: number and value.
type coapOpt struct {
	Num   uint16
	Value string
}

// coapMsg is what an implementation read from a CoAP message, in one form
// for all implementations, compared with reflect.DeepEqual. The reliable
// transport (TCP) framing has no Type and Message ID: both are 0 there.
// Options is nil when there are none.
type coapMsg struct {
	Type    byte
	Code    byte
	MID     uint16
	Token   string
	Options []coapOpt // in wire order
	Payload string
}

// coapCase is one CoAP message of the comparison.
type coapCase struct {
	name string  // the msg= sub-benchmark name
	tcp  bool    // framed for reliable transports (RFC 8323) rather than UDP
	want coapMsg // what every implementation must read from wire
	wire []byte  // the message, encoded once by coapmsg
}

// uintOpt returns option n holding v in minimal form: big-endian, without
// leading zero bytes (RFC 7252 3.2).
func uintOpt(n coapmsg.OptionNumber, v uint64) coapOpt {
	var b []byte
	for ; v > 0; v >>= 8 {
		b = append([]byte{byte(v)}, b...)
	}
	return coapOpt{uint16(n), string(b)}
}

func strOpt(n coapmsg.OptionNumber, s string) coapOpt { return coapOpt{uint16(n), s} }

// coapCases returns the compared CoAP messages with their wire bytes.
func coapCases(tb testing.TB) []*coapCase {
	const (
		con = byte(coapmsg.Confirmable)
		non = byte(coapmsg.NonConfirmable)
		ack = byte(coapmsg.Acknowledgement)
	)
	readReq := coapMsg{Type: con, Code: byte(coapmsg.GET), MID: coapMID, Token: coapToken, Options: []coapOpt{
		strOpt(coapmsg.URIPath, "3"), strOpt(coapmsg.URIPath, "0"), uintOpt(coapmsg.Accept, cfLwM2MTLV)}}
	readResp := coapMsg{Type: ack, Code: byte(coapmsg.Content), MID: coapMID, Token: coapToken, Options: []coapOpt{
		uintOpt(coapmsg.ContentFormat, cfLwM2MTLV)}, Payload: coapPayload(64)}
	tcpReq, tcpResp := readReq, readResp
	tcpReq.Type, tcpReq.MID, tcpResp.Type, tcpResp.MID = 0, 0, 0, 0

	cs := []*coapCase{
		{name: "coap-lwm2m-read-req", want: readReq},
		{name: "coap-con-get-4opts", want: coapMsg{Type: con, Code: byte(coapmsg.GET), MID: coapMID, Token: coapToken,
			Options: []coapOpt{strOpt(coapmsg.URIHost, coapHost), strOpt(coapmsg.URIPath, "sensors"),
				strOpt(coapmsg.URIPath, "temperature"), uintOpt(coapmsg.Accept, cfJSON)}}},
		{name: "coap-lwm2m-read-resp", want: readResp},
		{name: "coap-content-64B", want: coapMsg{Type: non, Code: byte(coapmsg.Content), MID: coapMID, Token: coapToken,
			Options: []coapOpt{uintOpt(coapmsg.ContentFormat, cfJSON)}, Payload: coapPayload(64)}},
		{name: "coap-block2-observe", want: coapMsg{Type: non, Code: byte(coapmsg.Content), MID: coapMID, Token: coapToken8,
			Options: []coapOpt{uintOpt(coapmsg.Observe, coapObserve), uintOpt(coapmsg.ContentFormat, cfLwM2MJSON),
				uintOpt(coapmsg.Block2, coapBlock2)}, Payload: coapPayload(512)}},
		{name: "coap-300B-option", want: coapMsg{Type: con, Code: byte(coapmsg.GET), MID: coapMID, Token: coapToken,
			Options: []coapOpt{strOpt(coapmsg.ProxyURI, coapProxyURI)}}},
		{name: "coap-lwm2m-register", want: coapMsg{Type: con, Code: byte(coapmsg.POST), MID: coapMID, Token: coapToken,
			Options: []coapOpt{strOpt(coapmsg.URIPath, "rd"), uintOpt(coapmsg.ContentFormat, cfLinkFormat),
				strOpt(coapmsg.URIQuery, "ep=node-1"), strOpt(coapmsg.URIQuery, "lt=300"),
				strOpt(coapmsg.URIQuery, "lwm2m=1.1"), strOpt(coapmsg.URIQuery, "b=U")},
			Payload: coapLinks}},
		{name: "coap+tcp-lwm2m-read-req", tcp: true, want: tcpReq},
		{name: "coap+tcp-lwm2m-read-resp", tcp: true, want: tcpResp},
	}
	for _, c := range cs {
		var err error
		if c.wire, err = coapIotEncode(coapIotMessage(c.name), c.tcp, nil); err != nil {
			tb.Fatalf("%s: coapmsg encode: %v", c.name, err)
		}
	}
	return cs
}

// coapImpl is one compared CoAP implementation.
type coapImpl struct {
	name string

	// benchDecode and benchEncode run the benchmark loop of case c after
	// their own setup: decode c.wire, or encode the case's message value.
	benchDecode func(b *testing.B, c *coapCase)
	benchEncode func(b *testing.B, c *coapCase)

	// decodeOnce and encodeOnce are the same operations run once, for
	// TestSameCoAPMessage.
	decodeOnce func(c *coapCase) (coapMsg, error)
	encodeOnce func(c *coapCase) ([]byte, error)
}

var coapImpls = []coapImpl{
	{"iotwire", coapIotBenchDecode, coapIotBenchEncode, coapIotDecodeOnce, coapIotEncodeOnce},
	{"go-coap", gcBenchDecode, gcBenchEncode, gcDecodeOnce, gcEncodeOnce},
}

// runCoAP is run for the CoAP cases: one sub-benchmark per case and
// implementation, with the size of the case's wire bytes for MB/s.
func runCoAP(b *testing.B, fn func(im *coapImpl) func(*testing.B, *coapCase)) {
	for _, c := range coapCases(b) {
		b.Run("msg="+c.name, func(b *testing.B) {
			for i := range coapImpls {
				im := &coapImpls[i]
				b.Run("impl="+im.name, func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(len(c.wire)))
					fn(im)(b, c)
				})
			}
		})
	}
}

// TestSameCoAPMessage checks that every implementation reads the same CoAP
// message from the shared wire bytes, and that what each one encodes
// decodes with coapmsg to that message.
func TestSameCoAPMessage(t *testing.T) {
	for _, c := range coapCases(t) {
		for i := range coapImpls {
			im := &coapImpls[i]
			t.Run(c.name+"/"+im.name, func(t *testing.T) {
				got, err := im.decodeOnce(c)
				if err != nil {
					t.Fatalf("decode %x: %v", c.wire, err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("decode %x:\n got %+v\nwant %+v", c.wire, got, c.want)
				}

				out, err := im.encodeOnce(c)
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				var m coapmsg.Message
				n, err := coapIotDecode(&m, out, c.tcp)
				if err != nil {
					t.Fatalf("coapmsg rejects the %s encoding %x: %v", im.name, out, err)
				}
				if n != len(out) {
					t.Errorf("coapmsg decoded %d of the %d bytes %x", n, len(out), out)
				}
				if got := coapIotMsg(&m); !reflect.DeepEqual(got, c.want) {
					t.Errorf("coapmsg decode of the %s encoding %x:\n got %+v\nwant %+v", im.name, out, got, c.want)
				}
				if !bytes.Equal(out, c.wire) {
					t.Logf("%s encodes %d bytes %x; coapmsg %d bytes %x", im.name, len(out), out, len(c.wire), c.wire)
				}
			})
		}
	}
}
