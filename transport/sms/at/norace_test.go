//go:build !race

package at_test

const raceEnabled = false
