// Package smpp encodes and decodes the PDUs of SMPP 3.4 ([SMPP 3.4], Short
// Message Peer-to-Peer Protocol, issue 1.2) without allocating, frames them
// on a stream, and provides an ESME client ([Client]): the way a server
// reaches devices by SMS through an operator's SMSC, for the LwM2M SMS
// binding (CoAP in 8-bit binary SMS with a User Data Header).
//
// The codec covers the header (3.2, 5.1), bind_transmitter, bind_receiver
// and bind_transceiver and their responses ([Bind], [BindResp], 4.1),
// [Unbind] and [UnbindResp] (4.2), [GenericNack] (4.3), [SubmitSM] and
// [SubmitSMResp] (4.4), [DeliverSM] and [DeliverSMResp] (4.6),
// [EnquireLink] and [EnquireLinkResp] (4.11), and the optional parameters
// (TLVs, 5.3) as a raw region ([TLVs]) with accessors for message_payload,
// the SAR TLVs, the ports, receipted_message_id, message_state and
// sc_interface_version. Each type has Decode, Len and AppendBinary:
//
//	h, pdu, err := r.Next() // a Reader on the connection
//	switch h.ID {
//	case smpp.CmdDeliverSM:
//		_, err = dm.Decode(pdu) // dm reused: no allocation
//		ud := dm.UserData()     // short_message or message_payload
//		if dm.ESMClass.UDHI() { ... } // ud starts with a User Data Header
//	}
//	out, err = sm.AppendBinary(out[:0])
//
// # Strictness
//
// Decode rejects what breaks the field tables: a command_length below 16,
// above [MaxCommandLength] or not where the last field ends; a command_id
// other than the type's; a request with a command_status other than 0; a
// C-Octet String without NULL or longer than its field's maximum (3.1, the
// "Var. max" of section 4: system_id 16, password 9, system_type 13,
// address_range 41, service_type 6, addresses 21, message_id 65); a
// schedule_delivery_time or validity_period neither NULL nor 16 characters
// (7.1); an sm_length above 254 or past the end of the PDU (5.2.21); a
// TLV that overruns the PDU; a message_payload together with a non-empty
// short_message (5.3.2.32); a checked TLV (those with accessors) that
// repeats, has the wrong length, a segment count or number of 0, a
// sequence number above the total, a message_state outside 1-8, or a
// receipted_message_id that is not a C-Octet String. Bodies are allowed
// only where section 4 has them: bind, unbind, enquire_link and
// generic_nack have no TLVs.
//
// Decode accepts, and keeps: any sequence_number (5.1.4 assigns 1 to
// 0x7FFFFFFF, but a response echoes what it got); a response without body
// when its command_status is not 0 (4.1.2, 4.4.2) and a submit_sm_resp or
// deliver_sm_resp without body on success, which SMSCs send; a
// deliver_sm_resp with a message_id; unknown TLVs and tags (kept in wire
// order); any TON, NPI, esm_class, priority, data_coding or character in
// a C-Octet String. The values a receiving SMSC checks (priority_flag
// 0-3, reserved bits, the esm_class message types per operation, the time
// format, the SAR TLVs as a set, a UDHI without header) are checked by
// [SubmitSM.Validate] and [DeliverSM.Validate].
//
// Encoders check the same rules and return b unchanged with an *Error;
// re-encoding a decoded PDU gives the input, except for a submit_sm_resp
// or deliver_sm_resp without body and status 0 (encoded with a NULL
// message_id) and bodies that section 4 does not return on error.
//
// # Allocation and aliasing
//
// Decode, AppendBinary, Len, PeekHeader, the TLV accessors and iterator,
// and Reader.Next do not allocate. The []byte fields of a decoded PDU and
// its TLVs alias the buffer passed to Decode, with their capacity clipped,
// and are valid until that buffer is reused (for a Reader, until the next
// Next); CopyTo copies them into a buffer of the caller's. Errors allocate
// one *Error. The allocation tests pin the counts.
//
// The [Client] allocates per message: the message_id string of a
// submit_sm_resp, and a copy of each deliver_sm, which Receive hands over
// for the caller to keep.
//
// # Limits
//
// A PDU is at most [MaxCommandLength] octets (68 KiB: a 64 KiB
// message_payload and 4 KiB for the rest); a [Reader] may set a lower
// limit and rejects a longer command_length from the header, before
// reading the body. The client's window, receive queue and timers are in
// [Config], each with its range and default.
//
// # Errors
//
// Codec errors are [*Error] values naming the PDU, the field, the byte
// offset in the PDU, the section and the class: [ErrTruncated] when the
// input ends before the PDU does (wrapping io.ErrUnexpectedEOF),
// [ErrMalformed] for the rules above, [ErrLimit] for a PDU over the limit.
// Each also carries the [Status] a receiver answers with (ESME_RINVCMDLEN,
// ESME_RINVMSGLEN, ESME_RINVOPTPARSTREAM, ...). A Status is itself an
// error: the client returns the command_status of a failed response as
// one, so errors.Is(err, smpp.StatusInvPaswd) works, and a generic_nack as
// a [*NackError] wrapping its Status.
//
// # Adding a PDU or a TLV
//
// A PDU type gets a file with its struct (embedding Header), Decode built on
// decodeHeader and the reader cursor with the field table's maxima, Len,
// AppendBinary checking what Decode checks, rows in the vector, error,
// allocation and fuzz tables, and a case in Client.dispatch. A TLV with an
// accessor gets a case in Tag.rule (its presence bit, length range and
// section), a value check in checkTLVs if it has a range, and the
// accessor on TLVs.
//
// [SMPP 3.4]: https://smpp.org/SMPP_v3_4_Issue1_2.pdf
package smpp
