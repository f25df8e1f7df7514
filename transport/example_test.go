package transport_test

import (
	"fmt"
	"net"
	"time"

	"github.com/iotwire/iotwire/transport"
)

// The helpers of the seam work on any net.PacketConn: they use the
// optional parts (batch I/O, netip addresses) where the transport has them
// and fall back to plain ReadFrom and WriteTo where it does not, as for
// this bare *net.UDPConn.
func ExampleReadBatch() {
	a, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	b, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()

	out := []transport.Message{{Buf: []byte("ping"), Addr: transport.AddrPortOf(b.LocalAddr())}}
	if _, err := transport.WriteBatch(a, out); err != nil {
		fmt.Println(err)
		return
	}
	b.SetReadDeadline(time.Now().Add(10 * time.Second))
	in := []transport.Message{{Buf: make([]byte, transport.MaxDatagramSize(b))}}
	n, err := transport.ReadBatch(b, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, string(in[0].Buf[:in[0].N]), in[0].Addr == transport.AddrPortOf(a.LocalAddr()))
	// Output: 1 ping true
}
