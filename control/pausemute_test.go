package control

import (
	"testing"
	"time"
)

// TestPauseDropsQueuedChatCommands: 暂停 drops the chat commands waiting
// (paused), each told, and gives back what a gift paid for them; the
// command already running finishes, and the panel's own commands stay.
func TestPauseDropsQueuedChatCommands(t *testing.T) {
	h := newHarness(t, paidYAML)
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued) // runs at once
	h.eng.Tick(h.now)
	h.holdQueue()
	want(t, h.gift("9", 3000), Accepted, ReasonGift)
	paid := h.say("9", "右", nil)
	want(t, paid, Accepted, ReasonPriority)
	free := h.say("3", "右", nil)
	want(t, free, Accepted, ReasonQueued)
	panel, err := h.eng.Inject(h.now, "left")
	if err != nil {
		t.Fatal(err)
	}
	n := len(h.decisions)
	want(t, h.say("1", "暂停", mod), Accepted, ReasonModeration)
	for _, q := range []Decision{paid, free} {
		told := h.told(n, q.EventID)
		if len(told) != 1 || told[0].Outcome != Dropped || told[0].Reason != ReasonPaused {
			t.Fatalf("%s's %s told %+v, want dropped/paused", q.UserName, q.Rule, told)
		}
	}
	if p, _ := h.credits("9"); p != 5 {
		t.Fatalf("u9 holds %d priority credits, want the one spent given back", p)
	}
	st := h.eng.Status(h.now)
	if st.QueueLen != 1 || st.Waiting[0].UserName != "panel" || st.Running != "left" {
		t.Fatalf("queue %+v running %q, want the panel's command waiting and u2's running", st.Waiting, st.Running)
	}
	_ = panel
}

// TestMuteDropsTheViewersQueuedCommands: 禁言 drops the muted viewer's
// waiting commands and their bought pattern (timeout, until the mute
// ends), each told; the others keep their places.
func TestMuteDropsTheViewersQueuedCommands(t *testing.T) {
	h := newHarness(t, paidYAML)
	h.holdQueue()
	mine := h.say("7", "左", nil)
	want(t, mine, Accepted, ReasonQueued)
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued)
	want(t, h.gift("7", 10000), Accepted, ReasonGift)
	pattern := h.lastOf("circle")
	want(t, pattern, Accepted, ReasonPriority)
	n := len(h.decisions)
	mute := h.say("1", "禁言 u7 3m", mod)
	want(t, mute, Accepted, ReasonModeration)
	for _, q := range []Decision{mine, pattern} {
		var told []Decision
		for _, d := range h.decisions[n:] {
			if d.EventID == q.EventID && d.Rule == q.Rule {
				told = append(told, d)
			}
		}
		if len(told) != 1 || told[0].Outcome != Dropped || told[0].Reason != ReasonTimeout ||
			!told[0].Until.Equal(mute.Until) || told[0].RetryAfter != 3*time.Minute {
			t.Fatalf("u7's %s told %+v, want dropped/timeout until the mute ends", q.Rule, told)
		}
	}
	st := h.eng.Status(h.now)
	if st.QueueLen != 1 || st.Waiting[0].UserName != "u2" {
		t.Fatalf("waiting %+v, want only u2's command", st.Waiting)
	}
}
