package safety

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
)

// DefaultTick is the motion loop period: 50 Hz, the servo frame rate.
const DefaultTick = 20 * time.Millisecond

// Config describes every output the envelope guards.
type Config struct {
	Tick     time.Duration // default DefaultTick
	Axes     []AxisLimits
	Switches []SwitchLimits
	// DeadMan: with no request for this long, every switch goes off and
	// every axis goes home (and then detaches). 0 disables it.
	DeadMan time.Duration
	// OnOutput, if set, is called (under the envelope's lock; keep it
	// short and never call back into the Envelope) for every output sent
	// to a driver.
	OnOutput func(Output)
	Log      *slog.Logger
}

// Output is one step that passed the envelope and went to a driver.
type Output struct {
	Time   time.Time
	Target string
	Action actuators.Action
	Value  float64
	Err    error // the driver's error, if it failed
}

// Envelope guards a set of outputs. Build it with New; drive it with Run
// (real time) or Step (virtual time).
type Envelope struct {
	cfg  Config
	outs map[string]actuators.Actuator
	log  *slog.Logger

	mu       sync.Mutex
	axes     map[string]*axis
	switches map[string]*switchState
	order    []string // axis names, then switch names, sorted: a stable output order
	started  bool
	stopped  bool // emergency stop until Resume
	lastReq  time.Time
	parked   bool // the dead man has parked everything
	faults   uint64
}

// New checks cfg and pairs each configured output with its actuator. It
// starts nothing.
func New(cfg Config, outs map[string]actuators.Actuator) (*Envelope, error) {
	if cfg.Tick <= 0 {
		cfg.Tick = DefaultTick
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	e := &Envelope{cfg: cfg, outs: outs, log: cfg.Log,
		axes: map[string]*axis{}, switches: map[string]*switchState{}}
	var errs []error
	for _, a := range cfg.Axes {
		errs = append(errs, e.addAxis(a))
	}
	for _, s := range cfg.Switches {
		errs = append(errs, e.addSwitch(s))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.Strings(e.order)
	return e, nil
}

func (e *Envelope) addAxis(a AxisLimits) error {
	switch {
	case e.outs[a.Name] == nil:
		return fmt.Errorf("safety: axis %q has no actuator", a.Name)
	case e.taken(a.Name):
		return fmt.Errorf("safety: output %q configured twice", a.Name)
	case !(a.Min < a.Max) || a.Home < a.Min || a.Home > a.Max:
		return fmt.Errorf("safety: axis %q: need min < max and home within them", a.Name)
	case !(a.Speed > 0) || a.Accel < 0:
		return fmt.Errorf("safety: axis %q: speed must be > 0 and accel ≥ 0", a.Name)
	}
	e.axes[a.Name] = &axis{AxisLimits: a, pos: a.Home, target: a.Home}
	e.order = append(e.order, a.Name)
	return nil
}

func (e *Envelope) addSwitch(s SwitchLimits) error {
	switch {
	case e.outs[s.Name] == nil:
		return fmt.Errorf("safety: switch %q has no actuator", s.Name)
	case e.taken(s.Name):
		return fmt.Errorf("safety: output %q configured twice", s.Name)
	case s.MaxOn <= 0 || s.Cooldown < 0:
		return fmt.Errorf("safety: switch %q: max on-time must be > 0", s.Name)
	}
	e.switches[s.Name] = &switchState{SwitchLimits: s}
	e.order = append(e.order, s.Name)
	return nil
}

func (e *Envelope) taken(name string) bool {
	_, a := e.axes[name]
	_, s := e.switches[name]
	return a || s
}

// Tick returns the motion loop period.
func (e *Envelope) Tick() time.Duration { return e.cfg.Tick }

// Halt switches every switch off and stops every axis's pulses, straight at
// the drivers, without waiting for the motion loop. Idempotent.
func (e *Envelope) Halt() error {
	acts := make([]actuators.Actuator, 0, len(e.outs))
	for _, name := range e.order { // switches first would be nicer; all are fast
		acts = append(acts, e.outs[name])
	}
	return actuators.HaltAll(acts...)
}

// do sends one command to a driver and reports it. Caller holds e.mu.
func (e *Envelope) do(ctx context.Context, now time.Time, name string, c actuators.Command) error {
	err := e.outs[name].Do(ctx, c)
	if err != nil {
		e.faults++
		e.log.Warn("driver write failed", "output", name, "cmd", c.String(), "err", err)
	}
	if e.cfg.OnOutput != nil {
		e.cfg.OnOutput(Output{Time: now, Target: name, Action: c.Action, Value: c.Value, Err: err})
	}
	return err
}
