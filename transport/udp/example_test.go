package udp_test

import (
	"context"
	"fmt"
	"time"

	"github.com/iotwire/iotwire/transport"
	"github.com/iotwire/iotwire/transport/udp"
)

// An echo exchange on loopback: ReadFromContext and WriteToAddrPort do not
// allocate, and the buffers stay the caller's.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	srv, err := udp.Listen(ctx, "udp4", "127.0.0.1:0", nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	cli, err := udp.Dial(ctx, "udp4", srv.LocalAddrPort().String(), nil)
	if err != nil {
		panic(err)
	}
	defer cli.Close()

	cli.Write([]byte("ping"))
	buf := make([]byte, srv.MaxDatagramSize())
	n, peer, err := srv.ReadFromContext(ctx, buf)
	if err != nil {
		panic(err)
	}
	srv.WriteToAddrPort(append(buf[:n:n], "-pong"...), peer)
	n, _, err = cli.ReadFromContext(ctx, buf)
	fmt.Println(string(buf[:n]), err)
	// Output: ping-pong <nil>
}

// Batch I/O: several datagrams per system call where the kernel supports it.
func ExampleConn_ReadBatch() {
	ctx := context.Background()
	srv, _ := udp.Listen(ctx, "udp4", "127.0.0.1:0", nil)
	defer srv.Close()
	cli, _ := udp.Listen(ctx, "udp4", "127.0.0.1:0", nil)
	defer cli.Close()

	out := []transport.Message{
		{Buf: []byte("one"), Addr: srv.LocalAddrPort()},
		{Buf: []byte("two"), Addr: srv.LocalAddrPort()},
	}
	cli.WriteBatch(out)

	in := make([]transport.Message, 8)
	for i := range in {
		in[i].Buf = make([]byte, 1500)
	}
	srv.SetReadDeadline(time.Now().Add(3 * time.Second))
	for got := 0; got < 2; {
		n, err := srv.ReadBatch(in)
		if err != nil {
			panic(err)
		}
		for _, m := range in[:n] {
			fmt.Println(string(m.Buf[:m.N]))
		}
		got += n
	}
	// Output:
	// one
	// two
}
