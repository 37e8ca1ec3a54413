package control

import (
	"slices"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/room"
)

// job is an accepted command waiting for, or in, its turn.
type job struct {
	dec      Decision
	steps    []step
	voter    room.Voter // whose it is: the fair policy keeps one per voter
	priority bool       // bought with a gift: ahead of the others
	next     int        // index of the next step to run
	until    time.Time  // the current step's wait ends
	moved    bool       // the current step moved an axis: wait for it to settle
	started  time.Time

	// What the job cost its sender, given back (refund) if nothing of it
	// runs. The gift ledger it was paid from is the room's: a reload keeps
	// it, and the credits in it.
	credit  bool      // a priority credit
	extra   bool      // an extra credit
	pattern bool      // a gift's pattern, counted in the day's pattern caps
	bought  time.Time // when the pattern was bought: the day it counted on
	ran     bool      // a step of it reached the rig
}

// executor holds the play policy's queue and the running job. The engine's
// mutex guards it.
type executor struct {
	queue    []job // in running order; its length never exceeds cap
	cap      int
	policy   string
	pace     time.Duration
	running  *job
	released time.Time     // when the last job started
	avg      time.Duration // running average of a job's time, for ETAs
}

// init takes the play policy, queue size and pace of r. It returns the
// jobs a smaller queue no longer holds (a reload lowered queue_size, a
// switch to latest): the caller tells each one's event.
func (x *executor) init(r *Rules) []job {
	x.cap, x.policy, x.pace = r.queueCap, r.policy, r.pace
	if x.policy == PolicyVote {
		x.cap = max(x.cap, 1)
	}
	return x.shrink(x.cap)
}

// shrink cuts the queue to n places and returns the jobs cut, in queue
// order. Jobs bought with a gift keep their places first (the earliest of
// them, when even those are too many), then the earliest others; the jobs
// kept run in the order they had.
func (x *executor) shrink(n int) []job {
	if len(x.queue) <= n {
		return nil
	}
	paid := 0
	for i := range x.queue {
		if x.queue[i].priority {
			paid++
		}
	}
	keepPaid := min(paid, n)
	keepFree := n - keepPaid
	kept := make([]job, 0, n)
	var cut []job
	for _, j := range x.queue {
		switch {
		case j.priority && keepPaid > 0:
			keepPaid--
			kept = append(kept, j)
		case !j.priority && keepFree > 0:
			keepFree--
			kept = append(kept, j)
		default:
			cut = append(cut, j)
		}
	}
	x.queue = kept
	return cut
}

func (x *executor) full() bool { return len(x.queue) >= x.cap }

// push queues j by the policy. Under latest it replaces the waiting job,
// unless a gift paid for that one; under fair it replaces the voter's own
// waiting command (never their bought pattern) in its place, taking over
// its priority and the credit paid for it, unless j's own priority
// credit bought a better place than that one had: then it goes where a
// priority job goes. The job it replaced, if any, is returned so its
// event can be told. A priority job goes after the priority jobs already
// waiting (they form the head of the queue).
//
// The queue never passes its cap. Callers check fits first; a job pushed
// onto a full queue all the same takes the place of the last waiting job
// that is not a priority one (returned as replaced), or, when every
// waiting job is a priority one, is not queued (queued false).
func (x *executor) push(j job) (old job, replaced, queued bool) {
	switch {
	case x.policy == PolicyLatest && len(x.queue) > 0 && !x.queue[0].priority:
		old = x.queue[0]
		x.queue[0] = j
		return old, true, true
	case x.policy == PolicyFair:
		if i := x.own(j.voter); i >= 0 {
			old = x.queue[i]
			if !j.priority && old.priority { // the place was paid for: its credit moves too
				j.priority = true
				j.credit, old.credit = old.credit, false
			}
			if j.priority && !old.priority { // a credit spent on a place ahead
				x.queue = slices.Delete(x.queue, i, i+1)
				x.insert(j)
				return old, true, true
			}
			x.queue[i] = j
			return old, true, true
		}
	}
	if x.full() {
		var ok bool
		if old, ok = x.makeRoom(); !ok {
			return job{}, false, false
		}
		replaced = true
	}
	x.insert(j)
	return old, replaced, true
}

// insert queues j last, or a priority job after the priority jobs
// waiting. The queue has a place for it.
func (x *executor) insert(j job) {
	at := len(x.queue)
	if j.priority {
		at = 0
		for at < len(x.queue) && x.queue[at].priority {
			at++
		}
	}
	x.queue = slices.Insert(x.queue, at, j)
}

// fits reports whether push would queue a job for voter v without taking
// another job's place: the policy replaces a waiting job, or there is a
// place left. Under latest a job a gift paid for is never replaced.
func (x *executor) fits(v room.Voter) bool {
	return !x.full() || x.waiting(v) || (x.policy == PolicyLatest && len(x.queue) > 0 && !x.queue[0].priority)
}

// freeable reports whether makeRoom can free a place: some waiting job is
// not a priority one.
func (x *executor) freeable() bool {
	for i := range x.queue {
		if !x.queue[i].priority {
			return true
		}
	}
	return false
}

// waiting reports whether the voter has a command waiting (the fair
// policy replaces it rather than counting it against the cap).
func (x *executor) waiting(v room.Voter) bool {
	return x.policy == PolicyFair && x.own(v) >= 0
}

// own returns the index of the voter's waiting command, or -1. A pattern a
// gift bought for them is not their command: it keeps its own place.
func (x *executor) own(v room.Voter) int {
	for i := range x.queue {
		if x.queue[i].voter == v && !x.queue[i].pattern {
			return i
		}
	}
	return -1
}

// makeRoom frees a place for a priority job in a full queue by taking out
// the last job that is not a priority one; false when all are.
func (x *executor) makeRoom() (job, bool) {
	for i := len(x.queue) - 1; i >= 0; i-- {
		if !x.queue[i].priority {
			j := x.queue[i]
			x.queue = slices.Delete(x.queue, i, i+1)
			return j, true
		}
	}
	return job{}, false
}

// clear empties the queue and abandons the running job, returning every
// job abandoned. A running job whose steps have all been sent (it waits
// only for its last wait to end) is done, and has been told so already:
// ran (see runStep), or why the rig refused it.
func (x *executor) clear() []job {
	var out []job
	if j := x.running; j != nil && j.next < len(j.steps) {
		out = append(out, *j)
	}
	x.running = nil
	out = append(out, x.queue...)
	x.queue = x.queue[:0]
	return out
}

// cut takes the waiting jobs out for which out reports true and returns
// them, in queue order; the others keep their order.
func (x *executor) cut(out func(*job) bool) []job {
	var gone []job
	kept := x.queue[:0]
	for _, j := range x.queue {
		if out(&j) {
			gone = append(gone, j)
		} else {
			kept = append(kept, j)
		}
	}
	clear(x.queue[len(kept):])
	x.queue = kept
	return gone
}

// finished folds a job's running time into the average used for ETAs.
func (x *executor) finished(now time.Time, j *job) {
	d := now.Sub(j.started)
	if x.avg == 0 {
		x.avg = d
		return
	}
	x.avg += (d - x.avg) / 4
}

// eta estimates when the job at position i (0 = next) starts.
func (x *executor) eta(i int) time.Duration {
	per := max(x.avg, time.Second) + x.pace
	return time.Duration(i+1) * per
}

// Tick runs the play policy at now: the running job's next step when its
// wait is over and the rig has settled, or the next queued job when the
// pace allows.
func (e *Engine) Tick(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = now
	e.playRefusal(now) // the clocks of 包场 and credits stand still while nobody can play
	e.closeVote(now)
	x := &e.exec
	for range 64 { // steps without waits may run back to back; bounded
		if x.running == nil {
			if len(x.queue) == 0 || now.Sub(x.released) < x.pace || !e.rig.Settled() {
				return
			}
			j := x.queue[0]
			copy(x.queue, x.queue[1:])
			x.queue = x.queue[:len(x.queue)-1]
			j.started = now
			x.running, x.released = &j, now
		}
		j := x.running
		if now.Before(j.until) || (j.moved && !e.rig.Settled()) {
			return
		}
		if j.next == len(j.steps) {
			x.finished(now, j)
			x.running = nil
			continue
		}
		e.runStep(now, j)
	}
}

// runStep performs the job's next step and records anything the envelope
// changed or refused.
func (e *Engine) runStep(now time.Time, j *job) {
	s := j.steps[j.next]
	j.next++
	j.until, j.moved = now.Add(s.wait), false
	var rep safety.Report
	switch s.verb {
	case verbMove:
		rep, j.moved = e.rig.MoveTo(now, s.target, s.value), true
	case verbMoveBy:
		rep, j.moved = e.rig.MoveBy(now, s.target, s.value), true
	case verbSwitch:
		rep = e.rig.Switch(now, s.target, s.on, s.dur)
	case verbHome:
		rep, j.moved = e.rig.Home(now), true
	case verbWait:
		if j.next == len(j.steps) { // a sequence ending in a wait: every step has been sent
			e.ran(now, j)
		}
		return
	}
	e.report(now, j, rep)
}

// ran tells a job's event that every step of it has been sent.
func (e *Engine) ran(now time.Time, j *job) {
	d := with(j.dec, Accepted, ReasonRan)
	d.Time = now
	e.emit(d)
}

// queue pushes j, telling the job it replaced that it was superseded;
// false when j did not fit, which the caller tells (and gives back what
// j cost, if anything).
func (e *Engine) queue(now time.Time, j job) bool {
	old, replaced, queued := e.exec.push(j)
	if replaced {
		e.drop(now, &old, ReasonSuperseded)
	}
	return queued
}

// report turns an envelope report into a decision for the job's event:
// a refusal drops the rest of the job, and gives back what it cost if
// nothing of it had run; a clamp is noted once.
func (e *Engine) report(now time.Time, j *job, rep safety.Report) {
	if rep.Refused {
		d := refusedUntil(now, j.dec, rep.Reason, rep.Until)
		d.Time = now
		e.emit(d)
		e.refund(now, j)
		j.next = len(j.steps)
		return
	}
	j.ran = true
	switch {
	case rep.Clamped || rep.Reason != "":
		d := with(j.dec, Accepted, rep.Reason)
		d.Time = now
		e.emit(d)
	case j.next == len(j.steps):
		e.ran(now, j)
	}
}

// drop tells a job's event that it will not run, and why, and gives back
// what it cost. A job cut by a policy switch names the policy now in
// force.
func (e *Engine) drop(now time.Time, j *job, reason actuators.Reason) {
	d := with(j.dec, Dropped, reason)
	d.Time = now
	if reason == ReasonPolicy {
		d.Policy = e.rules.policy
	}
	e.emit(d)
	e.refund(now, j)
}

// dropUntil is drop for a reason that ends at until (a mute), when the
// job's event is told how long.
func (e *Engine) dropUntil(now time.Time, j *job, reason actuators.Reason, until time.Time) {
	d := refusedUntil(now, j.dec, reason, until)
	d.Time = now
	e.emit(d)
	e.refund(now, j)
}

// refund gives back what a job of which nothing ran had cost its sender:
// the priority and extra credits spent on it, and a bought pattern's place
// in the day's caps. The money bought a command, not a place in a queue
// that was then taken away.
func (e *Engine) refund(now time.Time, j *job) {
	g := e.room.gifts
	if j.ran {
		return
	}
	if j.credit {
		g.RefundPriority(now, j.voter)
	}
	if j.extra {
		g.RefundExtra(now, j.voter)
	}
	if j.pattern {
		g.RefundPattern(now, j.voter, j.bought)
	}
	j.credit, j.extra, j.pattern = false, false, false
}

// immediate performs stop and resume at once, outside the queue, and
// decides d: accepted (immediate), or dropped for the rig's reason when
// the rig refused the resume (link: a remote rig's agent did not answer;
// stopped: another side's stop holds the rig), the engine staying
// stopped.
func (e *Engine) immediate(now time.Time, c *command, d Decision) Decision {
	if r := e.runImmediate(now, c); r != "" {
		return with(d, Dropped, r)
	}
	return with(d, Accepted, ReasonImmediate)
}

// runImmediate performs stop and resume at once, outside the queue: ""
// done, else why the rig refused the resume.
func (e *Engine) runImmediate(now time.Time, c *command) actuators.Reason {
	switch c.steps[0].verb {
	case verbStop:
		e.stopLocked(now)
	case verbResume:
		return e.resume(now)
	}
	return ""
}

func (e *Engine) stopLocked(now time.Time) {
	e.rig.Stop(now)
	e.stopQueue(now)
}

// stopQueue marks the engine stopped and drops every queued and running
// command; the rig has been told, and has taken the stop: the trace says
// so (TraceStops). e.mu held.
func (e *Engine) stopQueue(now time.Time) {
	e.stopped = true
	e.playRefusal(now) // paid time stands still from the stop
	if e.onStop != nil {
		e.onStop(now)
	}
	for _, j := range e.exec.clear() {
		e.drop(now, &j, ReasonStopped)
	}
}
