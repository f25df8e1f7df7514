// Package sms is the SMS transport of the LwM2M SMS binding: CoAP messages
// (or DTLS records carrying them, LwM2M SMS security mode 1) sent as binary
// short messages, with concatenation when a message needs more than one
// (LwM2M TS 1.1 Transport section 7, "SMS Binding"; 3GPP TS 23.040).
//
// A [Conn] is a [net.PacketConn] and a [transport.DatagramConn] whose
// addresses are telephone numbers ([Addr], network "sms"): a CoAP endpoint or
// a DTLS session runs over it unchanged. It sits on a [Link], which moves
// single short messages: [ModemLink] adapts the AT modem driver of package
// at (a device with a cellular modem), [SMPPLink] the SMPP client of
// package smpp (a server reaching devices through an operator's SMSC).
//
//	link := sms.ModemLink(modem)
//	c, err := sms.NewConn(link, sms.Config{Local: "+15550001111"})
//	n, err := c.WriteTo(coapMsg, &sms.Addr{Number: "+15551234567"})
//
// # Sending and receiving
//
// WriteTo splits a datagram with package segment: one short message when it
// fits (140 octets), otherwise up to 255 concatenated parts with a
// reference that changes per datagram, all of 8-bit data (TP-DCS 0x04 by
// default, 23.038 section 4). ReadFrom reassembles parts per sender with a
// [segment.Reassembler]: out of order and duplicate parts are handled, a
// datagram is returned once and whole, and an incomplete one is dropped
// after Config.Reassembly.Timeout. Short messages that are not 8-bit data
// (a text message to the device's number) and parts that break 23.040 are
// dropped and counted in [Stats]; they do not end the connection.
//
// Application port addressing (23.040 section 9.2.3.24.4) is off by
// default, as LwM2M sends CoAP without it; Config.Ports turns it on for
// both directions, and ReadFrom then drops messages to other ports.
//
// # Deadlines and cancellation
//
// SetReadDeadline and SetWriteDeadline behave as net.Conn's: a blocked call
// returns an error wrapping [os.ErrDeadlineExceeded] when the deadline
// passes, and a new deadline applies to calls already blocked. Close
// unblocks every call with [net.ErrClosed] and closes the Link.
//
// # Allocation and aliasing
//
// ReadFrom copies the datagram into the caller's buffer; a datagram longer
// than the buffer fills it and comes with [transport.ErrTooLarge], never
// silently cut. The *Addr it returns is shared by the reads from that
// sender (a cache of MaxCachedAddrs numbers): treat it as read-only. A write
// does not allocate beyond what its Link does; a read allocates only for a
// sender's first *Addr and for the Reassembler's growth to its limits.
//
// # Limits
//
// MaxDatagramSize is 255 parts of 134 octets (8-bit reference, the
// default) or 133 (16-bit reference), less 6 per part with ports: 34,170
// octets by default. The Reassembler's [segment.Limits] bound the memory
// held for incomplete datagrams.
package sms
