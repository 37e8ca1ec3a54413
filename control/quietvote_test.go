package control

import (
	"testing"
	"time"

	"github.com/cattease/cattease/control/play"
)

// During quiet hours 包场's clock stands still, and a vote held off by it
// is told when the 包场 really ends: its minute starts when quiet hours
// end, so a viewer is not told to vote again in a minute, and then again.
func TestQuietHoursVoteUnderExclusiveWaitsForTheEnd(t *testing.T) {
	h, pl := newPlayHarness(t, stopYAML, play.Config{QuietFrom: 9 * time.Hour, QuietTo: 11 * time.Hour, Location: time.UTC})
	end := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC) // t0 is 10:00 UTC
	want(t, h.gift("8", 10000), Accepted, ReasonGift)     // 包场 for a minute, from 11:00
	for minute := 0; minute < 3; minute++ {
		d := h.say("2", "投票", nil)
		want(t, d, Dropped, ReasonExclusive)
		if !d.Until.Equal(end.Add(time.Minute)) || d.RetryAfter != end.Add(time.Minute).Sub(h.now) {
			t.Fatalf("at %v a vote is told retry %v until %v, want until %v, when 包场 ends",
				h.now.Format("15:04:05"), d.RetryAfter, d.Until, end.Add(time.Minute))
		}
		playFor(h, pl, 50*60)
	}
}
