package device

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/device/content"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// The State values of the Firmware Update Object (/5/0/3, LwM2M Core
// Appendix E.6).
const (
	StateIdle        = 0
	StateDownloading = 1
	StateDownloaded  = 2
	StateUpdating    = 3
)

// The Update Result values (/5/0/5, LwM2M Core Appendix E.6).
const (
	ResultInitial             = 0 // reset when a download starts
	ResultSuccess             = 1 // firmware updated
	ResultNoStorage           = 2 // not enough flash memory for the package
	ResultOutOfRAM            = 3
	ResultConnectionLost      = 4
	ResultIntegrity           = 5 // integrity check failure
	ResultUnsupportedPackage  = 6 // unsupported package type
	ResultInvalidURI          = 7
	ResultUpdateFailed        = 8
	ResultUnsupportedProtocol = 9
)

// The firmware image of the examples: a header, then the payload.
//
//	offset  size  field
//	0       4     magic "IWFW"
//	4       1     header version, 1
//	5       1     length L of the version string
//	6       L     version string (UTF-8), such as "1.1.0"
//	6+L     4     payload length, big-endian
//	10+L    32    SHA-256 of the payload
//	42+L    ...   payload
//
// A device checks the magic (Update Result 6 when it is wrong), then the
// length and the digest (Update Result 5): the integrity check of LwM2M
// Core E.6.
var imageMagic = []byte("IWFW")

const maxImageHeader = 4 + 1 + 1 + 255 + 4 + sha256.Size

// MakeImage returns a firmware image of the examples' format holding
// payload, announcing version (at most 255 bytes).
func MakeImage(version string, payload []byte) []byte {
	if len(version) > 255 {
		version = version[:255]
	}
	b := make([]byte, 0, maxImageHeader+len(payload))
	b = append(b, imageMagic...)
	b = append(b, 1, byte(len(version)))
	b = append(b, version...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(payload)))
	sum := sha256.Sum256(payload)
	b = append(b, sum[:]...)
	return append(b, payload...)
}

// ParseImage checks a firmware image and returns its version and payload,
// or the Update Result that refuses it.
func ParseImage(b []byte) (version string, payload []byte, result int) {
	if len(b) < 6 || !bytes.Equal(b[:4], imageMagic) || b[4] != 1 {
		return "", nil, ResultUnsupportedPackage
	}
	l := int(b[5])
	if len(b) < 6+l+4+sha256.Size {
		return "", nil, ResultIntegrity
	}
	version = string(b[6 : 6+l])
	n := int(binary.BigEndian.Uint32(b[6+l:]))
	payload = b[10+l+sha256.Size:]
	if n != len(payload) {
		return "", nil, ResultIntegrity
	}
	sum := sha256.Sum256(payload)
	if !bytes.Equal(sum[:], b[10+l:10+l+sha256.Size]) {
		return "", nil, ResultIntegrity
	}
	return version, payload, ResultInitial
}

// firmware is the package downloaded and verified, guarded by the Client's
// mutex.
type firmware struct {
	version string
	payload []byte
}

func (c *Client) firmwareState() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, _ := c.getInt(path.Resource(5, 0, 3))
	return v
}

// setFirmware moves the state machine: State, then Update Result (each
// notified to observers).
func (c *Client) setFirmware(state, result int) {
	c.Set(path.Resource(5, 0, 5), lwm2m.IntegerValue(int64(result)))
	c.Set(path.Resource(5, 0, 3), lwm2m.IntegerValue(int64(state)))
	c.log.Info("firmware", "state", stateNames[state], "result", result)
}

var stateNames = []string{"Idle", "Downloading", "Downloaded", "Updating"}

// firmwareDownloading is called on the first block of a package: Idle ->
// Downloading, with Update Result reset to 0.
func (c *Client) firmwareDownloading() error {
	switch c.firmwareState() {
	case StateDownloaded, StateUpdating:
		// LwM2M Core E.6: a new package is written from Idle; a
		// downloaded one is dropped first with an empty package.
		return &CodeError{coapmsg.MethodNotAllowed, "a package is already downloaded"}
	}
	c.setFirmware(StateDownloading, ResultInitial)
	return nil
}

// firmwareFailed ends a download with an Update Result: back to Idle.
func (c *Client) firmwareFailed(result int) {
	c.mu.Lock()
	c.fw = firmware{}
	c.mu.Unlock()
	c.setFirmware(StateIdle, result)
}

// writeFirmware takes a write of Package (/5/0/0, the whole image once a
// Block1 transfer is complete) or Package URI (/5/0/1).
func (c *Client) writeFirmware(inst uint16, recs []content.Record) error {
	for _, r := range recs {
		if r.Path.Len() != 3 {
			continue
		}
		switch r.Path.ID(2) {
		case 0:
			b, _ := r.Value.Bytes()
			if len(b) == 0 || len(b) == 1 && b[0] == 0 {
				// An empty package resets the state machine (E.6).
				c.mu.Lock()
				c.fw = firmware{}
				c.mu.Unlock()
				c.setFirmware(StateIdle, ResultInitial)
				continue
			}
			if c.firmwareState() == StateIdle {
				if err := c.firmwareDownloading(); err != nil {
					return err
				}
			} else if c.firmwareState() != StateDownloading {
				return &CodeError{coapmsg.MethodNotAllowed, "a package is already downloaded"}
			}
			if len(b) > c.cfg.FirmwareMaxSize+maxImageHeader {
				c.firmwareFailed(ResultNoStorage)
				continue
			}
			version, payload, result := ParseImage(b)
			if result != ResultInitial {
				c.firmwareFailed(result)
				continue
			}
			c.mu.Lock()
			c.fw = firmware{version: version, payload: append([]byte(nil), payload...)}
			c.mu.Unlock()
			c.log.Info("firmware package verified", "version", version, "bytes", len(payload))
			c.setFirmware(StateDownloaded, ResultInitial)
		case 1:
			b, _ := r.Value.Bytes()
			if len(b) == 0 {
				c.firmwareFailed(ResultInitial)
				continue
			}
			// Pull delivery is not implemented (Delivery Method is push).
			c.setFirmware(StateIdle, ResultUnsupportedProtocol)
		}
	}
	return Handled
}

// executeFirmware runs Update (/5/0/2): Downloaded -> Updating, then, in
// the background, Idle with Update Result 1 or back to Downloaded with 8.
func (c *Client) executeFirmware(inst, res uint16, args []byte) error {
	if res != 2 {
		return ErrNotAllowed
	}
	if c.firmwareState() != StateDownloaded {
		// E.6 defines Update only in state Downloaded.
		return &CodeError{coapmsg.MethodNotAllowed, "no firmware package downloaded"}
	}
	c.mu.Lock()
	fw := c.fw
	ctx := c.runCtx
	c.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	c.setFirmware(StateUpdating, ResultInitial)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		var err error
		if c.cfg.FirmwareApply != nil {
			err = c.cfg.FirmwareApply(ctx, fw.version, fw.payload)
		}
		if err != nil {
			c.log.Warn("firmware update failed", "err", err)
			c.setFirmware(StateDownloaded, ResultUpdateFailed)
			return
		}
		c.mu.Lock()
		c.fw = firmware{}
		c.mu.Unlock()
		c.Set(path.Resource(3, 0, 3), str(fw.version))
		c.Set(path.Resource(5, 0, 6), str("firmware"))
		c.Set(path.Resource(5, 0, 7), str(fw.version))
		c.setFirmware(StateIdle, ResultSuccess)
	}()
	return nil
}
