package safety

import (
	"math"
	"math/rand/v2"
	"time"
)

// AutoplayConfig plays with the cat when chat is quiet. The zero value
// means no autoplay.
type AutoplayConfig struct {
	// After is how long without a request before autoplay starts; the
	// first request takes over at once. 0 disables autoplay.
	After time.Duration
	// Patterns to choose from: "scurry", "circle", "zigzag", "peek".
	// Empty means all.
	Patterns []string
	// Laser lights the laser during autoplay (within every laser limit).
	Laser bool
	// Seed makes the patterns repeatable (replays, tests); 0 = random.
	Seed uint64
}

// AutoplayPatterns lists the built-in patterns.
var AutoplayPatterns = []string{"scurry", "circle", "zigzag", "peek"}

type autoplay struct {
	rng     *rand.Rand
	active  bool
	pattern string
	plan    [][2]float64 // waypoints (pan, tilt) still to visit
	dark    []bool       // peek: laser dark at that waypoint
	nextAt  time.Time    // when to move to the next waypoint
}

// stepAutoplay starts, continues or stops autoplay. Caller holds e.mu.
func (e *Envelope) stepAutoplay(now time.Time) {
	c := e.cfg.Autoplay
	idle := now.Sub(e.lastReq) >= c.After
	if c.After <= 0 || !idle || e.stopped || e.calm || e.parked || e.faulted(now) {
		e.auto.active = false
		return
	}
	if !e.auto.active {
		e.auto.active, e.auto.plan = true, nil
	}
	e.play(now)
	if !e.settled() || now.Before(e.auto.nextAt) {
		return
	}
	if len(e.auto.plan) == 0 {
		e.newPattern()
	}
	p := e.auto.plan[0]
	dark := e.auto.dark[0]
	e.auto.plan, e.auto.dark = e.auto.plan[1:], e.auto.dark[1:]
	e.setPoint(p[0], p[1])
	e.auto.nextAt = now.Add(time.Duration(150+e.auto.rng.IntN(600)) * time.Millisecond)
	if c.Laser {
		e.autoLaser(now, !dark)
	}
}

// autoLaser lights or darkens every laser for autoplay, through the same
// checks as a request.
func (e *Envelope) autoLaser(now time.Time, on bool) {
	for _, s := range e.switches {
		if !s.Laser {
			continue
		}
		if !on {
			s.on = false
			continue
		}
		if !s.on && e.switchRefusal(now, s) == "" {
			s.on, s.onSince, s.offAt = true, now, time.Time{}
		}
	}
}

// newPattern plans the next pattern's waypoints inside the play area.
func (e *Envelope) newPattern() {
	names := e.cfg.Autoplay.Patterns
	if len(names) == 0 {
		names = AutoplayPatterns
	}
	r := e.auto.rng
	e.auto.pattern = names[r.IntN(len(names))]
	lo, hi := e.area()
	span := [2]float64{hi[0] - lo[0], hi[1] - lo[1]}
	at := func(u, v float64) [2]float64 { return [2]float64{lo[0] + u*span[0], lo[1] + v*span[1]} }
	var plan [][2]float64
	var dark []bool
	switch e.auto.pattern {
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
	e.auto.plan, e.auto.dark = plan, dark
}

// area is the pan/tilt rectangle autoplay may use.
func (e *Envelope) area() (lo, hi [2]float64) {
	if a, ok := e.axes[e.cfg.PanAxis]; ok {
		lo[0], hi[0] = a.Min, a.Max
	}
	if a, ok := e.axes[e.cfg.TiltAxis]; ok {
		lo[1], hi[1] = a.Min, a.Max
	}
	return lo, hi
}
