package smstest

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/smpp/smppsim"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// Account is an SMPP account of the simulated SMSC: an ESME binds with
// SystemID and Password, and Number is the subscriber it is on the
// network: messages routed to Number are delivered to the ESME, and its
// messages come from Number.
type Account struct {
	SystemID, Password, Number string
}

// SMSC is a simulated SMSC attached to a Network: an SMPP 3.4 server on a
// loopback port (package smppsim) whose accounts are subscribers.
type SMSC struct {
	*smppsim.SMSC
	net    *Network
	ln     net.Listener
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// SMSC starts a simulated SMSC on 127.0.0.1 (a free port) for the accounts
// and attaches it to n. Close stops it. Messages routed to an account's
// number wait in the network's queue until an ESME of that account is
// bound, then go out as deliver_sm.
func (n *Network) SMSC(accounts ...Account) (*SMSC, error) {
	pw := map[string]string{}
	numbers := map[string]tpdu.Address{}
	for _, a := range accounts {
		num, err := tpdu.ParseAddress(a.Number)
		if err != nil {
			return nil, err
		}
		pw[a.SystemID], numbers[a.SystemID] = a.Password, num
	}
	s := &SMSC{net: n}
	var ids uint64
	var mu sync.Mutex
	s.SMSC = smppsim.New(smppsim.Config{
		Accounts: pw,
		Submit: func(systemID string, sm *smpp.SubmitSM) (string, smpp.Status) {
			m, err := smsOfSubmit(sm)
			if err != nil {
				return "", smpp.StatusInvDstAdr
			}
			if err := n.Route(numbers[systemID], &m); err != nil {
				return "", smpp.StatusInvDstAdr
			}
			mu.Lock()
			ids++
			id := strconv.FormatUint(ids, 10)
			mu.Unlock()
			return id, smpp.StatusOK
		},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.ln = ln
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.Serve(ln)
	}()
	for id, num := range numbers {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.forward(ctx, id, num)
		}()
	}
	return s, nil
}

// forward delivers what the network routes to num to the ESME of
// systemID, waiting while none is bound.
func (s *SMSC) forward(ctx context.Context, systemID string, num tpdu.Address) {
	for {
		m, err := s.net.receive(ctx, num, nil)
		if err != nil {
			return
		}
		dm := deliverOf(&m)
		for {
			err := s.Deliver(ctx, systemID, dm)
			if err == nil || ctx.Err() != nil {
				break
			}
			if !errors.Is(err, smppsim.ErrNotBound) {
				break // refused by the ESME (queue full...): lost, as a real SMSC would after retries
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

// Addr returns the SMPP address to dial, 127.0.0.1 and a port.
func (s *SMSC) Addr() net.Addr { return s.ln.Addr() }

// Close stops the SMSC and its forwarding.
func (s *SMSC) Close() error {
	s.cancel()
	err := s.SMSC.Close()
	s.wg.Wait()
	return err
}

// smsOfSubmit reads a submit_sm as the network routes it.
func smsOfSubmit(sm *smpp.SubmitSM) (sms.SMS, error) {
	to, err := tpdu.MakeAddress(0x80|sm.DestAddrTON&7<<4|sm.DestAddrNPI&15, string(sm.DestinationAddr))
	if err != nil {
		return sms.SMS{}, err
	}
	dcs := tpdu.DCS(0)
	switch c := sm.DataCoding; {
	case c == smpp.CodingBinary || c == smpp.CodingBinary2:
		dcs = tpdu.DCS8Bit
	case c >= 0xF0:
		dcs = tpdu.DCS(c)
	case c == smpp.CodingUCS2:
		dcs = 0x08
	}
	ud := tpdu.UserData{Body: sm.UserData()}
	if dcs.Alphabet() != tpdu.GSM7 {
		if ud, err = tpdu.DecodeOctets(sm.UserData(), dcs, sm.ESMClass&smpp.ESMUDHI != 0); err != nil {
			return sms.SMS{}, err
		}
	}
	return sms.SMS{Peer: to, DCS: dcs, UserData: ud}, nil
}

// deliverOf makes the deliver_sm of a routed message.
func deliverOf(m *Message) smpp.DeliverSM {
	text := m.From.AppendText(nil)
	ton, npi := m.From.TON(), m.From.NPI()
	if len(text) > 0 && text[0] == '+' {
		text, ton, npi = text[1:], smpp.TONInternational, smpp.NPIISDN
	}
	dst := m.To.AppendText(nil)
	dton, dnpi := m.To.TON(), m.To.NPI()
	if len(dst) > 0 && dst[0] == '+' {
		dst, dton, dnpi = dst[1:], smpp.TONInternational, smpp.NPIISDN
	}
	dm := smpp.DeliverSM{
		SourceAddrTON: ton, SourceAddrNPI: npi, SourceAddr: text,
		DestAddrTON: dton, DestAddrNPI: dnpi, DestinationAddr: dst,
	}
	switch {
	case m.DCS == tpdu.DCS8Bit || m.DCS.Alphabet() == tpdu.Data8 && m.DCS < 0xF0:
		dm.DataCoding = smpp.CodingBinary
	case m.DCS >= 0xF0:
		dm.DataCoding = smpp.DataCoding(m.DCS)
	case m.DCS.Alphabet() == tpdu.UCS2:
		dm.DataCoding = smpp.CodingUCS2
	}
	ud := tpdu.UserData{Header: m.Header, Body: m.Body}
	dm.ShortMessage, _ = ud.AppendOctets(nil)
	if m.Header != nil {
		dm.ESMClass |= smpp.ESMUDHI
	}
	return dm
}
