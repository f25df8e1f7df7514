package at

import (
	"time"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// Mode says how the modem hands received messages to the driver (3GPP TS
// 27.005 section 3.4.1, AT+CNMI <mt> and <ds>).
type Mode uint8

const (
	// ModeDirect has the modem route each SMS-DELIVER straight to the
	// driver as +CMT (AT+CNMI=2,2,0,0,0: <mt>=2), which the driver
	// acknowledges with AT+CNMA when AT+CSMS=1 took (27.005 3.4.4).
	// Class 2 messages are still stored and announced with +CMTI, and
	// read like in ModeStore.
	ModeDirect Mode = iota
	// ModeStore has the modem store each message and announce it with
	// +CMTI (AT+CNMI=2,1,0,0,0: <mt>=1); the driver reads it with AT+CMGR
	// and deletes it with AT+CMGD. At initialisation, and whenever it
	// could not take a message, the driver lists the storage (AT+CMGL=4)
	// and takes every received message there: in this mode the driver
	// owns the storage.
	ModeStore
)

// Config configures a [Modem]. The zero value is usable: every field out
// of its range, the zero value included, means its default.
type Config struct {
	// Mode selects +CMT routing (ModeDirect, the default) or +CMTI
	// storage (ModeStore).
	Mode Mode
	// StatusReports asks for SMS-STATUS-REPORTs: AT+CNMI <ds>=1 (+CDS,
	// acknowledged like +CMT) in ModeDirect, <ds>=2 (+CDSI, read from
	// storage) in ModeStore. The driver hands them out like messages,
	// with Incoming.Type tpdu.TypeStatusReport.
	StatusReports bool
	// SMSC is written in front of each TPDU sent (27.005 3.1 <pdu>); the
	// zero Address writes the length 0, which makes the modem use the
	// SMSC stored in it (AT+CSCA).
	SMSC tpdu.Address

	// CommandTimeout bounds a command from its write to its final result
	// code, and AT+CMGS up to the "> " prompt. Default 10 s, at most 10
	// minutes.
	CommandTimeout time.Duration
	// SendTimeout bounds AT+CMGS from the PDU to its final result code,
	// which waits for the network. Default 120 s (the longest response
	// time modem manuals give for AT+CMGS), at most 10 minutes.
	SendTimeout time.Duration
	// ProbeTimeout bounds the "AT" sent after a timeout to see whether
	// the modem answers before it is initialised again. Default 3 s.
	ProbeTimeout time.Duration

	// MaxLine is the longest line kept from the modem, 400 to 65536
	// octets, default 1024. A PDU line of the largest TPDU with an SMSC
	// address is 376 characters. A longer line is dropped and counted in
	// Stats.BadLines.
	MaxLine int
	// QueueLen is the number of received TPDUs held for Receive, 1 to
	// 4096, default 32. When it is full a +CMT is refused with AT+CNMA=2
	// (the network tries again later), and a stored message stays in
	// storage until there is room.
	QueueLen int

	// Events, when set, receives an Event for resets, timeouts,
	// recoveries and dropped messages. Sends never block: events that do
	// not fit are lost.
	Events chan<- Event
}

const maxTimeout = 10 * time.Minute

func limitDur(d, def time.Duration) time.Duration {
	if d <= 0 || d > maxTimeout {
		return def
	}
	return d
}

func (c Config) resolve() Config {
	c.CommandTimeout = limitDur(c.CommandTimeout, 10*time.Second)
	c.SendTimeout = limitDur(c.SendTimeout, 120*time.Second)
	c.ProbeTimeout = limitDur(c.ProbeTimeout, 3*time.Second)
	c.MaxLine = wire.Limit(c.MaxLine, 400, 1<<16, 1024)
	c.QueueLen = wire.Limit(c.QueueLen, 1, 4096, 32)
	return c
}

// cnmi returns the parameters of AT+CNMI for c (27.005 3.4.1):
// <mode>=2 (buffer the indications while the link is reserved, e.g. in
// data mode, then flush them), <mt> per Mode, <bm>=0 (no cell broadcast),
// <ds> per StatusReports, <bfr>=0 (flush the buffer on entering the mode).
func (c *Config) cnmi() string {
	switch {
	case c.Mode == ModeStore && c.StatusReports:
		return "2,1,0,2,0"
	case c.Mode == ModeStore:
		return "2,1,0,0,0"
	case c.StatusReports:
		return "2,2,0,1,0"
	}
	return "2,2,0,0,0"
}

// EventKind names an [Event].
type EventKind uint8

// The events.
const (
	// EventReset: the modem announced a reset (RDY, +CFUN: 1, ...). A
	// command in flight failed with ErrReset; the driver initialises the
	// modem again.
	EventReset EventKind = iota + 1
	// EventTimeout: a command timed out (Err). The driver probes the
	// modem with "AT" and initialises it again when it answers.
	EventTimeout
	// EventRecovered: the modem was initialised again after a reset or a
	// timeout.
	EventRecovered
	// EventRecoverFailed: probing or initialising the modem again failed
	// (Err); the next command tries again.
	EventRecoverFailed
	// EventDropped: a received TPDU was refused (+CMT, AT+CNMA=2) or left
	// in storage because the receive queue was full.
	EventDropped
	// EventMalformed: a received PDU did not decode (Err). It was
	// acknowledged, or deleted from storage, and dropped: it would not
	// decode on a second try either.
	EventMalformed
)

var eventNames = [...]string{"", "reset", "timeout", "recovered", "recover-failed", "dropped", "malformed"}

// String returns the event's name, such as "reset".
func (k EventKind) String() string {
	if int(k) < len(eventNames) && k > 0 {
		return eventNames[k]
	}
	return "event?"
}

// Event is something the driver did on its own, reported through
// Config.Events.
type Event struct {
	Kind EventKind
	Err  error // for EventTimeout, EventRecoverFailed and EventMalformed
}

// Stats counts what the driver did. Read it with [Modem.Stats].
type Stats struct {
	Sent       uint64 // TPDUs the modem took (+CMGS: <mr>)
	Received   uint64 // TPDUs queued for Receive
	Acked      uint64 // +CMT and +CDS acknowledged with AT+CNMA
	Nacked     uint64 // +CMT and +CDS refused with AT+CNMA=2 (queue full)
	Dropped    uint64 // TPDUs refused or left in storage: queue full
	Malformed  uint64 // received PDUs that did not decode, dropped
	BadLines   uint64 // lines that did not parse, or longer than MaxLine
	Unexpected uint64 // lines nothing explains: a final result code with no command waiting, a PDU line without its header
	Overruns   uint64 // acknowledgements or reads not done: the work queue was full
	Resets     uint64 // reset indications
	Timeouts   uint64 // commands that timed out
	Recoveries uint64 // initialisations after a reset or a timeout that succeeded
}
