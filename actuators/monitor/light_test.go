package monitor

import (
	"testing"
	"time"
)

const s = time.Second

func budget(l *Limits) { l.Switches[0].MaxOn, l.Switches[0].Cooldown = 20*s, 10*s }

func TestLightBudget(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "max_on then cooldown", lim: budget, ops: []op{on(0), off(20 * s), on(30 * s), off(50 * s)}},
		{name: "cooldown 1ms short", lim: budget,
			ops: []op{on(0), off(20 * s), on(30*s - time.Millisecond), off(50 * s)}, want: []string{"light_budget"}},
		{name: "on too long", lim: budget, ops: []op{on(0), off(20*s + time.Millisecond)}, want: []string{"light_budget"}},
		{name: "on too long, ended by the process", lim: budget, ops: []op{on(0), end(21 * s)}, want: []string{"light_budget"}},
		{name: "toggling defeats a per-period cap", lim: budget,
			ops: []op{on(0), off(15 * s), on(16 * s), off(31 * s)}, want: []string{"light_budget"}},
		{name: "toggling every tick", lim: budget, ops: toggles(0, 45*s, tick, tick*3/4), want: []string{"light_budget"}},
		{name: "toggling within budget", lim: budget, ops: toggles(0, 45*s, tick, tick/2)},
		{name: "off and on in one instant", lim: budget,
			ops: []op{on(0), off(15 * s), on(15 * s), off(25 * s)}, want: []string{"light_budget"}},
		{name: "off and on in one instant, short", lim: budget, ops: []op{on(0), off(10 * s), on(10 * s), off(20 * s)}},
		{name: "restart keeps the window", lim: budget,
			ops: []op{on(0), restart(15*s, true), on(15 * s), off(25 * s)}, want: []string{"light_budget"}},
		{name: "restart without state", lim: budget, ops: []op{on(0), restart(15*s, false), on(15 * s), off(25 * s)}},
		{name: "a treat switch has its own budget", lim: func(l *Limits) {
			budget(l)
			l.Switches = append(l.Switches, SwitchLimits{Name: "treat", MaxOn: s / 2, Cooldown: s})
		}, ops: []op{on(0), {s, "treat", "switch", 1}, {s + s/2, "treat", "switch", 0}, {2 * s, "treat", "switch", 1},
			{3 * s, "treat", "switch", 0}, off(10 * s)}, want: []string{"light_budget"}},
	})
}

// toggles lights the laser for lit of every period p in [from, to).
func toggles(from, to, p, lit time.Duration) []op {
	var ops []op
	for t := from; t < to; t += p {
		ops = append(ops, on(t), off(t+lit))
	}
	return ops
}

// dwell puts the dot at the horizon, where a degree of pan is a degree
// of beam angle.
func dwell(l *Limits) {
	noAccel(l)
	l.DwellCap = 4 * s
	l.Axes[1].Max, l.Axes[1].Home = 90, 90
}

func TestDwell(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "still for the cap", lim: dwell, ops: []op{on(0), off(4 * s)}},
		{name: "still 1ms over", lim: dwell, ops: []op{on(0), off(4*s + time.Millisecond)}, want: []string{"dwell"}},
		{name: "defeated by toggling", lim: dwell, ops: []op{on(0), off(3 * s), on(4 * s), off(7 * s)}, want: []string{"dwell"}},
		{name: "a long dark starts again", lim: dwell, ops: []op{on(0), off(3 * s), on(7 * s), off(10 * s)}},
		{name: "a new process starts again", lim: dwell, ops: []op{on(0), restart(3*s, true), on(3 * s), off(6 * s)}},
		{name: "moving away starts again", lim: dwell,
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 90), on(0), mv(3*s, "pan", 1.01), off(6 * s)}},
		{name: "away and back keeps the count", lim: dwell, // 左 then 右: 3 s + 1.5 s on the spot at 0°
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 90), on(0), mv(3*s, "pan", -1.5), mv(3*s+s/2, "pan", 0), off(5 * s)}, want: []string{"dwell"}},
		{name: "back after the cap starts again", lim: dwell, // 3 s at 0°, 3.5 s at -1.5°, 0.6 s at -3°, a tick at -1.5°, then 0° afresh
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 90), on(0), mv(3*s, "pan", -1.5), mv(6*s+s/2, "pan", -3),
				mv(7*s+s/10, "pan", -1.5), mv(7*s+s/10+tick, "pan", 0), off(10 * s)}},
		{name: "dark and away, back within the cap", lim: dwell,
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 90), on(0), off(3 * s), mv(4*s, "pan", -1.5), mv(5*s, "pan", 0), on(6 * s), off(7*s + s/2)}, want: []string{"dwell"}},
		{name: "moving within the radius", lim: dwell,
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 90), on(0), mv(3*s, "pan", 0.7), mv(3*s+tick, "tilt", 89.3), off(6 * s)}, want: []string{"dwell"}},
		{name: "sweeping over the same spots", lim: dwell, ops: sweepSpots(60 * s)},
		{name: "creeping", lim: dwell, ops: creep(0.2), want: []string{"dwell", "dwell"}}, // anchors 0° and 1.2°
		{name: "creeping away", lim: dwell, ops: creep(0.6)},                              // 1.2° from the anchor every 2 s
		{name: "radius 2°", lim: func(l *Limits) { dwell(l); l.DwellRadius = 2 },
			ops: []op{mv(0, "pan", 0), on(0), mv(3*s, "pan", 1.5), off(6 * s)}, want: []string{"dwell"}},
	})
}

// sweepSpots moves the lit dot back and forth over 0°…-6° in 1.5° steps of
// 0.2 s each for d: each spot is lit a quarter of the time at most.
func sweepSpots(d time.Duration) []op {
	ops := []op{mv(0, "pan", 0), mv(0, "tilt", 90), on(0)}
	path := []float64{0, -1.5, -3, -4.5, -6, -4.5, -3, -1.5}
	for i := 1; time.Duration(i)*s/5 < d; i++ {
		ops = append(ops, mv(time.Duration(i)*s/5, "pan", path[i%len(path)]))
	}
	return append(ops, off(d))
}

// creep moves the lit dot by step every second for 10 s, from home.
func creep(step float64) []op {
	ops := []op{mv(0, "pan", 0), on(0)}
	for i := 1; i <= 10; i++ {
		ops = append(ops, mv(time.Duration(i)*s, "pan", float64(i)*step))
	}
	return append(ops, off(10*s+s/2))
}
