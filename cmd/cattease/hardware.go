package main

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"periph.io/x/conn/v3/gpio"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/gpioswitch"
	"github.com/cattease/cattease/actuators/pca9685"
	"github.com/cattease/cattease/actuators/pihost"
	"github.com/cattease/cattease/actuators/sysfspwm"
	"github.com/cattease/cattease/control/config"
)

// hw collects what was opened, so a failure half-way releases exactly
// that, in reverse order.
type hw struct {
	outs    map[string]actuators.Actuator
	closers []func() error
	pins    map[string]string // the real GPIO line → the switch on it
}

// claimPin refuses a second switch on one GPIO line, however its name was
// written (GPIO17, 17, an alias such as a header position): the second
// switch's "on" would drive the first, a treat dispenser's the laser.
func (h *hw) claimPin(name string, pin gpio.PinIO) error {
	if r, ok := pin.(gpio.RealPin); ok {
		pin = r.Real()
	}
	if h.pins == nil {
		h.pins = map[string]string{}
	}
	if other, ok := h.pins[pin.Name()]; ok {
		return fmt.Errorf("cattease: switches %q and %q are both on %s: one line cannot be two switches", other, name, pin.Name())
	}
	h.pins[pin.Name()] = name
	return nil
}

func (h *hw) open(reg *actuators.Registry, driver string, o actuators.Output) error {
	a, err := reg.Open(driver, o)
	if err != nil {
		if driver != "mock" {
			return fmt.Errorf("cattease: %w; to try without the hardware, add --dry-run (mock outputs, same limits)", err)
		}
		return fmt.Errorf("cattease: %w", err)
	}
	h.outs[o.Name] = a
	return nil
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

// registry names every driver cattease has. The real ones open the bus or
// pins they need on first use and register how to release them with h;
// cmd owns the hardware and the drivers borrow it.
func registry(f *config.File, log *slog.Logger) (*actuators.Registry, *hw, error) {
	h := &hw{outs: map[string]actuators.Actuator{}}
	reg := &actuators.Registry{}
	hwc := f.Hardware
	board := sync.OnceValues(func() (*pca9685.Board, error) {
		if err := initPeriph(log); err != nil {
			return nil, err
		}
		unlock, err := lockDevice(i2cDevice(hwc.PCA9685.I2CBus))
		if err != nil {
			return nil, err
		}
		h.closers = append(h.closers, unlock) // closed last
		bus, err := pihost.OpenI2C(hwc.PCA9685.I2CBus)
		if err != nil {
			return nil, fmt.Errorf("pca9685: %w", err)
		}
		h.closers = append(h.closers, bus.Close)
		b, err := pca9685.Open(bus, uint16(hwc.PCA9685.Address), int64(hwc.PCA9685.Oscillator))
		if err != nil {
			return nil, fmt.Errorf("pca9685: %w", err)
		}
		h.closers = append(h.closers, b.AllOff)
		return b, nil
	})
	pwmLock := sync.OnceValue(func() error {
		unlock, err := lockDevice(hwc.SysfsPWM.Root)
		if err == nil {
			h.closers = append(h.closers, unlock) // closed after every channel
		}
		return err
	})
	err := errors.Join(
		reg.Register("mock", mockFactory(f, log)),
		reg.Register("gpio", func(o actuators.Output) (actuators.Actuator, error) {
			if err := initPeriph(log); err != nil {
				return nil, err
			}
			sw := hwc.Switches[o.Name]
			pin, err := pihost.Pin(sw.Pin)
			if err != nil {
				return nil, err
			}
			if err := h.claimPin(o.Name, pin); err != nil {
				return nil, err
			}
			s, err := gpioswitch.New(o.Name, pin, sw.ActiveLow)
			if err != nil {
				return nil, err
			}
			return s, nil
		}),
		reg.Register("pca9685", func(o actuators.Output) (actuators.Actuator, error) {
			b, err := board()
			if err != nil {
				return nil, err
			}
			a := hwc.Axes[o.Name]
			s, err := b.Servo(o.Name, a.Servo.Channel, a.Calibration())
			if err != nil {
				return nil, err
			}
			return s, nil
		}),
		reg.Register("sysfspwm", func(o actuators.Output) (actuators.Actuator, error) {
			if err := pwmLock(); err != nil {
				return nil, err
			}
			a := hwc.Axes[o.Name]
			s, err := sysfspwm.Open(hwc.SysfsPWM.Root, hwc.SysfsPWM.Chip, a.Servo.Channel, o.Name, a.Calibration())
			if err != nil {
				return nil, err
			}
			h.closers = append(h.closers, s.Close)
			return s, nil
		}),
	)
	return reg, h, err
}

var initOnce sync.Once

// initPeriph initialises periph's GPIO and I²C drivers once and logs what
// loaded.
func initPeriph(log *slog.Logger) error {
	st, err := pihost.Init()
	if err != nil {
		return fmt.Errorf("hardware: %w (use --dry-run on a machine without GPIO)", err)
	}
	initOnce.Do(func() { log.Info("periph drivers", "state", pihost.Summary(st)) })
	return nil
}
