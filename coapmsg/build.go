package coapmsg

import "bytes"

// options returns m.Options ready for appending: the message's own storage
// when the caller supplied none.
func (m *Message) options() []Option {
	if m.Options == nil {
		return m.optBuf[:0]
	}
	return m.Options
}

// AddOption adds an option after any options with the same number, keeping
// Options sorted. value is not copied. Past the capacity of Options (by
// default MaxInlineOptions) the slice grows on the heap.
func (m *Message) AddOption(n OptionNumber, value []byte) {
	opts := m.options()
	i := len(opts)
	for i > 0 && opts[i-1].Number > n {
		i--
	}
	opts = append(opts, Option{})
	copy(opts[i+1:], opts[i:])
	opts[i] = Option{Number: n, Value: value}
	m.Options = opts
}

// SetOption replaces all options numbered n by one with the given value.
func (m *Message) SetOption(n OptionNumber, value []byte) {
	m.RemoveOption(n)
	m.AddOption(n, value)
}

// RemoveOption removes every option numbered n.
func (m *Message) RemoveOption(n OptionNumber) {
	opts := m.options()
	j := 0
	for i := range opts {
		if opts[i].Number != n {
			opts[j] = opts[i]
			j++
		}
	}
	clear(opts[j:])
	m.Options = opts[:j]
}

// SetUint replaces the options numbered n by one holding v in minimal form
// (RFC 7252 section 3.2). The value bytes live in the Message's own storage
// while it has room (32 bytes), and on the heap after that.
func (m *Message) SetUint(n OptionNumber, v uint64) {
	l := uintLen(v)
	// Rewrite in place a value this method stored before, when it fits, so
	// that updating Observe, Block2 or Hop-Limit in a loop does not allocate.
	for i := range m.Options {
		o := &m.Options[i]
		if o.Number != n {
			continue
		}
		if cap(o.Value) >= l && cap(o.Value) > 0 && m.inScratch(o.Value) && (i+1 == len(m.Options) || m.Options[i+1].Number != n) {
			o.Value = AppendUint(o.Value[:0], v)
			return
		}
		break
	}
	var val []byte
	if m.nScr+l <= len(m.scratch) {
		val = AppendUint(m.scratch[m.nScr:m.nScr:m.nScr+l], v)
		m.nScr += l
	} else {
		val = AppendUint(make([]byte, 0, l), v)
	}
	m.SetOption(n, val)
}

// Option returns the value of the first option numbered n.
func (m *Message) Option(n OptionNumber) (value []byte, ok bool) {
	for i := range m.Options {
		if m.Options[i].Number == n {
			return m.Options[i].Value, true
		}
	}
	return nil, false
}

// Uint returns the value of the first option numbered n as an integer. ok
// is false if the option is absent or longer than 8 bytes.
func (m *Message) Uint(n OptionNumber) (v uint64, ok bool) {
	b, ok := m.Option(n)
	if !ok {
		return 0, false
	}
	return decodeUint(b)
}

// ContentFormat returns the Content-Format option, if present.
func (m *Message) ContentFormat() (MediaType, bool) {
	v, ok := m.Uint(ContentFormat)
	if !ok || v > 0xffff {
		return 0, false
	}
	return MediaType(v), true
}

// Values returns a cursor over the values of the options numbered n, such
// as the Uri-Path segments, in order:
//
//	for it := m.Values(coapmsg.URIPath); it.Next(); {
//		segment := it.Value()
//	}
func (m *Message) Values(n OptionNumber) OptionIter {
	return OptionIter{opts: m.Options, n: n, i: -1}
}

// OptionIter is a cursor over the options with one number. It is a small
// value: copy it to save the position.
type OptionIter struct {
	opts []Option
	n    OptionNumber
	i    int
}

// Next advances to the next option with the iterator's number.
func (it *OptionIter) Next() bool {
	for it.i++; it.i < len(it.opts); it.i++ {
		switch n := it.opts[it.i].Number; {
		case n == it.n:
			return true
		case n > it.n:
			it.i = len(it.opts)
			return false
		}
	}
	return false
}

// Value returns the current option's value.
func (it *OptionIter) Value() []byte { return it.opts[it.i].Value }

// SetPath replaces the Uri-Path options by the segments of path, such as
// "/3/0/1": one option per segment, a leading '/' ignored (RFC 7252
// section 6.4). The values alias path. "/" and "" set no option.
func (m *Message) SetPath(path []byte) { m.setSegments(URIPath, path, '/') }

// SetLocationPath is SetPath for Location-Path.
func (m *Message) SetLocationPath(path []byte) { m.setSegments(LocationPath, path, '/') }

// SetQuery replaces the Uri-Query options by the parameters of query, such
// as "ep=node1&lt=300" (a leading '?' ignored), aliasing query.
func (m *Message) SetQuery(query []byte) {
	query = bytes.TrimPrefix(query, []byte("?"))
	m.setSegments(URIQuery, query, '&')
}

func (m *Message) setSegments(n OptionNumber, s []byte, sep byte) {
	m.RemoveOption(n)
	if sep == '/' {
		s = bytes.TrimPrefix(s, []byte("/"))
	}
	if len(s) == 0 {
		return
	}
	for {
		i := bytes.IndexByte(s, sep)
		if i < 0 {
			m.AddOption(n, s[:len(s):len(s)])
			return
		}
		m.AddOption(n, s[:i:i])
		s = s[i+1:]
	}
}

// AppendPath appends the Uri-Path of m as "/a/b" ("/" when there is none).
// Segments are written as they are, without percent-encoding.
func (m *Message) AppendPath(b []byte) []byte { return m.appendSegments(b, URIPath, '/', '/') }

// AppendQuery appends the Uri-Query of m as "a=1&b=2" (nothing when there is none).
func (m *Message) AppendQuery(b []byte) []byte { return m.appendSegments(b, URIQuery, 0, '&') }

func (m *Message) appendSegments(b []byte, n OptionNumber, lead, sep byte) []byte {
	first := true
	for it := m.Values(n); it.Next(); {
		if !first {
			b = append(b, sep)
		} else if lead != 0 {
			b = append(b, lead)
		}
		first = false
		b = append(b, it.Value()...)
	}
	if first && lead != 0 {
		b = append(b, lead)
	}
	return b
}

// SortOptions sorts Options by number, keeping the order of options with
// equal numbers (an insertion sort: options are few and usually sorted).
func (m *Message) SortOptions() {
	o := m.Options
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && o[j].Number < o[j-1].Number; j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
}

// inScratch reports whether v starts inside the Message's scratch storage.
func (m *Message) inScratch(v []byte) bool {
	p := &v[:1][0]
	for i := range m.scratch {
		if p == &m.scratch[i] {
			return true
		}
	}
	return false
}
