// Command lwm2m-server is an LwM2M server: it accepts registrations over
// CoAP (UDP, port 5683) and CoAPs (DTLS with pre-shared keys, port 5684),
// reads the Device object of every client that registers, observes its
// temperature, and prints what flows. It can update the firmware of a
// device (or of every device) with a Block1 push of an image, and act as a
// bootstrap server. Ctrl-C stops it.
//
//	go run ./lwm2m-server
//	go run ./lwm2m-server -psk dev-1:000102030405060708090a0b0c0d0e0f
//	go run ./lwm2m-server -update-firmware iotwire-device-1 -image fw.bin
//	go run ./lwm2m-server -update-firmware '*' -image-size 8192   # a generated image, every device
//	go run ./lwm2m-server -bootstrap                                # bootstrap server too
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

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/examples/internal/server"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/transport/udp"
	"github.com/iotwire/iotwire/transport/udp/dtls"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lwm2m-server:", err)
		}
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	udp, dtls      string
	psk            map[string][]byte
	observe        []path.Path
	format         string
	firmwareTarget string
	image          string
	imageSize      int
	imageVersion   string
	blockSize      int
	bootstrap      bool
	bootstrapURI   string
	lifetime       time.Duration
	runFor         time.Duration
}

func parseFlags(args []string, out io.Writer) (*options, error) {
	o := &options{psk: map[string][]byte{}}
	fs := flag.NewFlagSet("lwm2m-server", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.udp, "udp", ":5683", "UDP address to serve CoAP on; empty: none")
	fs.StringVar(&o.dtls, "dtls", ":5684", "UDP address to serve CoAPs (DTLS-PSK) on; empty: none")
	fs.Func("psk", "a PSK identity and its key in hex, identity:key (repeatable)", func(s string) error {
		id, k, ok := strings.Cut(s, ":")
		key, err := hex.DecodeString(k)
		if !ok || id == "" || err != nil {
			return errors.New("want identity:hexkey")
		}
		o.psk[id] = key
		return nil
	})
	observe := fs.String("observe", "/3303/0/5700", "paths to observe on every client that registers, comma-separated; empty: none")
	fs.StringVar(&o.format, "format", "", "format of reads and observations: tlv, senml-json, senml-cbor, lwm2m-cbor, lwm2m-json; empty: the client's preferred")
	fs.StringVar(&o.firmwareTarget, "update-firmware", "", "endpoint whose firmware to update when it registers, or * for every one")
	fs.StringVar(&o.image, "image", "", "firmware image file (device.MakeImage format); see -image-size")
	fs.IntVar(&o.imageSize, "image-size", 8192, "without -image, the payload size of a generated image")
	fs.StringVar(&o.imageVersion, "image-version", "2.0.0", "version of a generated image")
	fs.IntVar(&o.blockSize, "block", 512, "Block1 size for the firmware push: 16 to 1024")
	fs.BoolVar(&o.bootstrap, "bootstrap", false, "act as a bootstrap server too: give every endpoint an account on -bootstrap-uri")
	fs.StringVar(&o.bootstrapURI, "bootstrap-uri", "coap://127.0.0.1:5683", "the server URI a bootstrap writes")
	fs.DurationVar(&o.lifetime, "bootstrap-lifetime", 300*time.Second, "the lifetime a bootstrap writes")
	fs.DurationVar(&o.runFor, "run-for", 0, "stop after this long; 0: until Ctrl-C")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	for _, s := range strings.Split(*observe, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := path.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("-observe: %w", err)
		}
		o.observe = append(o.observe, p)
	}
	return o, nil
}

// listening, when not nil, is told the addresses served (for tests).
type listening func(udp, dtls net.Addr)

func run(ctx context.Context, args []string, logw io.Writer, ready listening) error {
	o, err := parseFlags(args, logw)
	if err != nil {
		return err
	}
	if o.runFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.runFor)
		defer cancel()
	}
	format := server.Preferred
	if o.format != "" {
		f, ok := content.Names[o.format]
		if !ok || content.Single(f) {
			return fmt.Errorf("-format %q: not a format for any path", o.format)
		}
		format = f
	}
	var image []byte
	if o.firmwareTarget != "" {
		if o.image != "" {
			if image, err = os.ReadFile(o.image); err != nil {
				return err
			}
		} else {
			payload := make([]byte, o.imageSize)
			for i := range payload {
				payload[i] = byte(i * 7)
			}
			image = device.MakeImage(o.imageVersion, payload)
		}
	}
	log := demolog.New(logw, "server")

	// The registry types the values of the objects the devices have.
	reg := lwm2m.CoreRegistry()
	if err := reg.Register(device.TemperatureDef); err != nil {
		return err
	}

	// What to do when a device registers runs in a goroutine per device,
	// so that events keep flowing.
	var work sync.WaitGroup
	defer work.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()       // before work.Wait: ends what the goroutines wait for
	var updated sync.Map // endpoints updated once already
	var s *server.Server
	cfg := server.Config{Registry: reg, Logger: log}
	cfg.OnEvent = func(ev server.Event) {
		switch ev.Kind {
		case server.EventNotification, server.EventSend:
			log.Info("values", "event", ev.Kind, "ep", ev.Client.Endpoint, "values", content.FormatRecords(ev.Records))
		case server.EventRegistered:
			ep := ev.Client.Endpoint
			work.Add(1)
			go func() {
				defer work.Done()
				welcome(ctx, s, log, ep, format, o.observe)
				if image != nil && (o.firmwareTarget == "*" || o.firmwareTarget == ep) && ev.Client.HasObject(5) {
					if _, done := updated.LoadOrStore(ep, true); !done {
						updateFirmware(ctx, s, log, ep, image, o.blockSize)
					}
				}
			}()
		default:
			log.Info("event", "event", ev.Kind, "ep", ev.Client.Endpoint, "location", ev.Client.Location)
		}
	}
	if o.bootstrap {
		cfg.Bootstrap = func(ep string) (server.BootstrapAccount, bool) {
			a := server.BootstrapAccount{ServerURI: o.bootstrapURI, Lifetime: o.lifetime}
			if key, ok := o.psk[ep]; ok && strings.HasPrefix(o.bootstrapURI, "coaps:") {
				a.PSKIdentity, a.PSKKey = []byte(ep), key
			}
			return a, true
		}
	}
	s = server.New(cfg)
	defer s.Close()

	errs := make(chan error, 2)
	n := 0
	var udpAddr, dtlsAddr net.Addr
	if o.udp != "" {
		pc, err := udp.Listen(ctx, "udp", o.udp, nil)
		if err != nil {
			return err
		}
		udpAddr = pc.LocalAddr()
		n++
		go func() { errs <- s.ServePacketConn(ctx, "udp", pc) }()
	}
	if o.dtls != "" {
		if len(o.psk) == 0 {
			log.Warn("no -psk given: DTLS handshakes will fail")
		}
		l, err := dtls.Listen(ctx, "udp", o.dtls, server.PSKConfig(o.psk))
		if err != nil {
			return err
		}
		dtlsAddr = l.Addr()
		n++
		go func() { errs <- s.ServeDTLS(ctx, l) }()
	}
	if n == 0 {
		return errors.New("nothing to serve: -udp and -dtls are empty")
	}
	if ready != nil {
		ready(udpAddr, dtlsAddr)
	}
	var first error
	for ; n > 0; n-- {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// welcome reads the Device object of a client that registered and
// observes the paths asked for.
func welcome(ctx context.Context, s *server.Server, log *slog.Logger, ep string, f coapmsg.MediaType, observe []path.Path) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := s.Read(ctx, ep, path.Instance(3, 0), f); err != nil {
		log.Warn("read /3/0", "ep", ep, "err", err)
	}
	for _, p := range observe {
		if _, _, err := s.Observe(ctx, ep, p, f); err != nil {
			log.Warn("observe", "ep", ep, "path", p, "err", err)
		}
	}
}

func updateFirmware(ctx context.Context, s *server.Server, log *slog.Logger, ep string, image []byte, block int) {
	start := time.Now()
	err := s.UpdateFirmware(ctx, ep, image, server.FirmwareOptions{BlockSize: block,
		Progress: func(st server.FirmwareStatus) { log.Info("firmware", "ep", ep, "status", st) }})
	if err != nil {
		log.Warn("firmware update failed", "ep", ep, "err", err)
		return
	}
	log.Info("firmware update done", "ep", ep, "bytes", len(image), "took", time.Since(start).Round(time.Millisecond))
}
