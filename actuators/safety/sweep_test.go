package safety

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestLitMoveMayBowOffTheDiagonal: servos that move together at their own
// speeds trace a path anywhere in the box between two dots. From (0°, 0°)
// to (1.8°, 1.2°) in one tick, a zone [1.0°, 1.6°] × [0.1°, 0.4°] lies off
// the straight segment and off both L-shaped paths, but inside the box:
// the laser is dark for that tick.
func TestLitMoveMayBowOffTheDiagonal(t *testing.T) {
	zone := Zone{Name: "bowl", PanMin: 1.0, PanMax: 1.6, TiltMin: 0.1, TiltMax: 0.4}
	if zone.Crosses(0, 0, 1.8, 1.2) || zone.Crosses(0, 0, 1.8, 0) || zone.Crosses(1.8, 0, 1.8, 1.2) ||
		zone.Crosses(0, 0, 0, 1.2) || zone.Crosses(0, 1.2, 1.8, 1.2) {
		t.Fatal("a straight or L-shaped path crosses the zone: the test means none to")
	}
	// A path the servos may take, pan well ahead of tilt (tilt slow to
	// start), through the zone.
	if p, tl := 1.8*0.7, 1.2*math.Pow(0.7, 4); !zone.Contains(p, tl) {
		t.Fatalf("(%g°, %g°) on pan ahead of tilt is outside the zone: the test means it inside", p, tl)
	}
	r := aimRig(t, func(c *Config) {
		c.Axes[0].Speed, c.Axes[0].Accel = 90, 0                    // 1.8° a tick
		c.Axes[1].Min, c.Axes[1].Speed, c.Axes[1].Accel = -5, 60, 0 // 1.2° a tick
		c.Zones = []Zone{zone}
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Hour
		c.DwellCap = time.Minute
		c.Axes[0].DetachAfter, c.Axes[1].DetachAfter = 0, 0 // driven throughout: no limp servo's hold (limp.go) delays the light
	})
	r.env.Aim(r.now, 0, 0)
	r.step(50)
	r.env.Switch(r.now, "laser", true, 0)
	before := r.tickTrace(5, nil)
	if d := before[len(before)-1]; d.pan != 0 || d.tilt != 0 || !d.lit {
		t.Fatalf("before the move: %+v, want lit at (0°, 0°)", d)
	}
	r.env.Aim(r.now, 1.8, 1.2)
	tr := r.tickTrace(5, nil)
	if d := tr[0]; d.pan != 1.8 || d.tilt != 1.2 {
		t.Fatalf("the move took more than a tick: %+v", tr)
	}
	if tr[0].lit {
		t.Fatal("the laser stayed lit across a move whose box holds a zone")
	}
	if !tr[len(tr)-1].lit {
		t.Fatal("the laser stayed dark once the dot was still outside the zone")
	}
	if r.env.Snapshot().Counts["keep_out_blank"] == 0 {
		t.Fatal("the move was not counted as blanked")
	}
}

// TestSweepsHoldsEveryMonotonePath: any path from one dot to another that
// moves each axis one way stays in the box, so a zone it enters is swept;
// a box that only touches a zone's edge sweeps it no more than Contains
// and Crosses say a dot or a segment on the edge does.
func TestSweepsHoldsEveryMonotonePath(t *testing.T) {
	z := Zone{PanMin: 10, PanMax: 20, TiltMin: 30, TiltMax: 40}
	edges := []struct {
		p0, t0, p1, t1 float64
		want           bool
	}{
		{0, 0, 10, 30, false},   // corner to corner
		{0, 35, 10, 38, false},  // up to the pan edge
		{12, 40, 18, 50, false}, // along above the tilt edge
		{10, 30, 10, 40, false}, // along the edge
		{10, 30, 20, 40, true},  // the diagonal
		{15, 35, 15, 35, true},  // a still dot inside
		{10, 35, 10, 35, false}, // a still dot on the edge
		{9, 29, 10.5, 30.5, true},
		{0, 0, 25, 45, true}, // the box holds the zone
	}
	for _, c := range edges {
		if got := z.Sweeps(c.p0, c.t0, c.p1, c.t1); got != c.want {
			t.Errorf("(%g, %g) → (%g, %g): Sweeps %v, want %v", c.p0, c.t0, c.p1, c.t1, got, c.want)
		}
		if got := z.Sweeps(c.p1, c.t1, c.p0, c.t0); got != c.want {
			t.Errorf("(%g, %g) → (%g, %g): Sweeps %v, want %v", c.p1, c.t1, c.p0, c.t0, got, c.want)
		}
	}
	r := rand.New(rand.NewPCG(31, 4))
	for range 20000 {
		p0, t0 := r.Float64()*40-5, r.Float64()*40+15
		p1, t1 := r.Float64()*40-5, r.Float64()*40+15
		if r.IntN(4) == 0 { // on an edge's line
			p0 = []float64{z.PanMin, z.PanMax}[r.IntN(2)]
		}
		sw := z.Sweeps(p0, t0, p1, t1)
		if z.Contains(p0, t0) && !sw || z.Crosses(p0, t0, p1, t1) && !sw {
			t.Fatalf("(%g, %g) → (%g, %g): a dot or the segment enters the zone, Sweeps says no", p0, t0, p1, t1)
		}
		a, b := 0.2+r.Float64()*5, 0.2+r.Float64()*5 // pan and tilt at their own paces
		for i := range 101 {
			s := float64(i) / 100
			p, tl := p0+(p1-p0)*math.Pow(s, a), t0+(t1-t0)*math.Pow(s, b)
			if z.Contains(p, tl) && !sw {
				t.Fatalf("(%g, %g) → (%g, %g): the path through (%g, %g) enters the zone, Sweeps says no", p0, t0, p1, t1, p, tl)
			}
		}
	}
}
