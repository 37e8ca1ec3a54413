//go:build unix

package main

import (
	"os"
	"syscall"
)

// emergencySignals are what `cattease halt` sends a running instance to
// stop it (emergencyStops).
var emergencySignals = []os.Signal{syscall.SIGUSR1}

// sendEmergencyStop sends pid the emergency stop.
func sendEmergencyStop(pid int) error {
	return syscall.Kill(pid, syscall.SIGUSR1)
}

// haltHere says whether `cattease halt` can work on this system: it can
// wherever the hardware drivers can.
func haltHere() error { return nil }

// hardwareHere says whether this system can drive the hardware in hw.
// It can (and the drivers say what is missing).
func hardwareHere(haltPlan) error { return nil }
