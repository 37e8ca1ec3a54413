package safety

import (
	"time"

	"github.com/cattease/cattease/actuators"
)

// faultState backs off after driver write errors: while it lasts, lasers
// stay off and axis writes pause; each new failure doubles the wait.
type faultState struct {
	until   time.Time
	backoff time.Duration
	logged  time.Time
}

const (
	faultMinBackoff = 100 * time.Millisecond
	faultMaxBackoff = 10 * time.Second
)

func (e *Envelope) faulted(now time.Time) bool { return now.Before(e.fault.until) }

// onFault reacts to a failed driver write: the lasers go off and the axes
// head home at once, from where the servos stand: the last angle sent,
// at rest (an angle the fault kept from being sent never moved them, and
// no angle is sent while the writes back off, so every servo stops). A
// stopped rig stays where it stands instead: nothing moves until a resume.
// An axis whose homing failed stays unknown: homeLate tries again after
// the backoff, at the next request, and no laser lights until then.
// Then, unless the write was cut short because the
// motion loop is stopping, writes back off: a stop must park at once, and
// a backoff left from earlier faults would hold the axes past the park's
// deadline. Caller holds e.mu.
func (e *Envelope) onFault(now time.Time, name string, c actuators.Command, err error, stopping bool) {
	for _, s := range e.lasers {
		s.on = false
	}
	for _, sl := range e.slots {
		if a := sl.ax; a != nil {
			a.pos, a.vel = a.sent, 0
			if !a.known {
				a.pos = a.Home // only its homing may be sent
			}
			a.target = a.Home // braking within the acceleration limit
			if e.stopped {
				a.target = a.pos
			}
		}
	}
	if stopping {
		e.log.Debug("driver write cut short by shutdown; parking", "output", name, "cmd", c.String())
		return
	}
	f := &e.fault
	if f.backoff == 0 || !e.faulted(now) && now.Sub(f.until) > faultMaxBackoff {
		f.backoff = faultMinBackoff
	} else if f.backoff < faultMaxBackoff {
		f.backoff *= 2
	}
	f.until = now.Add(f.backoff)
	e.count("driver_fault")
	if now.Sub(f.logged) >= 5*time.Second { // keep reporting, without flooding
		f.logged = now
		e.log.Error("driver write failed: laser off, parking, retrying", "output", name,
			"cmd", c.String(), "err", err, "retry_in", f.backoff, "faults", e.faults)
	}
}

// count bumps a refusal or clamp counter. Caller holds e.mu.
func (e *Envelope) count(reason string) { e.counts[reason]++ }
