package main

import "runtime/debug"

// gcPercent is the collector's target for `cattease run` when GOGC is not
// set. A running cattease keeps under 1 MiB live however long it runs, so
// at Go's default of 100 the heap grows to the runtime's floor of 4 MiB
// between collections; at 50 it is collected at 2 MiB: 1.5-2 MiB less
// resident on the Pi, for about 2 % more CPU in a room at 1,000 messages
// a second. replay, a batch that reads a file as fast as it can, keeps
// the default: at 50 it took 5 % more CPU (docs/BENCHMARKS.md).
const gcPercent = 50

// tuneGC sets the collector's target to gcPercent unless the environment
// sets GOGC, which wins.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
