package atsim

import (
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// OpenPTY opens a pseudo-terminal pair with the standard library only
// (/dev/ptmx, unlocked with TIOCSPTLCK, named with TIOCGPTN) and puts it in
// raw mode, so that CR, LF, Ctrl-Z and ESC pass unchanged. The simulated
// modem serves the master; the driver opens slave (such as /dev/pts/3) as
// it would open a serial device. Closing every descriptor of the slave
// makes reads on the master fail, which ends Serve.
func OpenPTY() (master *os.File, slave string, err error) {
	f, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, "", err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, "", err
	}
	var n uint32
	var errno syscall.Errno
	cerr := rc.Control(func(fd uintptr) {
		var unlock int32
		if errno = ioctl(fd, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); errno != 0 {
			return
		}
		if errno = ioctl(fd, syscall.TIOCGPTN, unsafe.Pointer(&n)); errno != 0 {
			return
		}
		// The termios of the pair, set through the master: raw, as
		// cfmakeraw does.
		var t syscall.Termios
		if errno = ioctl(fd, syscall.TCGETS, unsafe.Pointer(&t)); errno != 0 {
			return
		}
		t.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP | syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
		t.Oflag &^= syscall.OPOST
		t.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
		t.Cflag &^= syscall.CSIZE | syscall.PARENB
		t.Cflag |= syscall.CS8
		t.Cc[syscall.VMIN], t.Cc[syscall.VTIME] = 1, 0
		errno = ioctl(fd, syscall.TCSETS, unsafe.Pointer(&t))
	})
	if cerr == nil && errno != 0 {
		cerr = os.NewSyscallError("ioctl", errno)
	}
	if cerr != nil {
		f.Close()
		return nil, "", cerr
	}
	return f, "/dev/pts/" + strconv.FormatUint(uint64(n), 10), nil
}

func ioctl(fd, req uintptr, arg unsafe.Pointer) syscall.Errno {
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
	return e
}
