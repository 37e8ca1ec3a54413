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
	// lastAt is when the axis's last angle was sent: a move that goes on
	// within 2.5 nominal ticks of it lasts until now, however the ticks fell.
	lastAt time.Time
	// landed: the axis reached its target at speed vel, and the tick
	// that shows it at rest (the same angle again) has yet to come.
	landed  bool
	parking bool // the target is a park or a brake: it may use the duty reserve
	// known: the servo is where the envelope thinks it is. Not at the start
	// of a process, nor after going limp during the hold: until an angle is
	// delivered, which must be its home (its homing).
	known bool
	duty  dutyLog
	// What the servo was last told: the time of its last delivered angle
	// (sent), and the move that angle started (its velocity, and whether
	// it landed on its target). A write the driver did not take moved
	// nothing: the axis goes back to them (Envelope.stand).
	sentAt     time.Time
	sentVel    float64
	sentLanded bool
	// heldUntil: re-attached after going limp (rule limp, limp.go), the
	// axis gets no other angle until then; zero once over.
	heldUntil time.Time
	// frozen: no angle goes to the axis while the fault's backoff lasts
	// (Envelope.frozen): its driver failed a write, or it moves the dot
	// of a lit laser whose off failed.
	frozen bool
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

// SettleTime is how long a rig with a laser holds its servos at home,
// the laser dark, after a homing (invariant 10): the slowest axis's move
// over its whole configured range (before a ceiling lowers the tilt's)
// from rest to rest. 0 on a rig without a laser.
func (c Config) SettleTime() time.Duration {
	if !hasLaser(c.Switches) {
		return 0
	}
	var worst time.Duration
	for _, a := range c.Axes {
		worst = max(worst, a.settleTime())
	}
	return worst
}

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
// acceleration limits, and reports whether an angle is to be sent. g is
// how long the move lasts: the time since the axis's last angle while it
// moves (a real-time tick comes early or late, and the change of velocity
// must fit accel·g), one nominal tick from rest; tick is the nominal tick.
//
// No future tick's length is known, so nothing is planned on it: the axis
// keeps enough room to brake to its target however the ticks fall
// (brakeDist), and lands on it at a speed it can stop from within one
// nominal tick. The stop is shown (the same angle again) at the first tick
// that leaves time enough for it; one that comes too early gets no angle
// (false, the axis still moving), and no other move starts before it.
func (a *axis) advance(g, tick time.Duration) bool {
	if a.settled() {
		return false
	}
	sec := g.Seconds()
	if a.landed {
		if math.Abs(a.vel) > a.Accel*sec*(1+1e-9) {
			return false // too early to stop: the stop is shown at a later tick
		}
		a.vel, a.landed = 0, false
		return true
	}
	d := a.target - a.pos
	s := 1.0
	if d < 0 {
		s, d = -1, -d
	}
	if a.canLand(a.vel*s, d, sec, tick.Seconds()) {
		a.pos, a.vel = a.target, 0
		if a.Accel > 0 && d > 0 {
			// The landing tick moves at d/sec, a speed that stops within a
			// nominal tick; the stop is shown at a later one.
			a.vel, a.landed = s*d/sec, true
		}
		return true
	}
	u := a.nextSpeed(a.vel*s, d, sec) // speed toward the target
	a.pos += s * u * sec
	a.vel = s * u
	a.pos, _ = a.clamp(a.pos)
	return true
}

// canLand reports whether the axis can cover the remaining distance d in
// this tick of sec seconds: the landing speed d/sec within the speed
// limit, within one tick's change of the current speed u, and small
// enough to stop from within a nominal tick of tick seconds (a later tick
// shows the stop, however early or late the ticks come).
func (a *axis) canLand(u, d, sec, tick float64) bool {
	land := d / sec
	if a.Accel <= 0 {
		return land <= a.Speed
	}
	A := a.Accel * sec * (1 + 1e-9)
	stop := a.Accel * tick * (1 + 1e-9)
	return land <= math.Min(stop, a.Speed) && land >= u-A && land <= u+A
}

// nextSpeed is the speed toward the target for the next tick, given the
// current speed toward it u (negative when moving away), the remaining
// distance d ≥ 0 and the tick's length sec. Without an acceleration limit
// it is the speed limit, or whatever lands on the target. With one, the
// speed changes by at most accel·sec, and it is the fastest w from which
// the axis still brakes to a stop at the target, however long the ticks
// after this one: w·sec + brakeDist(w) ≤ d.
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
	// The root of w·sec + w²/(2·accel) = d.
	w := a.Accel * (math.Sqrt(sec*sec+2*d/a.Accel) - sec)
	return math.Min(math.Max(w, lo), hi) // below lo: too fast to stop in time, brake hard
}

// brakeDist is how far an axis moving at speed v (≥ 0) may still go
// braking as hard as its acceleration allows, whatever the ticks: in a
// tick of g seconds it slows by accel·g and covers (v − accel·g)·g, and
// over any ticks that adds up to less than v²/(2·accel), the distance
// braking takes in continuous time. An axis that keeps this much room to
// its target can always brake onto it, and one that brakes hard keeps it:
// a tick costs it (v − accel·g)·g of room and the braking distance shrinks
// by v·g − accel·g²/2, more.
func (a *axis) brakeDist(v float64) float64 {
	if a.Accel <= 0 {
		return 0
	}
	return v * v / (2 * a.Accel)
}

// brakePoint is the farthest the axis may get braking as hard as its
// acceleration allows from now on, whatever the ticks (where it is,
// without a limit).
func (a *axis) brakePoint() float64 {
	if a.Accel <= 0 || a.vel == 0 {
		a.vel, a.landed = 0, false
		return a.pos
	}
	s, v := 1.0, a.vel
	if v < 0 {
		s, v = -1, -v
	}
	p, _ := a.clamp(a.pos + s*a.brakeDist(v))
	return p
}

// brake slows the axis as hard as its acceleration allows over a tick of
// g, on the way it went (an emergency stop), and reports whether an angle
// is to be sent. From a speed it can stop from within a nominal tick it
// moves no further: the stop is shown at the first tick that leaves time
// for it, as a landing's is. At rest, its target is where it stopped.
func (a *axis) brake(g, tick time.Duration) bool {
	sec := g.Seconds()
	v := math.Abs(a.vel)
	switch {
	case a.vel == 0:
		a.target, a.landed = a.pos, false
		return false
	case v > a.Accel*sec*(1+1e-9) && (a.landed || v <= a.Accel*tick.Seconds()*(1+1e-9)):
		return false // too early to stop: the stop is shown at a later tick
	case v <= a.Accel*sec*(1+1e-9):
		a.vel, a.landed, a.target = 0, false, a.pos
		return true
	}
	w := v - a.Accel*sec
	s := 1.0
	if a.vel < 0 {
		s = -1
	}
	a.pos, _ = a.clamp(a.pos + s*w*sec)
	a.vel = s * w
	return true
}
