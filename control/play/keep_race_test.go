//go:build race

package play

const keepRace = true // the race detector allocates
