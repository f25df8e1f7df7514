package mqttbridge

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// DefaultPrefix is the first topic level of the gateway's topics.
const DefaultPrefix = "lwm2m"

// The last levels of the per-endpoint topics.
const (
	KindRegistration = "registration"
	KindDeregistered = "deregistered"
	KindData         = "data"
	KindCommand      = "command"
	KindResponse     = "response"
)

// Topics builds and parses the gateway's topic names under Prefix
// ("" means DefaultPrefix):
//
//	<prefix>/<endpoint>/registration
//	<prefix>/<endpoint>/deregistered
//	<prefix>/<endpoint>/data/<object>/<instance>/<resource>[/<resource instance>]
//	<prefix>/<endpoint>/command
//	<prefix>/<endpoint>/response
//
// The endpoint is one topic level: EscapeEndpoint encodes the characters
// that a topic level cannot hold.
type Topics struct {
	Prefix string
}

func (t Topics) prefix() string {
	if t.Prefix == "" {
		return DefaultPrefix
	}
	return t.Prefix
}

func (t Topics) topic(ep, kind string) string {
	return t.prefix() + "/" + EscapeEndpoint(ep) + "/" + kind
}

// Registration returns <prefix>/<endpoint>/registration.
func (t Topics) Registration(ep string) string { return t.topic(ep, KindRegistration) }

// Deregistered returns <prefix>/<endpoint>/deregistered.
func (t Topics) Deregistered(ep string) string { return t.topic(ep, KindDeregistered) }

// Command returns <prefix>/<endpoint>/command.
func (t Topics) Command(ep string) string { return t.topic(ep, KindCommand) }

// Response returns <prefix>/<endpoint>/response, where results go for
// commands that name no Response Topic.
func (t Topics) Response(ep string) string { return t.topic(ep, KindResponse) }

// Data returns <prefix>/<endpoint>/data/<object>/<instance>/<resource>[/<ri>]
// for the value at p.
func (t Topics) Data(ep string, p path.Path) string {
	b := []byte(t.topic(ep, KindData))
	for i := range p.Len() {
		b = append(b, '/')
		b = strconv.AppendUint(b, uint64(p.ID(i)), 10)
	}
	return string(b)
}

// CommandFilter returns the filter that matches every endpoint's command
// topic, <prefix>/+/command.
func (t Topics) CommandFilter() string { return t.prefix() + "/+/" + KindCommand }

// All returns the filter that matches every topic of the gateway, <prefix>/#.
func (t Topics) All() string { return t.prefix() + "/#" }

// Parse splits one of the gateway's topic names into the endpoint, the
// kind (KindRegistration, ...) and, for data topics, the path.
func (t Topics) Parse(topic string) (ep, kind string, p path.Path, err error) {
	rest, ok := strings.CutPrefix(topic, t.prefix()+"/")
	if !ok {
		return "", "", p, errors.New("topic " + strconv.Quote(topic) + " is not under " + t.prefix() + "/")
	}
	level, rest, _ := strings.Cut(rest, "/")
	if ep, err = UnescapeEndpoint(level); err != nil {
		return "", "", p, err
	}
	kind, rest, hasRest := strings.Cut(rest, "/")
	switch kind {
	case KindRegistration, KindDeregistered, KindCommand, KindResponse:
		if hasRest {
			return "", "", p, errors.New("topic " + strconv.Quote(topic) + ": unexpected levels after " + kind)
		}
		return ep, kind, p, nil
	case KindData:
		if p, err = path.Parse("/" + rest); err != nil || p.Level() < path.ResourceLevel {
			return "", "", p, errors.New("topic " + strconv.Quote(topic) + ": no resource path after data")
		}
		return ep, kind, p, nil
	}
	return "", "", p, errors.New("topic " + strconv.Quote(topic) + ": unknown kind " + strconv.Quote(kind))
}

// EscapeEndpoint makes an endpoint name one topic level: it writes '/',
// '+', '#' (level separator and wildcards, MQTT 5.0 4.7), '%', the control
// characters and bytes that are not UTF-8 as %XX, the way URLs do, so
// "urn:imei:35/1" becomes "urn:imei:35%2F1". Usual names such as
// "urn:imei:356938035643809" are unchanged.
func EscapeEndpoint(ep string) string {
	var b []byte
	for i := 0; i < len(ep); {
		r, n := utf8.DecodeRuneInString(ep[i:])
		c := ep[i]
		esc := c == '/' || c == '+' || c == '#' || c == '%' || c < 0x20 || c == 0x7f ||
			(r == utf8.RuneError && n == 1) || (0x80 <= r && r < 0xa0)
		if esc && b == nil {
			b = append(make([]byte, 0, len(ep)+8), ep[:i]...)
		}
		switch {
		case esc && n > 1: // a C1 control character: escape its bytes
			for j := range n {
				b = appendPercent(b, ep[i+j])
			}
		case esc:
			b = appendPercent(b, c)
		case b != nil:
			b = append(b, ep[i:i+n]...)
		}
		i += n
	}
	if b == nil {
		return ep
	}
	return string(b)
}

func appendPercent(b []byte, c byte) []byte {
	const hex = "0123456789ABCDEF"
	return append(b, '%', hex[c>>4], hex[c&15])
}

// UnescapeEndpoint reverses EscapeEndpoint.
func UnescapeEndpoint(level string) (string, error) {
	if level == "" {
		return "", errors.New("empty endpoint name")
	}
	if !strings.Contains(level, "%") {
		return level, nil
	}
	b := make([]byte, 0, len(level))
	for i := 0; i < len(level); i++ {
		if level[i] != '%' {
			b = append(b, level[i])
			continue
		}
		if i+2 >= len(level) {
			return "", errors.New("endpoint level " + strconv.Quote(level) + ": truncated %XX")
		}
		v, err := strconv.ParseUint(level[i+1:i+3], 16, 8)
		if err != nil {
			return "", errors.New("endpoint level " + strconv.Quote(level) + ": bad %XX")
		}
		b = append(b, byte(v))
		i += 2
	}
	return string(b), nil
}
