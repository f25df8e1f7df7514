//go:build !unix

package tcp

import "errors"

var errTooManyFiles = errors.New("tcp: too many open files")
