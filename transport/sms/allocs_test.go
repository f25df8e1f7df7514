package sms_test

import (
	"context"
	"testing"

	"github.com/iotwire/iotwire/transport/sms"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// loopLink is a Link that receives what it sent, from fixed storage: it
// lets the allocation test see the Conn's own allocations alone.
type loopLink struct {
	from  tpdu.Address
	slots [255][tpdu.MaxUserData + 1]byte
	hlen  [255]int
	blen  [255]int
	dcs   [255]tpdu.DCS
	head  int
	n     int
}

func (l *loopLink) Send(_ context.Context, m *sms.SMS) error {
	i := (l.head + l.n) % len(l.slots)
	s := &l.slots[i]
	l.hlen[i] = -1
	k := 0
	if m.UserData.Header != nil {
		l.hlen[i] = copy(s[:], m.UserData.Header)
		k = l.hlen[i]
	}
	l.blen[i] = copy(s[k:], m.UserData.Body)
	l.dcs[i] = m.DCS
	l.n++
	return nil
}

func (l *loopLink) Receive(ctx context.Context, m *sms.SMS) error {
	if l.n == 0 {
		<-ctx.Done()
		return ctx.Err()
	}
	i := l.head
	l.head = (l.head + 1) % len(l.slots)
	l.n--
	s := &l.slots[i]
	var ud tpdu.UserData
	k := 0
	if l.hlen[i] >= 0 {
		k = l.hlen[i]
		ud.Header = s[:k:k]
	}
	ud.Body = s[k : k+l.blen[i]]
	*m = sms.SMS{Peer: l.from, DCS: l.dcs[i], UserData: ud}
	return nil
}

func (l *loopLink) Close() error { return nil }

// TestAllocs: once warm, writing and reading a datagram of 1 or 3 short
// messages allocates nothing in the Conn.
func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	from, _ := tpdu.ParseAddress(serverNum)
	c, err := sms.NewConn(&loopLink{from: from}, sms.Config{Local: serverNum})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	to := &sms.Addr{Number: serverNum}
	buf := make([]byte, 1024)
	for _, size := range []int{100, 300} {
		p := payload(size)
		run := func() {
			if _, err := c.WriteTo(p, to); err != nil {
				t.Fatal(err)
			}
			if n, _, err := c.ReadFrom(buf); err != nil || n != size {
				t.Fatal(n, err)
			}
		}
		run() // warm the reassembler and the sender cache
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("%d bytes: %v allocs per datagram, want 0", size, n)
		}
	}
}
