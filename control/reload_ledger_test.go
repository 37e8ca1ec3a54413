package control

import (
	"strings"
	"testing"
	"time"
)

// TestReloadKeepsGiftCredits: a reload that changes the gift lane (the
// tiers, max_senders, the timezone) keeps every sender's unused credits,
// lapsing when they would have; what a command spent before the reload
// is given back after it if the command does not run; only the day's caps
// start afresh.
func TestReloadKeepsGiftCredits(t *testing.T) {
	for _, change := range []struct{ name, old, new string }{
		{"max_senders", "max_senders: 100", "max_senders: 99"},
		{"tiers", "{min: 1元, priority: 2}", "{min: 2元, priority: 2}"},
		{"timezone", "commands:\n", "safety: {timezone: America/New_York}\ncommands:\n"},
	} {
		t.Run(change.name, func(t *testing.T) {
			h := newHarness(t, paidYAML)
			h.holdQueue()
			want(t, h.gift("9", 3000), Accepted, ReasonGift) // 5 priority, 3 extra; the per-sender cap of 6 leaves 1
			want(t, h.say("9", "左", nil), Accepted, ReasonPriority)
			if p, x := h.credits("9"); p != 4 || x != 3 {
				t.Fatalf("credits %d/%d before the reload, want 4/3", p, x)
			}
			h.now = h.now.Add(30 * time.Minute)
			yaml := strings.Replace(paidYAML, change.old, change.new, 1)
			if yaml == paidYAML {
				t.Fatal("the change changes nothing")
			}
			if err := h.eng.Reload(h.now, compileText(t, yaml)); err != nil {
				t.Fatal(err)
			}
			if p, x := h.credits("9"); p != 4 || x != 3 {
				t.Fatalf("credits %d/%d after the reload, want the 4/3 kept", p, x)
			}
			// 左 never runs: its credit goes back, into the ledger kept.
			want(t, h.say("1", "停", mod), Accepted, ReasonImmediate)
			if p, _ := h.credits("9"); p != 5 {
				t.Fatalf("%d priority credits after the stop, want the one 左 spent given back", p)
			}
			// Resumed at once: credits stand still only while nobody can play.
			want(t, h.say("1", "继续", mod), Accepted, ReasonImmediate)
			// The day's caps start afresh: the per-sender cap of 6 counts
			// none of the 5 bought before.
			d := h.gift("9", 3000)
			want(t, d, Accepted, ReasonGift)
			if d.Grant.Priority != 5 {
				t.Fatalf("a second ¥30 bought %d priority credits, want 5: the caps start afresh", d.Grant.Priority)
			}
			// Credits lapse credit_for (1h) after the last gift, reload or not.
			h.now = h.now.Add(time.Hour - time.Second)
			if p, x := h.credits("9"); p != 10 || x != 6 {
				t.Fatalf("credits %d/%d, want 10/6", p, x)
			}
			h.now = h.now.Add(time.Second)
			if p, x := h.credits("9"); p != 0 || x != 0 {
				t.Fatalf("credits %d/%d after credit_for, want none", p, x)
			}
		})
	}
}

// TestReloadKeepsCreditsTheirExpiry: credits kept across a reload lapse
// when they would have without it.
func TestReloadKeepsCreditsTheirExpiry(t *testing.T) {
	h := newHarness(t, paidYAML)
	want(t, h.gift("9", 3000), Accepted, ReasonGift)
	h.now = h.now.Add(40 * time.Minute)
	if err := h.eng.Reload(h.now, compileText(t, strings.Replace(paidYAML, "max_senders: 100", "max_senders: 7", 1))); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(20*time.Minute - time.Second)
	if p, x := h.credits("9"); p != 5 || x != 3 {
		t.Fatalf("credits %d/%d a second before they lapse, want 5/3", p, x)
	}
	h.now = h.now.Add(time.Second)
	if p, x := h.credits("9"); p != 0 || x != 0 {
		t.Fatalf("credits %d/%d an hour after the gift, want none", p, x)
	}
}
