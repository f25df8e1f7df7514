package segment

import (
	"bytes"
	"testing"
	"time"

	"github.com/iotwire/iotwire/transport/sms/tpdu"
)

// FuzzReassemble drives a Reassembler with parts of three real messages
// (shuffled, duplicated, dropped, from senders "m0" to "m2") mixed with
// arbitrary parts from sender "x", and time jumps. It asserts no panic, that
// a sender "mN" only ever gets message N, that a multi-part message is not
// delivered twice within the timeout, and that the storage stays within
// MaxBytes.
func FuzzReassemble(f *testing.F) {
	f.Add([]byte{0, 0, 40, 20, 1, 0, 0, 0, 1, 0, 2, 0, 0, 1})
	f.Add([]byte{3, 2, 200, 17, 0, 7, 0, 2, 0, 1, 0, 0, 0, 4, 1, 3, 8, 4, 0, 1, 3, 2, 9, 9})
	f.Add([]byte{1, 255, 255, 255, 255, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 3, 200, 0, 7})
	f.Add([]byte{2, 0, 100, 100, 100, 1, 5, 0, 0, 3, 1, 0, 3, 0, 255, 0, 1, 0, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 5 {
			return
		}
		const timeout = 10 * time.Second
		lim := Limits{
			MaxPending: 1 + int(data[0]&3),
			MaxBytes:   minMaxBytes + int(data[1])*16,
			Timeout:    timeout,
		}
		r := NewReassembler(lim)
		lim = r.Limits()
		var (
			msgs  [3][]byte
			ps    [3][]tpdu.UserData
			first [3]time.Time // of the last delivery
			dels  [3]int       // completions of any message since it
		)
		for i := range msgs {
			msgs[i] = payload(int(data[2+i])*9, byte(i))
			o := Options{Ref: uint16(i), Ref8: data[2+i]&1 == 0}
			if data[2+i]&2 != 0 {
				o.HasPorts, o.Ports = true, tpdu.Ports{Dst: uint16(i), Wide: true}
			}
			ps[i] = parts(t, msgs[i], o)
		}
		keys := [4][]byte{[]byte("m0"), []byte("m1"), []byte("m2"), []byte("x")}
		now := t0
		data = data[5:]
		for len(data) >= 2 {
			op, arg := data[0], data[1]
			data = data[2:]
			switch op % 4 {
			case 0, 1: // a part of a real message
				k := int(op/4) % 3
				i := int(arg) % len(ps[k])
				m, ok, err := r.Add(now, keys[k], &ps[k][i])
				if err != nil {
					if !(ps[k][i].Header != nil && lim.MaxBytes < len(msgs[k])+len(ps[k])*recHdr) {
						t.Fatalf("real part rejected: %v", err)
					}
				}
				for j := range dels {
					if ok {
						dels[j]++
					}
				}
				if ok {
					if !bytes.Equal(m.Payload, msgs[k]) {
						t.Fatalf("sender m%d got a payload it did not send", k)
					}
					if len(ps[k]) > 1 && !first[k].IsZero() && now.Sub(first[k]) < timeout && dels[k] <= doneRing {
						t.Fatalf("message %d delivered twice", k)
					}
					first[k], dels[k] = now, 0
				}
			case 2: // an arbitrary part from "x": header and body from the input
				n := min(int(arg)%24, len(data))
				hl := min(int(op/4)%16, n)
				ud := tpdu.UserData{Header: data[:hl:hl], Body: data[hl:n:n]}
				if op&0x80 != 0 {
					ud.Header = nil
				}
				data = data[n:]
				_, ok, _ := r.Add(now, keys[3], &ud)
				if ok {
					for j := range dels {
						dels[j]++
					}
				}
			case 3: // time passes
				now = now.Add(time.Duration(arg) * time.Duration(op/4+1) * 50 * time.Millisecond)
				r.Expire(now)
			}
			held := 0
			for i := range r.slots {
				if r.slots[i].used {
					held += r.slots[i].held
				}
			}
			if held != r.Held() || r.Held() > lim.MaxBytes || cap(r.arena) > lim.MaxBytes || r.Pending() > lim.MaxPending {
				t.Fatalf("held %d/%d, cap %d, pending %d, limits %+v", held, r.Held(), cap(r.arena), r.Pending(), lim)
			}
		}
	})
}
