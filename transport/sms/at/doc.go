// Package at drives a cellular modem that sends and receives SMS in PDU
// mode with the AT commands of [3GPP TS 27.005] section 3 (and the basics
// of [3GPP TS 27.007] and [ITU-T V.250]), over any io.ReadWriter: a serial
// port ([OpenSerial], through go.bug.st/serial), a pseudo-terminal, a
// pipe. It carries the TPDUs of package tpdu, for the LwM2M SMS binding.
//
//	port, err := at.OpenSerial("/dev/ttyUSB2", 115200)
//	m, err := at.Open(ctx, port, at.Config{})
//	defer m.Close()
//	mr, err := m.Send(ctx, submitTPDU)    // an SMS-SUBMIT, without the SMSC part
//	in, err := m.Receive(ctx)              // an SMS-DELIVER, decoded and acknowledged
//	var d tpdu.Deliver
//	err = in.Deliver(&d)
//
// [Line] parses one line from the modem, without allocating: final result
// codes (OK, ERROR, NO CARRIER, +CMS ERROR, +CME ERROR), the "> " prompt,
// the information responses of the SMS commands (+CMGS, +CMGR, +CMGL,
// +CSMS), the unsolicited result codes (+CMT, +CMTI, +CDS, +CDSI, RING)
// and the lines modems print when they restart (RDY, +CFUN: 1, ...).
//
// # The driver
//
// A [Modem] runs three goroutines: a reader that splits the modem's output
// into lines and routes each to the command in flight or handles it as an
// unsolicited result code; a writer, so that a write blocked by flow
// control does not block a caller past its context; and a worker that
// acknowledges, reads stored messages and recovers the modem. Commands go
// one at a time; unsolicited lines may come between a command's responses
// and are handled there.
//
// Init ([Modem.Init], run by [Open]) sends ESC, AT, ATE0, AT+CMEE=1,
// AT+CMGF=0, AT+CSMS=1 and AT+CNMI. [Modem.Send] sends AT+CMGS=<length>
// (the TPDU's octets, the SMSC part not counted: 27.005 3.5.1), waits for
// the prompt, writes the SMSC part (00: the modem's stored SMSC, unless
// Config.SMSC) and the TPDU in hexadecimal, then Ctrl-Z, and returns the
// <mr> of +CMGS.
//
// Received messages come one of two ways (Config.Mode). In ModeDirect the
// modem shows each as +CMT: [<alpha>],<length> and the PDU; the driver
// decodes it (tpdu.DecodeSMSC, then tpdu.Deliver or tpdu.StatusReport,
// strictly) and acknowledges it with AT+CNMA, which +CSMS=1 requires
// before the modem shows the next (27.005 3.4.4). When the receive queue
// is full it refuses the message with AT+CNMA=2 (RP-ERROR), and the
// network tries again later. A PDU that does not decode is acknowledged
// and dropped, because it would not decode on a second try either. In
// ModeStore the modem stores each message and announces it with +CMTI:
// <mem>,<index>; the driver reads it with AT+CMGR and deletes it with
// AT+CMGD once queued. With the queue full it leaves messages in storage,
// and lists the storage (AT+CMGL=4) when Receive makes room, as it does at
// initialisation: in this mode it takes every received message stored.
// It reads from the storage AT+CMGR uses (<mem1> of AT+CPMS), which it
// assumes is the one +CMTI names.
//
// # Recovery
//
// A reset indication (RDY, ^SYSSTART, +CFUN: 1, +CPIN: READY, SMS Ready)
// fails the command in flight with ErrReset and makes the worker run the
// initialisation again. A command that times out fails with ErrTimeout;
// AT+CMGS then writes ESC, which abandons a PDU entry the modem may still
// wait for. The worker then probes the modem with AT (Config.ProbeTimeout)
// and, when it answers, initialises it again; if it does not, the next
// command probes again. An answer that arrives after its command timed
// out is stale: the driver drops final result codes that no command waits
// for, but like any AT driver it cannot tell a late OK from the probe's.
// A +CMS ERROR: 340 to AT+CNMA (the acknowledgement came too late, and
// 27.005 3.4.4 has the modem stop routing) also makes it initialise the
// modem again. Config.Events reports these as [Event] values and
// [Modem.Stats] counts them.
//
// # Allocation and aliasing
//
// Line.Parse, Line.AppendText, AppendHex and DecodeHex do not allocate;
// Line's byte slices alias the parsed line. In steady state Send does not
// allocate, nor does receiving a message with ReceiveInto into a reused
// Incoming, including the AT+CNMA the driver sends for it (measured over
// a net.Pipe, BenchmarkSegment). An [Incoming] holds its octets inline:
// its TPDU and what tpdu decodes from it alias the Incoming itself, and
// decoding makes it escape to the heap, so an Incoming returned by Receive
// and then decoded costs one allocation of 224 bytes. Errors allocate. The
// allocation tests pin the counts. Send does not retain its TPDU.
//
// # Limits
//
// Config bounds the lines kept (MaxLine, default 1024 octets; longer ones
// are dropped and counted), the TPDUs queued for Receive (QueueLen,
// default 32) and each command (CommandTimeout 10 s, SendTimeout 120 s,
// ProbeTimeout 3 s); the zero value means the defaults. The work queue of
// acknowledgements and reads holds 64 entries; past that the work is
// dropped and counted (Stats.Overruns) and, for a read, the storage is
// listed later. A PDU is at most 188 octets (an SMSC part of 12 and a TPDU
// of 176). A reader that gets any bytes at all from the modem keeps at
// most these, whatever the bytes are (FuzzModem checks it).
//
// # Errors
//
// Parse errors are [*Error] values of class [ErrMalformed] with the field
// and the byte offset in the line. Error result codes are [*ModemError]
// values ([ErrModem]) with the code of +CMS ERROR or +CME ERROR and its
// name from the tables of 27.005 3.2.5 and 27.007 9.2 ([CMSErrorName],
// [CMEErrorName]). The driver's own errors are *Error values of class
// [ErrTimeout] (wrapping os.ErrDeadlineExceeded), [ErrReset], [ErrClosed]
// (wrapping net.ErrClosed; with the read error as its cause once the
// connection ended) or [ErrLimit]. A done context gives ctx.Err(). Send
// returns the tpdu error for a TPDU it refuses.
//
// # Adding a command or a line
//
// A response line the driver should read gets a Kind, a case in
// parsePlus citing its section of 27.005 or 27.007, its fields in Line and
// a case in AppendText, rows in the table and error tests and a seed in
// FuzzLine. A command is a call of Modem.simple with its Op constant,
// plus, if its answer carries data, a cmdKind whose lines handleLine routes
// to the command.
//
// [3GPP TS 27.005]: https://www.3gpp.org/DynaReport/27005.htm
// [3GPP TS 27.007]: https://www.3gpp.org/DynaReport/27007.htm
// [ITU-T V.250]: https://www.itu.int/rec/T-REC-V.250
package at
