package mqttpkt

import (
	"bytes"
	"unicode/utf8"

	"github.com/iotwire/iotwire/internal/wire"
)

// Topic rules of MQTT 3.1.1 section 4.7 and MQTT 5.0 sections 4.7 and 4.8.
// The same rules hold in both versions, but the wildcard rules are numbered
// differently: 3.1.1 [MQTT-4.7.1-1] to [MQTT-4.7.1-3] are 5.0 [MQTT-4.7.0-1],
// [MQTT-4.7.1-1] and [MQTT-4.7.1-2].

const (
	msgEmptyTopic    = "empty topic"
	msgWildcardTopic = "wildcard character in topic name"
	msgHashPlace     = "'#' not alone in the last level"
	msgPlusPlace     = "'+' not alone in its level"
	msgTopicTooLong  = "longer than 65535 bytes"
	msgShareName     = "invalid share name"
	msgShareFilter   = "shared subscription without topic filter"
)

// topicNameCheck returns -1 for a valid topic name, else the offset of the
// first bad byte and why: it must be a non-empty valid string without '+'
// or '#' (3.1.1 [MQTT-4.7.1-1], 5.0 [MQTT-4.7.0-1]), [MQTT-4.7.3-1].
func topicNameCheck(t []byte) (int, string) {
	if len(t) == 0 {
		return 0, msgEmptyTopic
	}
	if len(t) > 0xffff {
		return 0xffff, msgTopicTooLong
	}
	if cleanTopic(t) {
		return -1, ""
	}
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == '+' || c == '#':
			return i, msgWildcardTopic
		case c == 0:
			return i, msgNUL
		case c >= 0x80:
			if bad, msg := checkUTF8(t[i:]); bad >= 0 {
				return i + bad, msg
			}
			// The rest is valid UTF-8; multi-byte sequences never hold '+' or '#'.
			for j := i; j < len(t); j++ {
				if t[j] == '+' || t[j] == '#' {
					return j, msgWildcardTopic
				}
			}
			return -1, ""
		}
	}
	return -1, ""
}

// topicFilterCheck returns -1 for a valid topic filter (sections 4.7.1 and
// 4.7.3), else the offset of the first bad byte and why. It does not treat
// $share specially: see ParseShared.
func topicFilterCheck(f []byte) (int, string) {
	if len(f) == 0 {
		return 0, msgEmptyTopic // [MQTT-4.7.3-1]
	}
	if len(f) > 0xffff {
		return 0xffff, msgTopicTooLong
	}
	// ASCII without NUL or wildcards needs no further check.
	if cleanTopic(f) {
		return -1, ""
	}
	if bad, msg := checkUTF8(f); bad >= 0 {
		return bad, msg
	}
	// Only the wildcards are left to check (multi-byte UTF-8 never holds
	// them); report the first misplaced one.
	bad, msg := -1, ""
	if i := bytes.IndexByte(f, '#'); i >= 0 && (i != len(f)-1 || (i > 0 && f[i-1] != '/')) {
		// [MQTT-4.7.1-2]: '#' is the last character and follows '/' or stands alone.
		bad, msg = i, msgHashPlace
	}
	for i := 0; bad < 0 || i < bad; i++ {
		j := bytes.IndexByte(f[i:], '+')
		if j < 0 {
			break
		}
		i += j
		// [MQTT-4.7.1-3]: '+' occupies an entire level.
		if (i > 0 && f[i-1] != '/') || (i < len(f)-1 && f[i+1] != '/') {
			if bad < 0 || i < bad {
				return i, msgPlusPlace
			}
			break
		}
	}
	return bad, msg
}

// TopicError is the error of the topic validators: which rule the topic
// breaks and at which byte.
type TopicError struct {
	Offset int    // byte offset in the topic
	Rule   string // normative id or section
	Msg    string
}

// Error describes the error.
func (e *TopicError) Error() string {
	return "mqttpkt: topic at offset " + itoa(e.Offset) + ": " + e.Msg + " [" + e.Rule + "]"
}

// Unwrap returns ErrMalformed: an invalid topic makes a packet malformed.
func (e *TopicError) Unwrap() error { return ErrMalformed }

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

func topicRule(msg string, v Version) string {
	switch msg {
	case msgWildcardTopic:
		return v.rule("MQTT-4.7.1-1", "MQTT-4.7.0-1")
	case msgHashPlace:
		return v.rule("MQTT-4.7.1-2", "MQTT-4.7.1-1")
	case msgPlusPlace:
		return v.rule("MQTT-4.7.1-3", "MQTT-4.7.1-2")
	case msgTopicTooLong:
		return "MQTT-4.7.3-3"
	case msgEmptyTopic:
		return "MQTT-4.7.3-1"
	case msgNUL:
		return "MQTT-4.7.3-2"
	case msgShareName:
		return "MQTT-4.8.2-1"
	case msgShareFilter:
		return "MQTT-4.8.2-2"
	}
	return v.rule("MQTT-1.5.3-1", "MQTT-1.5.4-1")
}

// ValidateTopicName checks that t may be used as a Topic Name in PUBLISH:
// one or more bytes of valid UTF-8, no U+0000, no '+' or '#'
// ([MQTT-4.7.1-1], [MQTT-4.7.3-1], [MQTT-4.7.3-2]). It returns nil or a
// [*TopicError]. An empty name is valid on the wire in MQTT 5.0 only with a
// Topic Alias; this function rejects it.
func ValidateTopicName(t []byte) error {
	if bad, msg := topicNameCheck(t); bad >= 0 {
		return &TopicError{Offset: bad, Rule: topicRule(msg, V5), Msg: msg}
	}
	return nil
}

// ValidateTopicFilter checks that f is a valid Topic Filter: non-empty
// valid UTF-8 without U+0000, '#' only as the whole last level, '+' only as
// a whole level ([MQTT-4.7.1-2], [MQTT-4.7.1-3], [MQTT-4.7.3-1]). A filter
// that starts with "$share/" must also be a valid shared subscription
// (MQTT 5.0 section 4.8.2); pass version V311 to treat it as a plain filter,
// as MQTT 3.1.1 does.
func ValidateTopicFilter(f []byte, v Version) error {
	if bad, msg := filterCheck(f, v); bad >= 0 {
		return &TopicError{Offset: bad, Rule: topicRule(msg, v), Msg: msg}
	}
	return nil
}

// filterCheck applies the shared-subscription rules in MQTT 5.0.
func filterCheck(f []byte, v Version) (int, string) {
	if v == V5 && bytes.HasPrefix(f, sharePrefix) {
		_, filter, bad, msg := parseShared(f)
		if bad >= 0 {
			return bad, msg
		}
		off := len(f) - len(filter)
		if bad, msg := topicFilterCheck(filter); bad >= 0 {
			return off + bad, msg
		}
		return -1, ""
	}
	return topicFilterCheck(f)
}

var sharePrefix = []byte("$share/")

// parseShared splits "$share/{ShareName}/{filter}"; the caller checked the prefix.
func parseShared(f []byte) (group, filter []byte, bad int, msg string) {
	rest := f[len(sharePrefix):]
	i := bytes.IndexByte(rest, '/')
	if i < 0 {
		// [MQTT-4.8.2-2]: the ShareName is followed by '/' and a filter.
		return nil, nil, len(f), msgShareFilter
	}
	group = rest[:i]
	if len(group) == 0 {
		return nil, nil, len(sharePrefix), msgShareName // [MQTT-4.8.2-1]
	}
	if j := bytes.IndexAny(group, "+#"); j >= 0 {
		return nil, nil, len(sharePrefix) + j, msgShareName // [MQTT-4.8.2-1]
	}
	filter = rest[i+1:]
	if len(filter) == 0 {
		return nil, nil, len(f), msgShareFilter
	}
	return group, filter, -1, ""
}

// ParseShared splits a shared subscription "$share/{ShareName}/{filter}"
// (MQTT 5.0 section 4.8.2). ok is false, with a nil error, when f is not a
// shared subscription. Otherwise group and filter alias f, and err is a
// [*TopicError] if the ShareName is empty or holds '/', '+' or '#'
// [MQTT-4.8.2-1] or the filter is missing or invalid [MQTT-4.8.2-2].
func ParseShared(f []byte) (group, filter []byte, ok bool, err error) {
	if !bytes.HasPrefix(f, sharePrefix) {
		return nil, nil, false, nil
	}
	group, filter, bad, msg := parseShared(f)
	if bad < 0 {
		off := len(f) - len(filter)
		if b, m := topicFilterCheck(filter); b >= 0 {
			bad, msg = off+b, m
		}
	}
	if bad >= 0 {
		return nil, nil, true, &TopicError{Offset: bad, Rule: topicRule(msg, V5), Msg: msg}
	}
	return group, filter, true, nil
}

// MatchTopic reports whether the topic name matches the topic filter
// (sections 4.7.1 and 4.7.2). '+' matches exactly one level, possibly
// empty; '#' matches the parent level and any number of child levels.
// A filter that starts with a wildcard does not match a name that starts
// with '$' [MQTT-4.7.2-1]. Both arguments are assumed valid; a shared
// subscription filter must be split with ParseShared first.
func MatchTopic(filter, name []byte) bool {
	if len(name) > 0 && name[0] == '$' && len(filter) > 0 && (filter[0] == '+' || filter[0] == '#') {
		return false
	}
	for {
		// Take the next level of each.
		fi := bytes.IndexByte(filter, '/')
		fl := filter
		if fi >= 0 {
			fl = filter[:fi]
		}
		if len(fl) == 1 && fl[0] == '#' {
			return true
		}
		ni := bytes.IndexByte(name, '/')
		nl := name
		if ni >= 0 {
			nl = name[:ni]
		}
		if !(len(fl) == 1 && fl[0] == '+') && !bytes.Equal(fl, nl) {
			return false
		}
		switch {
		case fi < 0 && ni < 0:
			return true
		case fi < 0:
			return false // name has more levels
		case ni < 0:
			// Name ended: only a remaining "#" matches ("sport/#" matches "sport").
			rest := filter[fi+1:]
			return len(rest) == 1 && rest[0] == '#'
		}
		filter, name = filter[fi+1:], name[ni+1:]
	}
}

// cleanTopic reports whether t is valid UTF-8 without NUL, '+' or '#': the
// fast path of the topic checks, word at a time for topics up to 64 bytes
// (four scans cost more there) and with the vectorized scans of the standard
// library for longer ones.
func cleanTopic(t []byte) bool {
	if len(t) <= wire.ShortString {
		return wire.TopicASCII(t)
	}
	return utf8.Valid(t) && bytes.IndexByte(t, 0) < 0 && bytes.IndexByte(t, '+') < 0 && bytes.IndexByte(t, '#') < 0
}
