package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/cattease/cattease/actuators/gpioswitch"
	"github.com/cattease/cattease/actuators/pca9685"
	"github.com/cattease/cattease/actuators/pihost"
	"github.com/cattease/cattease/actuators/sysfspwm"
	"github.com/cattease/cattease/control/config"
)

// cmdHalt puts the running instance that uses the same rules file (found
// by its pid file in the state directory) into emergency stop, then switches
// every configured output off from this fresh process: every
// switch driven to its inactive level first, then every servo's pulses
// stopped (the PCA9685's all-off register, or each kernel PWM disabled).
// systemd runs it after the service stops (ExecStopPost), whatever killed
// the service, so it reads only the hardware section and carries on past
// each failure. A person's halt with no instance running (the service
// between a crash and its restart, say) switches the outputs off but keeps
// nothing stopped, and says so.
func cmdHalt(_ context.Context, args []string, s stdio) int {
	fs, path := newFlags("halt", s)
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	pid := stopInstance(haltStateDirs(), *path, "/proc", s.out, s.err)
	f, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(s.err, "cattease: rules do not load; halting with the hardware section alone:", err)
		if f, err = config.LoadHardware(*path); err != nil {
			fmt.Fprintln(s.err, "cattease:", err)
			return 1
		}
	}
	if f.Hardware.Driver == "mock" {
		fmt.Fprintln(s.out, "driver: mock; no hardware to halt")
		return 0
	}
	err = haltHardware(f)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	fmt.Fprintf(s.out, "halted %d switch(es) and %d axis/axes\n", len(f.Hardware.Switches), len(f.Hardware.Axes))
	// systemd sets SERVICE_RESULT for ExecStopPost, which runs after every
	// stop of the service: no person to warn there.
	if pid == 0 && os.Getenv("SERVICE_RESULT") == "" {
		fmt.Fprintln(s.out, "no running cattease with this configuration was reached, so nothing keeps the outputs off: a service restarting after a crash starts again and plays; to keep it off: sudo systemctl stop cattease")
	}
	return 0
}

func haltHardware(f *config.File) error {
	if err := initPeriph(slog.New(slog.DiscardHandler)); err != nil {
		return fmt.Errorf("cattease: halt: %w", err)
	}
	var errs []error
	for _, name := range sortedKeys(f.Hardware.Switches) {
		errs = append(errs, haltSwitch(name, f.Hardware.Switches[name]))
	}
	hwc := f.Hardware
	switch hwc.Driver {
	case "pca9685":
		bus, err := pihost.OpenI2C(hwc.PCA9685.I2CBus)
		if err != nil {
			errs = append(errs, fmt.Errorf("cattease: halt pca9685: %w", err))
			break
		}
		errs = append(errs, pca9685.EmergencyStop(bus, uint16(hwc.PCA9685.Address)), bus.Close())
	case "sysfspwm":
		for _, name := range sortedKeys(hwc.Axes) {
			errs = append(errs, sysfspwm.Stop(hwc.SysfsPWM.Root, hwc.SysfsPWM.Chip, hwc.Axes[name].Servo.Channel))
		}
	}
	return errors.Join(errs...)
}

func haltSwitch(name string, sw config.Switch) error {
	pin, err := pihost.Pin(sw.Pin)
	if err != nil {
		return fmt.Errorf("cattease: halt %s: %w", name, err)
	}
	s, err := gpioswitch.New(name, pin, sw.ActiveLow) // drives the inactive level at once
	if err != nil {
		return fmt.Errorf("cattease: halt %s: %w", name, err)
	}
	return s.Halt()
}
