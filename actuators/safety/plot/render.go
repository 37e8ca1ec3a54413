package plot

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// Options shape the picture. The zero value is a 960×1080 plot titled
// "cattease replay" with times in UTC.
type Options struct {
	Title         string         // escaped; cut to fit the width (at most 120 characters)
	Width, Height int            // pixels; 0 = 960×1080, clamped to 480…8000 × 600…8000
	Laser         string         // the laser switch's name; default "laser"
	Location      *time.Location // for time labels; nil = UTC
}

func (o Options) withDefaults() Options {
	if o.Title == "" {
		o.Title = "cattease replay"
	}
	o.Width = clampInt(o.Width, 960, 480, 8000)
	// About 11 px a character at the title's size; never more than 120.
	if r, n := []rune(o.Title), min(120, (o.Width-88)/11); len(r) > n {
		o.Title = string(r[:n-1]) + "…"
	}
	o.Height = clampInt(o.Height, 1080, 600, 8000)
	if o.Laser == "" {
		o.Laser = "laser"
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	return o
}

func clampInt(v, def, lo, hi int) int {
	if v == 0 {
		return def
	}
	return min(max(v, lo), hi)
}

// box is a rectangle in pixels.
type box struct{ x, y, w, h float64 }

func (b box) right() float64  { return b.x + b.w }
func (b box) bottom() float64 { return b.y + b.h }

// layout places the parts of the picture.
type layout struct {
	w, h              float64
	floor             box
	pan, tilt, laser  box
	legendY, timeAxis float64
	timeBarY          float64
}

func newLayout(o Options) layout {
	w, h := float64(o.Width), float64(o.Height)
	const left, right, top = 64.0, 24.0, 92.0
	lines := float64(legendFlow(left, w-right, nil))
	legendH := 20*lines + 40
	l := layout{w: w, h: h, legendY: h - legendH + 12}
	l.timeBarY = l.legendY + 20*lines
	pw := w - left - right
	floorH := (h-top-legendH)*0.55 - 44
	l.floor = box{left, top, pw, floorH}
	y := top + floorH + 56
	panelH := (h - legendH - 28 - y - 14 - 2*14) / 2
	l.pan = box{left, y, pw, panelH}
	l.tilt = box{left, y + panelH + 14, pw, panelH}
	l.laser = box{left, l.tilt.bottom() + 14, pw, 14}
	l.timeAxis = l.laser.bottom() + 16
	return l
}

// geometry is what WriteSVG needs from safety.State.
type geometry struct {
	pan, tilt     safety.AxisState
	hasPan, hasTi bool
	ceiling       float64 // 0 = none
	zones         []safety.Zone
}

func newGeometry(geo safety.State) geometry {
	panName, tiltName := geo.PanAxis, geo.TiltAxis
	if panName == "" {
		panName = "pan"
	}
	if tiltName == "" {
		tiltName = "tilt"
	}
	g := geometry{ceiling: geo.Ceiling, zones: geo.Zones}
	g.pan, g.hasPan = axisState(geo, panName)
	g.tilt, g.hasTi = axisState(geo, tiltName)
	g.pan.Name, g.tilt.Name = panName, tiltName
	return g
}

// WriteSVG draws what the recorder holds against the geometry in geo (the
// envelope's Snapshot: PanAxis, TiltAxis, Ceiling, Zones and the axes'
// Min, Max and Home; an empty PanAxis or TiltAxis means "pan" or "tilt";
// a zero Ceiling means none), and lists geo.Counts under the title.
// The same recording, geometry and options always give the same bytes.
func (r *Recorder) WriteSVG(w io.Writer, geo safety.State, opt Options) error {
	opt = opt.withDefaults()
	g := newGeometry(geo)
	d := r.snapshot(g.pan.Name, g.tilt.Name, opt.Laser, [2]float64{g.pan.Home, g.tilt.Home})
	l := newLayout(opt)
	s := newSVGWriter(w)
	writeHead(s, l, opt, &d, geo.Counts)
	drawFloor(s, l.floor, g, &d)
	drawStrip(s, l, g, &d, opt.Location, opt.Laser)
	drawLegend(s, l, &d, opt.Location)
	s.raw("</svg>\n")
	if err := s.flush(); err != nil {
		return fmt.Errorf("plot: write svg: %w", err)
	}
	return nil
}

// writeHead writes the SVG header, the shared styles and patterns, and the
// title lines: the title, the summary, and the envelope's counts.
func writeHead(s *svgWriter, l layout, opt Options, d *data, counts map[string]uint64) {
	s.raw(`<?xml version="1.0" encoding="UTF-8"?>`, "\n", `<svg xmlns="http://www.w3.org/2000/svg" width="`)
	s.f(l.w)
	s.raw(`" height="`)
	s.f(l.h)
	s.raw(`" viewBox="0 0 `)
	s.f(l.w)
	s.raw(" ")
	s.f(l.h)
	s.raw(`" font-family="sans-serif">`, "\n", `<title>`)
	s.text(opt.Title)
	s.raw("</title>\n", styles)
	s.rect("bg", 0, 0, l.w, l.h)
	s.label("title", "start", l.floor.x, 28, opt.Title)
	s.label("sub", "start", l.floor.x, 50, summary(d, opt.Location))
	if c := countsLine(counts); c != "" {
		s.label("sub", "start", l.floor.x, 68, c)
	}
}

// countsLine lists the envelope's clamps, refusals and safety actions by
// reason, in name order.
func countsLine(counts map[string]uint64) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		if counts[k] == 0 {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("envelope: ")
		} else {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "%s %d", k, counts[k])
	}
	return b.String()
}

// summary is the line under the title: time range, counts, laser time.
func summary(d *data, loc *time.Location) string {
	if d.stats.Outputs == 0 {
		return "no outputs recorded"
	}
	t0, t1 := time.Unix(0, d.t0).In(loc), time.Unix(0, d.t1).In(loc)
	msg := fmt.Sprintf("%s – %s (%s) · %d outputs · laser on %s in %d period%s",
		t0.Format("2006-01-02 15:04:05"), t1.Format(rangeLayout(t0, t1)), roundDur(t1.Sub(t0)),
		d.stats.Outputs, roundDur(litTotal(d.lit)), len(d.lit), plural(len(d.lit)))
	if d.stats.Errors > 0 {
		msg += fmt.Sprintf(" · %d driver error%s (not drawn)", d.stats.Errors, plural(d.stats.Errors))
	}
	if d.stats.Res > 0 {
		msg += fmt.Sprintf(" · decimated to %s windows", roundDur(d.stats.Res))
	}
	return msg
}

// roundDur rounds to the millisecond, or to the second from a minute up.
func roundDur(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func rangeLayout(t0, t1 time.Time) string {
	if t0.YearDay() == t1.YearDay() && t0.Year() == t1.Year() {
		return "15:04:05 MST"
	}
	return "2006-01-02 15:04:05 MST"
}

func litTotal(ps []period) time.Duration {
	var sum int64
	for _, p := range ps {
		sum += p.to - p.from
	}
	return time.Duration(sum)
}

// styles is the shared style sheet and the keep-out hatch pattern.
const styles = `<defs>
<style>
.bg{fill:#fff}
.panel{fill:#fafafa;stroke:#999;stroke-width:1}
.grid{stroke:#e4e4e4;stroke-width:1}
.tick{font-size:11px;fill:#555}
.axis{font-size:12px;fill:#333;paint-order:stroke;stroke:#fafafa;stroke-width:3px}
.title{font-size:18px;font-weight:bold;fill:#111}
.sub{font-size:12px;fill:#444}
.note{font-size:13px;fill:#888}
.limits{fill:none;stroke:#333;stroke-width:1.5;stroke-dasharray:6 3}
.limit{stroke:#333;stroke-width:1;stroke-dasharray:6 3}
.homeline{stroke:#3b5bdb;stroke-width:1;stroke-dasharray:2 3}
.above{fill:#e03131;fill-opacity:0.08}
.ceiling{stroke:#e03131;stroke-width:2}
.ceil{font-size:11px;fill:#e03131}
.zone{fill:url(#hatch);stroke:#e03131;stroke-width:1.5}
.zname{font-size:11px;fill:#c92a2a}
.lit{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.off{fill:none;stroke-width:1.2;stroke-dasharray:3 3;stroke-opacity:0.6}
.series{fill:none;stroke:#1971c2;stroke-width:1.2}
.on{fill:#f76707}
.home{fill:none;stroke:#3b5bdb;stroke-width:2}
.start{fill:#2f9e44;stroke:#fff;stroke-width:1.5}
.end{fill:#111;stroke:#fff;stroke-width:1.5}
</style>
<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="8" height="8" fill="#e03131" fill-opacity="0.08"/>
<line x1="0" y1="0" x2="0" y2="8" stroke="#e03131" stroke-width="2" stroke-opacity="0.6"/>
</pattern>
</defs>
`
