//go:build race

package at_test

// The race detector allocates on channel and mutex operations, so the
// driver's allocation counts do not hold under -race.
const raceEnabled = true
