package smpp

import "github.com/iotwire/iotwire/internal/wire"

// HeaderLen is the size of the PDU header: command_length, command_id,
// command_status and sequence_number, four octets each (SMPP 3.4 3.2).
const HeaderLen = 16

// MaxCommandLength is the largest command_length this package accepts:
// 64 KiB of message_payload (its TLV length is 16 bits, section 5.3.2.32)
// plus 4 KiB for the header, the mandatory fields (at most 205 octets in
// submit_sm) and other TLVs. SMPP 3.4 sets no limit of its own. A [Reader]
// may be given a lower one.
const MaxCommandLength = 64<<10 + 4<<10

// MaxSeq is the largest sequence_number an SMPP entity assigns; numbers
// run from 1 to MaxSeq and then wrap (SMPP 3.4 5.1.4). Decoders accept any
// value, since a response echoes whatever the request carried.
const MaxSeq = 0x7FFFFFFF

// Header is the PDU header (SMPP 3.4 3.2, 5.1). Every PDU type embeds it.
// Encoders compute Length and, for the types of a single command, write
// their own ID; Decode sets every field.
type Header struct {
	Length uint32    // command_length: the whole PDU, header included
	ID     CommandID // command_id
	Status Status    // command_status: 0 in requests
	Seq    uint32    // sequence_number: a response echoes its request's
}

// PeekHeader reads the header at the start of b, for framing and for
// choosing the type to Decode b with. It checks command_length against 16
// and [MaxCommandLength] (ESME_RINVCMDLEN) but not the command_id or the
// body; b may hold less than Length octets.
func PeekHeader(b []byte) (Header, error) {
	h, err := peekHeader(b, "PDU")
	if err != nil {
		return h, err
	}
	return h, nil
}

// peekHeader is PeekHeader; op names the PDU in a truncation error.
func peekHeader(b []byte, op string) (Header, *Error) {
	if len(b) < HeaderLen {
		return Header{}, decErr(op, "header", len(b), ErrTruncated, StatusInvCmdLen, ruleHeader,
			"input ends inside the 16-octet header")
	}
	h := Header{Length: wire.Uint32(b), ID: CommandID(wire.Uint32(b[4:])), Status: Status(wire.Uint32(b[8:])), Seq: wire.Uint32(b[12:])}
	if h.Length < HeaderLen {
		return h, decErr(h.ID.op(), "command_length", 0, ErrMalformed, StatusInvCmdLen, ruleLength,
			"command_length is less than the 16-octet header")
	}
	if h.Length > MaxCommandLength {
		return h, decErr(h.ID.op(), "command_length", 0, ErrLimit, StatusInvCmdLen, ruleLength,
			"command_length exceeds MaxCommandLength")
	}
	return h, nil
}

// appendHeader appends a header of a PDU of total length n.
func appendHeader(b []byte, n int, id CommandID, st Status, seq uint32) []byte {
	b = wire.AppendUint32(b, uint32(n))
	b = wire.AppendUint32(b, uint32(id))
	b = wire.AppendUint32(b, uint32(st))
	return wire.AppendUint32(b, seq)
}

// decodeHeader checks the header of a PDU of one of the given command ids
// and returns it with the PDU (b cut at command_length). Requests must
// carry command_status 0 (5.1.3: "set to NULL" in requests).
func decodeHeader(b []byte, want CommandID) (Header, []byte, *Error) {
	h, err := peekHeader(b, want.op())
	if err != nil {
		return h, nil, err
	}
	if h.ID != want {
		return h, nil, decErr(want.op(), "command_id", 4, ErrMalformed, StatusInvCmdID, ruleID,
			"command_id is not that of this PDU type")
	}
	return checkHeader(h, b)
}

// checkHeader checks the parts of h common to every type and cuts b.
func checkHeader(h Header, b []byte) (Header, []byte, *Error) {
	if int(h.Length) > len(b) {
		return h, nil, decErr(h.ID.op(), "command_length", len(b), ErrTruncated, StatusInvCmdLen, ruleLength,
			"input ends before command_length octets")
	}
	if !h.ID.IsResponse() && h.Status != StatusOK {
		return h, nil, decErr(h.ID.op(), "command_status", 8, ErrMalformed, StatusSysErr, ruleStatus,
			"command_status of a request is not NULL")
	}
	return h, b[:h.Length:h.Length], nil
}
