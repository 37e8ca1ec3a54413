package play

import "time"

// finale is the end of a session's last stretch (Config.Finish): the rig
// creeps low and slow to the park spot and twitches there, the prey giving
// itself up, so the cat ends play with a catch.
type finale struct {
	on     bool
	until  time.Time       // the session's end
	plan   [][2]float64    // waypoints (pan, tilt) still to visit
	hold   []time.Duration // hold at each
	nextAt time.Time
}

// startFinale plans the creep from where the aiming axes are to the park
// spot (or home), in small steps with pauses, ending in a twitch. Caller
// holds l.mu.
func (l *Layer) startFinale(now time.Time) {
	l.auto.active = false
	st := l.env.Snapshot()
	var from, to [2]float64
	lo, hi := l.env.AimArea()
	for _, a := range st.Axes {
		switch a.Name {
		case st.PanAxis:
			from[0], to[0] = a.Pos, a.Home
		case st.TiltAxis:
			from[1], to[1] = a.Pos, lo[1] // low: the wand's lowest, the laser's nearest
		}
	}
	if l.cfg.Park != nil {
		to = *l.cfg.Park
	}
	r := l.auto.rng
	steps := 6 + r.IntN(4)
	f := finale{on: true, until: l.start.Add(l.cfg.MaxPlay), nextAt: now}
	// Leave a third of the finish for the twitch and the stillness at the end.
	per := l.cfg.Finish * 2 / 3 / time.Duration(steps+1)
	for k := 1; k <= steps; k++ {
		x := float64(k) / float64(steps)
		x = x * x * (3 - 2*x) // ease: slow to start, slow to arrive
		f.plan = append(f.plan, [2]float64{from[0] + (to[0]-from[0])*x, from[1] + (to[1]-from[1])*x})
		f.hold = append(f.hold, per/2+time.Duration(r.Int64N(int64(per/2)+1)))
	}
	span := [2]float64{hi[0] - lo[0], hi[1] - lo[1]}
	for range 2 {
		f.plan = append(f.plan, [2]float64{to[0] + (r.Float64()-0.5)*0.03*span[0], to[1]}, to)
		f.hold = append(f.hold, 120*time.Millisecond, per)
	}
	l.finale = f
	l.count("finale")
}

// stepFinale moves to the next waypoint of the finale once the rig has
// settled and held. Caller holds l.mu.
func (l *Layer) stepFinale(now time.Time) {
	f := &l.finale
	if len(f.plan) == 0 || !l.env.Settled() || now.Before(f.nextAt) || l.env.Stopped() {
		return
	}
	p, h := f.plan[0], f.hold[0]
	f.plan, f.hold = f.plan[1:], f.hold[1:]
	l.env.Aim(now, p[0], p[1])
	f.nextAt = now.Add(h)
}
