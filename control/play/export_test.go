package play

import (
	"math/rand/v2"
	"time"
)

// PreyPlan returns the holds of one prey pattern planned from the middle
// of the aim area with r.
func PreyPlan(name string, r *rand.Rand) ([]time.Duration, bool) {
	w, ok := preyPattern(name, r, [2]float64{0.5, 0.5})
	var h []time.Duration
	for _, p := range w {
		h = append(h, p.hold)
	}
	return h, ok
}
