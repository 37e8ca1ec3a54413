package safety

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// A beam has many names: u(p, t) = u(p ± 360°, t) = u(p ± 180°, −t). A
// rig that reaches negative tilts, or pans a full turn, aims into a zone
// from outside its grown rectangle. The tests below decide where a beam
// points on their own, from the definition of u, not with the envelope's
// beam or its aliases.

// unitBeam is u(p, t) = (sin t·cos p, sin t·sin p, −cos t), degrees.
func unitBeam(p, t float64) (x, y, z float64) {
	rad := math.Pi / 180
	return math.Sin(t*rad) * math.Cos(p*rad), math.Sin(t*rad) * math.Sin(p*rad), -math.Cos(t * rad)
}

// beamInside reports whether the beam at (p, t) lies inside z's region
// by more than eps (degrees of pan and tilt): some (p', t') with
// u(p', t') = u(p, t) is inside z's pan and tilt ranges by more than eps.
// The beam's polar angle θ from straight down and its bearing φ are read
// off the vector; its names are (φ + 360k, θ) and (φ + 180° + 360k, −θ),
// and θ + 360j for any of them. Straight down or up (no bearing) is the
// beam of every pan.
func beamInside(z Zone, p, t, eps float64) bool {
	x, y, w := unitBeam(p, t)
	theta := math.Acos(math.Max(-1, math.Min(1, -w))) * 180 / math.Pi
	phi := math.Atan2(y, x) * 180 / math.Pi
	vertical := x == 0 && y == 0
	for k := -3.0; k <= 3; k++ {
		for j := -2.0; j <= 2; j++ {
			for _, n := range [2][2]float64{{phi + 360*k, theta + 360*j}, {phi + 180 + 360*k, -theta + 360*j}} {
				if vertical {
					n[0] = (z.PanMin + z.PanMax) / 2
				}
				if n[0] > z.PanMin+eps && n[0] < z.PanMax-eps && n[1] > z.TiltMin+eps && n[1] < z.TiltMax-eps {
					return true
				}
			}
		}
	}
	return false
}

// angleToRegion is the angle from the beam at (p, t) to z's region, the
// beams {u(p', t'): p' in [PanMin, PanMax], t' in [TiltMin, TiltMax]},
// for any zone: 0 inside it, else the least angle to the beams of its
// four edges, sampled every step of pan or tilt (so never less than the
// truth, and at most step/2 above it), or to straight down or up where
// the region holds them.
func angleToRegion(z Zone, p, t, step float64) float64 {
	if beamInside(z, p, t, -1e-12) {
		return 0
	}
	best := math.Inf(1)
	for pp := z.PanMin; ; pp = math.Min(pp+step, z.PanMax) {
		best = min(best, beamAngle(p, t, pp, z.TiltMin), beamAngle(p, t, pp, z.TiltMax))
		if pp == z.PanMax {
			break
		}
	}
	for tt := z.TiltMin; ; tt = math.Min(tt+step, z.TiltMax) {
		best = min(best, beamAngle(p, t, z.PanMin, tt), beamAngle(p, t, z.PanMax, tt))
		if tt == z.TiltMax {
			break
		}
	}
	for k := -2.0; k <= 2; k++ { // a pole inside the tilt range is a beam of the region
		if pole := 180 * k; pole >= z.TiltMin && pole <= z.TiltMax {
			best = min(best, beamAngle(p, t, z.PanMin, pole))
		}
	}
	return best
}

// reviewZone is the review's repro: on a rig that reaches tilt −20°, the
// dot at (−85°, −15°) is outside the zone grown by 1°, pan [53.58°,
// 106.42°] × tilt [9°, 21°], yet its beam is u(95°, 15°), inside the zone.
var reviewZone = Zone{Name: "tv", PanMin: 60, PanMax: 100, TiltMin: 10, TiltMax: 20}

// leaningBackRig reaches pan [−90°, 90°], tilt [−20°, 40°] under a
// ceiling of 42° (check takes tilt minimums down to just above −42°).
func leaningBackRig(t *testing.T, margin float64, zones ...Zone) *rig {
	return aimRig(t, func(c *Config) {
		c.Axes[0].Min, c.Axes[0].Max = -90, 90
		c.Axes[1].Min = -20
		c.Zones, c.ZoneMargin = zones, margin
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Hour
		c.DwellCap = time.Minute
		c.Axes[0].DetachAfter, c.Axes[1].DetachAfter = 0, 0 // driven throughout: no limp servo's hold (limp.go) delays the light
	})
}

// aimLit lights the laser, aims at (p, t) and follows the dot for n ticks.
func (r *rig) aimLit(p, t float64, n int) ([]dot, Report) {
	r.env.Switch(r.now, "laser", true, 0)
	rep := r.env.Aim(r.now, p, t)
	return r.tickTrace(n, nil), rep
}

// TestKeepOutAliasLeaningBack is the review's repro through the envelope:
// the dot asked to (−85°, −15°) with the laser on never lights there, nor
// anywhere its beam comes within the margin of the zone.
func TestKeepOutAliasLeaningBack(t *testing.T) {
	if !beamInside(reviewZone, -85, -15, 1) {
		t.Fatal("(−85°, −15°) does not aim into the zone: the test means it to")
	}
	if g := reviewZone.Grow(1); g.Contains(-85, -15) {
		t.Fatalf("grown to %+v, which holds (−85°, −15°): the test means it outside", g)
	}
	r := leaningBackRig(t, 1, reviewZone)
	tr, rep := r.aimLit(-85, -15, 200)
	if rep.Reason != "keep_out" {
		t.Errorf("a target aiming into the zone must be moved out: %+v", rep)
	}
	lit := 0
	for i, d := range tr {
		if !d.lit {
			continue
		}
		lit++
		if a := angleToZone(reviewZone, d.pan, d.tilt); a < 1-1e-9 { // the search errs on the far side
			t.Fatalf("tick %d: lit dot at (%.3f°, %.3f°) aims %.3f° from the zone (margin 1°)", i, d.pan, d.tilt, a)
		}
	}
	if lit < 150 {
		t.Fatalf("lit %d ticks: the test exercises nothing", lit)
	}
	if last := tr[len(tr)-1]; math.Abs(last.tilt+9) > 1e-9 || math.Abs(last.pan+85) > 1e-9 {
		t.Fatalf("the dot ended at (%g°, %g°): not moved to the alias's edge (−85°, −9°)", last.pan, last.tilt)
	}
}

// TestKeepOutAliasNoMargin: with the shipped margin, 0°, the alias is the
// zone's own rectangle mirrored, pan [−120°, −80°] × tilt [−20°, −10°]:
// the lit dot never aims inside the zone.
func TestKeepOutAliasNoMargin(t *testing.T) {
	r := leaningBackRig(t, 0, reviewZone)
	var tr []dot
	moved := 0
	for _, to := range [][2]float64{{-85, -15}, {-100, -12}, {-70, -15}, {-85, -15}, {0, 20}, {-119, -19}} {
		part, rep := r.aimLit(to[0], to[1], 150)
		tr = append(tr, part...)
		if rep.Reason == "keep_out" {
			moved++
		}
	}
	lit := 0
	for i, d := range tr {
		if !d.lit {
			continue
		}
		lit++
		if beamInside(reviewZone, d.pan, d.tilt, 1e-9) {
			t.Fatalf("tick %d: lit dot at (%.3f°, %.3f°) aims inside the zone", i, d.pan, d.tilt)
		}
	}
	if lit < 300 {
		t.Fatalf("lit %d ticks: the test exercises nothing", lit)
	}
	if moved != 4 {
		t.Fatalf("%d targets were moved out of the alias, want the 4 inside it", moved)
	}
}

// TestKeepOutAliasFullTurn: a rig whose pan reaches more than a full turn
// (the envelope allows it; check bounds a servo to 360°) reaches the zone
// a turn of pan away: (−195°, 25°) aims where (165°, 25°) does.
func TestKeepOutAliasFullTurn(t *testing.T) {
	zone := Zone{Name: "window", PanMin: 150, PanMax: 170, TiltMin: 20, TiltMax: 30}
	for _, margin := range []float64{0, 1} {
		r := aimRig(t, func(c *Config) {
			c.Axes[0].Min, c.Axes[0].Max, c.Axes[0].Speed = -200, 200, 360
			c.Zones, c.ZoneMargin = []Zone{zone}, margin
			c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Hour
			c.DwellCap = time.Minute
		}, mock.Limits{Min: -200, Max: 200})
		var tr []dot
		for _, to := range [][2]float64{{-195, 25}, {-160, 25}, {-195, 25}, {-210, 28}} {
			part, _ := r.aimLit(to[0], to[1], 150)
			tr = append(tr, part...)
		}
		lit := 0
		for i, d := range tr {
			if !d.lit {
				continue
			}
			lit++
			if margin == 0 && beamInside(zone, d.pan, d.tilt, 1e-9) {
				t.Fatalf("margin 0: tick %d: lit dot at (%.3f°, %.3f°) aims inside the zone", i, d.pan, d.tilt)
			}
			if a := angleToZone(zone, d.pan, d.tilt); margin > 0 && a < margin-1e-9 {
				t.Fatalf("margin %g: tick %d: lit dot at (%.3f°, %.3f°) aims %.3f° from the zone", margin, i, d.pan, d.tilt, a)
			}
		}
		if lit < 200 {
			t.Fatalf("margin %g: lit %d ticks: the test exercises nothing", margin, lit)
		}
	}
}

// TestKeepOutStraightDown: straight down is the beam of every pan. A zone
// whose tilt range holds 0° inside, pan [60°, 75°] × tilt [−4°, 8°] with
// the shipped margin of 0°, has it among its beams: a lit dot at tilt 0°
// at any pan aims into it, and a lit move across tilt 0° passes through
// it. The target (0°, 0°) is moved off it, and a lit move across it is
// dark.
func TestKeepOutStraightDown(t *testing.T) {
	zone := Zone{Name: "bowl", PanMin: 60, PanMax: 75, TiltMin: -4, TiltMax: 8}
	if !beamInside(zone, 0, 0, 1e-9) || !beamInside(zone, -123, 0, 1e-9) {
		t.Fatal("straight down is not inside the zone: the test means it to be")
	}
	r := aimRig(t, func(c *Config) {
		c.Axes[1].Min = -5
		c.Zones = []Zone{zone}
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Hour
		c.DwellCap = time.Minute
	})
	var tr []dot
	moved := 0
	for _, to := range [][2]float64{{0, -0.6}, {0, 2}, {0, 0}, {10, -3}, {-20, 3}, {-20, 0}} {
		part, rep := r.aimLit(to[0], to[1], 100)
		tr = append(tr, part...)
		if rep.Reason == "keep_out" {
			moved++
		}
	}
	lit, crossed := 0, 0
	for i, d := range tr {
		if i > 0 && (tr[i-1].tilt < 0) != (d.tilt < 0) {
			crossed++
			if d.lit {
				t.Fatalf("tick %d: lit across straight down, (%g°, %g°) → (%g°, %g°)", i, tr[i-1].pan, tr[i-1].tilt, d.pan, d.tilt)
			}
		}
		if !d.lit {
			continue
		}
		lit++
		if beamInside(zone, d.pan, d.tilt, 1e-9) {
			t.Fatalf("tick %d: lit dot at (%g°, %g°) aims inside the zone", i, d.pan, d.tilt)
		}
	}
	if moved != 2 || crossed < 4 || lit < 300 {
		t.Fatalf("%d targets moved off straight down (want 2), %d crossings, %d lit ticks: the test exercises little", moved, crossed, lit)
	}
}

// TestNewRefusesHomeInAnAlias: home that aims into a zone under another
// name is refused as home inside the zone is, and the error says how.
func TestNewRefusesHomeInAnAlias(t *testing.T) {
	cases := []struct {
		name        string
		zone        Zone
		pan, tilt   [2]float64 // min, max
		home        [2]float64
		margin      float64
		want, want2 string
	}{
		{"leaning back", reviewZone, [2]float64{-90, 90}, [2]float64{-20, 40}, [2]float64{-85, -15}, 0,
			`home (-85°, -15°) points into keep-out zone "tv"`, "leaning back past straight down, it aims where (95°, 15°) does"},
		{"leaning back, margin", reviewZone, [2]float64{-90, 90}, [2]float64{-20, 40}, [2]float64{-75, -9.5}, 1,
			`home (-75°, -9.5°) points into keep-out zone "tv"`, "leaning back past straight down, it aims where (105°, 9.5°) does"},
		{"a full turn", Zone{Name: "window", PanMin: 260, PanMax: 280, TiltMin: 20, TiltMax: 30}, [2]float64{-90, 90}, [2]float64{5, 40}, [2]float64{-90, 25}, 0,
			`home (-90°, 25°) points into keep-out zone "window"`, "a full turn away, it aims where (270°, 25°) does"},
		{"straight down", Zone{Name: "bowl", PanMin: 60, PanMax: 75, TiltMin: -4, TiltMax: 8}, [2]float64{-90, 90}, [2]float64{-5, 40}, [2]float64{-30, 0}, 0,
			`home (-30°, 0°) points into keep-out zone "bowl"`, "straight down (or up), the beam of every pan, it aims where (67.5°, 0°) does"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ceil := 42.0
			cfg := Config{
				Axes: []AxisLimits{{Name: "pan", Min: c.pan[0], Max: c.pan[1], Home: c.home[0], Speed: 90},
					{Name: "tilt", Min: c.tilt[0], Max: c.tilt[1], Home: c.home[1], Speed: 60}},
				Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Second}},
				PanAxis:  "pan", TiltAxis: "tilt", Ceiling: &ceil, Zones: []Zone{c.zone}, ZoneMargin: c.margin,
			}
			_, err := NewAt(cfg, aimOuts(), t0)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.want2) {
				t.Fatalf("home (%g°, %g°): got %v, want %q … %q", c.home[0], c.home[1], err, c.want, c.want2)
			}
			cfg.Axes[0].Home, cfg.Axes[1].Home = 0, 20 // and an ordinary home is fine
			if _, err := NewAt(cfg, aimOuts(), t0); err != nil {
				t.Fatalf("home (0°, 20°): %v", err)
			}
		})
	}
}

func aimOuts() map[string]actuators.Actuator {
	return map[string]actuators.Actuator{"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		"tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil), "laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
}

// TestOrdinaryRigsHaveNoAliases: a rig with tilt ≥ 0 and pan within ±90°,
// its zones on the floor side within its reach, keeps out of the grown
// zones alone: it pays nothing for the aliases.
func TestOrdinaryRigsHaveNoAliases(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 3))
	for range 20000 {
		box := Zone{PanMin: -r.Float64() * 90, PanMax: r.Float64() * 90, TiltMin: r.Float64() * 10, TiltMax: 20 + r.Float64()*69}
		z := Zone{PanMin: -90 + r.Float64()*170, TiltMin: r.Float64() * 80}
		z.PanMax, z.TiltMax = min(90, z.PanMin+0.1+r.Float64()*60), min(89, z.TiltMin+0.1+r.Float64()*30)
		m := 0.0
		if r.IntN(2) == 0 {
			m = r.Float64() * 10
		}
		if a := z.Grow(m).Aliases(box); len(a) > 0 {
			t.Fatalf("zone %+v, margin %g°, box %+v: aliases %+v", z, m, box, a)
		}
	}
	rr := aimRig(t, func(c *Config) {
		c.Zones = []Zone{{PanMin: -45, PanMax: -32, TiltMin: 28, TiltMax: 40}, {PanMin: 30, PanMax: 45, TiltMin: 2, TiltMax: 10}}
		c.ZoneMargin = 4 // the second comes within the margin of straight down: every pan, tilt [−14°, 14°]
	})
	if n := len(rr.env.zones); n != 2 {
		t.Fatalf("the envelope keeps out of %d rectangles, want the 2 grown zones: %+v", n, rr.env.zones)
	}
}

// TestAliasesHoldTheReach: on random rigs (negative tilts down to just
// above −ceiling, pan over more than a turn) and random zones (either side
// of straight down, a turn of pan away), every dot the axes reach whose
// beam is inside a zone (margin 0) or within the margin of it lies in the
// grown zone or one of its aliases, decided with the beam worked out on
// its own.
func TestAliasesHoldTheReach(t *testing.T) {
	if testing.Short() {
		t.Skip("a search per dot")
	}
	r := rand.New(rand.NewPCG(23, 5))
	found, byAlias := 0, 0
	for range 1500 {
		ceil := 10 + r.Float64()*79
		box := Zone{PanMin: -200 + r.Float64()*200, TiltMin: -ceil + 0.01 + r.Float64()*(ceil-5)}
		box.PanMax, box.TiltMax = box.PanMin+10+r.Float64()*390, ceil-0.01
		z := Zone{Name: "z", PanMin: -270 + r.Float64()*540, TiltMin: -70 + r.Float64()*130}
		z.PanMax, z.TiltMax = z.PanMin+1+r.Float64()*59, z.TiltMin+1+r.Float64()*29
		m := 0.0
		if r.IntN(4) > 0 {
			m = r.Float64() * 10
		}
		g := z.Grow(m)
		rects := append([]Zone{g}, g.Aliases(box)...)
		for range 40 {
			// A beam near the zone, under a name drawn at random, or any dot.
			p := z.PanMin - m + r.Float64()*(z.PanMax-z.PanMin+2*m)
			tl := z.TiltMin - m + r.Float64()*(z.TiltMax-z.TiltMin+2*m)
			if r.IntN(2) == 0 {
				p, tl = p+180, -tl
			}
			p += 360 * float64(r.IntN(5)-2)
			switch r.IntN(8) {
			case 0, 1:
				p, tl = box.PanMin+r.Float64()*(box.PanMax-box.PanMin), box.TiltMin+r.Float64()*(box.TiltMax-box.TiltMin)
			case 2: // straight down
				p, tl = box.PanMin+r.Float64()*(box.PanMax-box.PanMin), 0
			}
			if p < box.PanMin || p > box.PanMax || tl < box.TiltMin || tl > box.TiltMax {
				continue
			}
			held := -1
			for i, c := range rects {
				if c.Contains(p, tl) {
					held = i
					break
				}
			}
			if held > 0 {
				byAlias++
			}
			if held >= 0 {
				continue
			}
			if m == 0 {
				if beamInside(z, p, tl, 1e-9) {
					t.Fatalf("zone %+v, box %+v: (%.4f°, %.4f°) aims inside it but lies in none of %+v", z, box, p, tl, rects)
				}
				found++
				continue
			}
			if d := angleToRegion(z, p, tl, 0.1); d < m-1e-9 {
				t.Fatalf("zone %+v, margin %g°, box %+v: (%.4f°, %.4f°) aims %.4f° from it but lies in none of %+v", z, m, box, p, tl, d, rects)
			}
			found++
		}
	}
	if found < 10000 || byAlias < 1000 {
		t.Fatalf("checked %d dots outside, %d held only by an alias: the test exercises little", found, byAlias)
	}
}
