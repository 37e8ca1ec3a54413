package monitor

import "math"

// rect is a keep-out zone as an open rectangle in pan/tilt degrees,
// shrunk by eps so that a dot on the boundary, give or take rounding, is
// outside: what a lit dot never enters nor sweeps across, under any of
// its names (hits). The margin is an angle between beams, checked on the
// paths (region, nearPath).
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
// before it, whether a laser was lit at any angle output, the first zone
// met by the path through the intermediate dots (the polyline: one axis
// after the other, as the outputs came) and the first that path passed
// within the margin of.
type group struct {
	has       bool // any output at this instant
	p0        [2]float64
	litAtMove bool
	hit       int // zone met by the polyline, -1 if none
	hitFrom   [2]float64
	hitTo     [2]float64
	moves     int // pan and tilt angles sent at this instant
	near      near
	// The polyline is checked up to last; the dots after it, pend, were
	// left while no laser was lit, and are checked only if one is lit
	// later in the instant: most instants in the dark stay dark.
	last  [2]float64
	pend  [4][2]float64
	npend int
}

func (g *group) reset(dot [2]float64) {
	*g = group{p0: dot, hit: -1, near: near{zone: -1}, last: dot}
}

// near is a lit move that passed within the margin of a zone's region:
// from→to, at the dot at, angle degrees of beam angle from it.
type near struct {
	zone         int // -1: none
	from, to, at [2]float64
	angle        float64
}

// nearPath returns the first zone whose region some dot of the move
// from→to (straight in pan/tilt degrees; a dot when from == to) points
// the beam strictly closer to than the keep-out margin (give or take
// eps), with that dot and its angle; zone -1 if none. The moves of a
// running rig are a tick's: most are far from every zone, which cheap
// bounds tell (farPolar, farCap) before any search along the move (least).
func (m *Monitor) nearPath(from, to [2]float64) near {
	lim := m.l.KeepOutMargin - eps
	if lim <= 0 {
		return near{zone: -1}
	}
	s := newSeg(from, to)
	beams := false
	for i := range m.regions {
		r := &m.regions[i]
		if r.farPolar(&s) {
			continue
		}
		if !beams {
			s.setBeams(m.beamOf(from), m.beamOf(to))
			beams = true
		}
		if r.farCap(&s) {
			continue
		}
		if a, f := r.least(&s, lim, segTol); a < lim {
			return near{zone: i, from: from, to: to, at: s.at(f), angle: a}
		}
	}
	return near{zone: -1}
}

// beamOf returns the beam of the dot p, remembering the dot's and one
// more: a move starts where the one before it ended.
func (m *Monitor) beamOf(p [2]float64) vec3 {
	switch {
	case m.beamOK && m.beamAt == p:
		return m.beamU
	case m.prevOK && m.prevAt == p:
		return m.prevU
	case p == m.dot:
		if m.beamOK {
			m.prevAt, m.prevU, m.prevOK = m.beamAt, m.beamU, true
		}
		return m.dotBeam()
	}
	m.prevAt, m.prevU, m.prevOK = p, beam(p[0], p[1]), true
	return m.prevU
}

// pathTo checks the polyline from the dot it was checked up to to p.
func (m *Monitor) pathTo(p [2]float64) {
	g := &m.group
	from := g.last
	g.last = p
	if g.hit < 0 && len(m.zones) > 0 {
		if z := m.firstHit(from, p); z >= 0 {
			g.hit, g.hitFrom, g.hitTo = z, from, p
		}
	}
	if g.near.zone < 0 && g.hit < 0 && len(m.regions) > 0 {
		g.near = m.nearPath(from, p)
	}
}

// flushPath checks the polyline through the dots left in the dark.
func (m *Monitor) flushPath() {
	g := &m.group
	for i := range g.npend {
		m.pathTo(g.pend[i])
	}
	g.npend = 0
}

// moved follows an angle output of axis i at t: the dot, the polyline,
// dwell, sessions and quiet hours. A homing (the angle of an axis whose
// position is unknown) and the hold at home after it are no session
// activity: a restart is not play. home:
// the angle is marked as the park on the way out and goes home (quietMove).
func (m *Monitor) moved(t int64, i int, homing, home bool) {
	g := &m.group
	g.has = true
	if m.nLasers > 0 {
		g.litAtMove = true
	}
	if i == m.pan || i == m.tilt {
		k := 0
		if i == m.tilt {
			k = 1
		}
		m.dot[k] = m.axes[i].x
		if g.litAtMove || g.npend == len(g.pend) {
			m.flushPath()
			m.pathTo(m.dot)
		} else {
			g.pend[g.npend] = m.dot
			g.npend++
		}
		g.moves++
	}
	if !homing {
		m.activity(t, t)
	}
	m.quietMove(t, m.axes[i].Name, home)
}

// endGroup checks the instant just received for keep-out and dwell and
// starts the next one. Dwell follows the dot at the end of each instant:
// the axes of one instant move together. Keep-out, if a laser was lit at
// an angle output or is lit at the end: the straight path from the dot
// before the instant to the dot after it, and the polyline through the
// dots between, must not meet a zone, nor pass within the margin of its
// region (a dot, if the dot did not move). One report an instant.
func (m *Monitor) endGroup() {
	g := &m.group
	if g.has && (g.litAtMove || m.nLasers > 0) {
		m.flushPath()
		if z := m.firstHit(g.p0, m.dot); z >= 0 {
			m.report(m.now, "keep_out", m.zones[z].name, "lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) meets the zone",
				g.p0[0], g.p0[1], m.dot[0], m.dot[1])
		} else if g.hit >= 0 {
			m.report(m.now, "keep_out", m.zones[g.hit].name, "lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) meets the zone",
				g.hitFrom[0], g.hitFrom[1], g.hitTo[0], g.hitTo[1])
		} else if g.near.zone >= 0 {
			m.reportNear(g.near)
		} else if g.moves != 1 && len(m.regions) > 0 {
			// One move is the straight path itself, checked as it came.
			if n := m.nearPath(g.p0, m.dot); n.zone >= 0 {
				m.reportNear(n)
			}
		}
	}
	g.reset(m.dot)
}

func (m *Monitor) reportNear(n near) {
	if n.from == n.to {
		m.report(m.now, "keep_out", m.regions[n.zone].name, "lit dot (%.4g°, %.4g°) is %.4g° of beam angle from the zone, within the margin %.4g°",
			n.at[0], n.at[1], n.angle, m.l.KeepOutMargin)
		return
	}
	m.report(m.now, "keep_out", m.regions[n.zone].name, "lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) passes %.4g° of beam angle from the zone at (%.4g°, %.4g°), within the margin %.4g°",
		n.from[0], n.from[1], n.to[0], n.to[1], n.angle, n.at[0], n.at[1], m.l.KeepOutMargin)
}
