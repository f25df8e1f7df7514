package wire

import "encoding/binary"

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
	lo4 = 0x01010101
	hi4 = 0x80808080
)

// zero8 reports whether a byte of x is zero, for x without high bits set.
func zero8(x uint64) bool { return (x-lo8)&^x&hi8 != 0 }

func zero4(x uint32) bool { return (x-lo4)&^x&hi4 != 0 }

// bad8 reports whether a byte of x is 0, 0x80 or above, or equal to a or b.
func bad8(x uint64, a, b byte) bool {
	return x&hi8 != 0 || zero8(x) || zero8(x^(uint64(a)*lo8)) || zero8(x^(uint64(b)*lo8))
}

func bad4(x uint32, a, b byte) bool {
	return x&hi4 != 0 || zero4(x) || zero4(x^(uint32(a)*lo4)) || zero4(x^(uint32(b)*lo4))
}

// CleanASCII reports whether every byte of s is in 0x01..0x7f and differs
// from a and b (pass 1 for a byte you do not want to exclude). It reads
// eight bytes at a time, finishing with an overlapping word, so short
// strings cost no byte loop. Callers use it as a fast path and fall back to
// an exact scan, which finds the offset of the first bad byte, when it
// reports false.
func CleanASCII(s []byte, a, b byte) bool {
	n := len(s)
	switch {
	case n >= 8:
		for i := 0; i+8 <= n; i += 8 {
			if bad8(binary.LittleEndian.Uint64(s[i:]), a, b) {
				return false
			}
		}
		return n%8 == 0 || !bad8(binary.LittleEndian.Uint64(s[n-8:]), a, b)
	case n >= 4:
		return !bad4(binary.LittleEndian.Uint32(s), a, b) && !bad4(binary.LittleEndian.Uint32(s[n-4:]), a, b)
	}
	for _, c := range s {
		if c == 0 || c >= 0x80 || c == a || c == b {
			return false
		}
	}
	return true
}

// PlainASCII reports whether every byte of s is in 0x01..0x7f, the way
// CleanASCII does without excluded bytes.
func PlainASCII(s []byte) bool {
	n := len(s)
	switch {
	case n >= 8:
		for i := 0; i+8 <= n; i += 8 {
			if x := binary.LittleEndian.Uint64(s[i:]); x&hi8 != 0 || zero8(x) {
				return false
			}
		}
		if n%8 == 0 {
			return true
		}
		x := binary.LittleEndian.Uint64(s[n-8:])
		return x&hi8 == 0 && !zero8(x)
	case n >= 4:
		x, y := binary.LittleEndian.Uint32(s), binary.LittleEndian.Uint32(s[n-4:])
		return (x|y)&hi4 == 0 && !zero4(x) && !zero4(y)
	}
	for _, c := range s {
		if c == 0 || c >= 0x80 {
			return false
		}
	}
	return true
}
