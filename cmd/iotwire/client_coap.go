package main

// iotwire coap get|put|post|delete|observe URI: a CoAP client over UDP
// (coap://), DTLS with a pre-shared key (coaps://), TCP (coap+tcp://) and
// TLS (coaps+tcp://), on transport/udp, transport/udp/dtls and
// transport/tcp.

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"math/bits"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport"
	"github.com/iotwire/iotwire/transport/tcp"
	"github.com/iotwire/iotwire/transport/udp"
	"github.com/iotwire/iotwire/transport/udp/dtls"
	"github.com/iotwire/iotwire/transport/ws"
)

// Transmission parameters of RFC 7252 section 4.8.
const (
	coapMaxRetransmit    = 4
	coapAckRandomFactor  = 1.5
	coapDefaultTimeout   = 2 * time.Second // ACK_TIMEOUT
	coapMaxBody          = 16 << 20        // largest body assembled from Block2 blocks
	coapTCPMaxMessage    = 64 << 10        // Max-Message-Size announced in our CSM over TCP
	coapDatagramReadSize = 64 << 10
)

// coapFlags are the flags of iotwire coap.
type coapFlags struct {
	payload, payloadFile  string
	contentFormat, accept string
	timeout               time.Duration
	pskIdentity, pskKey   string
	insecure              bool
	ca                    string
	count                 int
	json                  bool
	smpp, smsNumber       string // sms://: the SMPP endpoint and our number
	modem                 string // sms://: the modem's serial device
	baud                  int
	blockSize             int // Block1: the largest payload sent in one request
}

// clientError is an error that stops a client command: its message
// completes "iotwire: coap get URI: " or "iotwire: mqtt sub URL: ".
type clientError struct{ msg string }

func (e *clientError) Error() string { return e.msg }

func failf(parts ...string) error { return &clientError{strings.Join(parts, "")} }

// netErrText is a network error without the operation and addresses that
// the sentence around it already gives: "connection refused", "timed out".
func netErrText(err error) string {
	var errno syscall.Errno
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &errno):
		return errno.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.As(err, &oe) && oe.Err != nil:
		return oe.Err.Error()
	}
	return err.Error()
}

// runCoAP runs "iotwire coap METHOD URI [flags]".
func runCoAP(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, "coap: missing method (get, put, post, delete or observe)")
	}
	method := args[0]
	var code coapmsg.Code
	switch method {
	case "get", "observe":
		code = coapmsg.GET
	case "put":
		code = coapmsg.PUT
	case "post":
		code = coapmsg.POST
	case "delete":
		code = coapmsg.DELETE
	case "help", "-h", "-help", "--help":
		io.WriteString(stdout, coapHelpText)
		return exitOK
	default:
		return usageError(stderr, "coap: unknown method "+quote(method)+" (get, put, post, delete or observe)")
	}
	fs := flag.NewFlagSet("coap", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f coapFlags
	fs.StringVar(&f.payload, "payload", "", "request payload")
	fs.StringVar(&f.payloadFile, "payload-file", "", "file holding the request payload (- for standard input)")
	fs.StringVar(&f.contentFormat, "content-format", "", "Content-Format of the payload")
	fs.StringVar(&f.accept, "accept", "", "Accept option")
	fs.DurationVar(&f.timeout, "timeout", coapDefaultTimeout, "initial retransmission timeout (UDP) or response timeout / 2^5")
	fs.StringVar(&f.pskIdentity, "psk-identity", "", "DTLS PSK identity")
	fs.StringVar(&f.pskKey, "psk-key", "", "DTLS PSK key: text, or hex after 0x or hex:")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify the TLS server certificate")
	fs.StringVar(&f.ca, "ca", "", "PEM file of the CAs that verify the TLS server")
	fs.IntVar(&f.count, "count", 0, "observe: stop after N notifications")
	fs.StringVar(&f.smpp, "smpp", "", "sms: the SMSC, smpp://system_id:password@host:port")
	fs.StringVar(&f.smsNumber, "sms-number", "", "sms: our own number (the SMPP source address)")
	fs.StringVar(&f.modem, "modem", "", "sms: the modem's serial device (PDU mode)")
	fs.IntVar(&f.baud, "baud", 115200, "sms: the modem's baud rate")
	fs.IntVar(&f.blockSize, "block-size", 1024, "put, post: send a larger payload in Block1 blocks of this size (16 to 1024, a power of two)")
	fs.BoolVar(&f.json, "json", false, "print responses as JSON")
	pos, err := parseInterspersed(fs, args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		io.WriteString(stdout, coapHelpText)
		return exitOK
	case err != nil:
		return usageError(stderr, "coap "+method+": "+err.Error())
	case len(pos) != 1:
		return usageError(stderr, "coap "+method+": want exactly one URI")
	case f.payload != "" && f.payloadFile != "":
		return usageError(stderr, "coap "+method+": --payload and --payload-file exclude each other")
	case f.timeout <= 0:
		return usageError(stderr, "coap "+method+": --timeout must be positive")
	case f.count < 0:
		return usageError(stderr, "coap "+method+": --count must not be negative")
	case f.blockSize < 16 || f.blockSize > 1024 || f.blockSize&(f.blockSize-1) != 0:
		return usageError(stderr, "coap "+method+": --block-size must be 16, 32, 64, 128, 256, 512 or 1024 (RFC 7959 2.2)")
	}
	uri := pos[0]
	prefix := "iotwire: coap " + method + " " + uri + ": "
	req, target, err := coapRequest(code, uri, &f, stdin)
	if err != nil {
		return usageError(stderr, "coap "+method+" "+uri+": "+err.Error())
	}
	if method == "observe" {
		req.SetObserve(coapmsg.ObserveRegister)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err = coapRun(ctx, method, req, target, &f, stdout)
	var ce *clientError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ce):
		io.WriteString(stderr, prefix+ce.msg+"\n")
	default:
		io.WriteString(stderr, prefix+err.Error()+"\n")
	}
	return exitMalformed
}

// coapTarget is where a request goes.
type coapTarget struct {
	scheme string // coap, coaps, coap+tcp, coaps+tcp
	host   string // as in the URI, without brackets
	addr   string // host:port
}

func (t *coapTarget) reliable() bool {
	return strings.HasSuffix(t.scheme, "+tcp") || strings.HasSuffix(t.scheme, "+ws")
}

// coapRequest builds the request for uri (RFC 7252 section 6.4: the URI's
// host, port, path and query become options).
func coapRequest(code coapmsg.Code, uri string, f *coapFlags, stdin io.Reader) (*coapmsg.Message, *coapTarget, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, nil, errors.New("not a URI")
	}
	t := &coapTarget{scheme: u.Scheme, host: u.Hostname()}
	port := "5683"
	switch u.Scheme {
	case "coap", "coap+tcp":
	case "coaps", "coaps+tcp":
		port = "5684"
	case "coap+ws":
		port = "80" // RFC 8323 8.4: the ports of ws and wss
	case "coaps+ws":
		port = "443"
	case "sms":
		// LwM2M's SMS binding: the host is the telephone number.
		port = ""
	default:
		return nil, nil, errors.New("the scheme must be coap, coaps, coap+tcp, coaps+tcp, coap+ws, coaps+ws or sms")
	}
	if t.host == "" || u.User != nil || u.Opaque != "" {
		return nil, nil, errors.New("the URI needs a host (coap://host[:port]/path)")
	}
	if u.Fragment != "" {
		return nil, nil, errors.New("a CoAP URI has no fragment (RFC 7252 6.4)")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	t.addr = net.JoinHostPort(t.host, port)
	if u.Scheme == "sms" {
		if u.Port() != "" {
			return nil, nil, errors.New("an sms:// URI has no port")
		}
		t.addr = t.host
	}
	m := &coapmsg.Message{Code: code}
	if net.ParseIP(t.host) == nil && u.Scheme != "sms" {
		m.AddOption(coapmsg.URIHost, []byte(t.host))
	}
	if p := u.EscapedPath(); p != "" && p != "/" {
		for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
			s, err := url.PathUnescape(seg)
			if err != nil {
				return nil, nil, errors.New("bad percent-encoding in the path")
			}
			m.AddOption(coapmsg.URIPath, []byte(s))
		}
	}
	if u.RawQuery != "" {
		for _, q := range strings.Split(u.RawQuery, "&") {
			s, err := url.QueryUnescape(q)
			if err != nil {
				return nil, nil, errors.New("bad percent-encoding in the query")
			}
			m.AddOption(coapmsg.URIQuery, []byte(s))
		}
	}
	if f.contentFormat != "" {
		cf, ok := parseMediaType(f.contentFormat)
		if !ok {
			return nil, nil, errors.New("--content-format: unknown format " + quote(f.contentFormat))
		}
		m.SetUint(coapmsg.ContentFormat, uint64(cf))
	}
	if f.accept != "" {
		cf, ok := parseMediaType(f.accept)
		if !ok {
			return nil, nil, errors.New("--accept: unknown format " + quote(f.accept))
		}
		m.SetUint(coapmsg.Accept, uint64(cf))
	}
	switch {
	case f.payload != "":
		m.Payload = []byte(f.payload)
	case f.payloadFile == "-":
		m.Payload, err = io.ReadAll(stdin)
	case f.payloadFile != "":
		m.Payload, err = os.ReadFile(f.payloadFile)
	}
	if err != nil {
		return nil, nil, err
	}
	if len(m.Payload) > 0 && (code == coapmsg.GET || code == coapmsg.DELETE) {
		return nil, nil, errors.New("a GET or DELETE request has no payload")
	}
	return m, t, nil
}

// mediaAliases are short names for common Content-Formats.
var mediaAliases = map[string]coapmsg.MediaType{
	"text": 0, "link": 40, "xml": 41, "octet": 42, "exi": 47, "json": 50, "cbor": 60,
	"senml+json": 110, "senml+cbor": 112, "tlv": 11542, "lwm2m+json": 11543, "lwm2m+cbor": 11544,
}

// parseMediaType reads a Content-Format number, a registry name such as
// "application/json", or an alias such as json.
func parseMediaType(s string) (coapmsg.MediaType, bool) {
	if n, err := strconv.ParseUint(s, 10, 16); err == nil {
		return coapmsg.MediaType(n), true
	}
	if t, ok := mediaAliases[strings.ToLower(s)]; ok {
		return t, true
	}
	for _, t := range mediaAliases {
		if strings.EqualFold(t.Name(), s) {
			return t, true
		}
	}
	return 0, false
}

// coapExchanger sends requests and receives their responses on one
// connection.
type coapExchanger interface {
	// request sends req (its type, message ID and token are set here) and
	// returns the response, valid until the next call.
	request(ctx context.Context, req *coapmsg.Message) (*coapmsg.Message, error)
	// next returns the next notification for token (observe); it blocks
	// until one arrives or ctx is done.
	next(ctx context.Context, token []byte) (*coapmsg.Message, error)
	close()
}

// coapRun connects, sends req, follows Block2 and prints the response (or
// the notifications, for observe).
func coapRun(ctx context.Context, method string, req *coapmsg.Message, t *coapTarget, f *coapFlags, stdout io.Writer) error {
	dialCtx, cancel := context.WithTimeout(ctx, f.timeout*(1<<(coapMaxRetransmit+1)))
	x, err := coapDial(dialCtx, t, f)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return failf("interrupted")
		}
		return err
	}
	defer x.close()
	req.Token = newToken()
	var resp *coapmsg.Message
	if len(req.Payload) > f.blockSize {
		resp, err = coapUpload(ctx, x, req, f.blockSize)
	} else {
		resp, err = x.request(ctx, req)
	}
	if err != nil {
		return err
	}
	var first coapmsg.Message
	resp.CopyTo(&first, nil)
	body, err := coapBlocks(ctx, x, req, &first)
	if err != nil {
		return err
	}
	if err := coapPrint(stdout, &first, body, t, f); err != nil {
		return err
	}
	if err := coapStatus(&first, body); err != nil {
		return err
	}
	if method != "observe" {
		return nil
	}
	if _, ok := first.Observe(); !ok {
		return failf("the server did not register the observation (no Observe option in the response)")
	}
	for n := 1; f.count == 0 || n < f.count; n++ {
		m, err := x.next(ctx, req.Token)
		if err != nil {
			if ctx.Err() != nil {
				return nil // Ctrl-C ends an observation normally
			}
			return err
		}
		var note coapmsg.Message
		m.CopyTo(&note, nil)
		body, err := coapBlocks(ctx, x, req, &note)
		if err != nil {
			return err
		}
		if err := coapPrint(stdout, &note, body, t, f); err != nil {
			return err
		}
		if err := coapStatus(&note, body); err != nil {
			return err // an error response ends the observation (RFC 7641 3.2)
		}
		if _, ok := note.Observe(); !ok {
			return nil // the server ended the observation
		}
	}
	return nil
}

// coapUpload sends req's payload in Block1 blocks of size bytes (RFC 7959
// section 2.5), each acknowledged with 2.31 Continue, and returns the
// response to the last block, or the first response that is not 2.31 (the
// server ending the transfer). A server that asks for smaller blocks in
// its 2.31 gets them from the next block on.
func coapUpload(ctx context.Context, x coapExchanger, req *coapmsg.Message, size int) (*coapmsg.Message, error) {
	payload := req.Payload
	szx := uint8(bits.TrailingZeros(uint(size)) - 4)
	var blk coapmsg.Message
	for off := 0; ; {
		size := 1 << (szx + 4)
		end := min(off+size, len(payload))
		req.CopyTo(&blk, nil)
		blk.Payload = payload[off:end]
		if err := blk.SetBlock1(coapmsg.Block{Num: uint32(off / size), More: end < len(payload), SZX: szx}); err != nil {
			return nil, failf("cannot send block ", strconv.Itoa(off/size), ": ", err.Error())
		}
		if off == 0 {
			blk.SetSize1(uint32(len(payload))) // RFC 7959 4: the size of the whole
		}
		blk.Token = newToken()
		m, err := x.request(ctx, &blk)
		if err != nil {
			return nil, err
		}
		if end == len(payload) || m.Code != coapmsg.Continue {
			return m, nil
		}
		got, ok, err := m.Block1(false)
		if err != nil || !ok || got.Num != uint32(off/size) {
			return nil, failf("block ", strconv.Itoa(off/size), ": the server acknowledged another block")
		}
		off = end
		if got.SZX < szx {
			szx = got.SZX // the server's preferred size (RFC 7959 2.5)
		}
	}
}

// coapBlocks returns the body of resp, fetching the following Block2 blocks
// when resp is the first of several (RFC 7959 section 2.4).
func coapBlocks(ctx context.Context, x coapExchanger, req, resp *coapmsg.Message) ([]byte, error) {
	body := append([]byte(nil), resp.Payload...)
	blk, ok, err := resp.Block2(false)
	if err != nil {
		return nil, failf("bad Block2 option in the response: ", err.Error())
	}
	if !ok || !blk.More || resp.Code.Class() != 2 {
		return body, nil
	}
	var next coapmsg.Message
	req.CopyTo(&next, nil)
	next.RemoveOption(coapmsg.Observe)
	if next.Code == coapmsg.GET {
		next.Payload = nil
	}
	// The later blocks repeat the request with Block2 set to the block
	// wanted (RFC 7959 section 2.4).
	for blk.More {
		if len(body) > coapMaxBody {
			return nil, failf("response body larger than ", strconv.Itoa(coapMaxBody), " bytes")
		}
		size := blk.Size()
		want := coapmsg.Block{Num: uint32(len(body) / size), SZX: blk.SZX}
		if err := next.SetBlock2(want); err != nil {
			return nil, failf("cannot ask for block ", strconv.Itoa(int(want.Num)), ": ", err.Error())
		}
		next.Token = newToken()
		m, err := x.request(ctx, &next)
		if err != nil {
			return nil, err
		}
		if m.Code.Class() != 2 {
			return nil, failf("block ", strconv.Itoa(int(want.Num)), ": server answered ", m.Code.Dotted(), " ", m.Code.Name())
		}
		got, ok, err := m.Block2(false)
		if err != nil || !ok || got.Offset() != len(body) {
			return nil, failf("block ", strconv.Itoa(int(want.Num)), ": the server sent another block")
		}
		body = append(body, m.Payload...)
		blk = got
	}
	return body, nil
}

// coapPrint writes one response: its body (and a newline when the body does
// not end with one), or with --json its JSON object, with the whole body as
// payload and without the Block2 option.
func coapPrint(w io.Writer, m *coapmsg.Message, body []byte, t *coapTarget, f *coapFlags) error {
	var out []byte
	if f.json {
		if len(body) != len(m.Payload) {
			m.RemoveOption(coapmsg.Block2)
		}
		m.Payload = body
		out = append(appendCoAPJSON(nil, m, t.reliable()), '\n')
	} else if m.Code.Class() == 2 && len(body) > 0 {
		out = body
		if body[len(body)-1] != '\n' {
			out = append(out, '\n')
		}
	}
	if _, err := w.Write(out); err != nil {
		return failf("cannot write the output: ", err.Error())
	}
	return nil
}

// coapStatus turns an error response into an error.
func coapStatus(m *coapmsg.Message, body []byte) error {
	if m.Code.Class() == 2 {
		return nil
	}
	msg := "server answered " + m.Code.Dotted()
	if name := m.Code.Name(); name != "" {
		msg += " " + name
	}
	if len(body) > 0 && isText(body) && !strings.EqualFold(string(body), m.Code.Name()) {
		msg += ": " + string(body)
	}
	return failf(msg)
}

func isText(b []byte) bool {
	for _, c := range string(b) {
		if c < ' ' || c == 0x7f || c == '\uFFFD' {
			return false
		}
	}
	return true
}

func newToken() []byte {
	t := make([]byte, 4)
	rand.Read(t)
	return t
}

// coapDial opens the connection for t.
func coapDial(ctx context.Context, t *coapTarget, f *coapFlags) (coapExchanger, error) {
	switch t.scheme {
	case "sms":
		c, err := smsDial(ctx, t.host, f)
		if err != nil {
			return nil, err
		}
		return newCoAPDatagram(c, f), nil
	case "coap":
		c, err := udp.Dial(ctx, "udp", t.addr, nil)
		if err != nil {
			return nil, failf("cannot reach ", t.addr, ": ", netErrText(err))
		}
		return newCoAPDatagram(c, f), nil
	case "coaps":
		if f.pskIdentity == "" || f.pskKey == "" {
			return nil, failf("coaps needs --psk-identity and --psk-key")
		}
		key, err := parsePSKKey(f.pskKey)
		if err != nil {
			return nil, err
		}
		c, err := dtls.Dial(ctx, "udp", t.addr, &dtls.Config{
			PSK:              func([]byte) ([]byte, error) { return key, nil },
			PSKIdentity:      []byte(f.pskIdentity),
			HandshakeTimeout: f.timeout * (1 << (coapMaxRetransmit + 1)),
		})
		if err != nil {
			return nil, failf("DTLS handshake with ", t.addr, " failed: ", netErrText(err))
		}
		return newCoAPDatagram(c, f), nil
	}
	if strings.HasSuffix(t.scheme, "+ws") {
		return newCoAPWS(ctx, t, f)
	}
	var conf *tls.Config
	if t.scheme == "coaps+tcp" {
		var err error
		if conf, err = tlsConfig(t.host, f.ca, f.insecure); err != nil {
			return nil, err
		}
		conf.NextProtos = []string{"coap"} // RFC 8323 section 4.3 (ALPN)
	}
	c, err := tcp.Dial(ctx, "tcp", t.addr, conf)
	if err != nil {
		return nil, failf("cannot connect to ", t.addr, ": ", netErrText(err))
	}
	return newCoAPStream(c, f)
}

// parsePSKKey reads --psk-key: hex after "0x" or "hex:", text otherwise.
func parsePSKKey(s string) ([]byte, error) {
	for _, p := range []string{"0x", "hex:"} {
		if h, ok := strings.CutPrefix(s, p); ok {
			k, err := hex.DecodeString(h)
			if err != nil || len(k) == 0 {
				return nil, failf("--psk-key: not hex after ", p)
			}
			return k, nil
		}
	}
	return []byte(s), nil
}

// tlsConfig is the client TLS configuration of --ca and --insecure.
func tlsConfig(host, caFile string, insecure bool) (*tls.Config, error) {
	conf := &tls.Config{ServerName: host, InsecureSkipVerify: insecure}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, failf("--ca: ", err.Error())
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(pem) {
			return nil, failf("--ca: no PEM certificate in ", caFile)
		}
	}
	return conf, nil
}

// coapDatagram exchanges messages over a connected datagram transport (UDP
// or DTLS) with the retransmission of RFC 7252 section 4.2.
type coapDatagram struct {
	c       net.Conn
	timeout time.Duration
	mid     uint16
	in, out []byte
	m       coapmsg.Message
	pending []coapmsg.Message // notifications that arrived during a request
}

func newCoAPDatagram(c net.Conn, f *coapFlags) *coapDatagram {
	var r [2]byte
	rand.Read(r[:])
	return &coapDatagram{c: c, timeout: f.timeout, mid: uint16(r[0])<<8 | uint16(r[1]), in: make([]byte, coapDatagramReadSize)}
}

func (d *coapDatagram) close() { d.c.Close() }

// read waits for the next well-formed message until deadline (zero: none)
// or ctx is done; timeout reports an expired deadline.
func (d *coapDatagram) read(ctx context.Context, deadline time.Time) (m *coapmsg.Message, timeout bool, err error) {
	d.c.SetReadDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { d.c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	for {
		n, err := d.c.Read(d.in)
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			return nil, true, nil
		case transport.IsPeerUnreachable(err):
			return nil, false, failf("nothing answers at ", d.c.RemoteAddr().String(), " (", netErrText(err), ")")
		case errors.Is(err, transport.ErrTooLarge):
			continue
		case err != nil:
			return nil, false, err
		}
		if _, err := d.m.Decode(d.in[:n]); err != nil && !errors.Is(err, coapmsg.ErrBadOption) {
			if d.m.Type == coapmsg.Confirmable && errors.Is(err, coapmsg.ErrMalformed) {
				d.send(&coapmsg.Message{Type: coapmsg.Reset, MessageID: d.m.MessageID}) // RFC 7252 4.2
			}
			continue
		}
		return &d.m, false, nil
	}
}

func (d *coapDatagram) send(m *coapmsg.Message) error {
	b, err := m.AppendBinary(d.out[:0])
	if err != nil {
		return failf("cannot encode the request: ", err.Error())
	}
	d.out = b
	if _, err := d.c.Write(b); err != nil {
		if transport.IsPeerUnreachable(err) {
			return failf("nothing answers at ", d.c.RemoteAddr().String(), " (", netErrText(err), ")")
		}
		return err
	}
	return nil
}

func (d *coapDatagram) ack(mid uint16) {
	d.send(&coapmsg.Message{Type: coapmsg.Acknowledgement, MessageID: mid})
}

func (d *coapDatagram) request(ctx context.Context, req *coapmsg.Message) (*coapmsg.Message, error) {
	d.mid++
	req.Type, req.MessageID = coapmsg.Confirmable, d.mid
	var r [1]byte
	rand.Read(r[:])
	// ACK_TIMEOUT times a random factor between 1 and ACK_RANDOM_FACTOR.
	wait := d.timeout + time.Duration(float64(d.timeout)*(coapAckRandomFactor-1)*float64(r[0])/255)
	// MAX_TRANSMIT_WAIT bounds the wait for a separate response.
	maxWait := time.Duration(float64(d.timeout) * float64(int(1)<<(coapMaxRetransmit+1)-1) * coapAckRandomFactor)
	if err := d.send(req); err != nil {
		return nil, err
	}
	acked := false
	deadline := time.Now().Add(wait)
	for retransmits := 0; ; {
		m, timeout, err := d.read(ctx, deadline)
		if err != nil {
			return nil, err
		}
		if timeout {
			if acked {
				return nil, failf("the server acknowledged the request but sent no response within ", maxWait.String())
			}
			if retransmits == coapMaxRetransmit {
				return nil, failf("no answer after ", strconv.Itoa(coapMaxRetransmit), " retransmissions (timeout ", d.timeout.String(), ")")
			}
			retransmits++
			wait *= 2
			deadline = time.Now().Add(wait)
			if err := d.send(req); err != nil {
				return nil, err
			}
			continue
		}
		switch {
		case m.Type == coapmsg.Reset && m.MessageID == req.MessageID:
			return nil, failf("the server rejected the request (RST)")
		case m.Type == coapmsg.Acknowledgement && m.MessageID == req.MessageID && m.Code == coapmsg.Empty:
			if !acked {
				acked = true
				deadline = time.Now().Add(maxWait)
			}
		case m.Code.IsResponse() && string(m.Token) == string(req.Token) &&
			(m.Type == coapmsg.Acknowledgement && m.MessageID == req.MessageID || m.Type != coapmsg.Acknowledgement):
			if m.Type == coapmsg.Confirmable {
				d.ack(m.MessageID)
			}
			return m, nil
		case m.Type == coapmsg.Confirmable && m.Code.IsResponse():
			d.ack(m.MessageID) // an older exchange's, or a notification: keep it for next
			if _, ok := m.Observe(); ok {
				d.keep(m)
			}
		case m.Type == coapmsg.NonConfirmable && m.Code.IsResponse():
			if _, ok := m.Observe(); ok {
				d.keep(m)
			}
		case m.Type == coapmsg.Confirmable:
			d.send(&coapmsg.Message{Type: coapmsg.Reset, MessageID: m.MessageID})
		}
	}
}

// keep stores a notification that arrived while a request was waiting.
func (d *coapDatagram) keep(m *coapmsg.Message) {
	if len(d.pending) < 16 {
		var c coapmsg.Message
		m.CopyTo(&c, nil)
		d.pending = append(d.pending, c)
	}
}

func (d *coapDatagram) next(ctx context.Context, token []byte) (*coapmsg.Message, error) {
	for len(d.pending) > 0 {
		m := d.pending[0]
		d.pending = d.pending[1:]
		if string(m.Token) == string(token) {
			d.m = m
			return &d.m, nil
		}
	}
	for {
		m, _, err := d.read(ctx, time.Time{})
		if err != nil {
			return nil, err
		}
		switch {
		case m.Code.IsResponse() && string(m.Token) == string(token):
			if m.Type == coapmsg.Confirmable {
				d.ack(m.MessageID)
			}
			return m, nil
		case m.Type == coapmsg.Confirmable:
			// Not ours: RST stops the server from sending more (RFC 7641 3.6).
			d.send(&coapmsg.Message{Type: coapmsg.Reset, MessageID: m.MessageID})
		}
	}
}

// coapStream exchanges messages over TCP or TLS (RFC 8323): no types, no
// message IDs, no retransmission; each side starts with a CSM.
type coapStream struct {
	c    coapFramed
	ws   bool // WebSocket framing (RFC 8323 4.2), else TCP (3.2)
	wait time.Duration
	m    coapmsg.Message
}

// coapFramed is a reliable CoAP connection: tcp.CoAPConn or ws.CoAPConn.
type coapFramed interface {
	Next() ([]byte, error)
	WriteMessage(*coapmsg.Message) error
	SetReadDeadline(time.Time) error
	Close() error
}

// newCoAPWS opens CoAP over WebSocket (RFC 8323 section 4) to the host of
// t: the endpoint is /.well-known/coap (8.4), ws:// or wss://.
func newCoAPWS(ctx context.Context, t *coapTarget, f *coapFlags) (*coapStream, error) {
	o := &ws.Options{MaxSize: coapTCPMaxMessage, WriteTimeout: 10 * time.Second}
	scheme := "ws://"
	if t.scheme == "coaps+ws" {
		scheme = "wss://"
		conf, err := tlsConfig(t.host, f.ca, f.insecure)
		if err != nil {
			return nil, err
		}
		o.TLS = conf
	}
	c, err := ws.DialCoAP(ctx, scheme+t.addr+ws.WellKnownCoAP, o)
	if err != nil {
		return nil, failf("cannot open the WebSocket to ", t.addr, ": ", netErrText(err))
	}
	return startStream(&coapStream{c: c, ws: true}, f)
}

func newCoAPStream(c net.Conn, f *coapFlags) (*coapStream, error) {
	return startStream(&coapStream{c: tcp.NewCoAP(c, &tcp.Options{MaxSize: coapTCPMaxMessage, WriteTimeout: 10 * time.Second})}, f)
}

// startStream sends our CSM, which opens every reliable connection (RFC
// 8323 5.3.1).
func startStream(s *coapStream, f *coapFlags) (*coapStream, error) {
	s.wait = time.Duration(float64(f.timeout) * float64(int(1)<<(coapMaxRetransmit+1)-1) * coapAckRandomFactor)
	var csm coapmsg.Message
	csm.SetCSM(coapmsg.CSMOptions{MaxMessageSize: coapTCPMaxMessage})
	if err := s.c.WriteMessage(&csm); err != nil {
		s.c.Close()
		return nil, failf("cannot send the CSM: ", err.Error())
	}
	return s, nil
}

func (s *coapStream) close() { s.c.Close() }

// read returns the next request or response, answering signaling
// messages on the way (RFC 8323 section 5).
func (s *coapStream) read(ctx context.Context, deadline time.Time) (*coapmsg.Message, error) {
	s.c.SetReadDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { s.c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	for {
		b, err := s.c.Next()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			return nil, failf("no answer within ", s.wait.String())
		case err == io.EOF:
			return nil, failf("the server closed the connection")
		case err != nil:
			return nil, err
		}
		decode := s.m.DecodeTCP
		if s.ws {
			decode = s.m.DecodeWS
		}
		if _, err := decode(b); err != nil && !errors.Is(err, coapmsg.ErrBadOption) {
			var abort coapmsg.Message
			abort.SetAbort(coapmsg.AbortOptions{})
			s.c.WriteMessage(&abort)
			return nil, failf("malformed message from the server: ", err.Error())
		}
		switch s.m.Code {
		case coapmsg.CSM:
			continue
		case coapmsg.Ping:
			var pong coapmsg.Message
			pong.SetPong(coapmsg.PingOptions{})
			pong.Token = s.m.Token
			s.c.WriteMessage(&pong)
			continue
		case coapmsg.Release, coapmsg.Abort:
			msg := "the server ended the connection (" + s.m.Code.Dotted() + " " + s.m.Code.Name()
			if len(s.m.Payload) > 0 && isText(s.m.Payload) {
				msg += ": " + string(s.m.Payload)
			}
			return nil, failf(msg, ")")
		}
		if s.m.Code.IsSignaling() {
			continue
		}
		return &s.m, nil
	}
}

func (s *coapStream) request(ctx context.Context, req *coapmsg.Message) (*coapmsg.Message, error) {
	if err := s.c.WriteMessage(req); err != nil {
		return nil, failf("cannot send the request: ", err.Error())
	}
	deadline := time.Now().Add(s.wait)
	for {
		m, err := s.read(ctx, deadline)
		if err != nil {
			return nil, err
		}
		if m.Code.IsResponse() && string(m.Token) == string(req.Token) {
			return m, nil
		}
	}
}

func (s *coapStream) next(ctx context.Context, token []byte) (*coapmsg.Message, error) {
	for {
		m, err := s.read(ctx, time.Time{})
		if err != nil {
			return nil, err
		}
		if m.Code.IsResponse() && string(m.Token) == string(token) {
			return m, nil
		}
	}
}

const coapHelpText = `usage: iotwire coap get|put|post|delete|observe URI [flags]

URI is coap://host[:port]/path?query (UDP, port 5683), coaps:// (DTLS with a
pre-shared key, 5684), coap+tcp:// (TCP, 5683), coaps+tcp:// (TLS, 5684),
coap+ws:// or coaps+ws:// (WebSocket at /.well-known/coap, 80 or 443) or
sms://+NUMBER/path (LwM2M's SMS binding: binary SMS, concatenated when
needed, through an SMSC with --smpp or a modem with --modem).

  --payload TEXT          request payload (put, post)
  --payload-file FILE     request payload from FILE ("-": standard input)
  --content-format CF     Content-Format: a number, a name such as
                          application/json, or text, link, octet, json,
                          cbor, senml+json, senml+cbor, tlv, lwm2m+json,
                          lwm2m+cbor
  --accept CF             Accept option, same forms
  --timeout D             UDP: the initial retransmission timeout (default
                          2s), doubled at each of 4 retransmissions (RFC 7252
                          4.2); TCP: the wait for a response is 46.5 times D
  --psk-identity ID       coaps: the PSK identity
  --psk-key KEY           coaps: the key, as text, or hex after 0x or hex:
  --ca FILE, --insecure   coaps+tcp, coaps+ws: CAs that verify the server (PEM), or no
                          verification
  --count N               observe: stop after N notifications (default: until
                          Ctrl-C)
  --block-size N          put, post: a payload longer than N bytes is sent in
                          Block1 blocks of N (RFC 7959; 16 to 1024, default
                          1024)
  --smpp URL              sms: send through the SMSC at
                          smpp://system_id:password@host:port (SMPP 3.4)
  --sms-number NUMBER     sms with --smpp: our own number, the source address
  --modem DEVICE          sms: send through the modem on the serial DEVICE
                          (3GPP TS 27.005 PDU mode), such as /dev/ttyUSB0
  --baud N                sms with --modem: the baud rate (default 115200)
  --json                  print each response as a JSON object (the contract
                          of iotwire decode --proto coap or coap+tcp), the
                          payload holding the whole body

A response body is printed as is, followed by a newline when it does not end
with one. A response spread over Block2 blocks is fetched block by block and
printed once. Exit status: 0 for a 2.xx response, 1 for an error response or
a failed exchange, 2 for usage errors.
`
