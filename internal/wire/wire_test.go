package wire

import "testing"

func TestVarint(t *testing.T) {
	for _, v := range []uint32{0, 1, 127, 128, 16383, 16384, 2097151, 2097152, MaxVarint} {
		b := AppendVarint(nil, v)
		if len(b) != VarintLen(v) {
			t.Fatalf("%d: len %d, VarintLen %d", v, len(b), VarintLen(v))
		}
		got, n, st := ReadVarint(b)
		if st != VarintOK || n != len(b) || got != v {
			t.Fatalf("%d: got %d n=%d st=%d", v, got, n, st)
		}
	}
	for _, c := range []struct {
		in []byte
		st VarintStatus
	}{
		{nil, VarintTruncated},
		{[]byte{0x80}, VarintTruncated},
		{[]byte{0xff, 0xff, 0xff, 0xff}, VarintTooLong},
		{[]byte{0x80, 0x00}, VarintNonMinimal},
		{[]byte{0xff, 0x80, 0x00}, VarintNonMinimal},
	} {
		if _, _, st := ReadVarint(c.in); st != c.st {
			t.Errorf("% x: status %d, want %d", c.in, st, c.st)
		}
	}
	if VarintLen(MaxVarint+1) != 5 {
		t.Error("VarintLen above max")
	}
}

func TestInts(t *testing.T) {
	b := AppendUint32(AppendUint16(nil, 0x1234), 0xdeadbeef)
	if Uint16(b) != 0x1234 || Uint32(b[2:]) != 0xdeadbeef {
		t.Fatalf("% x", b)
	}
}
