// Package transport is the seam between iotwire's codecs and the networks
// that carry them: the small interfaces that datagram transports (UDP, DTLS,
// SMS) and stream transports (TCP, TLS, WebSocket) satisfy, so that a CoAP
// or MQTT client or server can be written once and plugged onto any of them.
//
// A datagram transport is a [net.PacketConn]. Beyond that interface it
// reports the largest datagram it accepts ([DatagramConn]) and may offer
// allocation-free reads and writes with [netip.AddrPort] addresses
// ([AddrPortConn]), batch reads and writes ([BatchReader], [BatchWriter])
// and context-aware reads ([ContextReader]); callers discover the optional
// parts by type assertion, or through the helpers [ReadBatch],
// [WriteBatch] and [MaxDatagramSize], which fall back to the plain
// [net.PacketConn] methods.
//
// A stream transport is a [net.Conn]. Messages are cut out of the stream
// by a [Framer], such as mqttpkt.Reader (MQTT) or coapmsg.Reader (CoAP over
// TCP, RFC 8323); transport/tcp pairs a connection with one.
//
// # Allocation and aliasing
//
// Buffers belong to the caller. A read fills a buffer the caller passes in
// and the transport keeps no reference to it once the call returns; a write
// copies what it needs before returning (into the kernel, or into a record
// for DTLS), so the caller may reuse the buffer at once. The one exception
// is a [Framer]: the frame returned by Next aliases the framer's own
// buffer and is valid only until the next call to Next; copy it (or decode
// it and CopyTo the message) to keep it. A [Message] in a batch carries the
// caller's buffer; after a read, Buf[:N] holds the datagram.
//
// The interfaces themselves do not allocate. Implementations document their
// own costs; transport/udp reads and writes through [AddrPortConn] without
// allocating.
//
// # Limits
//
// [DatagramConn.MaxDatagramSize] is the largest payload a transport sends
// or receives in one datagram: 65,507 bytes for UDP over IPv4, 65,527 over
// IPv6, less for DTLS (record overhead) and for SMS. A Framer enforces its
// own maximum message size before reading a message body.
//
// # Errors
//
// Transports return the errors of the net package: a closed transport gives
// an error wrapping [net.ErrClosed], an expired deadline one wrapping
// [os.ErrDeadlineExceeded] (a [net.Error] whose Timeout is true), a
// cancelled context the context's error. [ErrTooLarge] marks a datagram
// over the transport's limit (not sent, or truncated on receipt). Errors
// caused by ICMP messages, such as a refused port on a connected UDP
// socket, are returned from a single call and do not close the transport;
// [IsPeerUnreachable] recognises them.
//
// # Adding a transport
//
// A new datagram transport implements [net.PacketConn] and
// [DatagramConn.MaxDatagramSize]; it adds [AddrPortConn], [BatchReader],
// [BatchWriter] or [ContextReader] when it can do better than the
// fallbacks, and documents its allocation costs in its package doc.
package transport
