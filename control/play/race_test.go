//go:build race

package play_test

const raceEnabled = true
