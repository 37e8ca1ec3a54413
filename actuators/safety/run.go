package safety

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime/debug"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
)

// watchdog fires when the motion loop has not stepped for cfg.Watchdog,
// and again every cfg.Watchdog while it stays stalled: it switches every
// switch off straight at the drivers, from its own goroutine, without the
// envelope's lock (which the stalled loop may hold), and tells the next
// Step to resynchronise. It says so once a stall, and names each output
// whose halt fails, once a stall. failed is the watchdog's own: its runs
// never overlap.
func (e *Envelope) watchdog(failed map[string]bool) {
	first := !e.stalled.Swap(true)
	if first {
		clear(failed)
		e.log.Error("watchdog: motion loop stalled; switches off", "after", e.cfg.Watchdog)
	}
	for _, name := range e.order {
		if _, isSwitch := e.cfg.switchNamed(name); isSwitch {
			if err := e.outs[name].Halt(); err != nil && !failed[name] {
				failed[name] = true
				e.log.Error("watchdog: halt failed", "output", name, "err", err)
			}
		}
	}
}

// watchTimer runs the watchdog cfg.Watchdog after the last reset, and
// every cfg.Watchdog after that until the next reset or stop: a loop that
// stays stalled is switched off again and again, so that nothing it sends
// on its way out of a stall stays on. After stop, no run is under way and
// none starts: Run halts and closes the outputs next.
type watchTimer struct {
	mu      sync.Mutex
	t       *time.Timer
	every   time.Duration
	stopped bool
	busy    bool // a run is under way: runs never overlap (a Step may reset the timer meanwhile)
	running sync.WaitGroup
}

// startWatch starts the watchdog's timer; a panic in a run of it is
// handed to ps (nil: it goes on as a panic).
func (e *Envelope) startWatch(ps *runPanics) *watchTimer {
	w := &watchTimer{every: e.cfg.Watchdog}
	failed := map[string]bool{}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t = time.AfterFunc(w.every, func() {
		w.mu.Lock()
		if w.stopped || w.busy { // a run under way re-arms the timer when done
			w.mu.Unlock()
			return
		}
		w.busy = true
		w.running.Add(1)
		w.mu.Unlock()
		defer w.running.Done()
		defer ps.recover("the watchdog") // before Done: stop waits for it
		defer w.rearm()                  // after a panic too: Run's park still has a guard
		e.watchdog(failed)
	})
	return w
}

// rearm ends a run of the watchdog: the next one is due a period later.
func (w *watchTimer) rearm() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy = false
	if !w.stopped {
		w.t.Reset(w.every)
	}
}

func (w *watchTimer) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.t.Reset(w.every)
	}
}

func (w *watchTimer) stop() {
	w.mu.Lock()
	w.stopped = true
	w.t.Stop()
	w.mu.Unlock()
	w.running.Wait()
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
	// Homed: the servo is where Pos says. Not before its homing in this
	// process (after a stop kept from before start, until the first move,
	// light, Home or park after the resume), nor while it is limp after a
	// stop during the hold: the servo may be anywhere then.
	Homed bool `json:"homed"`
	// Resting: the axis reached its duty limit and rests (a servo cooling).
	Resting bool `json:"resting,omitempty"`
}

// SwitchState is a snapshot of one switch.
type SwitchState struct {
	Name string `json:"name"`
	// Laser: the switch drives a laser. A rig without one is a wand (or
	// another toy): the overlay draws it so.
	Laser bool `json:"laser"`
	// On is what the driver emits; Requested is what was asked for.
	On        bool `json:"on"`
	Requested bool `json:"requested"`
	// Reason says why a requested switch is dark (dwell, resting,
	// keep_out, daily_budget, ...), Until when that ends if known.
	Reason    actuators.Reason `json:"reason,omitempty"`
	Until     time.Time        `json:"until,omitzero"`
	OffAt     time.Time        `json:"off_at,omitzero"`     // when the request ends
	RestUntil time.Time        `json:"rest_until,omitzero"` // light budget: dark until then
	Disabled  bool             `json:"disabled,omitempty"`  // the panel forbade it
}

// State is a snapshot of the whole envelope.
type State struct {
	Axes     []AxisState   `json:"axes"`
	Switches []SwitchState `json:"switches"`
	Stopped  bool          `json:"stopped"`
	Parked   bool          `json:"parked"` // the dead man or the play layer parked the rig
	Faults   uint64        `json:"faults"` // driver write errors so far
	// Geometry, for drawing the floor map: pan is left/right, tilt is
	// near/far; the lit dot stays below Ceiling and out of Zones (each
	// grown by ZoneMargin).
	PanAxis    string  `json:"pan_axis,omitempty"`
	TiltAxis   string  `json:"tilt_axis,omitempty"`
	Ceiling    float64 `json:"ceiling,omitempty"`
	Zones      []Zone  `json:"zones,omitempty"`
	ZoneMargin float64 `json:"zone_margin,omitempty"`
	// Session is filled by the play layer; the envelope fills the day's
	// laser account.
	Session Session `json:"session"`
	// Ledger is the daily ledger's trouble, if any ("" = fine).
	Ledger string `json:"ledger,omitempty"`
	// Counts holds every clamp, refusal and safety action so far by reason
	// ("clamped", "keep_out", "resting", "dwell_blank", "dead_man", ...).
	Counts map[string]uint64 `json:"counts"`
}

// Session is where the rig is in its play rhythm.
type Session struct {
	// Phase is "play" (chat may play), "rest" (a break between sessions),
	// "quiet" (quiet hours) or "off" (sessions not configured: always play).
	Phase string `json:"phase"`
	// Until is when the phase ends, if it ends by the clock, on the wall
	// clock; for "rest" and "quiet", when play resumes: a rest that runs
	// into quiet hours lasts until they end, and the other way round.
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
	st := State{Stopped: e.stopped, Parked: e.parked, Faults: e.faults,
		PanAxis: e.cfg.PanAxis, TiltAxis: e.cfg.TiltAxis, Zones: e.cfg.Zones, ZoneMargin: e.cfg.ZoneMargin,
		Session: Session{Phase: "off", LaserToday: e.ledger.spent, LaserBudget: e.cfg.DailyLaser},
		Counts:  maps.Clone(e.counts)}
	if err := e.ledgerTrouble(); err != nil {
		st.Ledger = err.Error()
	}
	if n := e.ledger.writeFailures(); n > 0 {
		st.Counts["ledger_write_error"] = n
	}
	if e.cfg.Ceiling != nil {
		st.Ceiling = *e.cfg.Ceiling
	}
	for _, name := range e.order {
		if a, ok := e.axes[name]; ok {
			st.Axes = append(st.Axes, AxisState{Name: name, Pos: a.pos, Target: a.target,
				Min: a.Min, Max: a.Max, Home: a.Home, Attached: a.attached, Homed: a.known, Resting: a.duty.rest})
		}
		if s, ok := e.switches[name]; ok {
			ss := SwitchState{Name: name, On: s.lit(), Requested: s.on, Reason: s.reason, Until: s.until,
				Disabled: s.disabled, Laser: s.Laser}
			if s.on {
				ss.OffAt = s.offAt
			}
			if s.reason == actuators.ReasonResting {
				ss.RestUntil = s.until
			}
			st.Switches = append(st.Switches, ss)
		}
	}
	return st
}

func (e *Envelope) ledgerTrouble() error {
	if e.ledger.broken != nil {
		return e.ledger.broken
	}
	if _, _, err := e.ledger.reserved(); err != nil && !errors.Is(err, errLeasePending) {
		return err
	}
	return nil
}

// SinceStep is the real time since Run last stepped; false before its
// first step. The motion loop is alive while it keeps stepping: the
// service watchdog is fed from it. Real time, not the envelope's: that
// one does not follow a wall clock set while the rig plays, so comparing
// it with the wall clock would see a stuck loop (or a live one) for as
// long as the two differ.
func (e *Envelope) SinceStep() (time.Duration, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.steppedRun {
		return 0, false
	}
	return e.runClk.realNow() - e.steppedAt, true
}

// LastActivity is the last tick at which an axis moved or a laser was lit:
// the play layer's sessions are measured on it. The homings (at the first
// Step, or after a resume) and the hold after them are not counted: a
// restart is not play (invariants 7, 10).
func (e *Envelope) LastActivity() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.activity
}

// LastPlay is the last tick at which the rig played: a laser was lit, or
// an axis moved towards a target a request set. A park (the dead man's,
// the play layer's), a brake and the homing at the first Step are not
// play, though a park is activity: the play layer ends a session with a
// treat only if the rig played in it.
func (e *Envelope) LastPlay() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.played
}

// Stopped reports whether an emergency stop is in force; Parked whether
// the rig rests parked (by the dead man or the play layer) since the last
// request.
func (e *Envelope) Stopped() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stopped
}

// Parked reports whether the rig is parked since the last request.
func (e *Envelope) Parked() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.parked
}

// AimArea is the pan/tilt rectangle the dot may reach (the tilt max below
// the ceiling), for the play layer's patterns.
func (e *Envelope) AimArea() (lo, hi [2]float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pan != nil {
		lo[0], hi[0] = e.pan.Min, e.pan.Max
	}
	if e.tilt != nil {
		lo[1], hi[1] = e.tilt.Min, e.tilt.Max
	}
	return lo, hi
}

// Lasers names the laser switches.
func (e *Envelope) Lasers() []string {
	var names []string
	for _, s := range e.cfg.Switches {
		if s.Laser {
			names = append(names, s.Name)
		}
	}
	return names
}

// MaxParkTime bounds a rig's ParkTime: check refuses a rig whose park
// takes longer, and the service's stop timeout (deploy/cattease.service,
// TimeoutStopSec) leaves room for it, the halt and the ledger's save.
const MaxParkTime = 6 * time.Second

// ParkTime is the longest a park can take (invariant 7): braking from
// full speed, then the whole range at the axis's speed and acceleration
// (range/speed + 2·speed/accel), plus 4 ticks; the slowest axis's.
func (c Config) ParkTime() time.Duration {
	tick := c.withDefaults().Tick
	var worst time.Duration
	for _, a := range c.Axes {
		worst = max(worst, a.ParkTime(tick))
	}
	return worst
}

// ParkTime is how long the axis's park can take on a motion loop of tick:
// see Config.ParkTime. Rounded up to the nanosecond; maxSettle for an axis
// too slow to say.
func (l AxisLimits) ParkTime(tick time.Duration) time.Duration {
	s := math.Abs(l.Max-l.Min) / l.Speed
	if l.Accel > 0 {
		s += 2 * l.Speed / l.Accel
	}
	if !(s < maxSettle.Seconds()) {
		return maxSettle
	}
	return time.Duration(math.Ceil(s*1e9)) + 4*tick
}

// exitParkTimeout bounds how long Run spends parking at home on the way
// out: the rig's park time (at most MaxParkTime) and a few ticks that
// come late, and never less than the 2 s it always had.
func (e *Envelope) exitParkTimeout() time.Duration {
	return max(2*time.Second, min(e.cfg.ParkTime(), MaxParkTime)+10*e.cfg.Tick)
}

// Run steps the envelope every Tick in real time until ctx is done, with
// pre (if not nil) called before each Step outside the envelope's lock:
// the play layer's clock. pre is given the envelope's time (the Step's)
// and the wall clock's reading it was taken from, which differ while the
// envelope keeps to real time across a step of the wall clock (clock.go):
// quiet hours are a time of day on the wall clock. Then it switches every switch off, brings the
// axes home within their limits (for at most the rig's park time), halts every
// output and saves the laser account. A panic inside a driver is
// recovered, every output is halted at once (no parking), and the panic is
// returned as an error. A panic on one of Run's own goroutines (the
// ledger writer, the stop-file writer, the watchdog) halts every output
// at once too, then ends Run as a cancelled ctx does, and Run returns it.
func (e *Envelope) Run(parent context.Context, pre func(now, wall time.Time)) (err error) {
	return e.RunAfter(parent, nil, pre)
}

// RunAfter is Run with before (if not nil) called at each tick before the
// time of its Step is read: what may wait there (a hand-off to another
// goroutine) delays the tick, and the Step's time and its outputs' say
// so. Waiting in pre instead would put the Step's outputs out later than
// their time, closer to the tick before than the envelope counted: the
// servos faster in real time than the speed limit the trace shows.
func (e *Envelope) RunAfter(parent context.Context, before func(), pre func(now, wall time.Time)) (err error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	ps := &runPanics{e: e, cancel: cancel}
	stop, done := make(chan struct{}), make(chan struct{})
	e.writer.setRunning(true)
	go func() {
		defer close(done) // after the recover: Run waits for it
		defer ps.recover("the laser ledger's writer")
		e.runWriter(stop)
	}()
	e.latch.handPanics(ps.panicked)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("safety: motion loop panicked: %v\n%s", p, debug.Stack())
		}
		if herr := e.Abort(); herr != nil {
			err = errors.Join(err, herr)
		}
		close(stop)
		<-done
		e.writer.setRunning(false)
		if serr := e.SaveState(); serr != nil {
			err = errors.Join(err, serr)
		}
		e.latch.handPanics(nil)
		err = errors.Join(err, ps.end())
	}()
	t := time.NewTicker(e.cfg.Tick)
	defer t.Stop()
	wd := e.startWatch(ps)
	defer wd.stop()
	clk := newRunClock(e.wall) // the wall clock, kept to real time (clock.go)
	e.mu.Lock()
	e.live = true // requests are put on clk's time from now on
	e.runClk = clk
	e.mu.Unlock()
	// A tick's writes are all made, however the stop lands: the loop looks
	// at ctx between ticks. Cut short between two servos' writes, a tick
	// stopped the servo that missed its angle dead, mid-move (the monitor's
	// rule fault at every Ctrl-C that fell inside a tick's writes).
	tick := context.WithoutCancel(ctx)
	for {
		if before != nil {
			before()
		}
		now, wall := e.clockNow(clk, true)
		if pre != nil {
			pre(now, wall)
		}
		e.Step(tick, now)
		wd.reset()
		select {
		case <-ctx.Done():
			e.parkAndStop(t, wd, clk)
			return parent.Err() // nil if a panic ended the run: Run's defer returns that
		case <-t.C:
		}
	}
}

// runPanics carries a panic on one of Run's own goroutines to Run: every
// output is switched off at once, and Run is told to end, which it does
// as after a stop (it parks, then halts again), returning the panic.
// Once Run has ended, a panic goes on as a panic (after the halt).
type runPanics struct {
	e      *Envelope
	cancel context.CancelFunc

	mu    sync.Mutex
	err   error
	ended bool
}

// recover is deferred first thing on each goroutine Run starts. A nil
// *runPanics lets the panic go on.
func (ps *runPanics) recover(where string) {
	if p := recover(); p != nil {
		if ps == nil {
			panic(p)
		}
		ps.panicked(where, p)
	}
}

// panicked halts every output, lasers first, and ends Run with the panic
// p, which happened in where; it is called on the panicking goroutine,
// whose stack it records.
func (ps *runPanics) panicked(where string, p any) {
	err := fmt.Errorf("safety: panic in %s: %v\n%s", where, p, debug.Stack())
	if herr := ps.e.Abort(); herr != nil {
		err = errors.Join(err, herr)
	}
	ps.mu.Lock()
	ended := ps.ended
	if !ended {
		ps.err = errors.Join(ps.err, err)
	}
	ps.mu.Unlock()
	if ended {
		panic(p) // Run has returned: nobody would hear of it
	}
	ps.e.log.Error("panic; outputs halted", "in", where, "panic", p)
	ps.cancel()
}

// end is called as Run returns: the panics so far, and from now on none
// is taken.
func (ps *runPanics) end() error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.ended = true
	return ps.err
}

// Abort switches every output off at once, straight at the drivers, as
// Halt does (the lasers first, past a driver that panics): the way out of
// a panic anywhere in the program. Abort does
// not end Run: the caller cancels Run's context (Run then parks with the
// lasers dark and halts again), or Run ends by itself after a panic on
// its own goroutines. Every request is refused from the call on, as
// while Run parks on its way out.
func (e *Envelope) Abort() error {
	e.aborted.Store(true) // nothing lights or moves again in the ticks before Run ends
	return e.Halt()
}

// haltSafely halts a, turning a panic into an error.
func haltSafely(name string, a actuators.Actuator) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("safety: halt %s panicked: %v", name, p)
		}
	}()
	return actuators.HaltAll(a)
}

// parkAndStop switches everything off and steps the axes home. It runs
// on a fresh context: the caller's is gone.
// After an emergency stop the servos stay limp where they are.
func (e *Envelope) parkAndStop(t *time.Ticker, wd *watchTimer, clk *runClock) {
	e.mu.Lock()
	e.closing = true // every request is refused from now on
	e.parkAt(nil, true)
	e.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), e.exitParkTimeout())
	defer cancel()
	for {
		now, _ := e.clockNow(clk, false)
		e.Step(ctx, now)
		wd.reset()
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

// SaveState writes the day's laser account now, giving back the unspent
// part of the lease (Run does it on exit, after the outputs are halted).
func (e *Envelope) SaveState() error {
	e.mu.Lock()
	for _, s := range e.switches {
		if s.lit() {
			e.mu.Unlock()
			return nil // still lit: the lease stays reserved
		}
	}
	f, ok := e.ledger.job(e.lastStep, e.windowLit(e.lastStep), true)
	e.mu.Unlock()
	if !ok {
		return e.ledgerTrouble()
	}
	if err := e.ledger.write(f); err != nil {
		e.log.Error("laser ledger not saved at exit", "err", err)
		return err
	}
	return nil
}
