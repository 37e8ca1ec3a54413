package monitor

import "math"

// A lit move is a straight line in pan/tilt degrees between two dots: the
// dot at a + s·(b − a) for s from 0 to 1 (a pan, a tilt, or both at once).
// What the margin asks of it is that no dot of it points the beam within
// keep_out_margin of a zone's region R. On the sphere such a line is no
// arc of a great or a small circle (but for a pan or a tilt alone), so
// its least angle to R is found by branch and bound: the angle at the
// ends and at midpoints, and for each piece of the line a lower bound on
// the angle anywhere along it, from the beam's speed along the line and
// from R's boundary arcs. A piece whose bound reaches the margin, or the
// least angle found so far, holds nothing nearer; the others are halved.

// segTol is how closely the least angle along a move is found: a piece
// of the line shorter than that much beam angle is not halved further,
// so the monitor passes a move at most segTol/2 inside the margin between
// dots it looked at (its ends are exact).
const segTol = 1e-7

// maxSpeed and maxEvals bound the search on moves no servo makes (more
// than 10⁶° of beam angle: flagged by range and speed), which it leaves:
// a move of a tick takes a few dozen angles at most, one that runs along
// the margin a few thousand.
const (
	maxSpeed = 1e6
	maxEvals = 1 << 16
)

// seg is a straight move from a to b in pan/tilt degrees, with what its
// bounds need, computed once.
type seg struct {
	a, b             [2]float64
	d                [2]float64 // b − a
	polarLo, polarHi float64    // the range of the beam's angle from straight down
	// Set by setBeams:
	xa, xb vec3 // the beams of a and b
	// speed bounds the beam angle the dot turns per unit of s: the beam
	// moves at √(Δt² + sin²t·Δp²) (Δ over the whole move).
	speed float64
}

// newSeg returns the move a→b, without its beams and speed (setBeams):
// most moves are far from every zone by their tilts alone.
func newSeg(a, b [2]float64) seg {
	s := seg{a: a, b: b, d: [2]float64{b[0] - a[0], b[1] - a[1]}}
	s.polarLo, s.polarHi = polarRange(order(a[1], b[1]))
	return s
}

// setBeams sets the beams of the move's ends, xa and xb, and its speed.
func (s *seg) setBeams(xa, xb vec3) {
	s.xa, s.xb = xa, xb
	// Between the peaks of |sin t| (90° + 180°·k) it falls to a zero and
	// rises: its greatest is at an end, the length of that beam's
	// horizontal part.
	tlo, thi := order(s.a[1], s.b[1])
	sin := 1.0
	if !hasMultiple(tlo, thi, 180, 90) {
		sin = math.Sqrt(math.Max(xa[0]*xa[0]+xa[1]*xa[1], xb[0]*xb[0]+xb[1]*xb[1]))
	}
	dp := s.d[0] * sin
	s.speed = math.Sqrt(s.d[1]*s.d[1] + dp*dp)
}

// at is the dot at s.
func (s *seg) at(f float64) [2]float64 {
	if f == 1 {
		return s.b
	}
	return [2]float64{s.a[0] + f*s.d[0], s.a[1] + f*s.d[1]}
}

// polarRange is the range of the angle from straight down of the beams
// of tilts in [lo, hi]: polar is a triangle wave, 0 at the multiples of
// 360°, 180° half way.
func polarRange(lo, hi float64) (float64, float64) {
	if lo >= -180 && hi <= 180 { // most tilts: polar is |t|
		a, b := math.Abs(lo), math.Abs(hi)
		if lo <= 0 && hi >= 0 {
			return 0, max(a, b)
		}
		return order(a, b)
	}
	a, b := polar(lo), polar(hi)
	pl, ph := math.Min(a, b), math.Max(a, b)
	if hasMultiple(lo, hi, 360, 0) {
		pl = 0
	}
	if hasMultiple(lo, hi, 360, 180) {
		ph = 180
	}
	return pl, ph
}

// gap is how far the interval [lo, hi] lies from [a, b], 0 if they meet.
func gap(lo, hi, a, b float64) float64 {
	return math.Max(0, math.Max(a-hi, lo-b))
}

// circGap is how far, in degrees around the circle, the interval [lo, hi]
// lies from [a, b] or any copy of it shifted by 360°·k; 0 if they meet.
// [a, b] is narrower than 360°.
func circGap(lo, hi, a, b float64) float64 {
	if hi-lo >= 360 {
		return 0
	}
	k := math.Ceil((lo - b) / 360) // the first copy that ends at or after lo
	a, b = a+360*k, b+360*k
	if a <= hi {
		return 0
	}
	return math.Min(a-hi, lo-(b-360))
}

// meets returns the least s at which the move's dot points the beam into
// R (on its boundary counts).
func (r *region) meets(s *seg) (float64, bool) {
	f, ok := aliasMeet([2]float64{r.pan[0], r.tilt[0]}, [2]float64{r.pan[1], r.tilt[1]}, s.a, s.b, false)
	if g, pole := poleMeet(r.tilt[0], r.tilt[1], s.a, s.b); pole && (!ok || g < f) {
		f, ok = g, true
	}
	return f, ok
}

// farPolar reports, with no trigonometry, that every beam of the move is
// farther from R than the margin newRegion was given: its angles from
// straight down all differ from R's by more.
func (r *region) farPolar(s *seg) bool { return r.farPolars(s.polarLo, s.polarHi) }

// farPolars reports, with no trigonometry, that every beam whose angle
// from straight down is in [lo, hi] is farther from R than the margin.
func (r *region) farPolars(lo, hi float64) bool {
	return lo-r.far > r.margin+1e-6 || r.near-hi > r.margin+1e-6
}

// farCap reports, cheaply, that every beam of the move is farther from R
// than the margin newRegion was given: both its ends are farther from the
// middle of R than the cap that holds R and its margin, by half the most
// the beam turns along it (every dot of it is that close to an end).
func (r *region) farCap(s *seg) bool {
	c, ok := r.capBelow(s.speed / 2)
	return ok && s.xa[0]*r.center[0]+s.xa[1]*r.center[1]+s.xa[2]*r.center[2] < c &&
		s.xb[0]*r.center[0]+s.xb[1]*r.center[1]+s.xb[2]*r.center[2] < c
}

// capBelow returns c: a beam x with x·center below c is farther from R
// than the margin by more than h degrees; ok false if no beam is.
func (r *region) capBelow(h float64) (c float64, ok bool) {
	if r.capAngle+h >= 180 {
		return 0, false
	}
	// At most cos(cap + h) = cos cap·cos h − sin cap·sin h, as cos h ≥
	// 1 − h²/2 and sin h ≤ h (radians): a beam below it is farther.
	h *= rad
	c = r.cosCap
	if c > 0 {
		c *= 1 - h*h/2
	}
	return c - r.sinCap*h, true
}

// arcPart is a piece of R's boundary for bound: beams whose angle from
// straight down is in [polarLo, polarHi] and whose azimuth is in
// [azLo, azHi] (any azimuth if anyAz). R's boundary lies on its two arcs
// of constant tilt τ (azimuths its pans, turned by 180° where sin τ < 0)
// and its two meridian arcs (pan p_j, R's tilts), each cut where the
// tilt crosses straight down or up: azimuth p_j, or p_j + 180° where the
// tilt's sine is negative.
type arcPart struct {
	polarLo, polarHi float64
	azLo, azHi       float64
	anyAz            bool
}

// arcParts returns R's boundary in parts.
func (r *region) arcParts() []arcPart {
	var out []arcPart
	wide := r.pan[1]-r.pan[0] >= 360
	for k := range 2 {
		th := polar(r.tilt[k])
		a := arcPart{polarLo: th, polarHi: th, azLo: r.pan[0], azHi: r.pan[1], anyAz: wide || r.st[k] == 0}
		if r.st[k] < 0 {
			a.azLo, a.azHi = a.azLo+180, a.azHi+180
		}
		out = append(out, a)
	}
	k0, k1 := math.Floor(r.tilt[0]/180), math.Floor(r.tilt[1]/180)
	for j := range 2 {
		if !(k1-k0 <= 4) { // many turns: the angle from straight down alone
			out = append(out, arcPart{polarLo: r.near, polarHi: r.far, anyAz: true})
			continue
		}
		for k := k0; k <= k1; k++ {
			lo, hi := math.Max(r.tilt[0], 180*k), math.Min(r.tilt[1], 180*(k+1))
			if lo > hi || lo == hi && lo != r.tilt[0] {
				continue // only a multiple of 180° of R's tilts: the next part's end
			}
			a := arcPart{azLo: r.pan[j], azHi: r.pan[j]}
			a.polarLo, a.polarHi = polarRange(lo, hi)
			switch sn := math.Sin((lo + hi) / 2 * rad); {
			case sn == 0:
				a.anyAz = true // straight down or up
			case sn < 0:
				a.azLo, a.azHi = a.azLo+180, a.azHi+180
			}
			out = append(out, a)
		}
	}
	return out
}

// bound is a lower bound on the angle from R to the beam of any dot of
// the move between s0 and s1, none of which points into R: the angle to
// R's boundary, which is at least the least of the angles to its parts.
// The dots' beams lie in a box of angles from straight down and azimuths
// (from the ranges of their tilts and pans over the piece), as each part
// does, and the angle between two such boxes is that between their
// nearest azimuths (boxAngle).
func (r *region) bound(s *seg, s0, s1 float64) float64 {
	p0, p1 := s.a[0]+s0*s.d[0], s.a[0]+s1*s.d[0]
	t0, t1 := s.a[1]+s0*s.d[1], s.a[1]+s1*s.d[1]
	plo, phi := order(p0, p1)
	tlo, thi := order(t0, t1)
	return r.boxBound(plo, phi, tlo, thi)
}

// boxBound is a lower bound on the angle from R to the beam of any dot
// with pan in [plo, phi] and tilt in [tlo, thi], none of which points
// into R (see bound). Where the tilts keep one sign and do not reach
// straight down or up, those beams are exactly a box of angles from
// straight down and azimuths, and the bound is the least angle, less
// rounding.
func (r *region) boxBound(plo, phi, tlo, thi float64) float64 {
	pl, ph := polarRange(tlo, thi)
	// Through straight down or up the dots' azimuths are any; else the
	// tilt keeps its sign, and a negative one's beam has its pan turned
	// by 180°.
	anyAz := hasMultiple(tlo, thi, 180, 0)
	if !anyAz && math.Sin(tlo*rad) < 0 {
		plo, phi = plo+180, phi+180
	}
	best := math.Inf(1)
	for i := range r.parts {
		a := &r.parts[i]
		b := gap(pl, ph, a.polarLo, a.polarHi)
		if b < best && !anyAz && !a.anyAz {
			if g := circGap(plo, phi, a.azLo, a.azHi); g > 0 {
				b = math.Max(b, boxAngle(pl, ph, a.polarLo, a.polarHi, g))
			}
		}
		best = math.Min(best, b)
	}
	return best
}

// boxAngle is the least angle between a beam θ from straight down and a
// beam θ' from it, θ in [a0, a1] and θ' in [b0, b1] (within [0°, 180°]),
// whose azimuths differ by delta (0 < delta ≤ 180°): cos of the angle is
// g = cos θ cos θ' + cos delta·sin θ sin θ', greatest at a corner of the
// box, or where one of θ, θ' is at an end and the other at its best for
// it (g is then c·cos(θ' − φ) in θ'), or at (90°, 90°), g's one other
// critical point away from straight down and up. Slightly less than the
// angle: g is rounded up by more than its error.
func boxAngle(a0, a1, b0, b1, delta float64) float64 {
	c := math.Cos(delta * rad)
	best := -2.0
	try := func(x, y float64) {
		sx, cx := math.Sincos(x * rad)
		sy, cy := math.Sincos(y * rad)
		best = math.Max(best, cx*cy+c*sx*sy)
	}
	// the best y for x: φ = atan2(c·sin x, cos x), if in [lo, hi]
	along := func(x, lo, hi float64) {
		sx, cx := math.Sincos(x * rad)
		if f := math.Atan2(c*sx, cx) / rad; f > lo && f < hi {
			try(x, f)
		}
	}
	for _, x := range [2]float64{a0, a1} {
		for _, y := range [2]float64{b0, b1} {
			try(x, y)
		}
		along(x, b0, b1)
	}
	for _, y := range [2]float64{b0, b1} {
		along(y, a0, a1) // g is symmetric in θ and θ'
	}
	if a0 < 90 && 90 < a1 && b0 < 90 && 90 < b1 {
		best = math.Max(best, c)
	}
	return math.Acos(math.Min(1, best+1e-15)) / rad
}

// angleAt is angle for the dot p, whose beam is x, remembering the last
// three dots: a move starts where the one before it ended, and the
// straight move of an instant joins the ends of its polyline.
func (r *region) angleAt(x vec3, p [2]float64) float64 {
	for i := range r.memo {
		if r.memo[i].ok && r.memo[i].at == p {
			return r.memo[i].angle
		}
	}
	a := r.angle(x, p[0], p[1])
	copy(r.memo[1:], r.memo[:])
	r.memo[0] = angleMemo{at: p, angle: a, ok: true}
	return a
}

// least returns the least angle from R to the beam of a dot of the move,
// and where (s), to within tol (the monitor's is segTol). With lim > 0 it
// stops at the first dot found closer than lim, and only whether there is
// one is exact: a piece whose bound reaches lim is not looked into.
func (r *region) least(s *seg, lim, tol float64) (float64, float64) {
	if f, in := r.meets(s); in {
		return 0, f
	}
	da, db := r.angleAt(s.xa, s.a), r.angleAt(s.xb, s.b)
	best, where := da, 0.0
	if db < best {
		best, where = db, 1
	}
	if best < lim || !(s.speed > 0 && s.speed < maxSpeed) {
		return best, where
	}
	type piece struct{ s0, s1, d0, d1 float64 }
	var stack [80]piece
	stack[0] = piece{0, 1, da, db}
	n := 1
	for evals := 0; n > 0 && evals < maxEvals; {
		n--
		pc := stack[n]
		thr := best - tol
		if lim > 0 {
			thr = math.Min(thr, lim)
		}
		l := (pc.s1 - pc.s0) * s.speed
		if (pc.d0+pc.d1-l)/2 >= thr || l <= tol || n+2 > len(stack) {
			continue // the beam turns at most l along it
		}
		if r.bound(s, pc.s0, pc.s1) >= thr {
			continue
		}
		mid := (pc.s0 + pc.s1) / 2
		p := s.at(mid)
		dm := r.angle(beam(p[0], p[1]), p[0], p[1])
		evals++
		if dm < best {
			best, where = dm, mid
			if best < lim {
				return best, where
			}
		}
		lo, hi := piece{pc.s0, mid, pc.d0, dm}, piece{mid, pc.s1, dm, pc.d1}
		if pc.d0 < pc.d1 { // the nearer half first
			lo, hi = hi, lo
		}
		stack[n], stack[n+1] = lo, hi
		n += 2
	}
	return best, where
}

// sinMax is the greatest |sin t| for tilts t in [lo, hi].
func sinMax(lo, hi float64) float64 {
	if hasMultiple(lo, hi, 180, 90) {
		return 1
	}
	return math.Max(math.Abs(math.Sin(lo*rad)), math.Abs(math.Sin(hi*rad)))
}

// boxSize bounds the angle between the beams of any two dots of the box
// [lo, hi] (pan, tilt): along a meridian across its tilts, then along a
// circle of constant tilt t across its pans, at most |sin t| of them.
func boxSize(lo, hi [2]float64) float64 {
	return hi[1] - lo[1] + (hi[0]-lo[0])*sinMax(lo[1], hi[1])
}

// boxMeets returns a dot of the box [lo, hi] (pan, tilt) that points the
// beam into R (on its boundary counts), if any.
func (r *region) boxMeets(lo, hi [2]float64) ([2]float64, bool) {
	if at, ok := aliasBox([2]float64{r.pan[0], r.tilt[0]}, [2]float64{r.pan[1], r.tilt[1]}, lo, hi, false); ok {
		return at, true
	}
	if tau, ok := poleIn(r.tilt[0], r.tilt[1], lo[1], hi[1]); ok {
		return [2]float64{lo[0], tau}, true
	}
	return lo, false
}

// boxLeast returns the least angle from R to the beam of a dot of the
// box [lo, hi] (pan, tilt), and that dot, to within tol, by branch and
// bound: the angle at the middle of each piece of the box, and a lower
// bound on it over the piece (boxBound), which is exact where the piece
// does not reach straight down or up; a piece is halved across its
// larger side in beam angle until it is smaller than tol. With lim > 0
// it stops at the first dot found closer than lim, and only whether
// there is one is exact: a piece whose bound reaches lim is not looked
// into, and the angle returned is then lim or more.
func (r *region) boxLeast(lo, hi [2]float64, lim, tol float64) (float64, [2]float64) {
	if at, in := r.boxMeets(lo, hi); in {
		return 0, at
	}
	type piece struct {
		lo, hi [2]float64
		bound  float64 // boxBound of the piece
	}
	var stack [160]piece
	stack[0] = piece{lo, hi, r.boxBound(lo[0], hi[0], lo[1], hi[1])}
	n := 1
	best, where := math.Inf(1), lo
	for evals := 0; n > 0 && evals < maxEvals; {
		n--
		pc := stack[n]
		thr := best - tol
		if lim > 0 {
			thr = math.Min(thr, lim)
		}
		if pc.bound >= thr {
			continue
		}
		mid := [2]float64{(pc.lo[0] + pc.hi[0]) / 2, (pc.lo[1] + pc.hi[1]) / 2}
		dm := r.angle(beam(mid[0], mid[1]), mid[0], mid[1])
		evals++
		if dm < best {
			best, where = dm, mid
			if best < lim {
				return best, where
			}
		}
		dt, dp := pc.hi[1]-pc.lo[1], (pc.hi[0]-pc.lo[0])*sinMax(pc.lo[1], pc.hi[1])
		if size := dt + dp; dm-size/2 >= thr || size <= tol || !(size < maxSpeed) || n+2 > len(stack) {
			continue // every dot of it is within size/2 of the middle
		}
		a, b := pc, pc
		if dt >= dp {
			a.hi[1], b.lo[1] = mid[1], mid[1]
		} else {
			a.hi[0], b.lo[0] = mid[0], mid[0]
		}
		a.bound = r.boxBound(a.lo[0], a.hi[0], a.lo[1], a.hi[1])
		b.bound = r.boxBound(b.lo[0], b.hi[0], b.lo[1], b.hi[1])
		if a.bound < b.bound { // the nearer half first
			a, b = b, a
		}
		stack[n], stack[n+1] = a, b
		n += 2
	}
	return best, where
}
