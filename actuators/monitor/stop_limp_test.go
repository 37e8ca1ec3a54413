package monitor

import (
	"testing"
	"time"
)

// A stopped servo goes limp at the tick after it came to rest, and that
// tick may come 2.5τ late: within 2.5τ of its stop angle (its first angle
// during the stop that does not move it), and at the latest 2.5τ after
// the time braking takes. Pan brakes from 36°/s (600°/s²: 60ms) after a
// stop at 85ms: it may brake until 195ms.
func TestStopLimpAfterRest(t *testing.T) {
	ms := time.Millisecond
	// ticks 45ms apart after the stop: 24°/s at 100ms, 6°/s at 145ms, at
	// rest at 190ms, a detach up to 240ms
	late := ops(lasering(), []op{stopAt(at4), off(5 * tick), mv(100*ms, "pan", 2.64), mv(145*ms, "pan", 2.91), mv(190*ms, "pan", 2.91)})
	// nominal ticks, at rest at 140ms: a detach up to 190ms
	early := ops(lasering(), []op{stopAt(at4), off(5 * tick)}, ramp("pan", 4*tick, 2.16, 24, 12), []op{mv(140*ms, "pan", 2.88)})
	runCases(t, []ruleCase{
		{name: "late ticks: limp 2.5τ after the stop angle", ops: ops(late, []op{det(240*ms, "pan")})},
		{name: "late ticks: limp a millisecond later", ops: ops(late, []op{det(241*ms, "pan")}), want: []string{"stop"}},
		{name: "late ticks: never limp, seen at an output", ops: ops(late, []op{mv(241*ms, "pan", 2.91)}), want: []string{"stop"}},
		{name: "at rest early: limp 2.5τ after the stop angle", ops: ops(early, []op{det(190*ms, "pan")})},
		{name: "at rest early: limp a millisecond later", ops: ops(early, []op{det(191*ms, "pan")}), want: []string{"stop"}},
		{name: "at rest early, the stop angle again: limp by 2.5τ after the first",
			ops: ops(early, []op{mv(160*ms, "pan", 2.88), mv(180*ms, "pan", 2.88), det(200*ms, "pan")}), want: []string{"stop"}},
		{name: "at rest early, resumed after 2.5τ still attached",
			ops: ops(early, []op{resumeAt(191 * ms)}), want: []string{"stop"}},
	})
}
