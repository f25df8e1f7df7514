package coapmsg

import (
	"encoding/binary"
	"strconv"
	"unicode/utf8"
)

// OptionNumber identifies an option (RFC 7252 section 5.4 and 12.2).
type OptionNumber uint16

// The registered option numbers this package knows.
const (
	IfMatch       OptionNumber = 1   // RFC 7252
	URIHost       OptionNumber = 3   // RFC 7252
	ETag          OptionNumber = 4   // RFC 7252
	IfNoneMatch   OptionNumber = 5   // RFC 7252
	Observe       OptionNumber = 6   // RFC 7641
	URIPort       OptionNumber = 7   // RFC 7252
	LocationPath  OptionNumber = 8   // RFC 7252
	OSCORE        OptionNumber = 9   // RFC 8613
	URIPath       OptionNumber = 11  // RFC 7252
	ContentFormat OptionNumber = 12  // RFC 7252
	MaxAge        OptionNumber = 14  // RFC 7252
	URIQuery      OptionNumber = 15  // RFC 7252
	HopLimit      OptionNumber = 16  // RFC 8768
	Accept        OptionNumber = 17  // RFC 7252
	LocationQuery OptionNumber = 20  // RFC 7252
	Block2        OptionNumber = 23  // RFC 7959
	Block1        OptionNumber = 27  // RFC 7959
	Size2         OptionNumber = 28  // RFC 7959
	ProxyURI      OptionNumber = 35  // RFC 7252
	ProxyScheme   OptionNumber = 39  // RFC 7252
	Size1         OptionNumber = 60  // RFC 7252
	Echo          OptionNumber = 252 // RFC 9175
	NoResponse    OptionNumber = 258 // RFC 7967
	RequestTag    OptionNumber = 292 // RFC 9175
)

// The signaling options of RFC 8323 section 5. Their numbers mean these
// options only in a message with the signaling code given.
const (
	MaxMessageSize     OptionNumber = 2 // 7.01 CSM, uint
	BlockWiseTransfer  OptionNumber = 4 // 7.01 CSM, empty
	Custody            OptionNumber = 2 // 7.02 Ping and 7.03 Pong, empty
	AlternativeAddress OptionNumber = 2 // 7.04 Release, string, repeatable
	HoldOff            OptionNumber = 4 // 7.04 Release, uint
	BadCSMOption       OptionNumber = 2 // 7.05 Abort, uint
)

// Critical reports whether the option is critical: odd numbers (RFC 7252
// section 5.4.6). An unrecognized critical option makes a request fail with
// 4.02 Bad Option.
func (n OptionNumber) Critical() bool { return n&1 != 0 }

// Unsafe reports whether a proxy that does not know the option must not
// forward it (RFC 7252 section 5.4.6).
func (n OptionNumber) Unsafe() bool { return n&2 != 0 }

// NoCacheKey reports whether the option is not part of the cache key
// (RFC 7252 section 5.4.6); only meaningful for safe-to-forward options.
func (n OptionNumber) NoCacheKey() bool { return n&0x1e == 0x1c }

// Format is the value format of an option (RFC 7252 section 3.2).
type Format uint8

// The option value formats.
const (
	FormatOpaque Format = iota // a sequence of bytes
	FormatEmpty                // no value
	FormatUint                 // a non-negative integer, big-endian, minimal length
	FormatString               // a UTF-8 string
)

var formatNames = [...]string{"opaque", "empty", "uint", "string"}

// String returns "opaque", "empty", "uint" or "string".
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// OptionDef is the registry entry of an option: its name, value format,
// length bounds and whether it may be repeated (RFC 7252 section 5.10 and
// the RFCs that define later options).
type OptionDef struct {
	Number     OptionNumber
	Name       string
	Format     Format
	MinLen     int
	MaxLen     int
	Repeatable bool
	RFC        string // defining section, such as "RFC 7252 5.10"
}

var optionDefs = [...]OptionDef{
	{IfMatch, "If-Match", FormatOpaque, 0, 8, true, "RFC 7252 5.10.8.1"},
	{URIHost, "Uri-Host", FormatString, 1, 255, false, "RFC 7252 5.10.1"},
	{ETag, "ETag", FormatOpaque, 1, 8, true, "RFC 7252 5.10.6"},
	{IfNoneMatch, "If-None-Match", FormatEmpty, 0, 0, false, "RFC 7252 5.10.8.2"},
	{Observe, "Observe", FormatUint, 0, 3, false, "RFC 7641 2"},
	{URIPort, "Uri-Port", FormatUint, 0, 2, false, "RFC 7252 5.10.1"},
	{LocationPath, "Location-Path", FormatString, 0, 255, true, "RFC 7252 5.10.7"},
	{OSCORE, "OSCORE", FormatOpaque, 0, 255, false, "RFC 8613 2"},
	{URIPath, "Uri-Path", FormatString, 0, 255, true, "RFC 7252 5.10.1"},
	{ContentFormat, "Content-Format", FormatUint, 0, 2, false, "RFC 7252 5.10.3"},
	{MaxAge, "Max-Age", FormatUint, 0, 4, false, "RFC 7252 5.10.5"},
	{URIQuery, "Uri-Query", FormatString, 0, 255, true, "RFC 7252 5.10.1"},
	{HopLimit, "Hop-Limit", FormatUint, 1, 1, false, "RFC 8768 3"},
	{Accept, "Accept", FormatUint, 0, 2, false, "RFC 7252 5.10.4"},
	{LocationQuery, "Location-Query", FormatString, 0, 255, true, "RFC 7252 5.10.7"},
	{Block2, "Block2", FormatUint, 0, 3, false, "RFC 7959 2.1"},
	{Block1, "Block1", FormatUint, 0, 3, false, "RFC 7959 2.1"},
	{Size2, "Size2", FormatUint, 0, 4, false, "RFC 7959 4"},
	{ProxyURI, "Proxy-Uri", FormatString, 1, 1034, false, "RFC 7252 5.10.2"},
	{ProxyScheme, "Proxy-Scheme", FormatString, 1, 255, false, "RFC 7252 5.10.2"},
	{Size1, "Size1", FormatUint, 0, 4, false, "RFC 7252 5.10.9"},
	{Echo, "Echo", FormatOpaque, 1, 40, false, "RFC 9175 2.2.1"},
	{NoResponse, "No-Response", FormatUint, 0, 1, false, "RFC 7967 2"},
	{RequestTag, "Request-Tag", FormatOpaque, 0, 8, true, "RFC 9175 3.2.1"},
}

var signalingDefs = [...]OptionDef{
	{MaxMessageSize, "Max-Message-Size", FormatUint, 0, 4, false, "RFC 8323 5.3.1"},
	{BlockWiseTransfer, "Block-Wise-Transfer", FormatEmpty, 0, 0, false, "RFC 8323 5.3.2"},
	{Custody, "Custody", FormatEmpty, 0, 0, false, "RFC 8323 5.4.1"},
	{AlternativeAddress, "Alternative-Address", FormatString, 1, 255, true, "RFC 8323 5.5"},
	{HoldOff, "Hold-Off", FormatUint, 0, 3, false, "RFC 8323 5.5"},
	{BadCSMOption, "Bad-CSM-Option", FormatUint, 0, 2, false, "RFC 8323 5.6"},
}

// optionIndex maps the option numbers below 64 to their entry plus one in
// optionDefs; larger numbers are looked up by a scan of the short tail.
var optionIndex [64]uint8

// fastDefs is the part of the registry that decoding checks for option
// numbers below 64 outside signaling messages, packed for the hot path.
var fastDefs [64]fastDef

type fastDef struct {
	min, max         uint16
	known, str, rept bool
}

func init() {
	for i, d := range optionDefs {
		if d.Number < 64 {
			optionIndex[d.Number] = uint8(i + 1)
			fastDefs[d.Number] = fastDef{uint16(d.MinLen), uint16(d.MaxLen), true, d.Format == FormatString, d.Repeatable}
		}
	}
}

// LookupOption returns the registry entry of option n in a message with
// code c: signaling codes (7.xx) have their own option numbers (RFC 8323
// section 5.2). ok is false for an unknown option.
func LookupOption(c Code, n OptionNumber) (def *OptionDef, ok bool) {
	if c.IsSignaling() {
		return lookupSignaling(c, n)
	}
	if n < 64 {
		if i := optionIndex[n]; i != 0 {
			return &optionDefs[i-1], true
		}
		return nil, false
	}
	for i := range optionDefs {
		if optionDefs[i].Number == n {
			return &optionDefs[i], true
		}
	}
	return nil, false
}

func lookupSignaling(c Code, n OptionNumber) (*OptionDef, bool) {
	var i int
	switch {
	case c == CSM && n == MaxMessageSize:
		i = 0
	case c == CSM && n == BlockWiseTransfer:
		i = 1
	case (c == Ping || c == Pong) && n == Custody:
		i = 2
	case c == Release && n == AlternativeAddress:
		i = 3
	case c == Release && n == HoldOff:
		i = 4
	case c == Abort && n == BadCSMOption:
		i = 5
	default:
		return nil, false
	}
	return &signalingDefs[i], true
}

// Name returns the registered name of option n outside signaling messages,
// such as "Uri-Path", or "".
func (n OptionNumber) Name() string {
	if d, ok := LookupOption(GET, n); ok {
		return d.Name
	}
	return ""
}

// String returns the option's name, or its number for an unknown option.
func (n OptionNumber) String() string {
	if s := n.Name(); s != "" {
		return s
	}
	return strconv.Itoa(int(n))
}

// Option is one option of a message: its number and its raw value. After
// Decode the value aliases the decoded buffer.
type Option struct {
	Number OptionNumber
	Value  []byte
}

// Uint returns the value as an unsigned integer (RFC 7252 section 3.2).
// Leading zero bytes are accepted; ok is false for values longer than 8 bytes.
func (o Option) Uint() (v uint64, ok bool) { return decodeUint(o.Value) }

func decodeUint(b []byte) (uint64, bool) {
	if len(b) > 8 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v, true
}

// AppendUint appends v in the minimal big-endian form a uint option value
// uses: no leading zero bytes, and no bytes at all for 0 (RFC 7252 section 3.2).
func AppendUint(b []byte, v uint64) []byte {
	n := uintLen(v)
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func uintLen(v uint64) int {
	n := 0
	for ; v != 0; v >>= 8 {
		n++
	}
	return n
}

// checkOption checks option o of a message with code c against the registry.
// It returns "" or what is wrong and the rule.
func checkOption(c Code, o *Option) (msg, rule string) {
	if d, ok := LookupOption(c, o.Number); ok {
		return d.check(o.Value)
	}
	return "", ""
}

// check checks a value against the entry's length bounds and format.
func (d *OptionDef) check(v []byte) (msg, rule string) {
	if len(v) < d.MinLen || len(v) > d.MaxLen {
		// RFC 7252 5.4.3: a length outside the range is treated like an unrecognized option.
		return "value length outside the option's range", d.RFC
	}
	if d.Format == FormatString && !validUTF8(v) {
		return "string value is not UTF-8", "RFC 7252 3.2"
	}
	return "", ""
}

// validUTF8 is utf8.Valid with a word-at-a-time fast path for ASCII, the
// usual content of string options.
func validUTF8(v []byte) bool {
	return asciiOnly(v) || utf8.Valid(v)
}

// shortASCII reports whether v is at most 7 bytes of ASCII: the LwM2M
// path segments ("3", "0", "rd"), checked inline before validUTF8.
func shortASCII(v []byte) bool {
	if len(v) > 7 {
		return false
	}
	var acc byte
	for _, c := range v {
		acc |= c
	}
	return acc < 0x80
}

// asciiOnly reports whether no byte of v has its top bit set, reading
// 32 bytes per step and testing once at the end: the common string option
// is ASCII, and then only this loop runs.
func asciiOnly(v []byte) bool {
	var acc uint64
	for len(v) >= 32 {
		acc |= binary.LittleEndian.Uint64(v) | binary.LittleEndian.Uint64(v[8:]) |
			binary.LittleEndian.Uint64(v[16:]) | binary.LittleEndian.Uint64(v[24:])
		v = v[32:]
	}
	for len(v) >= 8 {
		acc |= binary.LittleEndian.Uint64(v)
		v = v[8:]
	}
	for _, c := range v {
		acc |= uint64(c)
	}
	return acc&0x8080808080808080 == 0
}

// repeatable reports whether option n may appear more than once.
func repeatable(c Code, n OptionNumber) bool {
	d, ok := LookupOption(c, n)
	// Unknown options: RFC 7252 5.4.5 lets the receiver treat each
	// occurrence as an unrecognized option; we keep them all.
	return !ok || d.Repeatable
}
