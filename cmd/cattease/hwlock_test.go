package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/config"
)

// TestLockDevice: one holder at a time, whatever else differs (a device
// node or a sysfs directory alike); free again once released; a device
// that is not there is left to the driver to report.
func TestLockDevice(t *testing.T) {
	dir := t.TempDir()
	node := filepath.Join(dir, "i2c-1")
	if err := os.WriteFile(node, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{node, dir}
	if runtime.GOOS == "windows" { // a directory takes no lock there, and the devices are the Pi's
		paths = paths[:1]
	}
	for _, path := range paths {
		release, err := lockDevice(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lockDevice(path); err == nil || !strings.Contains(err.Error(), "the servos' "+path+" is in use by another cattease") {
			t.Fatalf("%s locked twice: %v", path, err)
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
		again, err := lockDevice(path)
		if err != nil {
			t.Fatalf("%s after release: %v", path, err)
		}
		again()
	}
	for _, path := range []string{"", filepath.Join(dir, "gone")} {
		if release, err := lockDevice(path); err != nil || release() != nil {
			t.Fatalf("%q: %v", path, err)
		}
	}
}

func TestI2CDevice(t *testing.T) {
	for bus, want := range map[string]string{
		"1": "/dev/i2c-1", "I2C1": "/dev/i2c-1", "i2c22": "/dev/i2c-22", "/dev/i2c-3": "/dev/i2c-3",
		"": "", "I2C": "", "bus one": "", "1a": "",
	} {
		if got := i2cDevice(bus); got != want {
			t.Errorf("%q: %q, want %q", bus, got, want)
		}
	}
}

// TestSecondHardwareOpenRefused: a jog or a run opening the servos while
// another process holds them (the service, with its own state directory
// and rules) is refused before anything is written to the hardware.
func TestSecondHardwareOpenRefused(t *testing.T) {
	root := t.TempDir() // stands for /sys/class/pwm
	held, err := lockDevice(root)
	if err != nil {
		t.Fatal(err)
	}
	defer held()
	f := &config.File{}
	f.Hardware.SysfsPWM.Root = root
	reg, h, err := registry(f, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	_, err = reg.Open("sysfspwm", actuators.Output{Name: "pan", Kind: actuators.KindAxis})
	if err == nil || !strings.Contains(err.Error(), "the servos' "+root+" is in use by another cattease") {
		t.Fatalf("a second process on the kernel PWM: %v", err)
	}
}
