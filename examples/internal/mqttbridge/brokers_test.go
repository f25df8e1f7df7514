package mqttbridge

// Brokers for the tests: the embedded mochi broker of internal/broker, and
// a real mosquitto (https://mosquitto.org) started on a free 127.0.0.1 port
// with a generated configuration, the way the interop tests of mqttpkt and
// transport/tcp start it (their helper, transport/internal/transporttest,
// is internal to the iotwire module). Without a mosquitto binary the
// mosquitto tests skip, or fail when CI=true.

import (
	"runtime"
	"testing"
	"time"

	"github.com/iotwire/iotwire/examples/internal/broker"
	"github.com/iotwire/iotwire/examples/internal/brokertest"
)

// Bounds of the tests: failure guards, never synchronisation.
const (
	ioTimeout    = 10 * time.Second // one exchange with the broker
	burstTimeout = 60 * time.Second // a whole burst (-race on 2 shared cores)
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

// startMosquitto starts mosquitto for the test and returns its URL (see
// brokertest.Mosquitto: it skips the test without mosquitto, or fails it
// when CI=true).
func startMosquitto(t *testing.T) string { return brokertest.Mosquitto(t) }

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
	if !brokertest.Installed(t) {
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
