//go:build race

package tcp_test

// Under the race detector crypto/tls allocates a varying number of times
// per record (sync.Pool drops items at random), so the exact TLS counts do
// not hold under -race.
const raceEnabled = true
