package main

import (
	"errors"
	"fmt"
	"os"
)

// Windows is the computer that runs OBS and reads chat, dry or driving a
// Raspberry Pi's `cattease agent` over MQTT (--rig): the servos, the
// laser's GPIO switch and `cattease halt` are the Pi's. There is no
// SIGUSR1 to stop an instance with, nor SIGHUP to reload one: a run ends
// with Ctrl-C, stops with a moderator's stop command or the panel's
// emergency stop, and reloads its rules when the file is saved.

// emergencySignals: none on Windows.
var emergencySignals []os.Signal

// errNoHaltHere is what halt, and the emergency stop it sends, say on
// Windows.
var errNoHaltHere = errors.New("cattease: halt switches off a Raspberry Pi's servos and laser and runs only there (Linux): sudo cattease halt -c /etc/cattease/rules.yaml on the Pi. Here on Windows no hardware is driven: end a run with Ctrl-C; a moderator's stop command or the panel's emergency stop stops the rig")

// sendEmergencyStop: no signal to send on Windows.
func sendEmergencyStop(int) error { return errNoHaltHere }

// haltHere says that halt has nothing to do on Windows.
func haltHere() error { return errNoHaltHere }

// hardwareHere refuses to drive real hardware on Windows, before anything
// is opened, with what to do instead: the drivers would only fail, each
// its own way (no GPIO, no I²C, no /sys/class/pwm).
func hardwareHere(hw haltPlan) error {
	if hw.none() {
		return nil
	}
	return fmt.Errorf("cattease: these rules drive real hardware (driver %s), which only a Raspberry Pi (Linux) can: on Windows add --dry-run (mock outputs, same limits), or run cattease agent on the Pi and drive it from here with --rig", hw.Driver)
}
