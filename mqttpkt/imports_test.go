package mqttpkt

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the codec on the standard library, without fmt,
// reflect or encoding/json in its non-test files (STYLE.md section 1).
func TestImports(t *testing.T) {
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
