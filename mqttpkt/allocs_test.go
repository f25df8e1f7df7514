//go:build !noopt

package mqttpkt

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// The allocation counts are exact. They change under -gcflags=all=-N -l,
// hence the noopt build tag.

// decodeFn returns a function that decodes wire into a reused packet value.
func decodeFn(tb testing.TB, s sample, wire []byte) func() {
	q := newLike(s.p)
	switch q := q.(type) {
	case *Connect:
		return func() {
			if _, err := q.Decode(wire); err != nil {
				tb.Fatal(err)
			}
		}
	case interface {
		Decode([]byte, Version) (int, error)
	}:
		return func() {
			if _, err := q.Decode(wire, s.v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	panic("unreachable")
}

// encodeFn returns a function that encodes p into a reused buffer.
func encodeFn(tb testing.TB, p Packet) func() {
	buf := make([]byte, 0, p.Len())
	return func() {
		var err error
		if buf, err = p.AppendBinary(buf[:0]); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	type tc struct {
		name string
		want float64
		fn   func()
	}
	var cases []tc
	for _, s := range samples() {
		wire := mustEncode(t, s.p)
		cases = append(cases,
			tc{"decode/" + s.name, 0, decodeFn(t, s, wire)},
			tc{"encode/" + s.name, 0, encodeFn(t, s.p)},
			tc{"len/" + s.name, 0, func() { _ = s.p.Len() }},
		)
	}
	// Past the inline capacity, decoding appends onto the heap once.
	var many Subscribe
	many.Version = V311
	many.PacketID = 1
	for i := 0; i <= MaxInlineSubscriptions; i++ {
		many.Subscriptions = append(many.Subscriptions, Subscription{Filter: []byte("a/b")})
	}
	manyWire := mustEncode(t, &many)
	var manyDec Subscribe
	cases = append(cases, tc{"decode/subscribe-spill", 1, func() {
		if _, err := manyDec.Decode(manyWire, V311); err != nil {
			t.Fatal(err)
		}
	}})
	// Error paths allocate the *Error and nothing else.
	bad := []byte{0x30, 0x05, 0x00, 0x03, 'a', '/', '+'}
	var pub Publish
	cases = append(cases, tc{"decode/error", 1, func() {
		if _, err := pub.Decode(bad, V311); err == nil {
			t.Fatal("accepted")
		}
	}})
	badPub := &Publish{Version: V5, Topic: []byte("a/#")}
	buf := make([]byte, 0, 64)
	cases = append(cases, tc{"encode/error", 1, func() {
		if _, err := badPub.AppendBinary(buf); err == nil {
			t.Fatal("accepted")
		}
	}})
	// Topic helpers.
	filter, name := []byte("sensors/+/temperature"), []byte("sensors/room1/temperature")
	cases = append(cases, tc{"topic/match", 0, func() {
		if !MatchTopic(filter, name) {
			t.Fatal("no match")
		}
	}}, tc{"topic/validate", 0, func() {
		if ValidateTopicFilter(filter, V5) != nil || ValidateTopicName(name) != nil {
			t.Fatal("invalid")
		}
	}})
	// Building user properties into a reused buffer, with names and values
	// longer than the compiler's stack conversion buffer.
	longKey, longVal := strings.Repeat("k", 40), strings.Repeat("v", 50)
	upBuf := make([]byte, 0, 256)
	var up UserProperties
	cases = append(cases, tc{"build/user-properties", 0, func() {
		up.Reset(upBuf)
		up.Add(longKey, longVal)
		up.Add("unit", "C")
	}})
	// The stream reader in steady state.
	var stream []byte
	for _, s := range samples() {
		if s.v == V5 {
			stream = mustEncode(t, s.p)
			break
		}
	}
	src := bytes.NewReader(nil)
	r := NewReader(src, 0)
	cases = append(cases, tc{"reader/next", 0, func() {
		src.Reset(stream)
		r.Reset(src)
		if _, _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Next(); err != io.EOF {
			t.Fatal(err)
		}
	}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn() // warm up buffers
			if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
				t.Errorf("%v allocs, want %v", got, c.want)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, s := range samples() {
		wire := mustEncode(b, s.p)
		b.Run("msg="+s.name, func(b *testing.B) {
			fn := decodeFn(b, s, wire)
			b.ReportAllocs()
			b.SetBytes(int64(len(wire)))
			for b.Loop() {
				fn()
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, s := range samples() {
		b.Run("msg="+s.name, func(b *testing.B) {
			fn := encodeFn(b, s.p)
			b.ReportAllocs()
			b.SetBytes(int64(s.p.Len()))
			for b.Loop() {
				fn()
			}
		})
	}
}
