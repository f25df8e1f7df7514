package segment

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports keeps the package on the standard library, internal/wire and
// the tpdu codec.
func TestImports(t *testing.T) {
	codectest.CheckImports(t, "github.com/iotwire/iotwire/transport/sms/tpdu")
}
