package mqtt

import (
	"time"

	"github.com/cattease/cattease/actuators"
)

// Refusal says whether the agent's play layer refuses chat now, as its
// last state says: a rest or quiet hours (safety.Session's "rest" and
// "quiet"), with their end. The engine asks before it spends anything a
// viewer paid for; a state older than a link may be silent says nothing,
// and the request itself is then refused (link).
func (r *Remote) Refusal(time.Time) (actuators.Reason, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stateAt.IsZero() || r.now().Sub(r.stateAt) > LinkTimeout {
		return "", time.Time{}
	}
	switch s := r.state.Session; s.Phase {
	case "quiet":
		return actuators.ReasonQuietHours, s.Until
	case "rest":
		return actuators.ReasonCatResting, s.Until
	}
	return "", time.Time{}
}

// Refusal refuses chat only when every rig refuses it (a request goes to
// each, and plays where it may), until the first of them plays again.
func (f Fanout) Refusal(now time.Time) (actuators.Reason, time.Time) {
	var reason actuators.Reason
	var until time.Time
	for _, r := range f {
		rr, u := r.Refusal(now)
		if rr == "" {
			return "", time.Time{}
		}
		if reason == "" {
			reason = rr
		}
		if until.IsZero() || !u.IsZero() && u.Before(until) {
			until = u
		}
	}
	return reason, until
}
