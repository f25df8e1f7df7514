//go:build !noopt

package op

import (
	"testing"

	"github.com/iotwire/iotwire/coapmsg"
)

// The exact allocation counts; they change under -gcflags=all=-N -l, hence
// the noopt build tag. Every accepted request of the table parses and
// builds without allocating; every rejected one costs its *Error.
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
	var bd Builder
	out := make([]byte, 0, 2048)
	for _, c := range reqCases {
		m := message(c.typ, c.code, c.path, c.query, c.opts, c.payload)
		if !c.raw {
			m = overWire(t, m)
		}
		var r Request
		if c.class != nil {
			cases = append(cases, tc{"parse-error/" + c.name, 1, func() {
				if r.Parse(m, c.role) == nil {
					t.Fatal("accepted")
				}
			}})
			continue
		}
		cases = append(cases,
			tc{"parse/" + c.name, 0, func() {
				if err := r.Parse(m, c.role); err != nil {
					t.Fatal(err)
				}
			}},
			tc{"build/" + c.name, 0, func() {
				var err error
				if out, err = bd.AppendRequest(out[:0], &r); err != nil {
					t.Fatal(err)
				}
			}},
		)
	}
	for _, c := range respCases {
		typ := c.typ
		if typ == 0 {
			typ = coapmsg.Acknowledgement
		}
		m := message(typ, c.code, "", "", c.opts, c.payload)
		var r Response
		if c.class != nil {
			cases = append(cases, tc{"response-parse-error/" + c.name, 1, func() {
				if r.Parse(m, c.kind) == nil {
					t.Fatal("accepted")
				}
			}})
			continue
		}
		cases = append(cases,
			tc{"response-parse/" + c.name, 0, func() {
				if err := r.Parse(m, c.kind); err != nil {
					t.Fatal(err)
				}
			}},
			tc{"response-build/" + c.name, 0, func() {
				var err error
				if out, err = bd.AppendResponse(out[:0], &r); err != nil {
					t.Fatal(err)
				}
			}},
		)
	}
	bad := Request{Kind: KindExecute, Path: inst(3, 0)}
	cases = append(cases, tc{"build-error/execute-on-instance", 1, func() {
		if _, err := bd.AppendRequest(out[:0], &bad); err == nil {
			t.Fatal("built")
		}
	}})
	// The documented exception: a decimal longer than 32 bytes goes through
	// a heap string on its way to strconv.ParseFloat.
	long := overWire(t, message(0, coapmsg.PUT, "/3/0/9", "gt=0.00000000000000000000000000000000001", nil, ""))
	var lr Request
	cases = append(cases, tc{"parse/long-decimal", 1, func() {
		if err := lr.Parse(long, RoleClientFromServer); err != nil {
			t.Fatal(err)
		}
	}})
	args := Request{Payload: []byte("0='https://example.com/fw.bin',1,2='x'")}
	cases = append(cases, tc{"args", 0, func() {
		n := 0
		for it := args.Args(); it.Next(); {
			n++
		}
		if n != 3 {
			t.Fatal(n)
		}
	}})
	obs := Request{Kind: KindObserve, Token: []byte{1}}
	cases = append(cases, tc{"notify", 0, func() {
		n := Notify(&obs, 7)
		n.ContentFormat, n.HasContentFormat, n.Payload = text, true, args.Payload[:2]
		var err error
		if out, err = bd.AppendResponse(out[:0], &n); err != nil {
			t.Fatal(err)
		}
	}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn()
			if got := testing.AllocsPerRun(200, c.fn); got != c.want {
				t.Errorf("%v allocs, want %v", got, c.want)
			}
		})
	}
}
