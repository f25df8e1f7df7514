package op

import "github.com/iotwire/iotwire/coapmsg"

// ruleArgs is the grammar of the Execute arguments (LwM2M Core 1.1 and 1.2
// section 6.3.5; 1.0 section 5.4.5):
//
//	arglist  = argument *( "," argument )
//	argument = DIGIT [ "=" "'" *CHAR "'" ]
//	CHAR     = "!" / %x23-26 / %x28-5B / %x5D-7E
//
// Each digit names one argument, so a digit given twice is rejected.
const ruleArgs = "LwM2M Core 6.3.5: arglist = argument *( \",\" argument )"

// Args is a cursor over the Execute arguments of a payload, such as
// "0='start',1". It is a small value: copy it to save the position.
//
//	for it := req.Args(); it.Next(); {
//		digit := it.Digit()
//		value, ok := it.Value()
//	}
//	if err := it.Err(); err != nil { ... }
type Args struct {
	b      []byte
	i      int
	digit  uint8
	val    []byte
	hasVal bool
	seen   uint16
	bad    bool
}

// Next reads the next argument and reports whether there was one. It
// returns false at the end and on a grammar error (see Err).
func (a *Args) Next() bool {
	if a.bad || a.i >= len(a.b) {
		return false
	}
	if a.i > 0 {
		if a.b[a.i] != ',' {
			a.bad = true
			return false
		}
		a.i++
	}
	d, v, hv, n, msg := scanArg(a.b, a.i)
	if msg != "" || a.seen&(1<<d) != 0 {
		a.bad = true
		return false
	}
	a.seen |= 1 << d
	a.digit, a.val, a.hasVal = d, v, hv
	a.i = n
	return true
}

// Digit returns the argument's digit, 0 to 9.
func (a *Args) Digit() int { return int(a.digit) }

// Value returns the argument's value without its quotes, aliasing the
// payload, and whether it has one.
func (a *Args) Value() ([]byte, bool) { return a.val, a.hasVal }

// Err returns nil at the end of well-formed arguments, or the grammar
// error that stopped Next.
func (a *Args) Err() error {
	if !a.bad {
		return nil
	}
	_, msg := checkArgs(a.b)
	if msg == "" {
		msg = "malformed argument"
	}
	return &Error{Kind: KindExecute, Field: "payload", Code: coapmsg.BadRequest, Rule: ruleArgs, Msg: msg, Err: ErrBadRequest}
}

// scanArg reads one argument at b[i:]: its digit, value, whether it has a
// value, the index after it, or an error message.
func scanArg(b []byte, i int) (digit uint8, val []byte, hasVal bool, next int, msg string) {
	if i >= len(b) || b[i] < '0' || b[i] > '9' {
		return 0, nil, false, i, "argument does not start with a digit"
	}
	digit = b[i] - '0'
	i++
	if i == len(b) || b[i] == ',' {
		return digit, nil, false, i, ""
	}
	if b[i] != '=' {
		return 0, nil, false, i, "digit not followed by ',' or '='"
	}
	i++
	if i == len(b) || b[i] != '\'' {
		return 0, nil, false, i, "value does not start with a single quote"
	}
	i++
	start := i
	for ; i < len(b) && b[i] != '\''; i++ {
		if c := b[i]; c < 0x21 || c == '"' || c == '\\' || c > 0x7e {
			return 0, nil, false, i, "character not allowed in an argument value"
		}
	}
	if i == len(b) {
		return 0, nil, false, i, "value without a closing quote"
	}
	return digit, b[start:i:i], true, i + 1, ""
}

// checkArgs checks a whole argument list; it returns -1 and "" or the
// offset and message of the first fault.
func checkArgs(b []byte) (int, string) {
	var seen uint16
	for i := 0; i < len(b); {
		if i > 0 {
			if b[i] != ',' {
				return i, "arguments not separated by ','"
			}
			i++
		}
		d, _, _, n, msg := scanArg(b, i)
		if msg != "" {
			return n, msg
		}
		if seen&(1<<d) != 0 {
			return i, "argument digit given twice"
		}
		seen |= 1 << d
		i = n
	}
	return -1, ""
}

// AppendArg appends one Execute argument to an argument list b, with a
// ',' when b is not empty: the digit, and the value in single quotes when
// it is not nil. It panics if digit is not 0 to 9 or value has a character
// the grammar forbids (quotes, backslash, space, controls, non-ASCII): a
// programmer error.
func AppendArg(b []byte, digit int, value []byte) []byte {
	if digit < 0 || digit > 9 {
		panic("op: Execute argument digit outside 0 to 9")
	}
	for _, c := range value {
		if c < 0x21 || c == '"' || c == '\'' || c == '\\' || c > 0x7e {
			panic("op: character not allowed in an Execute argument value")
		}
	}
	if len(b) > 0 {
		b = append(b, ',')
	}
	b = append(b, byte('0'+digit))
	if value != nil {
		b = append(b, '=', '\'')
		b = append(b, value...)
		b = append(b, '\'')
	}
	return b
}
