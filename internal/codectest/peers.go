package codectest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ToolPath returns the path of an external program, from PATH or the given
// locations, or "".
func ToolPath(name string, paths ...string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// LookTool returns the path of an external program (a real peer such as
// mosquitto, libcoap or tshark), trying PATH first and then the given
// locations. If it is missing the test is skipped, or fails when the
// environment variable CI is "true": CI installs every peer.
func LookTool(t *testing.T, name string, paths ...string) string {
	t.Helper()
	if p := ToolPath(name, paths...); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found in PATH or %v, and CI=true", name, paths)
	}
	t.Skipf("%s not found in PATH or %v (set CI=true to make this a failure)", name, paths)
	return ""
}

// LockedBuffer collects a process's output; exec copies into it from its
// own goroutine while the test reads it.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// RunTshark runs `tshark -T fields` on a capture file with the given extra
// arguments (such as -d decode-as rules) and returns one map per frame
// number, from field name to value; fields must include "frame.number".
// Repeated fields are joined with '|'. tshark runs with a private
// configuration directory and is stopped after timeout.
func RunTshark(t *testing.T, bin, file string, fields []string, timeout time.Duration, extra ...string) map[int]map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	args := []string{"-n", "-r", file, "-T", "fields", "-E", "header=y", "-E", "separator=/t",
		"-E", "aggregator=|", "-E", "occurrence=a"}
	args = append(args, extra...)
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	// A private configuration directory: no personal preferences change the dissection.
	cmd.Env = append(os.Environ(), "WIRESHARK_CONFIG_DIR="+t.TempDir())
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v (context: %v)\nstderr:\n%s", cmd, err, ctx.Err(), stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("tshark printed no frames\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
	header := strings.Split(lines[0], "\t")
	if !slices.Equal(header, fields) {
		t.Fatalf("tshark header %q, want %q", header, fields)
	}
	frames := make(map[int]map[string]string)
	for _, line := range lines[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) != len(fields) {
			t.Fatalf("tshark line has %d columns, want %d: %q", len(cols), len(fields), line)
		}
		m := make(map[string]string, len(fields))
		for i, f := range fields {
			m[f] = cols[i]
		}
		n, err := strconv.Atoi(m["frame.number"])
		if err != nil {
			t.Fatalf("tshark line without a frame number: %q", line)
		}
		frames[n] = m
	}
	return frames
}
