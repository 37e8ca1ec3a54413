package monitor

import (
	"fmt"
	"math"
)

// rect is a keep-out zone as an open rectangle in pan/tilt degrees,
// shrunk by eps so that a dot on the boundary, give or take rounding, is
// outside: what a lit dot never enters nor sweeps across, under any of
// its names (hits, boxHits). The margin is an angle between beams,
// checked on the paths and boxes (region, nearPath, nearBox).
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

// boxHits reports whether the box between the dots p and q (every dot
// whose pan and tilt each lie between theirs) points the beam into the
// zone under one of its names, as hits does for a segment. The servos of
// a lit move go together, each at its own speed and acceleration: the
// dot may bow anywhere in that box, and every path between the two dots
// that moves each axis one way lies in it.
func (r *rect) boxHits(p, q [2]float64) bool {
	lo, hi := boxOf(p, q)
	if _, ok := aliasBox(r.min, r.max, lo, hi, true); ok {
		return true
	}
	if !r.pole {
		return false
	}
	_, ok := poleIn(r.min[1], r.max[1], lo[1], hi[1])
	return ok
}

// boxOf returns the least and greatest corners of the box between the
// dots p and q.
func boxOf(p, q [2]float64) (lo, hi [2]float64) {
	lo[0], hi[0] = order(p[0], q[0])
	lo[1], hi[1] = order(p[1], q[1])
	return lo, hi
}

// aliasBox returns a dot of the box [lo, hi] (pan, tilt) that lies in
// the box [zlo, zhi] under some name, as aliasMeet does for a segment:
// strictly inside if open, else on it counts. A box across more than
// 128 copies (turns no servo makes) is taken to meet it.
func aliasBox(zlo, zhi, lo, hi [2]float64, open bool) ([2]float64, bool) {
	for mirror := range 2 {
		blo, bhi := zlo, zhi
		if mirror == 1 {
			blo, bhi = [2]float64{zlo[0] + 180, -zhi[1]}, [2]float64{zhi[0] + 180, -zlo[1]}
		}
		var n0, n1 [2]float64
		none := false
		for c := range 2 {
			n0[c], n1[c] = math.Ceil((lo[c]-bhi[c])/360), math.Floor((hi[c]-blo[c])/360)
			if !(n1[c]-n0[c] <= 128) { // NaN, or absurd
				return lo, n1[c]-n0[c] > 128
			}
			none = none || n0[c] > n1[c]
		}
		if none {
			continue
		}
		for j := n0[0]; j <= n1[0]; j++ {
			for k := n0[1]; k <= n1[1]; k++ {
				l := [2]float64{blo[0] + 360*j, blo[1] + 360*k}
				h := [2]float64{bhi[0] + 360*j, bhi[1] + 360*k}
				if at, ok := overlap(l, h, lo, hi, open); ok {
					return at, true
				}
			}
		}
	}
	return lo, false
}

// overlap returns a dot of the box [lo, hi] in the box [l, h], strictly
// inside it if open.
func overlap(l, h, lo, hi [2]float64, open bool) ([2]float64, bool) {
	var at [2]float64
	for c := range 2 {
		a, b := math.Max(lo[c], l[c]), math.Min(hi[c], h[c])
		if open && !(lo[c] < h[c] && hi[c] > l[c]) || !open && !(a <= b) {
			return at, false
		}
		at[c] = a + (b-a)/2
	}
	return at, true
}

// poleIn returns a tilt in [tlo, thi] that points straight down or up
// where some tilt in [zlo, zhi] does (a multiple of 180°): every pan
// points there.
func poleIn(zlo, zhi, tlo, thi float64) (float64, bool) {
	k0, k1 := math.Ceil(tlo/180), math.Floor(thi/180)
	if !(k1-k0 <= 128) {
		return tlo, k1-k0 > 128
	}
	for k := k0; k <= k1; k++ {
		if inMod(180*k, zlo, zhi) {
			return 180 * k, true
		}
	}
	return 0, false
}

// firstBoxHit returns the index of the first zone the box between the
// dots p and q meets, or -1. Where one axis did not move, the box is the
// straight segment, which firstHit checks.
func (m *Monitor) firstBoxHit(p, q [2]float64) int {
	if p[0] == q[0] || p[1] == q[1] {
		return -1
	}
	for i := range m.zones {
		if m.zones[i].boxHits(p, q) {
			return i
		}
	}
	return -1
}

// nearBox returns the first zone whose region some dot of the box
// between the dots p and q points the beam strictly closer to than the
// keep-out margin (give or take eps), with that dot and its angle; zone
// -1 if none (as nearPath does for the straight move). Cheap bounds
// tell most boxes far (farPolars, capBelow) before any search.
func (m *Monitor) nearBox(p, q [2]float64) near {
	lim := m.l.KeepOutMargin - eps
	if lim <= 0 || p[0] == q[0] || p[1] == q[1] {
		return near{zone: -1}
	}
	lo, hi := boxOf(p, q)
	pl, ph := polarRange(lo[1], hi[1])
	var mid vec3
	var half float64
	for i := range m.regions {
		r := &m.regions[i]
		if r.farPolars(pl, ph) {
			continue
		}
		if half == 0 { // every dot of the box is within half its size of the middle
			mid, half = beam((lo[0]+hi[0])/2, (lo[1]+hi[1])/2), boxSize(lo, hi)/2
		}
		if c, ok := r.capBelow(half); ok && mid[0]*r.center[0]+mid[1]*r.center[1]+mid[2]*r.center[2] < c {
			continue
		}
		if a, _ := r.boxLeast(lo, hi, lim, segTol); a < lim {
			a, at := r.boxLeast(lo, hi, 0, segTol) // the least, for the report
			return near{zone: i, from: p, to: q, at: at, angle: a, box: true}
		}
	}
	return near{zone: -1}
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
	box          bool // at is in the box between from and to, off the straight move
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

// pathTo checks g's polyline from the dot it was checked up to to p.
func (m *Monitor) pathTo(g *group, p [2]float64) {
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

// flushPath checks g's polyline through the dots left in the dark.
func (m *Monitor) flushPath(g *group) {
	for i := range g.npend {
		m.pathTo(g, g.pend[i])
	}
	g.npend = 0
}

// moved follows an angle output of axis i at t: the dot, the polyline,
// dwell, sessions and quiet hours. A homing (the angle of an axis whose
// position is unknown) and the hold at home after it are no session
// activity: a restart is not play. home: the angle is marked as the park
// on the way out and goes home (quietMove); nor is that session activity
// within a park's time while the exit holds (exitPark: nothing of the
// process goes on after it, or it is counted back), or a stop during a session's rest, which moves the servos from the
// session's park spot home, would count as play.
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
			m.flushPath(g)
			m.pathTo(g, m.dot)
		} else {
			g.pend[g.npend] = m.dot
			g.npend++
		}
		g.moves++
	}
	if !homing && !m.exitPark(t, home) { // the way out is no play either
		m.activity(t, t)
	}
	m.quietMove(t, m.axes[i].Name, home)
}

// endGroup checks the instant just received for keep-out and dwell and
// starts the next one. Dwell follows the dot at the end of each instant:
// the axes of one instant move together. Keep-out, if a laser was lit at
// an angle output or is lit at the end: the straight path from the dot
// before the instant to the dot after it, the polyline through the dots
// between, and the box between the dots before and after it (every path
// between them that moves each axis one way, as the servos moving
// together may bow) must not meet a zone, nor pass within the margin of
// its region (a dot, if the dot did not move). A move is carried out
// during [t, t+τ) after its angle outputs at t: a laser lit at a later
// instant within τ of the latest instant with an angle output, dark
// until then, lights that instant's move, which is checked as if lit.
// One report an instant.
func (m *Monitor) endGroup() {
	g := &m.group
	lit := g.has && (g.litAtMove || m.nLasers > 0)
	if lit {
		f := m.keepOut(g, m.dot)
		if f.zone != "" {
			m.report(m.now, "keep_out", f.zone, f.format, f.args...)
		}
		if pm := &m.lastMove; pm.dark && m.now > pm.at && m.now-pm.at < m.tick {
			pm.dark = false
			if f.zone == "" {
				if f := m.keepOut(&pm.g, pm.to); f.zone != "" {
					m.report(m.now, "keep_out", f.zone, "laser lit %v after the angles of a move the servos were still making: %s",
						fmtNs(m.now-pm.at), fmt.Sprintf(f.format, f.args...))
				}
			}
		}
	}
	if g.moves > 0 {
		m.lastMove = lastMove{g: *g, to: m.dot, at: m.now, dark: !lit}
	}
	if m.nLasers > 0 || m.limp.flagged {
		m.limpEnd()
	}
	g.reset(m.dot)
}

// lastMove is the latest instant with a pan or tilt angle output of the
// process: its group as it ended, the dot it left, its time, and whether
// it was dark, its paths not checked as lit.
type lastMove struct {
	g    group
	to   [2]float64
	at   int64
	dark bool
}

// finding is a lit move of an instant that breaks keep-out: the zone
// ("" if none) and what to report.
type finding struct {
	zone   string
	format string
	args   []any
}

// keepOut checks the paths of g, an instant whose moves end at the dot
// to, as lit: the straight path, the polyline, then the box between its
// dots; first against the zones, then against the margin.
func (m *Monitor) keepOut(g *group, to [2]float64) finding {
	m.flushPath(g)
	const meets = "lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) meets the zone"
	if z := m.firstHit(g.p0, to); z >= 0 {
		return finding{m.zones[z].name, meets, []any{g.p0[0], g.p0[1], to[0], to[1]}}
	}
	if g.hit >= 0 {
		return finding{m.zones[g.hit].name, meets, []any{g.hitFrom[0], g.hitFrom[1], g.hitTo[0], g.hitTo[1]}}
	}
	if z := m.firstBoxHit(g.p0, to); z >= 0 {
		return finding{m.zones[z].name, "lit move (%.4g°, %.4g°)→(%.4g°, %.4g°) may bow into the zone: the servos move together, each at its own speed, anywhere in the box between the two dots",
			[]any{g.p0[0], g.p0[1], to[0], to[1]}}
	}
	if g.near.zone >= 0 {
		return m.nearFinding(g.near)
	}
	if len(m.regions) == 0 {
		return finding{}
	}
	// One move is the straight path itself, checked as it came.
	n := near{zone: -1}
	if g.moves != 1 {
		n = m.nearPath(g.p0, to)
	}
	if n.zone < 0 {
		n = m.nearBox(g.p0, to)
	}
	if n.zone < 0 {
		return finding{}
	}
	return m.nearFinding(n)
}

func (m *Monitor) nearFinding(n near) finding {
	name, lim := m.regions[n.zone].name, m.l.KeepOutMargin
	switch {
	case n.box:
		return finding{name, "lit move (%.4g°, %.4g°)→(%.4g°, %.4g°) may bow %.4g° of beam angle from the zone at (%.4g°, %.4g°), within the margin %.4g°: the servos move together, anywhere in the box between the two dots",
			[]any{n.from[0], n.from[1], n.to[0], n.to[1], n.angle, n.at[0], n.at[1], lim}}
	case n.from == n.to:
		return finding{name, "lit dot (%.4g°, %.4g°) is %.4g° of beam angle from the zone, within the margin %.4g°",
			[]any{n.at[0], n.at[1], n.angle, lim}}
	}
	return finding{name, "lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) passes %.4g° of beam angle from the zone at (%.4g°, %.4g°), within the margin %.4g°",
		[]any{n.from[0], n.from[1], n.to[0], n.to[1], n.angle, n.at[0], n.at[1], lim}}
}
