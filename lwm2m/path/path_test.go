package path

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in    string
		level Level
		out   string
	}{
		{"", RootLevel, "/"},
		{"/", RootLevel, "/"},
		{"/3", ObjectLevel, "/3"},
		{"/3/0", InstanceLevel, "/3/0"},
		{"/3/0/1", ResourceLevel, "/3/0/1"},
		{"/3/0/6/1", ResourceInstanceLevel, "/3/0/6/1"},
		{"/65534/65534/0/0", ResourceInstanceLevel, "/65534/65534/0/0"},
		{"/0/0/0/0", ResourceInstanceLevel, "/0/0/0/0"},
	} {
		p, err := Parse(c.in)
		if err != nil || p.Level() != c.level || p.String() != c.out {
			t.Errorf("%q: %v %v %q", c.in, err, p.Level(), p.String())
		}
		q, err := ParseBytes([]byte(c.in))
		if err != nil || q != p {
			t.Errorf("%q: ParseBytes differs", c.in)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		in     string
		class  error
		offset int
	}{
		{"3/0", ErrMalformed, 0},
		{"/3/", ErrMalformed, 3},
		{"//", ErrMalformed, 1},
		{"/3//1", ErrMalformed, 3},
		{"/65535", ErrMalformed, 1},
		{"/3/65535", ErrMalformed, 3},
		{"/100000", ErrMalformed, 6},
		{"/03", ErrMalformed, 1},
		{"/-1", ErrMalformed, 1},
		{"/3/a", ErrMalformed, 3},
		{"/ 3", ErrMalformed, 1},
		{"/1/2/3/4/5", ErrLimit, 8},
	} {
		_, err := Parse(c.in)
		var e *Error
		if !errors.Is(err, c.class) || !errors.As(err, &e) || e.Offset != c.offset {
			t.Errorf("%q: %v (want offset %d)", c.in, err, c.offset)
		}
	}
}

func TestOperations(t *testing.T) {
	dev := Object(3)
	p := Resource(3, 0, 1)
	if !dev.Contains(p) || !p.Contains(p) || p.Contains(dev) || Object(30).Contains(p) || !(Path{}).Contains(p) {
		t.Error("Contains")
	}
	if p.Parent() != Instance(3, 0) || (Path{}).Parent() != (Path{}) {
		t.Error("Parent")
	}
	if c, ok := Instance(3, 0).Child(1); !ok || c != p {
		t.Error("Child")
	}
	if _, ok := ResourceInstance(3, 0, 6, 1).Child(0); ok {
		t.Error("Child past 4")
	}
	if _, ok := New(1, 65535); ok {
		t.Error("New accepted MAX_ID")
	}
	if o, ok := p.ObjectID(); !ok || o != 3 {
		t.Error("ObjectID")
	}
	if _, ok := p.ResourceInstanceID(); ok {
		t.Error("ResourceInstanceID")
	}
	order := []Path{{}, Object(1), Instance(1, 0), Resource(1, 0, 5), Instance(1, 1), Object(3)}
	for i := 1; i < len(order); i++ {
		if order[i-1].Compare(order[i]) != -1 || order[i].Compare(order[i-1]) != 1 || order[i].Compare(order[i]) != 0 {
			t.Errorf("Compare %v %v", order[i-1], order[i])
		}
	}
	var q Path
	for _, seg := range []string{"3", "0", "6", "1"} {
		var err error
		if q, err = q.Append([]byte(seg)); err != nil {
			t.Fatal(err)
		}
	}
	if q != ResourceInstance(3, 0, 6, 1) {
		t.Error("Append")
	}
	if _, err := q.Append([]byte("1")); !errors.Is(err, ErrLimit) {
		t.Error("Append past 4")
	}
	var u Path
	if err := u.UnmarshalText([]byte("/5/0/3")); err != nil || u != Resource(5, 0, 3) {
		t.Error("UnmarshalText")
	}
	if b, _ := u.MarshalText(); string(b) != "/5/0/3" {
		t.Error("MarshalText")
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are not checked")
	}
	seg, pb := []byte("65534"), []byte("/3/0/6/1")
	buf := make([]byte, 0, 32)
	for name, fn := range map[string]func(){
		"parse":       func() { _, _ = Parse("/3/0/6/1") },
		"parse-bytes": func() { _, _ = ParseBytes(pb) },
		"append":      func() { _, _ = (Path{}).Append(seg) },
		"format":      func() { buf, _ = ResourceInstance(3, 0, 6, 1).AppendText(buf[:0]) },
		"contains":    func() { _ = Object(3).Contains(Resource(3, 0, 1)) },
	} {
		if got := testing.AllocsPerRun(1000, fn); got != 0 {
			t.Errorf("%s: %v allocs", name, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"/", "/3/0/1", "/3/0/6/1", "/65534", "/1/2/3/4/5", "//", "/03"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		// FromText agrees, but for the empty input.
		if q, ok := FromText([]byte(s)); ok != (err == nil && s != "") || ok && q != p {
			t.Fatalf("%q: FromText %v %v, Parse %v", s, q, ok, err)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("%q: bad error %v", s, err)
			}
			return
		}
		q, err := Parse(p.String())
		if err != nil || q != p {
			t.Fatalf("%q: not a fixpoint: %q %v", s, p.String(), err)
		}
		if s != "" && p.String() != s {
			t.Fatalf("%q formats as %q", s, p.String())
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("/3/0/6/1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendText(b *testing.B) {
	p := ResourceInstance(3, 0, 6, 1)
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = p.AppendText(buf[:0])
	}
}
