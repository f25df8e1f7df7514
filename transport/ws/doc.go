// Package ws carries MQTT ([MQTT 5.0, section 6]; [MQTT 3.1.1, section 6])
// and CoAP ([RFC 8323, section 4]) over WebSocket connections ([RFC 6455]),
// on github.com/coder/websocket: a client ([DialMQTT], [DialCoAP]) and a
// server side ([MQTTHandler], [CoAPHandler], http.Handlers to mount on an
// http.Server), for ws:// and wss:// URLs.
//
// The two protocols use WebSocket messages differently, so the package
// exposes them differently:
//
//   - MQTT negotiates the subprotocol "mqtt" and sends binary messages,
//     but a packet may span several messages and a message may hold
//     several packets (MQTT 5.0 section 6). The connection is therefore a
//     byte stream (a net.Conn over the binary messages) framed by a
//     [tcp.MQTTConn], the same type as over TCP: NextPacket, WritePacket
//     and the packet size limit work unchanged.
//   - CoAP negotiates "coap" and sends exactly one message, without a
//     length field, per binary WebSocket message (RFC 8323 section 4.2). A
//     [CoAPConn] reads one WebSocket message into a reused buffer per Next,
//     for coapmsg.Message.DecodeWS, and WriteMessage sends
//     Message.AppendWS as one message. Its default path is
//     [WellKnownCoAP] (RFC 8323 section 4.1).
//
// The package lives beside transport/tcp rather than inside it so that TCP
// users do not link an HTTP client and server.
//
// # Allocation and aliasing
//
// The frames that Next and NextPacket return alias the connection's read
// buffer and are valid until the next call, as over TCP; write methods
// encode into a buffer the connection owns and have handed the message to
// the WebSocket connection when they return. Once the buffers have grown,
// reading and writing allocate nothing, with or without ReadTimeout and
// WriteTimeout (pinned by the allocation test): the library is called with
// a context that has no Done channel, for which it arms nothing per
// message, and timeouts are one reused timer per direction that closes the
// connection when it fires (as websocket.NetConn's deadlines do).
// NextContext with a caller's cancellable context lets the library
// allocate for that call.
//
// # Limits
//
// Options.MaxSize bounds a packet (MQTT, default
// mqttpkt.DefaultMaxPacketSize, 1 MiB, checked from the fixed header
// before the body is read) or a message (CoAP, default
// coapmsg.DefaultMaxMessageSize, 1152 bytes). A CoAP message is read up
// to one byte past the limit: a longer one closes the connection with
// status 1009 (Message Too Big) and Next returns an error wrapping
// coapmsg.ErrLimit; memory stays bounded by the limit.
//
// # Errors
//
// Dial errors are those of the HTTP handshake (github.com/coder/websocket
// and net/http). A peer that does not select the subprotocol is an error
// wrapping [ErrSubprotocol], on both sides; the server closes such a
// connection with status 1002 (Protocol Error). A normal close by the
// peer (status 1000 or 1001) reads as io.EOF. Deadlines (Options.ReadTimeout
// and WriteTimeout, the net.Conn deadline methods of an MQTT connection,
// or a cancelled context given to NextContext) close the WebSocket
// connection when they expire during a read or write, as
// github.com/coder/websocket does: unlike a TCP connection, it cannot be
// used afterwards.
//
// [RFC 6455]: https://www.rfc-editor.org/rfc/rfc6455
// [RFC 8323, section 4]: https://www.rfc-editor.org/rfc/rfc8323#section-4
// [MQTT 5.0, section 6]: https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901285
// [MQTT 3.1.1, section 6]: https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html#_Toc398718127
package ws
