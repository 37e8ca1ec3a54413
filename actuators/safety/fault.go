package safety

import (
	"time"

	"github.com/cattease/cattease/actuators"
)

// faultState backs off after driver write errors: while it lasts, lasers
// stay off, and no angle goes to the axes it froze (axis.frozen): those
// whose driver failed, and the dot's while a laser's off failed. The
// other axes are driven on. Each new failure doubles the wait.
type faultState struct {
	until   time.Time
	backoff time.Duration
	at      time.Time // the last failure's instant: others then are the same fault (a shared bus)
	logged  time.Time
}

const (
	faultMinBackoff = 100 * time.Millisecond
	faultMaxBackoff = 10 * time.Second
)

func (e *Envelope) faulted(now time.Time) bool { return now.Before(e.fault.until) }

// frozen reports whether no angle may go to axis a at now: the fault's
// backoff lasts, and it froze a.
func (e *Envelope) frozen(now time.Time, a *axis) bool { return a.frozen && e.faulted(now) }

// onFault reacts to a failed driver write. The lasers go off, and the
// axes head home (under an emergency stop they go on braking, and stay
// where they stop until a resume; a parked rig stays at its park spot). The axis whose write failed stands
// where its servo is (stand); unless the write was cut short because the
// motion loop is stopping, it is frozen: no angle goes to it until the
// backoff ends, and it then starts from rest there. Every other axis is
// driven on from where it is, at its speed, within its acceleration: a
// healthy servo is not stopped dead by another's fault. A laser whose off
// failed may be lit still: the dot's axes are frozen too, since a lit dot
// the envelope cannot darken must not move (keep-out), which is worth a
// hard stop. An axis whose homing failed stays unknown: homeLate tries
// again after the backoff, at the next request, and no laser lights until
// then. Then, unless the write was cut short because the motion loop is
// stopping, writes back off (the failures of one instant, a shared bus
// failing every servo, are one fault): a stop must park at once, and a
// backoff left from earlier faults would hold the axes past the park's
// deadline. Caller holds e.mu.
func (e *Envelope) onFault(now time.Time, name string, c actuators.Command, err error, stopping bool) {
	lit := false
	if s := e.switches[name]; s != nil {
		lit = s.Laser && s.lit() // its off failed: it may be lit still
	}
	for _, s := range e.lasers {
		s.on = false
	}
	if !stopping && !e.faulted(now) {
		for _, sl := range e.slots { // a new backoff: what the last one froze is free
			if a := sl.ax; a != nil {
				a.frozen = false
			}
		}
	}
	if a := e.axes[name]; a != nil {
		e.stand(a, !stopping)
	}
	if lit {
		for _, a := range [2]*axis{e.pan, e.tilt} {
			if a != nil {
				e.stand(a, !stopping)
			}
		}
	}
	for _, sl := range e.slots {
		// A parked rig (the dead man, the play layer's park at a session's
		// end or in quiet hours) stays at its park spot: a failed write
		// there, most likely the detach after detach_after, must not move
		// the servos at night or during the cat's rest.
		if a := sl.ax; a != nil && !e.stopped && !e.parked {
			a.target = a.Home // braking within the acceleration limit
		}
	}
	if stopping {
		e.log.Debug("driver write cut short by shutdown; parking", "output", name, "cmd", c.String())
		return
	}
	f := &e.fault
	switch {
	case e.faulted(now) && now.Equal(f.at): // another output of the same instant: one fault
	case f.backoff == 0 || !e.faulted(now) && now.Sub(f.until) > faultMaxBackoff:
		f.backoff = faultMinBackoff
	case f.backoff < faultMaxBackoff:
		f.backoff *= 2
	}
	f.until, f.at = now.Add(f.backoff), now
	e.count("driver_fault")
	if now.Sub(f.logged) >= 5*time.Second { // keep reporting, without flooding
		f.logged = now
		e.log.Error("driver write failed: laser off, parking, retrying", "output", name,
			"cmd", c.String(), "err", err, "retry_in", f.backoff, "faults", e.faults)
	}
}

// stand puts axis a back where its servo is after a write its driver did
// not take, which moved nothing: on the move its last delivered angle
// started, at the velocity the delivered angles imply (the servo holds
// that angle, and may still be on its way to it). Once more than 2.5
// ticks have passed since that angle, it is at rest there (moveTime),
// which the backoff ensures. An axis whose position is unknown is home,
// at rest: only its homing may be sent. Under an emergency stop it stays
// where it stands until a resume. freeze: no angle goes to it until the
// backoff ends. Not frozen, the write was cut short as the motion loop
// stops, and no backoff follows: the servo got nothing at this tick and
// stopped at its last delivered angle (3), so the axis is at rest there at
// once, and its next angle starts from rest, not on the move. Caller
// holds e.mu.
func (e *Envelope) stand(a *axis, freeze bool) {
	a.pos, a.vel, a.landed, a.lastAt = a.sent, a.sentVel, a.sentLanded, a.sentAt
	if !a.known {
		a.pos, a.vel, a.landed = a.Home, 0, false
	}
	if !freeze {
		a.vel, a.landed, a.sentVel, a.sentLanded = 0, false, 0, false
	}
	if e.stopped {
		a.target = a.pos // it stays where it stands until a resume
	}
	a.frozen = a.frozen || freeze
}

// count bumps a refusal or clamp counter. Caller holds e.mu.
func (e *Envelope) count(reason string) { e.counts[reason]++ }
