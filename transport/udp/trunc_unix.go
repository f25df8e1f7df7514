//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package udp

import "syscall"

// msgTrunc is the recvmsg flag of a truncated datagram.
const msgTrunc = syscall.MSG_TRUNC
