//go:build !race

package play

const keepRace = false
