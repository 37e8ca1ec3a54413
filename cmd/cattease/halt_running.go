package main

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/cattease/cattease/control/config"
)

// serviceStateDir is the state directory systemd gives the unit
// (StateDirectory=cattease): halt looks there too, so that an
// administrator's `sudo cattease halt -c /etc/cattease/rules.yaml` in a
// shell reaches the service.
const serviceStateDir = "/var/lib/cattease"

// stopInstance puts every `cattease run` that uses rulesPath into
// emergency stop (SIGUSR1): it keeps the laser off and refuses every
// command until a moderator's resume or the panel. It looks for the pid
// file in each of dirs (a dry run in root's own state directory and the
// service in /var/lib/cattease alike: the first found may not be the one
// with the hardware) and says what it did on out (problems on errw);
// other instances, with other configurations, are left alone. It returns
// how many it signalled.
func stopInstance(dirs []string, rulesPath, procRoot string, out, errw io.Writer) int {
	var sent []int
	for _, dir := range dirs {
		pid, err := findInstance(dir, rulesPath, procRoot)
		switch {
		case errors.Is(err, errStale):
			fmt.Fprintf(out, "ignoring a stale pid file in %s: no cattease runs with this configuration\n", dir)
			continue
		case err != nil:
			fmt.Fprintf(errw, "cattease: cannot tell whether an instance runs (%v); halting the hardware directly\n", err)
			continue
		case pid == 0 || slices.Contains(sent, pid):
			continue
		}
		if err := sendEmergencyStop(pid); err != nil {
			fmt.Fprintf(errw, "cattease: emergency stop to pid %d: %v\n", pid, err)
			continue
		}
		fmt.Fprintf(out, "emergency stop sent to cattease pid %d (resume with a moderator's resume command or the panel)\n", pid)
		sent = append(sent, pid)
	}
	return len(sent)
}

// haltStateDirs are where halt looks for the pid file: this process's
// state directory, then the service's.
func haltStateDirs() []string {
	var dirs []string
	if d, err := config.StateDir(); err == nil {
		dirs = append(dirs, d)
	}
	if !slices.Contains(dirs, serviceStateDir) {
		dirs = append(dirs, serviceStateDir)
	}
	return dirs
}
