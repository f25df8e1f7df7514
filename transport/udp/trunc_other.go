//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package udp

// msgTrunc is 0 where the system does not report truncation in recvmsg flags.
const msgTrunc = 0
