package mqttbridge

// Brokers for the tests: the embedded mochi broker of internal/broker, and
// a real mosquitto (https://mosquitto.org) started on a free 127.0.0.1 port
// with a generated configuration, the way the interop tests of mqttpkt and
// transport/tcp start it (their helper, transport/internal/transporttest,
// is internal to the iotwire module). Without a mosquitto binary the
// mosquitto tests skip, or fail when CI=true.

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/iotwire/iotwire/examples/internal/broker"
)

// Bounds of the tests: failure guards, never synchronisation.
const (
	ioTimeout    = 10 * time.Second // one exchange with the broker
	burstTimeout = 60 * time.Second // a whole burst (-race on 2 shared cores)
	startTimeout = 5 * time.Second  // broker start-up
)

// brokerUnderTest is a broker the client tests run against.
type brokerUnderTest struct {
	name string
	url  string // the URL under test
	tcp  string // the same broker's TCP URL
}

// startMochi starts the embedded broker for the test, with a WebSocket
// listener; it stops when the test ends.
func startMochi(t *testing.T) (tcpURL, wsURL string) {
	t.Helper()
	b, err := broker.Start(broker.Options{WSAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatalf("start mochi: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b.URL(), b.WSURL()
}

// mosquittoPath finds the mosquitto binary. Missing, it reports false,
// or fails the test when CI=true.
func mosquittoPath(t *testing.T) (string, bool) {
	t.Helper()
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p, true
	}
	for _, p := range []string{"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"} {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("mosquitto not found in PATH, /usr/sbin or /usr/local/sbin, and CI=true")
	}
	return "", false
}

// lookMosquitto finds mosquitto or skips the test.
func lookMosquitto(t *testing.T) string {
	t.Helper()
	p, ok := mosquittoPath(t)
	if !ok {
		t.Skip("mosquitto not found (set CI=true to make this a failure)")
	}
	return p
}

// lockedBuffer collects mosquitto's log, written by exec's goroutine.
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

// mosquittoStartMu serialises "pick a free port, start mosquitto, wait"
// so that parallel tests do not race for a port.
var mosquittoStartMu sync.Mutex

// startMosquitto starts mosquitto for the test and returns its URL; it is
// killed when the test ends, and its log printed if the test failed.
func startMosquitto(t *testing.T) string {
	t.Helper()
	bin := lookMosquitto(t)
	dir := t.TempDir()
	var errs []error
	for attempt := range 3 {
		url, err := tryMosquitto(t, bin, filepath.Join(dir, "mosquitto"+strconv.Itoa(attempt)+".conf"))
		if err == nil {
			return url
		}
		errs = append(errs, err)
	}
	t.Fatalf("mosquitto did not start: %v", errors.Join(errs...))
	return ""
}

func tryMosquitto(t *testing.T, bin, conf string) (string, error) {
	mosquittoStartMu.Lock()
	defer mosquittoStartMu.Unlock()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(addr)
	// max_queued_messages 0: no limit on the QoS 1 messages queued for a
	// subscriber that lags behind (the default, 1000, drops the rest of a
	// burst); max_inflight_messages is mosquitto's Receive Maximum.
	cfg := "listener " + port + " 127.0.0.1\n" +
		"allow_anonymous true\n" +
		"persistence false\n" +
		"max_queued_messages 0\n" +
		"max_inflight_messages 100\n" +
		"log_dest stderr\n" +
		"log_type error\nlog_type warning\nlog_type notice\n"
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

// brokers returns the brokers the client tests run against: mochi (TCP
// and WebSocket) and mosquitto.
func brokers(t *testing.T) []brokerUnderTest {
	t.Helper()
	tcpURL, wsURL := startMochi(t)
	list := []brokerUnderTest{{"mochi", tcpURL, tcpURL}, {"mochi-ws", wsURL, tcpURL}}
	if url, ok := tryStartMosquitto(t); ok {
		list = append(list, brokerUnderTest{"mosquitto", url, url})
	}
	return list
}

// tryStartMosquitto starts mosquitto when it is installed; without it
// the test logs that it runs without (or fails when CI=true).
func tryStartMosquitto(t *testing.T) (string, bool) {
	t.Helper()
	if _, ok := mosquittoPath(t); !ok {
		t.Log("mosquitto not found: testing against mochi only (set CI=true to make this a failure)")
		return "", false
	}
	return startMosquitto(t), true
}

// checkGoroutines fails the test if goroutines started during it are
// still running once it has cleaned up: it compares the count with the
// one at the start, waiting (bounded) for exiting goroutines to finish.
func checkGoroutines(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond) // waiting for goroutines to exit
		}
	})
}
