// Package codectest holds test helpers that the codec packages share.
package codectest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// CheckImports fails t if a non-test Go file in the current directory
// imports fmt, reflect, encoding/json, unsafe or any module outside the
// standard library other than iotwire's internal packages (STYLE.md
// section 1: codecs stay on the standard library).
func CheckImports(t *testing.T) {
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
			case strings.Contains(strings.SplitN(path, "/", 2)[0], ".") && !strings.HasPrefix(path, "github.com/iotwire/iotwire/internal/"):
				t.Errorf("%s imports non-standard %s", f, path)
			}
		}
	}
}
