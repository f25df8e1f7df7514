//go:build !noopt

package at_test

import (
	"context"
	"testing"

	"github.com/iotwire/iotwire/transport/sms/at"
)

// The allocation counts are exact (STYLE.md 6); they change under
// -gcflags=all=-N -l, hence the noopt build tag, and under -race.
func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts: skipped with -short")
	}
	var l at.Line
	lines := make([][]byte, len(benchLines))
	for i, bl := range benchLines {
		lines[i] = []byte(bl.line)
	}
	bad := []byte("+CMGS: 300")
	buf := make([]byte, 0, 512)
	tests := []struct {
		name   string
		want   float64
		driver bool
		fn     func()
	}{
		{"Line.Parse", 0, false, func() {
			for _, b := range lines {
				if err := l.Parse(b); err != nil {
					t.Fatal(err)
				}
				buf = l.AppendText(buf[:0])
			}
		}},
		{"Line.AppendPDU", 0, false, func() {
			_ = l.Parse(lines[4])
			var err error
			if buf, err = l.AppendPDU(buf[:0]); err != nil {
				t.Fatal(err)
			}
		}},
		{"Line.Parse error", 1, false, func() {
			if l.Parse(bad) == nil {
				t.Fatal("no error")
			}
		}},
	}
	if !raceEnabled {
		f := newDriverFixture(t)
		tests = append(tests, []struct {
			name   string
			want   float64
			driver bool
			fn     func()
		}{
			{"Send segment", 0, true, func() { f.send(t) }},
			{"ReceiveInto+Deliver segment", 0, true, func() { f.receive(t) }},
			// Decoding makes the Incoming Receive returns escape.
			{"Receive+Deliver segment", 1, true, func() {
				if _, err := f.dce.Write(f.cmt); err != nil {
					t.Fatal(err)
				}
				in, err := f.m.Receive(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if err := in.Deliver(&f.d); err != nil {
					t.Fatal(err)
				}
			}},
		}...)
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(1000, tt.fn); got != tt.want {
			t.Errorf("%s: %v allocs, want %v", tt.name, got, tt.want)
		}
	}
}
