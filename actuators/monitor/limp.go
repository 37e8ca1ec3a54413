package monitor

import "math"

// Rule "limp" (rigs with a laser): while any servo axis of the rig is
// detached, every laser is dark. When a detached axis gets its next
// angle at time A, it holds that angle (no other angle for that axis)
// and every laser stays dark until A + settle, settle being the same
// whole-range rest-to-rest time as the hold after a homing. An emergency
// stop's limp servos are covered by the same rule.
//
// A limp servo may be pushed anywhere, and its next angle jumps it back
// at its own speed: the dot is not where the angle says until it has
// surely arrived, whether the detach came during the hold (the axis is
// unknown again, and its angle a homing) or after it. Within the hold,
// which keeps every laser dark and every angle home for longer, the hold
// reports what breaks it; the rule reports the rest. Detached is a
// detach delivered in the process, with no angle of the axis since; a
// process's start is the hold's.

// limpState is the rule's state in the current process.
type limpState struct {
	n       int   // axes detached, with no angle since
	until   int64 // the latest A + settle of an axis's first angle after a detach
	flagged bool  // a laser lit against the rule was reported; until the rule holds again at an instant's end
}

// limpDetach records the delivered detach of axis a.
func (m *Monitor) limpDetach(a *axisState) {
	if !m.hold.on || a.limp {
		return
	}
	a.limp, a.limpHeld = true, false
	m.limp.n++
}

// limpMove checks an angle x of axis a at t: the first after a detach
// starts its hold of settle (A = t); any other angle of the axis within
// it is flagged, once a hold, unless the hold after a homing covers it.
func (m *Monitor) limpMove(t int64, a *axisState, x float64) {
	switch {
	case a.limp:
		a.limp, a.limpHeld, a.limpFlagged = false, true, false
		a.limpAt, a.limpX = t, x
		m.limp.n--
		m.limp.until = max(m.limp.until, t+m.hold.settleNs)
	case !m.limpHolding(a, t):
		a.limpHeld = false
	case math.Abs(x-a.limpX) > eps && !a.limpFlagged && !m.holding(t):
		a.limpFlagged = true
		m.report(t, "limp", a.Name, "angle %.4g° %v after its first angle %.4g° since it went limp, within the settle time %v: it holds that angle",
			x, fmtNs(t-a.limpAt), a.limpX, fmtNs(m.hold.settleNs))
	}
}

// limpHolding reports whether axis a holds its first angle after a
// detach at t: t < A + settle, less 1e-9 s, as the hold reads it.
func (m *Monitor) limpHolding(a *axisState, t int64) bool {
	return a.limpHeld && float64(t-a.limpAt) < m.hold.settle*1e9-1
}

// limpEnd checks the instant just ended, at m.now: a lit laser with an
// axis detached, or within settle of an axis's first angle after its
// detach. Outputs of one instant reach the drivers at once: the state at
// its end is what the lasers light. A laser switched on against the rule
// is reported at once (limpLight), once until the rule holds again at an
// instant's end.
func (m *Monitor) limpEnd() {
	if l := &m.limp; m.nLasers == 0 || l.n == 0 && m.now >= l.until || !m.limpLit(m.now) {
		l.flagged = false
	}
}

// limpLight checks a laser switched on at t.
func (m *Monitor) limpLight(t int64) {
	if l := &m.limp; l.n > 0 || t < l.until {
		m.limpLit(t)
	}
}

// limpLit reports a laser lit at t against the rule, unless reported
// since the rule last held, or the hold covers t; it reports whether the
// rule is broken at t.
func (m *Monitor) limpLit(t int64) bool {
	l := &m.limp
	if m.holding(t) {
		return l.flagged
	}
	for i := range m.axes {
		a := &m.axes[i]
		switch {
		case a.limp:
			if !l.flagged {
				m.report(t, "limp", m.litLaser(), "laser lit while axis %s is detached: a limp servo may be pushed anywhere", a.Name)
			}
		case m.limpHolding(a, t):
			if !l.flagged {
				m.report(t, "limp", m.litLaser(), "laser lit %v after axis %s's first angle since it went limp, within the settle time %v",
					fmtNs(t-a.limpAt), a.Name, fmtNs(m.hold.settleNs))
			}
		default:
			continue
		}
		l.flagged = true
		return true
	}
	return false
}
