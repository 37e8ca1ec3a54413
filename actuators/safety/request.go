package safety

import (
	"math"
	"time"
)

// Report says what the envelope made of a request. A request that was
// changed or refused says why, and until when where that applies, so the
// overlay can tell viewers ("laser resting, 12:30 left").
type Report struct {
	Refused bool
	Clamped bool      // the target was changed to stay inside the limits
	Reason  string    // machine-readable: "clamped", "keep_out", "stopped", "resting", ...
	Until   time.Time // when the refusal ends, if known
}

func (r Report) String() string {
	if r.Reason == "" {
		return "ok"
	}
	return r.Reason
}

func (e *Envelope) refuse(reason string, until time.Time) Report {
	e.count(reason)
	return Report{Refused: true, Reason: reason, Until: until}
}

func (e *Envelope) clamped(reason string) Report {
	e.count(reason)
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
	a, ok := e.axes[name]
	if !ok {
		return e.refuse("unknown_output", time.Time{})
	}
	if r := e.motionRefusal(now); r.Refused {
		return r
	}
	want := to(a)
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return e.refuse("bad_value", time.Time{})
	}
	e.touch(now)
	t, clamped := a.clamp(want)
	a.target = t
	if e.keepOut() {
		return e.clamped("keep_out")
	}
	if clamped {
		return e.clamped("clamped")
	}
	return Report{}
}

// motionRefusal says whether any motion request is refused at now.
func (e *Envelope) motionRefusal(now time.Time) Report {
	if e.closing {
		return e.refuse("shutting_down", time.Time{})
	}
	if e.stopped {
		return e.refuse("stopped", time.Time{})
	}
	if reason, until := e.playRefusal(now); reason != "" {
		return e.refuse(reason, until)
	}
	return Report{}
}

// keepOut moves a target point that lies inside a keep-out zone to the
// nearest point on the zone's edge that is inside the axis limits, and
// reports whether it had to.
func (e *Envelope) keepOut() bool {
	pa, ta := e.axes[e.cfg.PanAxis], e.axes[e.cfg.TiltAxis]
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
	for _, z := range e.cfg.Zones {
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

// Switch turns a switch on (for at most d, and never past its MaxOn; d = 0
// means "until MaxOn") or off. Turning off is never refused.
func (e *Envelope) Switch(now time.Time, name string, on bool, d time.Duration) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.switches[name]
	if !ok {
		return e.refuse("unknown_output", time.Time{})
	}
	e.touch(now)
	s.expire(now)
	if !on {
		s.on, s.litOnce = false, false
		return Report{}
	}
	if reason := e.switchRefusal(now, s); reason != "" {
		return e.refuse(reason, e.refusalEnd(now, s, reason))
	}
	if !s.on {
		s.on, s.onSince, s.litOnce = true, now, false
	}
	s.offAt = time.Time{}
	if d > 0 {
		s.offAt = now.Add(d)
	}
	if d > s.MaxOn || (d > 0 && s.deadline().Before(s.offAt)) {
		r := e.clamped("max_on")
		r.Until = s.deadline()
		return r
	}
	return Report{}
}

// switchRefusal says why s may not be turned on at now, or "".
func (e *Envelope) switchRefusal(now time.Time, s *switchState) string {
	switch {
	case e.closing:
		return "shutting_down"
	case e.stopped:
		return "stopped"
	case s.disabled:
		return "disabled"
	case now.Before(s.restUntil):
		return "resting"
	case !s.Laser:
		return ""
	case e.faulted(now):
		return "fault"
	case e.cfg.DailyLaser > 0 && e.ledger.Laser+e.cfg.Tick > e.cfg.DailyLaser:
		return "daily_budget" // a tick is lit only if it fits in the budget
	}
	reason, _ := e.playRefusal(now)
	return reason
}

func (e *Envelope) refusalEnd(now time.Time, s *switchState, reason string) time.Time {
	switch reason {
	case "resting":
		return s.restUntil
	case "fault":
		return e.fault.until
	case "daily_budget":
		return e.ledger.nextDay(now)
	case "quiet_hours", "cat_resting":
		_, until := e.playRefusal(now)
		return until
	}
	return time.Time{}
}

// Home sends every axis home.
func (e *Envelope) Home(now time.Time) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r := e.motionRefusal(now); r.Refused {
		return r
	}
	e.touch(now)
	for _, a := range e.axes {
		a.target = a.Home
	}
	return Report{}
}

// Stop is the emergency stop: every switch off and every axis detached at
// the next Step, and every request but Resume refused until Resume.
func (e *Envelope) Stop(now time.Time) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = true
	e.auto.active = false
	for _, s := range e.switches {
		s.on = false
	}
	for _, a := range e.axes {
		a.target, a.vel = a.pos, 0 // the servos go limp where they are
	}
	return Report{}
}

// Resume ends an emergency stop.
func (e *Envelope) Resume(now time.Time) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = false
	e.touch(now)
	return Report{}
}

// touch records a request: the dead man's clock restarts, autoplay hands
// over, and a play session starts if none runs. Caller holds e.mu.
func (e *Envelope) touch(now time.Time) {
	e.lastReq = now
	e.parked = false
	e.auto.active = false
	if reason, _ := e.playRefusal(now); reason == "" {
		e.play(now)
	}
}

// setPoint aims the dot at (pan, tilt), inside the limits and outside
// every keep-out zone. Caller holds e.mu.
func (e *Envelope) setPoint(pan, tilt float64) {
	if a, ok := e.axes[e.cfg.PanAxis]; ok {
		a.target, _ = a.clamp(pan)
	}
	if a, ok := e.axes[e.cfg.TiltAxis]; ok {
		a.target, _ = a.clamp(tilt)
	}
	e.keepOut()
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
