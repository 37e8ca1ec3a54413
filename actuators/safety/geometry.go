package safety

import "math"

// beam is the unit vector of the beam's direction at (pan, tilt), in
// degrees: u = (sin t·cos p, sin t·sin p, −cos t). Tilt 0° points straight
// down and 90° at the horizon; pan turns about the vertical. A negative
// tilt leans back past straight down, and the formula holds there too.
// The angle between two directions is 2·asin(|u1 − u2| / 2), which stays
// exact for small angles.
func beam(pan, tilt float64) [3]float64 {
	sp, cp := math.Sincos(pan * math.Pi / 180)
	st, ct := math.Sincos(tilt * math.Pi / 180)
	return [3]float64{st * cp, st * sp, -ct}
}

// Zone is a keep-out rectangle in pan/tilt space (degrees): a window, the
// TV, the sofa, the camera. The lit dot never enters one and never sweeps
// across one: the laser is blanked while the path crosses it, and targets
// inside are moved to its nearest edge.
type Zone struct {
	Name    string  `json:"name"`
	PanMin  float64 `json:"pan_min"`
	PanMax  float64 `json:"pan_max"`
	TiltMin float64 `json:"tilt_min"`
	TiltMax float64 `json:"tilt_max"`
}

// Grow returns a pan/tilt rectangle that holds every dot whose beam comes
// within m of the zone (m in degrees of the angle the beam turns, the
// keep-out margin; the shipped rules have 0°). m = 0 returns the zone as
// it is.
//
// In tilt a degree is a degree of beam: tilt is the beam's angle from
// straight down, so the band is [tilt min − m, tilt max + m]. In pan it is
// not: near straight down a large pan turn is a small move of the beam.
// A dot at tilt t whose pan is Δ beyond the zone's pan range is at least
// asin(|sin t|·sin Δ) from the great circle through the nearer edge
// meridian, which every path into the zone crosses. So over the band, with
// s the smallest |sin t| on it, a pan widening of w = asin(sin m / s) on
// each side keeps every dot outside at least m away. |sin t| is smallest
// at one of the band's ends, or 0 if the band holds 0° or ±180°.
//
// When sin m ≥ s no widening is enough: the band comes within m of the
// pole, and the zone covers every pan. Then a dot leaning back past
// straight down (tilt −t at pan p points where tilt t at pan p+180° does)
// may be near the zone at any pan too, so the band becomes [−h, h], h the
// band's largest |tilt|: the whole cap of the sphere around straight down
// that the grown zone reaches. That is more than the stated rectangle,
// never less.
func (z Zone) Grow(m float64) Zone {
	if !(m > 0) {
		return z
	}
	lo, hi := z.TiltMin-m, z.TiltMax+m
	sm := math.Sin(m * math.Pi / 180)
	s := minAbsSin(lo, hi)
	if m >= 90 || sm >= s {
		h := max(-lo, hi) // the band's largest |tilt|
		z.PanMin, z.PanMax, z.TiltMin, z.TiltMax = math.Inf(-1), math.Inf(1), -h, h
		return z
	}
	w := math.Asin(sm/s) * 180 / math.Pi
	z.PanMin, z.PanMax, z.TiltMin, z.TiltMax = z.PanMin-w, z.PanMax+w, lo, hi
	return z
}

// minAbsSin is the smallest |sin t| for t in [lo, hi] (degrees): 0 if a
// multiple of 180° lies there, else the smaller of the ends'.
func minAbsSin(lo, hi float64) float64 {
	if math.Floor(hi/180)*180 >= lo {
		return 0
	}
	return min(math.Abs(math.Sin(lo*math.Pi/180)), math.Abs(math.Sin(hi*math.Pi/180)))
}

// Contains reports whether (pan, tilt) lies inside the zone (edges count as
// outside, so a target moved to an edge is allowed).
func (z Zone) Contains(pan, tilt float64) bool {
	return pan > z.PanMin && pan < z.PanMax && tilt > z.TiltMin && tilt < z.TiltMax
}

// Crosses reports whether the straight segment from (p0, t0) to (p1, t1)
// passes through the zone's interior (Liang–Barsky clipping).
func (z Zone) Crosses(p0, t0, p1, t1 float64) bool {
	if z.Contains(p0, t0) || z.Contains(p1, t1) {
		return true
	}
	dp, dt := p1-p0, t1-t0
	lo, hi := 0.0, 1.0
	for _, c := range [4][2]float64{{-dp, p0 - z.PanMin}, {dp, z.PanMax - p0}, {-dt, t0 - z.TiltMin}, {dt, z.TiltMax - t0}} {
		q, r := c[0], c[1]
		if q == 0 {
			if r <= 0 {
				return false
			}
			continue
		}
		u := r / q
		if q < 0 {
			lo = max(lo, u)
		} else {
			hi = min(hi, u)
		}
		if lo >= hi {
			return false
		}
	}
	return hi-lo > 1e-12
}
