package main

import (
	"context"
	"net"
	"net/url"

	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/smpp"
)

// smsDial opens the SMS transport of an sms:// URI: an SMPP session with
// --smpp, or a modem with --modem, connected to number.
func smsDial(ctx context.Context, number string, f *coapFlags) (net.Conn, error) {
	if _, err := sms.ParseAddr(number); err != nil {
		return nil, failf("sms: ", quote(number), " is not a telephone number")
	}
	var link sms.Link
	switch {
	case f.smpp != "" && f.modem != "":
		return nil, failf("sms: --smpp and --modem exclude each other")
	case f.smpp != "":
		u, err := url.Parse(f.smpp)
		if err != nil || u.Scheme != "smpp" || u.Host == "" || u.User == nil {
			return nil, failf("--smpp: want smpp://system_id:password@host:port")
		}
		if f.smsNumber == "" {
			return nil, failf("sms: --smpp needs --sms-number, our own number")
		}
		pw, _ := u.User.Password()
		c, err := smpp.Dial(ctx, u.Host, smpp.Config{SystemID: u.User.Username(), Password: pw})
		if err != nil {
			return nil, failf("cannot bind to the SMSC at ", u.Host, ": ", netErrText(err))
		}
		if link, err = sms.SMPPLink(c, f.smsNumber); err != nil {
			c.Close()
			return nil, failf("--sms-number: ", quote(f.smsNumber), " is not a telephone number")
		}
	case f.modem != "":
		port, err := at.OpenSerial(f.modem, f.baud)
		if err != nil {
			return nil, failf("cannot open the modem ", f.modem, ": ", err.Error())
		}
		m, err := at.Open(ctx, port, at.Config{})
		if err != nil {
			port.Close()
			return nil, failf("the modem on ", f.modem, " does not answer: ", err.Error())
		}
		link = sms.ModemLink(m, port)
	default:
		return nil, failf("sms: say how to send: --smpp smpp://id:password@host:port or --modem DEVICE")
	}
	c, err := sms.Dial(link, number, sms.Config{Local: f.smsNumber})
	if err != nil {
		link.Close()
		return nil, err
	}
	return c, nil
}
