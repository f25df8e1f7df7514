package main

import (
	"strings"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/smstest"
)

// smsDevice serves CoAP on the simulated network under number: GET /hello
// answers "world", GET /big a body of 3 short messages, until the test
// ends.
func smsDevice(t *testing.T, n *smstest.Network, number string) {
	link, err := n.Link(number)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sms.NewConn(link, sms.Config{Local: number})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { c.Close(); <-done })
	big := strings.Repeat("0123456789", 30)
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			k, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			var m coapmsg.Message
			if _, err := m.Decode(buf[:k]); err != nil {
				continue
			}
			resp := coapHello(&m)
			if string(m.AppendPath(nil)) == "/big" {
				resp.Code, resp.Payload = coapmsg.Content, []byte(big)
			}
			out, _ := resp.AppendBinary(nil)
			c.WriteTo(out, from)
		}
	}()
}

// TestCoAPClientSMS: iotwire coap get sms://NUMBER through the simulated
// SMSC (--smpp) reaches a device on the simulated network, for a response
// of one short message and one of three.
func TestCoAPClientSMS(t *testing.T) {
	n := smstest.New(smstest.Config{})
	smsc, err := n.SMSC(smstest.Account{SystemID: "cli", Password: "pw", Number: "+15550001111"})
	if err != nil {
		t.Fatal(err)
	}
	defer smsc.Close()
	smsDevice(t, n, "+15551234567")
	smpp := "smpp://cli:pw@" + smsc.Addr().String()

	out, errOut, code := runCmd(t, "", "coap", "get", "sms://+15551234567/hello", "--smpp", smpp, "--sms-number", "+15550001111")
	if code != 0 || out != "world\n" {
		t.Errorf("get /hello: status %d, %q %q", code, out, errOut)
	}
	out, errOut, code = runCmd(t, "", "coap", "get", "sms://+15551234567/big", "--smpp", smpp, "--sms-number", "+15550001111")
	if code != 0 || out != strings.Repeat("0123456789", 30)+"\n" {
		t.Errorf("get /big: status %d, %q %q", code, out, errOut)
	}
	if st := n.Stats(); st.Routed < 1+1+1+3 {
		t.Errorf("network stats %+v: want the requests and 1+3 response parts", st)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sms://+15551234567/hello"}, "say how to send"},
		{[]string{"sms://+15551234567/hello", "--smpp", smpp}, "needs --sms-number"},
		{[]string{"sms://+15551234567/hello", "--smpp", "smpp://" + smsc.Addr().String(), "--sms-number", "+1555"}, "want smpp://"},
		{[]string{"sms://+15551234567/hello", "--smpp", "smpp://cli:wrong@" + smsc.Addr().String(), "--sms-number", "+15550001111"}, "cannot bind to the SMSC"},
		{[]string{"sms://+15551234567/hello", "--smpp", smpp, "--modem", "/dev/null"}, "exclude each other"},
		{[]string{"sms://ACME/hello", "--smpp", smpp, "--sms-number", "+15550001111"}, "not a telephone number"},
	} {
		_, errOut, code := runCmd(t, "", append([]string{"coap", "get"}, c.args...)...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: status %d, %q, want %q", c.args, code, errOut, c.want)
		}
	}
}

// TestCoAPClientSMSModem: iotwire coap get sms://NUMBER --modem PTY drives
// a simulated modem on a pseudo-terminal, as it would a USB modem, and
// reaches a device on the simulated network.
func TestCoAPClientSMSModem(t *testing.T) {
	n := smstest.New(smstest.Config{})
	pty, err := n.ModemPTY("+15550002222")
	if err != nil {
		t.Skip("no pseudo-terminal here:", err)
	}
	defer pty.Close()
	smsDevice(t, n, "+15551234567")
	for _, path := range []string{"/hello", "/big"} {
		out, errOut, code := runCmd(t, "", "coap", "get", "sms://+15551234567"+path, "--modem", pty.Path)
		want := "world\n"
		if path == "/big" {
			want = strings.Repeat("0123456789", 30) + "\n"
		}
		if code != 0 || out != want {
			t.Errorf("get %s: status %d, %q %q; modem commands %q", path, code, out, errOut, pty.Sim.Commands())
		}
	}
	_, errOut, code := runCmd(t, "", "coap", "get", "sms://+15551234567/hello", "--modem", "/nonexistent/tty")
	if code == 0 || !strings.Contains(errOut, "cannot open the modem") {
		t.Errorf("missing device: status %d, %q", code, errOut)
	}
}
