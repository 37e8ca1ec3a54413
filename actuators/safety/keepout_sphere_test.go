package safety

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// The keep-out margin is an angle of the beam (see sphere_test.go): near
// straight down a zone grows by far more pan than margin.

// angleToZone is the angle from the beam at (p, t) to the nearest beam of
// z's region, {u(p', t'): p' in [PanMin, PanMax], t' in [TiltMin, TiltMax]},
// for a zone with TiltMin ≥ 0: 0 inside it (a dot leaning back, t < 0,
// points where (p + 180°, −t) does), else the least angle to its border,
// searched every 0.02° (so at most 0.01° above the truth).
func angleToZone(z Zone, p, t float64) float64 {
	if t < 0 {
		p, t = p+180, -t
	}
	if t >= z.TiltMin && t <= z.TiltMax {
		for k := -2.0; k <= 2; k++ {
			if q := p + k*360; q >= z.PanMin && q <= z.PanMax {
				return 0
			}
		}
	}
	const step = 0.02
	best := math.Inf(1)
	for pp := z.PanMin; pp <= z.PanMax+1e-9; pp += step {
		best = min(best, beamAngle(p, t, pp, z.TiltMin), beamAngle(p, t, pp, z.TiltMax))
	}
	for tt := z.TiltMin; tt <= z.TiltMax+1e-9; tt += step {
		best = min(best, beamAngle(p, t, z.PanMin, tt), beamAngle(p, t, z.PanMax, tt))
	}
	return best
}

// TestKeepOutMarginNearThePole: a zone near straight down with a margin of
// 2°. Grown by 2° of pan, as before, its margin let the lit dot within
// 1.4° of the zone's beams: at tilt 9.5° a degree of pan turns the beam by
// a sixth of a degree. Grown as the beam turns, the target is moved out,
// and a lit sweep past it is blanked: whenever the laser is lit, the dot
// is at least the margin from the zone.
func TestKeepOutMarginNearThePole(t *testing.T) {
	zone := Zone{Name: "bowl", PanMin: 20, PanMax: 30, TiltMin: 10, TiltMax: 20}
	r := aimRig(t, func(c *Config) {
		c.Zones, c.ZoneMargin = []Zone{zone}, 2
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Hour
		c.DwellCap = time.Minute
	})
	if d := angleToZone(zone, 12, 9.5); d > 1.5 {
		t.Fatalf("(12°, 9.5°) is %.2f° from the zone: the test meant it within the margin", d)
	}
	r.env.MoveTo(r.now, "tilt", 9.5)
	r.step(100)
	r.env.Switch(r.now, "laser", true, 0)
	var tr []dot
	rep := r.env.Aim(r.now, 12, 9.5)
	if rep.Reason != actuators.ReasonKeepOut {
		t.Fatalf("a target within the margin must be moved out: %+v", rep)
	}
	tr = append(tr, r.tickTrace(100, nil)...)
	r.env.Aim(r.now, 0, 15)
	tr = append(tr, r.tickTrace(100, nil)...)
	if rep := r.env.MoveTo(r.now, "pan", 40); rep.Reason != actuators.ReasonKeepOut { // a lit sweep across it
		t.Fatalf("a target inside the grown zone must be moved out: %+v", rep)
	}
	tr = append(tr, r.tickTrace(100, nil)...)
	r.env.MoveTo(r.now, "pan", 0)
	tr = append(tr, r.tickTrace(100, nil)...)
	lit := 0
	for i, d := range tr {
		if !d.lit {
			continue
		}
		lit++
		// The search errs by at most 0.01°, on the far side.
		if a := angleToZone(zone, d.pan, d.tilt); a < 2-1e-9 {
			t.Fatalf("tick %d: lit dot at (%.3f°, %.3f°) is %.3f° from the zone (margin 2°)", i, d.pan, d.tilt, a)
		}
	}
	if lit < 100 {
		t.Fatalf("lit %d ticks: the test exercises nothing", lit)
	}
	if r.env.Snapshot().Counts["keep_out_blank"] == 0 {
		t.Fatal("the sweep past the zone was never blanked")
	}
}

// TestKeepOutMarginLeaningBack: a margin that reaches straight down
// covers every pan there, and a dot leaning back past it (a negative
// tilt) points where one at the opposite pan does: (−155°, −3°) is the
// beam of (25°, 3°), inside the zone.
func TestKeepOutMarginLeaningBack(t *testing.T) {
	zone := Zone{Name: "bed", PanMin: 20, PanMax: 30, TiltMin: 1, TiltMax: 6}
	if d := beamAngle(-155, -3, 25, 3); d > 1e-9 {
		t.Fatalf("(−155°, −3°) is %.2g° from (25°, 3°): the test meant them one beam", d)
	}
	g := zone.Grow(2)
	if !g.Contains(-155, -3) || !g.Contains(-60, -7.9) {
		t.Fatalf("grown to %+v: a dot leaning back within the margin is outside", g)
	}
}

// TestGrowTable: the grown rectangle of each zone, worked out from the
// rule: tilt by m; pan by asin(sin m / s), s the smallest |sin tilt| on
// the grown band; every pan (and the cap around straight down) when
// sin m ≥ s.
func TestGrowTable(t *testing.T) {
	rad := math.Pi / 180
	widen := func(m, s float64) float64 { return math.Asin(math.Sin(m*rad)/s) / rad }
	inf := math.Inf(1)
	cases := []struct {
		name string
		z    Zone
		m    float64
		want Zone
	}{
		{"no margin", Zone{PanMin: 20, PanMax: 30, TiltMin: 1, TiltMax: 6}, 0,
			Zone{PanMin: 20, PanMax: 30, TiltMin: 1, TiltMax: 6}},
		{"shipped window, 1°", Zone{PanMin: -45, PanMax: -32, TiltMin: 28, TiltMax: 40}, 1,
			Zone{PanMin: -45 - widen(1, math.Sin(27*rad)), PanMax: -32 + widen(1, math.Sin(27*rad)), TiltMin: 27, TiltMax: 41}},
		{"near the pole", Zone{PanMin: 20, PanMax: 30, TiltMin: 10, TiltMax: 20}, 2,
			Zone{PanMin: 20 - widen(2, math.Sin(8*rad)), PanMax: 30 + widen(2, math.Sin(8*rad)), TiltMin: 8, TiltMax: 22}},
		{"leaning back", Zone{PanMin: 20, PanMax: 30, TiltMin: -20, TiltMax: -10}, 2,
			Zone{PanMin: 20 - widen(2, math.Sin(8*rad)), PanMax: 30 + widen(2, math.Sin(8*rad)), TiltMin: -22, TiltMax: -8}},
		{"near the horizon", Zone{PanMin: 0, PanMax: 10, TiltMin: 80, TiltMax: 85}, 3,
			Zone{PanMin: -widen(3, math.Sin(77*rad)), PanMax: 10 + widen(3, math.Sin(77*rad)), TiltMin: 77, TiltMax: 88}},
		{"margin reaches the pole", Zone{PanMin: 20, PanMax: 30, TiltMin: 3, TiltMax: 6}, 2,
			Zone{PanMin: -inf, PanMax: inf, TiltMin: -8, TiltMax: 8}}, // sin 2° ≥ sin 1°
		{"band holds the pole", Zone{PanMin: 20, PanMax: 30, TiltMin: 1, TiltMax: 6}, 2,
			Zone{PanMin: -inf, PanMax: inf, TiltMin: -8, TiltMax: 8}},
		{"zone holds the pole", Zone{PanMin: 20, PanMax: 30, TiltMin: -4, TiltMax: 3}, 0.5,
			Zone{PanMin: -inf, PanMax: inf, TiltMin: -4.5, TiltMax: 4.5}},
		{"just off the pole", Zone{PanMin: 20, PanMax: 30, TiltMin: 4.1, TiltMax: 6}, 2,
			Zone{PanMin: 20 - widen(2, math.Sin(2.1*rad)), PanMax: 30 + widen(2, math.Sin(2.1*rad)), TiltMin: 2.1, TiltMax: 8}},
		{"half a turn", Zone{PanMin: 20, PanMax: 30, TiltMin: 30, TiltMax: 40}, 90,
			Zone{PanMin: -inf, PanMax: inf, TiltMin: -130, TiltMax: 130}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := c.z.Grow(c.m)
			got := [4]float64{g.PanMin, g.PanMax, g.TiltMin, g.TiltMax}
			want := [4]float64{c.want.PanMin, c.want.PanMax, c.want.TiltMin, c.want.TiltMax}
			for i := range got {
				if !(got[i] == want[i] || math.Abs(got[i]-want[i]) < 1e-9) {
					t.Fatalf("Grow(%g) = %v, want %v", c.m, got, want)
				}
			}
		})
	}
}

// TestGrowHoldsTheMargin: every dot whose beam comes within the margin of
// a zone lies in the grown rectangle. Zones and dots are drawn at random
// on the floor side (tilt ≥ 0, pan within half a turn of the zone); where
// the grown zone reaches straight down, dots leaning back are drawn too.
func TestGrowHoldsTheMargin(t *testing.T) {
	if testing.Short() {
		t.Skip("a grid search per dot")
	}
	r := rand.New(rand.NewPCG(7, 40))
	for range 60 {
		m := 0.2 + r.Float64()*9.6
		z := Zone{PanMin: r.Float64()*60 - 30, TiltMin: r.Float64() * 60}
		z.PanMax, z.TiltMax = z.PanMin+1+r.Float64()*8, z.TiltMin+1+r.Float64()*8
		g := z.Grow(m)
		pole := math.IsInf(g.PanMin, -1)
		mid := (z.PanMin + z.PanMax) / 2
		for range 200 {
			// Dots near the zone, where the margin is decided.
			tl := z.TiltMin - m - 2 + r.Float64()*(z.TiltMax-z.TiltMin+2*m+4)
			if pole && r.IntN(2) == 0 {
				tl = -tl // leaning back
			}
			if !pole && tl < 0 {
				continue // leaning back is the zone's alias at the opposite pan, not its margin
			}
			x := r.Float64()*2 - 1
			p := mid + x*x*x*179 // most near the zone, some half a turn away
			if g.Contains(p, tl) {
				continue
			}
			if d := angleToZone(z, p, tl); d < m-0.01 {
				t.Fatalf("zone %+v, margin %g° grown to %+v: (%.3f°, %.3f°) is %.3f° from it but outside", z, m, g, p, tl, d)
			}
		}
	}
}
