package monitor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// denseBox is the least angle from R to the beams of a grid of dots of
// the box between a and b, at steps of at most step degrees of beam
// angle, with how far the least angle over the whole box can be below it.
func denseBox(reg *region, a, b [2]float64, step float64) (float64, float64) {
	lo, hi := boxOf(a, b)
	sp := sinMax(lo[1], hi[1])
	nt := max(1, int(math.Ceil((hi[1]-lo[1])/step)))
	np := max(1, int(math.Ceil((hi[0]-lo[0])*sp/step)))
	best := math.Inf(1)
	for i := range np + 1 {
		p := lo[0] + (hi[0]-lo[0])*float64(i)/float64(np)
		for j := range nt + 1 {
			t := lo[1] + (hi[1]-lo[1])*float64(j)/float64(nt)
			best = math.Min(best, reg.angle(beam(p, t), p, t))
		}
	}
	return best, ((hi[1]-lo[1])/float64(nt) + (hi[0]-lo[0])*sp/float64(np)) / 2
}

// TestBoxLeastAgainstDenseSampling: the least angle from a zone's region
// to the beams of the box between two dots, where the servos of a lit
// move may bow, found by branch and bound, is the least over a dense grid
// of its dots, for random zones and boxes near and across straight down
// and at negative tilts; asked only whether some dot is nearer than a
// margin, it says so exactly when the grid says so beyond its slack.
func TestBoxLeastAgainstDenseSampling(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 3))
	zones, boxes := 60, 12
	if testing.Short() {
		zones = 20
	}
	const step, tol = 0.05, 1e-6
	inside, near, far := 0, 0, 0
	for range zones {
		z := randomZone(r)
		reg := newRegion(z, 1)
		for range boxes {
			a, b := randomMove(r, &reg)
			if math.Abs(b[0]-a[0]) > 10 || math.Abs(b[1]-a[1]) > 10 {
				b = [2]float64{a[0] + (b[0]-a[0])/4, a[1] + (b[1]-a[1])/4}
			}
			lo, hi := boxOf(a, b)
			got, where := reg.boxLeast(lo, hi, 0, tol)
			want, slack := denseBox(&reg, a, b, step)
			if got > want+tol || got < want-slack-tol {
				t.Errorf("%+v, box %v–%v: least %.9g° (at %v), dense %.9g° (±%.3g)", z, a, b, got, where, want, slack)
			}
			if got > 0 && math.Abs(reg.angle(beam(where[0], where[1]), where[0], where[1])-got) > 1e-12 {
				t.Errorf("%+v, box %v–%v: least %v° at %v, where it is %v°", z, a, b, got, where, reg.angle(beam(where[0], where[1]), where[0], where[1]))
			}
			if where[0] < lo[0] || where[0] > hi[0] || where[1] < lo[1] || where[1] > hi[1] {
				t.Errorf("%+v, box %v–%v: least at %v, outside it", z, a, b, where)
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
				found, at := reg.boxLeast(lo, hi, lim, segTol)
				if want < lim-slack-segTol && !(found < lim) {
					t.Errorf("%+v, box %v–%v: dense %.9g°, not found below %v° (%v)", z, a, b, want, lim, found)
				}
				if want > lim+segTol && found < lim {
					t.Errorf("%+v, box %v–%v: dense %.9g°, yet found %v° below %v°", z, a, b, want, found, lim)
				}
				if found < lim && found > 0 && !(reg.angle(beam(at[0], at[1]), at[0], at[1]) < lim) {
					t.Errorf("%+v, box %v–%v: found %v° below %v° at %v, where it is %v°", z, a, b, found, lim, at, reg.angle(beam(at[0], at[1]), at[0], at[1]))
				}
			}
		}
	}
	if inside < zones/2 || near < zones || far < zones {
		t.Errorf("%d boxes into a zone, %d near, %d far: the test proves little", inside, near, far)
	}
	t.Logf("%d inside, %d near, %d far", inside, near, far)
}

// TestBoxHitsAgainstSampling: a box meets a zone's open rectangle under
// some name exactly when one of a grid of its dots does, give or take the
// grid's step (the dots are checked by hits, the segment test).
func TestBoxHitsAgainstSampling(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 9))
	met, missed := 0, 0
	for range 400 {
		z := randomZone(r)
		zs := growZones([]Zone{z}, 0)
		if len(zs) == 0 {
			continue
		}
		rc := zs[0]
		reg := newRegion(z, 0)
		a, b := randomMove(r, &reg)
		lo, hi := boxOf(a, b)
		const n = 60
		grid := false
		for i := range n + 1 {
			for j := range n + 1 {
				p := [2]float64{lo[0] + (hi[0]-lo[0])*float64(i)/n, lo[1] + (hi[1]-lo[1])*float64(j)/n}
				grid = grid || rc.hits(p, p)
			}
		}
		got := rc.boxHits(a, b)
		if grid && !got {
			t.Errorf("%+v, box %v–%v: a dot of it is in the zone, boxHits says no", z, a, b)
		}
		if got && !grid {
			// Only a sliver between grid dots: the region must come
			// within a grid step of the box.
			if d, _ := reg.boxLeast(lo, hi, 0, 1e-9); d > 0 {
				t.Errorf("%+v, box %v–%v: boxHits says it meets the zone, yet it is %v° away", z, a, b, d)
			}
		}
		if got {
			met++
		} else {
			missed++
		}
	}
	if met < 40 || missed < 40 {
		t.Errorf("%d met, %d missed: the test proves little", met, missed)
	}
}
