//go:build unix

package tcp

import "syscall"

var errTooManyFiles error = syscall.EMFILE
