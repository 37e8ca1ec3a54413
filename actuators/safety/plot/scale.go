package plot

import (
	"math"
	"time"
)

// scale maps a data range [d0, d1] onto a pixel range [p0, p1] (p1 < p0
// flips it, as for a y axis pointing up).
type scale struct{ d0, d1, p0, p1 float64 }

func (s scale) at(v float64) float64 {
	return s.p0 + (v-s.d0)/(s.d1-s.d0)*(s.p1-s.p0)
}

// clampPx keeps a pixel coordinate within the scale's pixel range.
func (s scale) clampPx(p float64) float64 {
	lo, hi := min(s.p0, s.p1), max(s.p0, s.p1)
	return min(max(p, lo), hi)
}

// span is a closed range of data values that grows to hold what is added.
type span struct {
	lo, hi float64
	ok     bool
}

func (s *span) add(vs ...float64) {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if !s.ok {
			s.lo, s.hi, s.ok = v, v, true
			continue
		}
		s.lo, s.hi = min(s.lo, v), max(s.hi, v)
	}
}

// padded returns the range widened by frac of its width on each side (at
// least 1 unit wide), or [-1, 1] when empty.
func (s span) padded(frac float64) (lo, hi float64) {
	if !s.ok {
		return -1, 1
	}
	w := max(s.hi-s.lo, 1)
	mid := (s.lo + s.hi) / 2
	lo, hi = min(s.lo, mid-w/2), max(s.hi, mid+w/2)
	return lo - w*frac, hi + w*frac
}

// niceStep returns a step of 1, 2 or 5 × 10^k giving at most n steps over w.
func niceStep(w float64, n int) float64 {
	if !(w > 0) || n < 1 {
		return 1
	}
	raw := w / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// ticks returns the multiples of niceStep within [lo, hi].
func ticks(lo, hi float64, n int) []float64 {
	step := niceStep(hi-lo, n)
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9 && len(out) <= 2*n; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// timeSteps are the tick spacings of the time axis, finest first.
var timeSteps = []time.Duration{
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// timeTicks returns tick times within [t0, t1] at most n apart, aligned
// to round wall-clock times in loc, and the layout to label them with.
func timeTicks(t0, t1 time.Time, n int, loc *time.Location) ([]time.Time, string) {
	w := t1.Sub(t0)
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if w/s <= time.Duration(n) {
			step = s
			break
		}
	}
	for w/step > time.Duration(n) {
		step *= 2
	}
	_, off := t0.In(loc).Zone()
	shift := time.Duration(off) * time.Second
	first := t0.Add(shift).Truncate(step).Add(-shift)
	var out []time.Time
	for t := first; !t.After(t1); t = t.Add(step) {
		if !t.Before(t0) {
			out = append(out, t)
		}
	}
	return out, timeLayout(step, w)
}

func timeLayout(step, w time.Duration) string {
	switch {
	case w > 24*time.Hour:
		return "01-02 15:04"
	case step < time.Second:
		return "15:04:05.00"
	case step < time.Minute:
		return "15:04:05"
	}
	return "15:04"
}
