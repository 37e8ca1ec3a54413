package monitor

import (
	"strings"
	"testing"
)

// Invariant 3: an axis lands on its target at a speed it can stop from
// within τ, and sends the stop (the same angle again) at the first tick
// that leaves time for it. A stop that comes late (up to 2.5τ) once let
// the landing be as fast as accel times that gap: pan (600°/s²: 12°/s a
// tick) landing at 30°/s passed with its stop 2.5τ later.
func TestLandingSpeed(t *testing.T) {
	fast := ramp("pan", 0, 0, 12, 24, 30) // at 1τ..3τ, pan at 1.32°
	slow := ramp("pan", 0, 0, 12, 24, 12) // pan at 0.96°
	start := []op{mv(0, "pan", 0), mv(0, "tilt", 20)}
	runCases(t, []ruleCase{
		{name: "landed at 30°/s, stop 2.5τ later after an idle tick",
			ops: ops(start, fast, []op{mv(4*tick, "tilt", 20), mv(3*tick+5*tick/2, "pan", 1.32)}), want: []string{"accel"}},
		{name: "landed at 30°/s, stop 2.5τ later", ops: ops(start, fast, []op{mv(3*tick+5*tick/2, "pan", 1.32)}), want: []string{"accel"}},
		{name: "landed at 30°/s, stop a tick later", ops: ops(start, fast, []op{mv(4*tick, "pan", 1.32)}), want: []string{"accel"}},
		{name: "landed at 12°/s, stop 2.5τ later", ops: ops(start, slow, []op{mv(3*tick+5*tick/2, "pan", 0.96)})},
		{name: "landed at 12°/s, stop a tick later", ops: ops(start, slow, []op{mv(4*tick, "pan", 0.96)})},
		{name: "landed at 12.5°/s, stop 2τ later",
			ops: ops(start, ramp("pan", 0, 0, 12, 24, 12.5), []op{mv(5*tick, "pan", 0.97)}), want: []string{"accel"}},
		{name: "landed at 30°/s, detached 2.5τ later", ops: ops(start, fast, []op{det(3*tick+5*tick/2, "pan")})},
		// An emergency stop brakes within its acceleration over the ticks
		// as they come: 30°/s to rest in 2.5τ is 600°/s².
		{name: "an emergency stop, at rest 2.5τ after 30°/s",
			ops: ops(start, fast, []op{stopAt(3*tick + 1), mv(3*tick+5*tick/2, "pan", 1.32), det(6*tick, "pan"), det(6*tick, "tilt")})},
	})
	m := play(baseLimits(), t0, ops(start, fast, []op{mv(3*tick+5*tick/2, "pan", 1.32)}))
	if v := m.Violations(); len(v) != 1 || v[0].Detail != "landed at 30°/s, faster than it can stop from within a tick (limit 12°/s)" {
		t.Errorf("got\n%s", list(m))
	}
	if v := m.Violations(); len(v) == 1 && !strings.HasPrefix(v[0].String(), "2026-11-29T10:00:00.11Z accel pan") {
		t.Errorf("reported as %v", v[0])
	}
}
