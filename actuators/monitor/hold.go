package monitor

import "math"

// holdState follows the hold of the current process (rule "hold"), on a
// rig with a laser. Where the servos are is unknown at a process's start:
// each axis's homing is a jump at the servo's own speed from wherever the
// last process left it, and the dot is not where the angle says until the
// servo has surely arrived. From the process's first homing until every
// axis is homed and settle has passed since the latest homing H, no laser
// is lit and every angle is the axis's home.
type holdState struct {
	on       bool    // the rig has a laser: the rule applies
	settle   float64 // seconds: the longest rest-to-rest move over an axis's whole range
	settleNs int64   // settle rounded to ns, for the hold's end
	begun    bool    // the process's first homing came: the hold runs from it
	done     bool    // the hold has ended: every axis homed, settle past H
	h        int64   // H, the latest homing in the process; 0 = none yet
	endW     int64   // H + settle on the wall clock (quiet hours)
}

// settle is the time of a rest-to-rest move over an axis's whole range
// d = max − min at its speed v and acceleration a, the largest over the
// axes, in seconds: d/v without an acceleration limit; d/v + v/a when
// the move reaches full speed (d ≥ v²/a); else 2·√(d/a). It assumes the
// servo keeps up with its configured speed and acceleration, as the
// speed limits do. An axis without a speed (which check refuses) adds
// nothing.
func (l Limits) settle() float64 {
	worst := 0.0
	for _, a := range l.Axes {
		d, v, acc := math.Abs(a.Max-a.Min), a.Speed, a.Accel
		if v <= 0 || d == 0 {
			continue
		}
		s := d / v
		switch {
		case acc <= 0:
		case d >= v*v/acc:
			s += v / acc
		default:
			s = 2 * math.Sqrt(d/acc)
		}
		worst = math.Max(worst, s)
	}
	return worst
}

// holdInit sets the rule up for the limits: only a rig with a laser.
func (m *Monitor) holdInit() {
	for _, s := range m.l.Switches {
		m.hold.on = m.hold.on || s.Laser
	}
	m.hold.on = m.hold.on && !m.l.noHold
	m.hold.settle = m.l.settle()
	m.hold.settleNs = int64(math.Round(m.hold.settle * 1e9))
}

// reset starts a process's hold afresh: every axis is unknown.
func (h *holdState) reset() { h.begun, h.done, h.h, h.endW = false, false, 0, 0 }

// unhomed returns the first axis whose position is unknown, -1 if none.
func (m *Monitor) unhomed() int {
	for i := range m.axes {
		if !m.axes[i].known {
			return i
		}
	}
	return -1
}

// holding reports whether t is within the process's hold: some axis is
// unknown, or t is before H + settle (less 1e-9 s). Once past, the hold
// is over for the process: no axis becomes unknown again after it.
func (m *Monitor) holding(t int64) bool {
	h := &m.hold
	if !h.on || h.done {
		return false
	}
	if m.unhomed() >= 0 || float64(t-h.h) < h.settle*1e9-1 {
		return true
	}
	h.done = true
	return false
}

// homed records the homing of an axis at t: the hold counts from the
// latest.
func (m *Monitor) homed(t int64) {
	if h := &m.hold; h.on && !h.done {
		h.begun, h.h, h.endW = true, t, t+m.wall.off+h.settleNs
	}
}

// holdLight checks a laser lit at t against the hold.
func (m *Monitor) holdLight(t int64, name string) {
	if !m.holding(t) {
		return
	}
	if i := m.unhomed(); i >= 0 {
		m.report(t, "hold", name, "laser lit while axis %s is not homed", m.axes[i].Name)
		return
	}
	m.report(t, "hold", name, "laser lit %v after the last homing, within the settle time %v",
		fmtNs(t-m.hold.h), fmtNs(m.hold.settleNs))
}

// holdMove checks an angle x of known axis a at t against the hold: the
// servos are held at home. It reports whether t is within the hold. One
// report an axis from its homing on: the moves of a hold are one fault.
func (m *Monitor) holdMove(t int64, a *axisState, x float64) bool {
	if !m.holding(t) {
		return false
	}
	if math.Abs(x-a.Home) <= eps || a.holdFlagged {
		return true
	}
	a.holdFlagged = true
	if i := m.unhomed(); i >= 0 {
		m.report(t, "hold", a.Name, "angle %.4g° while axis %s is not homed: the servos are held at home %.4g°",
			x, m.axes[i].Name, a.Home)
		return true
	}
	m.report(t, "hold", a.Name, "angle %.4g° %v after the last homing, within the settle time %v: the servos are held at home %.4g°",
		x, fmtNs(t-m.hold.h), fmtNs(m.hold.settleNs), a.Home)
	return true
}

// holdDetach checks a detach of axis a at t against the hold: from the
// process's first homing until the hold ends, no axis is detached but by
// an emergency stop (a servo left limp may be pushed anywhere, and its
// homing would jump it back at its own speed).
func (m *Monitor) holdDetach(t int64, a *axisState) {
	if !m.hold.begun || m.stop.on || !m.holding(t) {
		return
	}
	if i := m.unhomed(); i >= 0 {
		m.report(t, "hold", a.Name, "detached while axis %s is not homed: during the hold no servo goes limp but by an emergency stop",
			m.axes[i].Name)
		return
	}
	m.report(t, "hold", a.Name, "detached %v after the last homing, within the settle time %v: during the hold no servo goes limp but by an emergency stop",
		fmtNs(t-m.hold.h), fmtNs(m.hold.settleNs))
}
