// Package dtls is DTLS 1.2 ([RFC 6347]) for iotwire's datagram transports,
// on github.com/pion/dtls/v3: a [Listener] that accepts many peers on one
// socket ([Listen] on a UDP address, or [NewListener] over any
// net.PacketConn such as a udp.Conn) and a client ([Dial], or [Client] over
// any net.PacketConn), with pre-shared keys ([RFC 4279]; LwM2M's mandatory
// TLS_PSK_WITH_AES_128_CCM_8, [RFC 6655]), X.509 certificates and
// Connection IDs ([RFC 9146]).
//
// The server enables Connection IDs by default (Config.ConnectionIDLength,
// 8 bytes): a peer whose NAT binding changes keeps its session, because its
// records carry the ID and the server moves the session to the new address
// (RFC 9146 section 6). The Listener reads the socket itself and routes
// each datagram to its session by that ID, or by the sender's address for
// records without one. Clients offer to send Connection IDs (a zero-length
// ID of their own) unless told otherwise. Only pion's ...WithOptions API is
// used.
//
// # Allocation and aliasing
//
// A Conn is a net.Conn whose Read returns one record's payload (one CoAP
// message) and whose Write sends one record. pion/dtls allocates per
// record. On the server the Listener copies each datagram into a pooled
// buffer for its session, without allocating in steady state over a
// udp.Conn (a socket that is not a transport.AddrPortConn costs the
// address of each datagram and its string). Buffers passed to Read and
// Write stay the caller's. PSKIdentity and PeerCertificates return copies.
//
// # Limits
//
// A handshake is bounded by Config.HandshakeTimeout (DefaultHandshakeTimeout).
// The Listener reads datagrams of up to 8,192 bytes, queues up to 128 new
// peers for Accept and up to 128 datagrams per session, and drops what
// exceeds these bounds, as a full socket buffer would.
// Records are sized to Config.MTU (pion's default 1200 bytes when 0);
// Conn.MaxDatagramSize is the payload that fits one record.
//
// # Errors
//
// Handshake failures (unknown PSK identity, bad certificate, timeout) come
// from Dial and HandshakeContext, and end the connection in Serve. After
// Close, reads return an error wrapping net.ErrClosed; deadlines give
// errors whose Timeout is true.
//
// [RFC 6347]: https://www.rfc-editor.org/rfc/rfc6347
// [RFC 4279]: https://www.rfc-editor.org/rfc/rfc4279
// [RFC 6655]: https://www.rfc-editor.org/rfc/rfc6655
// [RFC 9146]: https://www.rfc-editor.org/rfc/rfc9146
package dtls
