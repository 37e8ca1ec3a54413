package monitor

import (
	"testing"
	"time"
)

func TestRange(t *testing.T) {
	ceiling := func(l *Limits) { c := 35.0; l.Ceiling = &c }
	runCases(t, []ruleCase{
		{name: "at max", ops: []op{mv(0, "pan", 45), mv(0, "tilt", 40)}},
		{name: "at min", ops: []op{mv(0, "pan", -45), mv(0, "tilt", 5)}},
		{name: "past max", ops: []op{mv(0, "pan", 45.001)}, want: []string{"range"}},
		{name: "below min", ops: []op{mv(0, "tilt", 4.999)}, want: []string{"range"}},
		{name: "below ceiling", lim: ceiling, ops: []op{mv(0, "tilt", 34.99)}},
		{name: "at ceiling", lim: ceiling, ops: []op{mv(0, "tilt", 35)}, want: []string{"ceiling"}},
		{name: "ceiling only on tilt", lim: ceiling, ops: []op{mv(0, "pan", 40)}},
		// Tilt 0° is straight down: -35° leans as far the other way.
		{name: "minus the ceiling", lim: func(l *Limits) { ceiling(l); l.Axes[1].Min = -40 }, ops: []op{mv(0, "tilt", -35)}, want: []string{"ceiling"}},
		{name: "inside minus the ceiling", lim: func(l *Limits) { ceiling(l); l.Axes[1].Min = -40 }, ops: []op{mv(0, "tilt", -34.99)}},
		// A wand's feather has no beam: its ceiling bounds only the lift.
		{name: "a wand below minus the ceiling", lim: func(l *Limits) { ceiling(l); l.Axes[1].Min = -40; l.Switches = nil }, ops: []op{mv(0, "tilt", -35)}},
	})
}

func noAccel(l *Limits) {
	for i := range l.Axes {
		l.Axes[i].Accel = 0
	}
}

// sweep moves axis from x by step every tick, n steps, starting at 0.
func sweep(axis string, x, step float64, n int) []op {
	ops := make([]op, 0, n+1)
	for i := 0; i <= n; i++ {
		ops = append(ops, mv(ticks(i), axis, x+float64(i)*step))
	}
	return ops
}

func TestSpeed(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "at limit", lim: noAccel, ops: []op{mv(0, "pan", 0), mv(tick, "pan", 1.8), mv(ticks(2), "pan", 0)}},
		{name: "over limit", lim: noAccel, ops: []op{mv(0, "pan", 0), mv(tick, "pan", 1.801)}, want: []string{"speed"}},
		{name: "tilt over limit", lim: noAccel, ops: []op{mv(0, "tilt", 20), mv(tick, "tilt", 18.799)}, want: []string{"speed"}},
		{name: "first move exempt", lim: noAccel, ops: []op{mv(0, "pan", 40)}},
		// The servo was left at −22°; the new process starts at home, −40°.
		{name: "first after restart exempt", lim: noAccel,
			ops: append(sweep("pan", -40, 1.8, 10), restart(ticks(11), true), mv(ticks(12), "pan", -40))},
		{name: "after detach from last angle", lim: noAccel,
			ops: []op{mv(0, "pan", 0), det(tick, "pan"), mv(ticks(5), "pan", 3)}, want: []string{"speed"}},
	})
}

// TestHome: the first angle of each axis in a process is exempt from the
// speed check only because it is home (invariant 3); a process starting
// anywhere else could slew at full speed from wherever the servo rests.
func TestHome(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "at home", keepHomes: true, ops: []op{mv(0, "pan", 0), mv(0, "tilt", 20)}},
		{name: "home within 1e-9°", keepHomes: true, ops: []op{mv(0, "pan", 1e-10), mv(0, "tilt", 20-1e-10)}},
		{name: "at a limit", keepHomes: true, ops: []op{mv(0, "pan", 0), mv(0, "tilt", 39)}, want: []string{"home"}},
		{name: "both elsewhere", keepHomes: true, ops: []op{mv(0, "pan", 44), mv(0, "tilt", 39)}, want: []string{"home", "home"}},
		{name: "later, at home", keepHomes: true, ops: []op{on(0), mv(3*s, "pan", 0), mv(4*s, "tilt", 20)}},
		{name: "later, elsewhere", keepHomes: true, ops: []op{on(0), mv(3*s, "pan", 1)}, want: []string{"home"}},
		{name: "after a restart", keepHomes: true,
			ops: []op{mv(0, "pan", 0), restart(s, true), mv(s, "pan", -44)}, want: []string{"home"}},
		{name: "after a restart without the state file", keepHomes: true,
			ops: []op{mv(0, "pan", 0), restart(s, false), mv(s, "pan", 0), mv(s, "tilt", 21)}, want: []string{"home"}},
		{name: "after a detach: not a first angle", keepHomes: true, lim: noAccel,
			ops: []op{mv(0, "pan", 0), mv(tick, "pan", 1.8), det(ticks(2), "pan"), mv(ticks(9), "pan", 3.6)}},
	})
}

func TestAccel(t *testing.T) {
	// pan: 600°/s² → 12°/s per tick → 0.24° more per tick.
	ramp := []op{mv(0, "pan", 0), mv(ticks(1), "pan", 0.24), mv(ticks(2), "pan", 0.72)}
	with := func(extra ...op) []op { return append(append([]op(nil), ramp...), extra...) }
	runCases(t, []ruleCase{
		{name: "ramp up and down", ops: with(mv(ticks(3), "pan", 1.2), mv(ticks(4), "pan", 1.44), end(ticks(10)))},
		{name: "jump", ops: []op{mv(0, "pan", 0), mv(tick, "pan", 0.2401)}, want: []string{"accel"}},
		// Nothing at all after the last angle: no tick came (rule late).
		{name: "landing too fast", ops: with(end(ticks(10))), want: []string{"late"}},
		{name: "landing seen by a later output", ops: with(mv(ticks(10), "tilt", 20)), want: []string{"late"}},
		{name: "landing seen by an output at the next tick", ops: with(mv(ticks(3), "tilt", 20), end(ticks(10))), want: []string{"accel"}},
		{name: "detach at next tick", ops: with(det(ticks(3), "pan"), end(ticks(10)))},
		{name: "detach same tick", ops: with(det(ticks(2), "pan"), end(ticks(10)))},
		{name: "detach half a tick late", ops: with(det(ticks(3)+tick/2, "pan"), end(ticks(10)))},
		{name: "detach too late", ops: with(det(ticks(5), "pan"), end(ticks(10))), want: []string{"late"}},
		{name: "detach too late after a tick", ops: with(mv(ticks(3), "tilt", 20), det(ticks(5), "pan"), end(ticks(10))), want: []string{"accel"}},
		{name: "a late tick continues the move", ops: with(mv(ticks(4), "pan", 1.2), end(ticks(5)))},
		{name: "process ends before the stop", ops: with(end(ticks(2) + tick/2))},
		{name: "process ends at the stop: its halt detaches", ops: with(end(ticks(3)))},
		{name: "process ends at any time: its halt detaches", ops: with(end(ticks(4) + tick/2))},
		{name: "process idles past the stop, then ends", ops: with(end(ticks(4) + tick/2 + 1)), want: []string{"late"}},
		{name: "restart before the stop", ops: with(restart(ticks(2)+tick/2, true), mv(ticks(20), "pan", 0))},
		{name: "tick jitter within half", ops: []op{mv(0, "pan", 0), mv(tick+tick/2, "pan", 0.24),
			mv(ticks(3), "pan", 0.48), mv(ticks(4), "pan", 0.48)}},
		{name: "restart from rest after detach", ops: with(det(ticks(3), "pan"), mv(ticks(4), "pan", 1.2), end(ticks(10))),
			want: []string{"accel", "late"}}, // 24°/s from rest, then stops from it with nothing after
		{name: "three missed ticks mean a stop", ops: with(mv(ticks(5), "pan", 1.2), end(ticks(10))), want: []string{"late", "accel", "late"}}, // stop at 3τ, restart at 5τ, stop at 6τ
		{name: "three missed ticks with a tick between", ops: with(mv(ticks(3), "tilt", 20), mv(ticks(5), "pan", 1.2), mv(ticks(6), "tilt", 20), end(ticks(10))),
			want: []string{"accel", "accel", "accel"}},
	})
}

func TestStopCheckLazy(t *testing.T) {
	// The stop is known only once an output past t+2.5τ arrives.
	l := baseLimits()
	m := New(l)
	for i, x := range []float64{0, 0.24, 0.72} {
		m.Output(Event{Time: t0.Add(ticks(i)), Target: "pan", Action: "move", Value: x})
	}
	m.Output(Event{Time: t0.Add(ticks(4) + tick/2), Target: "tilt", Action: "move", Value: 20})
	if m.Count() != 0 {
		t.Fatalf("stop judged early: %s", list(m))
	}
	m.Output(Event{Time: t0.Add(ticks(4) + tick/2 + time.Nanosecond), Target: "tilt", Action: "move", Value: 20})
	if m.Count() != 1 || m.Violations()[0].Time != t0.Add(ticks(3)) {
		t.Fatalf("want one stop at τ·3: %s", list(m))
	}
}

// TestLateTick: on a loaded machine the motion loop may stall; a moving
// servo, which holds the last angle it was sent, then stops at once, and
// no software can brake it. Verify of a live trace says so as its own
// rule, "late", apart from "accel", which is kept for real changes
// between consecutive ticks; it is still a violation.
func TestLateTick(t *testing.T) {
	// pan at 15.9°/s (0.318° a tick), braking from it takes 2 ticks.
	moving := []op{mv(0, "pan", 0), mv(tick, "pan", 0.2), mv(ticks(2), "pan", 0.518)}
	with := func(extra ...op) []op { return append(append([]op(nil), moving...), extra...) }
	runCases(t, []ruleCase{
		{name: "the loop stalls 64ms, then starts again from rest",
			ops: with(mv(ticks(2)+64*time.Millisecond, "pan", 0.518+0.2), end(ticks(10))), want: []string{"late"}},
		{name: "the loop stalls 64ms, then the servo brakes from rest",
			ops: with(mv(ticks(2)+64*time.Millisecond, "pan", 0.518), end(ticks(10))), want: []string{"late"}},
		{name: "a tick that sends the laser off and leaves pan still",
			ops: with(off(ticks(3)), mv(ticks(2)+64*time.Millisecond, "pan", 0.518), end(ticks(10))), want: []string{"accel"}},
		{name: "a stall at rest is nothing",
			ops: []op{mv(0, "pan", 0), mv(tick, "pan", 0.2), mv(ticks(2)+64*time.Millisecond, "pan", 0.2), end(ticks(10))}},
		{name: "a stall after a landing within accel is nothing",
			ops: []op{mv(0, "pan", 0), mv(tick, "pan", 0.24), mv(ticks(2)+64*time.Millisecond, "tilt", 20)}},
	})
	m := play(baseLimits(), t0, with(mv(ticks(2)+64*time.Millisecond, "pan", 0.518)))
	v := m.Violations()
	const want = "the motion loop sent nothing for 64ms while pan moved at 15.9°/s: the servo stopped without braking; the machine was too busy"
	if len(v) != 1 || v[0].Rule != "late" || v[0].Detail != want || !v[0].Time.Equal(t0.Add(ticks(3))) {
		t.Errorf("got\n%swant at %v: late pan: %s", list(m), t0.Add(ticks(3)), want)
	}
}
