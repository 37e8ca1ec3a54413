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
	after   func()    // work a decision leaves for after it is recorded
	now     time.Time // the latest time Handle or Tick was called at
	// onStop and onResume are told of emergency stops (TraceStops).
	onStop, onResume func(now time.Time)
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
// queued commands every Tick until ctx is done, or in is closed and every
// accepted command has run.
func (e *Engine) Run(ctx context.Context, in <-chan []danmu.Event) error {
	t := time.NewTicker(e.opts.Tick)
	defer t.Stop()
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
		case now := <-t.C:
			e.Tick(now)
			if in == nil && e.Idle() {
				return nil
			}
		}
	}
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
// holds the clocks of 包场 and of gift credits while it may not. e.mu
// held.
func (e *Engine) playRefusal(now time.Time) (actuators.Reason, time.Time) {
	if e.refuser == nil {
		return "", time.Time{}
	}
	r, until := e.refuser.Refusal(now)
	e.room.excl.Hold(now, r != "")
	e.room.gifts.Hold(now, r != "")
	return r, until
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
