//go:build race

package dtls

// The race detector makes sync.Pool drop items at random, so exact
// allocation counts do not hold under -race.
const raceEnabled = true
