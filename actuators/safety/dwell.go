package safety

import (
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
type dwell struct {
	spots []dwellSpot
	dot   [2]float64 // the dot since the last move
	part  int64      // ns: the window (twice the cap) over dwellBuckets; 0 = no cap
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
	at   [2]float64
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
func (d *dwell) accrue(lit bool, from, to time.Time, radius float64) {
	if !lit || !to.After(from) || d.part <= 0 {
		return
	}
	f, t := from.UnixNano(), to.UnixNano()
	found := false
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s, radius) {
			s.add(f, t, d.part)
			found = true
		}
	}
	if !found {
		d.spots = append(d.spots, dwellSpot{at: d.dot})
		d.spots[len(d.spots)-1].add(f, t, d.part)
	}
}

// moved notes the dot's position after this tick's move.
func (d *dwell) moved(pan, tilt float64) { d.dot = [2]float64{pan, tilt} }

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
func (d *dwell) mayLight(now time.Time, tick, dwellCap time.Duration, radius float64) bool {
	if dwellCap <= 0 {
		return true
	}
	from := now.Add(tick).UnixNano() - dwellBuckets*d.part
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s, radius) && s.litSince(from, d.part)+tick > dwellCap {
			return false
		}
	}
	return tick <= dwellCap
}

// dark counts the light as lasting from last until now on the spots near
// the dot: the watchdog switched the lit lasers off at some moment the
// envelope does not know.
func (d *dwell) dark(last, now time.Time, radius float64) {
	if d.part <= 0 || !now.After(last) {
		return
	}
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s, radius) {
			s.add(last.UnixNano(), now.UnixNano(), d.part)
		}
	}
}

// near reports whether the dot is within radius of s, give or take
// 1e-9°: a dot exactly one radius away (a move can land there) counts
// as near, on the side of more light counted.
func (d *dwell) near(s *dwellSpot, radius float64) bool {
	dp, dt := d.dot[0]-s.at[0], d.dot[1]-s.at[1]
	r := radius + 1e-9
	return dp*dp+dt*dt <= r*r
}
