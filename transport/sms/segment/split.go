package segment

import "github.com/iotwire/iotwire/transport/sms/tpdu"

// MaxParts is the largest number of parts of a concatenated message: the
// total is one octet and 0 is not allowed (3GPP TS 23.040 9.2.3.24.1).
const MaxParts = 255

// Options says how [Split] labels the parts.
type Options struct {
	// Ref is the concatenation reference shared by the parts of one
	// payload. The sender should change it for each payload (9.2.3.24.1:
	// "constant for every short message which makes up a particular
	// concatenated short message"). With Ref8 only its low 8 bits are sent.
	Ref uint16
	// Ref8 selects the 8-bit reference element (IEI 0x00, 9.2.3.24.1);
	// the default is the 16-bit one (IEI 0x08, 9.2.3.24.8).
	Ref8 bool
	// Ports, when HasPorts is set, is added to every part as an application
	// port addressing element (9.2.3.24.4 when Ports.Wide, else 9.2.3.24.3).
	// The LwM2M SMS binding uses 16-bit ports: set Ports.Wide.
	Ports    tpdu.Ports
	HasPorts bool
}

// portsLen returns the size of the ports element, IEI and length included.
func (o *Options) portsLen() int {
	switch {
	case !o.HasPorts:
		return 0
	case o.Ports.Wide:
		return 6
	}
	return 4
}

// concatLen returns the size of the concatenation element.
func (o *Options) concatLen() int {
	if o.Ref8 {
		return 5
	}
	return 6
}

// SingleCapacity returns the most payload octets one part carries when no
// concatenation is needed: 140, less the header (UDHL and ports) if any.
func (o *Options) SingleCapacity() int {
	if p := o.portsLen(); p > 0 {
		return tpdu.MaxUserData - 1 - p
	}
	return tpdu.MaxUserData
}

// PartCapacity returns the payload octets each part of a concatenated
// message carries: 140 less UDHL, the concatenation element and the ports
// element. It is 134 for an 8-bit reference without ports, 133 for a 16-bit
// one, 127 for a 16-bit reference with 16-bit ports.
func (o *Options) PartCapacity() int {
	return tpdu.MaxUserData - 1 - o.concatLen() - o.portsLen()
}

// Parts returns the number of parts a payload of n octets needs, or an
// ErrLimit *Error when it needs more than 255.
func (o *Options) Parts(n int) (int, error) {
	if n <= o.SingleCapacity() {
		return 1, nil
	}
	per := o.PartCapacity()
	total := (n + per - 1) / per
	if total > MaxParts {
		return 0, newErr("payload", ErrLimit, ruleConcat, "payload needs more than 255 concatenated parts")
	}
	return total, nil
}

// Splitter hands out the parts of one payload in order. It is a small value
// made by [Split]; copying it preserves its position.
//
//	s, err := segment.Split(payload, segment.Options{Ref: ref})
//	for {
//		ud, b, ok := s.Next(buf[:0])
//		if !ok {
//			break
//		}
//		buf = b
//		sub.UserData = ud
//		pdu, err = sub.AppendBinary(pdu[:0])
//		...
//	}
type Splitter struct {
	payload []byte
	opts    Options
	total   int
	seq     int // parts handed out
}

// Split prepares the parts of payload. It fails, with an ErrLimit *Error,
// when payload needs more than 255 parts. Split does not copy payload: the
// parts' bodies alias it.
func Split(payload []byte, o Options) (Splitter, error) {
	total, err := o.Parts(len(payload))
	if err != nil {
		return Splitter{}, err
	}
	return Splitter{payload: payload, opts: o, total: total}, nil
}

// Total returns the number of parts, 1 to 255.
func (s *Splitter) Total() int { return s.total }

// Remaining returns the number of parts not yet handed out.
func (s *Splitter) Remaining() int { return s.total - s.seq }

// Rewind starts the parts over, for sending them again.
func (s *Splitter) Rewind() { s.seq = 0 }

// body returns the payload octets of part seq (1-based).
func (s *Splitter) body(seq int) []byte {
	if s.total == 1 {
		return s.payload
	}
	per := s.opts.PartCapacity()
	lo := (seq - 1) * per
	hi := min(lo+per, len(s.payload))
	return s.payload[lo:hi:hi]
}

// appendHeader appends the information elements of part seq.
func (s *Splitter) appendHeader(b []byte, seq int) []byte {
	if s.total > 1 {
		b = tpdu.AppendConcat(b, tpdu.Concat{Ref: s.opts.Ref, Total: uint8(s.total), Seq: uint8(seq), Wide: !s.opts.Ref8})
	}
	if s.opts.HasPorts {
		b = tpdu.AppendPorts(b, s.opts.Ports)
	}
	return b
}

// Next returns the next part as user data for a [tpdu.Submit] or
// [tpdu.Deliver] with DCS 8-bit data, and false when all parts have been
// handed out. The information elements are appended to buf, which Next
// returns extended: ud.Header aliases that region of buf (with its capacity
// clipped) and ud.Body aliases the payload. Next allocates only if buf
// lacks the room for the header (at most 12 octets). A single part has no
// concatenation element, and no header at all without ports (Header nil).
func (s *Splitter) Next(buf []byte) (ud tpdu.UserData, out []byte, ok bool) {
	if s.seq >= s.total {
		return tpdu.UserData{}, buf, false
	}
	s.seq++
	n := len(buf)
	out = s.appendHeader(buf, s.seq)
	if len(out) > n {
		ud.Header = out[n:len(out):len(out)]
	}
	ud.Body = s.body(s.seq)
	return ud, out, true
}

// AppendNext appends the next part as the octets of TP-UD: UDHL and the
// header when there is one, then the body, as an SMPP short_message with
// esm_class UDHI carries it. It returns b unchanged and false when all parts
// have been handed out. It allocates only if b lacks room (140 octets).
func (s *Splitter) AppendNext(b []byte) ([]byte, bool) {
	if s.seq >= s.total {
		return b, false
	}
	s.seq++
	if s.total > 1 || s.opts.HasPorts {
		i := len(b)
		b = append(b, 0)
		b = s.appendHeader(b, s.seq)
		b[i] = byte(len(b) - i - 1)
	}
	return append(b, s.body(s.seq)...), true
}
