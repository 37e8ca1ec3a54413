package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cattease/cattease/control/config"
)

// The pid file keeps two instances with the same rules and the same state
// directory apart. The hardware needs more: the service runs with
// /var/lib/cattease and /etc/cattease/rules.yaml, while a `jog` or a `run`
// typed in a shell (sudo, or sudo -u cattease with another HOME) has its
// own state directory, and maybe its own copy of the rules. Opened beneath
// a running motion loop, the servo board would be initialised again and
// driven by two masters; on a rig without a GPIO switch nothing else
// stops it. So before opening the hardware, a command looks for any
// other cattease run or agent on the machine that drives hardware.

// drivesHardware reports whether a command with these rules opens real
// drivers (not --dry-run, not driver: mock).
func drivesHardware(f *config.File, dryRun bool) bool {
	return !dryRun && f.Hardware.Driver != "mock"
}

// hardwareHolder returns the pid and command line of another cattease run
// or agent under procRoot that drives hardware (started without
// --dry-run), or 0. self is this process, which is never counted.
func hardwareHolder(procRoot string, self int) (int, string) {
	entries, err := os.ReadDir(procRoot)
	if err != nil {
		return 0, ""
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self || !isCatteaseRun(procRoot, pid) {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join(procRoot, e.Name(), "cmdline"))
		if err != nil {
			continue // gone meanwhile
		}
		args := strings.Split(string(bytes.TrimRight(cmdline, "\x00")), "\x00")
		if !dryRunArgs(args[2:]) {
			return pid, strings.Join(args, " ")
		}
	}
	return 0, ""
}

// dryRunArgs reports whether a run's or an agent's arguments ask for a
// dry run, in any of the forms the flag package takes. Flag values are
// not told from flags (that needs the flag set), so a --dry-run anywhere
// before "--" counts: a value spelt "--dry-run" is not a real case.
func dryRunArgs(args []string) bool {
	dry := false
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "dry-run" {
			continue
		}
		on, err := strconv.ParseBool(value)
		dry = !hasValue || err == nil && on
	}
	return dry
}

// errHardwareBusy is the refusal when another instance drives the hardware.
func errHardwareBusy(pid int, cmd string) error {
	return fmt.Errorf("cattease: another cattease drives the hardware (pid %d: %s); stop it first (the service: sudo systemctl stop cattease)", pid, cmd)
}
