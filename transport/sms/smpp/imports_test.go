package smpp

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// TestImports keeps the package on the standard library and internal/wire
// (STYLE.md section 1): a codec, with a client on package net.
func TestImports(t *testing.T) {
	codectest.CheckImports(t)
}
