package tlv

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// fuzzBases are the request paths the fuzz targets read against, one per
// level, picked by a byte of the input.
var fuzzBases = []path.Path{{}, path.Object(3), path.Instance(3, 0), path.Resource(3, 0, 6), path.ResourceInstance(3, 0, 6, 1)}

func fuzzSeeds(f *testing.F) {
	for _, v := range codectest.LoadVectors(f) {
		base, _ := path.Parse(v.BasePath)
		sel := byte(0)
		for i, b := range fuzzBases {
			if b.Level() == base.Level() {
				sel = byte(i)
			}
		}
		f.Add(codectest.Unhex(f, v.Hex), sel)
	}
	for _, c := range errorCases {
		f.Add(codectest.Unhex(f, c.hex), byte(codectest.MustPath(f, c.base).Level()))
	}
	// Writer output of canonical values.
	var w Writer
	writeDevice(&w, newDeviceValues())
	b, _ := w.Bytes()
	f.Add(b, byte(1))
}

// tree reads r and everything nested in it into lines "depth kind id
// value", the value in hex for resources and resource instances.
func tree(r Reader, depth string, out *[]string) error {
	for e, ok := r.Next(); ok; e, ok = r.Next() {
		line := depth + e.Kind.String() + " " + itoa(int(e.ID))
		if !e.Kind.IsContainer() {
			line += " " + hex.EncodeToString(e.Value)
		}
		*out = append(*out, line)
		if e.Kind.IsContainer() {
			if err := tree(r.Children(), depth+">", out); err != nil {
				return err
			}
		}
	}
	return r.Err()
}

// rewrite writes what r reads with a Writer: containers with Begin and End,
// values with Append.
func rewrite(w *Writer, r Reader) {
	for e, ok := r.Next(); ok; e, ok = r.Next() {
		if e.Kind.IsContainer() {
			w.Begin(e.Kind, e.ID)
			rewrite(w, r.Children())
			w.End()
		} else {
			w.Append(e.Kind, e.ID, e.Value)
		}
	}
}

func checkErr(t *testing.T, err error, n int) { codectest.CheckFuzzError(t, err, n, errorAt) }

// FuzzReader checks the Reader and the Writer: no panic, no mutation of
// the input, errors with offsets inside it, Skip agreeing with Next, and
// read -> write -> read a fixpoint whose encoding is never longer.
func FuzzReader(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		base := fuzzBases[int(sel)%len(fuzzBases)]
		orig := bytes.Clone(b)
		var lines []string
		err := tree(NewReader(b, base, Limits{}), "", &lines)
		if !bytes.Equal(b, orig) {
			t.Fatal("Reader modified its input")
		}
		// Skip never fails where Next succeeds, and sees as many entries.
		r, skipped := NewReader(b, base, Limits{}), 0
		for r.Skip() {
			skipped++
		}
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		if r.Err() != nil {
			t.Fatalf("Skip: %v", r.Err())
		}
		top := 0
		for _, l := range lines {
			if !strings.HasPrefix(l, ">") {
				top++
			}
		}
		if skipped != top {
			t.Fatalf("Skip saw %d entries, Next %d", skipped, top)
		}
		var w Writer
		rewrite(&w, NewReader(b, base, Limits{}))
		out, werr := w.Bytes()
		if werr != nil {
			t.Fatalf("cannot write what was read: %v", werr)
		}
		if len(out) > len(b) {
			t.Fatalf("re-encoding is longer: %d > %d\n in %x\nout %x", len(out), len(b), b, out)
		}
		var again []string
		if err := tree(NewReader(out, base, Limits{}), "", &again); err != nil {
			t.Fatalf("re-read of %x: %v", out, err)
		}
		if strings.Join(again, "\n") != strings.Join(lines, "\n") {
			t.Fatalf("entries differ:\n%s\n--\n%s", strings.Join(lines, "\n"), strings.Join(again, "\n"))
		}
		w.Reset(nil)
		rewrite(&w, NewReader(out, base, Limits{}))
		if out2, err := w.Bytes(); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint:\n 1st %x\n 2nd %x", out, out2)
		}
	})
}

// FuzzDecode checks Decode and Encode with the core registry: no panic, no
// mutation, errors with offsets inside the input, and decode -> encode ->
// decode giving the same records, with the second encoding identical to
// the first.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	reg := lwm2m.CoreRegistry()
	f.Fuzz(func(t *testing.T, b []byte, sel byte) {
		base := fuzzBases[int(sel)%len(fuzzBases)]
		orig := bytes.Clone(b)
		recs, err := decodeAll(b, base, reg)
		if !bytes.Equal(b, orig) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		codectest.RoundTrip(t, recs, func(r []Record) ([]byte, error) { return Encode(nil, base, r) },
			func(b []byte) ([]Record, error) { return decodeAll(b, base, reg) }, showRecord)
	})
}
