package limit

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// globalBucket wraps a rate.Limiter with check-then-charge semantics and
// costs larger than the burst. A nil bucket limits nothing. It is guarded
// by the Limiter's mutex.
type globalBucket struct {
	r   Rate
	lim *rate.Limiter
}

func newGlobal(r Rate) *globalBucket {
	if r.Every == 0 {
		return nil
	}
	return &globalBucket{r: r, lim: rate.NewLimiter(rate.Every(r.Every), r.Burst)}
}

// need is how many tokens must be saved before cost may be charged.
func (g *globalBucket) need(cost int) int {
	return min(cost, g.r.Burst)
}

// check returns how long until cost could be charged at now; 0 means now.
func (g *globalBucket) check(now time.Time, cost int) time.Duration {
	if g == nil {
		return 0
	}
	deficit := float64(g.need(cost)) - g.lim.TokensAt(now)
	wait := deficit * float64(g.r.Every)
	switch {
	case wait < 1:
		// Like rate.Limiter, a shortfall worth under a nanosecond is
		// float noise, not a reason to wait.
		return 0
	case wait >= math.MaxInt64:
		return time.Duration(math.MaxInt64)
	}
	// Round up, but not for float noise on an exact nanosecond: waiting
	// that long leaves under 1ns of shortfall, which the case above admits.
	return time.Duration(math.Ceil(wait - 1e-3))
}

// charge takes cost tokens at now; check must have returned 0. A cost over
// the burst is taken in burst-sized reservations, leaving the bucket in
// debt so that later requests wait for the extra.
func (g *globalBucket) charge(now time.Time, cost int) {
	if g == nil {
		return
	}
	if cost <= g.r.Burst && g.lim.AllowN(now, cost) {
		return
	}
	// A cost over the burst, or a shortfall check called noise but
	// AllowN did not: charge anyway, never accept for free.
	for cost > 0 {
		// A reservation of at most the burst with no deadline is always
		// granted; it may drive the token count below zero.
		n := min(cost, g.r.Burst)
		g.lim.ReserveN(now, n)
		cost -= n
	}
}

// reconfigure returns the bucket to use under r, keeping the saved tokens
// (capped at the new burst) when both the old and new rates are limited.
func (g *globalBucket) reconfigure(now time.Time, r Rate) *globalBucket {
	switch {
	case r.Every == 0:
		return nil
	case g == nil:
		return newGlobal(r)
	case g.r == r:
		return g
	}
	g.lim.SetLimitAt(now, rate.Every(r.Every))
	g.lim.SetBurstAt(now, r.Burst)
	g.r = r
	return g
}
