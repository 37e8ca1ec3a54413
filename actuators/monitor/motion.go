package monitor

import "math"

// axisState is what the monitor knows of one axis in the current process.
type axisState struct {
	AxisLimits
	known    bool    // where the servo is: homed in this process, not detached during the hold since
	attached bool    // no detach since the last angle
	x        float64 // last angle sent
	v        float64 // velocity of the last move, °/s
	last     int64   // time of the last angle
	first    float64 // the first angle of the instant of the last one
	jumped   bool    // an angle of that instant moved it in 0 s (jump)
	pending  bool    // a stop check is due at last+τ unless it moves on or detaches
	faultAt  int64   // a write to it failed then, at the first output instant after last (fault)
	brakeBy  int64   // during an emergency stop: the last time an angle may still brake
	cold     bool    // during an emergency stop: its position was unknown at the stop (coldAngle)
	limpBy   int64   // during an emergency stop: the last time it may go limp (stopLimp); 0 = none due
	duty     dutyState
	// lost: unknown again, detached during the hold after its homing;
	// holdFlagged: an angle away from home during the hold was reported
	// since its homing.
	lost, holdFlagged bool
	// limp: detached, with no angle since (rule "limp"); limpHeld: its
	// first angle after that, limpX at limpAt, holds for settle;
	// limpFlagged: another angle within it was reported.
	limp, limpHeld, limpFlagged bool
	limpAt                      int64
	limpX                       float64
	// Where the axis was when the process's exit park began, and how far
	// past that, or past home, its speed then could carry it braking
	// (v²/2a): a park's bounds (homeward).
	exitFrom, exitReach float64
}

// parkFrom is where the axis is, and how far its speed could carry it
// braking at its acceleration limit: the bounds of a park that begins
// now (homeward). A detached or unknown axis is not moving.
func (a *axisState) parkFrom() (x, reach float64) {
	if !a.known {
		return a.Home, 0
	}
	if !a.attached || a.Accel <= 0 {
		return a.x, 0
	}
	return a.x, a.v * a.v / (2 * a.Accel)
}

func (a *axisState) reset() {
	a.known, a.lost, a.holdFlagged, a.attached, a.pending, a.v = false, false, false, false, false, 0
	a.limp, a.limpHeld, a.limpFlagged = false, false, false
	a.faultAt = 0
	a.duty.reset()
}

// move applies an angle output of axis i at t; exit: it is marked as the
// park on the way out (Event.Exit).
func (m *Monitor) move(t int64, i int, x float64, exit bool) {
	a := &m.axes[i]
	m.checkRange(t, i, x)
	m.dutyCheck(t, i)
	if a.known && t == a.last {
		m.jump(t, i, x, exit)
		return
	}
	if a.limp || a.limpHeld {
		m.limpMove(t, a, x)
	}
	a.first, a.jumped = x, false
	if !a.known {
		// Where the servo was is unknown, so no speed is checked; that is
		// safe only because the envelope homes an axis whose position is
		// unknown. Anywhere else could be a full-speed slew from the far
		// end. On a rig with a laser the hold then keeps it there until
		// it has surely arrived (hold.go).
		if !(math.Abs(x-a.Home) <= eps) {
			m.report(t, "home", a.Name, "angle %.4g° while its position is unknown, not home %.4g°", x, a.Home)
		}
		if !m.coldAngle(t, a, x) && m.stop.on && a.lost {
			m.report(t, "stop", a.Name, "angle %.4g° sent to a servo the emergency stop left limp", x)
		}
		home := exit && math.Abs(x-a.Home) <= eps
		a.known, a.lost, a.holdFlagged = true, false, false
		a.attached, a.x, a.v, a.last, a.pending = true, x, 0, t, false
		m.homed(t)
		m.moved(t, i, true, home)
		return
	}
	holding := m.holdMove(t, a, x)
	switch {
	case a.fault() && t > a.faultAt:
		// Its write failed at the tick after its last angle, within 2.5τ
		// of it: the servo, which holds the last angle it got, stopped
		// there (faultCheck), whatever this angle is (the same angle
		// again, or one that moves it: a write cut short as the loop
		// stops is no different), and this angle starts from rest. One
		// delivered at that tick after all is the stop the envelope sent.
		// The stop is checked within a tick's braking, or, during an
		// emergency stop, which brakes over the ticks as they come, within
		// the braking of the time since the last angle.
		lim := a.Accel * m.tauSec
		if m.stop.on {
			lim = a.Accel * float64(t-a.last) / 1e9
		}
		m.faultCheck(a, lim)
	case a.pending && m.before != a.last:
		// An output instant came between its last angle and this one: a
		// tick that left the axis still, where its move stopped (3).
		m.stopCheck(a, a.last+m.tick)
	}
	// A moving axis's next angle at most maxGap later, with no output
	// instant between, continues the move (a late tick of the real-time
	// loop stretches one tick); after a longer gap it had stopped. An axis
	// at rest (its last angle repeated the one before, or a tick passed it
	// by) starts from rest over one τ, whenever it starts.
	dt, prev := m.tick, 0.0
	if gap := t - a.last; a.attached && a.v != 0 && gap > 0 && gap <= m.maxGap() && m.before == a.last {
		dt, prev = gap, a.v
	}
	sec := float64(dt) / 1e9
	d := x - a.x
	if !(math.Abs(d) <= a.Speed*sec+eps) {
		m.report(t, "speed", a.Name, "moved %.4g° in %v (limit %.4g°)", math.Abs(d), fmtNs(dt), a.Speed*sec)
	}
	v := d / sec
	if !m.coldAngle(t, a, x) && m.stop.on {
		m.stopMove(t, a, d, v, prev)
	}
	if lim := a.Accel * sec; a.Accel > 0 && !(math.Abs(v-prev) <= lim+eps*(1+math.Abs(v)+math.Abs(prev))) {
		m.report(t, "accel", a.Name, "velocity changed from %.4g°/s to %.4g°/s in %v (limit %.4g°/s)", prev, v, fmtNs(dt), lim)
	} else if lim := a.Accel * m.tauSec; a.Accel > 0 && prev != 0 && math.Abs(d) <= eps && !m.stop.on &&
		!(math.Abs(prev) <= lim+eps*(1+math.Abs(prev))) {
		// The stop at the end of a move, at a late tick: the move landed
		// at a speed it could not stop from within τ, which no tick's
		// length known ahead allows (3). An emergency stop brakes over the
		// ticks as they come (stopMove).
		m.report(t, "accel", a.Name, "landed at %.4g°/s, faster than it can stop from within a tick (limit %.4g°/s)", prev, lim)
	}
	home := exit && homeward(a, x, v, prev)
	a.attached, a.x, a.v, a.last, a.pending = true, x, v, t, true
	m.moved(t, i, holding && math.Abs(x-a.Home) <= eps, home)
}

// jump applies a further angle x of known axis i at t, the instant of its
// last angle (or a time gone back, taken to be that instant): the servo
// gets the angles of an instant at once, so one that differs from the
// instant's first moved it in no time, which no speed allows (3). It is
// reported once an instant, however many angles it takes (each within a
// tick's move of the one before is no excuse). It starts no move of its
// own: the move the instant's first angle started goes on from x, which
// later angles are checked from.
func (m *Monitor) jump(t int64, i int, x float64, exit bool) {
	a := &m.axes[i]
	holding := m.holdMove(t, a, x)
	if a.limp || a.limpHeld {
		m.limpMove(t, a, x)
	}
	if d := math.Abs(x - a.first); d > eps && !a.jumped {
		a.jumped = true
		m.report(t, "speed", a.Name, "moved %.4g° in 0s: a second angle at one instant", d)
	}
	if !m.coldAngle(t, a, x) && m.stop.on && !a.attached {
		m.stopMove(t, a, x-a.x, 0, 0)
	}
	home := exit && homeward(a, x, 0, 0)
	a.attached, a.x = true, x
	m.moved(t, i, holding && math.Abs(x-a.Home) <= eps, home)
}

// homeward reports whether axis a's move to x, at velocity v after prev,
// is one of a park home: it ends between where the axis was and its home,
// or it brakes (on the way it went, slower), as a park must first when
// the axis was going the other way. Either way it stays within the
// stretch from where the axis was when the park began to home, widened by
// how far its speed then could carry it braking: a park that crosses home
// at speed, or brakes a little a tick, is no park.
func homeward(a *axisState, x, v, prev float64) bool {
	lo, hi := min(a.exitFrom, a.Home)-a.exitReach, max(a.exitFrom, a.Home)+a.exitReach
	if x < lo-eps || x > hi+eps {
		return false
	}
	if x >= min(a.x, a.Home)-eps && x <= max(a.x, a.Home)+eps {
		return true
	}
	return v*prev > 0 && math.Abs(v) < math.Abs(prev)
}

// beam is how far a tilt points from straight down, for the ceiling:
// either way with a laser (a negative tilt leans the other way), only up
// for a wand, whose feather has no beam.
func (m *Monitor) beam(tilt float64) float64 {
	for _, s := range m.l.Switches {
		if s.Laser {
			return math.Abs(tilt)
		}
	}
	return tilt
}

// checkRange checks an angle against the axis's range and the ceiling.
func (m *Monitor) checkRange(t int64, i int, x float64) {
	a := &m.axes[i]
	if !(x >= a.Min-eps && x <= a.Max+eps) {
		m.report(t, "range", a.Name, "angle %.4g° outside [%.4g°, %.4g°]", x, a.Min, a.Max)
	}
	if c := m.l.Ceiling; c != nil && i == m.tilt && !(m.beam(x) < *c) {
		m.report(t, "ceiling", a.Name, "angle %.4g° as far from straight down as the ceiling %.4g° or further", x, *c)
	}
}

// detach stops axis i's pulses at t: any stop check is void, and the
// next angle starts from rest. Detached during the hold, the servo may be
// pushed anywhere: its position is unknown again; and only an emergency
// stop detaches one then (holdDetach).
func (m *Monitor) detach(t int64, i int) {
	a := &m.axes[i]
	m.holdDetach(t, a)
	m.limpDetach(a)
	if a.known && m.holding(t) {
		a.known, a.lost = false, true
	}
	a.attached, a.pending, a.v, a.limpBy = false, false, 0, 0
}

// resolveStops runs the stop checks of axes that got no angle at their
// next tick, now that time t, the next output's, is past it. If the
// stream sent nothing at all from an axis's last angle to t, no tick of
// the motion loop came in between: the loop stalled (a machine too busy),
// and the servo, which holds the last angle it was sent, stopped where
// no software could brake it (rule "late"). If the axis's own write
// failed at the first output instant after its last angle, its driver
// took nothing there: the servo stopped where no software could brake it
// either (rule "fault"). Any other output in between is a tick that left
// the axis still: its stop is checked as any ("accel").
func (m *Monitor) resolveStops(t int64) {
	for i := range m.axes {
		a := &m.axes[i]
		if a.pending && t-a.last > m.maxGap() {
			switch {
			case a.fault():
				m.faultCheck(a, a.Accel*m.tauSec)
			case m.now == a.last:
				m.lateCheck(a, t)
			default:
				m.stopCheck(a, a.last+m.tick)
			}
		}
	}
}

// failedWrite takes a write to axis i that failed at t (Event.Failed),
// which moved nothing. At the first output instant after the axis's last
// angle, a tick of the motion loop however late (within 2.5τ: after a
// longer gap the stall stopped the servo first, "late"), it was the
// angle that would have gone on with the move or braked it: the servo,
// holding its last angle, stopped there, whatever its next angle (a
// write cut short as the loop stops, which starts no backoff, is no
// different). A failure of any other output, another axis's or a
// laser's, or at a later tick, is not this axis's stop.
func (m *Monitor) failedWrite(t int64, i int) {
	if a := &m.axes[i]; a.pending && t > a.last && m.before == a.last {
		a.faultAt = t
	}
}

// fault reports whether axis a's pending stop is at a failed write of
// its own (failedWrite): it has had no angle since.
func (a *axisState) fault() bool { return a.pending && a.faultAt > a.last }

// maxGap is the longest gap between two angles of an axis that still
// counts as consecutive ticks: a real-time loop's tick may come late.
func (m *Monitor) maxGap() int64 { return m.tick * 5 / 2 }

// endStops voids the stop checks when the process ends at t: its halt
// detaches every servo, and a crash leaves the servo where it was told to
// be; neither is a move of the envelope's.
func (m *Monitor) endStops(t int64) {
	for i := range m.axes {
		a := &m.axes[i]
		if a.pending && t-a.last > m.maxGap() { // it stopped before the process ended
			if a.fault() {
				m.faultCheck(a, a.Accel*m.tauSec)
			} else {
				m.stopCheck(a, a.last+m.tick)
			}
		}
		a.pending = false
	}
}

// lateCheck checks the velocity dropping to 0 over a stall of the motion
// loop from axis a's last angle to t, the next output of the stream: a
// stop too abrupt for a tick is no fault of the envelope's, which cannot
// brake through a stall and starts again from rest after one, but the
// servo did stop without braking. Rule "late", apart from "accel" so
// that a streamer reads it for what it is.
func (m *Monitor) lateCheck(a *axisState, t int64) {
	a.pending = false
	if lim := a.Accel * m.tauSec; a.Accel > 0 && !(math.Abs(a.v) <= lim+eps*(1+math.Abs(a.v))) {
		m.report(a.last+m.tick, "late", a.Name, "the motion loop sent nothing for %v while %s moved at %.4g°/s: the servo stopped without braking; the machine was too busy",
			fmtNs(t-a.last), a.Name, a.v)
	}
	a.v = 0
}

// faultCheck checks the velocity dropping to 0, by at most lim, at axis
// a's failed write (failedWrite): its driver did not take the angle, the
// servo stopped without braking, and the failing driver gets nothing
// during its backoff, so no software could brake it. The wiring or the
// power is at fault, not the envelope nor a busy machine: rule "fault",
// apart from "accel" and "late" so that a streamer reads it for what it
// is.
func (m *Monitor) faultCheck(a *axisState, lim float64) {
	a.pending = false
	if a.Accel > 0 && !(math.Abs(a.v) <= lim+eps*(1+math.Abs(a.v))) {
		m.report(a.faultAt, "fault", a.Name, "the driver of %s failed a write while it moved at %.4g°/s: the servo stopped without braking; check the wiring and power (the servo HAT's supply, the I²C cable)",
			a.Name, a.v)
	}
	a.v = 0
}

// stopCheck checks the velocity dropping to 0 at t.
func (m *Monitor) stopCheck(a *axisState, t int64) {
	a.pending = false
	if lim := a.Accel * m.tauSec; a.Accel > 0 && !(math.Abs(a.v) <= lim+eps*(1+math.Abs(a.v))) {
		m.report(t, "accel", a.Name, "stopped from %.4g°/s in one tick (limit %.4g°/s)", a.v, lim)
	}
	a.v = 0
}
