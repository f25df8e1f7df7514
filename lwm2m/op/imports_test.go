package op

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports keeps the package on the standard library and the floors below
// it (STYLE.md section 1; ARCHITECTURE.md: lwm2m/op is on floor 3, over
// coapmsg, lwm2m, lwm2m/path and lwm2m/link).
func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/iotwire/iotwire/coapmsg", "github.com/iotwire/iotwire/lwm2m",
		"github.com/iotwire/iotwire/lwm2m/path", "github.com/iotwire/iotwire/lwm2m/link")
}
