package link

import (
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
)

// walk reads every link and parameter of in and returns how many there
// were; shared by the allocation test and the benchmarks.
func walk(tb testing.TB, in []byte) int {
	n := 0
	r := NewReader(in)
	for r.Next() {
		l := r.Link()
		n += len(l.Target)
		for it := l.Params(); it.Next(); {
			n += len(it.Param().Value)
		}
	}
	if err := r.Err(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// walkAttrs parses the attributes and the path of every link of a Register
// or Discover payload.
func walkAttrs(tb testing.TB, in []byte) int {
	n := 0
	r := NewReader(in)
	for r.Next() {
		l := r.Link()
		a, err := l.Attrs()
		if err != nil {
			tb.Fatal(err)
		}
		p, err := l.Path()
		if err != nil {
			tb.Fatal(err)
		}
		n += p.Len() + int(a.Dim)
	}
	if err := r.Err(); err != nil {
		tb.Fatal(err)
	}
	return n
}

var discoverAttrs = Attrs{
	Set: AttrDim | AttrPmin | AttrPmax | AttrGt | AttrLt,
	Dim: 8, Pmin: 10, Pmax: 60, Gt: 50, Lt: 42.2,
}

func writeDiscover(w *Writer, dst []byte) ([]byte, error) {
	w.Reset(dst)
	w.PathLink(path.Resource(3, 0, 7))
	w.Attrs(&discoverAttrs)
	return w.Bytes()
}

func BenchmarkRead(b *testing.B) {
	for _, v := range vectors {
		in := []byte(v.in)
		b.Run("msg="+v.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				walk(b, in)
			}
		})
	}
}

func BenchmarkAttrs(b *testing.B) {
	for _, name := range []string{"lwm2m-discover-instance", "lwm2m-register-wakaama", "lwm2m-bootstrap-discover"} {
		in := []byte(vectorNamed(b, name).in)
		b.Run("msg="+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				walkAttrs(b, in)
			}
		})
	}
}

func BenchmarkCanonical(b *testing.B) {
	for _, v := range vectors {
		in := []byte(v.in)
		buf := make([]byte, 0, len(in))
		b.Run("msg="+v.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				var err error
				if buf, err = AppendCanonical(buf[:0], in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	for _, c := range []struct {
		name string
		fn   func(*Writer, []byte) ([]byte, error)
	}{{"register", writeRegister}, {"discover-attrs", writeDiscover}} {
		b.Run("msg="+c.name, func(b *testing.B) {
			var w Writer
			buf, _ := c.fn(&w, make([]byte, 0, 128))
			b.ReportAllocs()
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				var err error
				if buf, err = c.fn(&w, buf[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func vectorNamed(tb testing.TB, name string) vector {
	for _, v := range vectors {
		if v.name == name {
			return v
		}
	}
	tb.Fatalf("no vector %s", name)
	return vector{}
}
