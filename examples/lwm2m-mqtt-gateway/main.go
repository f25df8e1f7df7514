// Command lwm2m-mqtt-gateway is an LwM2M server that bridges its devices to
// MQTT 5: every registration, notification and Send is published to a
// broker, and read/write/execute/observe commands published on MQTT become
// LwM2M operations, answered on the command's Response Topic with its
// Correlation Data (see package mqttbridge for the topics and payloads).
//
// By default it is a self-contained demo: it starts an embedded MQTT
// broker, a simulated GSM network with an SMSC, and three devices — one
// over CoAP/UDP, one over DTLS with a pre-shared key (and Connection ID),
// one over SMS through a simulated modem — and prints what flows, live,
// including the answer to a command it publishes itself every few
// seconds. Ctrl-C stops everything cleanly.
//
//	go run ./lwm2m-mqtt-gateway                                 # the demo, nothing to install
//	go run ./lwm2m-mqtt-gateway -broker mqtt://127.0.0.1:1883   # a real broker, e.g. mosquitto
//	go run ./lwm2m-mqtt-gateway -demo=false -psk dev-1:000102030405060708090a0b0c0d0e0f
//
// Watch the MQTT side with any client, e.g.
//
//	go run ./cmd/iotwire mqtt sub mqtt://127.0.0.1:1883 -t 'lwm2m/#' --version 5
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/iotwire/iotwire/examples/internal/demolog"

	"github.com/iotwire/iotwire/examples/internal/broker"
	"github.com/iotwire/iotwire/examples/internal/coapep"
	"github.com/iotwire/iotwire/examples/internal/device"
	"github.com/iotwire/iotwire/examples/internal/gateway"
	"github.com/iotwire/iotwire/examples/internal/mqttbridge"
	"github.com/iotwire/iotwire/examples/internal/server"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/smstest"
	"github.com/iotwire/iotwire/transport/udp"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lwm2m-mqtt-gateway:", err)
		}
		os.Exit(1)
	}
}

// The demo's fixed parts.
const (
	gatewayNumber = "+15550000001" // the gateway's number on the simulated network
	smsDevice     = "+15550001001" // the SMS device's
	demoIdentity  = "demo-dtls"
	demoKeyHex    = "000102030405060708090a0b0c0d0e0f"
)

// temperature is the observed resource the gateway streams to MQTT.
var temperature = path.Resource(3303, 0, 5700)

type options struct {
	broker     string
	udp, dtls  string
	psk        map[string][]byte
	demo       bool
	interval   time.Duration
	cmdEvery   time.Duration
	runFor     time.Duration
	quiet      bool
	ackTimeout time.Duration
}

func parseFlags(args []string, out io.Writer) (*options, error) {
	o := &options{psk: map[string][]byte{}}
	fs := flag.NewFlagSet("lwm2m-mqtt-gateway", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.broker, "broker", "", "MQTT broker, mqtt://host:port or ws://host:port/path; empty: an embedded broker")
	fs.StringVar(&o.udp, "udp", "127.0.0.1:5683", "CoAP/UDP address to serve LwM2M on; empty: none")
	fs.StringVar(&o.dtls, "dtls", "127.0.0.1:5684", "CoAP/DTLS address to serve LwM2M on; empty: none")
	fs.Func("psk", "DTLS identity:hexkey, repeatable", func(s string) error {
		id, k, ok := strings.Cut(s, ":")
		key, err := hex.DecodeString(k)
		if !ok || id == "" || err != nil || len(key) == 0 {
			return errors.New("want identity:hexkey")
		}
		o.psk[id] = key
		return nil
	})
	fs.BoolVar(&o.demo, "demo", true, "run the three demo devices (UDP, DTLS, SMS) and the simulated SMS network")
	fs.DurationVar(&o.interval, "interval", 2*time.Second, "demo: how often the devices' temperatures change")
	fs.DurationVar(&o.cmdEvery, "command-every", 5*time.Second, "demo: how often to publish a read command; 0: never")
	fs.DurationVar(&o.runFor, "run-for", 0, "stop after this long; 0: until Ctrl-C")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the MQTT side, not the LwM2M log")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	return o, nil
}

// lockedWriter serialises the lines of several loggers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// demo is what a run started, for tests.
type demo struct {
	broker  string // the broker's URL
	gw      *gateway.Gateway
	devices []*device.Client // UDP, DTLS, SMS
	sensors []*sensor
	names   []string
}

// run runs the gateway (and the demo) until ctx ends. started, when not
// nil, is called once everything is up.
func run(ctx context.Context, args []string, logw io.Writer, started func(*demo)) error {
	o, err := parseFlags(args, logw)
	if err != nil {
		return err
	}
	if o.runFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.runFor)
		defer cancel()
	}
	lw := &lockedWriter{w: logw}
	lwm2mLog := demolog.New(lw, "gateway")
	if o.quiet {
		lwm2mLog = slog.New(slog.DiscardHandler)
	}
	var closers []func()
	defer func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}()

	// The MQTT side: the broker given, or an embedded one.
	brokerURL := o.broker
	if brokerURL == "" {
		b, err := broker.Start(broker.Options{Addr: "127.0.0.1:1883"})
		if err != nil {
			if b, err = broker.Start(broker.Options{}); err != nil { // 1883 taken: any port
				return err
			}
		}
		closers = append(closers, func() { b.Close() })
		brokerURL = b.URL()
		fmt.Fprintf(lw, "embedded MQTT broker on %s (watch it: go run ./cmd/iotwire mqtt sub %s -t 'lwm2m/#' --version 5)\n", b.Addr(), brokerURL)
	}
	mc, err := mqttbridge.Dial(ctx, brokerURL, mqttbridge.Options{ClientID: "lwm2m-gateway"})
	if err != nil {
		return fmt.Errorf("MQTT broker %s: %w", brokerURL, err)
	}
	closers = append(closers, func() { mc.Close() })

	reg := lwm2m.CoreRegistry()
	if err := reg.Register(device.TemperatureDef); err != nil {
		return err
	}
	if o.demo {
		key, _ := hex.DecodeString(demoKeyHex)
		o.psk[demoIdentity] = key
	}
	gw := gateway.New(mc, gateway.Config{
		Server:  server.Config{Registry: reg, Logger: lwm2mLog, AckTimeout: o.ackTimeout},
		Bridge:  mqttbridge.Config{Registry: reg, OnEvent: mqttbridge.LogTo(lw)},
		Observe: []path.Path{temperature},
		Logger:  lwm2mLog,
	})
	srv := gw.Server()

	// The LwM2M side: UDP, DTLS, and in the demo the SMS network. On the
	// way out the devices stop first (they de-register, which the gateway
	// still publishes), then the gateway.
	gwctx, stopGW := context.WithCancel(context.WithoutCancel(ctx))
	var serving sync.WaitGroup
	closers = append(closers, func() { stopGW(); serving.Wait() })
	devctx, stopDevices := context.WithCancel(context.WithoutCancel(ctx))
	var devices sync.WaitGroup
	stopDemo := func() { stopDevices(); devices.Wait() }
	closers = append(closers, stopDemo)
	var udpAddr, dtlsAddr net.Addr
	if o.udp != "" {
		pc, err := udp.Listen(ctx, "udp", o.udp, nil)
		if err != nil {
			return fmt.Errorf("-udp %s: %w", o.udp, err)
		}
		udpAddr = pc.LocalAddr()
		serving.Add(1)
		go func() { defer serving.Done(); srv.ServePacketConn(gwctx, "udp", pc) }()
	}
	if o.dtls != "" {
		l, err := dtls.Listen(ctx, "udp", o.dtls, server.PSKConfig(o.psk))
		if err != nil {
			return fmt.Errorf("-dtls %s: %w", o.dtls, err)
		}
		dtlsAddr = l.Addr()
		serving.Add(1)
		go func() { defer serving.Done(); srv.ServeDTLS(gwctx, l) }()
	}
	fmt.Fprintf(lw, "LwM2M server on udp %v, dtls %v\n", udpAddr, dtlsAddr)

	if err := gw.Start(gwctx); err != nil {
		return fmt.Errorf("subscribing to the commands: %w", err)
	}
	stopped := false
	stopGateway := func() {
		if !stopped {
			stopped = true
			gw.Stop()
		}
	}
	closers = append(closers, stopGateway)

	d := &demo{broker: brokerURL, gw: gw}
	if o.demo {
		if err := startDemo(gwctx, devctx, o, d, srv, udpAddr, dtlsAddr, lw, &closers, &serving, &devices); err != nil {
			return err
		}
		if o.cmdEvery > 0 {
			devices.Add(1)
			go func() { defer devices.Done(); commandLoop(devctx, mc, gw, d.names, o.cmdEvery, lw) }()
		}
	}
	if started != nil {
		started(d)
	}
	select {
	case <-mc.Done():
		err = fmt.Errorf("MQTT connection lost: %w", mc.Err())
	case <-ctx.Done():
	}
	stopDemo()
	stopGateway()
	fmt.Fprintln(lw, "stopped:", gw.Bridge().Stats())
	return err
}

// startDemo starts the simulated SMS network with the gateway on its SMSC,
// and the three devices.
func startDemo(ctx, devctx context.Context, o *options, d *demo, srv *server.Server, udpAddr, dtlsAddr net.Addr, lw io.Writer, closers *[]func(), serving, devices *sync.WaitGroup) error {
	// The SMS network: the gateway binds to the SMSC over SMPP, as a
	// server reaches devices through an operator.
	network := smstest.New(smstest.Config{})
	account := smstest.Account{SystemID: "lwm2m-gateway", Password: "secret", Number: gatewayNumber}
	smsc, err := network.SMSC(account)
	if err != nil {
		return err
	}
	*closers = append(*closers, func() { smsc.Close(); network.Close() })
	sc, err := smpp.Dial(ctx, smsc.Addr().String(), smpp.Config{SystemID: account.SystemID, Password: account.Password})
	if err != nil {
		return err
	}
	link, err := sms.SMPPLink(sc, gatewayNumber)
	if err != nil {
		return err
	}
	smsConn, err := sms.NewConn(link, sms.Config{Local: gatewayNumber})
	if err != nil {
		return err
	}
	serving.Add(1)
	go func() { defer serving.Done(); srv.ServePacketConn(ctx, "sms", smsConn) }()
	fmt.Fprintf(lw, "simulated SMS network: SMSC on %s, gateway %s, device %s on a simulated modem\n", smsc.Addr(), gatewayNumber, smsDevice)

	key, _ := hex.DecodeString(demoKeyHex)
	type spec struct {
		name, uri string
		dial      func() (net.PacketConn, net.Addr, error)
	}
	specs := []spec{
		{"demo-udp", "coap://" + udpAddr.String(), func() (net.PacketConn, net.Addr, error) {
			return device.Dial(ctx, "coap://"+udpAddr.String(), device.DialOptions{})
		}},
		{"demo-dtls", "coaps://" + dtlsAddr.String(), func() (net.PacketConn, net.Addr, error) {
			return device.Dial(ctx, "coaps://"+dtlsAddr.String(), device.DialOptions{PSKIdentity: []byte(demoIdentity), PSKKey: key})
		}},
		{"demo-sms", "sms://" + gatewayNumber, func() (net.PacketConn, net.Addr, error) {
			// The device's modem: AT over a pipe to a simulated modem.
			mc, err := network.Modem(smsDevice)
			if err != nil {
				return nil, nil, err
			}
			m, err := at.Open(ctx, mc, at.Config{})
			if err != nil {
				mc.Close()
				return nil, nil, err
			}
			c, err := sms.Dial(sms.ModemLink(m, mc), gatewayNumber, sms.Config{Local: smsDevice})
			if err != nil {
				return nil, nil, err
			}
			return coapep.PacketConnOf(c), c.RemoteAddr(), nil
		}},
	}
	for i, s := range specs {
		cfg := device.Config{Endpoint: s.name, ServerURI: s.uri, Lifetime: 5 * time.Minute}
		if i == 1 {
			cfg.PSKIdentity, cfg.PSKKey = []byte(demoIdentity), key
		}
		if i == 2 {
			cfg.Binding, cfg.SMSNumber = "S", smsDevice
		}
		c, err := device.New(cfg)
		if err != nil {
			return err
		}
		sensor := &sensor{c: c}
		if err := c.AddObject(device.TemperatureObject(sensor.reset)); err != nil {
			return err
		}
		sensor.set(20 + float64(i)*2.5)
		pc, addr, err := s.dial()
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		devices.Add(2)
		go func() { defer devices.Done(); c.Run(devctx, pc, addr) }()
		go func() { defer devices.Done(); sensor.drift(devctx, o.interval) }()
		d.devices = append(d.devices, c)
		d.sensors = append(d.sensors, sensor)
		d.names = append(d.names, s.name)
	}
	return nil
}
