package control

import (
	"fmt"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/room"
)

// Stop is the emergency stop from outside chat (panel, SIGUSR1, Home
// Assistant, a stop kept from before the start): the rig stops, the queue
// empties, and every command is dropped until Resume.
// The rig is told first, before the engine's lock: a Tick that holds the
// lock (a step on an agent's rig is a round trip) does not hold the stop
// back, and whatever it sends after it is refused (stopped). Under the
// lock the rig is told again only if a Resume came in between, so that
// the engine is never left stopped with the rig not.
func (e *Engine) Stop(now time.Time) {
	before := e.resumes.Load()
	e.rig.Stop(now)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resumes.Load() != before {
		e.rig.Stop(now)
	}
	e.stopQueue(now)
}

// Resume ends an emergency stop, unless the rig refuses (ResumeReason).
func (e *Engine) Resume(now time.Time) { e.ResumeReason(now) }

// ResumeReason is Resume, answering why the rig refused it: "" when it
// resumed; else the rig's reason, and the engine stays as it was,
// stopped: chat's commands are dropped (stopped) and Status says so, as
// the rig holds its stop still. A remote rig refuses it with link when
// its agent did not answer (the run's stop holds there, resume again
// once the Pi is back), and with stopped while a stop of another side
// holds the rig (a Home Assistant device's; on a Pi, the run side's).
func (e *Engine) ResumeReason(now time.Time) actuators.Reason {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.resume(now)
}

// resume ends an emergency stop, unless the rig refuses it: then the
// engine stays as it was, and the rig's reason is returned (stopped if
// it gives none); e.mu held. The trace is told before the rig
// (TraceStops), and of the stop again when the rig refused to end it.
func (e *Engine) resume(now time.Time) actuators.Reason {
	was := e.stopped
	if e.onResume != nil {
		e.onResume(now)
	}
	rep := e.rig.Resume(now)
	if rep.Refused {
		if was && e.onStop != nil {
			e.onStop(now) // the rig holds its stop: the trace says so again
		}
		e.playRefusal(now)
		if rep.Reason == "" {
			return ReasonStopped
		}
		return rep.Reason
	}
	e.stopped = false
	e.playRefusal(now) // paid time runs again, unless the rig still refuses chat
	e.resumes.Add(1)
	return ""
}

// TraceStops has stop told of every emergency stop, and resume of every
// resume, from whichever side asked (chat, the panel, SIGUSR1, Home
// Assistant, a stop kept from before the start): stop once the rig has
// taken it, resume before the rig is told, both under the engine's lock
// (nil: nobody). A trace that writes them (Trace.Stop, Trace.Resume)
// beside the rig's outputs so holds between a stop line and the next
// resume line only outputs the rig sent while stopped, which the monitor
// checks against the stop's rule. Call it before the engine is used.
func (e *Engine) TraceStops(stop, resume func(now time.Time)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onStop, e.onResume = stop, resume
}

// SetPaused pauses or resumes chat control; paused commands are dropped
// with reason "paused". The envelope keeps running (dead man, autoplay).
func (e *Engine) SetPaused(p bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.dropAll(e.now, e.setPaused(e.now, p), ReasonPaused)
}

// setPaused pauses chat control, or resumes it. Pausing takes the chat
// commands waiting out of the queue and returns them, for the caller to
// drop (and refund what a gift paid for them): chat may not play while
// paused, and a command held back until a resume is one nobody asked for
// any more. The command running finishes; the panel's own commands stay.
func (e *Engine) setPaused(now time.Time, p bool) []job {
	was := e.paused
	e.paused = p
	e.playRefusal(now) // paid time stands still while paused
	if !p || was {
		return nil
	}
	return e.exec.cut(func(j *job) bool { return j.dec.Platform != "panel" })
}

// dropAll drops each job for reason.
func (e *Engine) dropAll(now time.Time, jobs []job, reason actuators.Reason) {
	for i := range jobs {
		e.drop(now, &jobs[i], reason)
	}
}

// Reload swaps in new rules atomically. Queued and running commands keep
// the actions they were accepted with; limiter state carries over for
// commands whose names still exist.
func (e *Engine) Reload(now time.Time, r *Rules) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.limiter.Reconfigure(now, r.limits, r.limitCmd); err != nil {
		return fmt.Errorf("control: reload: %w", err)
	}
	// A smaller queue cuts the commands past its end; each is told: the
	// policy changed, or the queue is now full without them.
	reason := ReasonQueueFull
	if r.policy != e.rules.policy {
		reason = ReasonPolicy
	}
	old := e.rules
	e.rules = r
	for _, j := range e.exec.init(r) {
		e.drop(now, &j, reason)
	}
	e.room.init(now, r)
	e.room.forced = false // the file's policy holds again
	if r.policy != PolicyVote {
		e.abandonVote(now) // as a switch of policy ends it
	} else {
		e.room.reindexBallots(old, r)
	}
	return nil
}

// SetPolicy switches the play policy (see Policies) without a reload. The
// panel's choice overrides the meter until the next reload (the meter
// goes on counting, and switches nothing meanwhile).
func (e *Engine) SetPolicy(policy string) error {
	if _, ok := policyWord(policy); !ok || policy != strings.ToLower(policy) {
		return fmt.Errorf("control: unknown policy %q", policy)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.switchPolicy(e.now, policy, true)
	return nil
}

// Status is a snapshot of the engine for the overlay and the panel.
type Status struct {
	Policy    string            `json:"policy"`
	QueueLen  int               `json:"queue_len"`
	QueueCap  int               `json:"queue_cap"`
	Running   string            `json:"running,omitempty"` // rule of the running command
	Paused    bool              `json:"paused"`
	Stopped   bool              `json:"stopped"`
	Users     int               `json:"users"` // senders tracked by the limiter
	Decisions map[string]uint64 `json:"decisions"`
	// Cooldowns maps each command still cooling down to what is left.
	Cooldowns map[string]time.Duration `json:"cooldowns_ns"`
	// Recent holds the latest decisions that were not ignored, oldest
	// first: the overlay's feed.
	Recent []Decision `json:"recent"`
	// Waiting lists the queued commands in the order they will run, at
	// most WaitingShown of them.
	Waiting []Waiting `json:"waiting,omitempty"`
	// Vote is the open vote window under the vote policy.
	Vote *VoteStatus `json:"vote,omitempty"`
	// Meter is the policy meter, when chat may vote on the policy.
	Meter *MeterStatus `json:"meter,omitempty"`
	// Exclusive is who holds 包场, if anyone.
	Exclusive *ExclusiveStatus `json:"exclusive,omitempty"`
	// Timeouts counts viewers muted (禁言) right now.
	Timeouts int `json:"timeouts"`
}

// WaitingShown caps Status.Waiting.
const WaitingShown = 10

// RecentSize is how many decisions Status.Recent keeps.
const RecentSize = 20

// Status returns the state at now.
func (e *Engine) Status(now time.Time) Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := Status{Policy: e.rules.policy, QueueLen: len(e.exec.queue), QueueCap: e.exec.cap,
		Paused: e.paused, Stopped: e.stopped, Users: e.limiter.Users(),
		Decisions: e.stats.snapshot(), Cooldowns: e.limiter.Cooldowns(now), Recent: e.recent.list()}
	if e.exec.running != nil {
		s.Running = e.exec.running.dec.Rule
	}
	e.roomStatus(now, &s)
	return s
}

// stats counts decisions by outcome and reason. Keys come from the closed
// set of outcomes and reasons, so the map stays small. Every decision is
// counted, so a small cache, indexed by the strings' lengths, finds the
// counter without hashing both strings (replay counts a million a second).
type stats struct {
	byKey map[statKey]*uint64
	hint  [16]statHint
}

type statKey struct{ outcome, reason string }

type statHint struct {
	key statKey
	n   *uint64
}

func (s *stats) count(d *Decision) {
	k := statKey{string(d.Outcome), string(d.Reason)}
	h := &s.hint[(len(k.outcome)*7+len(k.reason))&(len(s.hint)-1)]
	if h.n != nil && h.key == k {
		*h.n++
		return
	}
	if s.byKey == nil {
		s.byKey = make(map[statKey]*uint64)
	}
	n := s.byKey[k]
	if n == nil {
		n = new(uint64)
		s.byKey[k] = n
	}
	*n++
	*h = statHint{k, n}
}

// snapshot returns the counts keyed "outcome:reason".
func (s *stats) snapshot() map[string]uint64 {
	out := make(map[string]uint64, len(s.byKey))
	for k, v := range s.byKey {
		out[k.outcome+":"+k.reason] = *v
	}
	return out
}

// ring keeps the last RecentSize decisions.
type ring struct {
	buf  [RecentSize]Decision
	next int
	full bool
}

func (r *ring) add(d Decision) {
	r.buf[r.next] = d
	r.next = (r.next + 1) % RecentSize
	r.full = r.full || r.next == 0
}

func (r *ring) list() []Decision {
	if !r.full {
		return append([]Decision(nil), r.buf[:r.next]...)
	}
	return append(append([]Decision(nil), r.buf[r.next:]...), r.buf[:r.next]...)
}

// Inject runs the named command as the streamer would from the control
// panel: no matching, no rate limits, the owner's permissions. The
// decision is recorded like any other, with platform "panel".
func (e *Engine) Inject(now time.Time, rule string) (Decision, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	idx := -1
	for i := range e.rules.commands {
		if e.rules.commands[i].name == rule {
			idx = i
		}
	}
	if idx < 0 {
		return Decision{}, fmt.Errorf("control: no command %q", rule)
	}
	cmd := &e.rules.commands[idx]
	if !panelCommand(cmd) { // a moderation or a policy vote has no steps to queue
		return Decision{}, fmt.Errorf("control: command %q is not played from the panel", rule)
	}
	d := Decision{Time: now, EventID: fmt.Sprintf("panel-%d", now.UnixNano()), Platform: "panel",
		UserName: "panel", Role: "owner", Text: rule, Rule: rule, Repeat: 1}
	switch {
	case cmd.immediate:
		d = e.immediate(now, cmd, d)
	case e.stopped:
		d = with(d, Dropped, ReasonStopped)
	case !e.exec.fits(room.Voter{}): // under latest, a command a gift paid for keeps its place
		d = with(d, Dropped, ReasonQueueFull)
	default:
		d = with(d, Accepted, ReasonQueued)
		if !e.queue(now, job{dec: d, steps: cmd.steps}) {
			d = with(d, Dropped, ReasonQueueFull)
		}
	}
	e.emit(d)
	return d, nil
}

// Commands lists the names of the rules Inject runs, in file order: the
// playable ones and stop and resume, not moderation or policy votes.
func (e *Engine) Commands() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]string, 0, len(e.rules.commands))
	for i := range e.rules.commands {
		if c := &e.rules.commands[i]; panelCommand(c) {
			out = append(out, c.name)
		}
	}
	return out
}

// panelCommand reports whether the panel can run c: it queues steps, or it
// is stop or resume.
func panelCommand(c *command) bool { return c.immediate || c.playable() }

// File returns the config of the rules in force: after a reload, the new
// file.
func (e *Engine) File() *config.File {
	return e.current().file
}

// current returns the rules in force.
func (e *Engine) current() *Rules {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rules
}
