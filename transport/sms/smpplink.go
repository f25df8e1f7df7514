package sms

import (
	"context"
	"errors"
	"net"

	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// SMPPLink returns a [Link] over a bound SMPP session (an ESME of package
// smpp): a server reaching devices through an operator's SMSC. source is
// the number the messages come from (source_addr; the SMSC may replace
// it). The Link owns c: its Close unbinds and closes c.
//
// A message goes out as one submit_sm (SMPP 3.4 section 4.4): data_coding
// from the DCS (0x04, 8-bit binary, for the binding; a GSM message-class
// DCS 0xF0-0xFF passes through as section 5.2.19 allows), esm_class UDHI
// (0x40, section 5.2.12) when the user data has a header, and the user
// data octets in short_message. deliver_sm PDUs arrive the same way;
// delivery receipts and other non-message deliveries are skipped.
func SMPPLink(c *smpp.Client, source string) (Link, error) {
	src, err := tpdu.ParseAddress(source)
	if err != nil || src.IsZero() || src.TON() == tpdu.TONAlphanumeric {
		return nil, &AddrError{Addr: source, Err: ErrNotNumber}
	}
	l := &smppLink{c: c}
	l.srcTON, l.srcNPI, l.src, _ = smppAddr(nil, &src)
	return l, nil
}

type smppLink struct {
	c                     *smpp.Client
	srcTON, srcNPI        byte
	src                   []byte
	ud, dst               []byte // send buffers, used under the Conn's write lock
	dm                    smpp.DeliverSM
	receivedMalformed     uint64
	receivedDeliveryNotes uint64
}

// smppAddr appends the text of a to buf (returned as text, for reuse) and
// returns its digits with the TON
// and NPI as SMPP writes them (sections 5.2.5 and 5.2.6: TON 1
// international, NPI 1 E.164). The NPI codes the two specifications share
// (0, 1, 3, 4, 8, 9) pass through; others are unknown (0): 23.040's 5 and
// 6 are not SMPP's (5.2.6: 6 is E.212).
func smppAddr(buf []byte, a *tpdu.Address) (ton, npi byte, digits, text []byte) {
	text = a.AppendText(buf[:0])
	if len(text) > 0 && text[0] == '+' {
		return smpp.TONInternational, smpp.NPIISDN, text[1:], text
	}
	switch npi = a.NPI(); npi {
	case 0, 1, 3, 4, 8, 9:
	default:
		npi = 0
	}
	return a.TON(), npi, text, text
}

// dataCoding maps a DCS to SMPP's data_coding (section 5.2.19).
func dataCoding(d tpdu.DCS) smpp.DataCoding {
	switch {
	case d == tpdu.DCS8Bit:
		return smpp.CodingBinary
	case d >= 0xF0:
		return smpp.DataCoding(d) // GSM message class control, passed through
	case d.Alphabet() == tpdu.Data8:
		return smpp.CodingBinary
	case d.Alphabet() == tpdu.UCS2:
		return smpp.CodingUCS2
	}
	return smpp.CodingDefault
}

// dcsOf maps data_coding back to a DCS.
func dcsOf(c smpp.DataCoding) tpdu.DCS {
	switch {
	case c == smpp.CodingBinary || c == smpp.CodingBinary2:
		return tpdu.DCS8Bit
	case c >= 0xF0:
		return tpdu.DCS(c)
	case c == smpp.CodingUCS2:
		return 0x08
	}
	return 0x00 // a text alphabet: the Conn drops it
}

func (l *smppLink) Send(ctx context.Context, m *SMS) error {
	var err error
	if l.ud, err = m.UserData.AppendOctets(l.ud[:0]); err != nil {
		return err
	}
	ton, npi, digits, text := smppAddr(l.dst, &m.Peer)
	l.dst = text
	sm := smpp.SubmitSM{
		SourceAddrTON: l.srcTON, SourceAddrNPI: l.srcNPI, SourceAddr: l.src,
		DestAddrTON: ton, DestAddrNPI: npi, DestinationAddr: digits,
		DataCoding: dataCoding(m.DCS), ShortMessage: l.ud,
	}
	if m.UserData.Header != nil {
		sm.ESMClass |= smpp.ESMUDHI
	}
	_, err = l.c.Submit(ctx, sm)
	return err
}

func (l *smppLink) Receive(ctx context.Context, m *SMS) error {
	for {
		dm, err := l.c.Receive(ctx)
		if err != nil {
			if errors.Is(err, smpp.ErrClosed) {
				return net.ErrClosed
			}
			return err
		}
		if dm.ESMClass&smpp.ESMTypeMask != smpp.ESMTypeDefault {
			l.receivedDeliveryNotes++ // a receipt, not a message
			continue
		}
		from, err := addrOf(dm.SourceAddrTON, dm.SourceAddrNPI, dm.SourceAddr)
		if err != nil {
			continue // an originator we cannot answer: not for the binding
		}
		dcs := dcsOf(dm.DataCoding)
		ud, err := tpdu.DecodeOctets(dm.UserData(), dcs, dm.ESMClass&smpp.ESMUDHI != 0)
		if err != nil {
			if dcs.Alphabet() == tpdu.Data8 {
				l.receivedMalformed++
				continue // malformed user data: dropped like a bad part
			}
			ud = tpdu.UserData{} // text: the Conn counts and drops it by DCS
		}
		l.dm = dm
		*m = SMS{Peer: from, DCS: dcs, UserData: ud}
		return nil
	}
}

// addrOf makes a TP address of SMPP's TON, NPI and digits.
func addrOf(ton, npi byte, digits []byte) (tpdu.Address, error) {
	typ := 0x80 | ton&7<<4 | npi&15
	return tpdu.MakeAddress(typ, string(digits))
}

func (l *smppLink) Close() error { return l.c.Close() }
