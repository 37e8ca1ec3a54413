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

// Grow returns the zone widened by m on every side.
func (z Zone) Grow(m float64) Zone {
	z.PanMin, z.PanMax, z.TiltMin, z.TiltMax = z.PanMin-m, z.PanMax+m, z.TiltMin-m, z.TiltMax+m
	return z
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
