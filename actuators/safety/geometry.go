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

// Grow returns a pan/tilt rectangle that holds every dot on the zone's
// own side whose beam comes within m of the zone (m in degrees of the
// angle the beam turns, the keep-out margin; the shipped rules have 0°).
// m = 0 returns the zone as it is. It is not every such dot: a beam has
// other names, and a dot leaning back past straight down, or a full turn
// of pan away, may aim into the zone from outside this rectangle. Those
// lie in the rectangle's aliases (Aliases), which the envelope keeps the
// lit dot out of as well.
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
// never less, and it is its own mirror.
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

// Aliases are the other names of the grown zone g: the pan/tilt
// rectangles whose dots aim the beam where g's dots do, those that reach
// into box, the closed rectangle of the dots the axes can reach. A beam
// has many names: u(p, t) = u(p ± 360°, t) = u(p, t ± 360°), and u(p, t) =
// u(p ± 180°, −t): a dot leaning back past straight down points where one
// half a turn of pan away does, on the other side. Grow's rectangle is on
// the zone's own side; a rig that reaches negative tilts, or pans more
// than half a turn from a zone, reaches the same beams under another name,
// and must keep the lit dot out of that rectangle too. So the aliases are
// g with pan shifted by whole turns (tilt too, for zones written past a
// half turn of tilt), and g's mirror, pan [min + 180°, max + 180°] and
// tilt [−max, −min], shifted likewise: the same beams as g, and the same
// margin. Straight down is the beam of every pan: a zone that holds it
// inside its tilt range has a thin band around tilt 0° over every pan
// too (poles). Each keeps g's name. A rig whose box meets none (tilt ≥ 0 with
// the zones on the floor side, pan within half a turn of them) has none:
// it pays nothing. An alias that only touches the box's edge is left out,
// as a rectangle's edges are outside it, and so is one within g (the
// mirror of a zone that covers every pan around straight down).
func (g Zone) Aliases(box Zone) []Zone {
	var out []Zone
	for _, a := range g.aliases(box) {
		out = append(out, a.Zone)
	}
	return out
}

// How an alias names the beams of its zone (AliasHolding).
const (
	AliasTurn   = "a full turn away"
	AliasMirror = "leaning back past straight down"
	AliasPole   = "straight down (or up), the beam of every pan"
)

// AliasHolding finds the first of the grown zone g's aliases in box
// (Aliases) that holds the dot (pan, tilt): how it names g's beams (one
// of AliasTurn, AliasMirror, AliasPole) and the dot of g that aims where
// (pan, tilt) does. ok is false if none does. The envelope refuses to
// start with home in one, and config's check says so first.
func (g Zone) AliasHolding(box Zone, pan, tilt float64) (how string, zp, zt float64, ok bool) {
	for _, a := range g.aliases(box) {
		if !a.Contains(pan, tilt) {
			continue
		}
		zp, zt = a.inZone(pan, tilt)
		switch {
		case !math.IsNaN(a.pole):
			return AliasPole, zp, zt, true
		case a.mirror:
			return AliasMirror, zp, zt, true
		}
		return AliasTurn, zp, zt, true
	}
	return "", 0, 0, false
}

// alias is one other name of a grown zone: the dot (p, t) of the grown
// zone is the dot (p + dPan, t + dTilt) of the alias, or (p + dPan,
// −t + dTilt) if mirror. A pole alias is a thin band around a tilt that
// points straight down (or up), the beam of every pan there: the zone
// holds that beam at its own pans, at tilt pole.
type alias struct {
	Zone
	mirror      bool
	dPan, dTilt float64
	pole        float64 // the zone's tilt that points where the band does; a pole alias if not NaN
}

// inZone is the dot of the grown zone whose beam is that of (pan, tilt),
// a dot of the alias (for a pole alias, a dot at the pole itself).
func (a alias) inZone(pan, tilt float64) (float64, float64) {
	switch {
	case !math.IsNaN(a.pole):
		return a.dPan, a.pole
	case a.mirror:
		return pan - a.dPan, a.dTilt - tilt
	}
	return pan - a.dPan, tilt - a.dTilt
}

// poleBand is the half-width (degrees of tilt) of the band a pole alias
// keeps out: the pole's one tilt, widened so that the band has an inside
// and a lit move across it is seen.
const poleBand = 1e-9

// aliases lists g's other names that meet box, in a fixed order.
func (g Zone) aliases(box Zone) []alias {
	var out []alias
	for _, mirror := range [2]bool{false, true} {
		c, half := g, 0.0
		if mirror {
			c.PanMin, c.PanMax, c.TiltMin, c.TiltMax, half = g.PanMin+180, g.PanMax+180, -g.TiltMax, -g.TiltMin, 180
		}
		p0, p1 := turns(c.PanMin, c.PanMax, box.PanMin, box.PanMax)
		t0, t1 := turns(c.TiltMin, c.TiltMax, box.TiltMin, box.TiltMax)
		for kp := p0; kp <= p1; kp++ {
			for kt := t0; kt <= t1; kt++ {
				if !mirror && kp == 0 && kt == 0 {
					continue // g itself
				}
				a := alias{Zone: c, mirror: mirror, dPan: half + 360*kp, dTilt: 360 * kt, pole: math.NaN()}
				a.PanMin, a.PanMax = c.PanMin+360*kp, c.PanMax+360*kp
				a.TiltMin, a.TiltMax = c.TiltMin+360*kt, c.TiltMax+360*kt
				if a.PanMin < box.PanMax && a.PanMax > box.PanMin && a.TiltMin < box.TiltMax && a.TiltMax > box.TiltMin &&
					!g.holds(a.Zone) {
					out = append(out, a)
				}
			}
		}
	}
	return append(out, g.poles(box)...)
}

// poles are the bands of g's pole aliases that meet box. Straight down,
// tilt 0°, is the beam of every pan (and straight up, 180°, too): a zone
// whose tilt range holds one strictly inside has it among its beams, so a
// dot at that tilt at any pan, or any tilt that points the same way (a
// whole turn of tilt away), aims into the zone. Its rectangle, and its
// mirror, hold the pole only at their own pans. A zone that covers every
// pan already holds it (Grow's cap around straight down); one whose tilt
// range ends at a pole has it on its edge, which is outside.
func (g Zone) poles(box Zone) []alias {
	if math.IsInf(g.PanMin, -1) && math.IsInf(g.PanMax, 1) {
		return nil
	}
	var out []alias
	for _, base := range [2]float64{0, 180} { // straight down, straight up
		c := base + (math.Floor((g.TiltMin-base)/360)+1)*360 // the first such tilt above TiltMin
		if !(c > g.TiltMin && c < g.TiltMax) {
			continue
		}
		k0, k1 := math.Ceil((box.TiltMin-poleBand-base)/360)-1, math.Floor((box.TiltMax+poleBand-base)/360)+1
		for k := k0; k <= k1; k++ {
			t := base + 360*k
			if t-poleBand < box.TiltMax && t+poleBand > box.TiltMin {
				out = append(out, alias{Zone: Zone{Name: g.Name, PanMin: math.Inf(-1), PanMax: math.Inf(1), TiltMin: t - poleBand, TiltMax: t + poleBand},
					dPan: (g.PanMin + g.PanMax) / 2, pole: c})
			}
		}
	}
	return out
}

// holds reports whether a lies within z: an alias that adds nothing, as
// the mirror of a zone that covers every pan around straight down.
func (z Zone) holds(a Zone) bool {
	return a.PanMin >= z.PanMin && a.PanMax <= z.PanMax && a.TiltMin >= z.TiltMin && a.TiltMax <= z.TiltMax
}

// turns is the range of whole turns k for which (lo + 360k, hi + 360k)
// may meet the box [blo, bhi]: a turn more on each side than the bounds
// say, for rounding (the caller tests each). An interval over every angle
// is the same at every turn: k = 0 alone. An interval that reaches past
// an end of the box holds, inside the box, what every turn further out
// does: those are left out, so that a zone written over many turns gives
// few aliases (and one that covers the box, one turn that does, 0 if it
// may). The box must be finite and a few turns wide at most (the
// envelope refuses others), the interval finite or everything.
func turns(lo, hi, blo, bhi float64) (k0, k1 float64) {
	if math.IsInf(lo, -1) && math.IsInf(hi, 1) {
		return 0, 0
	}
	k0, k1 = math.Floor((blo-hi)/360), math.Ceil((bhi-lo)/360)
	kl := math.Floor((blo - lo) / 360) // the last turn that reaches past the box's low end
	kr := math.Ceil((bhi - hi) / 360)  // the first that reaches past its high end
	if kr < kl-2 {
		// The turns well inside [kr, kl] cover the whole box, whatever the rounding.
		if kr < 0 && 0 < kl {
			return 0, 0
		}
		return kr + 1, kr + 1
	}
	return max(k0, kl-1), min(k1, kr+1)
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

// Sweeps reports whether a dot moving from (p0, t0) to (p1, t1) may pass
// through the zone's interior on its way: whether the axis-aligned box
// between the two dots meets the interior. The servos move together, each
// at its own speed and acceleration, so the dot may trace any path that
// moves each axis one way, bowed anywhere in that box; the straight
// segment and the two L-shaped paths are only three of them. A box that
// only touches the zone's edge does not meet it (edges count as outside,
// as in Contains and Crosses), and a dot that stays put sweeps the zone
// just when the zone contains it.
func (z Zone) Sweeps(p0, t0, p1, t1 float64) bool {
	return max(p0, p1) > z.PanMin && min(p0, p1) < z.PanMax && max(t0, t1) > z.TiltMin && min(t0, t1) < z.TiltMax
}

// Crosses reports whether the straight segment from (p0, t0) to (p1, t1)
// passes through the zone's interior (Liang–Barsky clipping). A servo's
// path may bow off the segment: the envelope asks Sweeps.
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
