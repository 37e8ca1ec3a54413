package safety

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestDwellSpotCountsAllTheLightInTheWindow: whatever the spans and
// wherever the window starts, a spot's count of the light in the window
// is at least the light there (never less: that would let a dot dwell)
// and at most one part of the window more.
func TestDwellSpotCountsAllTheLightInTheWindow(t *testing.T) {
	const tick = int64(20 * time.Millisecond)
	r := rand.New(rand.NewPCG(1, 2))
	for _, dwellCap := range []time.Duration{time.Second, 4 * time.Second, 7 * time.Second} {
		w := 2 * int64(dwellCap)
		part := w / dwellBuckets
		var s dwellSpot
		var spans [][2]int64
		now := int64(0)
		for range 20000 {
			if r.IntN(3) > 0 { // lit this tick
				s.add(now, now+tick, part)
				spans = append(spans, [2]int64{now, now + tick})
			}
			now += tick
			from := now + tick - w - r.Int64N(tick) // as mayLight asks, give or take
			var exact int64
			for _, sp := range spans {
				exact += max(0, sp[1]-max(sp[0], from))
			}
			got := int64(s.litSince(from, part))
			if got < exact || got > exact+part {
				t.Fatalf("cap %v, at %v: counted %v of light %v since %v", dwellCap, time.Duration(now), time.Duration(got), time.Duration(exact), time.Duration(from))
			}
		}
	}
}

// TestDwellNearIsWiderThanTheMonitors: the monitor counts a dot near a
// spot within radius + 1e-9°, with its own rounding of the beam; the
// envelope counts in more than that, so a dot 1.5e-9° beyond the radius
// is near in the envelope, at any radius the config allows, any tilt and
// either way the beam turned. 2.5e-9° beyond it is not.
func TestDwellNearIsWiderThanTheMonitors(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 15))
	checked := 0
	for range 5000 {
		radius := 0.01 + r.Float64()*(10-0.01)
		env := aimRig(t, func(c *Config) { c.DwellRadius = radius }).env
		d := &env.dwell
		p, tl := r.Float64()*360-180, 10+r.Float64()*70
		d.moved(p, tl)
		s := dwellSpot{u: d.u}
		for _, c := range []struct {
			beyond float64
			near   bool
		}{{1.5e-9, true}, {2.5e-9, false}} {
			var q, u float64
			if r.IntN(2) == 0 { // along the meridian: the tilt alone turns the beam
				q, u = p, tl+radius+c.beyond
				if u > 89 {
					u = tl - radius - c.beyond
				}
			} else {
				q, u = turnBy(p, tl, radius+c.beyond, r.Float64()*360)
			}
			if got := beamAngle(p, tl, q, u); math.Abs(got-radius-c.beyond) > 2e-10 {
				continue // the turn came out less exact than the test needs
			}
			checked++
			d.moved(q, u)
			if d.near(&s) != c.near {
				t.Fatalf("radius %g°: a dot %g° beyond it at (%g°, %g°) from (%g°, %g°): near %v, want %v",
					radius, c.beyond, q, u, p, tl, !c.near, c.near)
			}
		}
	}
	if checked < 8000 {
		t.Fatalf("%d dots checked of 10000: the turns came out too inexact", checked)
	}
}
