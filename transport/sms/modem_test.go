package sms_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/segment"
	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/smstest"
)

// modemConn opens the AT driver on a simulated modem of the network and
// returns a Conn over it.
func modemConn(t *testing.T, n *smstest.Network, number string, cfg sms.Config) (*sms.Conn, *smstest.ModemConn) {
	t.Helper()
	mc, err := n.Modem(number)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := at.Open(ctx, mc, at.Config{})
	if err != nil {
		mc.Close()
		t.Fatal(err)
	}
	cfg.Local = number
	c, err := sms.NewConn(sms.ModemLink(m, mc), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, mc
}

// TestModemToSMPP is the end-to-end case of the binding: a device on a
// (simulated) modem and a server on an SMPP session exchange CoAP-sized
// datagrams of 1 and 3 short messages both ways; then a part is lost and
// the incomplete datagram times out cleanly while the next one arrives.
func TestModemToSMPP(t *testing.T) {
	var drop atomicBool
	n := smstest.New(smstest.Config{Drop: func(_, _ string, _ uint64, m *sms.SMS) bool {
		if !drop.get() {
			return false
		}
		c, ok := m.UserData.Concat()
		return ok && c.Seq == 2 // the second part of a concatenated message
	}})
	account := smstest.Account{SystemID: "lwm2m-server", Password: "secret", Number: serverNum}
	smsc, err := n.SMSC(account)
	if err != nil {
		t.Fatal(err)
	}
	defer smsc.Close()
	srv := smppConn(t, smsc, account)
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	dev, _ := modemConn(t, n, deviceNum, sms.Config{Now: clk.now, Reassembly: segment.Limits{Timeout: time.Minute}})

	buf := make([]byte, 4096)
	for _, size := range []int{40, 300} {
		// A CoAP response whose payload makes the message fit one short
		// message, or need three.
		m := coapmsg.Message{Type: coapmsg.Acknowledgement, Code: coapmsg.Content, MessageID: uint16(size), Token: []byte{1, 2, 3, 4}}
		m.SetUint(coapmsg.ContentFormat, 11542)
		m.Payload = payload(size)
		p, _ := m.AppendBinary(nil)
		if _, err := srv.WriteTo(p, &sms.Addr{Number: deviceNum}); err != nil {
			t.Fatal(err)
		}
		k, from, err := readWithin(t, dev, buf)
		if err != nil || !bytes.Equal(buf[:k], p) || from.String() != serverNum {
			t.Fatalf("device read %d of %d bytes from %v: %v", k, size, from, err)
		}
		var got coapmsg.Message
		if _, err := got.Decode(buf[:k]); err != nil || got.MessageID != uint16(size) || !bytes.Equal(got.Payload, m.Payload) {
			t.Fatalf("device decoded %+v: %v", got, err)
		}
		if _, err := dev.WriteTo(p, &sms.Addr{Number: serverNum}); err != nil {
			t.Fatal(err)
		}
		k, from, err = readWithin(t, srv, buf)
		if err != nil || !bytes.Equal(buf[:k], p) || from.String() != deviceNum {
			t.Fatalf("server read %d of %d bytes from %v: %v", k, size, from, err)
		}
	}

	// The second of three parts is lost on the way to the device.
	drop.set(true)
	if _, err := srv.WriteTo(payload(300), &sms.Addr{Number: deviceNum}); err != nil {
		t.Fatal(err)
	}
	drop.set(false)
	readParts(t, dev, dev.Stats().PartsRead+2)
	clk.add(2 * time.Minute)
	if _, err := srv.WriteTo([]byte("after"), &sms.Addr{Number: deviceNum}); err != nil {
		t.Fatal(err)
	}
	k, _, err := readWithin(t, dev, buf)
	if err != nil || string(buf[:k]) != "after" {
		t.Fatalf("after the loss: %q, %v", buf[:k], err)
	}
	if st := dev.Stats(); st.Reassembly.Expired != 1 {
		t.Errorf("device stats %+v: want the incomplete datagram expired", st)
	}
	if st := n.Stats(); st.Dropped != 1 {
		t.Errorf("network stats %+v", st)
	}
}

// BenchmarkModemToSMPP: datagrams of 3 short messages from a server on an
// SMPP session to a device on a simulated modem, through the whole path:
// SMPP client, simulated SMSC, network, simulated modem, AT driver, Conn.
// segments/s counts short messages; allocs/op covers both simulators too.
func BenchmarkModemToSMPP(b *testing.B) {
	n := smstest.New(smstest.Config{})
	account := smstest.Account{SystemID: "bench", Password: "pw", Number: serverNum}
	smsc, err := n.SMSC(account)
	if err != nil {
		b.Fatal(err)
	}
	defer smsc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := smpp.Dial(ctx, smsc.Addr().String(), smpp.Config{SystemID: "bench", Password: "pw"})
	if err != nil {
		b.Fatal(err)
	}
	link, _ := sms.SMPPLink(c, serverNum)
	srv, _ := sms.NewConn(link, sms.Config{Local: serverNum})
	defer srv.Close()
	mc, err := n.Modem(deviceNum)
	if err != nil {
		b.Fatal(err)
	}
	m, err := at.Open(ctx, mc, at.Config{})
	if err != nil {
		b.Fatal(err)
	}
	dev, _ := sms.NewConn(sms.ModemLink(m, mc), sms.Config{Local: deviceNum})
	defer dev.Close()
	p := payload(300)
	to := &sms.Addr{Number: deviceNum}
	buf := make([]byte, 4096)
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := srv.WriteTo(p, to); err != nil {
			b.Fatal(err)
		}
		if _, _, err := dev.ReadFrom(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "segments/s")
}
