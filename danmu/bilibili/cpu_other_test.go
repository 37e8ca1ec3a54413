//go:build !unix

package bilibili

import "time"

var processStart = time.Now()

// cpuNow stands in for the process's CPU time where there is no getrusage
// (Windows): the wall time since the tests started, so the benchmarks'
// cpu figures are wall figures there.
func cpuNow() time.Duration { return time.Since(processStart) }
