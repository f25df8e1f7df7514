// Package wire holds the primitives that iotwire's codecs share: big-endian
// integers, the MQTT Variable Byte Integer, and the sentinel error shape.
//
// Everything here is allocation-free and panics only on programmer errors
// that are documented at the function.
package wire

// Uint16 returns the big-endian uint16 at b[0:2]. The caller checks len(b) >= 2.
func Uint16(b []byte) uint16 { _ = b[1]; return uint16(b[0])<<8 | uint16(b[1]) }

// Uint32 returns the big-endian uint32 at b[0:4]. The caller checks len(b) >= 4.
func Uint32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// AppendUint16 appends v in big-endian order.
func AppendUint16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }

// AppendUint32 appends v in big-endian order.
func AppendUint32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// MaxVarint is the largest value a four-byte Variable Byte Integer holds
// (MQTT 5.0 section 1.5.5, MQTT 3.1.1 section 2.2.3).
const MaxVarint = 268_435_455

// VarintStatus says why ReadVarint stopped.
type VarintStatus uint8

// The outcomes of ReadVarint.
const (
	VarintOK         VarintStatus = iota
	VarintTruncated               // the input ended inside the integer
	VarintTooLong                 // a fifth byte would be needed
	VarintNonMinimal              // more bytes than the value needs [MQTT-1.5.5-1]
)

// ReadVarint reads an MQTT Variable Byte Integer from the start of b and
// returns its value and length. Only the minimal encoding of a value is
// accepted: a last byte of 0x00 after a continuation byte is VarintNonMinimal.
func ReadVarint(b []byte) (v uint32, n int, st VarintStatus) {
	var shift uint
	for i := 0; i < 4; i++ {
		if i >= len(b) {
			return 0, 0, VarintTruncated
		}
		c := b[i]
		v |= uint32(c&0x7f) << shift
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, VarintNonMinimal
			}
			return v, i + 1, VarintOK
		}
		shift += 7
	}
	return 0, 0, VarintTooLong
}

// VarintLen returns the encoded length of v, 1 to 4. Values above MaxVarint
// report 5, a length no encoder accepts.
func VarintLen(v uint32) int {
	switch {
	case v < 1<<7:
		return 1
	case v < 1<<14:
		return 2
	case v < 1<<21:
		return 3
	case v <= MaxVarint:
		return 4
	}
	return 5
}

// AppendVarint appends v as a Variable Byte Integer. It panics if v >
// MaxVarint: callers check the range first, since that is a programmer error.
func AppendVarint(b []byte, v uint32) []byte {
	if v > MaxVarint {
		panic("wire: AppendVarint value out of range")
	}
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// Sentinel is an error class value such as ErrTruncated. Wrapped, when set,
// is reported by Unwrap so that errors.Is also matches it (io.ErrUnexpectedEOF
// for truncation).
type Sentinel struct {
	Msg     string
	Wrapped error
}

// Error describes the error.
func (e *Sentinel) Error() string { return e.Msg }

// Unwrap returns the wrapped standard error, if any.
func (e *Sentinel) Unwrap() error { return e.Wrapped }

// Limit returns v when lo <= v <= hi and def otherwise: the rule of the
// codecs' Limits structs, where a field out of its documented range (the
// zero value included) means its default.
func Limit(v, lo, hi, def int) int {
	if v < lo || v > hi {
		return def
	}
	return v
}

// Classes holds the error class sentinels of one codec package, so that
// the outcomes of the shared readers here ([CBORError], [JSONError]) map
// onto that package's classes (STYLE.md section 4).
type Classes struct {
	Truncated, Malformed, Limit, Unsupported error
}
