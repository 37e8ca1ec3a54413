package control

import (
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// TestModerationArgsActOnTheViewerMeant: what a moderator types after 禁言
// or 包场 finds the viewer seen even when cleaned as chat is (invisible
// characters, full-width letters, ＠), and a last word is a duration
// (rules.yaml's units, days, a bare number of minutes) or refused, never
// glued onto the name.
func TestModerationArgsActOnTheViewerMeant(t *testing.T) {
	for _, c := range []struct {
		text string
		seen bool          // u7 commanded before
		dur  time.Duration // the mute, from now
	}{
		{"禁言 u7\u200b", true, 10 * time.Minute},
		{"禁言 u7\u200b", false, 10 * time.Minute},
		{"禁言 u7 3m\u200b", true, 3 * time.Minute},
		{"禁言 u7 \u200b", true, 10 * time.Minute},
		{"禁言 u7 3m \u2060", false, 3 * time.Minute},
		{"禁言 ＠u7", true, 10 * time.Minute},
		{"禁言 ＠u7", false, 10 * time.Minute},
		{"禁言 ｕ７", true, 10 * time.Minute},
		{"禁言 u7 10", true, 10 * time.Minute},
		{"禁言 u7 5", false, 5 * time.Minute},
		{"禁言 u7 ３０分钟", true, 30 * time.Minute},
		{"禁言 u7 2h", true, 2 * time.Hour},
		{"禁言 u7 1天", true, 24 * time.Hour},
		{"禁言 u7 1d", true, 24 * time.Hour},
		{"禁言 u7 3d", true, 24 * time.Hour}, // at most max_timeout
	} {
		h := newHarness(t, roomYAML)
		if c.seen {
			h.say("7", "左", nil)
			h.run(3 * time.Second)
		}
		d := h.say("1", c.text, mod)
		want(t, d, Accepted, ReasonModeration)
		if d.Target != "u7" || d.Until.Sub(h.now) != c.dur {
			t.Errorf("%q (seen %v): target %q for %v, want u7 for %v", c.text, c.seen, d.Target, d.Until.Sub(h.now), c.dur)
		}
		if d := h.say("7", "右", nil); d.Reason != ReasonTimeout {
			t.Errorf("%q (seen %v): u7 then %s/%s, want muted", c.text, c.seen, d.Outcome, d.Reason)
		}
	}
}

// TestModerationArgsRefuseWhatIsNoName: a last word that is not a
// duration is refused (bad_value), and a name with a space that nobody
// seen lately has is no_target, rather than a mute or a 包场 of nobody,
// which for 包场 would lock the whole room out.
func TestModerationArgsRefuseWhatIsNoName(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.say("7", "左", nil)
	h.run(3 * time.Second)
	want(t, h.say("1", "禁言 u7 一会儿", mod), Dropped, ReasonBadValue)
	want(t, h.say("1", "包场 u7 乱来", mod), Dropped, ReasonBadValue)
	want(t, h.say("1", "禁言 u7 0", mod), Dropped, ReasonBadValue)
	want(t, h.say("1", "包场 猫 奴 3m", mod), Dropped, ReasonNoTarget)
	want(t, h.say("1", "解禁 猫 奴", mod), Dropped, ReasonNoTarget)
	want(t, h.say("1", "模式 轮流\u200b", mod), Accepted, ReasonPolicy)
	want(t, h.say("1", "模式 排队 \u200b", mod), Accepted, ReasonPolicy)
	want(t, h.say("7", "右", nil), Accepted, ReasonQueued)
	want(t, h.say("4", "左", nil), Accepted, ReasonQueued)

	// 包场 to the viewer meant, with a bare number of minutes.
	d := h.say("1", "包场 ＠u7\u200b 1", mod)
	want(t, d, Accepted, ReasonModeration)
	if d.Target != "u7" || d.Until.Sub(h.now) != time.Minute {
		t.Fatalf("包场 of %q for %v, want u7 for 1m", d.Target, d.Until.Sub(h.now))
	}
	h.run(3 * time.Second)
	want(t, h.say("7", "左", nil), Accepted, ReasonQueued)
	want(t, h.say("5", "左", nil), Dropped, ReasonExclusive)

	// A viewer whose name has a space, seen lately, is named whole.
	h.say("8", "左", func(u *danmu.User) { u.Name = "猫 奴" })
	d = h.say("1", "禁言 猫 奴", mod)
	want(t, d, Accepted, ReasonModeration)
	if d.Target != "猫 奴" {
		t.Fatalf("target %q, want 猫 奴", d.Target)
	}
}

// TestModerationNamesAsTyped: names are held and compared exactly, so the
// name a moderator types is looked up as it stands first. 捣蛋ㅤ鬼 (a
// Hangul filler inside) is not 捣蛋鬼, 小猫❤️ keeps its variation
// selector, an unseen ｃａｔ is not cat; a cleaned name two viewers share
// is refused (no_target) rather than guessed.
func TestModerationNamesAsTyped(t *testing.T) {
	name := func(n string) func(*danmu.User) { return func(u *danmu.User) { u.Name = n } }
	const filler, heart = "捣蛋\u3164鬼", "小猫❤\ufe0f"

	t.Run("filler", func(t *testing.T) {
		h := newHarness(t, roomYAML)
		h.say("5", "左", name("捣蛋鬼"))
		h.say("6", "左", name(filler))
		h.run(3 * time.Second)
		d := h.say("1", "禁言 "+filler, mod)
		want(t, d, Accepted, ReasonModeration)
		if d.Target != filler {
			t.Fatalf("禁言 %q muted %q", filler, d.Target)
		}
		want(t, h.say("6", "右", name(filler)), Dropped, ReasonTimeout)
		want(t, h.say("5", "右", name("捣蛋鬼")), Accepted, ReasonQueued)
	})
	t.Run("ambiguous", func(t *testing.T) {
		h := newHarness(t, roomYAML)
		h.say("5", "左", name("捣蛋鬼"))
		h.say("6", "左", name(filler))
		h.run(3 * time.Second)
		want(t, h.say("1", "禁言 捣蛋鬼\u200b", mod), Dropped, ReasonNoTarget) // cleaned, both
		want(t, h.say("1", "包场 ＠捣蛋鬼\u200b 3m", mod), Dropped, ReasonNoTarget)
		want(t, h.say("5", "右", name("捣蛋鬼")), Accepted, ReasonQueued)
		want(t, h.say("6", "右", name(filler)), Accepted, ReasonQueued)
	})
	t.Run("variation selector, seen", func(t *testing.T) {
		h := newHarness(t, roomYAML)
		h.say("8", "左", name(heart))
		h.run(3 * time.Second)
		d := h.say("1", "禁言 "+heart, mod)
		want(t, d, Accepted, ReasonModeration)
		if d.Target != heart {
			t.Fatalf("禁言 %q muted %q", heart, d.Target)
		}
		want(t, h.say("8", "右", name(heart)), Dropped, ReasonTimeout)
	})
	t.Run("variation selector, unseen", func(t *testing.T) {
		// 包场 @小猫❤️ before they come: the room is theirs when they do.
		h := newHarness(t, roomYAML)
		d := h.say("1", "包场 @"+heart, mod)
		want(t, d, Accepted, ReasonModeration)
		if d.Target != heart {
			t.Fatalf("包场 %q for %q", heart, d.Target)
		}
		h.run(3 * time.Second)
		want(t, h.say("8", "左", name(heart)), Accepted, ReasonQueued)
		want(t, h.say("4", "左", nil), Dropped, ReasonExclusive)
	})
	t.Run("full-width, unseen", func(t *testing.T) {
		h := newHarness(t, roomYAML)
		d := h.say("1", "禁言 ｃａｔ", mod)
		want(t, d, Accepted, ReasonModeration)
		if d.Target != "ｃａｔ" {
			t.Fatalf("禁言 ｃａｔ muted %q", d.Target)
		}
		want(t, h.say("3", "左", name("cat")), Accepted, ReasonQueued)
		want(t, h.say("2", "左", name("ｃａｔ")), Dropped, ReasonTimeout)
	})
}
