package safety

import (
	"math"
	"time"

	"github.com/cattease/cattease/actuators"
)

// Report says what the envelope made of a request. A request that was
// changed or refused says why, and until when where that applies, so the
// overlay can tell viewers ("laser resting, 12:30 left").
type Report struct {
	Refused bool
	Clamped bool             // the target was changed to stay inside the limits
	Reason  actuators.Reason // "clamped", "keep_out", "stopped", "resting", ...
	Until   time.Time        // when the refusal ends, if known
}

func (r Report) String() string {
	if r.Reason == "" {
		return "ok"
	}
	return string(r.Reason)
}

// Refuse is a refusal for reason, counted by the caller's own counters.
func Refuse(reason actuators.Reason, until time.Time) Report {
	return Report{Refused: true, Reason: reason, Until: until}
}

func (e *Envelope) refuse(reason actuators.Reason, until time.Time) Report {
	e.count(string(reason))
	return Refuse(reason, until)
}

func (e *Envelope) clamped(reason actuators.Reason) Report {
	e.count(string(reason))
	return Report{Clamped: true, Reason: reason}
}

// MoveTo sets an axis's target to deg, kept inside the limits.
func (e *Envelope) MoveTo(now time.Time, name string, deg float64) Report {
	return e.move(now, name, func(*axis) float64 { return deg })
}

// MoveBy moves an axis's target by delta degrees from its current target,
// kept inside the limits, so repeated commands accumulate.
func (e *Envelope) MoveBy(now time.Time, name string, delta float64) Report {
	return e.move(now, name, func(a *axis) float64 { return a.target + delta })
}

func (e *Envelope) move(now time.Time, name string, to func(*axis) float64) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	now = e.reqNow(now)
	a, ok := e.axes[name]
	if !ok {
		return e.refuse(actuators.ReasonUnknownOutput, time.Time{})
	}
	if r := e.motionRefusal(); r.Refused {
		return r
	}
	if rest, until := e.dutyRefusal(now, a); rest {
		return e.refuse(actuators.ReasonResting, until)
	}
	want := to(a)
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return e.refuse(actuators.ReasonBadValue, time.Time{})
	}
	e.touch(now)
	t, clamped := a.clamp(want)
	a.target = t
	if e.keepOut() {
		return e.clamped(actuators.ReasonKeepOut)
	}
	if clamped {
		return e.clamped(actuators.ReasonClamped)
	}
	return Report{}
}

// Aim sets the dot's target to (pan, tilt) at once, inside the limits and
// outside every keep-out zone.
func (e *Envelope) Aim(now time.Time, pan, tilt float64) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	now = e.reqNow(now)
	if r := e.motionRefusal(); r.Refused {
		return r
	}
	if math.IsNaN(pan) || math.IsNaN(tilt) || math.IsInf(pan, 0) || math.IsInf(tilt, 0) {
		return e.refuse(actuators.ReasonBadValue, time.Time{})
	}
	if r := e.restingRefusal(now, e.cfg.PanAxis, e.cfg.TiltAxis); r.Refused {
		return r
	}
	e.touch(now)
	if e.setPoint(pan, tilt) {
		return Report{Clamped: true, Reason: actuators.ReasonKeepOut}
	}
	return Report{}
}

// motionRefusal says whether any motion request is refused now.
func (e *Envelope) motionRefusal() Report {
	if e.closing || e.aborted.Load() {
		return e.refuse(actuators.ReasonShuttingDown, time.Time{})
	}
	if e.stopped {
		return e.refuse(actuators.ReasonStopped, time.Time{})
	}
	return Report{}
}

// restingRefusal refuses a request that would move any of the named axes
// while it rests after its duty cap, until the earliest it may play again.
func (e *Envelope) restingRefusal(now time.Time, names ...string) Report {
	var until time.Time
	rest := false
	for _, n := range names {
		a, ok := e.axes[n]
		if !ok {
			continue
		}
		if r, u := e.dutyRefusal(now, a); r {
			rest = true
			if u.After(until) {
				until = u
			}
		}
	}
	if rest {
		return e.refuse(actuators.ReasonResting, until)
	}
	return Report{}
}

// keepOut moves a target point that lies inside a keep-out zone to the
// nearest point on the zone's edge that is inside the axis limits, and
// reports whether it had to.
func (e *Envelope) keepOut() bool {
	pa, ta := e.pan, e.tilt
	if pa == nil || ta == nil {
		return false
	}
	moved := false
	for range 4 { // zones may touch: push out again, a few times at most
		z, ok := e.zoneAt(pa.target, ta.target)
		if !ok {
			return moved
		}
		moved = true
		pa.target, ta.target = nearestEdge(z, pa, ta)
	}
	if _, ok := e.zoneAt(pa.target, ta.target); ok { // boxed in: go home
		pa.target, ta.target = pa.Home, ta.Home
	}
	return moved
}

func (e *Envelope) zoneAt(pan, tilt float64) (Zone, bool) {
	for _, z := range e.zones {
		if z.Contains(pan, tilt) {
			return z, true
		}
	}
	return Zone{}, false
}

// nearestEdge is the closest point on z's border within the axis limits.
func nearestEdge(z Zone, pa, ta *axis) (pan, tilt float64) {
	p, t := pa.target, ta.target
	best, bp, bt := math.Inf(1), p, t
	try := func(np, nt float64) {
		np, _ = pa.clamp(np)
		nt, _ = ta.clamp(nt)
		if z.Contains(np, nt) {
			return
		}
		if d := math.Hypot(np-p, nt-t); d < best {
			best, bp, bt = d, np, nt
		}
	}
	try(z.PanMin, t)
	try(z.PanMax, t)
	try(p, z.TiltMin)
	try(p, z.TiltMax)
	return bp, bt
}

// Switch asks for a switch on (for d, at most MaxOn; d = 0 means MaxOn) or
// off. Turning off is never refused. What is emitted is decided tick by
// tick: the light budget, the daily budget, keep-out and dwell may keep a
// requested laser dark, and the Snapshot says why.
func (e *Envelope) Switch(now time.Time, name string, on bool, d time.Duration) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	now = e.reqNow(now)
	s, ok := e.switches[name]
	if !ok {
		return e.refuse(actuators.ReasonUnknownOutput, time.Time{})
	}
	if !on { // darkness moves nothing: a parked rig stays parked
		e.lastReq = now
		s.on = false
		return Report{}
	}
	if r, until := e.requestRefusal(now, s); r != "" {
		return e.refuse(r, until)
	}
	if s.Laser {
		e.touch(now) // the dot is in play again: the dead man watches it
	} else {
		e.lastReq = now // a treat dispenser moves nothing
	}
	s.on = true
	if d <= 0 || d > s.MaxOn {
		s.offAt = now.Add(s.MaxOn)
	} else {
		s.offAt = now.Add(d)
	}
	s.asked = s.offAt.Sub(now)
	if s.Laser && e.limpRule && now.Before(e.limpEnd) {
		e.delayLight(s) // a limp servo was re-attached: it lights once that is over (limp.go)
	}
	if d > s.MaxOn {
		r := e.clamped(actuators.ReasonMaxOn)
		r.Until = s.offAt
		return r
	}
	return Report{}
}

// requestRefusal refuses an "on" request that cannot light now at all.
func (e *Envelope) requestRefusal(now time.Time, s *switchState) (actuators.Reason, time.Time) {
	if r, until := e.switchRefusal(now, s); r != "" || !s.Laser {
		return r, until
	}
	if e.ledger.broken != nil {
		return actuators.ReasonLedger, time.Time{}
	}
	if e.cfg.DailyLaser > 0 && e.ledger.spent+e.ahead() > e.cfg.DailyLaser {
		return actuators.ReasonDailyBudget, e.ledger.nextDay(now)
	}
	return "", time.Time{}
}

// Home sends every axis home. An axis whose position is unknown (after
// the resume of a stop kept from before start) is homed at the next Step.
func (e *Envelope) Home(now time.Time) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	now = e.reqNow(now)
	if r := e.motionRefusal(); r.Refused {
		return r
	}
	if r := e.restingRefusal(now, e.order...); r.Refused {
		return r
	}
	e.touch(now)
	for _, a := range e.axes {
		a.target = a.Home
	}
	e.homeAsked = e.unknown > 0
	return Report{}
}

// Stop is the emergency stop: every switch goes dark at the next Step,
// every axis brakes within its acceleration and then detaches, and every
// request but Resume is refused until Resume.
func (e *Envelope) Stop(now time.Time) Report {
	e.latch.set(now) // on its way to disk even while a stuck driver holds the lock
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = true
	e.latch.set(now) // again under the lock: a Resume may have cleared it meanwhile
	for _, s := range e.switches {
		s.on = false
	}
	for _, a := range e.axes {
		a.target = a.brakePoint() // braking as hard as it may, it stops there at the latest
		a.parking = true          // a brake: it may use the duty reserve
	}
	return Report{}
}

// Resume ends an emergency stop; the axes start from where they are. An
// axis that went limp during the hold, or was never homed (the stop was
// kept from before start), is homed at the next move, light, Home or
// park, and held there until it has surely arrived (holding).
func (e *Envelope) Resume(now time.Time) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	now = e.reqNow(now)
	e.stopped = false
	e.latch.clear()
	e.lastReq = now // a parked rig stays parked: nothing moves until a request
	return Report{}
}

// Park darkens every laser and sends the dot to (pan, tilt) (nil: every
// axis home) without counting as a request: the dead man stays parked, so
// nothing moves again until the next request. The play layer parks at the
// end of a session and at the start of quiet hours. An axis whose
// position is unknown is homed first, if the rig is not stopped.
func (e *Envelope) Park(pt *[2]float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.parkAt(pt, false)
	if e.unknown > 0 && !e.stopped {
		e.homeAsked = true
	}
}

// ParkForExit is Run's park on the way out, for a caller that steps the
// envelope itself (replay's closing park): every switch off, the axes
// home, every request refused from now on, and the outputs marked as the
// exit's (Output.Exit).
func (e *Envelope) ParkForExit() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closing = true
	e.parkAt(nil, true)
}

// parkAt darkens the lasers (every switch, if all) and aims at pt.
func (e *Envelope) parkAt(pt *[2]float64, all bool) {
	e.parked = true
	for _, s := range e.switches {
		if all || s.Laser {
			s.on = false
		}
	}
	if e.stopped {
		return // limp servos stay where they are
	}
	for _, a := range e.axes {
		a.target = a.Home
		a.parking = true // a park: it may use the duty reserve
	}
	if pt != nil {
		e.setPoint(pt[0], pt[1])
	}
}

// touch records a request: the dead man's clock restarts. Caller holds e.mu.
func (e *Envelope) touch(now time.Time) {
	e.lastReq = now
	e.parked = false
	for _, a := range e.axes {
		a.parking = false
	}
}

// setPoint aims the dot at (pan, tilt), inside the limits and outside
// every keep-out zone, and reports whether a zone moved it.
func (e *Envelope) setPoint(pan, tilt float64) bool {
	if e.pan != nil {
		e.pan.target, _ = e.pan.clamp(pan)
	}
	if e.tilt != nil {
		e.tilt.target, _ = e.tilt.clamp(tilt)
	}
	return e.keepOut()
}

// Settled reports whether every axis has reached its target.
func (e *Envelope) Settled() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.settled()
}

func (e *Envelope) settled() bool {
	for _, a := range e.axes {
		if !a.settled() {
			return false
		}
	}
	return true
}

// Enable allows or forbids a switch from being turned on (the panel's
// "laser enable"); disabling it also turns it off at the next Step.
func (e *Envelope) Enable(name string, on bool) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.switches[name]
	if ok {
		s.disabled = !on
		if !on {
			s.on = false
		}
	}
	return ok
}

// TakeTreat counts one treat for today if fewer than max were given; the
// count is kept in the daily ledger, across restarts.
func (e *Envelope) TakeTreat(max int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ledger.takeTreat(max)
}
