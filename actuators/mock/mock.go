// Package mock is the dry-run driver: an Actuator that drives nothing, logs
// what it would have done, and remembers it, so a streamer can try rules on
// a laptop and see exactly what the Pi would have been told.
//
// It accepts exactly what a real driver of the same kind accepts (angles
// and detach for an axis, switch for a switch) and honours Halt the same
// way, so a config that works in --dry-run works on the Pi.
package mock

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"

	"github.com/cattease/cattease/actuators"
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
	angle    float64
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

// Do records c after checking it as a real driver would.
func (a *Actuator) Do(ctx context.Context, c actuators.Command) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mock: %s: %w", a.name, err)
	}
	if err := a.check(c); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	switch c.Action {
	case actuators.ActionAngle:
		a.angle, a.attached = c.Value, true
	case actuators.ActionDetach:
		a.attached = false
	case actuators.ActionSwitch:
		a.on = c.Value != 0
	}
	a.remember(c)
	a.log.Debug("mock output", "output", a.name, "action", string(c.Action), "value", c.Value)
	return nil
}

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
	a.on, a.attached = false, false
	a.halts++
	a.log.Debug("mock halt", "output", a.name)
	return nil
}

func (a *Actuator) String() string { return "mock:" + a.name }

// State is a snapshot of what the output is doing.
type State struct {
	Angle    float64 // last commanded angle (axes)
	Attached bool    // pulses running (axes)
	On       bool    // switch state
	Halts    int     // how many times Halt was called
}

// State returns the current state.
func (a *Actuator) State() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return State{Angle: a.angle, Attached: a.attached, On: a.on, Halts: a.halts}
}

// History returns a copy of the commands received, oldest first (at most
// MaxHistory of the most recent).
func (a *Actuator) History() []actuators.Command {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]actuators.Command(nil), a.history...)
}

var _ actuators.Actuator = (*Actuator)(nil)
