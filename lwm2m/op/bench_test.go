package op

import (
	"strings"
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
)

// benchCases are the requests the benchmarks parse and build, by name in
// reqCases.
var benchCases = []string{"register", "update", "read/instance-senml-cbor", "observe", "write-attributes", "execute/arguments", "send"}

func benchCase(b *testing.B, name string) (reqCase, *coapmsg.Message, []byte) {
	for _, c := range reqCases {
		if c.name == name {
			m := message(c.typ, c.code, c.path, c.query, c.opts, c.payload)
			wireB, err := m.AppendBinary(nil)
			if err != nil {
				b.Fatal(err)
			}
			return c, overWire(b, m), wireB
		}
	}
	b.Fatalf("no case %q", name)
	return reqCase{}, nil, nil
}

// benchName makes a case name a benchstat value: no '/'.
func benchName(s string) string { return strings.ReplaceAll(s, "/", "-") }

func BenchmarkParse(b *testing.B) {
	for _, name := range benchCases {
		c, m, wireB := benchCase(b, name)
		b.Run("msg="+benchName(name)+"/impl=ours", func(b *testing.B) {
			var r Request
			b.ReportAllocs()
			b.SetBytes(int64(len(wireB)))
			for b.Loop() {
				if err := r.Parse(m, c.role); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeParse measures the whole receive path: coapmsg's Decode
// and Parse.
func BenchmarkDecodeParse(b *testing.B) {
	for _, name := range benchCases {
		c, _, wireB := benchCase(b, name)
		b.Run("msg="+benchName(name)+"/impl=ours", func(b *testing.B) {
			var m coapmsg.Message
			var r Request
			b.ReportAllocs()
			b.SetBytes(int64(len(wireB)))
			for b.Loop() {
				if _, err := m.Decode(wireB); err != nil {
					b.Fatal(err)
				}
				if err := r.Parse(&m, c.role); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, name := range benchCases {
		c, m, wireB := benchCase(b, name)
		var r Request
		if err := r.Parse(m, c.role); err != nil {
			b.Fatal(err)
		}
		b.Run("msg="+benchName(name)+"/impl=ours", func(b *testing.B) {
			var bd Builder
			out := make([]byte, 0, 512)
			b.ReportAllocs()
			b.SetBytes(int64(len(wireB)))
			for b.Loop() {
				var err error
				if out, err = bd.AppendRequest(out[:0], &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkResponse(b *testing.B) {
	obs := Request{Kind: KindObserve, Token: []byte{1, 2, 3, 4}}
	payload := []byte("21.5")
	b.Run("msg=notify/op=append/impl=ours", func(b *testing.B) {
		var bd Builder
		out := make([]byte, 0, 64)
		b.ReportAllocs()
		seq := uint32(0)
		for b.Loop() {
			seq++
			n := Notify(&obs, seq)
			n.ContentFormat, n.HasContentFormat, n.Payload = text, true, payload
			var err error
			if out, err = bd.AppendResponse(out[:0], &n); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(out)))
	})
	var bd Builder
	created := Response{Kind: KindRegister, Type: coapmsg.Acknowledgement, Code: coapmsg.Created, Token: []byte{1}, Location: loc("/rd/5a3f")}
	wireB, _ := bd.AppendResponse(nil, &created)
	var m coapmsg.Message
	m.Decode(wireB)
	b.Run("msg=register-created/op=parse/impl=ours", func(b *testing.B) {
		var r Response
		b.ReportAllocs()
		b.SetBytes(int64(len(wireB)))
		for b.Loop() {
			if err := r.Parse(&m, KindRegister); err != nil {
				b.Fatal(err)
			}
		}
	})
}
