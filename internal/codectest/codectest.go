// Package codectest holds test helpers that the codec packages share.
package codectest

import (
	"encoding/hex"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// CheckImports fails t if a non-test Go file in the current directory
// imports fmt, reflect, encoding/json, unsafe or any module outside the
// standard library other than iotwire's internal packages and the iotwire
// packages listed in allowed, the lower floors of ARCHITECTURE.md (STYLE.md
// section 1: codecs stay on the standard library).
func CheckImports(t *testing.T, allowed ...string) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			switch {
			case path == "fmt", path == "reflect", path == "encoding/json", path == "unsafe":
				t.Errorf("%s imports %s", f, path)
			case strings.Contains(strings.SplitN(path, "/", 2)[0], ".") && !strings.HasPrefix(path, "github.com/iotwire/iotwire/internal/") && !slices.Contains(allowed, path):
				t.Errorf("%s imports non-standard %s", f, path)
			}
		}
	}
}

// Unhex decodes an annotated hex layout, as the codecs' test vectors write
// them: everything after "//" on a line is a comment, and white space is
// ignored. It fails tb on bad hex.
func Unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	var clean strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		tb.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}
