//go:build !noopt

package coapmsg

import "testing"

// TestTCPAllocs pins the allocation counts of the RFC 8323 code: the
// reliable-transport formats, the signaling helpers and the Reader. The
// counts are exact; they change under -gcflags=all=-N -l, hence the noopt
// build tag.
func TestTCPAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	type tc struct {
		name string
		want float64
		fn   func()
	}
	var cases []tc
	for i, v := range tcpVectors {
		wire := tcpVector(t, i)
		decWS, _ := decodeWSFn(t, wire)
		encWS, _ := appendWSFn(t, wire)
		cases = append(cases,
			tc{"decode-tcp/" + v.name, 0, decodeTCPFn(t, wire)},
			tc{"append-tcp/" + v.name, 0, appendTCPFn(t, wire)},
			tc{"decode-ws/" + v.name, 0, decWS},
			tc{"append-ws/" + v.name, 0, encWS},
			tc{"peek-tcp/" + v.name, 0, func() {
				if _, _, err := PeekTCP(wire); err != nil {
					t.Fatal(err)
				}
			}},
		)
	}
	cases = append(cases,
		tc{"signaling/build-csm", 0, buildCSMFn(t)},
		tc{"signaling/read-csm", 0, readCSMFn(t)},
		tc{"signaling/ping-pong", 0, pongFn(t)},
	)
	var rel Message
	addr := []byte("example.com:5684")
	relBuf := make([]byte, 0, 64)
	cases = append(cases, tc{"signaling/release", 0, func() {
		rel.SetRelease(ReleaseOptions{HoldOff: 60, HasHoldOff: true})
		rel.AddOption(AlternativeAddress, addr)
		if o, ok := rel.ReleaseOptions(); !ok || o.HoldOff != 60 {
			t.Fatal("release")
		}
		var err error
		if relBuf, err = rel.AppendTCP(relBuf[:0]); err != nil {
			t.Fatal(err)
		}
	}})
	var ab Message
	diag := []byte("unknown critical option")
	cases = append(cases, tc{"signaling/abort", 0, func() {
		ab.SetAbort(AbortOptions{BadCSMOption: 3, HasBadCSMOption: true})
		ab.Payload = diag
		if o, ok := ab.AbortOptions(); !ok || o.BadCSMOption != 3 {
			t.Fatal("abort")
		}
	}})
	stream, frames := readerStream(t, 1<<20)
	cases = append(cases, tc{"reader/next", 0, readerFn(t, stream, len(frames))})
	// The error paths allocate the *Error only.
	var m Message
	for _, e := range []struct{ name, hex string }{
		{"truncated", `c1 01 ab`},
		{"malformed", `10 45 ff`},
		{"bad-option", `20 e2 21 01`},
		{"abort", `10 e1 10`},
		{"abort-csm-bad-option", `60 e1 25 01 02 03 04 05`},
	} {
		b := unhex(t, e.hex)
		cases = append(cases, tc{"decode-tcp-error/" + e.name, 1, func() {
			if _, err := m.DecodeTCP(b); err == nil {
				t.Fatal("accepted")
			}
		}})
	}
	// Past MaxInlineOptions the caller's larger Options slice is used, with no allocation.
	var many Message
	for i := 0; i < 20; i++ {
		many.AddOption(URIPath, []byte{'a'})
	}
	many.Code = GET
	manyWire, err := many.AppendTCP(nil)
	if err != nil {
		t.Fatal(err)
	}
	var big Message
	big.Options = make([]Option, 0, 32)
	cases = append(cases, tc{"decode-tcp/20-options-caller-slice", 0, func() {
		if _, err := big.DecodeTCP(manyWire); err != nil || len(big.Options) != 20 {
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
