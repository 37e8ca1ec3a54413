package monitor

import (
	"math"
	"time"
)

// stopState follows an emergency stop, from the stop the side that asked
// for it wrote (Stop) to its resume (Resume).
type stopState struct {
	on bool
	// at is when the stop was taken on the stream's clock: its time less
	// the wall clock's offset at the latest output, or that output's time
	// if later (its requester's clock read earlier than the rig's).
	at int64
	// due: a laser was lit at the stop and has yet to be seen dark.
	due bool
	// seen: an output came after the stop: it is of a tick after it.
	seen bool
	// carried: the stop was kept over a restart (keep_state), whose
	// process gives its servos no pulse, not even to go home, until the
	// resume (axisState.cold).
	carried bool
}

// Stop tells m that an emergency stop was taken at t, as the side that
// asked for it reads its clock (the wall clock live): every output that
// follows comes from the rig after it took the stop. From then on until
// Resume, rule "stop": no output switches anything on; every laser lit at
// the stop is dark at the end of the first output instant after it, and
// in any case 2.5τ after it (a tick, however late a real-time tick may
// come); an axis's angles only brake: each one slower than the one
// before, on the way it went, none once the axis is at rest or limp
// (detached, which it may be at any time), and none later than braking
// from its speed at the stop at its acceleration takes, plus 2.5τ (just
// 2.5τ without an acceleration limit); and an axis attached at the stop
// goes limp (a detach) at the tick after it came to rest, which may be
// 2.5τ late too: within 2.5τ of its first angle during the stop that does
// not move it (the stop at the end of its braking), and at the latest
// 2.5τ after that braking time (one at rest at the stop: within it and a
// tick), as the servos brake and then go limp. The end of the process ends the obligation: its
// halt, or its death, takes every pulse away. A stopped rig homes nothing: an
// axis whose position was unknown at the stop (never homed in the
// process, or left limp during its hold) gets no angle at all until the
// resume, not even its home; nor does one the process left limp during
// its hold since (an angle to it goes to a servo the stop left limp). A
// stop while one holds changes nothing; a restart that keeps the state
// (Restart) keeps the stop, as the state directory does on the hardware,
// and the process it starts, whose axes are all unknown, sends no angle
// until the resume; one that does not (a dry run) ends it.
func (m *Monitor) Stop(t time.Time) {
	if m.stop.on {
		return
	}
	at := t.UnixNano() - m.wall.off
	if m.started {
		at = max(at, m.now)
	}
	m.stop = stopState{on: true, at: at, due: m.nLasers > 0}
	for i := range m.axes {
		a := &m.axes[i]
		a.cold = !a.known
		a.brakeBy = at + m.maxGap()
		if a.known && a.attached && a.Accel > 0 {
			a.brakeBy += int64(math.Ceil(math.Abs(a.v) / a.Accel * 1e9))
		}
		a.limpBy = 0
		switch {
		case !a.attached:
		case a.v == 0: // at rest: limp at the first tick, by brakeBy
			a.limpBy = a.brakeBy + m.tick
		default: // at rest by brakeBy, then limp at the next tick
			a.limpBy = a.brakeBy + m.maxGap()
		}
	}
}

// Resume tells m that the emergency stop ended at t: every output that
// follows may come from the rig after it resumed. What was due by t is
// checked first, as the time the stop lasted passes (on the stream's
// clock, as Stop reads it): a laser still lit when it should have gone
// dark, a servo still attached when it should have gone limp, even with
// no output between the stop and the resume.
func (m *Monitor) Resume(t time.Time) {
	if m.stop.on && m.started {
		at := max(t.UnixNano()-m.wall.off, m.now)
		m.stopDark(at)
		m.stopLimp(at)
	}
	m.stop = stopState{}
	for i := range m.axes {
		m.axes[i].limpBy = 0
	}
}

// stopLimp checks, as time passes to t, that every axis attached at the
// stop went limp by its limpBy: braking takes until brakeBy, and the
// detach comes at the next tick after the axis is at rest, however late a
// real-time tick may come (2.5τ): after its stop angle (stopMove), or
// after brakeBy.
func (m *Monitor) stopLimp(t int64) {
	if !m.stop.on {
		return
	}
	for i := range m.axes {
		a := &m.axes[i]
		if a.limpBy == 0 || t <= a.limpBy {
			continue
		}
		by := a.limpBy
		a.limpBy = 0
		if a.attached {
			m.report(by, "stop", a.Name, "not limp %v after the emergency stop, longer than braking and a tick take: a stopped servo goes limp",
				fmtNs(by-m.stop.at))
		}
	}
}

// stopDark checks, as time passes to t or the process ends there, that
// the lasers lit at the stop went dark at the first output instant after
// it, and within 2.5τ of it.
func (m *Monitor) stopDark(t int64) {
	s := &m.stop
	if !s.on || !s.due {
		return
	}
	if m.nLasers == 0 {
		s.due = false
		return
	}
	switch due := s.at + m.maxGap(); {
	case s.seen:
		s.due = false
		m.report(m.now, "stop", m.litLaser(), "laser still lit at the first output instant %v after the emergency stop",
			fmtNs(m.now-s.at))
	case t > due:
		s.due = false
		m.report(due, "stop", m.litLaser(), "laser still lit %v after the emergency stop", fmtNs(due-s.at))
	}
}

// stopOutput checks an output e of switch or detach at t against the stop;
// angles are checked by stopMove.
func (m *Monitor) stopOutput(t int64, e Event) {
	if !m.stop.on {
		return
	}
	m.stop.seen = true
	if _, ok := m.swIdx[e.Target]; ok && e.Action == "switch" && e.Value != 0 {
		m.report(t, "stop", e.Target, "switched on during the emergency stop")
	}
}

// stopMove checks an angle of axis a, known in the process, at t: the
// move d at velocity v, after prev, during a stop.
func (m *Monitor) stopMove(t int64, a *axisState, d, v, prev float64) {
	switch {
	case !a.attached:
		m.report(t, "stop", a.Name, "angle %.4g° sent to a servo the emergency stop left limp", a.x+d)
	case math.Abs(d) <= eps: // at rest: limp at the next tick
		if a.limpBy != 0 {
			a.limpBy = min(a.limpBy, t+m.maxGap())
		}
	case prev == 0:
		m.report(t, "stop", a.Name, "moved %.4g° from rest during the emergency stop", d)
	case v*prev < 0:
		m.report(t, "stop", a.Name, "reversed from %.4g°/s to %.4g°/s during the emergency stop", prev, v)
	case math.Abs(v) > math.Abs(prev)+eps*(1+math.Abs(v)+math.Abs(prev)):
		m.report(t, "stop", a.Name, "sped up from %.4g°/s to %.4g°/s during the emergency stop", prev, v)
	case !(math.Abs(v) < math.Abs(prev)-eps*(1+math.Abs(prev))):
		m.report(t, "stop", a.Name, "kept moving at %.4g°/s during the emergency stop", v)
	case t > a.brakeBy && a.Accel > 0:
		m.report(t, "stop", a.Name, "still moving at %.4g°/s %v after the emergency stop, longer than braking at %.4g°/s² takes",
			v, fmtNs(t-m.stop.at), a.Accel)
	case t > a.brakeBy:
		m.report(t, "stop", a.Name, "still moving at %.4g°/s %v after the emergency stop, with no acceleration limit to brake within",
			v, fmtNs(t-m.stop.at))
	}
}

// skippedStop takes a stop (on) or a resume line of a run whose part of
// the trace has ended (a gap: its lines are skipped, unchecked): nothing
// of it is checked, but whether a stop is in force is what a restart that
// keeps the state carries over (stopRestart), as the state directory
// keeps it on the hardware.
func (m *Monitor) skippedStop(on bool) {
	switch {
	case !on:
		m.stop = stopState{}
	case !m.stop.on:
		m.stop = stopState{on: true, at: m.now}
	}
	for i := range m.axes {
		m.axes[i].limpBy = 0
	}
}

// stopRestart carries the stop over a restart at the end of a process
// whose outputs are all off: kept with the state, else ended.
func (m *Monitor) stopRestart(keepState bool) {
	if !keepState {
		m.stop = stopState{}
		return
	}
	// Every output is off, every axis unknown and limp: the new process
	// sends them nothing until the resume.
	m.stop.due, m.stop.seen, m.stop.carried = false, false, m.stop.on
	for i := range m.axes {
		m.axes[i].cold = m.stop.on
	}
}

// coldAngle reports an angle x of axis a at t sent during a stop that
// found the axis's position unknown: a stopped rig homes nothing, and
// sends such a servo no pulse, not even to go home, until the resume. It
// reports whether it was.
func (m *Monitor) coldAngle(t int64, a *axisState, x float64) bool {
	if !m.stop.on || !a.cold {
		return false
	}
	if m.stop.carried {
		m.report(t, "stop", a.Name, "angle %.4g° sent under an emergency stop kept over a restart: no pulse, not even to go home, until the resume", x)
	} else {
		m.report(t, "stop", a.Name, "angle %.4g° sent during the emergency stop to a servo not homed before it: no pulse, not even to go home, until the resume", x)
	}
	return true
}
