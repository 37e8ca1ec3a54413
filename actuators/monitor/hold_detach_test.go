package monitor

import (
	"strings"
	"testing"
	"time"
)

// Invariant 10: during the hold (from the process's first homing until
// every axis is homed and settle has passed since the latest homing) no
// axis is detached but by an emergency stop. Such a detach once passed
// unreported, the axis merely unknown again.
func TestHoldDetach(t *testing.T) {
	ms := time.Millisecond
	noLaser := func(l *Limits) { withHold(l); l.Switches = []SwitchLimits{{Name: "treat"}} }
	runCases(t, []ruleCase{
		{name: "detached in the hold without a stop", lim: withHold, keepHomes: true,
			ops:  ops(homing(0), []op{det(500*ms, "pan"), mv(600*ms, "pan", 0), on(1800 * ms), off(2 * time.Second)}),
			want: []string{"hold"}},
		{name: "detached before the other axis is homed", lim: withHold, keepHomes: true,
			ops: []op{mv(0, "pan", 0), det(tick, "pan"), det(tick, "tilt")}, want: []string{"hold", "hold"}},
		{name: "detached at the end of the settle", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{det(1150*ms, "pan")})},
		{name: "detached before the first homing: no hold yet", lim: withHold, keepHomes: true,
			ops: ops([]op{det(0, "pan"), det(0, "tilt")}, homing(tick))},
		{name: "detached by a stop in the hold", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{stopAt(100 * ms), det(120*ms, "pan"), det(120*ms, "tilt")})},
		{name: "detached in the hold after the stop was resumed", lim: withHold, keepHomes: true,
			ops:  ops(homing(0), []op{stopAt(100 * ms), resumeAt(110 * ms), det(120*ms, "pan")}),
			want: []string{"hold"}},
		{name: "a detach that failed detached nothing", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{{500 * ms, "pan", "failed detach", 0}})},
		{name: "a rig without a laser has no hold", lim: noLaser, keepHomes: true,
			ops: ops(homing(0), []op{det(500*ms, "pan")})},
	})
	l := baseLimits()
	withHold(&l)
	m := play(l, t0, ops(homing(0), []op{det(500*ms, "pan")}))
	want := "detached 500ms after the last homing, within the settle time 1.15s: during the hold no servo goes limp but by an emergency stop"
	if v := m.Violations(); len(v) != 1 || v[0].Target != "pan" || v[0].Detail != want {
		t.Errorf("got\n%swant hold pan: %s", list(m), want)
	}
	m = play(l, t0, []op{mv(0, "pan", 0), det(tick, "pan")})
	want = "detached while axis tilt is not homed: during the hold no servo goes limp but by an emergency stop"
	if v := m.Violations(); len(v) != 1 || !strings.Contains(v[0].Detail, want) {
		t.Errorf("got\n%swant hold pan: %s", list(m), want)
	}
}
