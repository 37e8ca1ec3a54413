package safety

import (
	"math"
	"time"
)

// AxisLimits bound one servo axis. Angles in degrees, in the axis frame.
type AxisLimits struct {
	Name           string
	Min, Max, Home float64
	Speed          float64       // °/s, > 0
	Accel          float64       // °/s², 0 = no acceleration limit
	DetachAfter    time.Duration // stop pulses after this long at rest; 0 = never
	// DutyMax and DutyWindow cap the axis's motion time: it emits angles
	// for at most DutyMax in any DutyWindow, then rests. 0 = no cap.
	DutyMax, DutyWindow time.Duration
}

type axis struct {
	AxisLimits
	pos, vel  float64 // degrees, °/s
	target    float64
	attached  bool
	sent      float64   // last angle sent to the driver
	restSince time.Time // when the axis last came to rest
	stopSec   float64   // the nominal tick, s: a landing must stop within it
	parking   bool      // the target is a park or a brake: it may use the duty reserve
	// known: the servo is where the envelope thinks it is. Not at the start
	// of a process, nor after going limp during the hold: until an angle is
	// delivered, which must be its home (its homing).
	known bool
	duty  dutyLog
}

// clamp limits v to the axis range and reports whether it had to.
func (a *axis) clamp(v float64) (float64, bool) {
	switch {
	case math.IsNaN(v):
		return a.pos, true
	case v < a.Min:
		return a.Min, true
	case v > a.Max:
		return a.Max, true
	}
	return v, false
}

func (a *axis) settled() bool { return a.pos == a.target && a.vel == 0 }

// maxSettle bounds settleTime: an axis that slow never lets a laser light.
const maxSettle = 100 * 365 * 24 * time.Hour

// settleTime is how long a move over the axis's whole range takes from
// rest to rest at its speed and acceleration: a servo homed from wherever
// it was has surely arrived by then, if it keeps up with them (as every
// speed limit here assumes). Rounded up to the nanosecond.
func (l AxisLimits) settleTime() time.Duration {
	d, v, acc := l.Max-l.Min, l.Speed, l.Accel
	var s float64
	switch {
	case acc <= 0:
		s = d / v
	case d >= v*v/acc:
		s = d/v + v/acc
	default:
		s = 2 * math.Sqrt(d/acc)
	}
	if !(s < maxSettle.Seconds()) {
		return maxSettle
	}
	return time.Duration(math.Ceil(s * 1e9))
}

// advance moves the axis one tick toward its target, within the speed and
// acceleration limits, and reports whether it moved. dt is the time since
// the last tick (a real-time tick may come late), tick the nominal one:
// the landing speed must allow a stop within one nominal tick.
func (a *axis) advance(dt, tick time.Duration) bool {
	if a.settled() {
		return false
	}
	sec := dt.Seconds()
	a.stopSec = tick.Seconds()
	d := a.target - a.pos
	s := 1.0
	if d < 0 {
		s, d = -1, -d
	}
	if a.canLand(a.vel*s, d, sec) {
		// The landing tick moves at d/sec; with an acceleration limit that
		// speed is still the axis's speed, and the next tick brings it to rest.
		a.pos, a.vel = a.target, 0
		if a.Accel > 0 {
			a.vel = s * d / sec
		}
		return true // the landing, or the tick it comes to rest: both are sent
	}
	u := a.nextSpeed(a.vel*s, d, sec) // speed toward the target
	a.pos += s * u * sec
	a.vel = s * u
	a.pos, _ = a.clamp(a.pos)
	return true
}

// canLand reports whether the axis can cover the remaining distance d in
// this tick and stop at the next one without exceeding its acceleration:
// the landing speed d/sec must be within one tick's change of the current
// speed u, and small enough to stop from.
func (a *axis) canLand(u, d, sec float64) bool {
	land := d / sec
	if a.Accel <= 0 {
		return land <= a.Speed
	}
	A := a.Accel * sec * (1 + 1e-9)
	stop := a.Accel * math.Min(sec, a.stopSec) * (1 + 1e-9)
	return land <= math.Min(stop, a.Speed) && land >= u-A && land <= u+A
}

// nextSpeed is the speed toward the target for the next tick, given the
// current speed toward it u (negative when moving away) and the remaining
// distance d ≥ 0. Without an acceleration limit it is the speed limit, or
// whatever lands on the target. With one, the speed changes by at most
// A = accel·dt per tick, and it is the fastest speed from which the axis
// can still brake in steps of A and stop at the target.
func (a *axis) nextSpeed(u, d, sec float64) float64 {
	if a.Accel <= 0 {
		return math.Min(a.Speed, d/sec)
	}
	A := a.Accel * sec
	lo, hi := u-A, math.Min(u+A, a.Speed)
	switch {
	case hi <= lo:
		return lo // above the speed limit (config changed): slow down
	case hi <= 0:
		return hi // still moving away: turn round as fast as allowed
	}
	lo = math.Max(lo, 0)
	if travel(lo, A, sec) > d {
		return lo // too fast to stop in time: brake hard, overshoot, come back
	}
	if travel(hi, A, sec) <= d {
		return hi
	}
	for range 40 { // travel is increasing in w: bisect for the largest fit
		mid := (lo + hi) / 2
		if travel(mid, A, sec) <= d {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// travel is the least distance covered moving at w for one tick and then
// braking in steps of A until the speed is at most A (from which the axis
// can land and stop).
func travel(w, A, sec float64) float64 {
	m := math.Ceil(w/A) - 1 // braking ticks before the speed is ≤ A
	if m < 0 {
		m = 0
	}
	return sec * (w + m*w - A*m*(m+1)/2)
}

// brakePoint is where the axis comes to rest if it brakes as hard as its
// acceleration allows from now on (where it is, without a limit).
func (a *axis) brakePoint(dt time.Duration) float64 {
	if a.Accel <= 0 || a.vel == 0 {
		a.vel = 0
		return a.pos
	}
	A := a.Accel * dt.Seconds()
	s, v := 1.0, a.vel
	if v < 0 {
		s, v = -1, -v
	}
	p, _ := a.clamp(a.pos + s*travel(math.Max(v-A, 0), A, dt.Seconds()))
	return p
}
