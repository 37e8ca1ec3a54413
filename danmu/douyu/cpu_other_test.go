//go:build !unix

package douyu

import "time"

var processStart = time.Now()

// cpuTime stands in for the process's CPU time where there is no getrusage
// (Windows): the wall time since the tests started, so the benchmarks'
// cpu figures are wall figures there.
func cpuTime() time.Duration { return time.Since(processStart) }
