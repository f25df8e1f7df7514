package transport

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports: the seam is a floor-2 package and imports the standard
// library only (ARCHITECTURE.md).
func TestImports(t *testing.T) { codectest.CheckImports(t) }
