package plot

import (
	"fmt"
	"math"
)

// bands is how many time colours the path is drawn in.
const bands = 12

// bandColors run from dark blue (start) through teal to green (end): the
// first 85% of matplotlib's viridis, which stays visible on white and
// never looks like the red of the limits.
var bandColors = func() [bands]string {
	ramp := [...][3]float64{{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142},
		{33, 144, 141}, {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}}
	var out [bands]string
	for i := range out {
		pos := float64(i) / (bands - 1) * 0.85 * float64(len(ramp)-1)
		k := min(int(pos), len(ramp)-2)
		f := pos - float64(k)
		var c [3]int
		for j := range c {
			c[j] = int(math.Round(ramp[k][j] + f*(ramp[k+1][j]-ramp[k][j])))
		}
		out[i] = fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
	}
	return out
}()

// band is the colour band of time t.
func (d *data) band(t int64) int {
	if d.t1 <= d.t0 {
		return 0
	}
	return min(int(float64(t-d.t0)/float64(d.t1-d.t0+1)*bands), bands-1)
}

// drawPath draws the dot's path, one <path> per run of moves that share a
// colour band and laser state, and returns its first and last points and
// how many there were.
func drawPath(s *svgWriter, v floorView, d *data) (first, last point, n int) {
	pb := pathBuilder{s: s}
	for p := range d.points {
		if n > 0 {
			x0, y0 := v.pt(last.pan, last.tilt)
			x, y := v.pt(p.pan, p.tilt)
			pb.move(d.band(p.t), p.lit, x0, y0, x, y)
		} else {
			first = p
		}
		last = p
		n++
	}
	pb.close()
	return first, last, n
}

// pathBuilder writes runs of segments as SVG paths, dropping points that
// would not show: closer than half a pixel to the last one, or within a
// quarter pixel of a straight run.
type pathBuilder struct {
	s       *svgWriter
	open    bool
	band    int
	lit     bool
	ax, ay  float64 // last point written
	dx, dy  float64 // unit direction of the straight run from (ax, ay)
	px, py  float64 // pending point, not yet written
	pending bool
}

// move adds the segment (x0, y0) → (x, y) in the given band and state.
func (pb *pathBuilder) move(band int, lit bool, x0, y0, x, y float64) {
	if !pb.open || band != pb.band || lit != pb.lit {
		pb.close()
		pb.start(band, lit, x0, y0)
	}
	pb.add(x, y)
}

func (pb *pathBuilder) start(band int, lit bool, x, y float64) {
	class := "off"
	if lit {
		class = "lit"
	}
	pb.s.raw(`<path class="`, class, `" stroke="`, bandColors[band], `" d="M`)
	pb.s.f(x)
	pb.s.raw(" ")
	pb.s.f(y)
	pb.open, pb.band, pb.lit = true, band, lit
	pb.ax, pb.ay, pb.pending = x, y, false
}

func (pb *pathBuilder) add(x, y float64) {
	if !pb.pending {
		ux, uy := x-pb.ax, y-pb.ay
		l := math.Hypot(ux, uy)
		if l < 0.5 {
			return
		}
		pb.dx, pb.dy, pb.px, pb.py, pb.pending = ux/l, uy/l, x, y, true
		return
	}
	ux, uy := x-pb.ax, y-pb.ay
	along := ux*pb.dx + uy*pb.dy
	off := math.Abs(ux*pb.dy - uy*pb.dx)
	if off < 0.25 && along >= (pb.px-pb.ax)*pb.dx+(pb.py-pb.ay)*pb.dy {
		pb.px, pb.py = x, y // still on the straight run, further along
		return
	}
	pb.flush()
	pb.add(x, y)
}

// flush writes the pending point and makes it the new anchor.
func (pb *pathBuilder) flush() {
	if !pb.pending {
		return
	}
	pb.s.raw("L")
	pb.s.f(pb.px)
	pb.s.raw(" ")
	pb.s.f(pb.py)
	pb.ax, pb.ay, pb.pending = pb.px, pb.py, false
}

func (pb *pathBuilder) close() {
	if !pb.open {
		return
	}
	pb.flush()
	pb.s.raw("\"/>\n")
	pb.open = false
}
