package safety

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestDwellSpotCountsAllTheLightInTheWindow: whatever the spans and
// wherever the window starts, a spot's count of the light in the window
// is at least the light there (never less: that would let a dot dwell)
// and at most one part of the window more.
func TestDwellSpotCountsAllTheLightInTheWindow(t *testing.T) {
	const tick = int64(20 * time.Millisecond)
	r := rand.New(rand.NewPCG(1, 2))
	for _, dwellCap := range []time.Duration{time.Second, 4 * time.Second, 7 * time.Second} {
		w := 2 * int64(dwellCap)
		part := w / dwellBuckets
		var s dwellSpot
		var spans [][2]int64
		now := int64(0)
		for range 20000 {
			if r.IntN(3) > 0 { // lit this tick
				s.add(now, now+tick, part)
				spans = append(spans, [2]int64{now, now + tick})
			}
			now += tick
			from := now + tick - w - r.Int64N(tick) // as mayLight asks, give or take
			var exact int64
			for _, sp := range spans {
				exact += max(0, sp[1]-max(sp[0], from))
			}
			got := int64(s.litSince(from, part))
			if got < exact || got > exact+part {
				t.Fatalf("cap %v, at %v: counted %v of light %v since %v", dwellCap, time.Duration(now), time.Duration(got), time.Duration(exact), time.Duration(from))
			}
		}
	}
}
