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
		// 1.22° at the least along the straight move, but the box between
		// the dots, where the servos moving together may bow, comes 0.5°
		// above the zone's top at (19.3°–20°, 80.5°).
		{name: "wide of the corner, not its box", lim: steep, ops: diag(19.3, 82.2, 21.3, 80.5), want: []string{"keep_out"}},
		{name: "wide of the corner, box and all", lim: steep, ops: diag(19.3, 82.2, 21.3, 81.2)}, // 1.2° above the top
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

// The review's: the shipped window zone (pan < −32°, tilt > 28°) with
// home at its corner, (−32.1°, 27.9°); a lit move to (−31.9°, 28.05°)
// whose box reaches into the zone. Pan first then tilt passes the zone by;
// tilt first enters it; the servos do the same either way, moving
// together: it is flagged whatever order the angles came in.
func TestKeepOutBoxOfALitMove(t *testing.T) {
	window := func(margin float64) func(*Limits) {
		return func(l *Limits) {
			l.Zones = []Zone{{Name: "window", PanMin: -45, PanMax: -32, TiltMin: 28, TiltMax: 40}}
			l.KeepOutMargin = margin
		}
	}
	move := func(first, second string) []op {
		to := map[string]float64{"pan": -31.9, "tilt": 28.05}
		return []op{mv(0, "pan", -32.1), mv(0, "tilt", 27.9), on(tick), mv(ticks(2), first, to[first]), mv(ticks(2), second, to[second])}
	}
	runCases(t, []ruleCase{
		{name: "pan first", lim: window(0), ops: move("pan", "tilt"), want: []string{"keep_out"}},
		{name: "tilt first", lim: window(0), ops: move("tilt", "pan"), want: []string{"keep_out"}},
		{name: "pan first, with a margin", lim: window(0.01), ops: move("pan", "tilt"), want: []string{"keep_out"}},
		// Along the zone's edge, the box touching it: no dot inside.
		{name: "a box on the edge", lim: window(0),
			ops: []op{mv(0, "pan", -32.1), mv(0, "tilt", 27.9), on(tick), mv(ticks(2), "pan", -31.9), mv(ticks(2), "tilt", 28)}},
		// A margin of 0.05° of beam angle: the box's nearest dot,
		// (-32°, 27.95°), is 0.05° of tilt below the zone.
		{name: "a box just outside the margin", lim: window(0.049),
			ops: []op{mv(0, "pan", -32.1), mv(0, "tilt", 27.9), on(tick), mv(ticks(2), "pan", -31.9), mv(ticks(2), "tilt", 27.95)}},
		{name: "a box just inside the margin", lim: window(0.051),
			ops:  []op{mv(0, "pan", -32.1), mv(0, "tilt", 27.9), on(tick), mv(ticks(2), "pan", -31.9), mv(ticks(2), "tilt", 27.95)},
			want: []string{"keep_out"}},
	})
	// Under its other names too: a full turn of pan away, and leaning
	// back past straight down (pan + 180°, tilt negated).
	for _, c := range []struct {
		name     string
		from, to [2]float64
	}{
		{"a turn away", [2]float64{-32.1 + 360, 27.9}, [2]float64{-31.9 + 360, 28.05}},
		{"mirrored", [2]float64{-32.1 + 180, -27.9}, [2]float64{-31.9 + 180, -28.05}},
	} {
		l := baseLimits()
		window(0)(&l)
		m := New(l)
		if !m.zones[0].boxHits(c.from, c.to) {
			t.Errorf("%s: the box %v–%v misses the zone", c.name, c.from, c.to)
		}
	}
}
