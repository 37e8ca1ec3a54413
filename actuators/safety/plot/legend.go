package plot

import "time"

// legendItem is one entry of the legend: a glyph w pixels wide, drawn
// with its left end at x and centred on y, and its label.
type legendItem struct {
	w     float64
	text  string
	glyph func(s *svgWriter, x, y float64)
}

var legendItems = []legendItem{
	{24, "laser on", func(s *svgWriter, x, y float64) { stroke(s, "lit", x, y) }},
	{24, "laser off", func(s *svgWriter, x, y float64) { stroke(s, "off", x, y) }},
	{20, "keep-out zone", func(s *svgWriter, x, y float64) { s.rect("zone", x, y-7, 20, 14) }},
	{20, "ceiling", func(s *svgWriter, x, y float64) { s.line("ceiling", x, y, x+20, y) }},
	{20, "axis limits", func(s *svgWriter, x, y float64) { s.rect("limits", x, y-7, 20, 14) }},
	{14, "home", func(s *svgWriter, x, y float64) { diamond(s, "home", x+7, y, 6) }},
	{12, "start", func(s *svgWriter, x, y float64) { circle(s, "start", x+6, y, 6) }},
	{12, "end", func(s *svgWriter, x, y float64) { s.rect("end", x+1, y-5, 10, 10) }},
	{20, "laser on-period", func(s *svgWriter, x, y float64) { s.rect("on", x, y-6, 20, 12) }},
}

// drawLegend explains the marks, wrapping to a second line on narrow
// pictures, and shows the time colours with the times they stand for.
func drawLegend(s *svgWriter, l layout, d *data, loc *time.Location) {
	legendFlow(l.floor.x, l.floor.right(), func(it legendItem, x, line float64) {
		y := l.legendY + 20*line
		it.glyph(s, x, y)
		s.label("tick", "start", x+it.w+6, y+4, it.text)
	})
	timeBar(s, l, d, loc)
}

// legendFlow places the legend items left to right from x0, wrapping
// before right, calls place for each, and returns the number of lines.
func legendFlow(x0, right float64, place func(it legendItem, x, line float64)) int {
	x, line := x0, 0
	for _, it := range legendItems {
		need := it.w + 6 + 6.5*float64(len([]rune(it.text))) + 16
		if x+need > right && x > x0 {
			x, line = x0, line+1
		}
		if place != nil {
			place(it, x, float64(line))
		}
		x += need
	}
	return line + 1
}

// stroke draws a short horizontal path of the given class, in the middle
// time colour.
func stroke(s *svgWriter, class string, x, y float64) {
	s.raw(`<path class="`, class, `" stroke="`, bandColors[bands/2], `" d="M`)
	pathCoords(s, x, y, x+24, y)
}

func circle(s *svgWriter, class string, x, y, r float64) {
	s.raw(`<circle class="`, class, `" r="`)
	s.f(r)
	s.raw(`" cx="`)
	s.f(x)
	s.raw(`" cy="`)
	s.f(y)
	s.raw("\"/>\n")
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
	x, y := l.floor.x, l.timeBarY
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
