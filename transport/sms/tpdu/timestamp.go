package tpdu

import "time"

// Timestamp is a TP-Service-Centre-Time-Stamp (3GPP TS 23.040 section
// 9.2.3.11), also the form of TP-Discharge-Time and of an absolute validity
// period: seven octets of swapped BCD semi-octets, year (two digits) to
// second, and the time zone in quarters of an hour.
type Timestamp struct {
	Year   uint8 // 0-99: the two digits on the wire (see [Timestamp.FullYear])
	Month  uint8 // 0-99 as coded; valid dates have 1-12
	Day    uint8
	Hour   uint8
	Minute uint8
	Second uint8
	// Quarters is the size of the offset from UTC in quarters of an hour,
	// 0-79 as coded, and West its sign (bit 3 of the seventh octet): set
	// for an offset behind UTC. West with 0 quarters is kept as coded; its
	// text is "-00:00".
	Quarters uint8
	West     bool
}

// Offset returns the offset from UTC in seconds.
func (t Timestamp) Offset() int {
	if t.West {
		return -int(t.Quarters) * 15 * 60
	}
	return int(t.Quarters) * 15 * 60
}

// FullYear returns the year: 1990-1999 for two digits 90-99, else 2000-2089.
// The TPDU carries no century; this is the convention of this package.
func (t Timestamp) FullYear() int {
	if t.Year >= 90 {
		return 1900 + int(t.Year)
	}
	return 2000 + int(t.Year)
}

// Time returns t as a time.Time in a fixed zone of its offset. It
// allocates the zone's *time.Location (time.FixedZone).
func (t Timestamp) Time() time.Time {
	return time.Date(t.FullYear(), time.Month(t.Month), int(t.Day), int(t.Hour), int(t.Minute), int(t.Second), 0,
		time.FixedZone("", t.Offset()))
}

// TimestampOf returns the time stamp of tm in its own offset from UTC,
// which must be a whole number of quarters of an hour within 79 of them,
// and a year 1990-2089.
func TimestampOf(tm time.Time) (Timestamp, error) {
	_, off := tm.Zone()
	y := tm.Year()
	switch {
	case off%(15*60) != 0 || off/(15*60) > 79 || off/(15*60) < -79:
		return Timestamp{}, encErr("time stamp", ErrMalformed, ruleSCTS, "zone offset is not a whole number of quarter hours within 19:45")
	case y < 1990 || y > 2089:
		return Timestamp{}, encErr("time stamp", ErrMalformed, ruleSCTS, "year outside 1990-2089")
	}
	return Timestamp{Year: uint8(y % 100), Month: uint8(tm.Month()), Day: uint8(tm.Day()), Hour: uint8(tm.Hour()),
		Minute: uint8(tm.Minute()), Second: uint8(tm.Second()), Quarters: uint8(abs(off) / (15 * 60)), West: off < 0}, nil
}

// AppendText appends t in RFC 3339 form, "2002-08-26T19:37:41+02:00",
// without allocating.
func (t Timestamp) AppendText(b []byte) []byte {
	y := t.FullYear()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	b = append2(append(b, '-'), t.Month)
	b = append2(append(b, '-'), t.Day)
	b = append2(append(b, 'T'), t.Hour)
	b = append2(append(b, ':'), t.Minute)
	b = append2(append(b, ':'), t.Second)
	if t.West {
		b = append(b, '-')
	} else {
		b = append(b, '+')
	}
	b = append2(b, t.Quarters/4)
	return append2(append(b, ':'), t.Quarters%4*15)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func append2(b []byte, v uint8) []byte { return append(b, '0'+v/10%10, '0'+v%10) }

// decodeTimestamp reads the seven octets at b[off:].
func decodeTimestamp(b []byte, off int, field string) (t Timestamp, err *Error) {
	if off+7 > len(b) {
		return t, truncErr(field, off, ruleSCTS)
	}
	var v [6]uint8
	for i := range v {
		c := b[off+i]
		// 9.2.3.11: each octet holds two semi-octets, the first (bits 3-0)
		// the tens digit.
		lo, hi := c&15, c>>4
		if lo > 9 || hi > 9 {
			return Timestamp{}, decErr(field, off+i, ErrMalformed, ruleSCTS, "semi-octet is not a decimal digit")
		}
		v[i] = lo*10 + hi
	}
	c := b[off+6]
	// 9.2.3.11: bit 3 of the seventh octet is the sign of the zone.
	lo, hi := c&7, c>>4
	if hi > 9 {
		return Timestamp{}, decErr(field, off+6, ErrMalformed, ruleSCTS, "time zone semi-octet is not a decimal digit")
	}
	return Timestamp{v[0], v[1], v[2], v[3], v[4], v[5], lo*10 + hi, c&8 != 0}, nil
}

// checkTimestamp checks that every field fits in two digits.
func checkTimestamp(t *Timestamp, field string) *Error {
	if t.Year > 99 || t.Month > 99 || t.Day > 99 || t.Hour > 99 || t.Minute > 99 || t.Second > 99 || t.Quarters > 79 {
		return encErr(field, ErrMalformed, ruleSCTS, "a field does not fit in two semi-octets")
	}
	return nil
}

func bcd(v uint8) byte { return v%10<<4 | v/10 }

func appendTimestamp(b []byte, t *Timestamp) []byte {
	b = append(b, bcd(t.Year), bcd(t.Month), bcd(t.Day), bcd(t.Hour), bcd(t.Minute), bcd(t.Second))
	sign := byte(0)
	if t.West {
		sign = 8
	}
	return append(b, bcd(t.Quarters)|sign)
}

// VPFormat is TP-VPF, bits 4-3 of the SMS-SUBMIT first octet (9.2.3.3).
type VPFormat uint8

// The validity period formats.
const (
	VPNone     VPFormat = 0 // 00: no TP-VP
	VPEnhanced VPFormat = 1 // 01: seven octets, 9.2.3.12.3
	VPRelative VPFormat = 2 // 10: one octet, 9.2.3.12.1
	VPAbsolute VPFormat = 3 // 11: a time stamp, 9.2.3.12.2
)

// ValidityPeriod is TP-VP (9.2.3.12), in the format its Format names; the
// other fields are ignored.
type ValidityPeriod struct {
	Format   VPFormat
	Relative uint8     // VPRelative: the coded octet (see Duration)
	Absolute Timestamp // VPAbsolute
	Enhanced [7]byte   // VPEnhanced: the seven octets as on the wire
}

// Len returns the size of TP-VP: 0, 1 or 7 octets.
func (v *ValidityPeriod) Len() int {
	switch v.Format & 3 {
	case VPRelative:
		return 1
	case VPNone:
		return 0
	}
	return 7
}

// RelativeDuration returns the period of a relative TP-VP octet (9.2.3.12.1):
// 0-143: (v+1) x 5 minutes; 144-167: 12 hours + (v-143) x 30 minutes;
// 168-196: (v-166) days; 197-255: (v-192) weeks.
func RelativeDuration(v uint8) time.Duration {
	switch n := time.Duration(v); {
	case v <= 143:
		return (n + 1) * 5 * time.Minute
	case v <= 167:
		return 12*time.Hour + (n-143)*30*time.Minute
	case v <= 196:
		return (n - 166) * 24 * time.Hour
	default:
		return (n - 192) * 7 * 24 * time.Hour
	}
}

// Duration returns the period of a relative or enhanced validity period.
// For an enhanced one (9.2.3.12.3) it reads the functionality indicator:
// relative as in 9.2.3.12.1 (format 001), in seconds 0-255 (010) or in
// semi-octets hh mm ss (011). ok is false for no period, an absolute one
// (use Absolute), an enhanced one with no or a reserved format, or BCD that
// is not decimal.
func (v *ValidityPeriod) Duration() (d time.Duration, ok bool) {
	switch v.Format & 3 {
	case VPRelative:
		return RelativeDuration(v.Relative), true
	case VPEnhanced:
		switch v.Enhanced[0] & 7 {
		case 1:
			return RelativeDuration(v.Enhanced[1]), true
		case 2:
			return time.Duration(v.Enhanced[1]) * time.Second, true
		case 3:
			var hms [3]time.Duration
			for i := range hms {
				c := v.Enhanced[1+i]
				if c&15 > 9 || c>>4 > 9 {
					return 0, false
				}
				hms[i] = time.Duration(c&15*10 + c>>4)
			}
			return hms[0]*time.Hour + hms[1]*time.Minute + hms[2]*time.Second, true
		}
	}
	return 0, false
}
