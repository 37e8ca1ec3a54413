package plot

import "github.com/cattease/cattease/actuators/safety"

// point is where the dot was sent at one instant, and whether the laser
// was on as it was sent there (switches are stepped before axes, so a
// switch change at the same instant applies to the move).
type point struct {
	t         int64
	pan, tilt float64
	lit       bool
}

// period is a half-open time range [from, to) in Unix nanoseconds.
type period struct{ from, to int64 }

// data is what WriteSVG draws, taken from a Recorder under its lock.
type data struct {
	pan, tilt, laser []sample // copies: the recorder may go on recording
	home             [2]float64
	lit              []period
	t0, t1           int64 // time range of every sample; t0 == t1 when empty
	stats            Stats
}

// snapshot copies the series WriteSVG needs and merges them into the dot's
// path. Before an axis's first sample the dot is at the axis's home.
func (r *Recorder) snapshot(panName, tiltName, laserName string, home [2]float64) data {
	r.mu.Lock()
	d := data{
		home:  home,
		pan:   append([]sample(nil), r.find(panName)...),
		tilt:  append([]sample(nil), r.find(tiltName)...),
		laser: append([]sample(nil), r.find(laserName)...),
		stats: r.stats,
	}
	first := true
	for _, s := range r.series {
		if len(s.samples) == 0 {
			continue
		}
		a, b := s.samples[0].t, s.samples[len(s.samples)-1].t
		if first {
			d.t0, d.t1, first = a, b, false
		}
		d.t0, d.t1 = min(d.t0, a), max(d.t1, b)
	}
	r.mu.Unlock()
	d.lit = onPeriods(d.laser, d.t1)
	return d
}

// points walks the three series in time order and yields one point per
// instant at which an axis moved. It allocates nothing.
func (d *data) points(yield func(point) bool) {
	pan, tilt, laser := d.pan, d.tilt, d.laser
	cur := point{pan: d.home[0], tilt: d.home[1]}
	i, j, k := 0, 0, 0
	for i < len(pan) || j < len(tilt) {
		t := nextTime(pan, i, tilt, j)
		for ; k < len(laser) && laser[k].t <= t; k++ {
			cur.lit = laser[k].v != 0
		}
		for ; i < len(pan) && pan[i].t == t; i++ {
			cur.pan = pan[i].v
		}
		for ; j < len(tilt) && tilt[j].t == t; j++ {
			cur.tilt = tilt[j].v
		}
		cur.t = t
		if !yield(cur) {
			return
		}
	}
}

// nextTime is the earlier of the next pan and tilt sample times.
func nextTime(pan []sample, i int, tilt []sample, j int) int64 {
	switch {
	case i >= len(pan):
		return tilt[j].t
	case j >= len(tilt):
		return pan[i].t
	}
	return min(pan[i].t, tilt[j].t)
}

// onPeriods turns switch samples into the periods it was on; one still on
// at the end runs to end.
func onPeriods(sw []sample, end int64) []period {
	var out []period
	on, from := false, int64(0)
	for _, s := range sw {
		switch {
		case s.v != 0 && !on:
			on, from = true, s.t
		case s.v == 0 && on:
			on = false
			out = append(out, period{from, s.t})
		}
	}
	if on {
		out = append(out, period{from, max(end, from)})
	}
	return out
}

// axisState finds the named axis in the geometry.
func axisState(geo safety.State, name string) (safety.AxisState, bool) {
	for _, a := range geo.Axes {
		if a.Name == name {
			return a, true
		}
	}
	return safety.AxisState{}, false
}
