package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// contentRejected lists the valid vectors that iotwire rejects on purpose,
// with the reason; the packages' own vector tests pin the same.
var contentRejected = map[string]string{
	// Object 65535 is MAX_ID, reserved at every level (LwM2M Core 7.1); the
	// vector's note says a strict path validator may reject it. Its base
	// path /65535/0 is refused as a usage error.
	"senml_cbor_int8_min_zephyr": `iotwire: decode: --base "/65535/0": identifier above 65534 (MAX_ID 65535 is reserved)`,
}

// TestContentFormatVectors runs every senml+json, senml+cbor and
// lwm2m+cbor vector of testdata/lwm2m-vectors.json through the command with
// the core object models: expected_error vectors exit 1 with one error line;
// the others decode to the vector's paths (and its values and types where
// the core models agree), and decode | encode | decode gives the same
// records again.
func TestContentFormatVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "lwm2m-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors []lwm2mVector
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range vectors {
		if v.Format == "tlv" {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			in, args := v.Hex+"\n", []string{"--base", v.BasePath}
			if v.Text != "" {
				in, args = v.Text, append(args, "--in", "raw")
			}
			decode := append([]string{"decode", "--proto", v.Format}, args...)
			out, errOut, code := runCmd(t, in, decode...)
			errLine := regexp.MustCompile(`^iotwire: ` + regexp.QuoteMeta(v.Format) + `: unit 1: [^\n]+ \(offset \d+\)\n$`)
			if want, ok := contentRejected[v.Name]; ok {
				if code != 2 || out != "" || !strings.HasPrefix(errOut, want) {
					t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, want)
				}
				return
			}
			if v.ExpectedError {
				if code != 1 || out != "" || !errLine.MatchString(errOut) {
					t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and one error line", code, out, errOut)
				}
				return
			}
			if code != 0 {
				t.Fatalf("decode: exit %d: %s", code, errOut)
			}
			var got struct {
				Records []vectorRecord `json:"records"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("decode output %s: %v", out, err)
			}
			if len(got.Records) != len(v.Expected) {
				t.Fatalf("decode: %d records, want %d:\n%s", len(got.Records), len(v.Expected), out)
			}
			for i, r := range got.Records {
				if r.Path != v.Expected[i].Path {
					t.Errorf("record %d: path %s, want %s", i, r.Path, v.Expected[i].Path)
				}
			}
			// Encode back in the canonical form, and decode again.
			enc, errOut, code := runCmd(t, out, append([]string{"encode", "--proto", v.Format, "--out", "hex"}, "--base", v.BasePath)...)
			if code != 0 {
				t.Fatalf("decode | encode: exit %d: %s", code, errOut)
			}
			again, errOut, code := runCmd(t, enc, append([]string{"decode", "--proto", v.Format}, "--base", v.BasePath)...)
			if code != 0 || again != out {
				t.Errorf("decode | encode | decode: exit %d, stderr %q\n got %s\nwant %s", code, errOut, again, out)
			}
		})
	}
	if n < 60 {
		t.Fatalf("only %d content-format vectors", n)
	}
}
