//go:build !noopt

package segment

import (
	"testing"

	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// fixture holds the inputs shared by the allocation tests and benchmarks.
type fixture struct {
	payload []byte
	opts    Options
	hdr     []byte
	raw     []byte
	r       *Reassembler
	parts   []tpdu.UserData // a 3-part message with a 16-bit reference
	ref     uint16
	key     []byte
}

func newFixture(tb testing.TB) *fixture {
	f := &fixture{
		payload: payload(300, 5),
		opts:    Options{Ref: 1, HasPorts: true, Ports: tpdu.Ports{Dst: 5684, Src: 5684, Wide: true}},
		hdr:     make([]byte, 0, 16),
		raw:     make([]byte, 0, 160),
		r:       NewReassembler(Limits{}),
		key:     []byte("+15551234567"),
	}
	f.parts = parts(tb, f.payload, f.opts)
	if len(f.parts) != 3 {
		tb.Fatalf("%d parts", len(f.parts))
	}
	return f
}

func (f *fixture) split(tb testing.TB) {
	s, err := Split(f.payload, f.opts)
	if err != nil {
		tb.Fatal(err)
	}
	for {
		ud, b, ok := s.Next(f.hdr[:0])
		if !ok {
			break
		}
		if len(ud.Body) == 0 || len(b) == 0 {
			tb.Fatal("empty part")
		}
	}
	s.Rewind()
	for {
		b, ok := s.AppendNext(f.raw[:0])
		if !ok {
			break
		}
		f.raw = b
	}
}

// reassemble adds the three parts, out of order, under a new reference.
func (f *fixture) reassemble(tb testing.TB) {
	f.ref++
	for _, i := range [...]int{2, 0, 1} {
		h := f.parts[i].Header
		h[2], h[3] = byte(f.ref>>8), byte(f.ref)
		m, ok, err := f.r.Add(t0, f.key, &f.parts[i])
		if err != nil || ok != (i == 1) {
			tb.Fatal(ok, err)
		}
		if ok && len(m.Payload) != len(f.payload) {
			tb.Fatal("short payload")
		}
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts: skipped with -short")
	}
	f := newFixture(t)
	f.reassemble(t) // warm: slots, arena and output buffer
	bad := tpdu.UserData{Header: []byte{tpdu.IEConcat16, 4, 0, 1, 3, 0}}
	tests := []struct {
		name string
		want float64
		fn   func()
	}{
		{"Split+Next+AppendNext", 0, func() { f.split(t) }},
		{"Reassembler.Add/3-parts-warm", 0, func() { f.reassemble(t) }},
		{"Reassembler.Add/error", 1, func() { f.r.Add(t0, f.key, &bad) }},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(1000, tt.fn); got != tt.want {
			t.Errorf("%s: %v allocs, want %v", tt.name, got, tt.want)
		}
	}
}

func BenchmarkSplit(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(f.payload)))
	for b.Loop() {
		f.split(b)
	}
}

func BenchmarkReassemble(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(f.payload)))
	for b.Loop() {
		f.reassemble(b)
	}
}
