package safety

import (
	"slices"
	"time"
)

// dwell counts how long a laser has lit each spot the dot has lit lately.
// A spot is where the dot was when it lit while further than the radius
// from every spot remembered; lit time counts towards every spot within
// the radius of the dot. A spot is remembered until it has gone unlit for
// the cap: dark spells shorter than that, and leaving and coming back
// sooner, do not start its count again, so neither toggling nor a round
// trip (左 then 右) keeps light on one spot, such as an eye.
//
// At most one spot is made per Step and each is forgotten a cap after it
// was last lit, so the list stays short (the cap over the tick at most)
// without a bound of its own that could forget a spot early.
type dwell struct {
	spots []dwellSpot
	dot   [2]float64 // the dot since the last move
}

type dwellSpot struct {
	at      [2]float64
	lit     time.Duration // lit time with the dot within the radius
	lastLit time.Time     // the end of that light
}

// near reports whether the dot is within radius of s.
func (d *dwell) near(s *dwellSpot, radius float64) bool {
	dp, dt := d.dot[0]-s.at[0], d.dot[1]-s.at[1]
	return dp*dp+dt*dt <= radius*radius
}

// accrue adds the lit time of [from, to), if a laser was lit then, to the
// spots near the dot, or to a new spot at the dot if none is.
func (d *dwell) accrue(lit bool, from, to time.Time, radius float64) {
	if !lit || !to.After(from) {
		return
	}
	found := false
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s, radius) {
			s.lit += to.Sub(from)
			s.lastLit = to
			found = true
		}
	}
	if !found {
		d.spots = append(d.spots, dwellSpot{at: d.dot, lit: to.Sub(from), lastLit: to})
	}
}

// moved notes the dot's position after this tick's move.
func (d *dwell) moved(pan, tilt float64) { d.dot = [2]float64{pan, tilt} }

// forget drops the spots unlit for the cap at now.
func (d *dwell) forget(now time.Time, dwellCap time.Duration) {
	d.spots = slices.DeleteFunc(d.spots, func(s dwellSpot) bool { return now.Sub(s.lastLit) >= dwellCap })
}

// mayLight reports whether a laser may be lit at the dot during
// [now, now+tick): no spot near it may go over the cap. Spots are
// forgotten (forget) at now already.
func (d *dwell) mayLight(tick, dwellCap time.Duration, radius float64) bool {
	if dwellCap <= 0 {
		return true
	}
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s, radius) && s.lit+tick > dwellCap {
			return false
		}
	}
	return tick <= dwellCap
}

// dark counts the light as lasting until now on the spots near the dot:
// the watchdog switched the lasers off at some moment the envelope does
// not know, so their dark spell starts no earlier than now.
func (d *dwell) dark(now time.Time, radius float64) {
	for i := range d.spots {
		if s := &d.spots[i]; d.near(s, radius) {
			s.lastLit = now
		}
	}
}
