//go:build race

package udp_test

// The race detector makes sync.Pool drop items at random, so the exact
// allocation counts do not hold under -race.
const raceEnabled = true
