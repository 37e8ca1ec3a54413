// Package gpioswitch drives on/off outputs (a laser module, a treat
// dispenser's relay) from one GPIO pin through periph's gpio.PinOut; on a
// Pi that is a gpioioctl character-device line from actuators/pihost.
//
// A Switch is an actuators.Actuator of kind switch: ActionSwitch 1 drives
// the active level, 0 and Halt the inactive one. New drives the inactive
// level straight away, so an output is off from the moment it exists.
//
// Wire a laser active-high (the pin drives an NPN transistor or logic-level
// MOSFET, with a pull-down on the base/gate) on a pin that is pulled low at
// boot: GPIO17, 22 or 27. With active-low wiring the output is on while the
// pin floats or is low: at boot, and for an instant when the kernel first
// hands the line to us (gpioioctl requests the line as an output before it
// sets the level). See docs/hardware.md.
package gpioswitch

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"periph.io/x/conn/v3/gpio"

	"github.com/cattease/cattease/actuators"
)

// Switch is one on/off output. Safe for concurrent use, Halt included.
// After Halt, ActionSwitch 1 turns it on again, like the mock: refusing
// further commands is the safety envelope's job.
type Switch struct {
	name      string
	pin       gpio.PinOut
	activeLow bool

	mu sync.Mutex
	on bool
}

// New returns a switch on pin and drives the pin to its inactive level
// (low, or high if activeLow). The pin is borrowed: New never closes it.
func New(name string, pin gpio.PinOut, activeLow bool) (*Switch, error) {
	if pin == nil {
		return nil, fmt.Errorf("gpioswitch: %s: no pin", name)
	}
	if t := reflect.TypeOf(pin); t.Kind() == reflect.Pointer && t.Elem().PkgPath() == "periph.io/x/devices/v3/pca9685" {
		// periph's PCA9685 pin ignores the level in Out and panics (divide
		// by zero); it would switch the channel fully on otherwise. A laser
		// must not be on a PWM chip anyway: it keeps its output if we die.
		return nil, fmt.Errorf("gpioswitch: %s: %s is a PCA9685 channel; use a GPIO pin", name, pin)
	}
	s := &Switch{name: name, pin: pin, activeLow: activeLow}
	if err := s.drive(false); err != nil {
		return nil, err
	}
	return s, nil
}

// level is the pin level for on.
func (s *Switch) level(on bool) gpio.Level {
	return gpio.Level(on != s.activeLow)
}

// drive sets the output, turning a panicking pin driver into an error.
// The caller holds s.mu, or s is not shared yet.
func (s *Switch) drive(on bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: pin driver panicked: %v", s, r)
		}
	}()
	if err := s.pin.Out(s.level(on)); err != nil {
		return fmt.Errorf("%s: set %s %s: %w", s, s.pin, s.level(on), err)
	}
	s.on = on
	return nil
}

// Do implements actuators.Actuator: ActionSwitch with Value 0 or 1.
func (s *Switch) Do(ctx context.Context, c actuators.Command) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	if c.Action != actuators.ActionSwitch {
		return fmt.Errorf("%s: %q on a switch: %w", s, c.Action, actuators.ErrUnsupported)
	}
	if c.Value != 0 && c.Value != 1 { // NaN fails both
		return fmt.Errorf("%s: switch value %v, want 0 or 1: %w", s, c.Value, actuators.ErrOutOfRange)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.drive(c.Value == 1)
}

// Halt drives the inactive level. It always writes the pin, whatever the
// switch believes, and is idempotent.
func (s *Switch) Halt() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.drive(false)
	if err != nil {
		s.on = true // unknown: assume the worst
	}
	return err
}

// On reports whether the output was last driven to its active level.
func (s *Switch) On() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.on
}

func (s *Switch) String() string {
	if s.activeLow {
		return fmt.Sprintf("gpio:%s(active-low):%s", s.pin.Name(), s.name)
	}
	return fmt.Sprintf("gpio:%s:%s", s.pin.Name(), s.name)
}

var _ actuators.Actuator = (*Switch)(nil)
