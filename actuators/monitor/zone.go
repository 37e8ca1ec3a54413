package monitor

import "math"

// rect is a keep-out zone as an open rectangle in pan/tilt degrees,
// shrunk by eps so that a dot on the boundary, give or take rounding, is
// outside: what a lit dot never enters nor sweeps across, under any of
// its names (hits). The margin is an angle between beams, checked on the
// dot (region, nearZone).
type rect struct {
	name     string
	min, max [2]float64 // [pan, tilt]
	pole     bool       // its tilts reach straight down or up
}

func growZones(zs []Zone, margin float64) []rect {
	var out []rect
	for _, z := range zs {
		r := rect{name: z.Name,
			min: [2]float64{math.Min(z.PanMin, z.PanMax) - margin + eps, math.Min(z.TiltMin, z.TiltMax) - margin + eps},
			max: [2]float64{math.Max(z.PanMin, z.PanMax) + margin - eps, math.Max(z.TiltMin, z.TiltMax) + margin - eps}}
		if r.min[0] < r.max[0] && r.min[1] < r.max[1] {
			r.pole = hasMultiple(r.min[1], r.max[1], 180, 0)
			out = append(out, r) // a zone with no interior keeps nothing out
		}
	}
	return out
}

// hits reports whether the segment p→q (a point when p == q) points the
// beam into the zone: a dot of it lies in the open rectangle r under one
// of its names (pan ± 360°, or pan ± 180° with the tilt negated), or
// points straight down or up where r's tilts do (every pan points there).
func (r *rect) hits(p, q [2]float64) bool {
	if _, ok := aliasMeet(r.min, r.max, p, q, true); ok {
		return true
	}
	if !r.pole {
		return false
	}
	_, ok := poleMeet(r.min[1], r.max[1], p, q)
	return ok
}

// firstHit returns the index of the first zone p→q meets, or -1.
func (m *Monitor) firstHit(p, q [2]float64) int {
	for i := range m.zones {
		if m.zones[i].hits(p, q) {
			return i
		}
	}
	return -1
}

// group is the keep-out state of the instant being received: the dot
// before it, whether a laser was lit at any angle output, and the first
// zone met by the path through the intermediate dots.
type group struct {
	has       bool // any output at this instant
	p0        [2]float64
	litAtMove bool
	hit       int // zone met by the polyline, -1 if none
	hitFrom   [2]float64
	hitTo     [2]float64
	dotMoved  bool // a pan or tilt angle was sent at this instant
	near      int  // zone a lit intermediate dot came within the margin of, -1 if none
	nearDot   [2]float64
	nearAngle float64
	checked   bool // the last dot checked for the margin was checkedAt
	checkedAt [2]float64
}

func (g *group) reset(dot [2]float64) {
	*g = group{p0: dot, hit: -1, near: -1}
}

// nearZone returns the first zone whose region the dot's beam is
// strictly closer to than the keep-out margin (give or take eps), and
// that angle; -1 if none.
func (m *Monitor) nearZone() (int, float64) {
	lim := m.l.KeepOutMargin - eps
	for i := range m.regions {
		r := &m.regions[i]
		if r.farTilt(m.dot[1]) {
			continue
		}
		if x := m.dotBeam(); r.farBeam(x) {
			continue
		} else if a := r.angle(x, m.dot[0], m.dot[1]); a < lim {
			return i, a
		}
	}
	return -1, 0
}

// moved follows an angle output of axis i at t: the dot, the polyline,
// dwell, sessions and quiet hours. The first angle of an axis in a
// process (homing) is no session activity: a restart is not play. home:
// the angle is marked as the park on the way out and goes home (quietMove).
func (m *Monitor) moved(t int64, i int, homing, home bool) {
	g := &m.group
	g.has = true
	if m.nLasers > 0 {
		g.litAtMove = true
	}
	if i == m.pan || i == m.tilt {
		from := m.dot
		k := 0
		if i == m.tilt {
			k = 1
		}
		m.dot[k] = m.axes[i].x
		if g.hit < 0 && len(m.zones) > 0 {
			if z := m.firstHit(from, m.dot); z >= 0 {
				g.hit, g.hitFrom, g.hitTo = z, from, m.dot
			}
		}
		if g.near < 0 && m.nLasers > 0 && len(m.regions) > 0 {
			g.near, g.nearAngle = m.nearZone()
			g.nearDot, g.checked, g.checkedAt = m.dot, true, m.dot
		}
		g.dotMoved = true
	}
	if !homing {
		m.activity(t, t)
	}
	m.quietMove(t, m.axes[i].Name, home)
}

// endGroup checks the instant just received for keep-out and dwell and
// starts the next one. Dwell follows the dot at the end of each instant:
// the axes of one instant move together. Keep-out: the paths must not
// meet a zone; the dot lit at the end of the instant, and each dot an
// angle output left while a laser was lit, must be the margin away from
// every zone's region. One report an instant.
func (m *Monitor) endGroup() {
	g := &m.group
	if g.has && (g.litAtMove || m.nLasers > 0) {
		if z := m.firstHit(g.p0, m.dot); z >= 0 {
			m.report(m.now, "keep_out", m.zones[z].name, "lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) meets the zone",
				g.p0[0], g.p0[1], m.dot[0], m.dot[1])
		} else if g.hit >= 0 {
			m.report(m.now, "keep_out", m.zones[g.hit].name, "lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) meets the zone",
				g.hitFrom[0], g.hitFrom[1], g.hitTo[0], g.hitTo[1])
		} else if g.near >= 0 {
			m.reportNear(g.near, g.nearDot, g.nearAngle)
		} else if g.checked && g.checkedAt == m.dot {
			// the dot lit at the end is the last one checked
		} else if z, a := m.nearZone(); z >= 0 {
			m.reportNear(z, m.dot, a)
		}
	}
	g.reset(m.dot)
}

func (m *Monitor) reportNear(z int, dot [2]float64, a float64) {
	m.report(m.now, "keep_out", m.regions[z].name, "lit dot (%.4g°, %.4g°) is %.4g° of beam angle from the zone, within the margin %.4g°",
		dot[0], dot[1], a, m.l.KeepOutMargin)
}
