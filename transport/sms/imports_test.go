package sms

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports: the SMS transport (floor 3) builds on the seam, its own
// codecs and drivers, and the standard library (ARCHITECTURE.md).
func TestImports(t *testing.T) {
	codectest.CheckImports(t,
		"github.com/iotwire/iotwire/transport",
		"github.com/iotwire/iotwire/transport/sms/tpdu",
		"github.com/iotwire/iotwire/transport/sms/segment",
		"github.com/iotwire/iotwire/transport/sms/at",
		"github.com/iotwire/iotwire/transport/sms/smpp",
	)
}
