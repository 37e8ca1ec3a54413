package play

import (
	"math"
	"math/rand/v2"
	"time"
)

// PreyPatterns are the autoplay patterns that move a feather wand like
// prey, not like a metronome: quick darts, freezes of random length,
// creeping, hiding behind an edge and peeking out, a twitch at rest.
var PreyPatterns = []string{"dart", "freeze", "creep", "hide", "twitch"}

// waypoint is a spot in the aim area as fractions (u across pan, v across
// tilt, 0–1) and how long to hold there once reached.
type waypoint struct {
	u, v float64
	hold time.Duration
}

// ms is a random duration between lo and hi milliseconds.
func ms(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+r.IntN(hi-lo+1)) * time.Millisecond
}

// freezeFor is a prey's freeze: mostly short, now and then long (a
// rough exponential, capped), so the cat cannot time the next move.
func freezeFor(r *rand.Rand) time.Duration {
	d := time.Duration(-math.Log(1-r.Float64()*0.98) * float64(900*time.Millisecond))
	return min(max(d, 300*time.Millisecond), 5*time.Second)
}

func clamp01(x float64) float64 { return min(max(x, 0), 1) }

// preyPattern plans one prey pattern from the spot at (fractions of the
// aim area). It reports false for a name that is not a prey pattern.
// Every choice comes from r, so a seeded source replays the same play.
func preyPattern(name string, r *rand.Rand, at [2]float64) ([]waypoint, bool) {
	u, v := at[0], at[1]
	var w []waypoint
	switch name {
	case "dart": // one to three quick dashes far across, each ending in a short freeze
		for range 1 + r.IntN(3) {
			du := (0.35 + 0.4*r.Float64()) * sign(r)
			if u+du < 0 || u+du > 1 {
				du = -du
			}
			u, v = clamp01(u+du), clamp01(v+(r.Float64()-0.5)*0.5)
			w = append(w, waypoint{u, v, ms(r, 120, 400)})
		}
		w[len(w)-1].hold = freezeFor(r)
	case "freeze": // hold still where it is, for a random while
		w = append(w, waypoint{u, v, freezeFor(r) + ms(r, 0, 1500)})
	case "creep": // small slow steps in one direction, low, with pauses
		du, dv := (0.02+0.03*r.Float64())*sign(r), (r.Float64()-0.6)*0.03
		for range 6 + r.IntN(7) {
			if u+du < 0 || u+du > 1 {
				du = -du
			}
			u, v = clamp01(u+du), clamp01(v+dv)
			w = append(w, waypoint{u, v, ms(r, 250, 600)})
		}
	case "hide": // duck behind an edge, peek out a little, duck back, then bolt
		edge := 0.0
		if u > 0.5 {
			edge = 1
		}
		in := 0.08 + 0.1*r.Float64()
		peek := edge + in
		if edge == 1 {
			peek = edge - in
		}
		v = clamp01(v * 0.5)
		w = append(w, waypoint{edge, v, ms(r, 1000, 3000)},
			waypoint{peek, v, ms(r, 300, 900)},
			waypoint{edge, v, ms(r, 800, 2500)})
		for range r.IntN(2) {
			w = append(w, waypoint{peek, v, ms(r, 200, 700)}, waypoint{edge, v, ms(r, 500, 1500)})
		}
		u = clamp01(0.5 + (0.5-edge)*0.6*r.Float64())
		w = append(w, waypoint{u, clamp01(v + 0.2*r.Float64()), freezeFor(r)})
	case "twitch": // tiny jerks around a resting spot, then still again
		for range 2 + r.IntN(3) {
			w = append(w, waypoint{clamp01(u + (r.Float64()-0.5)*0.04), clamp01(v + (r.Float64()-0.5)*0.04), ms(r, 60, 160)})
		}
		w = append(w, waypoint{u, v, freezeFor(r)})
	default:
		return nil, false
	}
	return w, true
}

func sign(r *rand.Rand) float64 {
	if r.IntN(2) == 0 {
		return -1
	}
	return 1
}
