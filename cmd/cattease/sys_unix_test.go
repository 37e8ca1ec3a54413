//go:build unix

package main

import (
	"os"
	"os/exec"
	"syscall"
	"time"
)

// The tests' few Unix-only calls, so that the package's tests build (and
// vet) for Windows too: sys_windows_test.go.

// processCPU is the process's user+system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runAs makes cmd start as uid (and its group, gid = uid) with no
// supplementary groups.
func runAs(cmd *exec.Cmd, uid uint32) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid, Groups: []uint32{}}}
}

// fileUID is the owner of the file fi describes.
func fileUID(fi os.FileInfo) uint32 { return fi.Sys().(*syscall.Stat_t).Uid }
