// Package tcp is the stream transport of iotwire: TCP, optionally with TLS
// (crypto/tls), carrying MQTT ([MQTT 5.0, section 4.2]) or CoAP over TCP
// and TLS ([RFC 8323]).
//
// [Dial] and [Listen] open connections; a [Listener] also serves each
// connection in its own goroutine and shuts down gracefully
// ([Listener.Shutdown]). [MQTTConn] and [CoAPConn] pair a connection with
// the framers of mqttpkt and coapmsg: Next returns one whole packet or
// message, after checking its size against the limit before its body is
// read, and WritePacket / WriteMessage encode into a reused buffer.
//
// # Allocation and aliasing
//
// Reading and writing framed messages over TCP does not allocate once the
// buffers have grown to the largest message seen (pinned by the tests).
// Over TLS, crypto/tls itself allocates one small object per TLS record it
// reads (Go 1.26, Conn.readFromUntil); the framing adds nothing. The bytes
// that Next returns alias the connection's read buffer and are valid until
// the next call to Next: decode them into a reused packet value, and use
// its CopyTo to keep it. The write methods encode into a buffer the
// connection owns and have handed the bytes to the kernel (or to TLS) when
// they return.
//
// The framer reads the connection directly into its own buffer, of
// Options.ReadBufferSize bytes to start with (32 KiB by default): each read
// asks for all its free space, so small packets cost neither a system call
// nor a memory copy each (no bufio layer), and framed reading runs at the
// speed of io.ReadFull of the same bytes (see BenchmarkReadMQTT).
//
// # Limits
//
// MQTTConn rejects a packet over its MaxPacketSize (default
// mqttpkt.DefaultMaxPacketSize, 1 MiB) and CoAPConn a message over its
// MaxMessageSize (default coapmsg.DefaultMaxMessageSize, 1152 bytes, RFC
// 8323 section 5.3.1) from the header, before reading the body. After such
// an error the stream cannot be read further: close the connection (for
// CoAP, after a 7.05 Abort).
//
// # Errors
//
// Errors are those of the net and crypto/tls packages and of the framers
// (mqttpkt.ErrLimit, coapmsg.ErrLimit, ErrTruncated and ErrMalformed). Read
// and write deadlines (Options.ReadTimeout and WriteTimeout, or the
// connection's SetDeadline methods) give errors wrapping
// os.ErrDeadlineExceeded. Dial and the TLS handshake stop when their
// context is done.
//
// [MQTT 5.0, section 4.2]: https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html
// [RFC 8323]: https://www.rfc-editor.org/rfc/rfc8323
package tcp
