//go:build !linux

package atsim

import (
	"errors"
	"os"
)

// OpenPTY opens a pseudo-terminal pair in raw mode; it is implemented on
// Linux only, with the standard library, and fails elsewhere.
func OpenPTY() (master *os.File, slave string, err error) {
	return nil, "", errors.ErrUnsupported
}
