package dtls

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/iotwire/iotwire/transport/udp"
)

// TestRecordRouting: the record walks of the demultiplexer find the
// Connection ID of a tls12_cid record behind plain records and reject
// truncated input.
func TestRecordRouting(t *testing.T) {
	cid := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	plain := []byte{23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 'h', 'i'}
	withCID := append([]byte{25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 2}, cid...)
	withCID = append(withCID, 0, 1, 'x')
	for _, c := range []struct {
		name string
		b    []byte
		want []byte
	}{
		{"cid-record", withCID, cid},
		{"plain-then-cid", append(append([]byte{}, plain...), withCID...), cid},
		{"plain-only", plain, nil},
		{"empty", nil, nil},
		{"short-header", plain[:12], nil},
		{"short-cid", withCID[:15], nil},
		{"length-past-end", plain[:14], nil},
	} {
		got, ok := recordCID(c.b, len(cid))
		if ok != (c.want != nil) || !bytes.Equal(got, c.want) {
			t.Errorf("%s: recordCID = %x, %v; want %x", c.name, got, ok, c.want)
		}
		if id, ok := serverHelloCID(c.b); ok {
			t.Errorf("%s: serverHelloCID = %x, want none", c.name, id)
		}
	}
}

// FuzzRecordRouting: no datagram makes the record walks panic, and a
// Connection ID found lies inside the datagram.
func FuzzRecordRouting(f *testing.F) {
	f.Add([]byte{25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0})
	f.Add([]byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if cid, ok := recordCID(b, 8); ok && (len(cid) != 8 || !bytes.Contains(b, cid)) {
			t.Fatalf("recordCID = %x", cid)
		}
		serverHelloCID(b)
	})
}

// TestDemuxAllocs: routing a datagram to its session, by Connection ID or
// by address, and reading it there does not allocate once the pool holds a
// buffer (over a transport.AddrPortConn).
func TestDemuxAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if raceEnabled {
		t.Skip("sync.Pool is not deterministic under -race")
	}
	pc, err := udp.Listen(context.Background(), "udp4", "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	d := newDemux(pc, 8)
	key := addrKey{ap: netip.MustParseAddrPort("127.0.0.1:5684")}
	p := newPeerConn(d, key, net.UDPAddrFromAddrPort(key.ap))
	d.byAddr[key] = p
	d.byCID["12345678"] = p
	withCID := append([]byte{25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 2}, "12345678"...)
	withCID = append(withCID, 0, 1, 'x')
	plain := []byte{23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 'h', 'i'}
	moved := addrKey{ap: netip.MustParseAddrPort("127.0.0.1:6000")}
	buf := make([]byte, 64)
	for _, c := range []struct {
		name string
		b    []byte
		from addrKey
	}{
		{"by-cid", withCID, key},
		{"by-cid-moved", withCID, moved}, // the new address's net.Addr is made once
		{"by-address", plain, key},
	} {
		d.dispatch(c.b, c.from, nil)
		p.ReadFrom(buf)
		got := testing.AllocsPerRun(1000, func() {
			d.dispatch(c.b, c.from, nil)
			if n, _, err := p.ReadFrom(buf); err != nil || n != len(c.b) {
				t.Fatalf("read %d, %v", n, err)
			}
		})
		if got != 0 {
			t.Errorf("%s: %v allocs per datagram, want 0", c.name, got)
		}
	}
}
