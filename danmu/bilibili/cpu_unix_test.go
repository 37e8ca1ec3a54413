//go:build unix

package bilibili

import (
	"syscall"
	"time"
)

// cpuNow is the process's CPU time (user and system), steadier than wall
// time on a shared machine.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
