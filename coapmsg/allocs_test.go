//go:build !noopt

package coapmsg

import "testing"

// The allocation counts are exact; they change under -gcflags=all=-N -l,
// hence the noopt build tag.
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
	for _, v := range udpVectors {
		wire := unhex(t, v.hex)
		var m Message
		if _, err := m.Decode(wire); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 0, len(wire))
		cases = append(cases,
			tc{"decode/" + v.name, 0, func() {
				if _, err := m.Decode(wire); err != nil {
					t.Fatal(err)
				}
			}},
			tc{"encode/" + v.name, 0, func() {
				var err error
				if buf, err = m.AppendBinary(buf[:0]); err != nil {
					t.Fatal(err)
				}
			}},
		)
	}
	path, query := []byte("/3/0/1"), []byte("ep=node&lt=300")
	var b Message
	out := make([]byte, 0, 64)
	cases = append(cases, tc{"build/request", 0, func() {
		b.Reset()
		b.Type, b.Code, b.MessageID = Confirmable, GET, 1
		b.SetPath(path)
		b.SetQuery(query)
		b.SetUint(Accept, uint64(AppLwM2MTLV))
		b.SetUint(Observe, 0)
		var err error
		if out, err = b.AppendBinary(out[:0]); err != nil {
			t.Fatal(err)
		}
	}})
	var r Message
	if _, err := r.Decode(unhex(t, udpVectors[3].hex)); err != nil {
		t.Fatal(err)
	}
	cases = append(cases, tc{"iterate/path", 0, func() {
		n := 0
		for it := r.Values(URIQuery); it.Next(); {
			n += len(it.Value())
		}
		if n == 0 {
			t.Fatal("no query")
		}
	}})
	var dst Message
	store := make([]byte, 0, 256)
	cases = append(cases, tc{"copyto", 0, func() { store = r.CopyTo(&dst, store[:0]) }})
	bad := unhex(t, "40 01 00 00 c3 01 02 03")
	cases = append(cases, tc{"decode/bad-option", 1, func() {
		if _, err := r.Decode(bad); err == nil {
			t.Fatal("accepted")
		}
	}})
	malformed := unhex(t, "40 01 00 00 ff")
	cases = append(cases, tc{"decode/malformed", 1, func() {
		if _, err := r.Decode(malformed); err == nil {
			t.Fatal("accepted")
		}
	}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn()
			if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
				t.Errorf("%v allocs, want %v", got, c.want)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, v := range udpVectors {
		wire := unhex(b, v.hex)
		b.Run("msg="+v.name, func(b *testing.B) {
			var m Message
			b.ReportAllocs()
			b.SetBytes(int64(len(wire)))
			for b.Loop() {
				if _, err := m.Decode(wire); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, v := range udpVectors {
		wire := unhex(b, v.hex)
		var m Message
		if _, err := m.Decode(wire); err != nil {
			b.Fatal(err)
		}
		b.Run("msg="+v.name, func(b *testing.B) {
			buf := make([]byte, 0, len(wire))
			b.ReportAllocs()
			b.SetBytes(int64(len(wire)))
			for b.Loop() {
				var err error
				if buf, err = m.AppendBinary(buf[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Updating a uint option in a loop reuses its storage.
func TestSetUintReuse(t *testing.T) {
	var m Message
	m.Code = Content
	m.SetUint(Observe, 1<<16)
	obs := uint64(1 << 16)
	if got := testing.AllocsPerRun(1000, func() {
		obs++
		m.SetUint(Observe, obs&0xffffff|1<<16)
	}); got != 0 {
		t.Fatalf("%v allocs", got)
	}
	if v, _ := m.Uint(Observe); v != obs&0xffffff|1<<16 || len(m.Options) != 1 {
		t.Fatal(v, len(m.Options))
	}
	m.SetUint(Observe, 0) // shorter values fit too
	if v, ok := m.Option(Observe); !ok || len(v) != 0 {
		t.Fatal(v)
	}
}
