package codectest

import (
	"encoding/binary"
	"time"
)

// Pcap builds a classic libpcap file
// (https://wiki.wireshark.org/Development/LibpcapFileFormat) of link type
// RAW (101), every record a bare IPv4 packet, for tests that use tshark as
// a decoding oracle. B holds the file; Frames counts the records (tshark
// numbers frames from 1).
type Pcap struct {
	B      []byte
	Frames int
	ts     time.Time
}

// NewPcap returns a Pcap holding the file header.
func NewPcap() *Pcap {
	w := &Pcap{ts: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	le := binary.LittleEndian
	w.B = le.AppendUint32(w.B, 0xa1b2c3d4) // magic: microsecond timestamps, written little-endian
	w.B = le.AppendUint16(w.B, 2)          // version 2.4
	w.B = le.AppendUint16(w.B, 4)
	w.B = le.AppendUint32(w.B, 0)     // thiszone
	w.B = le.AppendUint32(w.B, 0)     // sigfigs
	w.B = le.AppendUint32(w.B, 65535) // snaplen
	w.B = le.AppendUint32(w.B, 101)   // LINKTYPE_RAW
	return w
}

// Record appends one IPv4 packet, 1 ms after the previous one, and returns
// its frame number.
func (w *Pcap) Record(pkt []byte) int {
	le := binary.LittleEndian
	w.ts = w.ts.Add(time.Millisecond)
	w.B = le.AppendUint32(w.B, uint32(w.ts.Unix()))
	w.B = le.AppendUint32(w.B, uint32(w.ts.Nanosecond()/1000))
	w.B = le.AppendUint32(w.B, uint32(len(pkt))) // captured length
	w.B = le.AppendUint32(w.B, uint32(len(pkt))) // original length
	w.B = append(w.B, pkt...)
	w.Frames++
	return w.Frames
}
