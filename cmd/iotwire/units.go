package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// unitError describes a malformed unit. Offset counts bytes from the start
// of the unit's decoded bytes for wire errors, and characters from the start
// of the line for text errors (hex, base64, JSON).
type unitError struct {
	Msg    string
	Offset int
}

func (e *unitError) Error() string { return e.Msg + " (offset " + strconv.Itoa(e.Offset) + ")" }

// reportUnit writes the one stderr line of a malformed unit and returns 1.
func reportUnit(stderr io.Writer, proto string, n int, err error) int {
	var ue *unitError
	if !errors.As(err, &ue) {
		ue = &unitError{Msg: err.Error()}
	}
	io.WriteString(stderr, "iotwire: "+proto+": unit "+strconv.Itoa(n)+": "+ue.Error()+"\n")
	return exitMalformed
}

func reportIO(stderr io.Writer, err error) int {
	io.WriteString(stderr, "iotwire: "+err.Error()+"\n")
	return exitMalformed
}

// nextLine returns the next line of br that holds more than white space,
// without its line ending. At the end of the input it returns io.EOF.
func nextLine(br *bufio.Reader) ([]byte, error) {
	for {
		line, err := br.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			return nil, err
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if len(bytes.TrimSpace(line)) > 0 {
			return line, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// decodeText turns one hex or base64 line into the bytes of its unit.
func decodeText(format string, line []byte) ([]byte, error) {
	if format == "hex" {
		return decodeHexLine(line)
	}
	trimmed := bytes.TrimLeft(line, " \t\v\f\r")
	lead := len(line) - len(trimmed)
	trimmed = bytes.TrimSpace(trimmed)
	enc := base64.StdEncoding
	if len(trimmed)%4 != 0 && bytes.IndexByte(trimmed, '=') < 0 {
		enc = base64.RawStdEncoding
	}
	b := make([]byte, enc.DecodedLen(len(trimmed)))
	n, err := enc.Decode(b, trimmed)
	if err != nil {
		off := len(line)
		if ce, ok := err.(base64.CorruptInputError); ok {
			off = lead + int(ce)
		}
		return nil, &unitError{Msg: "invalid base64", Offset: off}
	}
	return b[:n], nil
}

// decodeHexLine decodes a hex line, ignoring white space anywhere in it.
func decodeHexLine(line []byte) ([]byte, error) {
	b := make([]byte, 0, len(line)/2)
	var hi byte
	half := false
	for i, c := range line {
		var v byte
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			continue
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			v = c - 'A' + 10
		default:
			r, _ := utf8.DecodeRune(line[i:])
			return nil, &unitError{Msg: "invalid hex character " + quote(string(r)), Offset: i}
		}
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		return nil, &unitError{Msg: "odd number of hex digits", Offset: len(line)}
	}
	return b, nil
}

// decodeUnits runs the decode command: units in, JSON Lines out. The JSON
// of a unit is buffered and written only when the whole unit decoded, so a
// malformed unit writes no object, not even for its leading good packets.
func decodeUnits(c codec, proto, format string, o *options, in io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	br := bufio.NewReaderSize(in, 64<<10)
	var buf []byte
	for n := 1; ; n++ {
		var unit []byte
		if format == "raw" {
			if n > 1 {
				break
			}
			var err error
			if unit, err = io.ReadAll(br); err != nil {
				return reportIO(stderr, err)
			}
		} else {
			if br.Buffered() == 0 {
				// Show the output so far before waiting for more input.
				if err := out.Flush(); err != nil {
					return reportIO(stderr, err)
				}
			}
			line, err := nextLine(br)
			if err == io.EOF {
				break
			}
			if err != nil {
				return reportIO(stderr, err)
			}
			if unit, err = decodeText(format, line); err != nil {
				out.Flush()
				return reportUnit(stderr, proto, n, err)
			}
		}
		var err error
		if buf, err = c.decode(buf[:0], unit, o); err != nil {
			out.Flush()
			return reportUnit(stderr, proto, n, err)
		}
		out.Write(buf)
	}
	if err := out.Flush(); err != nil {
		return reportIO(stderr, err)
	}
	return exitOK
}

// encodeUnits runs the encode command: JSON Lines in, one unit per object out.
func encodeUnits(c codec, proto, format string, o *options, in io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	br := bufio.NewReaderSize(in, 64<<10)
	var buf, text []byte
	for n := 1; ; n++ {
		if br.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return reportIO(stderr, err)
			}
		}
		line, err := nextLine(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return reportIO(stderr, err)
		}
		if buf, err = c.encode(buf[:0], line, o); err != nil {
			out.Flush()
			return reportUnit(stderr, proto, n, err)
		}
		switch format {
		case "hex":
			text = append(hex.AppendEncode(text[:0], buf), '\n')
		case "base64":
			text = append(base64.StdEncoding.AppendEncode(text[:0], buf), '\n')
		default:
			text = append(text[:0], buf...)
		}
		out.Write(text)
	}
	if err := out.Flush(); err != nil {
		return reportIO(stderr, err)
	}
	return exitOK
}
