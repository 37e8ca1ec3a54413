package play

import (
	"maps"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// MoveTo asks the envelope to move an axis to deg.
func (l *Layer) MoveTo(now time.Time, axis string, deg float64) safety.Report {
	return l.request(now, func() safety.Report { return l.env.MoveTo(now, axis, deg) })
}

// MoveBy asks the envelope to move an axis by delta.
func (l *Layer) MoveBy(now time.Time, axis string, delta float64) safety.Report {
	return l.request(now, func() safety.Report { return l.env.MoveBy(now, axis, delta) })
}

// Switch asks for a switch on (for d) or off. Off is never refused.
func (l *Layer) Switch(now time.Time, name string, on bool, d time.Duration) safety.Report {
	if !on {
		l.mu.Lock()
		l.lastChat, l.auto.active = now, false
		l.mu.Unlock()
		return l.env.Switch(now, name, false, 0)
	}
	return l.request(now, func() safety.Report { return l.env.Switch(now, name, true, d) })
}

// Home sends every axis home.
func (l *Layer) Home(now time.Time) safety.Report {
	return l.request(now, func() safety.Report { return l.env.Home(now) })
}

// Stop is the emergency stop; never refused.
func (l *Layer) Stop(now time.Time) safety.Report {
	l.mu.Lock()
	l.auto.active = false
	l.mu.Unlock()
	return l.env.Stop(now)
}

// Resume ends an emergency stop; never refused.
func (l *Layer) Resume(now time.Time) safety.Report {
	l.mu.Lock()
	l.lastChat = now
	l.mu.Unlock()
	return l.env.Resume(now)
}

// Settled reports whether every axis has reached its target.
func (l *Layer) Settled() bool { return l.env.Settled() }

// Snapshot is the envelope's state with the play session filled in, its
// times on the wall clock, as the session's are.
func (l *Layer) Snapshot() safety.State {
	st := l.env.Snapshot()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.switchesOnWallClock(st.Switches)
	st.Session.Phase, st.Session.Until = l.phase()
	st.Session.Autoplay = l.auto.active
	if st.Counts == nil {
		st.Counts = map[string]uint64{}
	}
	for k, v := range l.counts {
		st.Counts[k] += v
	}
	return st
}

// Counts returns the play layer's own refusals by reason.
func (l *Layer) Counts() map[string]uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.counts)
}

// phase is the session's phase and, on the wall clock, when it ends: for
// quiet hours and a rest, when play resumes (see resumes).
func (l *Layer) phase() (string, time.Time) {
	switch {
	case l.quietNow:
		return PhaseQuiet, l.resumes(l.quietEnd)
	case l.resting:
		return PhaseRest, l.resumes(l.restEnd())
	case l.cfg.MaxPlay <= 0:
		return PhaseOff, time.Time{}
	case l.start.IsZero():
		return PhasePlay, time.Time{}
	}
	return PhasePlay, l.onWallClock(l.start.Add(l.cfg.MaxPlay))
}

// Enable allows or forbids a switch (the panel's laser switch).
func (l *Layer) Enable(name string, on bool) bool { return l.env.Enable(name, on) }

// Tick is the motion tick, for stepping on a virtual clock.
func (l *Layer) Tick() time.Duration { return l.cfg.Tick }

// Idle reports whether every switch is dark: a replay may jump its clock
// over a long silence only then.
func (l *Layer) Idle() bool {
	for _, s := range l.env.Snapshot().Switches {
		if s.On {
			return false
		}
	}
	return true
}

// Refusal says why chat may not play now (quiet hours, a rest, the
// session's finish) and until when, or "": the rule engine asks before
// it spends a viewer's gift credits on a command. The answer is the
// layer's as of its latest tick, the one its requests are refused by.
func (l *Layer) Refusal(time.Time) (actuators.Reason, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refusal()
}
