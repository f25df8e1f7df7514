//go:build !noopt

package link

import (
	"strings"
	"testing"
)

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
	for _, v := range vectors {
		in := []byte(v.in)
		buf := make([]byte, 0, len(in))
		cases = append(cases,
			tc{"read/" + v.name, 0, func() { walk(t, in) }},
			tc{"canonical/" + v.name, 0, func() {
				var err error
				if buf, err = AppendCanonical(buf[:0], in); err != nil {
					t.Fatal(err)
				}
			}},
		)
	}
	for _, name := range []string{"lwm2m-discover-instance", "lwm2m-discover-resource", "lwm2m-register-wakaama", "lwm2m-bootstrap-discover"} {
		in := []byte(vectorNamed(t, name).in)
		cases = append(cases, tc{"attrs-path/" + name, 0, func() { walkAttrs(t, in) }})
	}
	escaped := firstLink(t, `</a>;pmin="1\0";rt="oma\.lwm2m";uri="coap://h\/x";ct="\4\0 60";gt=-1.5`)
	cases = append(cases, tc{"attrs/escaped", 0, func() {
		if _, err := escaped.Attrs(); err != nil {
			t.Fatal(err)
		}
	}})
	longDecimal := firstLink(t, `</a>;gt=`+strings.Repeat("1", 40))
	cases = append(cases, tc{"attrs/decimal-40-bytes", 1, func() {
		if _, err := longDecimal.Attrs(); err != nil {
			t.Fatal(err)
		}
	}})
	var w Writer
	out := make([]byte, 0, 256)
	cases = append(cases,
		tc{"write/register", 0, func() {
			var err error
			if out, err = writeRegister(&w, out[:0]); err != nil {
				t.Fatal(err)
			}
		}},
		tc{"write/discover-attrs", 0, func() {
			var err error
			if out, err = writeDiscover(&w, out[:0]); err != nil {
				t.Fatal(err)
			}
		}},
	)
	quoted := firstLink(t, `</a>;t="a \"b\" c"`)
	cases = append(cases, tc{"unquote", 0, func() {
		p, _ := quoted.Param("t")
		out = p.AppendValue(out[:0])
	}})
	bad := []byte(`</a>;b="c`)
	cases = append(cases, tc{"error/read", 1, func() {
		r := NewReader(bad)
		for r.Next() {
		}
		if r.Err() == nil {
			t.Fatal("accepted")
		}
	}})
	badAttr := firstLink(t, `</a>;dim=256`)
	cases = append(cases, tc{"error/attrs", 1, func() {
		if _, err := badAttr.Attrs(); err == nil {
			t.Fatal("accepted")
		}
	}})
	badPath := firstLink(t, `</3/x>`)
	cases = append(cases, tc{"error/path", 1, func() {
		if _, err := badPath.Path(); err == nil {
			t.Fatal("accepted")
		}
	}})
	cases = append(cases, tc{"error/write", 1, func() {
		w.Reset(out[:0])
		w.Link("/a b")
		if _, err := w.Bytes(); err == nil {
			t.Fatal("accepted")
		}
	}})
	for _, c := range cases {
		if got := testing.AllocsPerRun(1000, c.fn); got != c.want {
			t.Errorf("%s: %v allocs, want %v", c.name, got, c.want)
		}
	}
}
