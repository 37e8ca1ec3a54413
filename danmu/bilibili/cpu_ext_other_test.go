//go:build !unix

package bilibili_test

import "time"

var processStart = time.Now()

// cpuTime stands in for the process's CPU time where there is no
// getrusage (Windows): the wall time since the tests started.
func cpuTime() time.Duration { return time.Since(processStart) }
