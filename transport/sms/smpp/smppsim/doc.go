// Package smppsim is a simulated SMSC speaking SMPP 3.4 (package smpp) on a
// TCP listener, for tests and demos on the loopback interface.
//
// It accepts binds from the accounts of its [Config] (system_id and
// password; a wrong password is ESME_RINVPASWD, an unknown system_id
// ESME_RINVSYSID, a second bind ESME_RALYBND), answers enquire_link and
// unbind, and checks each submit_sm strictly: smpp.SubmitSM.Decode and
// Validate, and the bind state (ESME_RINVBNDSTS for a receiver or an
// unbound session). A valid submit_sm goes to the Config.Submit hook, which
// stands for the rest of the simulated network and decides the
// message_id and command_status. The network sends the other way with
// [SMSC.Deliver], which pushes a deliver_sm to a receiver or transceiver
// bound with a system_id and waits for its deliver_sm_resp. [SMSC.EnquireLink],
// [SMSC.Unbind] and [SMSC.Disconnect] act on an account's sessions; faults
// injected with [SMSC.Inject] drop a response, answer with a given status
// or generic_nack, or close the connection, for the next matching
// requests.
//
// The simulator is deterministic: message_ids count up from 1 unless the
// hook gives them, sessions are chosen in the order they bound, faults
// apply in the order injected, and nothing depends on timers other than
// the write timeout.
//
// # Allocation and aliasing
//
// The *smpp.SubmitSM passed to Config.Submit aliases the session's read
// buffer: it is valid only during the call. Copy what you keep
// (SubmitSM.CopyTo, or bytes.Clone of the fields).
//
// # Limits
//
// PDUs over Config.MaxCommandLength (default smpp.MaxCommandLength) are
// answered with generic_nack ESME_RINVCMDLEN and end the session. Each
// session holds one read buffer of the largest PDU it read and one write
// buffer.
//
// # Errors
//
// Deliver, EnquireLink and Unbind return ErrNotBound when no session of
// the account is bound suitably, ErrClosed after Close, the deliver_sm_resp
// status as an smpp.Status, an *smpp.NackError for a generic_nack, an
// error wrapping smpp.ErrConnLost when the session ends first, or the
// context's error.
package smppsim
