package main

import (
	"os"
	"os/exec"
	"time"

	"golang.org/x/sys/windows"
)

// processCPU is the process's user+system CPU time so far.
func processCPU() time.Duration {
	var created, exited, kernel, user windows.Filetime
	if windows.GetProcessTimes(windows.CurrentProcess(), &created, &exited, &kernel, &user) != nil {
		return 0
	}
	ticks := func(t windows.Filetime) time.Duration { // 100 ns each
		return time.Duration(int64(t.HighDateTime)<<32|int64(t.LowDateTime)) * 100
	}
	return ticks(kernel) + ticks(user)
}

// runAs: the service's test, the only caller, needs root and skips
// itself elsewhere.
func runAs(*exec.Cmd, uint32) {}

// fileUID: no Unix owners on Windows.
func fileUID(os.FileInfo) uint32 { return 0 }
