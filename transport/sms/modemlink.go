package sms

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// ModemLink returns a [Link] over an AT modem in PDU mode (package at): a
// device with a cellular modem. port, when not nil, is closed after the
// modem by the Link's Close (the serial port or PTY the modem was opened
// on).
//
// A message goes out as an SMS-SUBMIT (3GPP TS 23.040 9.2.2.2) with no
// validity period, TP-PID 0 and the message's DCS, through AT+CMGS
// (27.005 3.5.1); an SMS-DELIVER received (+CMT or +CMTI, 27.005 3.4.1)
// comes back with its originator, DCS and user data. Status reports are
// skipped.
func ModemLink(m *at.Modem, port io.Closer) Link {
	return &modemLink{m: m, port: port}
}

type modemLink struct {
	m    *at.Modem
	port io.Closer
	buf  []byte // the SMS-SUBMIT, used under the Conn's write lock
	in   at.Incoming
	d    tpdu.Deliver
}

func (l *modemLink) Send(ctx context.Context, m *SMS) error {
	s := tpdu.Submit{Destination: m.Peer, DCS: m.DCS, UserData: m.UserData}
	var err error
	if l.buf, err = s.AppendBinary(l.buf[:0]); err != nil {
		return err
	}
	_, err = l.m.Send(ctx, l.buf)
	return closedAs(err)
}

func (l *modemLink) Receive(ctx context.Context, m *SMS) error {
	for {
		if err := l.m.ReceiveInto(ctx, &l.in); err != nil {
			return closedAs(err)
		}
		if l.in.Type != tpdu.TypeDeliver {
			continue // a status report
		}
		if err := l.in.Deliver(&l.d); err != nil {
			continue // the driver checked it; nothing to deliver
		}
		*m = SMS{Peer: l.d.Originator, DCS: l.d.DCS, UserData: l.d.UserData}
		return nil
	}
}

func (l *modemLink) Close() error {
	err := l.m.Close()
	if l.port != nil {
		if e := l.port.Close(); err == nil {
			err = e
		}
	}
	return err
}

// closedAs reports the driver's closed error as net.ErrClosed.
func closedAs(err error) error {
	if err != nil && errors.Is(err, at.ErrClosed) {
		return net.ErrClosed
	}
	return err
}
