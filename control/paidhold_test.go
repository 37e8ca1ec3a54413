package control

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/play"
)

// stopYAML is quietYAML with a moderator's emergency stop and resume.
var stopYAML = strings.Replace(quietYAML, "commands:\n", "commands:\n"+
	"  - {name: stop, aliases: [停], do: {stop: true}, allow: moderator}\n"+
	"  - {name: resume, aliases: [继续], do: {resume: true}, allow: moderator}\n", 1)

// TestNobodyPlaysNoPaidTimeRuns: a bought 包场 is time to play, so an
// emergency stop or a moderator's 暂停, when nobody can play (its buyer
// included), takes none of it: two minutes of either, and the buyer still
// holds the room after.
func TestNobodyPlaysNoPaidTimeRuns(t *testing.T) {
	for _, c := range []struct{ name, hold, lift string }{
		{"stop", "停", "继续"},
		{"pause", "暂停", "恢复"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, pl := newPlayHarness(t, stopYAML, play.Config{Location: time.UTC})
			want(t, h.gift("8", 10000), Accepted, ReasonGift) // 包场 for a minute, and a circle
			playFor(h, pl, 50)                                // a second of it
			if d := h.say("1", c.hold, mod); d.Outcome != Accepted {
				t.Fatalf("%s: %s/%s", c.hold, d.Outcome, d.Reason)
			}
			if d := h.say("8", "左", nil); d.Outcome != Dropped {
				t.Fatalf("the buyer played during the %s: %s/%s", c.name, d.Outcome, d.Reason)
			}
			playFor(h, pl, 50*120) // two minutes of nobody playing
			if d := h.say("1", c.lift, mod); d.Outcome != Accepted {
				t.Fatalf("%s: %s/%s", c.lift, d.Outcome, d.Reason)
			}
			playFor(h, pl, 5)
			want(t, h.say("2", "左", nil), Dropped, ReasonExclusive)
			playFor(h, pl, 50*60) // the 59 s it had left, and more
			if d := h.say("2", "左", nil); d.Reason == ReasonExclusive {
				t.Fatalf("包场 still in force a minute after the %s: its clock stood still for good", c.name)
			}
		})
	}
}

// TestStopHoldsCredits: gift credits lapse credit_for (an hour) after they
// were bought, not counting time nobody could play: a two-hour emergency
// stop leaves them all.
func TestStopHoldsCredits(t *testing.T) {
	h := newHarness(t, stopYAML)
	want(t, h.gift("9", 3000), Accepted, ReasonGift)
	if p, x := h.credits("9"); p != 5 || x != 3 {
		t.Fatalf("credits %d/%d, want 5/3", p, x)
	}
	want(t, h.say("1", "停", mod), Accepted, ReasonImmediate)
	for range 120 { // two hours, a minute a tick
		h.now = h.now.Add(time.Minute)
		h.eng.Tick(h.now)
	}
	want(t, h.say("1", "继续", mod), Accepted, ReasonImmediate)
	if p, x := h.credits("9"); p != 5 || x != 3 {
		t.Fatalf("credits %d/%d after a two-hour stop, want 5/3: they lapsed while nobody could play", p, x)
	}
}
