package safety

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/mock"
)

// Distances of the dwell radius and the keep-out margin are angles of the
// beam: tilt 0° is straight down, so near it a large pan turn barely moves
// the dot. The tests below work the angle out on their own, from the
// definition, not with the envelope's beam.

// beamAngle is the angle (degrees) between the beams at (p1, t1) and
// (p2, t2): u(p, t) = (sin t·cos p, sin t·sin p, −cos t), and the angle is
// 2·asin(|u1 − u2| / 2).
func beamAngle(p1, t1, p2, t2 float64) float64 {
	rad := math.Pi / 180
	u := func(p, t float64) (x, y, z float64) {
		return math.Sin(t*rad) * math.Cos(p*rad), math.Sin(t*rad) * math.Sin(p*rad), -math.Cos(t * rad)
	}
	x1, y1, z1 := u(p1, t1)
	x2, y2, z2 := u(p2, t2)
	c := math.Sqrt((x1-x2)*(x1-x2) + (y1-y2)*(y1-y2) + (z1-z2)*(z1-z2))
	return 2 * math.Asin(math.Min(1, c/2)) / rad
}

// dot is what the rig emits during one tick: where the dot is and
// whether the laser is lit.
type dot struct {
	pan, tilt float64
	lit       bool
}

// tickTrace steps r n times, calling every(i) before step i, and returns
// what the drivers hold after each step.
func (r *rig) tickTrace(n int, every func(i int)) []dot {
	tilt := r.env.outs["tilt"].(*mock.Actuator)
	var tr []dot
	for i := range n {
		if every != nil {
			every(i)
		}
		r.step(1)
		tr = append(tr, dot{r.pan.State().Angle, tilt.State().Angle, r.lz.State().On})
	}
	return tr
}

// TestDwellAtTheFloorBelowCountsTheBeam is the safety review's attack
// with the shipped rules (tilt min 5°, dwell_cap 4s, dwell_radius 1°):
// chat sends 下 until tilt is 5°, 激光, then 左/右 every 0.4 s. Each turn
// is 5° of pan, but at tilt 5° it moves the beam by 0.44°: the dot never
// leaves the spot it lit. Counted in pan/tilt degrees each turn was a
// move and the spot stayed lit 9.66 s unbroken; counted as the beam turns,
// it goes dark within the cap (and a tick) of staying on the spot.
func TestDwellAtTheFloorBelowCountsTheBeam(t *testing.T) {
	r := aimRig(t, func(c *Config) {
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Hour // only the dwell cap
	})
	r.env.MoveTo(r.now, "tilt", 5)
	r.step(100)
	r.env.Switch(r.now, "laser", true, 0)
	per := int(400 * time.Millisecond / r.env.Tick())
	left := true
	tr := r.tickTrace(int(16*time.Second/r.env.Tick()), func(i int) {
		if i%per == 0 {
			if left {
				r.env.MoveBy(r.now, "pan", -5)
			} else {
				r.env.MoveBy(r.now, "pan", 5)
			}
			left = !left
		}
	})
	checkDwell(t, tr, r.env.Tick(), 4*time.Second, 1, true)

	// The attack is what the review says: the beam stays within 0.44°
	// while lit though pan swings by 5°, and the laser did light.
	var lit int
	panLo, panHi := math.Inf(1), math.Inf(-1)
	for i, a := range tr {
		if !a.lit {
			continue
		}
		lit++
		panLo, panHi = min(panLo, a.pan), max(panHi, a.pan)
		for _, b := range tr[i:] {
			if d := beamAngle(a.pan, a.tilt, b.pan, b.tilt); b.lit && d > 0.44 {
				t.Fatalf("the beam turned %.3f° while lit: not the review's attack", d)
			}
		}
	}
	if panHi-panLo < 4.9 {
		t.Fatalf("pan swung only %.2f° while lit", panHi-panLo)
	}
	if time.Duration(lit)*r.env.Tick() < 4*time.Second {
		t.Fatalf("lit only %v: the test exercises nothing", time.Duration(lit)*r.env.Tick())
	}
}

// checkDwell checks the trace against the dwell cap: no lit run stays
// within radius (as the beam turns) of where it started for longer than
// the cap and a tick. With win, also: from any lit tick on, in the
// window of twice the cap, the dot is lit within radius of that tick's
// dot for at most the cap and a tick. (That is stricter than the cap,
// whose spots are only where the dot lit away from every other spot, so
// it fits a dot that never leaves its spot.)
func checkDwell(t *testing.T, tr []dot, tick, dwellCap time.Duration, radius float64, win bool) {
	t.Helper()
	most := int(dwellCap/tick) + 1
	window := int(2 * dwellCap / tick)
	for i, a := range tr {
		if !a.lit {
			continue
		}
		run := 0
		for _, b := range tr[i:] {
			if !b.lit || beamAngle(a.pan, a.tilt, b.pan, b.tilt) > radius {
				break
			}
			run++
		}
		if run > most {
			t.Fatalf("lit %v unbroken within %g° of (%.2f°, %.2f°) from tick %d (dwell cap %v)",
				time.Duration(run)*tick, radius, a.pan, a.tilt, i, dwellCap)
		}
		if !win {
			continue
		}
		near := 0
		for _, b := range tr[i:min(len(tr), i+window)] {
			if b.lit && beamAngle(a.pan, a.tilt, b.pan, b.tilt) <= radius {
				near++
			}
		}
		if near > most {
			t.Fatalf("lit %v within %g° of (%.2f°, %.2f°) in the %v from tick %d (dwell cap %v)",
				time.Duration(near)*tick, radius, a.pan, a.tilt, 2*dwellCap, i, dwellCap)
		}
	}
}

// TestDwellAwayFromThePole: at tilts of 35° to 40° the beam turns by the
// tilt's change, as it did in pan/tilt degrees: the dot swung 5° in tilt
// every 0.4 s moves and is never blanked; nudged 0.5° in tilt it stays on
// its spot and goes dark at the cap, as before. A pan turn there moves the
// beam by more than half as much (sin 35°): swung 10° in pan, 5.7° of
// beam, the dot moves too.
func TestDwellAwayFromThePole(t *testing.T) {
	cases := []struct {
		axis    string
		by      float64
		blanked bool
	}{
		{"tilt", 5, false},
		{"pan", 10, false},
		{"tilt", 0.5, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s_%g", c.axis, c.by), func(t *testing.T) {
			r := aimRig(t, func(c *Config) {
				c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Hour
			})
			r.env.MoveTo(r.now, "tilt", 35)
			r.step(100)
			r.env.Switch(r.now, "laser", true, 0)
			per := int(400 * time.Millisecond / r.env.Tick())
			sign := 1.0
			tr := r.tickTrace(int(16*time.Second/r.env.Tick()), func(i int) {
				if i%per == 0 {
					r.env.MoveBy(r.now, c.axis, sign*c.by)
					sign = -sign
				}
			})
			checkDwell(t, tr, r.env.Tick(), 4*time.Second, 1, false)
			n := r.env.Snapshot().Counts["dwell_blank"]
			if c.blanked != (n > 0) {
				t.Fatalf("blanked %d times for dwelling, want blanked %v", n, c.blanked)
			}
			for _, d := range tr {
				if d.tilt < 34.9 || d.tilt > 40.1 {
					t.Fatalf("tilt %v: the test meant to stay near 40°", d.tilt)
				}
			}
		})
	}
}

// TestDwellNearCountsTheRadiusExactly: the dot is near a spot when the
// beam has turned at most the radius from it, give or take 2e-9°, at any
// tilt and either way it turned.
func TestDwellNearCountsTheRadiusExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	for range 2000 {
		radius := 0.01 + r.Float64()*10
		var d dwell
		d.reach = nearChord2(radius)
		p, tl := r.Float64()*360-180, r.Float64()*170-85
		d.moved(p, tl)
		s := dwellSpot{u: d.u}
		// A second dot at a chosen angle from the first: turn by a in a
		// random direction (rotate about the first's own frame).
		for _, a := range []float64{radius * (1 - 1e-6), radius, radius * (1 + 1e-6)} {
			q, u := turnBy(p, tl, a, r.Float64()*360)
			d.moved(q, u)
			got := beamAngle(p, tl, q, u)
			if near := d.near(&s); got <= radius && !near {
				t.Fatalf("radius %g°: a dot %.12g° away is not near", radius, got)
			} else if got > radius+2e-9 && near {
				t.Fatalf("radius %g°: a dot %.12g° away is near", radius, got)
			}
		}
	}
}

// turnBy is the (pan, tilt) of the beam turned from (p, t) by the angle a
// in the direction of bearing b (degrees), by the spherical law of cosines:
// the tilt is the polar angle from straight down.
func turnBy(p, t, a, b float64) (float64, float64) {
	rad := math.Pi / 180
	pt, aa, bb := t*rad, a*rad, b*rad
	// Work with a polar angle in [0, π]: a negative tilt is the polar
	// angle −t at pan p+180°.
	pp := p * rad
	if pt < 0 {
		pt, pp = -pt, pp+math.Pi
	}
	cosT := math.Cos(pt)*math.Cos(aa) + math.Sin(pt)*math.Sin(aa)*math.Cos(bb)
	nt := math.Acos(math.Max(-1, math.Min(1, cosT)))
	dp := math.Atan2(math.Sin(bb)*math.Sin(aa)*math.Sin(pt), math.Cos(aa)-math.Cos(pt)*cosT)
	return (pp + dp) / rad, nt / rad
}
