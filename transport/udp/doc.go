// Package udp is the UDP datagram transport ([RFC 768]) of iotwire, for
// CoAP ([RFC 7252]) and LwM2M: a [Conn] over a [net.UDPConn], IPv4 and
// IPv6, that satisfies [transport.DatagramConn], [transport.AddrPortConn],
// [transport.ContextReader], [transport.BatchReader] and
// [transport.BatchWriter].
//
//	c, err := udp.Listen(ctx, "udp", "127.0.0.1:5683", nil)
//	buf := make([]byte, c.MaxDatagramSize())
//	for {
//		n, peer, err := c.ReadFromContext(ctx, buf)
//		...
//		c.WriteToAddrPort(reply, peer)
//	}
//
// Batch reads and writes use recvmmsg and sendmmsg on Linux, called
// through the socket's syscall.RawConn so that the runtime's poller still
// handles blocking, deadlines and Close; other systems move one datagram
// per call behind the same methods.
//
// # Allocation and aliasing
//
// ReadFromAddrPort, ReadFromContext with a context that cannot be
// cancelled, Read, Write, WriteToAddrPort, ReadBatch and WriteBatch do not
// allocate. For batches the Conn keeps one set of message headers, I/O
// vectors and socket addresses per direction, grown to the largest batch
// seen, and parses each sender's address into a netip.AddrPort in place; a
// batch call made while another of the same direction is running allocates
// a set of its own. An IPv6 link-local peer costs an interface lookup
// (allocating) when its zone differs from the previous one. ReadFrom and
// WriteTo take and return net.Addr values and so allocate, as in the net
// package. ReadFromContext with a cancellable context allocates a timer
// callback and a channel per call.
//
// Buffers belong to the caller: a read fills the buffer passed in and a
// write has copied the datagram into the kernel when it returns.
//
// # Limits
//
// MaxDatagramSize is Options.MaxDatagramSize, or the largest UDP payload of
// the socket's family (65,507 bytes over IPv4, 65,527 over IPv6). A longer
// write fails with [transport.ErrTooLarge]; a datagram longer than the read
// buffer fills the buffer and the read returns [transport.ErrTooLarge] with
// it (Message.Truncated in a batch) where the system reports truncation
// (MSG_TRUNC: Linux, the BSDs, macOS).
//
// # Errors
//
// Errors are those of the net package, and keep their meaning: a Close
// unblocks readers with an error wrapping [net.ErrClosed]; deadlines give
// [os.ErrDeadlineExceeded]; ReadFromContext returns ctx.Err() once its
// context is done. On a connected socket (Dial) the kernel reports an ICMP
// port unreachable from the peer as ECONNREFUSED on a later read or write
// ([transport.IsPeerUnreachable]); that one call fails and the Conn stays
// usable.
//
// [RFC 768]: https://www.rfc-editor.org/rfc/rfc768
// [RFC 7252]: https://www.rfc-editor.org/rfc/rfc7252
package udp
