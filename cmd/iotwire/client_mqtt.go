package main

// iotwire mqtt pub|sub URL: an MQTT 3.1.1 and 5.0 client over TCP
// (mqtt://), TLS (mqtts://) and WebSockets (ws://, wss://), on
// transport/tcp and transport/ws.

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iotwire/iotwire/mqttpkt"
	"github.com/iotwire/iotwire/transport/tcp"
	"github.com/iotwire/iotwire/transport/ws"
)

// mqttFlags are the flags of iotwire mqtt.
type mqttFlags struct {
	version            string
	qos                int
	topics             stringList
	message, msgFile   string
	retain             bool
	clientID           string
	username, password string
	keepAlive          int
	count              int
	verbose, json      bool
	insecure           bool
	ca                 string
	timeout            time.Duration
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// runMQTT runs "iotwire mqtt pub|sub URL [flags]".
func runMQTT(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, "mqtt: missing command (pub or sub)")
	}
	cmd := args[0]
	switch cmd {
	case "pub", "sub":
	case "help", "-h", "-help", "--help":
		io.WriteString(stdout, mqttHelpText)
		return exitOK
	default:
		return usageError(stderr, "mqtt: unknown command "+quote(cmd)+" (pub or sub)")
	}
	fs := flag.NewFlagSet("mqtt", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f mqttFlags
	fs.StringVar(&f.version, "version", "3.1.1", "protocol version: 3.1.1 or 5")
	fs.IntVar(&f.qos, "qos", 0, "QoS: 0, 1 or 2")
	fs.Var(&f.topics, "topic", "topic (pub) or topic filter (sub, repeatable)")
	fs.Var(&f.topics, "t", "short for --topic")
	fs.StringVar(&f.message, "message", "", "message to publish")
	fs.StringVar(&f.message, "m", "", "short for --message")
	fs.StringVar(&f.msgFile, "message-file", "", "file holding the message (- for standard input)")
	fs.BoolVar(&f.retain, "retain", false, "publish a retained message")
	fs.StringVar(&f.clientID, "client-id", "", "client identifier (default: iotwire-RANDOM)")
	fs.StringVar(&f.username, "username", "", "user name")
	fs.StringVar(&f.password, "password", "", "password")
	fs.IntVar(&f.keepAlive, "keepalive", 60, "keep alive in seconds")
	fs.IntVar(&f.count, "count", 0, "sub: stop after N messages")
	fs.BoolVar(&f.verbose, "v", false, "sub: print the topic before each message")
	fs.BoolVar(&f.json, "json", false, "print every packet from the broker as JSON")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify the TLS server certificate")
	fs.StringVar(&f.ca, "ca", "", "PEM file of the CAs that verify the TLS server")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "bound on connecting and on each acknowledgement")
	pos, err := parseInterspersed(fs, args[1:])
	var v mqttpkt.Version
	switch f.version {
	case "3.1.1", "4", "311":
		v = mqttpkt.V311
	case "5", "5.0":
		v = mqttpkt.V5
	}
	usage := func(msg string) int { return usageError(stderr, "mqtt "+cmd+": "+msg) }
	switch {
	case errors.Is(err, flag.ErrHelp):
		io.WriteString(stdout, mqttHelpText)
		return exitOK
	case err != nil:
		return usage(err.Error())
	case len(pos) != 1:
		return usage("want exactly one broker URL")
	case v == 0:
		return usage("--version must be 3.1.1 or 5")
	case f.qos < 0 || f.qos > 2:
		return usage("--qos must be 0, 1 or 2")
	case len(f.topics) == 0:
		return usage("missing --topic")
	case cmd == "pub" && len(f.topics) > 1:
		return usage("pub takes one --topic")
	case cmd == "pub" && f.message != "" && f.msgFile != "":
		return usage("--message and --message-file exclude each other")
	case f.keepAlive < 0 || f.keepAlive > 65535:
		return usage("--keepalive must be 0 to 65535")
	case f.count < 0:
		return usage("--count must not be negative")
	case f.timeout <= 0:
		return usage("--timeout must be positive")
	case f.password != "" && f.username == "" && v == mqttpkt.V311:
		return usage("MQTT 3.1.1 sends a password only with a user name")
	}
	for _, t := range f.topics {
		var err error
		if cmd == "pub" {
			err = mqttpkt.ValidateTopicName([]byte(t))
		} else {
			err = mqttpkt.ValidateTopicFilter([]byte(t), v)
		}
		if err != nil {
			return usage("bad topic " + quote(t) + ": " + mqttErrorText(err))
		}
	}
	var payload []byte
	switch {
	case cmd == "sub":
	case f.msgFile == "-":
		payload, err = io.ReadAll(stdin)
	case f.msgFile != "":
		payload, err = os.ReadFile(f.msgFile)
	default:
		payload = []byte(f.message)
	}
	if err != nil {
		return usage(err.Error())
	}
	broker := pos[0]
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c := &mqttClient{f: &f, v: v, out: stdout}
	err = c.connect(ctx, broker)
	if err == nil {
		if cmd == "pub" {
			err = c.publish(ctx, payload)
		} else {
			err = c.subscribe(ctx)
		}
		c.close()
	}
	if err != nil {
		var ce *clientError
		msg := err.Error()
		if ctx.Err() != nil && !errors.As(err, &ce) {
			msg = "interrupted"
		}
		io.WriteString(stderr, "iotwire: mqtt "+cmd+" "+broker+": "+msg+"\n")
		return exitMalformed
	}
	return exitOK
}

// mqttErrorText is an mqttpkt error without its package prefix.
func mqttErrorText(err error) string {
	var pe *mqttpkt.Error
	if errors.As(err, &pe) {
		return pe.Message()
	}
	var te *mqttpkt.TopicError
	if errors.As(err, &te) {
		return strings.TrimPrefix(te.Error(), "mqttpkt: ")
	}
	return err.Error()
}

// mqttClient is one session with a broker.
type mqttClient struct {
	f   *mqttFlags
	v   mqttpkt.Version
	out io.Writer
	m   *tcp.MQTTConn

	wmu    sync.Mutex // serialises output and close
	closed bool
	stop   chan struct{} // closed by close: ends the pinger
}

// connect opens the connection and runs CONNECT / CONNACK.
func (c *mqttClient) connect(ctx context.Context, broker string) error {
	u, err := url.Parse(broker)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return failf("not a broker URL (mqtt://host[:port], mqtts://, ws://host[:port]/path, wss://)")
	}
	dctx, cancel := context.WithTimeout(ctx, c.f.timeout)
	defer cancel()
	port := map[string]string{"mqtt": "1883", "mqtts": "8883", "ws": "80", "wss": "443"}[u.Scheme]
	if port == "" {
		return failf("the scheme must be mqtt, mqtts, ws or wss")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	addr := net.JoinHostPort(u.Hostname(), port)
	// recv owns the read deadline (the framer's ReadTimeout would reset
	// it before each read and override --timeout and Ctrl-C).
	opts := tcp.Options{WriteTimeout: c.f.timeout}
	switch u.Scheme {
	case "mqtt", "mqtts":
		var conf *tls.Config
		if u.Scheme == "mqtts" {
			if conf, err = tlsConfig(u.Hostname(), c.f.ca, c.f.insecure); err != nil {
				return err
			}
		}
		nc, err := tcp.Dial(dctx, "tcp", addr, conf)
		if err != nil {
			return failf("cannot connect to ", addr, ": ", netErrText(err))
		}
		c.m = tcp.NewMQTT(nc, &opts)
	default:
		wo := &ws.Options{ReadTimeout: opts.ReadTimeout, WriteTimeout: opts.WriteTimeout}
		if u.Scheme == "wss" {
			if wo.TLS, err = tlsConfig(u.Hostname(), c.f.ca, c.f.insecure); err != nil {
				return err
			}
		}
		if u.Path == "" {
			u.Path = "/mqtt"
		}
		c.m, err = ws.DialMQTT(dctx, u.String(), wo)
		if err != nil {
			return failf("cannot open a WebSocket to ", u.String(), ": ", netErrText(err))
		}
	}
	c.stop = make(chan struct{})
	id := c.f.clientID
	if id == "" {
		id = "iotwire-" + strconv.FormatUint(uint64(time.Now().UnixNano()%1e9), 36)
	}
	conn := &mqttpkt.Connect{Version: c.v, CleanStart: true, KeepAlive: uint16(c.f.keepAlive), ClientID: []byte(id)}
	if c.f.username != "" {
		conn.Username = []byte(c.f.username)
	}
	if c.f.password != "" {
		conn.Password = []byte(c.f.password)
	}
	if err := c.send(conn); err != nil {
		return err
	}
	p, err := c.recv(ctx, c.f.timeout)
	if err != nil {
		return err
	}
	ack, ok := p.(*mqttpkt.Connack)
	if !ok {
		return failf("the broker answered CONNECT with ", p.PacketType().String())
	}
	if ack.ReasonCode != mqttpkt.Success {
		return failf("the broker refused the connection: ", reasonText(ack.ReasonCode, mqttpkt.TypeConnack, c.v))
	}
	if c.f.keepAlive > 0 {
		every := time.Duration(c.f.keepAlive) * time.Second / 2
		if ack.Props.Has(mqttpkt.PropServerKeepAlive) && ack.Props.ServerKeepAlive > 0 {
			every = time.Duration(ack.Props.ServerKeepAlive) * time.Second / 2
		}
		go c.ping(every)
	}
	return nil
}

func reasonText(rc mqttpkt.ReasonCode, t mqttpkt.PacketType, v mqttpkt.Version) string {
	return rc.Name(t, v) + " (reason code 0x" + strconv.FormatUint(uint64(rc)|0x100, 16)[1:] + ")"
}

// ping sends PINGREQ every interval until the client closes.
func (c *mqttClient) ping(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			if c.send(&mqttpkt.Pingreq{}) != nil {
				return
			}
		}
	}
}

func (c *mqttClient) send(p mqttpkt.Packet) error {
	if err := c.m.WritePacket(p); err != nil {
		var pe *mqttpkt.Error
		if errors.As(err, &pe) {
			return failf("cannot encode ", p.PacketType().String(), ": ", pe.Message())
		}
		return failf("cannot send ", p.PacketType().String(), ": ", err.Error())
	}
	return nil
}

// recv reads the next packet, printing it with --json; wait bounds it
// when positive. ctx being done ends it.
func (c *mqttClient) recv(ctx context.Context, wait time.Duration) (mqttpkt.Packet, error) {
	limit, what := wait, "no answer from the broker within "+wait.String()
	if c.f.keepAlive > 0 {
		// MQTT 5.0 3.1.2.10: the broker closes a connection silent for 1.5
		// keep alives; we ping at half of one, so twice that is dead.
		if idle := 2 * time.Duration(c.f.keepAlive) * time.Second; limit <= 0 || idle < limit {
			limit, what = idle, "the broker was silent for "+idle.String()+" (twice the keep alive)"
		}
	}
	if limit > 0 {
		c.m.SetReadDeadline(time.Now().Add(limit))
		defer c.m.SetReadDeadline(time.Time{})
	}
	stop := context.AfterFunc(ctx, func() { c.m.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	_, b, err := c.m.NextPacket()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return nil, failf(what)
	case err == io.EOF:
		return nil, failf("the broker closed the connection")
	case err != nil:
		var pe *mqttpkt.Error
		if errors.As(err, &pe) {
			return nil, failf("bad packet from the broker: ", pe.Message())
		}
		return nil, failf("connection lost: ", err.Error())
	}
	p, _, err := mqttpkt.Decode(b, c.v)
	if err != nil {
		return nil, failf("bad packet from the broker: ", mqttErrorText(err))
	}
	if c.f.json {
		if err := c.write(append(appendMQTTJSON(nil, p), '\n')); err != nil {
			return nil, err
		}
	}
	if d, ok := p.(*mqttpkt.Disconnect); ok {
		return nil, failf("the broker disconnected: ", reasonText(d.ReasonCode, mqttpkt.TypeDisconnect, c.v))
	}
	return p, nil
}

func (c *mqttClient) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.out.Write(b); err != nil {
		return failf("cannot write the output: ", err.Error())
	}
	return nil
}

// await reads packets until one of type t with packet identifier id
// (QoS flows), answering what arrives on the way.
func (c *mqttClient) await(ctx context.Context, t mqttpkt.PacketType, id uint16) (mqttpkt.Packet, error) {
	deadline := time.Now().Add(c.f.timeout)
	for {
		wait := time.Until(deadline)
		if wait <= 0 {
			return nil, failf("no ", t.String(), " from the broker within ", c.f.timeout.String())
		}
		p, err := c.recv(ctx, wait)
		if err != nil {
			return nil, err
		}
		switch q := p.(type) {
		case *mqttpkt.Ack:
			if q.Type == t && q.PacketID == id {
				return q, nil
			}
		case *mqttpkt.Suback:
			if t == mqttpkt.TypeSuback && q.PacketID == id {
				return q, nil
			}
		case *mqttpkt.Publish:
			if err := c.acknowledge(q); err != nil {
				return nil, err
			}
		}
	}
}

// acknowledge answers a PUBLISH of QoS 1 or 2 (PUBACK, or PUBREC; the
// PUBREL that follows gets its PUBCOMP in handle).
func (c *mqttClient) acknowledge(p *mqttpkt.Publish) error {
	switch p.QoS {
	case mqttpkt.QoS1:
		return c.send(&mqttpkt.Ack{Type: mqttpkt.TypePuback, Version: c.v, PacketID: p.PacketID})
	case mqttpkt.QoS2:
		return c.send(&mqttpkt.Ack{Type: mqttpkt.TypePubrec, Version: c.v, PacketID: p.PacketID})
	}
	return nil
}

// publish sends one PUBLISH and completes its QoS flow.
func (c *mqttClient) publish(ctx context.Context, payload []byte) error {
	p := &mqttpkt.Publish{Version: c.v, QoS: mqttpkt.QoS(c.f.qos), Retain: c.f.retain, Topic: []byte(c.f.topics[0]), Payload: payload}
	if p.QoS > 0 {
		p.PacketID = 1
	}
	if err := c.send(p); err != nil {
		return err
	}
	switch p.QoS {
	case mqttpkt.QoS1:
		a, err := c.await(ctx, mqttpkt.TypePuback, 1)
		if err != nil {
			return err
		}
		if rc := a.(*mqttpkt.Ack).ReasonCode; rc >= 0x80 {
			return failf("the broker refused the message: ", reasonText(rc, mqttpkt.TypePuback, c.v))
		}
	case mqttpkt.QoS2:
		a, err := c.await(ctx, mqttpkt.TypePubrec, 1)
		if err != nil {
			return err
		}
		if rc := a.(*mqttpkt.Ack).ReasonCode; rc >= 0x80 {
			return failf("the broker refused the message: ", reasonText(rc, mqttpkt.TypePubrec, c.v))
		}
		if err := c.send(&mqttpkt.Ack{Type: mqttpkt.TypePubrel, Version: c.v, PacketID: 1}); err != nil {
			return err
		}
		if _, err := c.await(ctx, mqttpkt.TypePubcomp, 1); err != nil {
			return err
		}
	}
	return c.send(&mqttpkt.Disconnect{Version: c.v})
}

// subscribe subscribes to the filters and prints what arrives until
// --count messages, Ctrl-C or an error.
func (c *mqttClient) subscribe(ctx context.Context) error {
	s := &mqttpkt.Subscribe{Version: c.v, PacketID: 1}
	for _, t := range c.f.topics {
		s.Subscriptions = append(s.Subscriptions, mqttpkt.Subscription{Filter: []byte(t), QoS: mqttpkt.QoS(c.f.qos)})
	}
	if err := c.send(s); err != nil {
		return err
	}
	p, err := c.await(ctx, mqttpkt.TypeSuback, 1)
	if err != nil {
		return err
	}
	for i, rc := range p.(*mqttpkt.Suback).ReasonCodes {
		if rc >= 0x80 && i < len(c.f.topics) {
			return failf("the broker refused the subscription to ", quote(c.f.topics[i]), ": ", reasonText(rc, mqttpkt.TypeSuback, c.v))
		}
	}
	for n := 0; c.f.count == 0 || n < c.f.count; {
		p, err := c.recv(ctx, 0)
		if err != nil {
			if ctx.Err() != nil {
				return c.send(&mqttpkt.Disconnect{Version: c.v}) // Ctrl-C: a normal end
			}
			return err
		}
		switch q := p.(type) {
		case *mqttpkt.Publish:
			n++
			if !c.f.json {
				var line []byte
				if c.f.verbose {
					line = append(append(line, q.Topic...), ' ')
				}
				if err := c.write(append(append(line, q.Payload...), '\n')); err != nil {
					return err
				}
			}
			if err := c.acknowledge(q); err != nil {
				return err
			}
		case *mqttpkt.Ack:
			if q.Type == mqttpkt.TypePubrel {
				if err := c.send(&mqttpkt.Ack{Type: mqttpkt.TypePubcomp, Version: c.v, PacketID: q.PacketID}); err != nil {
					return err
				}
			}
		}
	}
	return c.send(&mqttpkt.Disconnect{Version: c.v})
}

// close ends the pinger and closes the connection.
func (c *mqttClient) close() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closed || c.m == nil {
		return
	}
	c.closed = true
	close(c.stop)
	c.m.Close()
}

const mqttHelpText = `usage: iotwire mqtt pub URL -t TOPIC [-m MESSAGE | --message-file FILE] [flags]
       iotwire mqtt sub URL -t FILTER [-t FILTER...] [flags]

URL is mqtt://host[:port] (TCP, 1883), mqtts:// (TLS, 8883), ws://host[:port]/path
or wss:// (WebSocket, subprotocol mqtt; the path defaults to /mqtt).

  --version V            3.1.1 (default) or 5
  --qos N                0 (default), 1 or 2: of the message (pub), the
                         maximum for the subscriptions (sub)
  -t, --topic T          topic (pub) or topic filter (sub, repeatable)
  -m, --message TEXT     message to publish (default empty)
  --message-file FILE    message from FILE ("-": standard input)
  --retain               pub: retain the message
  --client-id ID         client identifier (default iotwire-RANDOM)
  --username U, --password P
  --keepalive S          keep alive in seconds (default 60, 0: none)
  --count N              sub: stop after N messages (default: until Ctrl-C)
  -v                     sub: print "TOPIC MESSAGE" instead of MESSAGE
  --json                 print every packet from the broker as a JSON object
                         (the contract of iotwire decode --proto mqtt3/mqtt5)
                         instead of the messages
  --ca FILE, --insecure  mqtts, wss: CAs that verify the broker (PEM), or no
                         verification
  --timeout D            bound on connecting and on each acknowledgement
                         (default 10s)

sub prints each message's payload on its own line. Exit status: 0 on success
(and after Ctrl-C), 1 when the broker refuses or the exchange fails, 2 for
usage errors.
`
