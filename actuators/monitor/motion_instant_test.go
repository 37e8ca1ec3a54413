package monitor

import "testing"

// The angles of one instant reach the servo at once: a further angle of
// an axis at the instant of its last one (or at a time gone back, taken
// to be that instant) that moves it moved it in no time, which no speed
// allows (invariant 3: a move lasted its time difference g, |Δ| ≤
// speed·g). Each step a tick's move from the one before is no excuse, nor
// are many of them: the whole jump is one report.
func TestAnglesAtOneInstant(t *testing.T) {
	var stacked []op
	stacked = append(stacked, mv(0, "pan", 0), mv(0, "tilt", 20))
	for k := 1; k <= 150; k++ {
		stacked = append(stacked, mv(ticks(50), "pan", 0.2*float64(k)))
	}
	stacked = append(stacked, mv(ticks(51), "pan", 30))
	back := []op{mv(0, "pan", 0), mv(0, "tilt", 20), mv(ticks(50), "pan", 0.2), mv(ticks(50), "tilt", 20)}
	for k := 2; k <= 150; k++ {
		back = append(back, mv(ticks(50)-ticks(k), "pan", 0.2*float64(k))) // stamped ever earlier
	}
	back = append(back, mv(ticks(51), "pan", 30))
	runCases(t, []ruleCase{
		{name: "150 angles at one instant", ops: stacked, want: []string{"speed"}},
		{name: "150 angles at times gone back", ops: back, want: []string{"speed"}},
		{name: "the same angle twice at one instant",
			ops: []op{mv(0, "pan", 0), mv(tick, "pan", 0.24), mv(tick, "pan", 0.24), mv(2*tick, "pan", 0.72), mv(3*tick, "pan", 0.96), mv(4*tick, "pan", 0.96)}},
		{name: "one angle an instant",
			ops: []op{mv(0, "pan", 0), mv(tick, "pan", 0.24), mv(2*tick, "pan", 0.72), mv(3*tick, "pan", 0.96), mv(4*tick, "pan", 0.96)}},
		{name: "a second angle at the instant of its homing", keepHomes: true,
			ops: []op{mv(0, "pan", 0), mv(0, "pan", 1)}, want: []string{"speed"}},
	})
}

// An output instant between two angles of an axis is a tick of the
// motion loop that left the axis still: it had velocity 0 there
// (invariant 3), so its move stopped at that tick, and the next angle
// starts from rest, however soon after it comes. Read as one late tick,
// the skip hid a stop from full speed.
func TestSkippedTickStopsTheMove(t *testing.T) {
	var skip []op
	skip = append(skip, mv(0, "pan", 0), mv(0, "tilt", 20))
	x, v, k := 0.0, 0.0, 0
	for k = 1; k <= 16; k++ {
		if k == 12 {
			skip = append(skip, mv(ticks(k), "tilt", 20)) // a tick: pan gets nothing
			continue
		}
		if k == 13 {
			x += v * 0.04
		} else {
			v = min(90, v+12)
			x += v * 0.02
		}
		skip = append(skip, mv(ticks(k), "pan", x))
	}
	for ; v > 0; k++ {
		v = max(0, v-12)
		x += v * 0.02
		skip = append(skip, mv(ticks(k), "pan", x))
	}
	skip = append(skip, mv(ticks(k), "pan", x))
	// The same without the other axis's tick: one late tick, 2τ long.
	var late []op
	for _, o := range skip {
		if o.at == ticks(12) {
			continue
		}
		late = append(late, o)
	}
	runCases(t, []ruleCase{
		// stopped from 90°/s at 12τ (accel); at 13τ 3.6° from rest in τ
		// (speed, and accel from 0°/s to 180°/s), then 180°/s to 90°/s.
		{name: "a skipped tick mid-move", ops: skip, want: []string{"accel", "accel", "accel", "speed"}},
		{name: "a late tick mid-move", ops: late},
		// A move brought to rest before the tick passes it by: the stop
		// at the tick it skipped is within the acceleration.
		{name: "a tick skipped after landing",
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 20), mv(tick, "pan", 0.24), mv(2*tick, "tilt", 20), mv(3*tick, "pan", 0.24), mv(4*tick, "pan", 0.48)}},
	})
}
