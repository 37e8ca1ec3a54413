package monitor

import (
	"math"
	"testing"
	"time"
)

// alternate lights the dot at (pan, tilt) and moves axis to a and b in
// turn, every 0.4 s for d, each move in five ticks (within 60°/s), as
// chat sending 左 and 右 (or 上 and 下) does.
func alternate(pan, tilt float64, axis string, a, b float64, d time.Duration) []op {
	ops := []op{mv(0, "pan", pan), mv(0, "tilt", tilt), on(0)}
	from, to := a, b
	for at := 2 * s / 5; at < d; at += 2 * s / 5 {
		for k := 1; k <= 5; k++ {
			ops = append(ops, mv(at+ticks(k-1), axis, from+(to-from)*float64(k)/5))
		}
		from, to = to, from
	}
	return append(ops, off(d))
}

// The review's attack: tilt down to 5°, the laser on, then 左 and 右 in
// turn every 0.4 s. Five degrees of pan at tilt 5° are 0.436° of beam
// angle: the dot never leaves the radius of where it lit, lit for all of
// 10 s, over twice the cap. In pan/tilt degrees it hopped 5° each time
// and the monitor passed it. Tilt moves of 5° at tilt 40° are 5° of beam
// angle too, as before: the dot is on two spots in turn, each lit under
// half the time. Tilt moves of 0.8° keep it on one.
func TestDwellOnTheSphere(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "pan by 5° at tilt 5°", lim: dwell, ops: alternate(0, 5, "pan", 0, 5, 10*s), want: []string{"dwell"}},
		{name: "pan by 5° at the horizon", lim: dwell, ops: alternate(0, 90, "pan", 0, 5, 10*s)},
		{name: "tilt by 5° at tilt 40°", lim: dwell, ops: alternate(0, 40, "tilt", 40, 35, 10*s)},
		{name: "tilt by 0.8° at tilt 40°", lim: dwell, ops: alternate(0, 40, "tilt", 40, 39.2, 10*s), want: []string{"dwell"}},
	})
}

// A dot exactly one radius of beam angle from the spot is within it, as
// the rounding of the arithmetic may have it (the invariant's "more than
// dwell_radius" makes a new spot); a hundredth of a degree more is not.
func TestDwellRadiusIsBeamAngle(t *testing.T) {
	onRadius := 2 * math.Asin(math.Sin(0.5*math.Pi/180)/math.Sin(30*math.Pi/180)) * 180 / math.Pi // 1° at tilt 30°
	for _, c := range []struct {
		name      string
		pan, tilt float64
		want      []string
	}{
		{"tilt by one radius", 0, 31, []string{"dwell"}},
		{"tilt by more", 0, 31.01, nil},
		{"pan by one radius at tilt 30°", onRadius, 30, []string{"dwell"}},
		{"pan by more", onRadius + 0.01, 30, nil},
	} {
		runCases(t, []ruleCase{{name: c.name, lim: func(l *Limits) { dwell(l); l.Axes[0].Speed = 1000 }, want: c.want,
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 30), on(0), mv(3*s, "pan", c.pan), mv(3*s, "tilt", c.tilt), off(6 * s)}}})
	}
}
