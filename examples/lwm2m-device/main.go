// Command lwm2m-device is an LwM2M 1.1 device: it registers with an LwM2M
// server over CoAP (UDP) or CoAPs (DTLS with a pre-shared key), optionally
// after a bootstrap, and serves the core objects and a simulated
// temperature sensor (3303) whose value drifts, notifying the server's
// observations and, if asked, sending its values with Send. It accepts a
// firmware update (an image of the examples' format, see
// device.MakeImage). It prints what flows; Ctrl-C de-registers and stops.
//
//	go run ./lwm2m-device                                   # coap://127.0.0.1:5683
//	go run ./lwm2m-device -server coaps://127.0.0.1:5684 -psk-identity dev-1 -psk-key 000102030405060708090a0b0c0d0e0f
//	go run ./lwm2m-device -bootstrap coap://127.0.0.1:5683  # the account comes from the bootstrap server
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/iotwire/iotwire/examples/internal/demolog"

	"github.com/iotwire/iotwire/examples/internal/device"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/path"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lwm2m-device:", err)
		}
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	server, bootstrap  string
	endpoint           string
	lifetime           time.Duration
	pskIdentity        string
	pskKey             string
	binding            string
	version            string
	interval           time.Duration
	sendEvery          time.Duration
	runFor             time.Duration
	updateTime         time.Duration
	firmwareMaxSize    int
	firmwareVersion    string
	dtlsHandshakeLimit time.Duration
}

func parseFlags(args []string, out io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("lwm2m-device", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.server, "server", "coap://127.0.0.1:5683", "LwM2M server URI: coap://host:port or coaps://host:port")
	fs.StringVar(&o.bootstrap, "bootstrap", "", "bootstrap server URI; when set, the server account comes from it")
	fs.StringVar(&o.endpoint, "ep", "iotwire-device-1", "Endpoint Client Name")
	fs.DurationVar(&o.lifetime, "lifetime", 300*time.Second, "registration lifetime")
	fs.StringVar(&o.pskIdentity, "psk-identity", "", "DTLS PSK identity (coaps)")
	fs.StringVar(&o.pskKey, "psk-key", "", "DTLS PSK key in hex (coaps)")
	fs.StringVar(&o.binding, "binding", "U", "binding mode")
	fs.StringVar(&o.version, "lwm2m", "1.1", "LwM2M version to register with: 1.1 or 1.0")
	fs.DurationVar(&o.interval, "interval", 5*time.Second, "how often the simulated temperature changes")
	fs.DurationVar(&o.sendEvery, "send-every", 0, "send the temperature with Send (POST /dp) this often; 0: never")
	fs.DurationVar(&o.runFor, "run-for", 0, "stop (de-registering) after this long; 0: until Ctrl-C")
	fs.DurationVar(&o.updateTime, "update-time", 2*time.Second, "how long installing a firmware takes")
	fs.IntVar(&o.firmwareMaxSize, "firmware-max", device.DefaultFirmwareMaxSize, "largest firmware package accepted, bytes")
	fs.StringVar(&o.firmwareVersion, "firmware-version", "1.0.0", "firmware version the device starts with")
	fs.DurationVar(&o.dtlsHandshakeLimit, "handshake-timeout", 10*time.Second, "DTLS handshake timeout")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	return o, nil
}

func run(ctx context.Context, args []string, logw io.Writer) error {
	o, err := parseFlags(args, logw)
	if err != nil {
		return err
	}
	if o.runFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.runFor)
		defer cancel()
	}
	key, err := hex.DecodeString(o.pskKey)
	if err != nil {
		return fmt.Errorf("-psk-key: %w", err)
	}
	version := link.Version{Major: 1, Minor: 1}
	if o.version == "1.0" {
		version.Minor = 0
	} else if o.version != "1.1" {
		return fmt.Errorf("-lwm2m %q: 1.0 or 1.1", o.version)
	}
	log := demolog.New(logw, o.endpoint)

	cfg := device.Config{
		Endpoint: o.endpoint, Version: version, Lifetime: o.lifetime, Binding: o.binding,
		ServerURI: o.server, BootstrapURI: o.bootstrap,
		PSKIdentity: []byte(o.pskIdentity), PSKKey: key,
		Info:            device.Info{FirmwareVersion: o.firmwareVersion},
		FirmwareMaxSize: o.firmwareMaxSize,
		FirmwareApply: func(ctx context.Context, version string, payload []byte) error {
			log.Info("installing firmware", "version", version, "bytes", len(payload))
			select {
			case <-time.After(o.updateTime):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
		OnReboot: func() { log.Info("reboot (simulated: nothing happens)") },
		Logger:   log,
	}
	c, err := device.New(cfg)
	if err != nil {
		return err
	}

	// The simulated sensor: Temperature (3303) instance 0.
	sensor := &thermometer{c: c, value: 21.5, min: 21.5, max: 21.5}
	if err := c.AddObject(device.TemperatureObject(sensor.resetMinMax)); err != nil {
		return err
	}
	c.Set(path.Resource(3303, 0, 5701), lwm2m.StringValue([]byte("Cel")))
	sensor.publish()

	dial := func(uri string, identity, key []byte) (func(context.Context) error, error) {
		pc, addr, err := device.Dial(ctx, uri, device.DialOptions{PSKIdentity: identity, PSKKey: key, HandshakeTimeout: o.dtlsHandshakeLimit})
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", uri, err)
		}
		log.Info("connected", "uri", uri, "local", pc.LocalAddr())
		return func(ctx context.Context) error { return c.Run(ctx, pc, addr) }, nil
	}
	if o.bootstrap != "" {
		pc, addr, err := device.Dial(ctx, o.bootstrap, device.DialOptions{PSKIdentity: cfg.PSKIdentity, PSKKey: key})
		if err != nil {
			return fmt.Errorf("dial %s: %w", o.bootstrap, err)
		}
		if err := c.Bootstrap(ctx, pc, addr); err != nil {
			return err
		}
	}
	var acct *device.Account
	for _, a := range c.Accounts() {
		if !a.Bootstrap {
			acct = &a
			break
		}
	}
	if acct == nil {
		return errors.New("no LwM2M server account")
	}
	runDevice, err := dial(acct.URI, acct.Identity, acct.Key)
	if err != nil {
		return err
	}

	done := make(chan error, 1)
	go func() { done <- runDevice(ctx) }()
	tick := time.NewTicker(o.interval)
	defer tick.Stop()
	var send <-chan time.Time
	if o.sendEvery > 0 {
		st := time.NewTicker(o.sendEvery)
		defer st.Stop()
		send = st.C
	}
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			sensor.drift()
		case <-send:
			if ctx.Err() != nil {
				continue // stopping: Run is de-registering
			}
			sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			if err := c.Send(sctx, path.Resource(3303, 0, 5700)); err != nil {
				log.Warn("send", "err", err)
			}
			cancel()
		}
	}
}

// thermometer simulates a temperature sensor: a random walk.
type thermometer struct {
	c               *device.Client
	mu              sync.Mutex
	value, min, max float64
}

func (t *thermometer) drift() {
	t.mu.Lock()
	t.value = math.Round(t.value*10+float64(rand.IntN(11)-5)) / 10
	t.min, t.max = min(t.min, t.value), max(t.max, t.value)
	t.mu.Unlock()
	t.publish()
}

func (t *thermometer) publish() {
	t.mu.Lock()
	v, lo, hi := t.value, t.min, t.max
	t.mu.Unlock()
	t.c.Set(path.Resource(3303, 0, 5700), lwm2m.FloatValue(v))
	t.c.Set(path.Resource(3303, 0, 5601), lwm2m.FloatValue(lo))
	t.c.Set(path.Resource(3303, 0, 5602), lwm2m.FloatValue(hi))
}

// resetMinMax runs when a server executes /3303/0/5605, on the transport's
// goroutine: it only touches the sensor and the client's store.
func (t *thermometer) resetMinMax(uint16) {
	t.mu.Lock()
	t.min, t.max = t.value, t.value
	t.mu.Unlock()
	t.publish()
}
