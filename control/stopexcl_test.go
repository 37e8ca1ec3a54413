package control

import (
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/play"
)

// holds are the two ways a moderator keeps everyone from playing, and
// what a viewer's command is told meanwhile.
var holds = []struct {
	name, hold, lift string
	reason           actuators.Reason
}{
	{"stop", "停", "继续", ReasonStopped},
	{"pause", "暂停", "恢复", ReasonPaused},
}

// TestHeldExclusiveTellsTheHold: during an emergency stop or a 暂停 the
// clock of 包场 stands still, so a viewer it holds off is told the stop or
// the pause, as with no 包场, and no retry: not "包场, retry in 59 s" for
// as long as the stop lasts. The holder is told the same, and so is a
// policy vote. After the resume 包场 refuses them again, with its time left.
func TestHeldExclusiveTellsTheHold(t *testing.T) {
	for _, c := range holds {
		t.Run(c.name, func(t *testing.T) {
			// What a command is told with nobody holding 包场.
			free, fpl := newPlayHarness(t, stopYAML, play.Config{Location: time.UTC})
			want(t, free.say("1", c.hold, mod), Accepted, modAccept(c.reason))
			playFor(free, fpl, 50*60)

			h, pl := newPlayHarness(t, stopYAML, play.Config{Location: time.UTC})
			want(t, h.gift("8", 10000), Accepted, ReasonGift) // 包场 for a minute
			playFor(h, pl, 50)                                // a second of it
			want(t, h.say("1", c.hold, mod), Accepted, modAccept(c.reason))
			for minute := 1; minute <= 3; minute++ {
				playFor(h, pl, 50*60)
				for _, text := range []string{"左", "投票"} {
					base := free.say("2", text, nil)
					want(t, base, Dropped, c.reason)
					for _, user := range []string{"2", "8"} { // a viewer held off, and the holder
						d := h.say(user, text, nil)
						if d.Outcome != base.Outcome || d.Reason != base.Reason ||
							d.RetryAfter != base.RetryAfter || !d.Until.Equal(base.Until) {
							t.Fatalf("minute %d: %q from u%s: %s/%s retry %v until %v; with no 包场 %s/%s retry %v until %v",
								minute, text, user, d.Outcome, d.Reason, d.RetryAfter, d.Until,
								base.Outcome, base.Reason, base.RetryAfter, base.Until)
						}
					}
				}
			}
			want(t, h.say("1", c.lift, mod), Accepted, modAccept(c.reason))
			d := h.say("2", "左", nil)
			want(t, d, Dropped, ReasonExclusive)
			if d.RetryAfter != 59*time.Second {
				t.Fatalf("retry %v after the %s, want the 59 s 包场 had left", d.RetryAfter, c.name)
			}
		})
	}
}

// modAccept is what a moderator's hold (hold, the reason it gives) or
// lift is accepted with:
// 停 and 继续 are immediate commands, 暂停 and 恢复 moderation.
func modAccept(hold actuators.Reason) actuators.Reason {
	if hold == ReasonStopped {
		return ReasonImmediate
	}
	return ReasonModeration
}
