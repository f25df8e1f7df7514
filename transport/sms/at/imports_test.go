package at

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports keeps the driver off fmt and reflect (STYLE.md section 1):
// it may use package tpdu and go.bug.st/serial, which ARCHITECTURE.md
// allows the transports.
func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/iotwire/iotwire/transport/sms/tpdu", "go.bug.st/serial")
}
