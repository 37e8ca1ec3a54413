package safety

import (
	"math"
	"time"
)

// dwell counts how long a laser has lit a dot that stays within a small
// radius of where it stopped. Dark spells shorter than the cap do not
// reset the count, so toggling cannot keep a still dot lit; moving the dot
// further than the radius, or a long dark, does.
type dwell struct {
	anchored  bool
	anchor    [2]float64
	lit       time.Duration // lit time near the anchor
	darkSince time.Time     // when the last laser went dark
}

// accrue adds the lit time of [from, to) if a laser was lit then.
func (d *dwell) accrue(lit bool, from, to time.Time) {
	if lit && to.After(from) {
		d.lit += to.Sub(from)
	}
}

// moved notes the dot's new position and resets the count when it left
// the radius around the anchor.
func (d *dwell) moved(pan, tilt, radius float64) {
	if d.anchored && math.Hypot(pan-d.anchor[0], tilt-d.anchor[1]) > radius {
		d.anchor, d.lit = [2]float64{pan, tilt}, 0
	}
}

// mayLight reports whether a laser may be lit at the current dot during
// [now, now+tick); the dot's moves have already been noted (moved). wasLit
// says whether a laser is lit before this tick.
func (d *dwell) mayLight(now time.Time, tick, dwellCap time.Duration, wasLit bool) bool {
	if dwellCap <= 0 {
		return true
	}
	if !wasLit && (!d.anchored || now.Sub(d.darkSince) >= dwellCap) {
		return true // lighting afresh: the count starts at this dot
	}
	return d.lit+tick <= dwellCap
}

// set records the laser state chosen for the tick at now.
func (d *dwell) set(now time.Time, wasLit, lit bool, dwellCap time.Duration, pan, tilt float64) {
	switch {
	case lit && !wasLit && (!d.anchored || now.Sub(d.darkSince) >= dwellCap):
		d.anchored, d.anchor, d.lit = true, [2]float64{pan, tilt}, 0
	case !lit && wasLit:
		d.darkSince = now
	}
}
