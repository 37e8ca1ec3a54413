package monitor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomMove is a straight move near the zone, or anywhere, or through
// straight down, or at negative tilts; now and then a pan or a tilt
// alone, or no move at all.
func randomMove(r *rand.Rand, reg *region) ([2]float64, [2]float64) {
	var a [2]float64
	switch r.IntN(4) {
	case 0:
		a = [2]float64{-360 + 720*r.Float64(), -100 + 300*r.Float64()}
	case 1:
		a = [2]float64{-180 + 360*r.Float64(), -8 + 16*r.Float64()} // about straight down
	default:
		a = [2]float64{reg.pan[0] - 20 + (reg.pan[1]-reg.pan[0]+40)*r.Float64(),
			reg.tilt[0] - 10 + (reg.tilt[1]-reg.tilt[0]+20)*r.Float64()}
	}
	size := []float64{0.5, 3, 10, 40}[r.IntN(4)]
	d := [2]float64{size * (2*r.Float64() - 1), size * (2*r.Float64() - 1)}
	switch r.IntN(8) {
	case 0:
		d[0] = 0
	case 1:
		d[1] = 0
	case 2:
		d = [2]float64{}
	}
	return a, [2]float64{a[0] + d[0], a[1] + d[1]}
}

// dense is the least angle from R to the beams of dots of the move a→b
// taken at steps of at most step degrees of beam angle, with how far the
// least angle along the whole move can be below it (half a step).
func dense(reg *region, a, b [2]float64, step float64) (float64, float64) {
	s := filled(a, b)
	n := max(1, int(math.Ceil(s.speed/step)))
	best := math.Inf(1)
	for i := range n + 1 {
		p := s.at(float64(i) / float64(n))
		best = math.Min(best, reg.angle(beam(p[0], p[1]), p[0], p[1]))
	}
	return best, s.speed / float64(n) / 2
}

func filled(a, b [2]float64) seg {
	s := newSeg(a, b)
	s.setBeams(beam(a[0], a[1]), beam(b[0], b[1]))
	return s
}

// TestSegmentLeastAgainstDenseSampling: the least angle from a zone's
// region to the beams along a straight move, found by branch and bound,
// is the least of the angles at dots taken densely along it (each the
// region's angle, itself checked against a sampling of the region in
// TestRegionAngleAgainstBruteForce), for random zones and moves near and
// across straight down and at negative tilts. Asked only whether some dot
// is nearer than a margin, it says so exactly when the dense dots say so
// beyond their own slack.
func TestSegmentLeastAgainstDenseSampling(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	zones, moves := 100, 40
	if testing.Short() {
		zones = 30
	}
	const step, tol = 4e-3, 1e-6
	inside, near, far := 0, 0, 0
	for range zones {
		z := randomZone(r)
		reg := newRegion(z, 1)
		for range moves {
			a, b := randomMove(r, &reg)
			s := filled(a, b)
			got, where := reg.least(&s, 0, tol)
			want, slack := dense(&reg, a, b, step)
			if got > want+tol || got < want-slack-tol {
				t.Errorf("%+v, move %v→%v: least %.9g° (at %v), dense %.9g° (±%.3g)", z, a, b, got, where, want, slack)
			}
			if p := s.at(where); got > 0 && math.Abs(reg.angle(beam(p[0], p[1]), p[0], p[1])-got) > 1e-12 {
				t.Errorf("%+v, move %v→%v: least %v° at %v, where it is %v°", z, a, b, got, p, reg.angle(beam(p[0], p[1]), p[0], p[1]))
			}
			switch {
			case got == 0:
				inside++
			case got < 3:
				near++
			default:
				far++
			}
			for _, lim := range []float64{0.5, 1, 2} {
				found, f := reg.least(&s, lim, segTol)
				if want < lim-slack-segTol && !(found < lim) {
					t.Errorf("%+v, move %v→%v: dense %.9g°, not found below %v° (%v)", z, a, b, want, lim, found)
				}
				if p := s.at(f); found < lim && found > 0 && !(reg.angle(beam(p[0], p[1]), p[0], p[1]) < lim) {
					t.Errorf("%+v, move %v→%v: found %v° below %v° at %v, where it is %v°", z, a, b, found, lim, p, reg.angle(beam(p[0], p[1]), p[0], p[1]))
				}
			}
		}
	}
	if inside < zones || near < zones*3 || far < zones*3 {
		t.Errorf("%d moves into a zone, %d near, %d far: the test proves little", inside, near, far)
	}
}

// TestSegmentBound: the lower bound on a piece of a move that does not
// point into the region is at most the angle at every dot of the piece.
func TestSegmentBound(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 9))
	n, tight := 0, 0
	for range 300 {
		z := randomZone(r)
		reg := newRegion(z, 1)
		for range 40 {
			a, b := randomMove(r, &reg)
			s := filled(a, b)
			if _, in := reg.meets(&s); in {
				continue
			}
			s0 := r.Float64()
			s1 := s0 + (1-s0)*r.Float64()
			lb := reg.bound(&s, s0, s1)
			sub := filled(s.at(s0), s.at(s1))
			want, slack := dense(&reg, sub.a, sub.b, 1e-2)
			n++
			if lb > want+1e-9 {
				t.Errorf("%+v, move %v→%v, [%v, %v]: bound %.9g°, but %.9g° at a dot of it", z, a, b, s0, s1, lb, want)
			}
			if lb > want-slack-0.05 {
				tight++
			}
		}
	}
	if tight < n/4 {
		t.Errorf("the bound is within 0.05° of the least angle on only %d of %d pieces: too loose to prune", tight, n)
	}
}

// TestBoxAngle: the least angle between two boxes of beams (angles from
// straight down, azimuths delta apart), against a dense grid of both.
func TestBoxAngle(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1))
	for range 2000 {
		rng := func() (float64, float64) {
			a := 180 * r.Float64()
			b := a + (180-a)*r.Float64()*[]float64{0, 0.01, 0.3, 1}[r.IntN(4)]
			if r.IntN(8) == 0 {
				a = 0
			}
			return a, b
		}
		a0, a1 := rng()
		b0, b1 := rng()
		delta := 180 * r.Float64()
		if delta == 0 {
			continue
		}
		got := boxAngle(a0, a1, b0, b1, delta)
		const n = 60
		want := 180.0
		for i := range n + 1 {
			x := dir(0, a0+(a1-a0)*float64(i)/n)
			for j := range n + 1 {
				want = math.Min(want, between(x, dir(delta, b0+(b1-b0)*float64(j)/n)))
			}
		}
		slack := ((a1 - a0) + (b1 - b0)) / n / 2
		if got > want+1e-6 || got < want-slack-1e-6 {
			t.Errorf("[%v, %v], [%v, %v], %v° apart: %v°, grid %v° (−%v)", a0, a1, b0, b1, delta, got, want, slack)
		}
	}
}
