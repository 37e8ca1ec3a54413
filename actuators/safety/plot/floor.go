package plot

import (
	"fmt"
	"math"

	"github.com/cattease/cattease/actuators/safety"
)

// floorView is the floor map's data-to-pixel mapping: pan on x (left is
// left), tilt on y (far, towards the horizon, is up).
type floorView struct {
	b    box
	x, y scale
}

func newFloorView(b box, g geometry, d *data) floorView {
	var ps, ts span
	if g.hasPan {
		ps.add(g.pan.Min, g.pan.Max, g.pan.Home)
	}
	if g.hasTi {
		ts.add(g.tilt.Min, g.tilt.Max, g.tilt.Home)
	}
	addValues(&ps, d.pan)
	addValues(&ts, d.tilt)
	if g.ceiling != 0 && nearSpan(ts, g.ceiling) {
		ts.add(g.ceiling)
	}
	plo, phi := ps.padded(0.06)
	tlo, thi := ts.padded(0.08)
	return floorView{b: b, x: scale{plo, phi, b.x, b.right()}, y: scale{tlo, thi, b.bottom(), b.y}}
}

func addValues(sp *span, ss []sample) {
	for _, s := range ss {
		sp.add(s.v)
	}
}

// nearSpan reports whether v lies within the span widened by a quarter of
// its width: a ceiling far above the limits would squash the map.
func nearSpan(sp span, v float64) bool {
	if !sp.ok {
		return true
	}
	m := max(sp.hi-sp.lo, 1) / 4
	return v >= sp.lo-m && v <= sp.hi+m
}

func (v floorView) pt(pan, tilt float64) (float64, float64) {
	return v.x.at(pan), v.y.at(tilt)
}

// drawFloor draws the floor map: grid, ceiling, zones, limits, the dot's
// path, and the home, start and end markers.
func drawFloor(s *svgWriter, b box, g geometry, d *data) {
	v := newFloorView(b, g, d)
	s.raw(`<clipPath id="floorclip"><rect x="`)
	s.f(b.x)
	s.raw(`" y="`)
	s.f(b.y)
	s.raw(`" width="`)
	s.f(b.w)
	s.raw(`" height="`)
	s.f(b.h)
	s.raw("\"/></clipPath>\n")
	s.rect("panel", b.x, b.y, b.w, b.h)
	floorGrid(s, v)
	s.raw(`<g clip-path="url(#floorclip)">`, "\n")
	drawCeiling(s, v, g.ceiling)
	drawZones(s, v, g.zones)
	if g.hasPan && g.hasTi {
		x0, y0 := v.pt(g.pan.Min, g.tilt.Max)
		x1, y1 := v.pt(g.pan.Max, g.tilt.Min)
		s.rect("limits", x0, y0, x1-x0, y1-y0)
	}
	first, last, n := drawPath(s, v, d)
	s.raw("</g>\n")
	drawMarkers(s, v, g, first, last, n)
}

// floorGrid draws grid lines, tick labels and axis titles.
func floorGrid(s *svgWriter, v floorView) {
	b := v.b
	for _, p := range ticks(v.x.d0, v.x.d1, 10) {
		x := v.x.at(p)
		s.line("grid", x, b.y, x, b.bottom())
		s.label("tick", "middle", x, b.bottom()+14, deg(p))
	}
	for _, t := range ticks(v.y.d0, v.y.d1, 8) {
		y := v.y.at(t)
		s.line("grid", b.x, y, b.right(), y)
		s.label("tick", "end", b.x-6, y+4, deg(t))
	}
	s.label("axis", "middle", b.x+b.w/2, b.bottom()+32, "pan: ← left · right →")
	s.label("axis", "start", b.x, b.y-8, "tilt: far ↑ · near ↓ (floor map in pan/tilt degrees)")
}

func deg(v float64) string { return fmt.Sprintf("%g°", round1(v)) }

func drawCeiling(s *svgWriter, v floorView, c float64) {
	if c == 0 {
		return
	}
	b := v.b
	y := v.y.at(c)
	if y < b.y { // above the view: say where it is
		s.label("ceil", "end", b.right()-6, b.y+14, "ceiling "+deg(c)+" ↑ (above the view)")
		return
	}
	y = min(y, b.bottom())
	s.rect("above", b.x, b.y, b.w, y-b.y)
	s.line("ceiling", b.x, y, b.right(), y)
	s.label("ceil", "end", b.right()-6, y-5, "ceiling "+deg(c))
}

// drawZones draws each keep-out zone hatched, with its name.
func drawZones(s *svgWriter, v floorView, zs []safety.Zone) {
	for _, z := range zs {
		if !finite(z.PanMin, z.PanMax, z.TiltMin, z.TiltMax) {
			continue
		}
		x0, y0 := v.pt(min(z.PanMin, z.PanMax), max(z.TiltMin, z.TiltMax))
		x1, y1 := v.pt(max(z.PanMin, z.PanMax), min(z.TiltMin, z.TiltMax))
		x0, x1 = v.x.clampPx(x0), v.x.clampPx(x1)
		y0, y1 = v.y.clampPx(y0), v.y.clampPx(y1)
		if x1-x0 < 0.5 || y1-y0 < 0.5 {
			continue // outside the view
		}
		s.rect("zone", x0, y0, x1-x0, y1-y0)
		if z.Name != "" {
			s.label("zname", "start", x0+3, y0+12, z.Name)
		}
	}
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// drawMarkers draws home, and the start and end of the path.
func drawMarkers(s *svgWriter, v floorView, g geometry, first, last point, n int) {
	if g.hasPan && g.hasTi {
		defer func() { // on top of the start marker, which is often home
			x, y := v.pt(g.pan.Home, g.tilt.Home)
			diamond(s, "home", x, y, 8)
		}()
	}
	if n == 0 {
		b := v.b
		s.label("note", "middle", b.x+b.w/2, b.y+b.h/2, "the dot never moved")
		return
	}
	x, y := v.pt(first.pan, first.tilt)
	circle(s, "start", x, y, 6)
	x, y = v.pt(last.pan, last.tilt)
	s.rect("end", x-5, y-5, 10, 10)
}

// diamond draws a diamond of half-width r centred on (x, y).
func diamond(s *svgWriter, class string, x, y, r float64) {
	s.raw(`<path class="`, class, `" d="M`)
	s.f(x)
	s.raw(" ")
	s.f(y - r)
	s.raw("l")
	s.f(r)
	s.raw(" ")
	s.f(r)
	s.raw("l")
	s.f(-r)
	s.raw(" ")
	s.f(r)
	s.raw("l")
	s.f(-r)
	s.raw(" ")
	s.f(-r)
	s.raw("z\"/>\n")
}
