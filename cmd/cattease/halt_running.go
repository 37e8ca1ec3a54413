package main

import (
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
// with the hardware), and at every other pid file there for a run started
// through the same path, or on hardware the rules name, when a symlink
// on the way has since been moved to other rules (instancesIn). It says
// what it did on out (problems on errw); other instances, with other
// configurations and hardware, are left alone. It returns how many it
// signalled.
func stopInstance(dirs []string, rulesPath, procRoot string, out, errw io.Writer) int {
	var sent []int
	now, _, _, _ := rulesHardware(rulesPath)
	for _, dir := range dirs {
		for _, in := range instancesIn(dir, rulesPath, now, procRoot, out, errw) {
			if slices.Contains(sent, in.pid) {
				continue
			}
			if err := sendEmergencyStop(in.pid); err != nil {
				fmt.Fprintf(errw, "cattease: emergency stop to pid %d: %v\n", in.pid, err)
				continue
			}
			fmt.Fprintf(out, "emergency stop sent to cattease pid %d (resume with a moderator's resume command or the panel)\n", in.pid)
			sent = append(sent, in.pid)
		}
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
