package lwcbor

import (
	"errors"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/internal/wire"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

var coreReg = lwm2m.CoreRegistry()

// decodeCases are payloads Decode accepts, with the records it reports.
// Hand-written after LwM2M Core 7.4.7 and the data type mapping of
// Appendix C; "core" types them with the core registry, otherwise values
// take the type of their CBOR item.
var decodeCases = []struct {
	name string
	hex  string
	base string
	core bool
	want []string
}{
	{"empty map", "a0", "/", false, nil},
	{"empty indefinite map", "bfff", "/3", false, nil},
	{"read-composite names", `
		a2                 // map(2)
		  83 03 00 00  f6  // [3, 0, 0]: null
		  83 01 00 01  f6  // [1, 0, 1]: null`,
		"/", true, []string{"/3/0/0 none null", "/1/0/1 none null"}},
	{"null for an object and an instance", "a2 03 f6 82 0400 f6", "/", false, []string{"/3 none null", "/4/0 none null"}},
	{"device instance typed by the core registry", `
		a1 82 03 00                       // [3, 0]:
		  a4                              // map(4)
		    00 63 4f4d41                  // 0: "OMA"
		    09 18 5f                      // 9: 95
		    0d 1a 5182428f                // 13: 1367491215
		    06 a2 00 01 01 05             // 6: {0: 1, 1: 5}`,
		"/3/0", true, []string{"/3/0/0 string OMA", "/3/0/9 integer 95", "/3/0/13 time 1367491215", "/3/0/6/0 integer 1", "/3/0/6/1 integer 5"}},
	{"objlnk as text", "a1 83 01 00 0a 63 343a30", "/1/0", true, []string{"/1/0/10 objlnk 4:0"}},
	{"null objlnk", "a1 83 01 00 0a 6b 36353533353a3635353335", "/1/0", true, []string{"/1/0/10 objlnk 65535:65535"}},
	{"integer for a float resource", "a1 83 06 00 00 18 2d", "/6/0/0", true, []string{"/6/0/0 float 45"}},
	{"decimal fraction for a float resource", "a1 83 06 00 00 c4 82 20 19 01c7", "/6", true, []string{"/6/0/0 float 45.5"}},
	{"integral half float for an integer resource", "a1 83 03 00 09 f9 5640", "/", true, []string{"/3/0/9 integer 100"}},
	{"integral float for an unsigned resource", "a1 83 01 00 0b fa 3f800000", "/", true, []string{"/1/0/11 unsigned 1"}},
	{"decimal fraction for a time resource", "a1 83 03 00 0d c4 82 00 1a 5182428f", "/", true, []string{"/3/0/13 time 1367491215"}},
	{"negative time", "a1 83 03 00 0d 20", "/", true, []string{"/3/0/13 time -1"}},
	{"opaque", "a1 83 00 00 03 43 010203", "/0", true, []string{"/0/0/3 opaque 010203"}},
	{"keys of one and several levels", "a1 03 a1 82 00 09 18 5f", "/3/0/9", false, []string{"/3/0/9 unsigned 95"}},
	{"indefinite key array", "a1 9f 03 00 09 ff 01", "/", false, []string{"/3/0/9 unsigned 1"}},
	{"one key twice, values apart", `
		a2 0d a1 181a a1 01 01   // 13: {26: {1: 1}}
		   0d a1 181a a1 02 02   // 13: {26: {2: 2}}`,
		"/", false, []string{"/13/26/1 unsigned 1", "/13/26/2 unsigned 2"}},
	{"wire types", `
		a1 82 0d 181a a8
		  00 20                         // -1
		  01 1bffffffffffffffff         // 2^64-1
		  02 3b7fffffffffffffff         // -2^63
		  03 fb 3ff199999999999a        // 1.1
		  04 c4 82 01 05                // 4([1, 5]) = 50
		  05 c4 82 20 0f                // 4([-1, 15]) = 1.5
		  06 f9 7c00                    // infinity
		  07 f4                         // false`,
		"/", false, []string{"/13/26/0 integer -1", "/13/26/1 unsigned 18446744073709551615", "/13/26/2 integer -9223372036854775808",
			"/13/26/3 float 1.1", "/13/26/4 unsigned 50", "/13/26/5 float 1.5", "/13/26/6 float +Inf", "/13/26/7 boolean false"}},
	{"executable resource with null", "a1 83 03 00 04 f6", "/", true, []string{"/3/0/4 none null"}},
	{"out of order", "a3 83 03 00 09 01 83 03 00 00 60 83 01 00 01 02", "/", false,
		[]string{"/3/0/9 unsigned 1", "/3/0/0 string ", "/1/0/1 unsigned 2"}},
}

func TestDecode(t *testing.T) {
	for _, c := range decodeCases {
		t.Run(c.name, func(t *testing.T) {
			var reg *lwm2m.Registry
			if c.core {
				reg = coreReg
			}
			recs, err := decodeAll(codectest.Unhex(t, c.hex), codectest.MustPath(t, c.base), reg)
			if err != nil {
				t.Fatal(err)
			}
			if got := showAll(recs); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			// Encode writes what decodes to the same records.
			out, err := Encode(nil, codectest.MustPath(t, c.base), recs)
			if err != nil {
				t.Fatal(err)
			}
			again, err := decodeAll(out, codectest.MustPath(t, c.base), reg)
			if err != nil || strings.Join(showAll(again), "\n") != strings.Join(showAll(recs), "\n") {
				t.Fatalf("re-encoded %x: %q, %v", out, showAll(again), err)
			}
		})
	}
}

// errorCases are payloads Decode rejects, with the class and offset.
var errorCases = []struct {
	name   string
	hex    string
	base   string
	core   bool
	class  error
	offset int
}{
	{"empty payload", "", "/", false, ErrTruncated, 0},
	{"array at the top", "80", "/", false, ErrMalformed, 0},
	{"truncated key", "a1", "/", false, ErrTruncated, 1},
	{"truncated value", "a1 03", "/", false, ErrTruncated, 2},
	{"truncated indefinite map", "bf 83030009 01", "/", false, ErrTruncated, 6},
	{"bytes after the map", "a0 00", "/", false, ErrMalformed, 1},
	{"two maps", "a0 a0", "/", false, ErrMalformed, 1},
	{"negative key", "a1 20 01", "/", false, ErrMalformed, 1},
	{"text key", "a1 60 01", "/", false, ErrUnsupported, 1},
	{"map as a key", "a1 a0 01", "/", false, ErrMalformed, 1},
	{"array in a key array", "a1 81 81 00 01", "/", false, ErrMalformed, 2},
	{"empty indefinite key array", "a1 9f ff 01", "/", false, ErrMalformed, 1},
	{"identifier 65535", "a1 19ffff 01", "/", false, ErrMalformed, 1},
	{"five identifiers", "a1 85 01 02 03 04 05 06", "/", false, ErrMalformed, 6},
	{"empty nested map", "a1 03 a0", "/", false, ErrMalformed, 2},
	{"empty indefinite nested map", "a1 03 bfff", "/", false, ErrMalformed, 2},
	{"array as a value", "a1 83030000 80", "/", false, ErrMalformed, 5},
	{"undefined", "a1 83030009 f7", "/", false, ErrMalformed, 5},
	{"simple value 16", "a1 83030009 f0", "/", false, ErrMalformed, 5},
	{"tag 1", "a1 83030009 c1 00", "/", false, ErrUnsupported, 5},
	{"bignum mantissa", "a1 83030009 c4 82 00 c2 41 01", "/", false, ErrUnsupported, 8},
	{"indefinite text", "a1 83030009 7f 60 ff", "/", false, ErrUnsupported, 5},
	{"indefinite bytes", "a1 83030009 5f 40 ff", "/", false, ErrUnsupported, 5},
	{"integer below -2^63", "a1 83030009 3b8000000000000000", "/", false, ErrUnsupported, 5},
	{"value for an instance", "a1 82 0300 01", "/", false, ErrMalformed, 4},
	{"same path twice", "a2 83030009 01 83030009 02", "/", false, ErrMalformed, 6},
	{"same path, other spelling", "a2 83030009 01 03 a1 00 a1 09 02", "/", false, ErrMalformed, 10},
	{"null above values", "a2 82 0300 f6 83030009 01", "/", false, ErrMalformed, 5},
	{"null after values below", "a2 83030009 01 82 0300 f6", "/", false, ErrMalformed, 6},
	{"value above a value", "a2 83030009 01 8403000900 01", "/", false, ErrMalformed, 6},
	{"invalid UTF-8", "a1 83030009 62 c328", "/", false, ErrMalformed, 6},
	{"reserved additional information", "a1 83030009 1c", "/", false, ErrMalformed, 5},
	{"break as a key in a definite map", "a1 ff", "/", false, ErrMalformed, 1},
	{"break as a value", "bf 83030009 ff", "/", false, ErrMalformed, 5},
	{"outside the request path", "a1 83040000 01", "/3/0", false, ErrMalformed, 1},
	{"above the request path", "a1 82 0300 f6", "/3/0/0", false, ErrMalformed, 1},
	{"text for an integer resource", "a1 83030009 61 78", "/", true, ErrMalformed, 5},
	{"bytes for a string resource", "a1 83030000 41 78", "/", true, ErrMalformed, 5},
	{"boolean for a float resource", "a1 83060000 f5", "/", true, ErrMalformed, 5},
	{"integer for a boolean resource", "a1 83010006 01", "/", true, ErrMalformed, 5},
	{"half float 1.5 for an integer resource", "a1 83030009 f9 3e00", "/", true, ErrMalformed, 5},
	{"NaN for an integer resource", "a1 83030009 f9 7e00", "/", true, ErrMalformed, 5},
	{"integer above 2^63-1 for an integer resource", "a1 83030009 1b8000000000000000", "/", true, ErrMalformed, 5},
	{"negative for an unsigned resource", "a1 8301000b 20", "/", true, ErrMalformed, 5},
	{"inexact integer for a float resource", "a1 83060000 1b0020000000000001", "/", true, ErrMalformed, 5},
	{"objlnk without a colon", "a1 8301000a 62 3430", "/", true, ErrMalformed, 8},
	{"objlnk with a leading zero", "a1 8301000a 64 30343a30", "/", true, ErrMalformed, 6},
	{"objlnk above 65535", "a1 8301000a 67 36353533363a30", "/", true, ErrMalformed, 6},
	{"objlnk with trailing bytes", "a1 8301000a 64 343a3020", "/", true, ErrMalformed, 9},
	{"objlnk as an integer", "a1 8301000a 04", "/", true, ErrMalformed, 5},
	{"multiple resource at its resource path", "a1 83030006 01", "/", true, ErrMalformed, 5},
	{"single resource with an instance", "a1 8403000900 01", "/", true, ErrMalformed, 1},
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			var reg *lwm2m.Registry
			if c.core {
				reg = coreReg
			}
			_, err := decodeAll(codectest.Unhex(t, c.hex), codectest.MustPath(t, c.base), reg)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.class) || e.Offset != c.offset {
				t.Fatalf("got %v, want %v at offset %d", err, c.class, c.offset)
			}
			if e.Rule == "" || e.Msg == "" || !strings.HasPrefix(err.Error(), "lwcbor: ") {
				t.Fatalf("incomplete error: %v", err)
			}
			if errors.Is(err, ErrTruncated) && !errors.Is(err, errUnexpectedEOF) {
				t.Fatal("truncation does not wrap io.ErrUnexpectedEOF")
			}
		})
	}
}

func TestLimits(t *testing.T) {
	in := codectest.Unhex(t, "a2 83030009 01 83030000 02")
	it := NewValues(in, path.Path{}, nil, Limits{MaxRecords: 1})
	n := 0
	for it.Next() {
		n++
	}
	if n != 1 || !errors.Is(it.Err(), ErrLimit) {
		t.Fatalf("%d records, %v", n, it.Err())
	}
	it = NewValues(in, path.Path{}, nil, Limits{MaxRecords: 2})
	for it.Next() {
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
}

// The duplicate check on paths out of order: a long payload in descending
// order, with a repeat at the end.
func TestOutOfOrder(t *testing.T) {
	// 20 paths are checked in place, 300 go through the map.
	for _, n := range []int{20, 300} {
		var recs []Record
		for i := n; i > 0; i-- {
			recs = append(recs, Record{path.Resource(13, 0, uint16(i)), lwm2m.UnsignedValue(uint64(i))})
		}
		out, err := Encode(nil, path.Path{}, recs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeAll(out, path.Path{}, nil)
		if err != nil || len(got) != n {
			t.Fatalf("%d records, %v", len(got), err)
		}
		for i := range got {
			if got[i].Path != recs[i].Path || !got[i].Value.Equal(recs[i].Value) {
				t.Fatalf("record %d: %v", i, show(got[i].Path, got[i].Value))
			}
		}
		// The same path again at the end, a path below one seen and one
		// above them all.
		for _, extra := range []string{"83 0d 00 0a 00", "84 0d 00 0a 00 00", "82 0d 00 f6"} {
			bad := wire.AppendCBORHead(nil, wire.CBORMap, uint64(n+1))
			bad = append(bad, out[len(wire.AppendCBORHead(nil, wire.CBORMap, uint64(n))):]...)
			bad = append(bad, codectest.Unhex(t, extra)...)
			if _, err := decodeAll(bad, path.Path{}, nil); !errors.Is(err, ErrMalformed) {
				t.Errorf("%d records + %s: %v", n, extra, err)
			}
		}
	}
}

// A Values copied before the first Next is independent of the original.
func TestValuesCopy(t *testing.T) {
	in := codectest.Unhex(t, "a2 83030009 01 83030000 02")
	a := NewValues(in, path.Path{}, nil, Limits{})
	b := a
	for a.Next() {
	}
	n := 0
	for b.Next() {
		n++
	}
	if n != 2 || b.Err() != nil || b.Offset() != 10 {
		t.Fatal(n, b.Err(), b.Offset())
	}
}

// fn's error stops Decode and is returned as is.
func TestDecodeCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Decode(codectest.Unhex(t, "a2 83030009 01 83030000 02"), path.Path{}, nil, func(path.Path, lwm2m.Value) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Fatal(err, n)
	}
}
