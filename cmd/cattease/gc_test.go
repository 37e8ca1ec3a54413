package main

import (
	"runtime/debug"
	"testing"
)

// tuneGC sets the collector's target to gcPercent when the environment
// has no GOGC, and leaves what the runtime took from GOGC otherwise.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, c := range []struct {
		gogc          string
		runtime, want int // the target the runtime set from GOGC; after tuneGC
	}{{"", 100, gcPercent}, {"100", 100, 100}, {"off", -1, -1}, {"200", 200, 200}} {
		debug.SetGCPercent(c.runtime)
		tuneGC(func(k string) string {
			if k == "GOGC" {
				return c.gogc
			}
			return ""
		})
		if got := debug.SetGCPercent(100); got != c.want {
			t.Errorf("GOGC=%q: target %d, want %d", c.gogc, got, c.want)
		}
	}
}
