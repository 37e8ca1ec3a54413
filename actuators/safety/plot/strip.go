package plot

import (
	"math"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// timeScale maps the recording's time range onto the strip's width.
func timeScale(b box, d *data) scale {
	t1 := d.t1
	if t1 <= d.t0 {
		t1 = d.t0 + int64(time.Second)
	}
	return scale{float64(d.t0), float64(t1), b.x, b.right()}
}

// drawStrip draws pan and tilt over time with their limits, the laser's
// on-periods as bars, and the shared time axis.
func drawStrip(s *svgWriter, l layout, g geometry, d *data, loc *time.Location, laserName string) {
	ts := timeScale(l.pan, d)
	drawTimeGrid(s, l, ts, d, loc)
	drawAxisPanel(s, l.pan, ts, g.pan, g.hasPan, 0, d.pan)
	drawAxisPanel(s, l.tilt, ts, g.tilt, g.hasTi, g.ceiling, d.tilt)
	drawLaserLane(s, l.laser, ts, d, laserName)
}

// drawTimeGrid draws vertical grid lines through the three panels and the
// time labels under them.
func drawTimeGrid(s *svgWriter, l layout, ts scale, d *data, loc *time.Location) {
	t0, t1 := time.Unix(0, int64(ts.d0)), time.Unix(0, int64(ts.d1))
	n := max(int(l.pan.w/110), 2)
	tks, layout := timeTicks(t0, t1, n, loc)
	for _, t := range tks {
		x := ts.at(float64(t.UnixNano()))
		s.line("grid", x, l.pan.y, x, l.laser.bottom())
		s.label("tick", "middle", x, l.timeAxis, t.In(loc).Format(layout))
	}
	if d.stats.Outputs == 0 {
		s.label("note", "middle", l.pan.x+l.pan.w/2, l.pan.y+l.pan.h/2, "no outputs recorded")
	}
	s.label("tick", "end", l.laser.x-6, l.timeAxis, loc.String())
}

// drawAxisPanel draws one axis's angle over time: the limits as dashed
// lines, home dotted, the ceiling in red (tilt only) and the angle as a
// step line.
func drawAxisPanel(s *svgWriter, b box, ts scale, a safety.AxisState, has bool, ceiling float64, ss []sample) {
	var sp span
	if has {
		sp.add(a.Min, a.Max, a.Home)
	}
	addValues(&sp, ss)
	if ceiling != 0 && nearSpan(sp, ceiling) {
		sp.add(ceiling)
	}
	lo, hi := sp.padded(0.1)
	ys := scale{lo, hi, b.bottom(), b.y}
	s.rect("panel", b.x, b.y, b.w, b.h)
	for _, v := range ticks(lo, hi, max(int(b.h/28), 2)) {
		y := ys.at(v)
		s.line("grid", b.x, y, b.right(), y)
		s.label("tick", "end", b.x-6, y+4, deg(v))
	}
	s.label("axis", "start", b.x, b.y-4, a.Name+" (°)")
	if has {
		limitLine(s, b, ys, "limit", a.Max, "max "+deg(a.Max))
		limitLine(s, b, ys, "limit", a.Min, "min "+deg(a.Min))
		limitLine(s, b, ys, "homeline", a.Home, "")
	}
	if ceiling != 0 && ceiling >= lo && ceiling <= hi {
		y := ys.at(ceiling)
		s.line("ceiling", b.x, y, b.right(), y)
	}
	drawSeries(s, ts, ys, ss)
}

func limitLine(s *svgWriter, b box, ys scale, class string, v float64, text string) {
	y := ys.at(v)
	s.line(class, b.x, y, b.right(), y)
	if text != "" {
		s.label("tick", "end", b.right()-4, y-3, text)
	}
}

// drawSeries draws samples as a step line, reduced to at most four
// vertices per pixel column (first, lowest, highest, last), which draws
// the same picture as every sample.
func drawSeries(s *svgWriter, ts, ys scale, ss []sample) {
	if len(ss) == 0 {
		return
	}
	s.raw(`<path class="series" d="M`)
	s.f(ts.at(float64(ss[0].t)))
	s.raw(" ")
	s.f(ys.at(ss[0].v))
	for i := 0; i < len(ss); {
		x := ts.at(float64(ss[i].t))
		col := math.Floor(x)
		j, lo, hi := i, i, i
		for j+1 < len(ss) && math.Floor(ts.at(float64(ss[j+1].t))) == col {
			j++
			if ss[j].v < ss[lo].v {
				lo = j
			}
			if ss[j].v > ss[hi].v {
				hi = j
			}
		}
		s.raw("H")
		s.f(x)
		prev := -1
		for _, k := range [4]int{i, min(lo, hi), max(lo, hi), j} {
			if k != prev {
				s.raw("V")
				s.f(ys.at(ss[k].v))
				prev = k
			}
		}
		i = j + 1
	}
	s.raw("H")
	s.f(ts.p1)
	s.raw("\"/>\n")
}

// drawLaserLane draws the laser's on-periods as bars.
func drawLaserLane(s *svgWriter, b box, ts scale, d *data, name string) {
	s.rect("panel", b.x, b.y, b.w, b.h)
	s.label("tick", "end", b.x-6, b.y+b.h-3, name)
	for _, p := range d.lit {
		x0, x1 := ts.at(float64(p.from)), ts.at(float64(p.to))
		s.rect("on", x0, b.y+1, max(x1-x0, 0.5), b.h-2)
	}
}
