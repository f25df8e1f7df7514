package coapmsg

import "strconv"

// Type is the message type of RFC 7252 section 3: CON, NON, ACK or RST.
// Messages framed for reliable transports (RFC 8323) have no type.
type Type uint8

// The message types.
const (
	Confirmable     Type = 0
	NonConfirmable  Type = 1
	Acknowledgement Type = 2
	Reset           Type = 3
)

var typeNames = [4]string{"CON", "NON", "ACK", "RST"}

// String returns "CON", "NON", "ACK" or "RST".
func (t Type) String() string {
	if t < 4 {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// ParseType returns the type named s ("CON", "NON", "ACK", "RST").
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if n == s {
			return Type(i), true
		}
	}
	return 0, false
}

// Code is a CoAP code: a 3-bit class and a 5-bit detail, written "c.dd"
// (RFC 7252 section 3 and 12.1).
type Code uint8

// NewCode returns the code class.detail.
func NewCode(class, detail uint8) Code { return Code(class<<5 | detail&0x1f) }

// Class returns the class, 0 to 7.
func (c Code) Class() uint8 { return uint8(c) >> 5 }

// Detail returns the detail, 0 to 31.
func (c Code) Detail() uint8 { return uint8(c) & 0x1f }

// The codes of RFC 7252 section 12.1, RFC 7959, RFC 8132, RFC 8323 and RFC 8516.
const (
	Empty  Code = 0x00 // 0.00
	GET    Code = 0x01 // 0.01
	POST   Code = 0x02 // 0.02
	PUT    Code = 0x03 // 0.03
	DELETE Code = 0x04 // 0.04
	FETCH  Code = 0x05 // 0.05, RFC 8132
	PATCH  Code = 0x06 // 0.06, RFC 8132
	IPATCH Code = 0x07 // 0.07, RFC 8132

	Created  Code = 0x41 // 2.01
	Deleted  Code = 0x42 // 2.02
	Valid    Code = 0x43 // 2.03
	Changed  Code = 0x44 // 2.04
	Content  Code = 0x45 // 2.05
	Continue Code = 0x5f // 2.31, RFC 7959

	BadRequest               Code = 0x80 // 4.00
	Unauthorized             Code = 0x81 // 4.01
	BadOption                Code = 0x82 // 4.02
	Forbidden                Code = 0x83 // 4.03
	NotFound                 Code = 0x84 // 4.04
	MethodNotAllowed         Code = 0x85 // 4.05
	NotAcceptable            Code = 0x86 // 4.06
	RequestEntityIncomplete  Code = 0x88 // 4.08, RFC 7959
	Conflict                 Code = 0x89 // 4.09, RFC 8132
	PreconditionFailed       Code = 0x8c // 4.12
	RequestEntityTooLarge    Code = 0x8d // 4.13
	UnsupportedContentFormat Code = 0x8f // 4.15
	UnprocessableEntity      Code = 0x96 // 4.22, RFC 8132
	TooManyRequests          Code = 0x9d // 4.29, RFC 8516

	InternalServerError  Code = 0xa0 // 5.00
	NotImplemented       Code = 0xa1 // 5.01
	BadGateway           Code = 0xa2 // 5.02
	ServiceUnavailable   Code = 0xa3 // 5.03
	GatewayTimeout       Code = 0xa4 // 5.04
	ProxyingNotSupported Code = 0xa5 // 5.05
	HopLimitReached      Code = 0xa8 // 5.08, RFC 8768

	CSM     Code = 0xe1 // 7.01, RFC 8323 signaling
	Ping    Code = 0xe2 // 7.02
	Pong    Code = 0xe3 // 7.03
	Release Code = 0xe4 // 7.04
	Abort   Code = 0xe5 // 7.05
)

var codeNames = [256]string{
	GET: "GET", POST: "POST", PUT: "PUT", DELETE: "DELETE", FETCH: "FETCH", PATCH: "PATCH", IPATCH: "iPATCH",
	Created: "Created", Deleted: "Deleted", Valid: "Valid", Changed: "Changed", Content: "Content",
	Continue: "Continue", BadRequest: "Bad Request", Unauthorized: "Unauthorized", BadOption: "Bad Option",
	Forbidden: "Forbidden", NotFound: "Not Found", MethodNotAllowed: "Method Not Allowed",
	NotAcceptable: "Not Acceptable", RequestEntityIncomplete: "Request Entity Incomplete",
	Conflict: "Conflict", PreconditionFailed: "Precondition Failed",
	RequestEntityTooLarge: "Request Entity Too Large", UnsupportedContentFormat: "Unsupported Content-Format",
	UnprocessableEntity: "Unprocessable Entity", TooManyRequests: "Too Many Requests",
	InternalServerError: "Internal Server Error", NotImplemented: "Not Implemented", BadGateway: "Bad Gateway",
	ServiceUnavailable: "Service Unavailable", GatewayTimeout: "Gateway Timeout",
	ProxyingNotSupported: "Proxying Not Supported", HopLimitReached: "Hop Limit Reached",
	CSM: "CSM", Ping: "Ping", Pong: "Pong", Release: "Release", Abort: "Abort",
}

// Name returns the registered name of the code, such as "Content", or "".
func (c Code) Name() string { return codeNames[c] }

// AppendDotted appends the "c.dd" form of the code, such as "2.05".
func (c Code) AppendDotted(b []byte) []byte {
	return append(b, '0'+c.Class(), '.', '0'+c.Detail()/10, '0'+c.Detail()%10)
}

// Dotted returns the "c.dd" form of the code, such as "2.05".
func (c Code) Dotted() string { return string(c.AppendDotted(make([]byte, 0, 4))) }

// String returns the dotted form and the name, such as "2.05 Content", or
// only the dotted form for an unregistered code.
func (c Code) String() string {
	b := c.AppendDotted(make([]byte, 0, 40))
	if n := c.Name(); n != "" {
		b = append(append(b, ' '), n...)
	}
	return string(b)
}

// ParseCode parses the "c.dd" form, such as "2.05".
func ParseCode(s string) (Code, bool) {
	if len(s) != 4 || s[1] != '.' || s[0] < '0' || s[0] > '7' || s[2] < '0' || s[2] > '3' || s[3] < '0' || s[3] > '9' {
		return 0, false
	}
	d := (s[2]-'0')*10 + s[3] - '0'
	if d > 31 {
		return 0, false
	}
	return NewCode(s[0]-'0', d), true
}

// IsRequest reports whether c is a request method (class 0, not Empty).
func (c Code) IsRequest() bool { return c.Class() == 0 && c != Empty }

// IsResponse reports whether c is a response (class 2, 4 or 5).
func (c Code) IsResponse() bool { k := c.Class(); return k == 2 || k == 4 || k == 5 }

// IsSignaling reports whether c is an RFC 8323 signaling code (class 7).
func (c Code) IsSignaling() bool { return c.Class() == 7 }
