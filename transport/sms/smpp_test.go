package sms_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/smstest"
)

// smppConn dials the simulated SMSC and returns a Conn over the session.
func smppConn(t *testing.T, smsc *smstest.SMSC, account smstest.Account) *sms.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := smpp.Dial(ctx, smsc.Addr().String(), smpp.Config{SystemID: account.SystemID, Password: account.Password})
	if err != nil {
		t.Fatal(err)
	}
	link, err := sms.SMPPLink(c, account.Number)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sms.NewConn(link, sms.Config{Local: account.Number})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// TestOverSMPP: a server on an SMPP session and a device on the network
// exchange datagrams of 1 and 3 short messages both ways.
func TestOverSMPP(t *testing.T) {
	n := smstest.New(smstest.Config{})
	account := smstest.Account{SystemID: "lwm2m-server", Password: "secret", Number: serverNum}
	smsc, err := n.SMSC(account)
	if err != nil {
		t.Fatal(err)
	}
	defer smsc.Close()
	srv := smppConn(t, smsc, account)
	devLink, _ := n.Link(deviceNum)
	dev, err := sms.NewConn(devLink, sms.Config{Local: deviceNum})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()

	buf := make([]byte, 4096)
	for _, size := range []int{20, 300} {
		p := payload(size)
		if _, err := srv.WriteTo(p, &sms.Addr{Number: deviceNum}); err != nil {
			t.Fatalf("server write of %d bytes: %v", size, err)
		}
		k, from, err := readWithin(t, dev, buf)
		if err != nil || !bytes.Equal(buf[:k], p) || from.String() != serverNum {
			t.Fatalf("device read %d bytes from %v: %v", k, from, err)
		}
		if _, err := dev.WriteTo(p, &sms.Addr{Number: serverNum}); err != nil {
			t.Fatal(err)
		}
		k, from, err = readWithin(t, srv, buf)
		if err != nil || !bytes.Equal(buf[:k], p) || from.String() != deviceNum {
			t.Fatalf("server read %d bytes from %v: %v", k, from, err)
		}
	}
	if st := n.Stats(); st.Routed != 8 {
		t.Errorf("routed %d short messages, want 8 (1+3 each way)", st.Routed)
	}
}
