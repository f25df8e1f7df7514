package lwm2m_test

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports keeps the codec on the standard library (STYLE.md section 1).
func TestImports(t *testing.T) { codectest.CheckImports(t) }
