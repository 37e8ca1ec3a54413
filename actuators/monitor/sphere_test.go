package monitor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// dir is the beam of (pan p, tilt t), written out again for the tests.
func dir(p, t float64) [3]float64 {
	p, t = p*math.Pi/180, t*math.Pi/180
	return [3]float64{math.Sin(t) * math.Cos(p), math.Sin(t) * math.Sin(p), -math.Cos(t)}
}

// between is the angle of a and b in degrees, as atan2(|a×b|, a·b).
func between(a, b [3]float64) float64 {
	cx := a[1]*b[2] - a[2]*b[1]
	cy := a[2]*b[0] - a[0]*b[2]
	cz := a[0]*b[1] - a[1]*b[0]
	return math.Atan2(math.Sqrt(cx*cx+cy*cy+cz*cz), a[0]*b[0]+a[1]*b[1]+a[2]*b[2]) * 180 / math.Pi
}

// sampled is a zone's region by brute force: a grid over its inside and
// its four edges sampled densely, with the most a dot's least angle to
// the samples can exceed its angle to the region, outside (edge) and
// inside (grid).
type sampled struct {
	grid, edge         [][3]float64
	tolEdge, tolInside float64
}

func sample(z Zone) sampled {
	p0, p1 := math.Min(z.PanMin, z.PanMax), math.Max(z.PanMin, z.PanMax)
	t0, t1 := math.Min(z.TiltMin, z.TiltMax), math.Max(z.TiltMin, z.TiltMax)
	const n, e = 120, 8000
	var s sampled
	for i := range n + 1 {
		for j := range n + 1 {
			s.grid = append(s.grid, dir(p0+(p1-p0)*float64(i)/n, t0+(t1-t0)*float64(j)/n))
		}
	}
	for i := range e + 1 {
		f := float64(i) / e
		s.edge = append(s.edge, dir(p0+(p1-p0)*f, t0), dir(p0+(p1-p0)*f, t1), dir(p0, t0+(t1-t0)*f), dir(p1, t0+(t1-t0)*f))
	}
	// A sample's neighbour is at most a step of pan (at most that much
	// beam angle) and a step of tilt (exactly that much) away.
	s.tolEdge = math.Max(p1-p0, t1-t0)/e/2 + 1e-9
	s.tolInside = ((p1-p0)+(t1-t0))/n/2 + 1e-9
	return s
}

func (s *sampled) most(x [3]float64, in [][3]float64) float64 {
	most := 0.0
	for _, y := range in {
		most = math.Max(most, between(x, y))
	}
	return most
}

func (s *sampled) least(x [3]float64, in [][3]float64) float64 {
	best := 180.0
	for _, y := range in {
		best = math.Min(best, between(x, y))
	}
	return best
}

// randomZone is a zone anywhere, or touching or across straight down, or
// at negative tilts only; now and then one without width or height.
func randomZone(r *rand.Rand) Zone {
	w, h := 0.5+60*r.Float64(), 0.5+40*r.Float64()
	if r.IntN(10) == 0 {
		w = 0
	} else if r.IntN(10) == 0 {
		h = 0
	}
	p := -180 + 360*r.Float64()
	var t float64
	switch r.IntN(5) {
	case 0:
		t = -40 + 180*r.Float64() // anywhere, up to past straight up
	case 1:
		t = 0 // from straight down
	case 2:
		t = -h * r.Float64() // across straight down
	case 3:
		t = -h - 40*r.Float64() // negative tilts
	default:
		t = 10 * r.Float64() // near straight down
	}
	if r.IntN(2) == 0 { // either order
		return Zone{PanMin: p, PanMax: p + w, TiltMin: t, TiltMax: t + h}
	}
	return Zone{PanMin: p + w, PanMax: p, TiltMin: t + h, TiltMax: t}
}

// TestRegionAngleAgainstBruteForce: the angle from a beam to a zone's
// region, from the geometry of its edges, is the least angle to a dense
// sampling of the region, for dots anywhere and dots near the zone.
func TestRegionAngleAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 3))
	zones, dots := 40, 20
	if testing.Short() {
		zones = 10
	}
	inside, near, farT, farB := 0, 0, 0, 0
	for range zones {
		z := randomZone(r)
		reg, s := newRegion(z, 1), sample(z)
		c := [3]float64(reg.center)
		if capR := capRadius(reg.pan, reg.tilt); math.Max(s.most(c, s.grid), s.most(c, s.edge)) > capR+1e-9 {
			t.Errorf("%+v: a beam more than %v° from the middle's", z, capR)
		}
		for k := range dots {
			var p, tl float64
			if k%3 == 0 {
				p, tl = -360+720*r.Float64(), -100+300*r.Float64()
			} else {
				p = reg.pan[0] - 20 + (reg.pan[1]-reg.pan[0]+40)*r.Float64()
				tl = reg.tilt[0] - 10 + (reg.tilt[1]-reg.tilt[0]+20)*r.Float64()
			}
			x := dir(p, tl)
			got := reg.angle(beam(p, tl), p, tl)
			if reg.farTilt(tl) {
				farT++
				if got < 1 {
					t.Errorf("%+v, dot (%v, %v): far from the zone by tilt, but %v° from it", z, p, tl, got)
				}
			}
			if reg.farBeam(beam(p, tl)) {
				farB++
				if got < 1 {
					t.Errorf("%+v, dot (%v, %v): far from the zone, but %v° from it", z, p, tl, got)
				}
			}
			if got == 0 {
				inside++
				if b := s.least(x, s.grid); b > s.tolInside {
					t.Errorf("%+v, dot (%v, %v): inside, but %v° from every sample", z, p, tl, b)
				}
				continue
			}
			if got < 5 {
				near++
			}
			b := math.Min(s.least(x, s.edge), s.least(x, s.grid))
			if math.Abs(got-b) > s.tolEdge {
				t.Errorf("%+v, dot (%v, %v): angle %v, brute force %v", z, p, tl, got, b)
			}
		}
	}
	if inside < zones/2 || near < zones*2 || farT < zones*dots/8 || farB < zones*dots/4 {
		t.Errorf("%d dots inside, %d near a zone, %d and %d far: the test proves little", inside, near, farT, farB)
	}
}

// Straight down and up are every pan's: a zone from tilt 0 holds the
// beam straight down whatever its pan, and a dot at negative tilt is the
// dot at the opposite pan.
func TestRegionInsideAliases(t *testing.T) {
	reg := newRegion(Zone{PanMin: 10, PanMax: 20, TiltMin: 0, TiltMax: 15}, 1)
	for _, c := range []struct {
		p, t float64
		want bool
	}{
		{15, 10, true}, {-165, -10, true}, {375, 10, true}, {90, 0, true}, {15, 16, false}, {-15, 10, false}, {15, -10, false},
	} {
		if got := reg.inside(c.p, c.t); got != c.want {
			t.Errorf("(%v, %v): inside %v, want %v", c.p, c.t, got, c.want)
		}
	}
}
