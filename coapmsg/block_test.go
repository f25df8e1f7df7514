package coapmsg

import (
	"bytes"
	"errors"
	"testing"
)

// blockVectors are Block option values. canon is the minimal encoding when
// the value has leading zero bytes.
var blockVectors = []struct {
	name  string
	hex   string
	bert  bool
	want  Block
	canon string
}{
	// RFC 7959 section 3: "a Block2 Option value of 33 would be shown as 2:2/0/32".
	{"rfc7959-3-value-33", "21 // NUM 2, M 0, SZX 1", false, Block{2, false, 1}, ""},
	// RFC 7959 section 3: "a Block1 Option value of 59 would be shown as 1:3/1/128".
	{"rfc7959-3-value-59", "3b // NUM 3, M 1, SZX 3", false, Block{3, true, 3}, ""},
	// RFC 7959 section 3.1, Figure 2: simple block-wise GET, 2:0/1/128, 2:1/0/128, 2:2/0/128.
	{"rfc7959-fig2-0/1/128", "0b // NUM 0, M 1, SZX 3", false, Block{0, true, 3}, ""},
	{"rfc7959-fig2-1/0/128", "13 // NUM 1, M 0, SZX 3", false, Block{1, false, 3}, ""},
	{"rfc7959-fig2-1/1/128", "1b // NUM 1, M 1, SZX 3", false, Block{1, true, 3}, ""},
	{"rfc7959-fig2-2/0/128", "23 // NUM 2, M 0, SZX 3", false, Block{2, false, 3}, ""},
	// RFC 7959 section 3.1, Figure 3: early negotiation, 2:0/0/64 and 2:4/0/64.
	{"rfc7959-fig3-0/0/64", "02 // NUM 0, M 0, SZX 2", false, Block{0, false, 2}, ""},
	{"rfc7959-fig3-4/0/64", "42 // NUM 4, M 0, SZX 2", false, Block{4, false, 2}, ""},
	// RFC 7959 section 3.2: a Block1 PUT renegotiated to 32 bytes, 1:4/1/32.
	{"rfc7959-3.2-4/1/32", "49 // NUM 4, M 1, SZX 1", false, Block{4, true, 1}, ""},
	// RFC 7252 section 3.2: the uint 0 is the empty value, here 0/0/16.
	{"empty-0/0/16", "", false, Block{0, false, 0}, ""},
	// Two bytes: NUM 16 (12 bits), 1024-byte blocks.
	{"2-bytes-16/0/1024", "01 06 // NUM 0x010, M 0, SZX 6", false, Block{16, false, 6}, ""},
	// Three bytes: the largest NUM (20 bits).
	{"3-bytes-max-num", "ff ff fe // NUM 0xfffff, M 1, SZX 6", false, Block{MaxBlockNum, true, 6}, ""},
	// RFC 8323 section 6: SZX 7 is BERT on reliable transports; NUM counts 1024-byte units.
	{"rfc8323-6-bert-3/1", "3f // NUM 3, M 1, SZX 7", true, Block{3, true, 7}, ""},
	// Leading zero bytes are accepted (RFC 7252 section 3.2) and dropped on encoding.
	{"leading-zeros", "00 00 21 // NUM 2, M 0, SZX 1", false, Block{2, false, 1}, "21"},
	{"zero-in-2-bytes", "00 00 // 0/0/16", false, Block{}, "// the empty value"},
}

func TestDecodeBlock(t *testing.T) {
	for _, v := range blockVectors {
		t.Run(v.name, func(t *testing.T) {
			wire := unhex(t, v.hex)
			got, err := DecodeBlock(wire, v.bert)
			if err != nil {
				t.Fatal(err)
			}
			if got != v.want {
				t.Fatalf("got %+v, want %+v", got, v.want)
			}
			canon := wire
			if v.canon != "" {
				canon = unhex(t, v.canon)
			}
			if out := AppendBlock(nil, got); !bytes.Equal(out, canon) {
				t.Fatalf("AppendBlock = %x, want %x", out, canon)
			}
			// BERT blocks decode with bert set only.
			if v.want.SZX == BERTSZX {
				if _, err := DecodeBlock(wire, false); err == nil {
					t.Fatal("SZX 7 accepted without BERT")
				}
			}
		})
	}
}

func TestDecodeBlockErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		hex  string
		bert bool
		off  int
	}{
		// RFC 7959 section 2.2: the value has at most 3 bytes (also the registry bound).
		{"4-bytes", "00 00 00 21", false, 3},
		{"4-bytes-bert", "01 00 00 0f", true, 3},
		// RFC 7959 section 2.2: SZX 7 is reserved (4.00 Bad Request in a request).
		{"szx7-1-byte", "07", false, 0},
		{"szx7-3-bytes", "00 01 0f", false, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			blk, err := DecodeBlock(unhex(t, c.hex), c.bert)
			wantOptErr(t, err, ErrBadOption, c.off, 0)
			if blk != (Block{}) {
				t.Fatalf("block %+v on error", blk)
			}
		})
	}
}

func TestBlockSizeOffset(t *testing.T) {
	for szx, size := range []int{16, 32, 64, 128, 256, 512, 1024, 1024} {
		blk := Block{Num: 3, SZX: uint8(szx)}
		if blk.Size() != size || blk.Offset() != 3*size {
			t.Errorf("SZX %d: size %d offset %d, want %d %d", szx, blk.Size(), blk.Offset(), size, 3*size)
		}
		if got, ok := SZXForSize(size); szx < 7 && (!ok || got != uint8(szx)) {
			t.Errorf("SZXForSize(%d) = %d %v", size, got, ok)
		}
	}
	for _, size := range []int{0, 8, 48, 2048, -16} {
		if _, ok := SZXForSize(size); ok {
			t.Errorf("SZXForSize(%d) ok", size)
		}
	}
	// RFC 7959 section 3.1, Figure 4 (late negotiation): after 2:0/1/128 the
	// client continues with 2:2/0/64, which starts at byte 128.
	if off := (Block{Num: 2, SZX: 2}).Offset(); off != 128 {
		t.Errorf("2/0/64 offset %d, want 128", off)
	}
	if off := (Block{Num: MaxBlockNum, SZX: BERTSZX}).Offset(); off != 1<<30-1024 {
		t.Errorf("largest offset %d", off)
	}
	if !(Block{SZX: 7}).IsBERT() || (Block{SZX: 6}).IsBERT() {
		t.Error("IsBERT")
	}
}

func TestBlockString(t *testing.T) {
	for blk, want := range map[Block]string{
		{2, false, 1}:          "2/0/32",
		{3, true, 3}:           "3/1/128",
		{MaxBlockNum, true, 7}: "1048575/1/BERT",
	} {
		if got := blk.String(); got != want {
			t.Errorf("%+v: %q, want %q", blk, got, want)
		}
	}
}

func TestBlockCheck(t *testing.T) {
	if err := (Block{Num: MaxBlockNum, More: true, SZX: 7}).Check(); err != nil {
		t.Fatal(err)
	}
	wantOptErr(t, Block{Num: MaxBlockNum + 1}.Check(), ErrLimit, -1, 0)
	wantOptErr(t, Block{SZX: 8}.Check(), ErrBadOption, -1, 0)
	for _, blk := range []Block{{Num: MaxBlockNum + 1}, {SZX: 8}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AppendBlock(%+v) did not panic", blk)
				}
			}()
			AppendBlock(nil, blk)
		}()
	}
}

// blockMsg is the first response of RFC 7959 Figure 2 with a 128-byte
// payload, plus Size2 (RFC 7959 section 4).
const blockMsg = `
	60 45 04 d2   // ver 1, ACK, TKL 0, 2.05 Content, MID 1234
	d1 0a 0b      // delta 13+10 = 23 Block2, len 1: 0/1/128
	51 01         // delta 5 = 28 Size2, len 1
	ff            // payload marker`

func blockMsgWire(tb testing.TB) []byte {
	return append(unhex(tb, blockMsg), bytes.Repeat([]byte{'x'}, 128)...)
}

func TestMessageBlock(t *testing.T) {
	m := mustDecodeMsg(t, blockMsgWire(t))
	blk, ok, err := m.Block2(false)
	if err != nil || !ok || blk != (Block{0, true, 3}) || len(m.Payload) != blk.Size() {
		t.Fatalf("Block2 = %+v %v %v", blk, ok, err)
	}
	if size, ok := m.Size2(); !ok || size != 1 {
		t.Fatalf("Size2 = %d %v", size, ok)
	}
	if _, ok, err := m.Block1(false); ok || err != nil {
		t.Fatalf("Block1 present: %v %v", ok, err)
	}
	if _, ok := m.Size1(); ok {
		t.Fatal("Size1 present")
	}

	// Build the next request: GET with 2:1/0/128 (RFC 7959 Figure 2), then
	// a Block1 upload with Size1.
	var req Message
	req.Type, req.Code, req.MessageID = Confirmable, GET, 1235
	req.SetPath([]byte("status"))
	if err := req.SetBlock2(Block{Num: 1, SZX: 3}); err != nil {
		t.Fatal(err)
	}
	if err := req.SetBlock1(Block{Num: 0x123, More: true, SZX: 6}); err != nil {
		t.Fatal(err)
	}
	req.SetSize1(0x01020304)
	req.SetSize2(0)
	wire, err := req.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, `
		40 01 04 d3                 // CON, GET, MID 1235
		b6 73 74 61 74 75 73        // Uri-Path "status"
		c1 13                       // delta 12 = 23 Block2, len 1: 1/0/128
		42 12 3e                    // delta 4 = 27 Block1, len 2: 0x123/1/1024
		10                          // delta 1 = 28 Size2, len 0: 0
		d4 13 01 02 03 04           // delta 13+19 = 60 Size1, len 4`)
	if !bytes.Equal(wire, want) {
		t.Fatalf("encoded\n%x\nwant\n%x", wire, want)
	}
	back := mustDecodeMsg(t, wire)
	if blk, _, _ := back.Block1(false); blk != (Block{0x123, true, 6}) {
		t.Fatalf("Block1 back %+v", blk)
	}
	if s, _ := back.Size1(); s != 0x01020304 {
		t.Fatalf("Size1 back %#x", s)
	}
	if s, ok := back.Size2(); !ok || s != 0 {
		t.Fatalf("Size2 back %d %v", s, ok)
	}

	// An invalid block leaves the message as it was.
	before, _ := req.AppendBinary(nil)
	wantOptErr(t, req.SetBlock2(Block{Num: MaxBlockNum + 1}), ErrLimit, -1, Block2)
	wantOptErr(t, req.SetBlock1(Block{SZX: 9}), ErrBadOption, -1, Block1)
	if after, _ := req.AppendBinary(nil); !bytes.Equal(before, after) {
		t.Fatal("failed SetBlock changed the message")
	}
}

func TestMessageBlockErrors(t *testing.T) {
	// RFC 7959 section 2.2: SZX 7 over UDP; the registry accepts the
	// length, DecodeBlock rejects the value and names the option.
	m := mustDecodeMsg(t, unhex(t, `
		40 03 00 01   // CON, PUT, MID 1
		d1 0e 07      // delta 13+14 = 27 Block1, len 1: 0/0/SZX 7`))
	_, ok, err := m.Block1(false)
	if !ok {
		t.Fatal("Block1 absent")
	}
	wantOptErr(t, err, ErrBadOption, 0, Block1)
	if blk, _, err := m.Block1(true); err != nil || !blk.IsBERT() {
		t.Fatalf("BERT: %+v %v", blk, err)
	}

	// A 4-byte Block2 breaks the registry (the message still decodes in
	// full) and the accessor.
	var bad Message
	_, err = bad.Decode(unhex(t, `
		40 01 00 02   // CON, GET, MID 2
		d4 0a 00 00 00 21 // delta 13+10 = 23 Block2, len 4`))
	if !errors.Is(err, ErrBadOption) {
		t.Fatalf("decode: %v", err)
	}
	_, _, err = bad.Block2(false)
	wantOptErr(t, err, ErrBadOption, 3, Block2)
	if _, ok := bad.Size2(); ok {
		t.Fatal("Size2 present")
	}

	// A Size option longer than 4 bytes is ignored by the accessor.
	var long Message
	long.AddOption(Size1, []byte{1, 2, 3, 4, 5})
	if _, ok := long.Size1(); ok {
		t.Fatal("5-byte Size1 accepted")
	}
}

// FuzzDecodeBlock checks DecodeBlock: no panic, no mutation, errors are
// *Error with an offset inside the value, and decode -> AppendBlock ->
// decode is a fixpoint whose encoding is minimal and no longer than the input.
func FuzzDecodeBlock(f *testing.F) {
	for _, v := range blockVectors {
		f.Add(unhex(f, v.hex), v.bert)
	}
	f.Add([]byte{0x07}, false)
	f.Add([]byte{0, 0, 0, 0x21}, true)
	f.Fuzz(func(t *testing.T, v []byte, bert bool) {
		orig := bytes.Clone(v)
		blk, err := DecodeBlock(v, bert)
		if !bytes.Equal(v, orig) {
			t.Fatal("DecodeBlock modified its input")
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrBadOption) || e.Offset < 0 || e.Offset > len(v) {
				t.Fatalf("bad error %T %v", err, err)
			}
			_ = e.Error()
			return
		}
		if err := blk.Check(); err != nil {
			t.Fatalf("decoded %+v fails Check: %v", blk, err)
		}
		out := AppendBlock(nil, blk)
		if len(out) > len(v) || len(out) > 0 && out[0] == 0 {
			t.Fatalf("encoding %x of %x is not minimal", out, v)
		}
		again, err := DecodeBlock(out, bert)
		if err != nil || again != blk {
			t.Fatalf("not a fixpoint: %x -> %+v -> %x -> %+v %v", v, blk, out, again, err)
		}
		if blk.Offset() < 0 || blk.Offset() > 1<<30-1024 {
			t.Fatalf("offset %d", blk.Offset())
		}
	})
}

// blockCases are the operations pinned by TestOptionAllocs and timed by
// BenchmarkBlock.
func blockCases(tb testing.TB) []optCase {
	val := []byte{0xff, 0xff, 0xfe}
	bad := []byte{0x07}
	buf := make([]byte, 0, 8)
	m := mustDecodeMsg(tb, blockMsgWire(tb))
	var out Message
	return []optCase{
		{"decode", 0, len(val), func() {
			if _, err := DecodeBlock(val, false); err != nil {
				tb.Fatal(err)
			}
		}},
		{"decode-error", 1, len(bad), func() {
			if _, err := DecodeBlock(bad, false); err == nil {
				tb.Fatal("accepted")
			}
		}},
		{"append", 0, 3, func() {
			buf = AppendBlock(buf[:0], Block{MaxBlockNum, true, 6})
		}},
		{"message-block2", 0, 1, func() {
			if _, ok, err := m.Block2(false); !ok || err != nil {
				tb.Fatal(ok, err)
			}
		}},
		{"message-set-block2-size2", 0, 4, func() {
			out.Reset()
			if err := out.SetBlock2(Block{1, true, 3}); err != nil {
				tb.Fatal(err)
			}
			out.SetSize2(4096)
		}},
	}
}

func BenchmarkBlock(b *testing.B) { benchOpt(b, blockCases(b)) }
