package safety

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"
)

// watchdog fires when the motion loop has not stepped for cfg.Watchdog:
// it switches every switch off straight at the drivers, from its own
// goroutine, without the envelope's lock (which the stalled loop may
// hold), and tells the next Step to resynchronise.
func (e *Envelope) watchdog() {
	e.stalled.Store(true)
	for _, name := range e.order {
		if _, isSwitch := e.cfg.switchNamed(name); isSwitch {
			if err := e.outs[name].Halt(); err != nil {
				e.log.Error("watchdog: halt failed", "output", name, "err", err)
			}
		}
	}
	e.log.Error("watchdog: motion loop stalled; switches off", "after", e.cfg.Watchdog)
}

// AxisState is a snapshot of one axis.
type AxisState struct {
	Name     string  `json:"name"`
	Pos      float64 `json:"pos"`
	Target   float64 `json:"target"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Home     float64 `json:"home"`
	Attached bool    `json:"attached"`
}

// SwitchState is a snapshot of one switch.
type SwitchState struct {
	Name      string    `json:"name"`
	On        bool      `json:"on"`
	OffAt     time.Time `json:"off_at,omitzero"`     // when the current on-period ends
	RestUntil time.Time `json:"rest_until,omitzero"` // cooldown end
	Disabled  bool      `json:"disabled,omitempty"`  // the panel forbade it
}

// State is a snapshot of the whole envelope.
type State struct {
	Axes     []AxisState   `json:"axes"`
	Switches []SwitchState `json:"switches"`
	Stopped  bool          `json:"stopped"`
	Parked   bool          `json:"parked"` // the dead man parked the rig
	Faults   uint64        `json:"faults"` // driver write errors so far
	// Geometry, for drawing the floor map: pan is left/right, tilt is
	// near/far; the lit dot stays below Ceiling and out of Zones.
	PanAxis  string  `json:"pan_axis,omitempty"`
	TiltAxis string  `json:"tilt_axis,omitempty"`
	Ceiling  float64 `json:"ceiling,omitempty"`
	Zones    []Zone  `json:"zones,omitempty"`
	Session  Session `json:"session"`
	// Counts holds every clamp, refusal and safety action so far by reason
	// ("clamped", "keep_out", "resting", "dwell_blank", "dead_man", ...).
	Counts map[string]uint64 `json:"counts"`
}

// Session is where the rig is in its play rhythm.
type Session struct {
	// Phase is "play" (chat may play), "rest" (a break between sessions),
	// "quiet" (quiet hours) or "off" (sessions not configured: always play).
	Phase string `json:"phase"`
	// Until is when the phase ends, if it ends by the clock.
	Until time.Time `json:"until,omitzero"`
	// Autoplay is true while idle patterns are playing.
	Autoplay bool `json:"autoplay"`
	// LaserToday and LaserBudget are the day's laser on-time so far and
	// its cap (0 = no daily cap).
	LaserToday  time.Duration `json:"laser_today_ns"`
	LaserBudget time.Duration `json:"laser_budget_ns"`
}

// Snapshot returns the current state, outputs in name order.
func (e *Envelope) Snapshot() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	clock := e.lastStep // the envelope's own clock; before the first Step, the wall clock
	if clock.IsZero() {
		clock = time.Now()
	}
	ph, until := e.phase(clock)
	st := State{Stopped: e.stopped, Parked: e.parked, Faults: e.faults,
		PanAxis: e.cfg.PanAxis, TiltAxis: e.cfg.TiltAxis, Zones: e.cfg.Zones,
		Session: Session{Phase: ph, Until: until, Autoplay: e.auto.active,
			LaserToday: e.ledger.Laser, LaserBudget: e.cfg.DailyLaser},
		Counts: maps.Clone(e.counts)}
	if e.cfg.Ceiling != nil {
		st.Ceiling = *e.cfg.Ceiling
	}
	for _, name := range e.order {
		if a, ok := e.axes[name]; ok {
			st.Axes = append(st.Axes, AxisState{Name: name, Pos: a.pos, Target: a.target,
				Min: a.Min, Max: a.Max, Home: a.Home, Attached: a.attached})
		}
		if s, ok := e.switches[name]; ok {
			ss := SwitchState{Name: name, On: s.on, RestUntil: s.restUntil, Disabled: s.disabled}
			if s.on {
				ss.OffAt = s.deadline()
			}
			st.Switches = append(st.Switches, ss)
		}
	}
	return st
}

// ParkTimeout bounds how long Run spends parking at home on the way out.
const ParkTimeout = 2 * time.Second

// Run steps the envelope every Tick in real time until ctx is done. Then
// it switches every switch off, brings the axes home within their limits
// (for at most ParkTimeout), halts every output and saves the laser
// account. A panic inside a driver is recovered, every output is halted at
// once (no parking), and the panic is returned as an error.
func (e *Envelope) Run(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("safety: motion loop panicked: %v", p)
		}
		if herr := e.Halt(); herr != nil {
			err = errors.Join(err, herr)
		}
		if serr := e.SaveState(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	t := time.NewTicker(e.cfg.Tick)
	defer t.Stop()
	wd := time.AfterFunc(e.cfg.Watchdog, e.watchdog)
	defer wd.Stop()
	for {
		e.Step(ctx, time.Now())
		wd.Reset(e.cfg.Watchdog)
		select {
		case <-ctx.Done():
			e.parkAndStop(t, wd)
			return ctx.Err()
		case <-t.C:
		}
	}
}

// parkAndStop switches everything off and steps the axes home. It runs
// on a fresh context: the caller's is gone.
// After an emergency stop the servos stay limp where they are.
func (e *Envelope) parkAndStop(t *time.Ticker, wd *time.Timer) {
	e.mu.Lock()
	if e.stopped {
		e.mu.Unlock()
		return
	}
	e.auto.active = false
	e.closing = true // every request is refused from now on
	e.park()
	e.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), ParkTimeout)
	defer cancel()
	for {
		e.Step(ctx, time.Now())
		wd.Reset(e.cfg.Watchdog)
		if e.Settled() {
			return
		}
		select {
		case <-ctx.Done():
			e.log.Warn("parking timed out; halting where the axes are")
			return
		case <-t.C:
		}
	}
}

// SaveState writes the day's laser account to the state file now (Run
// does it on exit; Step does it every second of laser light).
func (e *Envelope) SaveState() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ledger.save()
	if err := e.ledger.writeErr; err != nil {
		return fmt.Errorf("safety: laser state: %w", err)
	}
	return nil
}
