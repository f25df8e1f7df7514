package at

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"
	"time"
)

// FuzzLine checks that Parse never panics nor changes its input, that its
// errors are typed with an offset inside the line, and that what it parsed
// formats (AppendText) to a line that parses to the same value.
func FuzzLine(f *testing.F) {
	for _, tc := range lineCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range lineErrors {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		var l Line
		err := l.Parse(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("Parse changed its input")
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset < 0 || e.Offset > len(b) {
				t.Fatalf("untyped or misplaced error %v", err)
			}
			return
		}
		out := l.AppendText(nil)
		var back Line
		if err := back.Parse(out); err != nil {
			t.Fatalf("%q formats as %q, which fails: %v", b, out, err)
		}
		if !sameLine(&back, &l) {
			t.Fatalf("%q: %+v formats as %q, which parses as %+v", b, l, out, back)
		}
		if out2 := back.AppendText(nil); !bytes.Equal(out, out2) {
			t.Fatalf("format not stable: %q then %q", out, out2)
		}
	})
}

// blockRW is a connection whose reads block until Close and whose writes
// are discarded: the fuzz target feeds the reader itself.
type blockRW struct {
	once sync.Once
	done chan struct{}
}

func (c *blockRW) Read([]byte) (int, error) {
	<-c.done
	return 0, io.EOF
}

func (c *blockRW) Write(b []byte) (int, error) { return len(b), nil }

func (c *blockRW) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

// FuzzModem feeds arbitrary modem output to the driver's reader, in two
// pieces, with a command of any kind in flight and acknowledgements on or
// off: no panic, no hang (Close returns), and every buffer within its
// limit.
func FuzzModem(f *testing.F) {
	pdu := "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"
	for _, s := range []string{
		"\r\nOK\r\n",
		"\r\n+CMT: ,39\r\n" + pdu + "\r\n",
		"\r\n+CMT: \"\",39\r\n" + pdu + "\r\n\r\n+CMT: ,39\r\n" + pdu + "\r\nOK\r\n",
		"\r\n> ",
		"\r\n+CMGS: 5\r\n\r\nRING\r\n\r\n+CMTI: \"SM\",2\r\n\r\nOK\r\n",
		"\r\n+CMGR: 0,,39\r\n" + pdu + "\r\nOK\r\n",
		"\r\n+CMGL: 1,0,,39\r\n" + pdu + "\r\n+CMGL: 2,2,,39\r\n" + pdu + "\r\n+CMGL: 3,1,,3\r\n000000\r\nOK\r\n",
		"\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n",
		"\r\nRDY\r\n\r\n+CFUN: 1\r\n",
		"\r\n+CMS ERROR: 304\r\n",
		"\r\n+CDS: 25\r\n" + pdu + "\r\n",
		"\r\n+CMT: ,39\r\nOK\r\n",
		string(bytes.Repeat([]byte{'0'}, 900)) + "\r\nOK\r\n",
	} {
		f.Add(byte(0), []byte(s))
		f.Add(byte(0x1D), []byte(s))
		f.Add(byte(0xFF), []byte(s))
	}
	f.Fuzz(func(t *testing.T, sel byte, data []byte) {
		rw := &blockRW{done: make(chan struct{})}
		m := New(rw, Config{MaxLine: 400, QueueLen: 2, CommandTimeout: time.Millisecond})
		defer func() {
			done := make(chan struct{})
			go func() { m.Close(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Close hangs")
			}
		}()
		split := 0
		if len(data) > 0 {
			split = int(sel) * len(data) / 256
		}
		m.mu.Lock()
		m.cmd = command{op: "fuzz", active: true, kind: cmdKind(sel % 4), prompt: sel&4 != 0}
		m.ackMode = sel&8 != 0
		m.feed(data[:split])
		m.feed(data[split:])
		line, jobs, del := len(m.line), m.jobN, m.del
		m.mu.Unlock()
		if line > 400 || jobs > maxJobs || cap(del) != 2 || len(m.queue) > 2 {
			t.Fatalf("line %d jobs %d del %d/%d queue %d", line, jobs, len(del), cap(del), len(m.queue))
		}
	})
}
