package monitor

import "testing"

// wideBox is a zone of pan [60°, 100°], tilt [10°, 20°] on a rig whose
// axes reach every name of its beams.
func wideBox(margin float64) func(*Limits) {
	return func(l *Limits) {
		boxLimits(margin)(l)
		l.Axes[0].Min, l.Axes[0].Max = -500, 500
		l.Axes[1].Min, l.Axes[1].Max = -90, 90
		l.Axes[0].Speed, l.Axes[1].Speed = 1e4, 1e4
		l.Zones = []Zone{{Name: "box", PanMin: 60, PanMax: 100, TiltMin: 10, TiltMax: 20}}
	}
}

// A beam has several names: u(p, t) = u(p ± 360°, t) = u(p ± 180°, −t).
// The zone is its beams, whatever the dot's name for them, at every
// margin: at 0 the monitor took the names for the zone's own pan/tilt
// rectangle and passed a lit dot at (−85°, −15°), the beam of (95°, 15°).
func TestKeepOutAliases(t *testing.T) {
	then := func(pre []op, extra ...op) []op { return append(append([]op(nil), pre...), extra...) }
	runCases(t, []ruleCase{
		{name: "mirrored, no margin", lim: wideBox(0), ops: litAt(-85, -15), want: []string{"keep_out"}},
		{name: "mirrored, margin 1°", lim: wideBox(1), ops: litAt(-85, -15), want: []string{"keep_out"}},
		{name: "pan + 360°, no margin", lim: wideBox(0), ops: litAt(455, 15), want: []string{"keep_out"}},
		{name: "pan − 360°, no margin", lim: wideBox(0), ops: litAt(-275, 15), want: []string{"keep_out"}},
		{name: "beside the mirror", lim: wideBox(0), ops: litAt(-85, -21)},
		{name: "beside the mirror, margin 1°", lim: wideBox(1), ops: litAt(-85, -21.5)},
		{name: "on the mirror's edge", lim: wideBox(0), ops: litAt(-85, -20)},
		{name: "mirrored, unlit", lim: wideBox(0), ops: []op{mv(0, "pan", -85), mv(0, "tilt", -15)}},
		// Sweeps: the dots at either end are outside every name of the
		// zone, the move between them crosses one.
		{name: "across the mirror", lim: wideBox(0), ops: then(litAt(-130, -15), mv(ticks(2), "pan", -50)), want: []string{"keep_out"}},
		{name: "across pan + 360°", lim: wideBox(0), ops: then(litAt(400, 15), mv(ticks(2), "pan", 480)), want: []string{"keep_out"}},
		{name: "across pan + 360°, margin 1°", lim: wideBox(1), ops: then(litAt(400, 15), mv(ticks(2), "pan", 480)), want: []string{"keep_out"}},
		{name: "past the mirror", lim: wideBox(0), ops: then(litAt(-130, -21), mv(ticks(2), "pan", -50))},
	})
}

// crossDown is a zone from tilt −5° to 15°: it holds straight down, which
// every pan points to at tilt 0°.
func crossDown(l *Limits) {
	wideBox(0)(l)
	l.Zones = []Zone{{Name: "bed", PanMin: 10, PanMax: 20, TiltMin: -5, TiltMax: 15}}
}

func TestKeepOutStraightDown(t *testing.T) {
	then := func(pre []op, extra ...op) []op { return append(append([]op(nil), pre...), extra...) }
	runCases(t, []ruleCase{
		{name: "straight down, the zone's pan", lim: crossDown, ops: litAt(15, 0), want: []string{"keep_out"}},
		{name: "straight down, another pan", lim: crossDown, ops: litAt(100, 0), want: []string{"keep_out"}},
		{name: "beside straight down", lim: crossDown, ops: litAt(100, 0.5)},
		{name: "through straight down", lim: crossDown, ops: then(litAt(100, 3), mv(ticks(2), "tilt", -3)), want: []string{"keep_out"}},
		{name: "straight down, a zone from it", lim: func(l *Limits) { crossDown(l); l.Zones[0].TiltMin = 0 }, ops: litAt(100, 0)},
	})
}
