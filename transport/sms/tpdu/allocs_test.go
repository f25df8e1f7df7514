//go:build !noopt

package tpdu

import (
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

// fixture holds the inputs shared by the allocation tests and the benchmarks.
type fixture struct {
	deliver, submit, status []byte // TPDUs of the vectors, SMSC stripped
	modem                   []byte
	d                       Deliver
	s                       Submit
	r                       StatusReport
	buf, text               []byte
	bad                     []byte
}

func vectorTPDU(tb testing.TB, name string) (modem, tp []byte) {
	for _, v := range vectors {
		if v.name == name {
			b := codectest.Unhex(tb, v.hex)
			_, tp, err := DecodeModemPDU(b)
			if err != nil {
				tb.Fatal(err)
			}
			return b, tp
		}
	}
	tb.Fatalf("no vector %s", name)
	return nil, nil
}

func newFixture(tb testing.TB) *fixture {
	f := &fixture{buf: make([]byte, 0, 200), text: make([]byte, 0, 600)}
	f.modem, f.deliver = vectorTPDU(tb, "deliver-concat-fill")
	_, f.submit = vectorTPDU(tb, "submit-ucs2-surrogates-ports8")
	_, f.status = vectorTPDU(tb, "status-report")
	f.bad = codectest.Unhex(tb, `04 15 91`)
	return f
}

func (f *fixture) decodeDeliver(tb testing.TB) {
	if _, err := f.d.Decode(f.deliver); err != nil {
		tb.Fatal(err)
	}
}

func (f *fixture) encodeDeliver(tb testing.TB) {
	var err error
	if f.buf, err = f.d.AppendBinary(f.buf[:0]); err != nil {
		tb.Fatal(err)
	}
}

func (f *fixture) deliverText(tb testing.TB) {
	var err error
	if f.text, err = f.d.AppendText(f.text[:0], f.d.DCS); err != nil {
		tb.Fatal(err)
	}
	if _, ok := f.d.Concat(); !ok {
		tb.Fatal("no concat")
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts: skipped with -short")
	}
	f := newFixture(t)
	f.decodeDeliver(t)
	tests := []struct {
		name string
		want float64
		fn   func()
	}{
		{"Deliver.Decode", 0, func() { f.decodeDeliver(t) }},
		{"Deliver.AppendBinary", 0, func() { f.encodeDeliver(t) }},
		{"Deliver.Len", 0, func() { _ = f.d.Len() }},
		{"AppendText GSM7 + Concat", 0, func() { f.deliverText(t) }},
		{"Submit.Decode+Append+UCS2 text", 0, func() {
			if _, err := f.s.Decode(f.submit); err != nil {
				t.Fatal(err)
			}
			f.buf, _ = f.s.AppendBinary(f.buf[:0])
			f.text, _ = f.s.AppendText(f.text[:0], f.s.DCS)
			if _, ok := f.s.Ports(); !ok {
				t.Fatal("no ports")
			}
		}},
		{"StatusReport.Decode+Append", 0, func() {
			if _, err := f.r.Decode(f.status); err != nil {
				t.Fatal(err)
			}
			f.buf, _ = f.r.AppendBinary(f.buf[:0])
		}},
		{"DecodeModemPDU+AppendSMSC+address text", 0, func() {
			smsc, _, err := DecodeModemPDU(f.modem)
			if err != nil {
				t.Fatal(err)
			}
			f.buf = AppendSMSC(f.buf[:0], &smsc)
			f.text = smsc.AppendText(f.text[:0])
			f.text = f.d.SCTS.AppendText(f.text)
		}},
		{"SetText GSM7", 0, func() {
			var err error
			if f.buf, err = f.d.SetText(f.buf[:0], DCSGSM7, "hello world €"); err != nil {
				t.Fatal(err)
			}
		}},
		{"IEs", 0, func() {
			for it := f.d.IEs(); it.Next(); {
				_ = it.IE()
			}
		}},
		{"decode error", 1, func() {
			var d Deliver
			if _, err := d.Decode(f.bad); err == nil {
				t.Fatal("no error")
			}
		}},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(1000, tt.fn); got != tt.want {
			t.Errorf("%s: %v allocs, want %v", tt.name, got, tt.want)
		}
	}
}
