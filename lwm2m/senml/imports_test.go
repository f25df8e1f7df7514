package senml

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports keeps the codec on the standard library and the floors below
// it (STYLE.md section 1; ARCHITECTURE.md: lwm2m/senml is on floor 2).
func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/iotwire/iotwire/lwm2m", "github.com/iotwire/iotwire/lwm2m/path")
}
