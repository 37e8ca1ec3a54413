package monitor

import "testing"

func boxLimits(margin float64) func(*Limits) {
	return func(l *Limits) {
		for i := range l.Axes {
			l.Axes[i].Speed, l.Axes[i].Accel = 1000, 0
		}
		l.Zones = []Zone{{Name: "box", PanMin: 10, PanMax: 20, TiltMin: 10, TiltMax: 20}}
		l.KeepOutMargin = margin
	}
}

// at (pan, tilt) in the dark, then the laser on a tick later.
func litAt(pan, tilt float64) []op {
	return []op{mv(0, "pan", pan), mv(0, "tilt", tilt), on(tick)}
}

func TestKeepOut(t *testing.T) {
	then := func(pre []op, extra ...op) []op { return append(append([]op(nil), pre...), extra...) }
	box := boxLimits(0)
	runCases(t, []ruleCase{
		{name: "lit beside", lim: box, ops: litAt(9.9, 15)},
		{name: "lit on the edge", lim: box, ops: litAt(10, 15)},
		{name: "lit inside", lim: box, ops: litAt(10.01, 15), want: []string{"keep_out"}},
		{name: "dark inside", lim: box, ops: []op{mv(0, "pan", 15), mv(0, "tilt", 15)}},
		{name: "along the edge", lim: box, ops: then(litAt(10, 5), mv(ticks(2), "tilt", 25))},
		// Tilt, then pan: that path touches the corner only, but the
		// servos move together, each at its own speed: the dot may bow
		// anywhere in the box between the dots, across the corner.
		{name: "touching the corner one axis after the other", lim: box,
			ops: then(litAt(9, 19), mv(ticks(2), "tilt", 21), mv(ticks(2), "pan", 11)), want: []string{"keep_out"}},
		{name: "a box touching the corner", lim: box,
			ops: then(litAt(9, 19), mv(ticks(2), "tilt", 20), mv(ticks(2), "pan", 10))},
		{name: "a box along the edge", lim: box,
			ops: then(litAt(8, 5), mv(ticks(2), "tilt", 25), mv(ticks(2), "pan", 10))},
		{name: "cutting the corner", lim: box,
			ops: then(litAt(9, 18.9), mv(ticks(2), "tilt", 20.9), mv(ticks(2), "pan", 11)), want: []string{"keep_out"}},
		{name: "path through the corner", lim: box,
			ops: then(litAt(9, 19), mv(ticks(2), "pan", 11), mv(ticks(2), "tilt", 21)), want: []string{"keep_out"}},
		{name: "across in the dark", lim: box, ops: []op{mv(0, "pan", 5), mv(0, "tilt", 15), mv(tick, "pan", 25)}},
		{name: "lit after the move", lim: box,
			ops: []op{mv(0, "pan", 5), mv(0, "tilt", 15), mv(tick, "pan", 25), on(tick)}, want: []string{"keep_out"}},
		{name: "off after the move", lim: box,
			ops: then(litAt(5, 15), mv(ticks(2), "pan", 25), off(ticks(2))), want: []string{"keep_out"}},
		{name: "off before the move", lim: box,
			ops: then(litAt(5, 15), off(ticks(2)), mv(ticks(2), "pan", 25))},
		{name: "off, move, on", lim: box,
			ops: then(litAt(5, 15), off(ticks(2)), mv(ticks(2), "pan", 25), on(ticks(2))), want: []string{"keep_out"}},
		{name: "margin keeps off", lim: boxLimits(1), ops: litAt(9.5, 15), want: []string{"keep_out"}},
		{name: "margin edge", lim: boxLimits(1), ops: litAt(15, 9)},                                           // 1° of tilt is 1° of beam angle
		{name: "margin in pan at tilt 15°", lim: boxLimits(1), ops: litAt(9, 15), want: []string{"keep_out"}}, // 0.26°
		{name: "margin edge in pan at tilt 15°", lim: boxLimits(1), ops: litAt(6, 15)},                        // 1.03°
		{name: "margin corner", lim: boxLimits(1), ops: litAt(9.2, 9.2), want: []string{"keep_out"}},
		{name: "one report per instant", lim: box,
			ops: then(litAt(5, 15), mv(ticks(2), "pan", 25), mv(ticks(2), "pan", 5)), want: []string{"keep_out", "speed"}}, // 20° in 0 s
	})
}

func TestSegmentHits(t *testing.T) {
	r := growZones([]Zone{{PanMin: 0, PanMax: 1, TiltMin: 0, TiltMax: 1}}, 0)[0]
	for _, c := range []struct {
		p, q [2]float64
		want bool
	}{
		{[2]float64{-1, 0.5}, [2]float64{2, 0.5}, true},
		{[2]float64{-1, 0}, [2]float64{2, 0}, false},
		{[2]float64{-1, -1}, [2]float64{2, 2}, true},
		{[2]float64{-1, 1}, [2]float64{1, -1}, false}, // touches the corner (0, 0) only
		{[2]float64{-1, 2}, [2]float64{2, -1}, true},
		{[2]float64{0.5, 0.5}, [2]float64{0.5, 0.5}, true},
		{[2]float64{0, 0.5}, [2]float64{0, 0.5}, false},
		{[2]float64{2, 2}, [2]float64{3, 3}, false},
		{[2]float64{-1, 0.5}, [2]float64{0, 0.5}, false},
	} {
		if got := r.hits(c.p, c.q); got != c.want {
			t.Errorf("%v→%v: %v, want %v", c.p, c.q, got, c.want)
		}
	}
}
