package control

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/limit"
	"github.com/cattease/cattease/danmu"
)

// Rig is what the engine drives: the safety envelope. Every method takes
// the time of the request and reports what the envelope made of it.
type Rig interface {
	MoveTo(now time.Time, axis string, deg float64) safety.Report
	MoveBy(now time.Time, axis string, delta float64) safety.Report
	Switch(now time.Time, name string, on bool, d time.Duration) safety.Report
	Home(now time.Time) safety.Report
	Stop(now time.Time) safety.Report
	Resume(now time.Time) safety.Report
	Settled() bool
}

// refuser is a rig that may refuse chat altogether for a while: the play
// layer in quiet hours and while the cat rests. The engine asks before it
// accepts a command or carries out a gift, so that nothing a viewer paid
// for is spent on a command the rig is bound to refuse, and the clocks
// of 包场 and of gift credits stand still meanwhile. A rig without it is asked nothing; what
// it refuses at run time is given back then (see refund).
type refuser interface {
	// Refusal says why chat may not play at now, and until when (zero
	// when unknown), or "".
	Refusal(now time.Time) (actuators.Reason, time.Time)
}

// Options are the engine's optional collaborators.
type Options struct {
	// OnDecision receives every decision, in order, one at a time under
	// the engine's lock, on whichever goroutine called Handle or Tick (in
	// `cattease run`, the chat source's); keep it fast (write to a
	// buffered log, a channel).
	OnDecision func(Decision)
	Log        *slog.Logger
	// Tick is Run's period for releasing queued commands; default 20ms.
	Tick time.Duration
	// LaserFile is where the run's laser forbid is kept across a restart
	// (RestoreLasers reads it): the streamer's laser switch and chat's
	// 关激光. "" keeps nothing.
	LaserFile string
	// LaserFileBefore is where an older cattease kept it: read once when
	// LaserFile is not there, and removed once LaserFile is written.
	LaserFileBefore string
}

// Engine decides every event and runs accepted commands against the rig.
// Handle, Tick and the control methods are safe for concurrent use.
type Engine struct {
	rig     Rig
	refuser refuser // rig as a refuser, or nil
	opts    Options
	resumes atomic.Uint64 // counts the rig's resumes (changed under mu): Stop's second word

	mu      sync.Mutex
	rules   *Rules
	limiter *limit.Limiter
	exec    executor
	paused  bool
	stopped bool
	stats   stats
	recent  ring
	room    roomState
	// chatOff holds the lasers a moderator's 关激光 turned off, which 开激光
	// may turn back on; a laser the panel disabled is not among them.
	chatOff map[string]bool
	// panelOff holds the switches the streamer's own switch (SetLaser)
	// turned off; kept with chatOff in Options.LaserFile (keep).
	panelOff map[string]bool
	keep     laserKeep
	after    func()    // work a decision leaves for after it is recorded
	now      time.Time // the latest time Handle or Tick was called at
	// onStop and onResume are told of emergency stops (TraceStops).
	onStop, onResume func(now time.Time)
	onSteps          *stepTicks // the motion loop's ticks, which Run ticks on (TickOnSteps); nil: its own
}

// New builds an engine. It starts nothing.
func New(rules *Rules, rig Rig, opts Options) (*Engine, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Tick <= 0 {
		opts.Tick = 20 * time.Millisecond
	}
	lim, err := limit.New(rules.limits, rules.limitCmd)
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	e := &Engine{rig: rig, opts: opts, rules: rules, limiter: lim}
	e.refuser, _ = rig.(refuser)
	e.exec.init(rules) // the queue is empty: nothing to cut
	e.room.init(time.Time{}, rules)
	return e, nil
}

// Run handles events from in, a batch at a time and in order, and releases
// queued commands every Tick (or on the motion loop's ticks: TickOnSteps)
// until ctx is done, or in is closed and every accepted command has run.
func (e *Engine) Run(ctx context.Context, in <-chan []danmu.Event) error {
	e.mu.Lock()
	s := e.onSteps
	e.mu.Unlock()
	var (
		ticks <-chan time.Time
		steps <-chan uint64
	)
	if s != nil {
		steps = s.due
	} else {
		t := time.NewTicker(e.opts.Tick)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case evs, ok := <-in:
			if !ok {
				in = nil // drain: keep ticking until idle
				continue
			}
			for _, ev := range evs {
				e.Handle(time.Now(), ev)
			}
			continue
		case now := <-ticks:
			e.Tick(now)
		case n := <-steps:
			e.Tick(s.at(time.Now()))
			s.ticked(n)
		}
		if in == nil && e.Idle() {
			return nil
		}
	}
}

// TickOnSteps makes Run tick on the motion loop's ticks, period apart,
// rather than on a ticker of its own, and returns what that loop calls
// before each Step (in safety.Envelope.Run's pre). Each call hands Run
// the tick and waits for its Tick: the engine releases a command before
// the Step that starts it, and sees the rig settle at the Step after it
// settled, in the order Replay ticks and steps, so that a live run
// decides as its replay does. On a ticker of its own, out of phase with
// the loop, it would notice a settled rig up to a tick late, and the loop
// start the next command up to a tick later still.
//
// The Tick runs on Run's goroutine, never the loop's, and the loop waits
// for it at most a quarter of a period (it takes microseconds): a Tick
// held up (by the engine's lock while an event is decided, a slow
// OnDecision) comes late, as on a ticker of its own, and never holds up
// the motion loop and its watchdog. Call it once, before Run.
func (e *Engine) TickOnSteps(period time.Duration) func() {
	s := &stepTicks{period: period, due: make(chan uint64, 1), done: make(chan uint64, 1)}
	e.mu.Lock()
	e.onSteps = s
	e.mu.Unlock()
	return s.tick
}

// stepTicks carries the motion loop's ticks to Run (TickOnSteps).
type stepTicks struct {
	period time.Duration
	due    chan uint64 // the loop's latest tick, until Run takes it
	done   chan uint64 // the latest tick Run has ticked

	// the loop's own
	n    uint64      // its ticks so far
	wait *time.Timer // its wait for Run

	// Run's own
	anchor time.Time // the time of a tick, which later ones are whole periods after
}

// tick is the motion loop's: it hands Run the loop's tick and waits for
// Run's Tick, at most a quarter of a period.
func (s *stepTicks) tick() {
	s.n++
	put(s.due, s.n)
	if s.wait == nil {
		s.wait = time.NewTimer(s.period / 4)
	} else {
		s.wait.Reset(s.period / 4)
	}
	defer s.wait.Stop()
	for {
		select {
		case n := <-s.done:
			if n >= s.n {
				return
			}
		case <-s.wait.C:
			return // Run is held up: it ticks when it can, the loop steps on
		}
	}
}

// ticked is Run's: it has ticked the loop's tick n.
func (s *stepTicks) ticked(n uint64) { put(s.done, n) }

// at is the time of the tick Run takes at now: now, less how late it
// came on the grid of ticks a whole number of periods after the anchor.
// The loop and Run wake a little late, by a little more or less each
// time, and a pace or a wait of whole ticks, measured from such times,
// would last a tick more every other time; a ticker's times are on its
// grid. A tick that comes early on the grid, or more than half a period
// late, is the new anchor.
func (s *stepTicks) at(now time.Time) time.Time {
	if !s.anchor.IsZero() && s.period > 0 {
		if late := now.Sub(s.anchor) % s.period; late >= 0 && late <= s.period/2 {
			return now.Add(-late)
		}
	}
	s.anchor = now
	return now
}

// put replaces what ch, of capacity 1 and with one sender, holds with v.
func put(ch chan uint64, v uint64) {
	select {
	case <-ch:
	default:
	}
	ch <- v
}

// Idle reports whether nothing is queued or running and the rig has
// settled.
func (e *Engine) Idle() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	open, _ := e.room.window.Open()
	return e.exec.running == nil && len(e.exec.queue) == 0 && !open && e.rig.Settled()
}

// Handle decides one event at now and returns the decision (also sent to
// OnDecision).
func (e *Engine) Handle(now time.Time, ev danmu.Event) Decision {
	return e.handle(now, &ev, nil)
}

// handle is Handle for an event the caller keeps unchanged until it
// returns: replay passes events where its reader left them, without a
// copy.
func (e *Engine) handle(now time.Time, ev *danmu.Event, pm *prematch) Decision {
	e.mu.Lock()
	defer e.saveLasers() // after the lock's release: 关激光, 开激光
	defer e.mu.Unlock()
	e.now = now
	d := e.decide(now, ev, pm)
	e.emit(d)
	if f := e.after; f != nil {
		e.after = nil
		f()
	}
	return d
}

// playRefusal asks the rig whether chat may play at now (see refuser), and
// holds the clocks of 包场 and of gift credits while nobody can play (see
// holdClocks). e.mu held.
func (e *Engine) playRefusal(now time.Time) (actuators.Reason, time.Time) {
	var r actuators.Reason
	var until time.Time
	if e.refuser != nil {
		r, until = e.refuser.Refusal(now)
	}
	e.holdClocks(now, r != "")
	return r, until
}

// holdClocks stops the clocks of 包场 and of gift credits while nobody can
// play, the buyer included: the rig refuses chat (refused: quiet hours,
// the cat's rest, a session's end), an emergency stop is in force, or a
// moderator paused chat control; and starts them again after. Paid time
// is time to play in. e.mu held.
func (e *Engine) holdClocks(now time.Time, refused bool) {
	on := refused || e.stopped || e.paused
	e.room.excl.Hold(now, on)
	e.room.gifts.Hold(now, on)
}

func with(d Decision, o Outcome, reason actuators.Reason) Decision {
	d.Outcome, d.Reason = o, reason
	return d
}

func scopeReason(s limit.Scope) actuators.Reason {
	switch s {
	case limit.ScopeGlobal:
		return ReasonRateGlobal
	case limit.ScopeCommand:
		return ReasonCooldownCommand
	case limit.ScopeUser:
		return ReasonCooldownUser
	}
	return ReasonUserTable
}

// expand applies a repeat count: a relative move goes n times as far, a
// sequence runs n times.
func expand(c *command, n int) []step {
	if n <= 1 || !c.repeatBy {
		return c.steps
	}
	if len(c.steps) == 1 && c.steps[0].verb == verbMoveBy {
		s := c.steps[0]
		s.value *= float64(n)
		return []step{s}
	}
	out := make([]step, 0, n*len(c.steps))
	for range n {
		out = append(out, c.steps...)
	}
	return out
}

func (e *Engine) emit(d Decision) {
	e.stats.count(&d)
	if d.Outcome != Ignored {
		e.recent.add(d)
	}
	if e.opts.OnDecision != nil {
		e.opts.OnDecision(d)
	}
}
