package actuators

import (
	"context"
	"errors"
	"fmt"
)

// Kind is what sort of output an Actuator drives.
type Kind string

// The kinds of output.
const (
	// KindAxis is a positional servo: Commands carry angles in degrees.
	KindAxis Kind = "axis"
	// KindSwitch is an on/off output such as a laser module.
	KindSwitch Kind = "switch"
)

// Action is the verb of a Command.
type Action string

// The actions a driver understands.
const (
	// ActionAngle sets an axis to Value degrees (absolute, in the axis's own
	// frame; 0 is the calibrated centre). Starts pulses if detached.
	ActionAngle Action = "angle"
	// ActionDetach stops an axis's pulses so the servo rests and goes limp.
	ActionDetach Action = "detach"
	// ActionSwitch turns a switch on (Value 1) or off (Value 0).
	ActionSwitch Action = "switch"
)

// Command is one output step, already approved by the safety envelope.
type Command struct {
	Action Action
	// Value is degrees for ActionAngle and 0 or 1 for ActionSwitch.
	Value float64
}

func (c Command) String() string {
	return fmt.Sprintf("%s %g", c.Action, c.Value)
}

// Actuator drives one output.
type Actuator interface {
	// Do performs c. It returns ErrUnsupported for an action this kind of
	// output does not have and ErrOutOfRange for a value outside what the
	// driver was calibrated for; in both cases the output is unchanged.
	Do(ctx context.Context, c Command) error
	// Halt puts the output into its inert state: laser off, pulses
	// stopped. Idempotent and safe from any goroutine.
	Halt() error
	// String names the driver and output, e.g. "pca9685:ch0".
	String() string
}

// Sentinel errors that callers branch on with errors.Is.
var (
	// ErrUnsupported: the action does not apply to this output.
	ErrUnsupported = errors.New("actuators: unsupported action")
	// ErrOutOfRange: the value lies outside the output's calibrated range.
	ErrOutOfRange = errors.New("actuators: value out of range")
	// ErrHalted: the output was halted and refuses further commands.
	ErrHalted = errors.New("actuators: halted")
)

// HaltAll halts every actuator and returns every error joined. It keeps
// going after a failure: one broken output must not leave a laser on.
func HaltAll(acts ...Actuator) error {
	var errs []error
	for _, a := range acts {
		if a == nil {
			continue
		}
		if err := a.Halt(); err != nil {
			errs = append(errs, fmt.Errorf("actuators: halt %s: %w", a, err))
		}
	}
	return errors.Join(errs...)
}
