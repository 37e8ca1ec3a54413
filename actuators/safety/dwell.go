package safety

import (
	"math"
	"slices"
	"time"
)

// dwell keeps the light on each spot the dot has lit lately within the
// dwell cap: on one spot, in any window of twice the cap, a laser is lit
// at most the cap. A still dot is lit for the cap, then dark as long; a
// dot toggled, or sent away and back (左 then 右), gets no more; a dot
// that only sweeps across a spot now and then is never stopped by it.
//
// A spot is where the dot was when it lit while further than the radius
// from every spot remembered; lit time counts towards every spot within
// the radius of the dot. At most one spot is made per Step, and each is
// forgotten once its light has left the window, so the list stays short
// (twice the cap over the tick at most) without a bound of its own that
// could forget a spot early.
//
// The radius is the angle the beam turns, not a distance in pan/tilt
// degrees: tilt 0° points straight down, so near it a large pan turn
// barely moves the dot (by about Δpan·sin(tilt)). Each spot keeps the
// beam's direction as a unit vector (beam), the dot's is worked out once
// per tick, and near compares the squared chord between them with the
// radius's: no trigonometry per spot.
type dwell struct {
	spots []dwellSpot
	dot   [2]float64 // pan, tilt of the dot since the last move
	u     [3]float64 // the beam's direction there; valid once moved was called
	known bool       // u has been set
	part  int64      // ns: the window (twice the cap) over dwellBuckets; 0 = no cap
	reach float64    // the radius as a squared chord (nearChord2)
}

// dwellBuckets is how many parts the window is cut into for counting a
// spot's light. A part still partly in the window counts whole: the count
// is more than the light, never less, by at most the window over
// dwellBuckets. A window that does not start at a part's start touches one
// part more, and a spot keeps one to spare: dwellSlots.
const (
	dwellBuckets = 16
	dwellSlots   = dwellBuckets + 2
)

type dwellSpot struct {
	u    [3]float64                        // the beam's direction where it was made
	lit  [dwellSlots]struct{ k, ns int64 } // light in part k, by k mod dwellSlots
	last int64                             // Unix ns: when its light last ended
}

// add records light on s during [from, to), parts of width w.
func (s *dwellSpot) add(from, to, w int64) {
	for from < to {
		k := from / w
		b := &s.lit[k%dwellSlots]
		if b.k != k {
			b.k, b.ns = k, 0
		}
		step := min(to, (k+1)*w) - from
		b.ns += step
		from += step
	}
	s.last = max(s.last, to)
}

// litSince is the light on s counted from t on: every part ending after t.
func (s *dwellSpot) litSince(t, w int64) time.Duration {
	var sum int64
	for _, b := range s.lit {
		if b.ns > 0 && (b.k+1)*w > t {
			sum += b.ns
		}
	}
	return time.Duration(sum)
}

// accrue adds the lit time of [from, to), if a laser was lit then, to the
// spots near the dot, or to a new spot at the dot if none is.
func (d *dwell) accrue(lit bool, from, to time.Time) {
	if !lit || !to.After(from) || d.part <= 0 {
		return
	}
	f, t := from.UnixNano(), to.UnixNano()
	found := false
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s) {
			s.add(f, t, d.part)
			found = true
		}
	}
	if !found {
		d.spots = append(d.spots, dwellSpot{u: d.u})
		d.spots[len(d.spots)-1].add(f, t, d.part)
	}
}

// moved notes the dot's position after this tick's move, and the beam's
// direction there (worked out again only when the dot moved).
func (d *dwell) moved(pan, tilt float64) {
	if d.known && d.dot == [2]float64{pan, tilt} {
		return
	}
	d.dot, d.u, d.known = [2]float64{pan, tilt}, beam(pan, tilt), true
}

// forget drops the spots whose light has all left the window at t.
func (d *dwell) forget(t time.Time) {
	if d.part <= 0 {
		d.spots = d.spots[:0]
		return
	}
	from := t.UnixNano() - dwellBuckets*d.part
	d.spots = slices.DeleteFunc(d.spots, func(s dwellSpot) bool { return s.last <= from })
}

// mayLight reports whether a laser may be lit at the dot during
// [now, now+tick): no spot near it may then have been lit for more than
// the cap in the window of twice the cap ending there.
func (d *dwell) mayLight(now time.Time, tick, dwellCap time.Duration) bool {
	if dwellCap <= 0 {
		return true
	}
	from := now.Add(tick).UnixNano() - dwellBuckets*d.part
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s) && s.litSince(from, d.part)+tick > dwellCap {
			return false
		}
	}
	return tick <= dwellCap
}

// dark counts the light as lasting from last until now on the spots near
// the dot: the watchdog switched the lit lasers off at some moment the
// envelope does not know.
func (d *dwell) dark(last, now time.Time) {
	if d.part <= 0 || !now.After(last) {
		return
	}
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s) {
			s.add(last.UnixNano(), now.UnixNano(), d.part)
		}
	}
}

// near reports whether the beam at the dot is within the radius of s:
// the angle between their directions at most the radius, give or take
// dwellLeeway. A dot exactly one radius away (a move can land there)
// counts as near, on the side of more light counted.
func (d *dwell) near(s *dwellSpot) bool {
	x, y, z := d.u[0]-s.u[0], d.u[1]-s.u[1], d.u[2]-s.u[2]
	return x*x+y*y+z*z <= d.reach
}

// dwellLeeway (degrees) widens the radius so that rounding never leaves
// out a dot that is within it: the chord between two directions is worked
// out to within about 1e-15, and 1e-9° alone widens it by about 1.7e-11
// at any radius up to 90° (the config's bound is 10°).
//
// It is 2e-9°, not 1e-9°: the independent monitor counts a dot near
// within radius + 1e-9°, and works the beam out with its own rounding
// (pan·π/180 here, its own conversion there). With the same leeway a dot
// at the very edge could round in for the monitor and out here, and the
// envelope would grant light the monitor counts on the spot. Twice the
// leeway keeps the envelope strictly more inclusive than the monitor,
// by far more than either's rounding, and still counts in nothing more
// than 2e-9° beyond the radius.
const dwellLeeway = 2e-9

// nearChord2 is the squared chord |u1 − u2|² between two beam directions
// an angle of radius + dwellLeeway (degrees) apart: two directions are at
// most radius apart when their squared chord is at most this, since the
// chord, 2·sin(angle/2), grows with the angle up to 180°.
func nearChord2(radius float64) float64 {
	a := radius + dwellLeeway
	if a >= 180 {
		return math.Inf(1) // every direction is within half a turn
	}
	c := 2 * math.Sin(a*math.Pi/360)
	return c * c
}
