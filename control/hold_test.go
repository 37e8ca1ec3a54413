package control

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/play"
	"github.com/cattease/cattease/danmu"
)

// minuteCredits is quietYAML with credits that lapse after a minute,
// shorter than the rests and holds below.
var minuteCredits = strings.Replace(quietYAML, "max_senders: 100", "max_senders: 100\n  credit_for: 1m", 1)

// untilRefused plays until the play layer refuses chat (want true) or
// lets it play again (want false), at most limit of virtual time.
func untilRefused(t *testing.T, h *harness, pl *play.Layer, want bool, limit time.Duration) {
	t.Helper()
	for end := h.now.Add(limit); ; {
		if r, _ := pl.Refusal(h.now); (r != "") == want {
			return
		}
		if h.now.After(end) {
			t.Fatalf("refused is not %v within %v", want, limit)
		}
		playFor(h, pl, 10)
	}
}

// TestCreditsBoughtInTheFinishOutlastTheRest: a gift during a session's
// finish, when a rest of two minutes is still to come, keeps its credits
// (credit_for a minute) through the finish and the rest: they lapse a
// minute after play resumes.
func TestCreditsBoughtInTheFinishOutlastTheRest(t *testing.T) {
	h, pl := newPlayHarness(t, minuteCredits, play.Config{MaxPlay: 30 * time.Second, Rest: 2 * time.Minute,
		Finish: 10 * time.Second, Location: time.UTC})
	for {
		if r, _ := pl.Refusal(h.now); r != "" {
			break
		}
		if h.now.Sub(t0) > time.Minute {
			t.Fatal("no finish within a minute")
		}
		h.say("5", "左", nil)
		playFor(h, pl, 10)
	}
	if ph := pl.Snapshot().Session.Phase; ph == play.PhaseRest {
		t.Fatalf("phase %s: want the finish, before the rest", ph)
	}
	want(t, h.gift("9", 3000), Accepted, ReasonGift)
	untilRefused(t, h, pl, false, 10*time.Minute)
	resumed := h.now
	if resumed.Sub(t0) < 2*time.Minute {
		t.Fatalf("play resumed %v after the start: no rest followed the finish", resumed.Sub(t0))
	}
	if p, x := h.credits("9"); p != 5 || x != 3 {
		t.Fatalf("credits %d/%d when play resumes, want the 5/3 bought during the finish", p, x)
	}
	want(t, h.say("9", "左", nil), Accepted, ReasonPriority)
}

// TestCreditsHeldThroughUnsyncedQuietHours: quiet hours held until the
// clock is synchronised have no known end. A gift then is told no end
// for its credits, and keeps them until a minute after play resumes,
// however long the clock takes.
func TestCreditsHeldThroughUnsyncedQuietHours(t *testing.T) {
	synced := false
	h, pl := newPlayHarness(t, minuteCredits, play.Config{QuietFrom: 1 * time.Hour, QuietTo: 2 * time.Hour,
		Location: time.UTC, ClockSynced: func() bool { return synced }})
	playFor(h, pl, 5)
	if r, until := pl.Refusal(h.now); r != ReasonQuietHours || !until.IsZero() {
		t.Fatalf("refusal %q until %v, want quiet hours of unknown end while the clock is unsynced", r, until)
	}
	d := h.gift("9", 3000)
	want(t, d, Accepted, ReasonGift)
	if !d.Until.IsZero() {
		t.Fatalf("credits told to last until %v; play resumes at an unknown time", d.Until)
	}
	playFor(h, pl, 50*90) // NTP answers after a minute and a half
	synced = true
	untilRefused(t, h, pl, false, time.Minute)
	resumed := h.now
	if p, x := h.credits("9"); p != 5 || x != 3 {
		t.Fatalf("credits %d/%d when play resumes, want the 5/3 bought during quiet hours", p, x)
	}
	playFor(h, pl, 50*58)
	if p, _ := h.credits("9"); p != 5 {
		t.Fatalf("%v after play resumed: %d priority credits, want 5", h.now.Sub(resumed), p)
	}
	playFor(h, pl, 50*3)
	if p, x := h.credits("9"); p != 0 || x != 0 {
		t.Fatalf("%v after play resumed: credits %d/%d, want them lapsed", h.now.Sub(resumed), p, x)
	}
}

// TestEveryWithheldPartIsTold: a ¥100 gift (包场 and a circle, nothing
// else) from a sender below min_level during quiet hours has both parts
// withheld for different reasons. The gift's own decision says one
// (level, for the 包场), and the circle is told its own (quiet_hours,
// with the time left).
func TestEveryWithheldPartIsTold(t *testing.T) {
	h, _ := newPlayHarness(t, strings.Replace(quietYAML, "min_level: 0", "min_level: 5", 1),
		play.Config{QuietFrom: 9 * time.Hour, QuietTo: 11 * time.Hour, Location: time.UTC}) // t0 is 10:00
	h.n++
	n := len(h.decisions)
	d := h.eng.Handle(h.now, danmu.Event{Platform: "test", Kind: danmu.KindSuperChat, ID: "sc", Time: h.now,
		User: danmu.User{ID: "9", Name: "u9", Role: danmu.RoleViewer, Level: 3},
		Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 10000}})
	want(t, d, Dropped, ReasonLevel)
	told := h.told(n, d.EventID)
	if len(told) != 2 {
		t.Fatalf("told %+v, want the gift's decision and the circle's", told)
	}
	c := told[1]
	want(t, c, Dropped, ReasonQuietHours)
	if c.Rule != "circle" || c.RetryAfter != time.Hour || c.Grant != nil {
		t.Fatalf("the circle was told %+v, want quiet hours for another hour", c)
	}
}

// TestHeldExclusiveTellsOthersWhyTheyWait: while quiet hours hold a 包场's
// clock, another viewer's command is refused for the quiet hours, with
// their real end, not for the 包场, whose end moves on while it is held;
// once play resumes, the 包场 refuses it, with the 包场's end. A policy
// vote, which plays nothing, is held off by the 包场 alone.
func TestHeldExclusiveTellsOthersWhyTheyWait(t *testing.T) {
	h, pl := newPlayHarness(t, quietYAML, play.Config{QuietFrom: 9 * time.Hour, QuietTo: 11 * time.Hour, Location: time.UTC})
	end := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC) // t0 is 10:00 UTC
	want(t, h.gift("8", 10000), Accepted, ReasonGift)     // 包场 for a minute, from 11:00
	for _, u := range []string{"2", "8"} {
		d := h.say(u, "左", nil)
		want(t, d, Dropped, ReasonQuietHours)
		if d.RetryAfter != time.Hour || !d.Until.Equal(end) {
			t.Fatalf("u%s told to wait %v, until %v: want the hour to the end of quiet hours", u, d.RetryAfter, d.Until)
		}
	}
	want(t, h.say("2", "投票", nil), Dropped, ReasonExclusive)
	h.now = end.Add(-time.Second)
	playFor(h, pl, 100) // 11:00:01
	d := h.say("2", "左", nil)
	want(t, d, Dropped, ReasonExclusive)
	if left := d.Until.Sub(h.now); left < 58*time.Second || left > time.Minute {
		t.Fatalf("包场 told to end in %v, want about a minute", left)
	}
}
