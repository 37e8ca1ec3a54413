package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// runningInstances lists the pids of `cattease run` processes under a
// /proc-like root, other than this process.
func runningInstances(procRoot string) []int {
	dirs, _ := os.ReadDir(procRoot)
	var pids []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join(procRoot, d.Name(), "cmdline"))
		if err != nil {
			continue
		}
		args := bytes.Split(bytes.TrimRight(cmdline, "\x00"), []byte{0})
		if len(args) >= 2 && filepath.Base(string(args[0])) == "cattease" && string(args[1]) == "run" {
			pids = append(pids, pid)
		}
	}
	return pids
}

// stopRunning puts every running instance into emergency stop (SIGUSR1):
// it keeps the laser off and refuses every command until a moderator's
// resume or the panel. It returns how many it signalled.
func stopRunning(procRoot string) int {
	n := 0
	for _, pid := range runningInstances(procRoot) {
		if syscall.Kill(pid, syscall.SIGUSR1) == nil {
			n++
		}
	}
	return n
}
