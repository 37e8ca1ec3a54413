package monitor

import "testing"

// steep is a zone of pan [10°, 20°], tilt [60°, 80°] with a margin of 1°,
// on a rig with room about it.
func steep(l *Limits) {
	boxLimits(1)(l)
	l.Axes[0].Min, l.Axes[0].Max = -90, 90
	l.Axes[1].Min, l.Axes[1].Max = 0, 90
	l.Axes[0].Speed, l.Axes[1].Speed = 1e4, 1e4
	l.Zones = []Zone{{Name: "box", PanMin: 10, PanMax: 20, TiltMin: 60, TiltMax: 80}}
}

// The margin holds along every lit move, not only at the dots it joins:
// the monitor checked the dots alone and passed moves whose middle came
// within it.
func TestKeepOutMarginAlongMoves(t *testing.T) {
	then := func(pre []op, extra ...op) []op { return append(append([]op(nil), pre...), extra...) }
	diag := func(p0, t0, p1, t1 float64) []op {
		return then(litAt(p0, t0), mv(ticks(2), "pan", p1), mv(ticks(2), "tilt", t1))
	}
	runCases(t, []ruleCase{
		// The review's: 1.8° of pan and 1.2° of tilt in one tick. Each end
		// is at least 1.08° from the zone, the straight move between them
		// 0.61° at (20.35°, 80.5°), past the corner (20°, 80°). Pan first,
		// then tilt: that path stays 1.08° away.
		{name: "past the corner", lim: steep, ops: diag(19.3, 81.2, 21.1, 80), want: []string{"keep_out"}},
		{name: "past the corner, the other way", lim: steep, ops: diag(21.1, 80, 19.3, 81.2), want: []string{"keep_out"}},
		{name: "wide of the corner", lim: steep, ops: diag(19.3, 82.2, 21.3, 80.5)}, // 1.22° at the least
		{name: "over the top", lim: steep, ops: then(litAt(5, 80.5), mv(ticks(2), "pan", 25)), want: []string{"keep_out"}},
		{name: "over the top by the margin", lim: steep, ops: then(litAt(5, 81), mv(ticks(2), "pan", 25))},
		{name: "past the side", lim: steep, ops: then(litAt(20.5, 50), mv(ticks(2), "tilt", 90)), want: []string{"keep_out"}},
		{name: "past the side by the margin", lim: steep, ops: then(litAt(21.2, 50), mv(ticks(2), "tilt", 90))}, // 1.04° at tilt 60°,
		{name: "over the top, unlit", lim: steep, ops: []op{mv(0, "pan", 5), mv(0, "tilt", 80.5), mv(tick, "pan", 25)}},
		{name: "over the top, then lit", lim: steep, ops: []op{mv(0, "pan", 5), mv(0, "tilt", 80.5), mv(tick, "pan", 25), on(ticks(2))}},
		// The laser lit at the instant of the move lights the move.
		{name: "over the top, lit with it", lim: steep, ops: []op{mv(0, "pan", 5), mv(0, "tilt", 80.5), mv(tick, "pan", 25), on(tick)},
			want: []string{"keep_out"}},
		{name: "over the top, dark with it", lim: steep, ops: then(litAt(5, 80.5), mv(ticks(2), "pan", 25), off(ticks(2))),
			want: []string{"keep_out"}},
	})
}
