package coapmsg

import "strconv"

// MaxBlockNum is the largest block number a Block option can carry: NUM has
// at most 20 bits (RFC 7959 section 2.2).
const MaxBlockNum = 1<<20 - 1

// BERTSZX is the block size exponent that means BERT on reliable transports
// (RFC 8323 section 6). Over UDP the value is reserved (RFC 7959 section 2.2).
const BERTSZX = 7

// Block is the value of a Block1 or Block2 option (RFC 7959 section 2.2):
// the block number, the more flag and the block size exponent.
//
//	 0 1 2 3 4 5 6 7        (one byte; two and three bytes extend NUM)
//	+-+-+-+-+-+-+-+-+
//	|  NUM  |M| SZX |
//	+-+-+-+-+-+-+-+-+
//
// The block size is 2^(SZX+4), 16 to 1024 bytes. SZX 7 is reserved over
// UDP; on reliable transports it means BERT (RFC 8323 section 6): blocks of
// 1024 bytes, any number of which may travel in one message, with NUM
// counting 1024-byte units.
type Block struct {
	Num  uint32 // block number, 0 to MaxBlockNum
	More bool   // M: more blocks follow (in a Block2 request it must be false)
	SZX  uint8  // block size exponent, 0 to 7
}

// Size returns the block size in bytes, 2^(SZX+4): 16 to 1024. For BERT
// (SZX 7) it returns 1024, the unit of NUM; a BERT payload may hold several
// such blocks (RFC 8323 section 6).
func (blk Block) Size() int {
	if blk.SZX >= BERTSZX {
		return 1024
	}
	return 1 << (blk.SZX + 4)
}

// Offset returns the byte offset of the block in the whole body: NUM times
// Size (RFC 7959 section 2.2). For a block that passes Check it is at most
// 2^30-1024.
func (blk Block) Offset() int { return int(blk.Num) * blk.Size() }

// IsBERT reports whether blk uses the BERT size exponent 7.
func (blk Block) IsBERT() bool { return blk.SZX == BERTSZX }

// Check reports whether blk can be encoded: NUM at most MaxBlockNum (an
// error wrapping ErrLimit: pick a larger block size) and SZX at most 7
// (ErrBadOption). It does not reject SZX 7, which is BERT on reliable
// transports and reserved on UDP: a UDP sender must not use it.
func (blk Block) Check() error {
	return blk.check(0)
}

func (blk Block) check(n OptionNumber) error {
	if blk.Num > MaxBlockNum {
		return &Error{Field: "option", Offset: -1, Option: n, Rule: "RFC 7959 2.2", Msg: "block number above 2^20-1", Err: ErrLimit}
	}
	if blk.SZX > 7 {
		return &Error{Field: "option", Offset: -1, Option: n, Rule: "RFC 7959 2.2", Msg: "block size exponent above 7", Err: ErrBadOption}
	}
	return nil
}

// value returns the option value as an integer; blk has been checked.
func (blk Block) value() uint32 {
	v := blk.Num<<4 | uint32(blk.SZX&7)
	if blk.More {
		v |= 8
	}
	return v
}

// DecodeBlock decodes a Block1 or Block2 option value: an unsigned integer
// of 0 to 3 bytes (RFC 7959 section 2.2; leading zero bytes are accepted,
// RFC 7252 section 3.2). bert says the message came over a reliable
// transport where both peers announced BERT (RFC 8323 section 6); without it
// SZX 7 is reserved, and a server answers such a request with 4.00 Bad
// Request (RFC 7959 section 2.2).
//
// Errors wrap ErrBadOption; their Offset is within v.
func DecodeBlock(v []byte, bert bool) (Block, error) { return decodeBlock(v, bert, 0) }

// decodeBlock is DecodeBlock for option n (0 when unknown), named in errors.
func decodeBlock(v []byte, bert bool, n OptionNumber) (Block, error) {
	if len(v) > 3 {
		return Block{}, &Error{Field: "option", Offset: 3, Option: n, Rule: "RFC 7959 2.2", Msg: "Block value longer than 3 bytes", Err: ErrBadOption}
	}
	var u uint32
	for _, c := range v {
		u = u<<8 | uint32(c)
	}
	blk := Block{Num: u >> 4, More: u&8 != 0, SZX: uint8(u & 7)}
	if blk.SZX == BERTSZX && !bert {
		return Block{}, &Error{Field: "option", Offset: len(v) - 1, Option: n, Rule: "RFC 7959 2.2", Msg: "block size exponent 7 is reserved outside BERT", Err: ErrBadOption}
	}
	return blk, nil
}

// AppendBlock appends the value of blk in minimal form: no leading zero
// bytes, and no bytes at all for 0/0/16 (RFC 7959 section 2.2, RFC 7252
// section 3.2). It panics if blk fails Check, a programmer error; Message's
// SetBlock1 and SetBlock2 return the error instead.
func AppendBlock(b []byte, blk Block) []byte {
	if err := blk.Check(); err != nil {
		panic("coapmsg: AppendBlock: " + err.Error())
	}
	return AppendUint(b, uint64(blk.value()))
}

// SZXForSize returns the size exponent of a block size of 16, 32, 64, 128,
// 256, 512 or 1024 bytes; ok is false for other sizes.
func SZXForSize(size int) (szx uint8, ok bool) {
	for s := uint8(0); s < 7; s++ {
		if 1<<(s+4) == size {
			return s, true
		}
	}
	return 0, false
}

// AppendText appends blk in the notation of RFC 7959 section 3,
// "NUM/M/size", such as "2/0/32", with "BERT" as the size for SZX 7.
func (blk Block) AppendText(b []byte) []byte {
	b = strconv.AppendUint(b, uint64(blk.Num), 10)
	if blk.More {
		b = append(b, "/1/"...)
	} else {
		b = append(b, "/0/"...)
	}
	if blk.IsBERT() {
		return append(b, "BERT"...)
	}
	return strconv.AppendInt(b, int64(blk.Size()), 10)
}

// String returns blk as "NUM/M/size", such as "2/0/32" (RFC 7959 section 3).
func (blk Block) String() string { return string(blk.AppendText(make([]byte, 0, 16))) }

// Block1 returns the Block1 option of m (RFC 7959 section 2.5): in a
// request, the block of the request body it carries; in a response, the
// block the server acknowledges. ok is false when the option is absent.
// bert is as for DecodeBlock. Errors wrap ErrBadOption and name the option.
func (m *Message) Block1(bert bool) (blk Block, ok bool, err error) {
	return m.block(Block1, bert)
}

// Block2 returns the Block2 option of m (RFC 7959 section 2.4): in a
// response, the block of the body it carries; in a request, the block asked
// for (its M bit has no meaning there and is ignored by servers). bert is as
// for DecodeBlock. Errors wrap ErrBadOption and name the option.
func (m *Message) Block2(bert bool) (blk Block, ok bool, err error) {
	return m.block(Block2, bert)
}

func (m *Message) block(n OptionNumber, bert bool) (Block, bool, error) {
	v, ok := m.Option(n)
	if !ok {
		return Block{}, false, nil
	}
	blk, err := decodeBlock(v, bert, n)
	return blk, true, err
}

// SetBlock1 replaces the Block1 options of m by one holding blk, in the
// Message's own storage (see SetUint). It returns an error, and leaves m
// unchanged, if blk fails Check.
func (m *Message) SetBlock1(blk Block) error { return m.setBlock(Block1, blk) }

// SetBlock2 replaces the Block2 options of m by one holding blk, in the
// Message's own storage (see SetUint). It returns an error, and leaves m
// unchanged, if blk fails Check.
func (m *Message) SetBlock2(blk Block) error { return m.setBlock(Block2, blk) }

func (m *Message) setBlock(n OptionNumber, blk Block) error {
	if err := blk.check(n); err != nil {
		return err
	}
	m.SetUint(n, uint64(blk.value()))
	return nil
}

// Size1 returns the Size1 option: in a request carrying Block1, the size of
// the whole request body; in a 4.13 response, the largest body the server
// accepts (RFC 7959 section 4, RFC 7252 section 5.10.9). ok is false when
// the option is absent or longer than its 4 bytes.
func (m *Message) Size1() (size uint32, ok bool) { return m.size(Size1) }

// Size2 returns the Size2 option: in a response, the size of the whole
// body; in a request, with value 0, a request for that size (RFC 7959
// section 4). ok is false when the option is absent or longer than 4 bytes.
func (m *Message) Size2() (size uint32, ok bool) { return m.size(Size2) }

func (m *Message) size(n OptionNumber) (uint32, bool) {
	v, ok := m.Option(n)
	if !ok || len(v) > 4 {
		return 0, false
	}
	u, _ := decodeUint(v)
	return uint32(u), true
}

// SetSize1 replaces the Size1 options of m by one holding size.
func (m *Message) SetSize1(size uint32) { m.SetUint(Size1, uint64(size)) }

// SetSize2 replaces the Size2 options of m by one holding size.
func (m *Message) SetSize2(size uint32) { m.SetUint(Size2, uint64(size)) }
