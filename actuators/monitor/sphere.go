package monitor

import "math"

// The beam's geometry, written from the invariants: a dot (pan p, tilt t)
// points the beam along u(p, t) = (sin t·cos p, sin t·sin p, −cos t), tilt
// 0° straight down, 90° the horizon, pan about the vertical; tilt may be
// negative. The angle between two dots is the central angle between their
// beams, 2·asin(|u1 − u2|/2), which is stable for small angles. Degrees in,
// degrees out.

type vec3 [3]float64

const rad = math.Pi / 180

// beam returns u(p, t).
func beam(p, t float64) vec3 {
	sp, cp := math.Sincos(p * rad)
	st, ct := math.Sincos(t * rad)
	return vec3{st * cp, st * sp, -ct}
}

// chord2 is |a − b|².
func chord2(a, b vec3) float64 {
	x, y, z := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return x*x + y*y + z*z
}

// chordOf is the chord of a central angle of a degrees (0 ≤ a): a
// comparison of angles is one of chords. From 180° on, every chord is
// shorter.
func chordOf(a float64) float64 {
	if a >= 180 {
		return 2
	}
	return 2 * math.Sin(a*rad/2)
}

// angleOf is the central angle of a chord of length c.
func angleOf(c float64) float64 { return 2 * math.Asin(math.Min(1, c/2)) / rad }

// inMod reports whether a + 360°·k lies in [lo, hi] for some integer k.
func inMod(a, lo, hi float64) bool {
	if hi-lo >= 360 {
		return true
	}
	k := math.Ceil((lo - a) / 360)
	return a+360*k <= hi
}

// polar folds a tilt to the angle from straight down, in [0°, 180°]:
// u(p, t) = u(p+180°, −t) = u(p, t+360°).
func polar(t float64) float64 {
	if t >= -180 && t <= 180 {
		return math.Abs(t)
	}
	t = math.Mod(t, 360)
	if t < 0 {
		t += 360
	}
	if t > 180 {
		t = 360 - t
	}
	return t
}

// region is a zone's region R = {u(p, t): p ∈ [pan min, pan max], t ∈
// [tilt min, tilt max]} with what the angle from a beam to it needs,
// computed once.
type region struct {
	name      string
	pan, tilt [2]float64 // [min, max], degrees
	corner    [4]vec3    // u at (pan[i&1], tilt[i>>1])
	side      [2]vec3    // the horizontal (cos p, sin p, 0) of pan[0], pan[1]
	st, ct    [2]float64 // sin, cos of tilt[0], tilt[1]
	near, far float64    // the least and greatest polar angle of R
	margin    float64
	center    vec3    // a cap about center holds R and its margin:
	cosCap    float64 // a beam x with x·center below cosCap is farther
	// capAngle is the cap's radius in degrees (180 or more: no beam is
	// farther), sinCap its sine.
	capAngle, sinCap float64
	// parts are R's boundary in parts, for the bound along a move.
	parts []arcPart
	memo  [3]angleMemo // see angleAt
}

type angleMemo struct {
	at    [2]float64
	angle float64
	ok    bool
}

// newRegion returns z's region, to be kept margin away from.
func newRegion(z Zone, margin float64) region {
	r := region{name: z.Name,
		pan:  [2]float64{math.Min(z.PanMin, z.PanMax), math.Max(z.PanMin, z.PanMax)},
		tilt: [2]float64{math.Min(z.TiltMin, z.TiltMax), math.Max(z.TiltMin, z.TiltMax)}}
	for i := range r.corner {
		r.corner[i] = beam(r.pan[i&1], r.tilt[i>>1])
	}
	for i := range 2 {
		sp, cp := math.Sincos(r.pan[i] * rad)
		r.side[i] = vec3{cp, sp, 0}
		st, ct := math.Sincos(r.tilt[i] * rad)
		r.st[i], r.ct[i] = st, ct
	}
	a, b := polar(r.tilt[0]), polar(r.tilt[1])
	r.near, r.far = math.Min(a, b), math.Max(a, b)
	if inMod(0, r.tilt[0], r.tilt[1]) {
		r.near = 0
	}
	if inMod(180, r.tilt[0], r.tilt[1]) {
		r.far = 180
	}
	r.margin = margin
	r.parts = r.arcParts()
	// Every beam of R is within capRadius of the middle's: along the
	// middle's meridian to the beam's tilt, then along that tilt's circle.
	r.center = beam((r.pan[0]+r.pan[1])/2, (r.tilt[0]+r.tilt[1])/2)
	r.capAngle = capRadius(r.pan, r.tilt) + margin + 1e-6
	if c := r.capAngle; c < 180 {
		r.sinCap, r.cosCap = math.Sincos(c * rad)
	} else {
		r.cosCap = -2 // no beam is farther
	}
	return r
}

// capRadius bounds the angle from the beam of the middle of a pan/tilt
// rectangle to any beam of it: at most half its tilts along the middle's
// meridian, then along the circle of the beam's tilt t half its pans,
// a chord of 2·|sin t|·sin(Δpan/4).
func capRadius(pan, tilt [2]float64) float64 {
	sinMax := math.Max(math.Abs(math.Sin(tilt[0]*rad)), math.Abs(math.Sin(tilt[1]*rad)))
	if inMod(90, tilt[0], tilt[1]) || inMod(270, tilt[0], tilt[1]) {
		sinMax = 1
	}
	half := 1.0
	if w := pan[1] - pan[0]; w < 360 {
		half = math.Sin(w / 4 * rad)
	}
	return (tilt[1]-tilt[0])/2 + angleOf(2*sinMax*half)
}

// farTilt reports, with no trigonometry, that the beam of a dot at tilt t
// is farther from R than the margin newRegion was given: their angles from
// straight down differ by more (the triangle through straight down).
func (r *region) farTilt(t float64) bool {
	pt := polar(t)
	return pt-r.far > r.margin+1e-6 || r.near-pt > r.margin+1e-6
}

// farBeam reports, cheaply, that the beam x is farther from R than the
// margin newRegion was given.
func (r *region) farBeam(x vec3) bool {
	return x[0]*r.center[0]+x[1]*r.center[1]+x[2]*r.center[2] < r.cosCap
}

// inside reports whether the beam of the dot (p, t) is in R: some pair
// of R's angles points the beam the same way.
func (r *region) inside(p, t float64) bool {
	if pt := polar(t); pt == 0 || pt == 180 { // straight down or up: any pan
		return inMod(t, r.tilt[0], r.tilt[1])
	}
	return inMod(t, r.tilt[0], r.tilt[1]) && inMod(p, r.pan[0], r.pan[1]) ||
		inMod(-t, r.tilt[0], r.tilt[1]) && inMod(p+180, r.pan[0], r.pan[1])
}

// angle returns the central angle, in degrees, from the beam x of the dot
// (p, t) to R: 0 inside, else the least angle to R's boundary, made of
// two meridian arcs (pan fixed: pieces of great circles through straight
// down) and two arcs of constant tilt (small circles about the vertical).
// On each the nearest point is at an end or at the foot of the
// perpendicular from x, if that lies on the arc.
func (r *region) angle(x vec3, p, t float64) float64 {
	if r.inside(p, t) {
		return 0
	}
	best := 4.0 // chord², beyond any
	for _, c := range r.corner {
		best = math.Min(best, chord2(x, c))
	}
	// Meridian arcs: the great circle through straight down d = (0, 0, −1)
	// and the side s is s·sin τ + d·cos τ, τ the tilt; the foot of x is
	// at τ = atan2(x·s, x·d).
	for _, s := range r.side {
		a, b := x[0]*s[0]+x[1]*s[1], -x[2]
		rho := math.Hypot(a, b)
		if rho == 0 {
			continue // x is the circle's pole: every point is 90° away
		}
		if tau := math.Atan2(a, b) / rad; inMod(tau, r.tilt[0], r.tilt[1]) {
			best = math.Min(best, chord2(x, vec3{a * s[0] / rho, a * s[1] / rho, -b / rho}))
		}
	}
	// Arcs of constant tilt τ: the point of the small circle nearest x is
	// at x's own azimuth where sin τ > 0, the opposite one where sin τ < 0
	// (both the horizontal direction of x times |sin τ|).
	if h := math.Hypot(x[0], x[1]); h > 0 {
		az := math.Atan2(x[1], x[0]) / rad
		for i := range 2 {
			st := r.st[i]
			if st == 0 {
				continue // a point: straight down or up, a corner
			}
			pan := az
			if st < 0 {
				pan, st = az+180, -st
			}
			if inMod(pan, r.pan[0], r.pan[1]) {
				best = math.Min(best, chord2(x, vec3{st * x[0] / h, st * x[1] / h, -r.ct[i]}))
			}
		}
	}
	return angleOf(math.Sqrt(best))
}
