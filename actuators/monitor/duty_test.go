package monitor

import (
	"testing"
	"time"
)

// duty gives the pan axis a duty limit of 1 s (50 ticks) in 3 s and
// lifts its speed and acceleration limits out of the way.
func duty(l *Limits) {
	l.Axes[0].DutyMax, l.Axes[0].DutyWindow = time.Second, 3*time.Second
	l.Axes[0].Accel = 0
}

// wiggle sends pan angles every tick for n ticks from start (offset).
func wiggle(start time.Duration, n int) []op {
	var ops []op
	for k := range n {
		ops = append(ops, mv(start+ticks(k), "pan", float64(k%2)))
	}
	return ops
}

func TestDuty(t *testing.T) {
	cat := func(parts ...[]op) []op {
		var o []op
		for _, p := range parts {
			o = append(o, p...)
		}
		return o
	}
	runCases(t, []ruleCase{
		{name: "at the cap", lim: duty, ops: wiggle(0, 50)},
		{name: "one tick over", lim: duty, ops: wiggle(0, 51), want: []string{"duty"}},
		{name: "no limit", lim: noAccel, ops: append(wiggle(0, 500), end(ticks(600)))},
		{name: "two angles at one instant count once", lim: duty,
			ops: cat(wiggle(0, 49), []op{mv(ticks(49), "pan", 0.5), mv(ticks(49), "pan", 0.6)}), want: []string{"speed"}}, // 0.1° in 0 s
		{name: "a burst after the window slid", lim: duty,
			ops: cat(wiggle(0, 50), wiggle(3*time.Second, 50))},
		{name: "a burst inside the window", lim: duty,
			ops: cat(wiggle(0, 30), wiggle(2*time.Second, 30)), want: []string{"duty"}},
		{name: "spread thin still counts", lim: duty,
			ops: func() []op {
				var o []op
				for k := range 60 {
					o = append(o, mv(ticks(2*k), "pan", float64(k%2)))
				}
				return o
			}(), want: []string{"duty"}},
		{name: "a restart starts afresh", lim: duty,
			ops: cat(wiggle(0, 40), []op{restart(ticks(41), true)}, wiggle(ticks(42), 40))},
		{name: "other axes are free", lim: duty,
			ops: func() []op {
				var o []op
				for k := range 100 {
					o = append(o, mv(ticks(k), "tilt", 20+float64(k%2)*0.01))
				}
				return o
			}()},
	})
}
