package main

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/gpioswitch"
	"github.com/cattease/cattease/actuators/pca9685"
	"github.com/cattease/cattease/actuators/pihost"
	"github.com/cattease/cattease/actuators/sysfspwm"
	"github.com/cattease/cattease/control/config"
)

// hw collects what openHardware opened, so a failure half-way releases
// exactly that, in reverse order.
type hw struct {
	outs    map[string]actuators.Actuator
	closers []func() error
}

func (h *hw) close() error {
	var errs []error
	for i := len(h.closers) - 1; i >= 0; i-- {
		errs = append(errs, h.closers[i]())
	}
	h.closers = nil
	return errors.Join(errs...)
}

func (h *hw) fail(err error) (map[string]actuators.Actuator, func() error, error) {
	acts := make([]actuators.Actuator, 0, len(h.outs))
	for _, a := range h.outs {
		acts = append(acts, a)
	}
	return nil, nil, errors.Join(err, actuators.HaltAll(acts...), h.close())
}

// openHardware opens the real drivers named in the config: switches first,
// so the laser is driven off before any servo moves.
var openHardware = func(f *config.File, log *slog.Logger) (map[string]actuators.Actuator, func() error, error) {
	st, err := pihost.Init()
	if err != nil {
		return nil, nil, fmt.Errorf("cattease: hardware: %w (use --dry-run on a machine without GPIO)", err)
	}
	log.Info("periph drivers", "state", pihost.Summary(st))
	h := &hw{outs: map[string]actuators.Actuator{}}
	for _, name := range sortedKeys(f.Hardware.Switches) {
		sw := f.Hardware.Switches[name]
		pin, err := pihost.Pin(sw.Pin)
		if err != nil {
			return h.fail(fmt.Errorf("cattease: switch %s: %w", name, err))
		}
		s, err := gpioswitch.New(name, pin, sw.ActiveLow)
		if err != nil {
			return h.fail(fmt.Errorf("cattease: switch %s: %w", name, err))
		}
		h.outs[name] = s
	}
	if err := openServos(f, h, sortedKeys(f.Hardware.Axes)); err != nil {
		return h.fail(err)
	}
	return h.outs, h.close, nil
}

// openServos opens the named axes with the configured servo driver.
func openServos(f *config.File, h *hw, names []string) error {
	hwc := f.Hardware
	switch hwc.Driver {
	case "pca9685":
		bus, err := pihost.OpenI2C(hwc.PCA9685.I2CBus)
		if err != nil {
			return fmt.Errorf("cattease: pca9685: %w", err)
		}
		h.closers = append(h.closers, bus.Close)
		b, err := pca9685.Open(bus, uint16(hwc.PCA9685.Address), int64(hwc.PCA9685.Oscillator))
		if err != nil {
			return fmt.Errorf("cattease: pca9685: %w", err)
		}
		h.closers = append(h.closers, b.AllOff)
		for _, name := range names {
			a := hwc.Axes[name]
			s, err := b.Servo(name, a.Servo.Channel, a.Calibration())
			if err != nil {
				return fmt.Errorf("cattease: axis %s: %w", name, err)
			}
			h.outs[name] = s
		}
	case "sysfspwm":
		for _, name := range names {
			a := hwc.Axes[name]
			s, err := sysfspwm.Open(hwc.SysfsPWM.Root, hwc.SysfsPWM.Chip, a.Servo.Channel, name, a.Calibration())
			if err != nil {
				return fmt.Errorf("cattease: axis %s: %w", name, err)
			}
			h.outs[name] = s
			h.closers = append(h.closers, s.Close)
		}
	default:
		return fmt.Errorf("cattease: unknown servo driver %q", hwc.Driver)
	}
	return nil
}
