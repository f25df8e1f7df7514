// Package brokertest starts a real mosquitto broker for the examples'
// end-to-end tests, on a free loopback port, stopped when the test ends.
package brokertest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// startTimeout bounds mosquitto's start-up.
const startTimeout = 5 * time.Second

// Mosquitto starts mosquitto for the test and returns its mqtt:// URL. It
// skips the test when mosquitto is not installed, or fails it when
// CI=true. The broker queues without limit for subscribers that lag
// behind (max_queued_messages 0), so that a burst is not cut.
func Mosquitto(t testing.TB) string {
	t.Helper()
	bin := lookPath(t)
	dir := t.TempDir()
	var errs []error
	for attempt := range 3 {
		url, err := try(t, bin, filepath.Join(dir, "mosquitto"+strconv.Itoa(attempt)+".conf"))
		if err == nil {
			return url
		}
		errs = append(errs, err)
	}
	t.Fatalf("mosquitto did not start: %v", errors.Join(errs...))
	return ""
}

// Installed reports whether mosquitto is installed. Without it, it fails
// the test when CI=true (where the peers must be there) and reports false.
func Installed(t testing.TB) bool {
	t.Helper()
	if _, ok := find(); ok {
		return true
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("mosquitto not found in PATH, /usr/sbin or /usr/local/sbin, and CI=true")
	}
	return false
}

func find() (string, bool) {
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p, true
	}
	for _, p := range []string{"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"} {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

func lookPath(t testing.TB) string {
	t.Helper()
	if !Installed(t) {
		t.Skip("mosquitto not found (set CI=true to make this a failure)")
	}
	p, _ := find()
	return p
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var startMu sync.Mutex // one "pick a port, start, wait" at a time

func try(t testing.TB, bin, conf string) (string, error) {
	startMu.Lock()
	defer startMu.Unlock()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(addr)
	cfg := "listener " + port + " 127.0.0.1\n" +
		"allow_anonymous true\npersistence false\n" +
		"max_queued_messages 0\nmax_inflight_messages 100\n" +
		"log_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\n"
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		return "", err
	}
	log := new(lockedBuffer)
	cmd := exec.Command(bin, "-c", conf)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-done
	}
	for deadline := time.Now().Add(startTimeout); ; {
		select {
		case err := <-done:
			return "", fmt.Errorf("mosquitto exited: %v; log:\n%s", err, log)
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			stop()
			return "", fmt.Errorf("%s not accepting after %v: %v; log:\n%s", addr, startTimeout, err, log)
		}
		time.Sleep(20 * time.Millisecond) // polling a child process's start-up
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("mosquitto on %s, log:\n%s", addr, log)
		}
	})
	return "mqtt://" + addr, nil
}
