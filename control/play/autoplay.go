package play

import (
	"math"
	"math/rand/v2"
	"time"
)

type autoplay struct {
	rng     *rand.Rand
	active  bool
	pattern string
	plan    [][2]float64    // waypoints (pan, tilt) still to visit
	dark    []bool          // peek: laser dark at that waypoint
	hold    []time.Duration // how long to hold at that waypoint; 0 = a random short pause
	nextAt  time.Time       // when to move to the next waypoint
	at      [2]float64      // the last waypoint, as a fraction of the aim area
}

// stepAutoplay starts, continues or stops autoplay. Caller holds l.mu.
func (l *Layer) stepAutoplay(now time.Time) {
	c := l.cfg.Autoplay
	if c.After <= 0 || now.Sub(l.lastChat) < c.After || l.resting || l.quietNow || l.env.Stopped() {
		l.auto.active = false
		return
	}
	if !l.auto.active {
		l.auto.active, l.auto.plan, l.auto.dark, l.auto.hold = true, nil, nil, nil
	}
	if !l.env.Settled() || now.Before(l.auto.nextAt) {
		return
	}
	if len(l.auto.plan) == 0 {
		l.newPattern()
	}
	p, dark, hold := l.auto.plan[0], l.auto.dark[0], l.auto.hold[0]
	l.auto.plan, l.auto.dark, l.auto.hold = l.auto.plan[1:], l.auto.dark[1:], l.auto.hold[1:]
	l.aheadOfPlay()
	l.env.Aim(now, p[0], p[1])
	if hold <= 0 {
		hold = time.Duration(150+l.auto.rng.IntN(600)) * time.Millisecond
	}
	l.auto.nextAt = now.Add(hold)
	if c.Laser {
		for _, name := range l.env.Lasers() {
			l.env.Switch(now, name, !dark, 0)
		}
	}
}

// newPattern plans the next pattern's waypoints inside the aim area.
func (l *Layer) newPattern() {
	names := l.cfg.Autoplay.Patterns
	if len(names) == 0 {
		names = Patterns
	}
	r := l.auto.rng
	l.auto.pattern = names[r.IntN(len(names))]
	lo, hi := l.env.AimArea()
	span := [2]float64{hi[0] - lo[0], hi[1] - lo[1]}
	at := func(u, v float64) [2]float64 { return [2]float64{lo[0] + u*span[0], lo[1] + v*span[1]} }
	var plan [][2]float64
	var dark []bool
	var hold []time.Duration
	if w, ok := preyPattern(l.auto.pattern, r, l.auto.at); ok {
		for _, s := range w {
			plan = append(plan, at(s.u, s.v))
			hold = append(hold, s.hold)
			l.auto.at = [2]float64{s.u, s.v}
		}
	}
	switch l.auto.pattern {
	case "dart", "freeze", "creep", "hide", "twitch": // planned above
	case "circle":
		cu, cv, rad := 0.3+0.4*r.Float64(), 0.3+0.4*r.Float64(), 0.1+0.15*r.Float64()
		for k := range 12 {
			a := float64(k) * math.Pi / 6
			plan = append(plan, at(cu+rad*math.Cos(a), cv+rad*math.Sin(a)))
		}
	case "zigzag":
		v := 0.1 + 0.2*r.Float64()
		for k := range 6 {
			plan = append(plan, at(float64(k%2)*0.8+0.1, v+float64(k)*0.12))
		}
	case "peek":
		u, v := r.Float64(), r.Float64()
		plan = append(plan, at(u, v), at(u, v), at(1-u, v))
		dark = []bool{false, true, false}
	default: // scurry: a few quick hops to random spots
		for range 4 + r.IntN(4) {
			plan = append(plan, at(r.Float64(), r.Float64()))
		}
	}
	if dark == nil {
		dark = make([]bool, len(plan))
	}
	if hold == nil {
		hold = make([]time.Duration, len(plan))
	}
	l.auto.plan, l.auto.dark, l.auto.hold = plan, dark, hold
}
