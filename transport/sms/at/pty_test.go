//go:build linux

package at_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/at/atsim"
)

// The driver on the slave side of a pseudo-terminal, as it would open a
// modem's serial device, with the simulated modem on the master side.
func TestPTY(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(path string) (io.ReadWriteCloser, error)
	}{
		{"os.File", func(path string) (io.ReadWriteCloser, error) {
			return os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
		}},
		{"OpenSerial", func(path string) (io.ReadWriteCloser, error) { return at.OpenSerial(path, 115200) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, slave, err := atsim.OpenPTY()
			if err != nil {
				t.Skip("no pseudo-terminal:", err)
			}
			dev, err := tc.open(slave)
			if err != nil {
				master.Close()
				t.Fatal(err)
			}
			r := newSim(t, atsim.Config{})
			served := make(chan error, 1)
			go func() { served <- r.sim.Serve(context.Background(), master) }()
			m, err := at.Open(ctxT(t), dev, at.Config{})
			if err != nil {
				t.Fatal(err)
			}
			p := payload(300)
			subs := coapSubmits(t, p, "+15557654321")
			for _, s := range subs {
				if _, err := m.Send(ctxT(t), s); err != nil {
					t.Fatal(err)
				}
				if err := r.sim.Deliver(deliverFor(t, "+15550001111", s)); err != nil {
					t.Fatal(err)
				}
			}
			if got := receiveAll(t, m, 3); !bytes.Equal(got, p) {
				t.Fatal("payload differs")
			}
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			// The master's read fails once the slave is closed.
			select {
			case <-served:
			case <-time.After(guard):
				t.Error("Serve did not return")
			}
			master.Close()
		})
	}
}
