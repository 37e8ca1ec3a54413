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
}

type axis struct {
	AxisLimits
	pos, vel  float64 // degrees, °/s
	target    float64
	attached  bool
	sent      float64   // last angle sent to the driver
	restSince time.Time // when the axis last came to rest
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

// advance moves the axis one tick of dt toward its target, within the speed
// and acceleration limits, and reports whether it moved.
func (a *axis) advance(dt time.Duration) bool {
	if a.settled() {
		return false
	}
	sec := dt.Seconds()
	d := a.target - a.pos
	s := 1.0
	if d < 0 {
		s, d = -1, -d
	}
	u := a.nextSpeed(a.vel*s, d, sec) // speed toward the target
	canStop := a.Accel <= 0 || u <= a.Accel*sec*(1+1e-9)
	if step := u * sec; step >= d && u >= 0 && canStop {
		a.pos, a.vel = a.target, 0
	} else {
		a.pos += s * step
		a.vel = s * u
	}
	a.pos, _ = a.clamp(a.pos)
	return true
}

// nextSpeed is the speed toward the target for the next tick, given the
// current speed toward it u (negative when moving away) and the remaining
// distance d ≥ 0. With an acceleration limit it is the fastest speed from
// which the axis can still stop at the target, changed by at most A=a·dt.
func (a *axis) nextSpeed(u, d, sec float64) float64 {
	if a.Accel <= 0 {
		return math.Min(a.Speed, d/sec)
	}
	A := a.Accel * sec
	// Braking from k·A takes k ticks and covers A·sec·k(k+1)/2, so the
	// fastest speed that can still stop within d is A·(√(2d/(A·sec)+¼)−½).
	stop := A * (math.Sqrt(2*d/(A*sec)+0.25) - 0.5)
	next := math.Min(math.Min(u+A, a.Speed), stop)
	return math.Max(next, u-A)
}
