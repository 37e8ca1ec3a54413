package safety

import (
	"math"
	"time"
)

// dutyLog remembers the instants of an axis's angle outputs within its
// duty window: a ring that never holds more than the cap allows, so it is
// allocated once.
type dutyLog struct {
	at    []time.Time // ring of instants, oldest at head
	head  int
	n     int
	last  time.Time // the last instant logged (two outputs at one instant count once)
	rest  bool      // resting after reaching the cap: no new moves until the budget is back
	cap   int       // ticks of motion allowed in any window: DutyMax/Tick
	limit bool      // the axis has a duty limit
}

func (d *dutyLog) init(a AxisLimits, tick time.Duration) {
	if a.DutyMax <= 0 || a.DutyWindow <= 0 {
		return
	}
	d.limit = true
	d.cap = int(a.DutyMax / tick)
	d.at = make([]time.Time, d.cap+1)
}

// used is how many instants lie in (now−window, now).
func (d *dutyLog) used(now time.Time, window time.Duration) int {
	for d.n > 0 && !d.at[d.head].After(now.Add(-window)) {
		d.head = (d.head + 1) % len(d.at)
		d.n--
	}
	n := d.n
	if n > 0 && !d.last.Before(now) {
		n-- // an output already made at now is this instant's
	}
	return n
}

// restedAt is the use at or below which a resting axis plays again: a
// park's reserve and a quarter of the cap free, or the whole cap when it
// is too small for that.
func (d *dutyLog) restedAt(reserve int) int {
	return max(0, d.cap-reserve-d.cap/4)
}

// record logs an angle output at now.
func (d *dutyLog) record(now time.Time) {
	if !d.limit || (d.n > 0 && !d.last.Before(now)) {
		return
	}
	if d.n == len(d.at) { // cannot happen while the cap holds; never grow
		d.head = (d.head + 1) % len(d.at)
		d.n--
	}
	d.at[(d.head+d.n)%len(d.at)] = now
	d.n++
	d.last = now
}

// freeAt is when the oldest k instants will have left the window.
func (d *dutyLog) freeAt(k int, window time.Duration) time.Time {
	if k <= 0 || d.n == 0 {
		return time.Time{}
	}
	k = min(k, d.n)
	return d.at[(d.head+k-1)%len(d.at)].Add(window)
}

// stopTicks bounds the ticks with an angle output that braking from
// speed v takes: the braking ticks, the landing and the tick at rest.
func (a *axis) stopTicks(v float64, tick time.Duration) int {
	if v == 0 {
		return 0
	}
	if a.Accel <= 0 {
		return 1
	}
	return int(math.Ceil(math.Abs(v)/(a.Accel*tick.Seconds()))) + 3
}

// parkTicks is the reserve for one park: the whole range at speed and
// acceleration, braking first, plus 4 ticks.
func (a *axis) parkTicks(tick time.Duration) int {
	s := (a.Max - a.Min) / a.Speed
	if a.Accel > 0 {
		s += 2 * a.Speed / a.Accel
	}
	return int(math.Ceil(s/tick.Seconds())) + 4
}

// dutyAdvance moves a duty-limited axis one tick if its budget allows the
// tick, the stop after it and (unless it is parking or braking) a park in
// reserve; otherwise it brakes, and rests until the budget is back. It
// reports whether the axis moved. Caller holds e.mu.
func (e *Envelope) dutyAdvance(now time.Time, a *axis, g time.Duration) bool {
	d := &a.duty
	tick := e.cfg.Tick
	used := d.used(now, a.DutyWindow)
	reserve := a.parkTicks(tick)
	if d.rest && a.settled() && used <= d.restedAt(reserve) {
		d.rest = false // rested: play again
	}
	if a.settled() {
		return false
	}
	if used+1 > d.cap {
		// Out of budget: hold still. The reserve makes this unreachable
		// while moving; from rest it sends nothing, which is no jerk.
		a.vel = 0
		a.target = a.pos
		e.count("duty_hold")
		return false
	}
	if a.landed { // the stop of a landing: the reserve has room for it
		return a.advance(g, tick)
	}
	trial := *a
	moved := trial.advance(g, tick)
	need := used + 1 + trial.stopTicks(trial.vel, tick)
	if !a.parking {
		need += reserve
	}
	if moved && need <= d.cap {
		*a = trial
		return true
	}
	// Not enough budget for this move and a stop: brake now, then rest.
	if !d.rest {
		d.rest = true
		e.count("duty_rest")
		e.log.Debug("servo duty limit: the axis rests", "axis", a.Name, "max", a.DutyMax, "window", a.DutyWindow)
	}
	a.target = a.brakePoint()
	a.parking = true // the brake runs on the reserve
	return a.advance(g, tick)
}

// dutyRefusal says until when a move request for axis a is refused
// because the axis rests after its duty cap. Caller holds e.mu.
func (e *Envelope) dutyRefusal(now time.Time, a *axis) (bool, time.Time) {
	d := &a.duty
	if !d.limit || !d.rest {
		return false, time.Time{}
	}
	used := d.used(now, a.DutyWindow)
	until := d.freeAt(used-d.restedAt(a.parkTicks(e.cfg.Tick)), a.DutyWindow)
	if !until.After(now) { // still braking: it rests from its next tick
		until = now.Add(e.cfg.Tick)
	}
	return true, until
}
