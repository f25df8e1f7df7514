//go:build race

package ws_test

// The race detector changes allocation counts (sync.Pool drops items at
// random), so exact counts are not pinned under -race.
const raceEnabled = true
