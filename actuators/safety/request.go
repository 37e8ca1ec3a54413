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
	Clamped bool      // the target was moved inside the limits
	Reason  string    // machine-readable: "clamped", "stopped", "resting", "unknown_output", ...
	Until   time.Time // when the refusal ends, if known
}

func (r Report) String() string {
	if r.Reason == "" {
		return "ok"
	}
	return r.Reason
}

func refuse(reason string, until time.Time) Report {
	return Report{Refused: true, Reason: reason, Until: until}
}

// MoveTo sets an axis's target to deg, clamped to its limits.
func (e *Envelope) MoveTo(now time.Time, name string, deg float64) Report {
	return e.move(now, name, func(*axis) float64 { return deg })
}

// MoveBy moves an axis's target by delta degrees from its current target,
// clamped to its limits, so repeated commands accumulate.
func (e *Envelope) MoveBy(now time.Time, name string, delta float64) Report {
	return e.move(now, name, func(a *axis) float64 { return a.target + delta })
}

func (e *Envelope) move(now time.Time, name string, to func(*axis) float64) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.axes[name]
	if !ok {
		return refuse("unknown_output", time.Time{})
	}
	if e.stopped {
		return refuse("stopped", time.Time{})
	}
	e.touch(now)
	want := to(a)
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return refuse("bad_value", time.Time{})
	}
	t, clamped := a.clamp(want)
	a.target = t
	if clamped {
		return Report{Clamped: true, Reason: "clamped"}
	}
	return Report{}
}

// Switch turns a switch on (for at most d, and never past its MaxOn; d = 0
// means "until MaxOn") or off. Turning off is never refused.
func (e *Envelope) Switch(now time.Time, name string, on bool, d time.Duration) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.switches[name]
	if !ok {
		return refuse("unknown_output", time.Time{})
	}
	e.touch(now)
	if !on {
		s.expire(now)
		if s.on {
			s.on = false
		}
		return Report{}
	}
	switch {
	case e.stopped:
		return refuse("stopped", time.Time{})
	case s.disabled:
		return refuse("disabled", time.Time{})
	case now.Before(s.restUntil):
		return refuse("resting", s.restUntil)
	}
	s.expire(now)
	if !s.on {
		s.on, s.onSince = true, now
	}
	s.offAt = time.Time{}
	if d > 0 {
		s.offAt = now.Add(d)
	}
	if d > s.MaxOn || (d > 0 && s.deadline().Before(s.offAt)) {
		return Report{Clamped: true, Reason: "max_on", Until: s.deadline()}
	}
	return Report{}
}

// Home sends every axis home.
func (e *Envelope) Home(now time.Time) Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return refuse("stopped", time.Time{})
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
	for _, s := range e.switches {
		s.on = false
	}
	for _, a := range e.axes {
		a.target, a.vel = a.pos, 0
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

// touch records a request for the dead man. Caller holds e.mu.
func (e *Envelope) touch(now time.Time) {
	e.lastReq = now
	e.parked = false
}

// Settled reports whether every axis has reached its target.
func (e *Envelope) Settled() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
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
