package tlv

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// walk reads every entry with Next and Children and returns them as
// "kind id len @offset", nested entries indented.
func walk(r Reader, indent string, out *[]string) error {
	for e, ok := r.Next(); ok; e, ok = r.Next() {
		*out = append(*out, indent+e.Kind.String()+" "+itoa(int(e.ID))+" "+itoa(len(e.Value))+" @"+itoa(e.Offset))
		if e.Kind.IsContainer() {
			if err := walk(r.Children(), indent+"  ", out); err != nil {
				return err
			}
		}
	}
	return r.Err()
}

func itoa(i int) string { return showValue(lwm2m.IntegerValue(int64(i))) }

func TestReaderWalk(t *testing.T) {
	// Vector tlv_device_3_0_object_instance_wrapped_spec (LwM2M Core 7.4.3
	// example, Read /3): the Device object in its Object Instance TLV.
	in := codectest.Unhex(t, codectest.LoadVectors(t)[1].Hex)
	var got []string
	if err := walk(NewReader(in, codectest.MustPath(t, "/3"), Limits{}), "", &got); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"object instance 0 121 @0",
		"  resource 0 20 @3",
		"  resource 1 22 @26",
		"  resource 2 9 @51",
		"  resource 3 3 @63",
		"  multiple resource 6 6 @68",
		"    resource instance 0 1 @70",
		"    resource instance 1 1 @73",
		"  multiple resource 7 8 @76",
		"    resource instance 0 2 @79",
		"    resource instance 1 2 @83",
		"  multiple resource 8 7 @87",
		"    resource instance 0 1 @89",
		"    resource instance 1 2 @92",
		"  resource 9 1 @96",
		"  resource 10 1 @99",
		"  multiple resource 11 3 @102",
		"    resource instance 0 1 @104",
		"  resource 13 4 @107",
		"  resource 14 6 @113",
		"  resource 16 1 @121",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
}

func TestReaderSkipAndCopy(t *testing.T) {
	// Two instances: 0 with resource 1 = 0x14, 1 with a multiple resource 2.
	in := codectest.Unhex(t, "03 00 c1 01 14  05 01 83 02 41 00 07")
	r := NewReader(in, codectest.MustPath(t, "/9"), Limits{})
	saved := r // a copy keeps the parsing state
	if !r.Skip() {
		t.Fatal(r.Err())
	}
	e, ok := r.Next()
	if !ok || e.Kind != ObjectInstance || e.ID != 1 || e.Offset != 5 || e.ValueOffset() != 7 {
		t.Fatalf("%+v %v", e, r.Err())
	}
	c := r.Children()
	if !c.Skip() { // the multiple resource
		t.Fatal(c.Err())
	}
	cc := c.Children()
	ri, ok := cc.Next()
	if !ok || ri.Kind != ResourceInstance || ri.ID != 0 || string(ri.Value) != "\x07" || cap(ri.Value) != 1 {
		t.Fatalf("%+v", ri)
	}
	if _, ok := r.Next(); ok || r.Err() != nil {
		t.Fatal("expected a clean end", r.Err())
	}
	if e, ok := saved.Next(); !ok || e.ID != 0 {
		t.Fatal("the copy lost its state")
	}
	// Children of a value entry is a misuse reported by Err.
	cr := cc.Children()
	if _, ok := cr.Next(); ok || !errors.Is(cr.Err(), ErrUnsupported) {
		t.Fatal(cr.Err())
	}
}

// Skip does not look inside a container; Next does.
func TestReaderSkipIsShallow(t *testing.T) {
	in := codectest.Unhex(t, "02 00 c1 ff") // instance 0 whose resource runs past it
	r := NewReader(in, path.Path{}, Limits{})
	if !r.Skip() || r.Err() != nil {
		t.Fatal(r.Err())
	}
	r = NewReader(in, path.Path{}, Limits{})
	if _, ok := r.Next(); ok || !errors.Is(r.Err(), ErrMalformed) {
		t.Fatal(r.Err())
	}
}

// Non-minimal widths are accepted (no MUST in 7.4.3); the Writer and Encode
// write the shortest form.
func TestReaderNonMinimal(t *testing.T) {
	for _, c := range []struct{ name, hex string }{
		{"16-bit id below 256", "e1 00 09 2a"},
		{"8-bit length below 8", "c8 09 01 2a"},
		{"16-bit length", "d0 09 00 01 2a"},
		{"24-bit length", "d8 09 00 00 01 2a"},
		{"bits 2-0 ignored with a length field", "cf 09 01 2a"},
		{"8-byte integer", "c8 09 08 00 00 00 00 00 00 00 2a"},
		{"all at once", "f8 00 09 00 00 02 00 2a"},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := codectest.MustPath(t, "/3/0")
			recs, err := decodeAll(codectest.Unhex(t, c.hex), base, lwm2m.CoreRegistry())
			if err != nil {
				t.Fatal(err)
			}
			if got := showAll(recs); len(got) != 1 || got[0] != "/3/0/9 integer 42" {
				t.Fatalf("%q", got)
			}
			out, err := Encode(nil, base, recs)
			if err != nil || string(out) != "\xc1\x09\x2a" {
				t.Fatalf("% x %v", out, err)
			}
		})
	}
}

// The error table: every rule with the offset it reports. base "" is the
// root; reg says whether the core registry types the values.
var errorCases = []struct {
	name   string
	base   string
	hex    string
	class  error
	offset int
	msg    string
}{
	// Truncation at the top level.
	{"empty-8bit-id", "/3/0", "c1", ErrTruncated, 1, "input ends inside the identifier"},
	{"short-16bit-id", "/3/0", "e1 00", ErrTruncated, 1, "input ends inside the identifier"},
	{"short-8bit-length", "/3/0", "c8 00", ErrTruncated, 2, "input ends inside the length"},
	{"short-16bit-length", "/3/0", "d0 00 01", ErrTruncated, 2, "input ends inside the length"},
	{"value-past-end-3bit", "/3/0", "c3 00 41 42", ErrTruncated, 0, "value runs past the end of the input"},
	{"value-past-end-8bit", "/3/0", "c8 00 05 41", ErrTruncated, 2, "value runs past the end of the input"},
	{"trailing-garbage", "/3/0", "c1 0a 01 00", ErrTruncated, 4, "input ends inside the identifier"},
	// Inside a container the same faults are malformed, at the child.
	{"child-past-container", "/3", "02 00 c1 09", ErrMalformed, 2, "value runs past the end of its container"},
	{"child-id-past-container", "/3", "01 00 e1 00", ErrMalformed, 3, "identifier runs past the end of its container"},
	{"child-garbage", "/3", "04 00 c1 09 05 ff", ErrMalformed, 6, "identifier runs past the end of its container"},
	// MAX_ID.
	{"instance-65535", "/3", "20 ff ff", ErrMalformed, 1, "65535 is reserved"},
	{"resource-65535", "/3/0", "e1 ff ff 00", ErrMalformed, 1, "65535 is reserved"},
	{"nested-65535", "/3/0", "84 06 61 ff ff 00", ErrMalformed, 3, "65535 is reserved"},
	// The hierarchy.
	{"instance-in-instance", "/3", "02 00 00 01", ErrMalformed, 2, "object instance inside an object instance"},
	{"resource-instance-in-instance", "/3", "03 00 41 00 01", ErrMalformed, 2, "resource instance outside a multiple resource"},
	{"resource-in-multiple", "/3/0", "83 06 c1 00 01", ErrMalformed, 2, "multiple resource holds a resource"},
	{"multiple-in-multiple", "/3/0", "83 06 80 00 00", ErrMalformed, 2, "multiple resource holds a multiple resource"},
	// Top-level entries against the base path.
	{"resource-under-object", "/3", "c1 00 01", ErrMalformed, 0, "resource at the top of an object's payload"},
	{"multiple-under-object", "/3", "80 06", ErrMalformed, 0, "multiple resource at the top of an object's payload"},
	{"resource-instance-under-object", "/3", "41 00 01", ErrMalformed, 0, "resource instance at the top of an object's payload"},
	{"resource-instance-under-instance", "/3/0", "41 00 01", ErrMalformed, 0, "resource instance outside a multiple resource"},
	{"instance-id-mismatch", "/3/0", "00 01", ErrMalformed, 1, "identifier differs from the request path"},
	{"wrapper-then-resource", "/3/0", "00 00 c1 01 01", ErrMalformed, 2, "more than one entry for the request path"},
	{"resource-then-wrapper", "/3/0", "c1 01 01 00 00", ErrMalformed, 3, "more than one entry for the request path"},
	{"two-wrappers", "/3/0", "00 00 00 00", ErrMalformed, 2, "more than one entry for the request path"},
	{"instance-under-resource", "/3/0/6", "00 00", ErrMalformed, 0, "object instance above the level of the request path"},
	{"resource-id-mismatch", "/3/0/6", "80 07", ErrMalformed, 1, "identifier differs from the request path"},
	{"two-multiples", "/3/0/6", "80 06 80 06", ErrMalformed, 2, "more than one entry for the request path"},
	{"instance-after-multiple", "/3/0/6", "80 06 41 00 01", ErrMalformed, 2, "more than one entry for the request path"},
	{"multiple-after-instance", "/3/0/6", "41 00 01 80 06", ErrMalformed, 3, "more than one entry for the request path"},
	{"resource-under-resource-instance", "/3/0/6/1", "c1 06 01", ErrMalformed, 0, "resource above the level of the request path"},
	{"resource-instance-id-mismatch", "/3/0/6/1", "41 02 01", ErrMalformed, 1, "identifier differs from the request path"},
	{"two-resource-instances", "/3/0/6/1", "41 01 01 41 01 01", ErrMalformed, 3, "more than one entry for the request path"},
	{"root-base", "/", "c1 00 01", ErrUnsupported, 0, "the request path names no object"},
	// Duplicates (Values).
	{"duplicate-instance", "/3", "00 00 00 00", ErrMalformed, 3, "identifier repeated among siblings"},
	{"duplicate-resource", "/3/0", "c1 09 01 c1 09 02", ErrMalformed, 4, "identifier repeated among siblings"},
	{"duplicate-out-of-order", "/3/0", "c1 09 01 c1 0a 02 c1 09 03", ErrMalformed, 7, "identifier repeated among siblings"},
	{"duplicate-resource-instance", "/3/0", "86 07 41 01 01 41 01 02", ErrMalformed, 6, "identifier repeated among siblings"},
	{"duplicate-top-resource-instance", "/3/0/7", "42 00 00 01 42 00 00 02", ErrMalformed, 5, "identifier repeated among siblings"},
	// Multiplicity against the core registry.
	{"multiple-as-single", "/3/0", "c1 06 01", ErrMalformed, 0, "multiple-instance resource as a Resource TLV"},
	{"single-as-multiple", "/3/0", "83 09 41 00 01", ErrMalformed, 0, "single-instance resource as a multiple resource"},
	{"single-as-resource-instances", "/3/0/9", "41 00 01", ErrMalformed, 0, "single-instance resource as a resource instance"},
	// Values (Appendix C) at their offset, with the path.
	{"integer-3-bytes", "/3/0", "c3 09 00 00 01", ErrMalformed, 2, "integer is not 1, 2, 4 or 8 bytes long"},
	{"time-empty", "/3/0", "c0 0d", ErrMalformed, 2, "integer is not 1, 2, 4 or 8 bytes long"},
	{"string-bad-utf8", "/3/0", "c3 00 41 ff 42", ErrMalformed, 3, "text is not valid UTF-8"},
	{"boolean-2", "/1/0", "c1 06 02", ErrMalformed, 2, "boolean is neither 0 nor 1"},
	{"objlnk-3-bytes", "/3/0", "85 16 43 00 00 00 01", ErrMalformed, 4, "object link is not 4 bytes long"},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			in := codectest.Unhex(t, c.hex)
			_, err := decodeAll(in, codectest.MustPath(t, c.base), lwm2m.CoreRegistry())
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset || !strings.Contains(e.Msg, c.msg) {
				t.Fatalf("got %v\nwant %v at offset %d: %s", err, c.class, c.offset, c.msg)
			}
			if e.Offset > len(in) {
				t.Fatalf("offset %d past the input", e.Offset)
			}
			if c.class == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatal("ErrTruncated does not wrap io.ErrUnexpectedEOF")
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := decodeAll(codectest.Unhex(t, "c3 09 00 00 01"), codectest.MustPath(t, "/3/0"), lwm2m.CoreRegistry())
	const want = "tlv: value /3/0/9 at offset 2: integer is not 1, 2, 4 or 8 bytes long [LwM2M Core Appendix C]"
	if err == nil || err.Error() != want {
		t.Fatalf("%v\nwant %s", err, want)
	}
	_, err = Encode(nil, codectest.MustPath(t, "/3/0"), []Record{{codectest.MustPath(t, "/4/0/1"), lwm2m.IntegerValue(1)}})
	const want2 = "tlv: encode path /4/0/1: record outside the request path [LwM2M Core 7.4.3]"
	if err == nil || err.Error() != want2 {
		t.Fatalf("%v\nwant %s", err, want2)
	}
}

func TestMaxDepth(t *testing.T) {
	in := codectest.Unhex(t, "05 00 83 06 41 00 01") // instance > multiple resource > resource instance
	for _, c := range []struct {
		depth  int
		ok     bool
		offset int
	}{{0, true, 0}, {3, true, 0}, {9, true, 0}, {2, false, 4}, {1, false, 2}} {
		var got []string
		err := walk(NewReader(in, codectest.MustPath(t, "/3"), Limits{MaxDepth: c.depth}), "", &got)
		var e *Error
		if c.ok != (err == nil) || !c.ok && (!errors.As(err, &e) || !errors.Is(err, ErrLimit) || e.Offset != c.offset) {
			t.Errorf("MaxDepth %d: %v", c.depth, err)
		}
	}
	// Empty containers are within any depth.
	var got []string
	if err := walk(NewReader(codectest.Unhex(t, "00 00"), codectest.MustPath(t, "/3"), Limits{MaxDepth: 1}), "", &got); err != nil {
		t.Fatal(err)
	}
}

// With Limits.Canonical the wider-than-needed identifier and length forms
// that the specification allows are rejected.
func TestCanonicalLimits(t *testing.T) {
	for _, c := range []struct {
		name   string
		hex    string
		offset int
	}{
		{"16-bit-id-below-256", "e0 00 05 01 61", 1},
		{"length-field-below-8", "c8 05 01 61", 2},
		{"16-bit-length-below-256", "d0 05 00 01 61", 2},
		{"24-bit-length-below-65536", "d8 05 00 00 01 61", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := codectest.Unhex(t, c.hex)
			lax := NewReader(b, path.Path{}, Limits{})
			if _, ok := lax.Next(); !ok || lax.Err() != nil {
				t.Fatalf("default limits rejected it: %v", lax.Err())
			}
			r := NewReader(b, path.Path{}, Limits{Canonical: true})
			if _, ok := r.Next(); ok {
				t.Fatal("accepted")
			}
			var e *Error
			if !errors.As(r.Err(), &e) || e.Offset != c.offset {
				t.Fatalf("%v, want offset %d", r.Err(), c.offset)
			}
		})
	}
	// The canonical forms pass.
	r := NewReader(codectest.Unhex(t, "c1 05 61"), path.Path{}, Limits{Canonical: true})
	if _, ok := r.Next(); !ok || r.Err() != nil {
		t.Fatal(r.Err())
	}
}
