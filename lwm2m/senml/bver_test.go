package senml

import (
	"errors"
	"testing"
)

// TestCBORBaseVersionRange: a bver beyond int64 is refused, as in JSON,
// never clamped (found by FuzzSenMLCBOR against fxamacker/cbor).
func TestCBORBaseVersionRange(t *testing.T) {
	// [{-1: 0xbf30303030303030}]: label -1 (bver), an 8-byte unsigned integer.
	b := []byte{0x81, 0xa1, 0x20, 0x1b, 0xbf, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30}
	var d CBORDecoder
	d.Reset(b, Limits{})
	if r, ok := d.Next(); ok {
		t.Fatalf("decoded %+v", r)
	}
	var e *Error
	if !errors.As(d.Err(), &e) || !errors.Is(e, ErrMalformed) || e.Offset != 3 {
		t.Errorf("err = %v, want ErrMalformed at offset 3", d.Err())
	}
	// 10, the largest version resolution takes, still decodes.
	d.Reset([]byte{0x81, 0xa1, 0x20, 0x0a}, Limits{})
	if r, ok := d.Next(); !ok || r.BaseVersion != 10 {
		t.Errorf("bver 10: %+v, %v", r, d.Err())
	}
}
