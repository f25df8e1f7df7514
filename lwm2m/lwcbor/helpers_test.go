package lwcbor

import "io"

var errUnexpectedEOF = io.ErrUnexpectedEOF
