// Package mock is the dry-run driver: an Actuator that drives nothing, logs
// what it would have done, and remembers it, so a streamer can try rules on
// a laptop and see exactly what the Pi would have been told.
//
// It accepts exactly what a real driver of the same kind accepts (angles
// and detach for an axis, switch for a switch) and honours Halt the same
// way, so a config that works in --dry-run works on the Pi. An axis given
// its servo calibration (Calibrate) also takes raw pulses, as the servo
// drivers do for `cattease jog --pulse`, within the same bounds.
package mock

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/servo"
)

// Limits are the calibrated range of a mock axis, in degrees. The zero value
// means ±180°.
type Limits struct{ Min, Max float64 }

// Actuator is a mock output. Safe for concurrent use.
type Actuator struct {
	name   string
	kind   actuators.Kind
	limits Limits
	log    *slog.Logger

	mu       sync.Mutex
	cal      *servo.Calibration // set by Calibrate: raw pulses allowed
	angle    float64
	pulse    time.Duration // the raw pulse SetPulse last output; 0 after anything else
	attached bool
	on       bool
	halts    int
	history  []actuators.Command
}

// MaxHistory caps how many commands an Actuator remembers, so a mock left
// running for hours does not grow without bound. The oldest are dropped.
const MaxHistory = 4096

// New returns a mock output. log may be nil. For an axis, limits bounds the
// angles it accepts, like a real servo's calibration.
func New(name string, kind actuators.Kind, limits Limits, log *slog.Logger) *Actuator {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if limits == (Limits{}) {
		limits = Limits{Min: -180, Max: 180}
	}
	return &Actuator{name: name, kind: kind, limits: limits, log: log}
}

// Calibrate makes an axis the mock of a servo with calibration c, as the
// servo drivers are built from it: from then on it accepts the angles c
// maps to a pulse (c.Range), and raw pulses through SetPulse within
// c.JogRange, exactly as pca9685 and sysfspwm do. It returns an error,
// and changes nothing, for a switch or an invalid calibration.
func (a *Actuator) Calibrate(c servo.Calibration) error {
	if a.kind != actuators.KindAxis {
		return fmt.Errorf("mock: %s: a calibration on a %s: %w", a.name, a.kind, actuators.ErrUnsupported)
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("mock: %s: %w", a.name, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	lo, hi := c.Range()
	a.cal, a.limits = &c, Limits{Min: lo, Max: hi}
	return nil
}

// SetPulse outputs a raw pulse width, as the servo drivers do for
// `cattease jog AXIS --pulse US` (it implements servo.Jogger): only on a
// calibrated axis (Calibrate), and only within the calibration's JogRange;
// anything else is refused and changes nothing. The servo is then
// attached; State reports the pulse and, if the pulse lies within the
// calibration, the angle it stands for. History records commands only, so
// it does not show raw pulses.
func (a *Actuator) SetPulse(ctx context.Context, p time.Duration) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mock: %s: %w", a.name, err)
	}
	if a.kind != actuators.KindAxis {
		return fmt.Errorf("mock: %s: a raw pulse on a %s: %w", a.name, a.kind, actuators.ErrUnsupported)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cal == nil {
		return fmt.Errorf("mock: %s: raw pulses need the axis's servo calibration: %w", a.name, actuators.ErrUnsupported)
	}
	if err := a.cal.CheckJogPulse(p); err != nil {
		return fmt.Errorf("mock: %s: %w", a.name, err)
	}
	if deg, err := a.cal.Angle(p); err == nil {
		a.angle = deg
	}
	a.pulse, a.attached = p, true
	a.log.Debug("mock output", "output", a.name, "action", "pulse", "value", p)
	return nil
}

// Do records c after checking it as a real driver would.
func (a *Actuator) Do(ctx context.Context, c actuators.Command) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mock: %s: %w", a.name, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.check(c); err != nil {
		return err
	}
	switch c.Action {
	case actuators.ActionAngle:
		a.angle, a.pulse, a.attached = c.Value, 0, true
	case actuators.ActionDetach:
		a.pulse, a.attached = 0, false
	case actuators.ActionSwitch:
		a.on = c.Value != 0
	}
	a.remember(c)
	a.log.Debug("mock output", "output", a.name, "action", string(c.Action), "value", c.Value)
	return nil
}

// check refuses what the real driver would refuse. Callers hold a.mu.
func (a *Actuator) check(c actuators.Command) error {
	switch {
	case a.kind == actuators.KindAxis && (c.Action == actuators.ActionAngle || c.Action == actuators.ActionDetach):
	case a.kind == actuators.KindSwitch && c.Action == actuators.ActionSwitch:
	default:
		return fmt.Errorf("mock: %s: %s on %s: %w", a.name, c.Action, a.kind, actuators.ErrUnsupported)
	}
	bad := math.IsNaN(c.Value) || math.IsInf(c.Value, 0)
	if c.Action == actuators.ActionAngle && (bad || c.Value < a.limits.Min || c.Value > a.limits.Max) {
		return fmt.Errorf("mock: %s: angle %g outside [%g, %g]: %w", a.name, c.Value, a.limits.Min, a.limits.Max, actuators.ErrOutOfRange)
	}
	if c.Action == actuators.ActionSwitch && c.Value != 0 && c.Value != 1 {
		return fmt.Errorf("mock: %s: switch value %g: %w", a.name, c.Value, actuators.ErrOutOfRange)
	}
	return nil
}

func (a *Actuator) remember(c actuators.Command) {
	if len(a.history) >= MaxHistory {
		n := copy(a.history, a.history[len(a.history)/2:])
		a.history = a.history[:n]
	}
	a.history = append(a.history, c)
}

// Halt switches off and detaches. Idempotent.
func (a *Actuator) Halt() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.on, a.attached, a.pulse = false, false, 0
	a.halts++
	a.log.Debug("mock halt", "output", a.name)
	return nil
}

func (a *Actuator) String() string { return "mock:" + a.name }

// State is a snapshot of what the output is doing.
type State struct {
	Angle    float64       // last commanded angle (axes), or the one a raw pulse stands for
	Pulse    time.Duration // the raw pulse being output (SetPulse); 0 after an angle, a detach or Halt
	Attached bool          // pulses running (axes)
	On       bool          // switch state
	Halts    int           // how many times Halt was called
}

// State returns the current state.
func (a *Actuator) State() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return State{Angle: a.angle, Pulse: a.pulse, Attached: a.attached, On: a.on, Halts: a.halts}
}

// History returns a copy of the commands received, oldest first (at most
// MaxHistory of the most recent).
func (a *Actuator) History() []actuators.Command {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]actuators.Command(nil), a.history...)
}

var (
	_ actuators.Actuator = (*Actuator)(nil)
	_ servo.Jogger       = (*Actuator)(nil)
)
