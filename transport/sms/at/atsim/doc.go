// Package atsim simulates a modem in SMS PDU mode: the DCE side of the AT
// commands of 3GPP TS 27.005 (with the basics of ITU-T V.250 and 3GPP TS
// 27.007) that package at drives, for tests and demos. A [Modem] serves
// AT on any io.ReadWriter: one end of a net.Pipe, or the master side of a
// pseudo-terminal ([OpenPTY], Linux) so that the driver opens a real
// device path.
//
//	sim := atsim.New(atsim.Config{Number: me, Submit: network.submit})
//	a, b := net.Pipe()
//	go sim.Serve(ctx, a)
//	m, err := at.Open(ctx, b, at.Config{})
//	...
//	sim.Deliver(deliverTPDU) // the network brings a message in
//
// # What it answers
//
// AT; ATE0 and ATE1 (echo of each command line, on after a reset);
// AT+CMEE=0|1|2 (error results as ERROR, numeric or verbose); AT+CMGF=0
// (PDU mode; text mode answers +CMS ERROR: 303); AT+CSMS=0|1 (answers
// +CSMS: 1,1,1); AT+CNMI=<mode>,<mt>,<bm>,<ds>,<bfr> with <mt> 0-2, <bm> 0
// and <ds> 0-2; AT+CMGS=<length> with the "> " prompt, then the PDU in
// hex ended by Ctrl-Z (ESC abandons it and answers OK); AT+CNMA with no
// parameter, 0, 1 (RP-ACK) or 2 (RP-ERROR); AT+CMGR=<index>,
// AT+CMGD=<index>[,<delflag>] and AT+CMGL[=<stat>] on a storage numbered
// from 1; the read forms (?) of CMEE, CMGF, CSMS and CNMI. Anything else
// answers ERROR. Characters before the AT prefix are ignored (V.250
// 5.2.1), so the ESC a driver sends before AT does no harm; a line without
// the prefix gets no answer. Responses are framed with CR LF as V.250
// 5.7.1 says for ATV1. A PDU entry is not echoed.
//
// AT+CMGS decodes the SMSC part and the SMS-SUBMIT strictly with package
// tpdu and checks <length> against the TPDU; a PDU that fails answers
// +CMS ERROR: 304 (invalid PDU mode parameter). A good one goes to the
// Config.Submit hook, whose [CMSError] becomes the answer's code.
//
// The network brings messages in with [Modem.Deliver], which routes them
// per +CNMI (see there): stored and announced with +CMTI, or shown
// directly with +CMT; with +CSMS=1 a +CMT waits for AT+CNMA and the next
// is held until then, and Config.AckTimeout (off by default) applies the
// rule of 27.005 3.4.4 for an acknowledgement that never comes.
//
// # Faults
//
// [Modem.FailNextSend] answers the next AT+CMGS with a +CMS ERROR;
// [Modem.Drop] swallows command lines without an answer (the driver times
// out); [Modem.ResetOn] resets the modem on a command line, and
// [Modem.Reset] at once: the settings are forgotten (echo on, +CMEE=0,
// +CSMS=0, +CNMI=0,0,0,0,0), a PDU entry is abandoned, messages waiting
// for AT+CNMA are refused, the storage is kept, and Config.ResetLines
// ("RDY") are printed. [Modem.Emit] writes arbitrary unsolicited lines;
// Config.BeforeFinal runs a hook before each final result code, where a
// test can call Deliver to interleave a +CMT with a command's answer.
//
// # Determinism
//
// Nothing happens on a timer unless Config.AckTimeout is set: output
// follows from the commands read and the calls made, in order. Output is
// written under the modem's lock, so lines never interleave within a line
// or between a header and its PDU. The hooks run without the lock held.
// Writes block until the other side reads (on a net.Pipe): Deliver, Emit
// and Reset return once their lines are read, so a test that calls them
// from the goroutine that reads the modem's output must call them in
// another.
package atsim
