package control

import (
	"strings"
	"testing"
	"time"
)

// TestFairPriorityMovesAhead: under fair, a viewer's new command replaces
// their waiting one; when it spends a priority credit and the waiting one
// had none, it goes where a priority command goes, after the priority
// commands already waiting, not in the old place the credit did not buy.
func TestFairPriorityMovesAhead(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "policy: queue\n  queue_size: 4", "policy: fair\n  queue_size: 8", 1))
	h.holdQueue()
	want(t, h.gift("8", 3000), Accepted, ReasonGift)
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued)
	want(t, h.say("8", "左", nil), Accepted, ReasonPriority) // ahead of u2
	for _, u := range []string{"3", "4", "5"} {
		want(t, h.say(u, "左", nil), Accepted, ReasonQueued)
	}
	want(t, h.say("7", "右", nil), Accepted, ReasonQueued) // u7 waits last
	want(t, h.gift("7", 3000), Accepted, ReasonGift)
	h.now = h.now.Add(2100 * time.Millisecond) // past the user cooldown; the queue held
	want(t, h.say("7", "左", nil), Accepted, ReasonPriority)
	if p, _ := h.credits("7"); p != 4 {
		t.Fatalf("u7 holds %d priority credits, want 4: one spent", p)
	}
	var order []string
	for _, w := range h.eng.Status(h.now).Waiting {
		order = append(order, w.UserName+":"+w.Rule)
	}
	if got, want := strings.Join(order, " "), "u8:left u7:left u2:left u3:left u4:left u5:left"; got != want {
		t.Fatalf("waiting %s, want %s", got, want)
	}
	// A priority command replacing a priority one keeps its place.
	h.now = h.now.Add(2100 * time.Millisecond)
	want(t, h.say("8", "右", nil), Accepted, ReasonPriority)
	if w := h.eng.Status(h.now).Waiting[0]; w.UserName != "u8" || w.Rule != "right" {
		t.Fatalf("first waiting %+v, want u8's 右", w)
	}
}
