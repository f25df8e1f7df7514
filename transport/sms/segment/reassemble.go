package segment

import (
	"bytes"
	"time"

	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// MaxKeyLen is the longest key a [Reassembler] accepts: an originator's
// text ("+" and 20 digits, or 11 alphanumeric characters as UTF-8) fits.
const MaxKeyLen = 64

// recHdr is the size of the record header in front of each part held:
// slot (2 octets), sequence number and length.
const recHdr = 4

// Defaults and ranges of [Limits].
const (
	DefaultMaxPending = 16
	DefaultMaxBytes   = 128 << 10
	DefaultTimeout    = 3 * time.Minute
	maxMaxPending     = 1024
	maxMaxBytes       = 16 << 20
	// minMaxBytes holds one full part and its record header.
	minMaxBytes = tpdu.MaxUserData + recHdr
	// doneRing is how many completed messages are remembered, so that a
	// late duplicate of one of their parts does not start a new message.
	doneRing = 32
)

// Limits bound the memory and time a [Reassembler] spends on incomplete
// messages. A field out of its range, the zero value included, means its
// default.
type Limits struct {
	// MaxPending is the number of incomplete messages held at once, 1 to
	// 1024; default 16. A part of a new message beyond it evicts the
	// oldest incomplete message.
	MaxPending int
	// MaxBytes bounds the storage for the parts held, counting 4 octets of
	// bookkeeping per part, from 144 to 16 MiB; default 128 KiB. A part
	// beyond it evicts the oldest other incomplete messages; a message that
	// alone would exceed it is dropped with an ErrLimit error.
	MaxBytes int
	// MaxParts is the largest total accepted, 1 to 255; default 255.
	MaxParts int
	// Timeout is how long after its first part an incomplete message is
	// dropped, 1ns and more; default 3 minutes. 3GPP TS 23.040 sets no
	// value.
	Timeout time.Duration
}

func (l Limits) resolve() Limits {
	l.MaxPending = wire.Limit(l.MaxPending, 1, maxMaxPending, DefaultMaxPending)
	l.MaxBytes = wire.Limit(l.MaxBytes, minMaxBytes, maxMaxBytes, DefaultMaxBytes)
	l.MaxParts = wire.Limit(l.MaxParts, 1, MaxParts, MaxParts)
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	return l
}

// Message is a reassembled payload.
type Message struct {
	// Payload is owned by the Reassembler that returned it: it is valid
	// until that Reassembler's next Add or AddDeliver. Copy it to retain.
	Payload []byte
	// Ports is the application port addressing element of the parts, when
	// HasPorts is set.
	Ports    tpdu.Ports
	HasPorts bool
	// Parts is the number of parts: 1 for a short message that was not
	// concatenated.
	Parts int
}

// Stats counts what a Reassembler did with the parts it was given.
type Stats struct {
	Delivered  uint64 // messages delivered
	Duplicates uint64 // parts ignored as duplicates
	Expired    uint64 // incomplete messages dropped by the timeout
	Evicted    uint64 // incomplete messages dropped for room (MaxPending, MaxBytes)
	Rejected   uint64 // parts rejected with an error
}

// entry is an incomplete message.
type entry struct {
	used     bool
	wide     bool
	idx      uint16 // index in Reassembler.slots
	hasPorts bool
	klen     uint8
	total    uint8
	got      uint8 // parts held
	ref      uint16
	ports    tpdu.Ports
	key      [MaxKeyLen]byte
	order    uint64 // arrival of the first part, for eviction
	first    time.Time
	held     int             // record octets in the arena
	off      [MaxParts]int32 // arena offset of the record of part seq, -1 when absent
}

// done remembers a completed message.
type done struct {
	wide  bool
	klen  uint8
	total uint8
	ref   uint16
	key   [MaxKeyLen]byte
	at    time.Time
}

// Reassembler puts concatenated short messages back together (3GPP TS
// 23.040 9.2.3.24.1 and 9.2.3.24.8). The zero value is ready to use with
// the default [Limits]; [NewReassembler] sets others. A Reassembler is not
// safe for concurrent use.
//
// Parts belong to one message when they share the key (the originator's
// address, or any key of the caller's), the width and value of the
// reference, and the total.
type Reassembler struct {
	lim    Limits
	inited bool
	slots  []entry
	live   int // entries in use
	arena  []byte
	alive  int // live record octets in the arena
	out    []byte
	order  uint64
	done   [doneRing]done
	doneN  int // next slot of the ring
	kbuf   [MaxKeyLen]byte
	stats  Stats
}

// NewReassembler returns a Reassembler with the limits l (zero fields mean
// their defaults).
func NewReassembler(l Limits) *Reassembler {
	r := &Reassembler{lim: l.resolve(), inited: true}
	return r
}

func (r *Reassembler) init() {
	if !r.inited {
		r.lim = r.lim.resolve()
		r.inited = true
	}
}

// Limits returns the limits in force, with the defaults filled in.
func (r *Reassembler) Limits() Limits {
	r.init()
	return r.lim
}

// Stats returns the counters.
func (r *Reassembler) Stats() Stats { return r.stats }

// Pending returns the number of incomplete messages held.
func (r *Reassembler) Pending() int { return r.live }

// Held returns the octets of storage the parts held use, record headers
// included; it never exceeds Limits.MaxBytes.
func (r *Reassembler) Held() int { return r.alive }

// Reset drops every incomplete message and the memory of completed ones,
// keeping the storage for reuse.
func (r *Reassembler) Reset() {
	for i := range r.slots {
		r.slots[i].used = false
	}
	r.live, r.alive, r.arena = 0, 0, r.arena[:0]
	r.done = [doneRing]done{}
	r.doneN = 0
}

// AddDeliver is [Reassembler.Add] keyed by the originator of d, written as
// text ([tpdu.Address.AppendText]) into storage of the Reassembler. It
// returns an ErrUnsupported *Error when d's data coding is not 8-bit data.
func (r *Reassembler) AddDeliver(now time.Time, d *tpdu.Deliver) (m Message, ok bool, err error) {
	if d.DCS.Alphabet() != tpdu.Data8 || d.DCS.Compressed() {
		r.stats.Rejected++
		return Message{}, false, newErr("TP-DCS", ErrUnsupported, ruleDCS, "user data is not 8-bit data")
	}
	key := d.Originator.AppendText(r.kbuf[:0])
	return r.Add(now, key, &d.UserData)
}

// Add takes one part, the user data of a short message with 8-bit data
// from the sender key, received at now. It returns the message and true
// when the part completes one: at once for a short message without a
// concatenation element (or with a total of 1), else when the last missing
// part arrives. A part already held, or one of a message delivered lately
// (within Limits.Timeout), is ignored: Add returns false and a nil error.
// Add first drops the messages older than Limits.Timeout.
//
// Add copies what it keeps; key and ud may be reused when it returns. The
// payload returned is owned by the Reassembler (see [Message]).
//
// Errors (nothing is kept): an ErrMalformed *Error for a concatenation
// element with a total of 0, a sequence number of 0 or above the total, an
// element of the wrong length, or user data over 140 octets; ErrConflict for
// a total or ports that differ from the parts held under the same key and
// reference (the parts held stay); ErrLimit for a total above
// Limits.MaxParts, a key longer than [MaxKeyLen], or a message that does not
// fit in Limits.MaxBytes (it is dropped).
func (r *Reassembler) Add(now time.Time, key []byte, ud *tpdu.UserData) (m Message, ok bool, err error) {
	r.init()
	m, ok, err = r.add(now, key, ud)
	if err != nil {
		r.stats.Rejected++
	}
	return m, ok, err
}

func (r *Reassembler) add(now time.Time, key []byte, ud *tpdu.UserData) (Message, bool, error) {
	if len(key) > MaxKeyLen {
		return Message{}, false, newErr("key", ErrLimit, ruleLimits, "key longer than 64 octets")
	}
	udl := len(ud.Body)
	if ud.Header != nil {
		udl += 1 + len(ud.Header)
	}
	if udl > tpdu.MaxUserData {
		return Message{}, false, newErr("TP-UD", ErrMalformed, ruleUD, "user data longer than 140 octets")
	}
	var (
		c              tpdu.Concat
		hasC, hasPorts bool
		ports          tpdu.Ports
	)
	it := ud.IEs()
	for it.Next() {
		ie := it.IE()
		switch ie.ID {
		case tpdu.IEConcat8:
			if len(ie.Data) != 3 {
				return Message{}, false, newErr("concat", ErrMalformed, ruleConcat, "8-bit reference element is not 3 octets")
			}
			c, hasC = tpdu.Concat{Ref: uint16(ie.Data[0]), Total: ie.Data[1], Seq: ie.Data[2]}, true
		case tpdu.IEConcat16:
			if len(ie.Data) != 4 {
				return Message{}, false, newErr("concat", ErrMalformed, ruleConcat16, "16-bit reference element is not 4 octets")
			}
			c, hasC = tpdu.Concat{Ref: uint16(ie.Data[0])<<8 | uint16(ie.Data[1]), Total: ie.Data[2], Seq: ie.Data[3], Wide: true}, true
		case tpdu.IEPorts8:
			if len(ie.Data) != 2 {
				return Message{}, false, newErr("ports", ErrMalformed, rulePorts8, "8-bit port element is not 2 octets")
			}
			ports, hasPorts = tpdu.Ports{Dst: uint16(ie.Data[0]), Src: uint16(ie.Data[1])}, true
		case tpdu.IEPorts16:
			if len(ie.Data) != 4 {
				return Message{}, false, newErr("ports", ErrMalformed, rulePorts, "16-bit port element is not 4 octets")
			}
			ports, hasPorts = tpdu.Ports{Dst: uint16(ie.Data[0])<<8 | uint16(ie.Data[1]), Src: uint16(ie.Data[2])<<8 | uint16(ie.Data[3]), Wide: true}, true
		}
	}
	if err := it.Err(); err != nil {
		return Message{}, false, err
	}
	r.expire(now)
	// 9.2.3.24.1 tells a receiver to ignore a concatenation element with a
	// total of 0 or a sequence number of 0 or above the total, which would
	// pass a fragment on as if it were the whole message; these are
	// rejected instead.
	switch {
	case !hasC:
		return r.deliver(ud.Body, ports, hasPorts, 1), true, nil
	case c.Total == 0:
		return Message{}, false, newErr("concat total", ErrMalformed, ruleConcat, "total of 0 parts")
	case c.Seq == 0:
		return Message{}, false, newErr("concat seq", ErrMalformed, ruleConcat, "sequence number 0")
	case c.Seq > c.Total:
		return Message{}, false, newErr("concat seq", ErrMalformed, ruleConcat, "sequence number above the total")
	case int(c.Total) > r.lim.MaxParts:
		return Message{}, false, newErr("concat total", ErrLimit, ruleLimits, "total above Limits.MaxParts")
	case c.Total == 1:
		return r.deliver(ud.Body, ports, hasPorts, 1), true, nil
	}
	e := r.find(key, c)
	if e != nil {
		if e.total != c.Total {
			return Message{}, false, newErr("concat total", ErrConflict, ruleConcat, "total differs from the parts held for this reference")
		}
		if e.hasPorts != hasPorts || e.ports != ports {
			return Message{}, false, newErr("ports", ErrConflict, rulePorts, "ports differ from the parts held for this reference")
		}
		if e.off[c.Seq-1] >= 0 {
			r.stats.Duplicates++
			return Message{}, false, nil
		}
	} else {
		if r.recentlyDone(now, key, c) {
			r.stats.Duplicates++
			return Message{}, false, nil
		}
		e = r.newEntry(now, key, c, ports, hasPorts)
	}
	need := recHdr + len(ud.Body)
	if e.held+need > r.lim.MaxBytes {
		r.free(e)
		return Message{}, false, newErr("message", ErrLimit, ruleLimits, "message exceeds Limits.MaxBytes")
	}
	for r.alive+need > r.lim.MaxBytes {
		r.evictOldest(e)
	}
	r.store(e, c.Seq, ud.Body)
	if e.got < e.total {
		return Message{}, false, nil
	}
	// Complete: assemble in order, remember, free.
	r.out = r.out[:0]
	for i := 0; i < int(e.total); i++ {
		o := int(e.off[i])
		n := int(r.arena[o+3])
		r.out = append(r.out, r.arena[o+recHdr:o+recHdr+n]...)
	}
	r.remember(now, e)
	m := Message{Payload: r.out, Ports: e.ports, HasPorts: e.hasPorts, Parts: int(e.total)}
	r.free(e)
	r.stats.Delivered++
	return m, true, nil
}

// deliver copies a message of one part to the output buffer.
func (r *Reassembler) deliver(body []byte, ports tpdu.Ports, hasPorts bool, parts int) Message {
	r.out = append(r.out[:0], body...)
	r.stats.Delivered++
	return Message{Payload: r.out, Ports: ports, HasPorts: hasPorts, Parts: parts}
}

func (r *Reassembler) find(key []byte, c tpdu.Concat) *entry {
	for i := range r.slots {
		e := &r.slots[i]
		if e.used && e.ref == c.Ref && e.wide == c.Wide && bytes.Equal(e.key[:e.klen], key) {
			return e
		}
	}
	return nil
}

func (r *Reassembler) recentlyDone(now time.Time, key []byte, c tpdu.Concat) bool {
	for i := range r.done {
		d := &r.done[i]
		if d.total != 0 && d.ref == c.Ref && d.wide == c.Wide && d.total == c.Total &&
			now.Sub(d.at) < r.lim.Timeout && bytes.Equal(d.key[:d.klen], key) {
			return true
		}
	}
	return false
}

func (r *Reassembler) remember(now time.Time, e *entry) {
	d := &r.done[r.doneN]
	r.doneN = (r.doneN + 1) % doneRing
	d.wide, d.klen, d.total, d.ref, d.at = e.wide, e.klen, e.total, e.ref, now
	copy(d.key[:], e.key[:e.klen])
}

func (r *Reassembler) newEntry(now time.Time, key []byte, c tpdu.Concat, ports tpdu.Ports, hasPorts bool) *entry {
	if r.live >= r.lim.MaxPending {
		r.evictOldest(nil)
	}
	var e *entry
	for i := range r.slots {
		if !r.slots[i].used {
			e = &r.slots[i]
			break
		}
	}
	if e == nil {
		// Grows only up to MaxPending slots, then they are reused.
		r.slots = append(r.slots, entry{idx: uint16(len(r.slots))})
		e = &r.slots[len(r.slots)-1]
	}
	r.order++
	e.used, e.wide, e.hasPorts = true, c.Wide, hasPorts
	e.klen, e.total, e.got, e.ref, e.ports = uint8(len(key)), c.Total, 0, c.Ref, ports
	copy(e.key[:], key)
	e.order, e.first, e.held = r.order, now, 0
	for i := range e.off[:c.Total] {
		e.off[i] = -1
	}
	r.live++
	return e
}

// free drops e; its records become dead space in the arena.
func (r *Reassembler) free(e *entry) {
	if !e.used {
		return
	}
	e.used = false
	r.alive -= e.held
	e.held = 0
	r.live--
}

// evictOldest drops the incomplete message that started first, other than
// keep.
func (r *Reassembler) evictOldest(keep *entry) {
	var old *entry
	for i := range r.slots {
		e := &r.slots[i]
		if e.used && e != keep && (old == nil || e.order < old.order) {
			old = e
		}
	}
	if old != nil {
		r.free(old)
		r.stats.Evicted++
	}
}

// Expire drops the incomplete messages whose first part came
// Limits.Timeout or longer before now, and returns how many it dropped. Add
// calls it; call it also when no parts arrive, to release their storage.
func (r *Reassembler) Expire(now time.Time) int {
	r.init()
	return r.expire(now)
}

func (r *Reassembler) expire(now time.Time) int {
	n := 0
	for i := range r.slots {
		e := &r.slots[i]
		if e.used && now.Sub(e.first) >= r.lim.Timeout {
			r.free(e)
			n++
		}
	}
	r.stats.Expired += uint64(n)
	if r.live == 0 {
		r.arena = r.arena[:0]
	}
	return n
}

// store appends the record of part seq of e to the arena, compacting or
// growing it (never beyond MaxBytes) when there is no room at the end.
func (r *Reassembler) store(e *entry, seq uint8, body []byte) {
	need := recHdr + len(body)
	if len(r.arena)+need > cap(r.arena) {
		if r.alive+need <= cap(r.arena) {
			r.arena = r.compact(r.arena[:0])
		} else {
			c := min(max(2*cap(r.arena), r.alive+need, 4096), r.lim.MaxBytes)
			r.arena = r.compact(make([]byte, 0, c))
		}
	}
	slot := e.idx
	o := len(r.arena)
	r.arena = append(r.arena, byte(slot>>8), byte(slot), seq, byte(len(body)))
	r.arena = append(r.arena, body...)
	e.off[seq-1] = int32(o)
	e.held += need
	e.got++
	r.alive += need
}

// compact copies the live records of the arena, in order, to dst (which
// may share the arena's storage: records only move down) and returns it.
func (r *Reassembler) compact(dst []byte) []byte {
	src := r.arena
	dst = dst[:0]
	for o := 0; o < len(src); {
		slot := int(src[o])<<8 | int(src[o+1])
		seq := int(src[o+2])
		n := recHdr + int(src[o+3])
		if slot < len(r.slots) {
			if e := &r.slots[slot]; e.used && seq <= int(e.total) && e.off[seq-1] == int32(o) {
				e.off[seq-1] = int32(len(dst))
				dst = append(dst, src[o:o+n]...)
			}
		}
		o += n
	}
	return dst
}
