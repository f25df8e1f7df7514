package smstest

import (
	"context"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/at/atsim"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// ModemConn is the terminal side of a simulated modem's AT connection:
// give it to at.Open. Closing it stops the modem.
type ModemConn struct {
	net.Conn
	// Sim is the simulated modem, for fault injection (FailNextSend,
	// Reset, Drop...).
	Sim *atsim.Modem

	stop func()
	once sync.Once
}

// Close closes the connection and stops the modem.
func (c *ModemConn) Close() error {
	c.once.Do(func() {
		c.Conn.Close()
		c.stop()
	})
	return nil
}

// Modem attaches a simulated modem (package atsim) to the network as the
// subscriber number and returns the terminal side of its AT connection, a
// pipe. What the terminal sends with AT+CMGS is routed from number; what
// the network routes to number arrives as SMS-DELIVER (+CMT or +CMTI, as
// the terminal set AT+CNMI), with the time of delivery as its time stamp.
func (n *Network) Modem(number string) (*ModemConn, error) {
	dte, dce := net.Pipe()
	sim, stop, err := n.attachModem(number, dce)
	if err != nil {
		dte.Close()
		dce.Close()
		return nil, err
	}
	return &ModemConn{Conn: dte, Sim: sim, stop: stop}, nil
}

// ModemPTY is a simulated modem served on a pseudo-terminal (Linux), for
// programs that open a serial device, such as iotwire coap --modem.
type ModemPTY struct {
	// Path is the terminal to open, such as /dev/pts/3.
	Path string
	// Sim is the simulated modem.
	Sim *atsim.Modem

	hold *os.File // a descriptor of the terminal kept open: programs may come and go
	stop func()
	once sync.Once
}

// Close stops the modem and closes the pseudo-terminal.
func (p *ModemPTY) Close() error {
	p.once.Do(func() {
		p.hold.Close()
		p.stop()
	})
	return nil
}

// ModemPTY attaches a simulated modem to the network as number, as Modem
// does, served on a new pseudo-terminal: open its Path as a serial port.
func (n *Network) ModemPTY(number string) (*ModemPTY, error) {
	master, slave, err := atsim.OpenPTY()
	if err != nil {
		return nil, err
	}
	// Holding the terminal open keeps the master readable between the
	// programs that open and close it.
	hold, err := os.OpenFile(slave, os.O_RDWR|noctty, 0)
	if err != nil {
		master.Close()
		return nil, err
	}
	sim, stop, err := n.attachModem(number, master)
	if err != nil {
		hold.Close()
		master.Close()
		return nil, err
	}
	return &ModemPTY{Path: slave, Sim: sim, hold: hold, stop: stop}, nil
}

// attachModem runs a simulated modem for number on rw (its DCE side) and
// the forwarding of what the network routes to number; stop ends both.
func (n *Network) attachModem(number string, rw io.ReadWriteCloser) (*atsim.Modem, func(), error) {
	num, err := tpdu.ParseAddress(number)
	if err != nil {
		return nil, nil, err
	}
	n.mu.Lock()
	_, err = n.sub(num)
	n.mu.Unlock()
	if err != nil {
		return nil, nil, err
	}
	var mu sync.Mutex
	var mr byte
	sim := atsim.New(atsim.Config{
		Number: num,
		Submit: func(from tpdu.Address, submit []byte) (byte, error) {
			var s tpdu.Submit
			if _, err := s.Decode(submit); err != nil {
				return 0, atsim.CMSError(304) // invalid PDU mode parameter (27.005 3.2.5)
			}
			m := sms.SMS{Peer: s.Destination, DCS: s.DCS, UserData: s.UserData}
			if err := n.Route(from, &m); err != nil {
				return 0, atsim.CMSError(1) // unassigned (unallocated) number (24.011 E.2)
			}
			mu.Lock()
			defer mu.Unlock()
			mr++
			return mr, nil
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sim.Serve(ctx, rw)
	}()
	go func() {
		defer wg.Done()
		n.toModem(ctx, num, sim)
	}()
	stop := func() {
		cancel()
		rw.Close()
		wg.Wait()
	}
	return sim, stop, nil
}

// toModem hands what the network routes to num to the modem.
func (n *Network) toModem(ctx context.Context, num tpdu.Address, sim *atsim.Modem) {
	var buf []byte
	for {
		m, err := n.receive(ctx, num, nil)
		if err != nil {
			return
		}
		ts, _ := tpdu.TimestampOf(time.Now().UTC())
		d := tpdu.Deliver{Originator: m.From, DCS: m.DCS, SCTS: ts, UserData: tpdu.UserData{Header: m.Header, Body: m.Body}}
		if buf, err = d.AppendBinary(buf[:0]); err != nil {
			continue
		}
		for {
			err := sim.Deliver(buf)
			if err != atsim.CMSError(322) {
				break // taken, or refused for good
			}
			// Memory full: the SC retries later (27.005 3.2.5, <err> 322).
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

var _ io.ReadWriteCloser = (*ModemConn)(nil)
