package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The Firmware Update Object's resources (LwM2M Core Appendix E.6).
var (
	fwPackage = path.Resource(5, 0, 0)
	fwUpdate  = path.Resource(5, 0, 2)
	fwState   = path.Resource(5, 0, 3)
	fwResult  = path.Resource(5, 0, 5)
)

// FirmwareStatus is the state of a client's Firmware Update Object: State
// (0 Idle, 1 Downloading, 2 Downloaded, 3 Updating) and Update Result (0
// initial, 1 success, 2 and up the failures of Appendix E.6).
type FirmwareStatus struct {
	State, Result int64
}

var stateText = []string{"Idle", "Downloading", "Downloaded", "Updating"}

var resultText = []string{"initial value", "firmware updated", "not enough flash memory", "out of RAM",
	"connection lost during download", "integrity check failure", "unsupported package type", "invalid URI",
	"firmware update failed", "unsupported protocol", "firmware update cancelled", "firmware update deferred"}

// String returns "Downloaded (initial value)" and the like.
func (st FirmwareStatus) String() string {
	s := "State(" + strconv.FormatInt(st.State, 10) + ")"
	if st.State >= 0 && st.State < int64(len(stateText)) {
		s = stateText[st.State]
	}
	r := "result " + strconv.FormatInt(st.Result, 10)
	if st.Result >= 0 && st.Result < int64(len(resultText)) {
		r = resultText[st.Result]
	}
	return s + " (" + r + ")"
}

// FirmwareError is a firmware update that the client refused or failed,
// with its Update Result.
type FirmwareError struct {
	Stage  string // "download" or "update"
	Status FirmwareStatus
}

// Error describes the error.
func (e *FirmwareError) Error() string {
	return "server: firmware " + e.Stage + " failed: " + e.Status.String()
}

// FirmwareOptions tune UpdateFirmware.
type FirmwareOptions struct {
	// BlockSize is the Block1 size, a power of two from 16 to 1024 (RFC
	// 7959); 512 when 0.
	BlockSize int
	// Progress, when not nil, is told every status the client reports.
	Progress func(FirmwareStatus)
	// Poll is how often the status is read when no notification comes (a
	// guard against lost notifications); 2 s when 0.
	Poll time.Duration
}

// UpdateFirmware updates the firmware of client ep with image (LwM2M Core
// Appendix E.6, push delivery): it observes State (/5/0/3) and Update
// Result (/5/0/5), writes the image to Package (/5/0/0) with a Block1
// transfer, checks that the client reached Downloaded, executes Update
// (/5/0/2) and follows the observations until the client is done. It
// returns nil when the Update Result is 1, a *FirmwareError with the
// result otherwise.
func (s *Server) UpdateFirmware(ctx context.Context, ep string, image []byte, o FirmwareOptions) error {
	if o.BlockSize == 0 {
		o.BlockSize = 512
	}
	szx, ok := coapmsg.SZXForSize(o.BlockSize)
	if !ok || szx > 6 {
		return errors.New("server: block size is not a power of two from 16 to 1024")
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	cn, _, err := s.connOf(ep)
	if err != nil {
		return err
	}

	// Follow State and Update Result.
	var mu sync.Mutex
	var st FirmwareStatus
	changed := make(chan struct{}, 1)
	report := func(c *Content) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range c.Records {
			v, ok := r.Value.Integer()
			switch {
			case !ok:
			case r.Path == fwState:
				st.State = v
			case r.Path == fwResult:
				st.Result = v
			}
		}
		if o.Progress != nil {
			o.Progress(st)
		}
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	status := func() FirmwareStatus {
		mu.Lock()
		defer mu.Unlock()
		return st
	}
	follow := func(c *Content, err error) {
		if err == nil {
			report(c)
		}
	}
	for _, p := range []path.Path{fwState, fwResult} {
		obs, first, err := s.observe(ctx, ep, p, coapmsg.TextPlain, follow)
		if err != nil {
			return err
		}
		defer obs.Cancel(context.WithoutCancel(ctx))
		report(first)
	}
	readStatus := func() error {
		for _, p := range []path.Path{fwState, fwResult} {
			c, err := s.Read(ctx, ep, p, coapmsg.TextPlain)
			if err != nil {
				return err
			}
			report(c)
		}
		return nil
	}

	// Download: Block1 write of the image to /5/0/0.
	start := time.Now()
	req := op.Request{Kind: op.KindWrite, Path: fwPackage, ContentFormat: coapmsg.AppOctetStream, HasContentFormat: true}
	var bd op.Builder
	m, err := bd.Request(&req)
	if err != nil {
		return err
	}
	m.Type = coapmsg.Confirmable
	s.log.Info("→ firmware download", "ep", ep, "bytes", len(image), "block", o.BlockSize)
	raw, err := cn.ep.Upload(ctx, m, image, szx, cn.addr)
	if err != nil {
		return fmt.Errorf("server: firmware download to %s: %w", ep, err)
	}
	// The write's outcome: a refusal (4.13 for a package too large) or
	// 2.04; the client reports errors of the package itself in the Update
	// Result (E.6).
	if err := readStatus(); err != nil {
		return err
	}
	if raw.Code != coapmsg.Changed || status().State != 2 {
		if status().Result == 0 {
			return &StatusError{Kind: op.KindWrite, Path: fwPackage, Code: raw.Code}
		}
		return &FirmwareError{Stage: "download", Status: status()}
	}
	s.log.Info("firmware downloaded", "ep", ep, "bytes", len(image), "took", time.Since(start).Round(time.Millisecond))

	// Update, then wait for the result.
	if err := s.Execute(ctx, ep, fwUpdate, nil); err != nil {
		return err
	}
	poll := time.NewTicker(o.Poll)
	defer poll.Stop()
	for {
		if st := status(); st.Result != 0 && st.State != 3 {
			if st.Result == 1 {
				s.log.Info("firmware updated", "ep", ep, "took", time.Since(start).Round(time.Millisecond))
				return nil
			}
			return &FirmwareError{Stage: "update", Status: st}
		}
		select {
		case <-changed:
		case <-poll.C:
			if err := readStatus(); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
