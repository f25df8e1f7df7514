//go:build unix

package smstest

import "syscall"

// noctty keeps the terminal from becoming our controlling terminal.
const noctty = syscall.O_NOCTTY
