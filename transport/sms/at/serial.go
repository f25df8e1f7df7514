package at

import (
	"io"

	"go.bug.st/serial"
)

// OpenSerial opens the serial port at path (such as "/dev/ttyUSB2") at
// baud bits per second, 8 data bits, no parity, one stop bit, the framing
// modems use, for [Open] or [New].
func OpenSerial(path string, baud int) (io.ReadWriteCloser, error) {
	p, err := serial.Open(path, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, err
	}
	return p, nil
}
