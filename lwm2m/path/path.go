// Package path parses, formats and compares LwM2M paths
// (/Object/Instance/Resource/ResourceInstance, [LwM2M Core] 7.1 and 6.4)
// without allocating.
//
// A [Path] is a small comparable value: use it as a map key, compare it with
// ==, and pass it by value. Parse reads the text form ("/3/0/1"); Append
// adds one segment, which is how a server builds a path from the Uri-Path
// options of a CoAP request:
//
//	var p path.Path
//	for it := m.Values(coapmsg.URIPath); it.Next(); {
//		if p, err = p.Append(it.Value()); err != nil { ... }
//	}
//
// # Allocation and aliasing
//
// Nothing here allocates, and a Path holds no reference to its input.
//
// # Limits
//
// A path has at most 4 identifiers, each 0 to 65534: MAX_ID (65535) is
// reserved ([LwM2M Core] 7.1 states it for Object Instance IDs; the object
// and resource registries never assign it, so it is rejected at every level).
//
// # Errors
//
// Parse errors are [*Error] values with the byte offset and the rule; they
// wrap [ErrMalformed] or, past 4 identifiers, [ErrLimit].
//
// [LwM2M Core]: https://openmobilealliance.org/release/LightweightM2M/V1_2-20201110-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_2-20201110-A.html
package path

import (
	"strconv"

	"github.com/iotwire/iotwire/internal/wire"
)

// MaxID is the largest identifier; MaxID+1 (65535, MAX_ID) is reserved.
const MaxID = 65534

// Level is the depth of a path.
type Level uint8

// The levels of an LwM2M path.
const (
	RootLevel             Level = iota // "/"
	ObjectLevel                        // "/3"
	InstanceLevel                      // "/3/0"
	ResourceLevel                      // "/3/0/1"
	ResourceInstanceLevel              // "/3/0/6/1"
)

var levelNames = [...]string{"root", "object", "object instance", "resource", "resource instance"}

// String returns "root", "object", "object instance", "resource" or "resource instance".
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}

// Path is an LwM2M path of 0 to 4 identifiers. The zero value is the root
// path "/". Paths are comparable with ==.
type Path struct {
	ids [4]uint16
	n   uint8
}

// The error classes.
var (
	ErrMalformed error = &wire.Sentinel{Msg: "malformed path"}
	ErrLimit     error = &wire.Sentinel{Msg: "path too deep"}
)

// Error describes why a path was rejected and at which byte.
type Error struct {
	Offset int    // byte offset in the input
	Rule   string // the rule, such as "LwM2M Core 7.1"
	Msg    string
	Err    error // ErrMalformed or ErrLimit
}

// Error describes the error.
func (e *Error) Error() string {
	b := append([]byte("path: at offset "), strconv.Itoa(e.Offset)...)
	b = append(append(append(b, ": "...), e.Msg...), " ["...)
	return string(append(append(b, e.Rule...), ']'))
}

// Unwrap returns the error class.
func (e *Error) Unwrap() error { return e.Err }

const ruleIDs = "LwM2M Core 7.1"

// Object returns the path /o. It panics if o > MaxID (a programmer error).
func Object(o uint16) Path { return mustNew(o) }

// Instance returns the path /o/i. It panics if an identifier is above MaxID.
func Instance(o, i uint16) Path { return mustNew(o, i) }

// Resource returns the path /o/i/r. It panics if an identifier is above MaxID.
func Resource(o, i, r uint16) Path { return mustNew(o, i, r) }

// ResourceInstance returns /o/i/r/ri. It panics if an identifier is above MaxID.
func ResourceInstance(o, i, r, ri uint16) Path { return mustNew(o, i, r, ri) }

func mustNew(ids ...uint16) Path {
	p, ok := New(ids...)
	if !ok {
		panic("path: identifier 65535 (MAX_ID) is reserved")
	}
	return p
}

// New returns the path of the given identifiers, or false if there are more
// than 4 or one is above MaxID.
func New(ids ...uint16) (Path, bool) {
	var p Path
	if len(ids) > 4 {
		return p, false
	}
	for _, id := range ids {
		if id > MaxID {
			return Path{}, false
		}
		p.ids[p.n] = id
		p.n++
	}
	return p, true
}

// Level returns the depth of p, 0 (root) to 4 (resource instance).
func (p Path) Level() Level { return Level(p.n) }

// Len returns the number of identifiers, 0 to 4.
func (p Path) Len() int { return int(p.n) }

// ID returns identifier i (0 is the object ID). It panics if i >= p.Len().
func (p Path) ID(i int) uint16 {
	if i >= int(p.n) {
		panic("path: ID index out of range")
	}
	return p.ids[i]
}

// IsRoot reports whether p is "/".
func (p Path) IsRoot() bool { return p.n == 0 }

// ObjectID returns the object identifier, if p has one.
func (p Path) ObjectID() (uint16, bool) { return p.ids[0], p.n >= 1 }

// InstanceID returns the object instance identifier, if p has one.
func (p Path) InstanceID() (uint16, bool) { return p.ids[1], p.n >= 2 }

// ResourceID returns the resource identifier, if p has one.
func (p Path) ResourceID() (uint16, bool) { return p.ids[2], p.n >= 3 }

// ResourceInstanceID returns the resource instance identifier, if p has one.
func (p Path) ResourceInstanceID() (uint16, bool) { return p.ids[3], p.n == 4 }

// Child returns p with id appended, or false if p is already 4 deep or id
// is above MaxID.
func (p Path) Child(id uint16) (Path, bool) {
	if p.n == 4 || id > MaxID {
		return p, false
	}
	p.ids[p.n] = id
	p.n++
	return p, true
}

// Parent returns p without its last identifier; the root's parent is the root.
func (p Path) Parent() Path {
	if p.n > 0 {
		p.n--
		p.ids[p.n] = 0
	}
	return p
}

// Contains reports whether q is p or lies below it: "/3" contains "/3/0/1"
// and "/3", not "/30" or "/4".
func (p Path) Contains(q Path) bool {
	if q.n < p.n {
		return false
	}
	for i := 0; i < int(p.n); i++ {
		if p.ids[i] != q.ids[i] {
			return false
		}
	}
	return true
}

// Compare orders paths by identifiers, a parent before its children:
// -1 if p < q, 0 if equal, +1 if p > q.
func (p Path) Compare(q Path) int {
	for i := 0; i < int(min(p.n, q.n)); i++ {
		switch {
		case p.ids[i] < q.ids[i]:
			return -1
		case p.ids[i] > q.ids[i]:
			return 1
		}
	}
	switch {
	case p.n < q.n:
		return -1
	case p.n > q.n:
		return 1
	}
	return 0
}

// Append parses seg, one decimal identifier such as a CoAP Uri-Path option
// value, and returns p with it appended. Offsets in errors are within seg.
func (p Path) Append(seg []byte) (Path, error) {
	id, err := parseID(seg, 0)
	if err != nil {
		return p, err
	}
	if p.n == 4 {
		return p, &Error{Offset: 0, Rule: ruleIDs, Msg: "more than 4 identifiers", Err: ErrLimit}
	}
	p.ids[p.n] = id
	p.n++
	return p, nil
}

// parseID parses a decimal identifier without sign, leading zeros or
// spaces; base is the offset of s in the caller's input.
func parseID[S string | []byte](s S, base int) (uint16, error) {
	if len(s) == 0 {
		return 0, &Error{Offset: base, Rule: ruleIDs, Msg: "empty identifier", Err: ErrMalformed}
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, &Error{Offset: base, Rule: ruleIDs, Msg: "leading zero in identifier", Err: ErrMalformed}
	}
	if len(s) > 5 {
		return 0, &Error{Offset: base + 5, Rule: ruleIDs, Msg: "identifier above 65534", Err: ErrMalformed}
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, &Error{Offset: base + i, Rule: ruleIDs, Msg: "identifier is not a decimal number", Err: ErrMalformed}
		}
		v = v*10 + int(c-'0')
	}
	if v > MaxID {
		return 0, &Error{Offset: base, Rule: ruleIDs, Msg: "identifier above 65534 (MAX_ID 65535 is reserved)", Err: ErrMalformed}
	}
	return uint16(v), nil
}

// Parse parses the text form of a path: "/" or "" for the root, else up to
// four decimal identifiers each preceded by '/', such as "/3/0/1". A
// trailing '/' after the last identifier is rejected.
func Parse(s string) (Path, error) { return parse(s) }

// ParseBytes is Parse for a byte slice.
func ParseBytes(b []byte) (Path, error) { return parse(b) }

// FromText parses a text form as ParseBytes does, but reports failure as
// false rather than with an error value, so that it never allocates; it is
// for decoders that report their own error (a SenML or LwM2M JSON name).
// Unlike ParseBytes it rejects the empty input: only "/" is the root.
func FromText(b []byte) (Path, bool) {
	if len(b) == 0 || b[0] != '/' {
		return Path{}, false
	}
	if len(b) == 1 {
		return Path{}, true
	}
	// The identifiers are packed into one word while parsing and stored
	// once at the end: writing a Path's array element by element through
	// Child made every call go through memory (measured 3 to 4 times
	// slower).
	var packed uint64
	n := 0
	for i := 1; i <= len(b); {
		start, v := i, 0
		for i < len(b) && '0' <= b[i] && b[i] <= '9' && i-start < 5 {
			v = v*10 + int(b[i]-'0')
			i++
		}
		if i == start || i < len(b) && b[i] != '/' || b[start] == '0' && i-start > 1 || v > MaxID || n == 4 {
			return Path{}, false
		}
		packed |= uint64(v) << (16 * n)
		n++
		i++ // past the '/'
	}
	return Path{ids: [4]uint16{uint16(packed), uint16(packed >> 16), uint16(packed >> 32), uint16(packed >> 48)}, n: uint8(n)}, true
}

func parse[S string | []byte](s S) (Path, error) {
	var p Path
	if len(s) == 0 || len(s) == 1 && s[0] == '/' {
		return p, nil
	}
	if s[0] != '/' {
		return p, &Error{Offset: 0, Rule: ruleIDs, Msg: "path does not start with '/'", Err: ErrMalformed}
	}
	start := 1
	for i := 1; i <= len(s); i++ {
		if i < len(s) && s[i] != '/' {
			continue
		}
		if p.n == 4 {
			return p, &Error{Offset: start - 1, Rule: ruleIDs, Msg: "more than 4 identifiers", Err: ErrLimit}
		}
		id, err := parseID(s[start:i], start)
		if err != nil {
			return Path{}, err
		}
		p.ids[p.n] = id
		p.n++
		start = i + 1
	}
	return p, nil
}

// AppendText appends the text form of p ("/" for the root, else "/3/0/1").
// It implements encoding.TextAppender.
func (p Path) AppendText(b []byte) ([]byte, error) { return p.appendText(b), nil }

func (p Path) appendText(b []byte) []byte {
	if p.n == 0 {
		return append(b, '/')
	}
	for i := 0; i < int(p.n); i++ {
		b = strconv.AppendUint(append(b, '/'), uint64(p.ids[i]), 10)
	}
	return b
}

// String returns the text form of p.
func (p Path) String() string { return string(p.appendText(make([]byte, 0, 24))) }

// MarshalText implements encoding.TextMarshaler.
func (p Path) MarshalText() ([]byte, error) { return p.appendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Path) UnmarshalText(b []byte) error {
	q, err := ParseBytes(b)
	if err == nil {
		*p = q
	}
	return err
}
