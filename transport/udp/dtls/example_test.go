package dtls_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iotwire/iotwire/transport/udp/dtls"
)

// A DTLS 1.2 server with a pre-shared key, as LwM2M's PSK security mode
// uses it (TLS_PSK_WITH_AES_128_CCM_8), and a client. The server learns the
// client's PSK identity, which an LwM2M server maps to the endpoint.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys := map[string][]byte{"device-1": []byte("secret-key-16byt")}
	server := &dtls.Config{PSK: func(id []byte) ([]byte, error) {
		if k, ok := keys[string(id)]; ok {
			return k, nil
		}
		return nil, errors.New("unknown identity")
	}}
	l, err := dtls.Listen(ctx, "udp4", "127.0.0.1:0", server)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	go l.Serve(func(ctx context.Context, c *dtls.Conn) {
		buf := make([]byte, 1500)
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		c.Write(append([]byte(string(c.PSKIdentity())+" says "), buf[:n]...))
	})

	client := &dtls.Config{PSKIdentity: []byte("device-1"),
		PSK: func(hint []byte) ([]byte, error) { return keys["device-1"], nil }}
	c, err := dtls.Dial(ctx, "udp4", l.Addr().String(), client)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("hello")); err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, 1500)
	n, err := c.Read(buf)
	fmt.Println(string(buf[:n]), err, c.CipherSuite())
	// Output: device-1 says hello <nil> TLS_PSK_WITH_AES_128_CCM_8
}
