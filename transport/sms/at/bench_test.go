package at_test

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/iotwire/iotwire/transport/sms/at"
	"github.com/iotwire/iotwire/transport/sms/at/atsim"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// cannedDCE answers the driver on c as a modem in PDU mode would, without
// allocating, so that allocation counts are the driver's own: OK to every
// command line, +CSMS: 1,1,1 to AT+CSMS=1, the prompt to AT+CMGS and
// +CMGS: 1 and OK after the PDU. atsim allocates (strings, logs) and is
// not used for measurements.
func cannedDCE(c net.Conn) {
	buf := make([]byte, 1024)
	line := make([]byte, 0, 1024)
	pdu := false
	for {
		n, err := c.Read(buf)
		for _, b := range buf[:n] {
			switch {
			case pdu:
				if b == 0x1A {
					pdu = false
					c.Write(cmgsOK)
				}
			case b == '\r':
				switch {
				case bytes.HasPrefix(line, []byte("AT+CMGS=")):
					c.Write(prompt)
					pdu = true
				case bytes.Equal(line, []byte("AT+CSMS=1")):
					c.Write(csmsOK)
				default:
					c.Write(ok)
				}
				line = line[:0]
			case b != 0x1B && b != '\n':
				line = append(line, b)
			}
		}
		if err != nil {
			return
		}
	}
}

var (
	ok     = []byte("\r\nOK\r\n")
	prompt = []byte("\r\n> ")
	cmgsOK = []byte("\r\n+CMGS: 1\r\n\r\nOK\r\n")
	csmsOK = []byte("\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n")
)

// driverFixture is a driver on a pipe to cannedDCE, and one segment of a
// 3-segment CoAP payload to send and to receive.
type driverFixture struct {
	m      *at.Modem
	dce    net.Conn
	submit []byte
	cmt    []byte // "+CMT: ,<length>" and the PDU line, as the modem shows a received segment
	in     at.Incoming
	d      tpdu.Deliver
}

func newDriverFixture(tb testing.TB) *driverFixture {
	a, b := net.Pipe()
	go cannedDCE(a)
	m, err := at.Open(context.Background(), b, at.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	f := &driverFixture{m: m, dce: a}
	f.submit = coapSubmits(tb, payload(300), "+15557654321")[1]
	deliver := deliverFor(tb, "+15550001111", f.submit)
	f.cmt = append([]byte("\r\n+CMT: ,"), strconv.Itoa(len(deliver))...)
	f.cmt = append(f.cmt, "\r\n00"...)
	f.cmt = at.AppendHex(f.cmt, deliver)
	f.cmt = append(f.cmt, "\r\n"...)
	tb.Cleanup(func() { m.Close() })
	return f
}

func (f *driverFixture) send(tb testing.TB) {
	if _, err := f.m.Send(context.Background(), f.submit); err != nil {
		tb.Fatal(err)
	}
}

// receive has the modem show one +CMT and takes it from the driver, which
// acknowledges it with AT+CNMA in the background.
func (f *driverFixture) receive(tb testing.TB) {
	if _, err := f.dce.Write(f.cmt); err != nil {
		tb.Fatal(err)
	}
	if err := f.m.ReceiveInto(context.Background(), &f.in); err != nil {
		tb.Fatal(err)
	}
	if err := f.in.Deliver(&f.d); err != nil {
		tb.Fatal(err)
	}
}

// lineFixture holds lines of each kind the driver reads on its hot path.
var benchLines = []struct{ name, line string }{
	{"ok", "OK"},
	{"cmt", `+CMT: "",159`},
	{"cmgs", "+CMGS: 17"},
	{"cmti", `+CMTI: "SM",12`},
	{"pdu-159", "00440B915155674523F10004623041519062008C0C080442420301050416341633030A11181F262D343B424950575E656C737A81888F969DA4ABB2B9C0C7CED5DCE3EAF1F8FF060D141B222930373E454C535A61686F767D848B9299A0A7AEB5BCC3CAD1D8DFE6EDF4FB020910171E252C333A41484F565D646B727980878E959CA3AAB1B8BFC6CDD4DBE2E9F0F7FE050C131A21282F363D444B525960676E75"},
	{"cms-error", "+CMS ERROR: 331"},
}

func BenchmarkParseLine(b *testing.B) {
	for _, bl := range benchLines {
		b.Run("line="+bl.name, func(b *testing.B) {
			in := []byte(bl.line)
			var l at.Line
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if err := l.Parse(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSegment measures one segment of a 3-segment CoAP message
// through the driver over a net.Pipe. With dce=canned the modem answers at
// once without allocating, so the numbers are the driver's: send is
// AT+CMGS, the prompt, the PDU and +CMGS; receive is +CMT with its PDU,
// the decode, the queue, ReceiveInto, and the AT+CNMA the driver sends.
// With dce=atsim the simulated modem decodes and checks each PDU too (and
// allocates): segments per second through the simulated network.
func BenchmarkSegment(b *testing.B) {
	f := newDriverFixture(b)
	b.Run("dce=canned/dir=send", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.submit)))
		for b.Loop() {
			f.send(b)
		}
	})
	b.Run("dce=canned/dir=receive", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.submit)))
		for b.Loop() {
			f.receive(b)
		}
	})
	sim := atsim.New(atsim.Config{})
	a, c := net.Pipe()
	go sim.Serve(context.Background(), a)
	m, err := at.Open(context.Background(), c, at.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	deliver := deliverFor(b, "+15550001111", f.submit)
	b.Run("dce=atsim/dir=send", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.submit)))
		for b.Loop() {
			if _, err := m.Send(context.Background(), f.submit); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dce=atsim/dir=receive", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(f.submit)))
		var in at.Incoming
		var d tpdu.Deliver
		for b.Loop() {
			if err := sim.Deliver(deliver); err != nil {
				b.Fatal(err)
			}
			if err := m.ReceiveInto(context.Background(), &in); err != nil {
				b.Fatal(err)
			}
			if err := in.Deliver(&d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
