package wire

// Length back-patching for nested encodings whose body size is not known
// when their header is written, such as LwM2M TLV containers (STYLE.md
// section 3). The encoder reserves the smallest length field the format
// allows (often none at all), appends the body, and then calls PatchLen,
// which moves the body only when the length needs a wider field: the
// trick of cryptobyte's ASN.1 builder, where dnsmessage's fixLen patches a
// fixed width. A body nested k levels deep moves at most k times.
//
// These functions are for iotwire's codecs only (the package is internal);
// the API changes with them.

// ReserveLen appends width zero bytes as a placeholder for a big-endian
// length field and returns the extended slice and the placeholder's
// offset, to pass to PatchLen once the body is written. A width of 0
// reserves nothing and just returns the offset where the field would go.
// It panics if width is outside 0..8 (a programmer error).
func ReserveLen(b []byte, width int) ([]byte, int) {
	if width < 0 || width > 8 {
		panic("wire: ReserveLen width out of range")
	}
	at := len(b)
	for range width {
		b = append(b, 0)
	}
	return b, at
}

// PatchLen stores v as a big-endian integer of newWidth bytes in the field
// of width bytes at b[at:], reserved earlier with ReserveLen (width may be
// 0: no field yet). When newWidth differs from width, the bytes after the
// field move by the difference: right, growing b (which may reallocate, as
// append does), or left, shrinking it. It returns the updated slice.
//
// It panics on programmer errors: a field outside b, a width outside
// 0..8, or a v that does not fit in newWidth bytes.
func PatchLen(b []byte, at, width, newWidth int, v uint64) []byte {
	if width < 0 || width > 8 || newWidth < 0 || newWidth > 8 || at < 0 || at > len(b)-width {
		panic("wire: PatchLen field out of range")
	}
	if newWidth < 8 && v>>(8*uint(newWidth)) != 0 {
		panic("wire: PatchLen value does not fit the field")
	}
	switch d := newWidth - width; {
	case d > 0:
		n := len(b)
		for range d {
			b = append(b, 0)
		}
		copy(b[at+newWidth:], b[at+width:n])
	case d < 0:
		copy(b[at+newWidth:], b[at+width:])
		b = b[:len(b)+d]
	}
	for i := newWidth - 1; i >= 0; i-- {
		b[at+i] = byte(v)
		v >>= 8
	}
	return b
}
