package tpdu

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports keeps the codec on the standard library and internal/wire
// (STYLE.md section 1): it lives under transport/sms but is a codec.
func TestImports(t *testing.T) {
	codectest.CheckImports(t)
}
