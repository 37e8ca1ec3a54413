package monitor

import (
	"strings"
	"testing"
	"time"
)

// A move is carried out during [t, t+τ) after its angle outputs at t: a
// laser switched on within τ after them lights the rest of that move,
// which the monitor checked only at the dot it ends at.
func TestKeepOutLitWithinATickOfAMove(t *testing.T) {
	box := boxLimits(0)
	across := []op{mv(0, "pan", 5), mv(0, "tilt", 15), mv(tick, "pan", 25)} // across the zone in the dark
	with := func(extra ...op) []op { return append(append([]op(nil), across...), extra...) }
	runCases(t, []ruleCase{
		{name: "lit 10ms into the move", lim: box, ops: with(on(tick + 10*time.Millisecond)), want: []string{"keep_out"}},
		{name: "lit a nanosecond before the move is over", lim: box, ops: with(on(2*tick - 1)), want: []string{"keep_out"}},
		{name: "lit as the move is over", lim: box, ops: with(on(2 * tick))},
		{name: "lit and dark again within the instant", lim: box, ops: with(on(tick+10*time.Millisecond), off(tick+10*time.Millisecond))},
		{name: "lit 10ms into a move beside the zone", lim: box,
			ops: []op{mv(0, "pan", 5), mv(0, "tilt", 25), mv(tick, "pan", 25), on(tick + 10*time.Millisecond)}},
		// Its box: tilt then pan, and the straight move, pass the zone's
		// corner by; the servos moving together may cut it.
		{name: "lit 10ms into a move whose box cuts the corner", lim: box,
			ops:  []op{mv(0, "pan", 9), mv(0, "tilt", 19), mv(tick, "tilt", 21), mv(tick, "pan", 11), on(tick + 10*time.Millisecond)},
			want: []string{"keep_out"}},
		// Within the margin only, along the straight move.
		{name: "lit 10ms into a move within the margin", lim: steep,
			ops:  []op{mv(0, "pan", 5), mv(0, "tilt", 80.5), mv(tick, "pan", 25), on(tick + 10*time.Millisecond)},
			want: []string{"keep_out"}},
		// The latest move is the one lit: the one before is over.
		{name: "lit 10ms into a move after one across", lim: box,
			ops: with(mv(ticks(2), "pan", 26), on(ticks(2)+10*time.Millisecond))},
		// Lit at the move, checked then: one report.
		{name: "lit with the move and again within the tick", lim: box,
			ops: with(on(tick), off(tick+5*time.Millisecond), on(tick+10*time.Millisecond)), want: []string{"keep_out"}},
	})
	l := baseLimits()
	box(&l)
	homesAt(&l, across)
	m := play(l, t0, with(on(tick+10*time.Millisecond)))
	if v := m.Violations(); len(v) != 1 || !strings.HasPrefix(v[0].Detail, "laser lit 10ms after the angles of a move the servos were still making: lit dot path (5°, 15°)→(25°, 15°) meets the zone") ||
		!v[0].Time.Equal(t0.Add(tick+10*time.Millisecond)) {
		t.Errorf("got\n%s", list(m))
	}
}
