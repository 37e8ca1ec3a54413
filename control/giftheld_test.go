package control

import (
	"testing"
	"time"

	"github.com/cattease/cattease/control/play"
)

// TestGiftDuringHoldNamesNoEnd: credits and 包场 bought during an
// emergency stop or a 暂停 start to count when a moderator ends it, which
// nobody knows, so the gift's decision names no end (as the live view and
// the audit log would show one that passes while the 包场 is in force).
// After two minutes held and the resume, the 包场 has its whole minute.
func TestGiftDuringHoldNamesNoEnd(t *testing.T) {
	for _, c := range holds {
		t.Run(c.name, func(t *testing.T) {
			h, pl := newPlayHarness(t, stopYAML, play.Config{Location: time.UTC})
			want(t, h.say("1", c.hold, mod), Accepted, modAccept(c.reason))
			for _, g := range []struct {
				user  string
				cents int64
			}{
				{"8", 10000}, // 包场 for a minute, and a circle
				{"7", 3000},  // credits
				{"6", 10000}, // 包场 after u8's
			} {
				d := h.gift(g.user, g.cents)
				want(t, d, Accepted, ReasonGift)
				if d.Grant == nil || !d.Until.IsZero() || d.RetryAfter != 0 {
					t.Fatalf("gift from u%s during the %s: grant %+v until %v retry %v, want no end",
						g.user, c.name, d.Grant, d.Until, d.RetryAfter)
				}
				if g.cents == 10000 && d.Grant.Exclusive != time.Minute {
					t.Fatalf("gift from u%s: 包场 %v, want a minute", g.user, d.Grant.Exclusive)
				}
			}
			playFor(h, pl, 50*120) // two minutes held
			want(t, h.say("1", c.lift, mod), Accepted, modAccept(c.reason))
			d := h.say("2", "左", nil)
			want(t, d, Dropped, ReasonExclusive)
			if d.RetryAfter != time.Minute {
				t.Fatalf("retry %v after the %s, want the whole minute bought during it", d.RetryAfter, c.name)
			}
		})
	}
}
