package plot

import "time"

// drawLegend explains the marks, and shows the time colours with the
// times they stand for.
func drawLegend(s *svgWriter, l layout, d *data, loc *time.Location) {
	x, y := l.floor.x, l.legendY
	// item labels the glyph just drawn at x, and moves x past both; wrap
	// tells whether the next item of width w fits on the line.
	item := func(w float64, text string) {
		s.label("tick", "start", x+w+6, y+4, text)
		x += w + 6 + 6.5*float64(len([]rune(text))) + 16
	}
	wrap := func(w float64) {
		if x+w > l.floor.right() {
			x, y = l.floor.x, y+20
		}
	}
	s.raw(`<path class="lit" stroke="`, bandColors[bands/2], `" d="M`)
	pathCoords(s, x, y, x+24, y)
	item(24, "laser on")
	wrap(110)
	s.raw(`<path class="off" stroke="`, bandColors[bands/2], `" d="M`)
	pathCoords(s, x, y, x+24, y)
	item(24, "laser off")
	wrap(135)
	s.rect("zone", x, y-7, 20, 14)
	item(20, "keep-out zone")
	wrap(90)
	s.line("ceiling", x, y, x+20, y)
	item(20, "ceiling")
	wrap(120)
	s.rect("limits", x, y-7, 20, 14)
	item(20, "axis limits")
	wrap(70)
	diamond(s, "home", x+7, y, 6)
	item(14, "home")
	wrap(70)
	s.raw(`<circle class="start" r="6" cx="`)
	s.f(x + 6)
	s.raw(`" cy="`)
	s.f(y)
	s.raw("\"/>\n")
	item(12, "start")
	wrap(60)
	s.rect("end", x+1, y-5, 10, 10)
	item(12, "end")
	wrap(150)
	s.rect("on", x, y-6, 20, 12)
	item(20, "laser on-period")
	timeBar(s, l, d, loc)
}

func pathCoords(s *svgWriter, x0, y0, x1, y1 float64) {
	s.f(x0)
	s.raw(" ")
	s.f(y0)
	s.raw("L")
	s.f(x1)
	s.raw(" ")
	s.f(y1)
	s.raw("\"/>\n")
}

// timeBar is the colour scale of the path: one swatch per band, labelled
// with the first and last time.
func timeBar(s *svgWriter, l layout, d *data, loc *time.Location) {
	const sw = 22.0
	x, y := l.floor.x, l.legendY+40
	s.label("tick", "start", x, y+11, "path colour by time:")
	x += 120
	for i := range bands {
		s.raw(`<rect x="`)
		s.f(x + float64(i)*sw)
		s.raw(`" y="`)
		s.f(y)
		s.raw(`" width="`)
		s.f(sw)
		s.raw(`" height="12" fill="`, bandColors[i], "\"/>\n")
	}
	if d.stats.Outputs == 0 {
		return
	}
	t0, t1 := time.Unix(0, d.t0).In(loc), time.Unix(0, d.t1).In(loc)
	s.label("tick", "start", x+bands*sw+6, y+11, t0.Format("15:04:05")+" → "+t1.Format("15:04:05"))
}
