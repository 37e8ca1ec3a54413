package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Whoever opens the servo hardware locks the device it drives (flock on
// the I²C bus's device node, or on the kernel PWM's sysfs directory) for
// as long as it holds it. The pid file keeps apart two instances with the
// same rules and state directory only; the service runs with
// /var/lib/cattease, and a jog or a run typed in a shell has its own state
// directory and maybe its own copy of the rules. Opened beneath a running
// motion loop, the servo board would be initialised again and driven by
// two masters; on a rig without a GPIO switch nothing else would stop it.
// The device is what they share, whatever user, state directory or
// sandbox (the service's ProtectProc hides other users' processes), and
// the lock goes with the last descriptor, however the process ends.
// `cattease halt` takes no lock: it must reach the hardware under a
// running instance.

// lockDevice takes an exclusive lock on path for as long as release is
// not called. A path that does not exist (or "") is not locked: the
// driver then says what is missing.
func lockDevice(path string) (release func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return func() error { return nil }, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cattease: lock %s: %w", path, err)
	}
	if err := tryLock(f, true); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("cattease: the servos' %s is in use by another cattease (the service: sudo systemctl stop cattease; or a jog or run in another shell): stop it first", path)
		}
		return nil, fmt.Errorf("cattease: lock %s: %w", path, err)
	}
	return f.Close, nil
}

// i2cDevice is the device node of an I²C bus named as pihost.OpenI2C
// takes it ("1", "I2C1", "/dev/i2c-1"), or "" for a name it cannot tell.
func i2cDevice(bus string) string {
	switch {
	case strings.HasPrefix(bus, "/dev/"):
		return bus
	case strings.HasPrefix(strings.ToUpper(bus), "I2C"):
		bus = bus[3:]
	}
	if bus == "" || strings.Trim(bus, "0123456789") != "" {
		return ""
	}
	return "/dev/i2c-" + bus
}
