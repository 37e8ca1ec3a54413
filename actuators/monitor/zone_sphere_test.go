package monitor

import (
	"math"
	"testing"
)

// poleBox is a zone of pan [10°, 20°], tilt [t, t+10°], margin 1°.
func poleBox(t float64) func(*Limits) {
	return func(l *Limits) {
		boxLimits(1)(l)
		l.Axes[0].Min, l.Axes[0].Max = -200, 200
		l.Axes[1].Min, l.Axes[1].Max = -10, 90
		l.Zones = []Zone{{Name: "box", PanMin: 10, PanMax: 20, TiltMin: t, TiltMax: t + 10}}
	}
}

// The margin is an angle between beams. A dot beside a zone near the
// floor (tilt 10°) by the pan that makes 0.5° of beam angle there
// (2.88°, the foot of the perpendicular inside the zone's tilts) is
// within a margin of 1°; by the same pan beside the same zone near the
// horizon (tilt 80°) it is 2.8° away, outside it. In pan/tilt degrees
// both were 2.88° away and passed.
func TestKeepOutMarginOnTheSphere(t *testing.T) {
	d := math.Asin(math.Sin(0.5*math.Pi/180)/math.Sin(10*math.Pi/180)) * 180 / math.Pi
	then := func(pre []op, extra ...op) []op { return append(append([]op(nil), pre...), extra...) }
	runCases(t, []ruleCase{
		{name: "beside, near the floor", lim: poleBox(5), ops: litAt(10-d, 10), want: []string{"keep_out"}},
		{name: "beside, near the horizon", lim: poleBox(75), ops: litAt(10-d, 80)},
		{name: "below, near the floor", lim: poleBox(5), ops: litAt(15, 4.01), want: []string{"keep_out"}},
		{name: "below by the margin, near the floor", lim: poleBox(5), ops: litAt(15, 4)},
		{name: "across the pole", lim: poleBox(5), ops: litAt(195, -4.5), want: []string{"keep_out"}}, // 0.5° from (15°, 5°)
		// A lit dot between the outputs of an instant is a lit dot: pan
		// then tilt, passing the zone's corner at 0.5°.
		{name: "through the margin in one instant", lim: poleBox(5),
			ops: then(litAt(10-d, 20), mv(ticks(2), "tilt", 10), mv(ticks(2), "tilt", 20)), want: []string{"keep_out", "speed"}}, // 10° in 0 s
		{name: "lit after leaving the margin", lim: poleBox(5),
			ops: []op{mv(0, "pan", 10-d), mv(0, "tilt", 10), mv(tick, "tilt", 20), on(ticks(2))}},
		// The laser lit at the instant of the move lights the move, which
		// starts 0.5° from the zone.
		{name: "lit as it leaves the margin", lim: poleBox(5),
			ops: []op{mv(0, "pan", 10-d), mv(0, "tilt", 10), mv(tick, "tilt", 20), on(tick)}, want: []string{"keep_out"}},
		{name: "no margin, near the floor", lim: func(l *Limits) { poleBox(5)(l); l.KeepOutMargin = 0 }, ops: litAt(10-d, 10)},
	})
}
