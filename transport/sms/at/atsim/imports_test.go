package atsim

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the simulator on the standard library and the SMS
// packages it simulates for, without fmt or reflect (STYLE.md section 1).
// codectest.CheckImports also forbids unsafe, which the ioctl calls of
// pty_linux.go need, so this check is its own.
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
			case path == "fmt", path == "reflect", path == "encoding/json":
				t.Errorf("%s imports %s", f, path)
			case path == "unsafe" && f != "pty_linux.go":
				t.Errorf("%s imports unsafe", f)
			case strings.Contains(strings.SplitN(path, "/", 2)[0], ".") &&
				path != "github.com/iotwire/iotwire/transport/sms/tpdu" && path != "github.com/iotwire/iotwire/transport/sms/at":
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
