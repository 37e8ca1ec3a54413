package control

import (
	"strings"
	"testing"
	"time"
)

// TestVoteWinnerWaitsForCooldowns: under the vote policy a winner runs
// through its commands' cooldowns like any request; a room voting the
// same command again and again gets it once per cooldown.
func TestVoteWinnerWaitsForCooldowns(t *testing.T) {
	yaml := strings.Replace(roomYAML, "policy: queue", "policy: vote", 1)
	yaml = strings.Replace(yaml, "{name: circle, aliases: [画圈], do: {sequence: circle}, max_repeat: 1}",
		"{name: circle, aliases: [画圈], do: {sequence: circle}, max_repeat: 1, cooldown: 60s}", 1)
	h := newHarness(t, yaml)
	won, cooling := 0, 0
	for round := range 4 {
		for _, u := range []string{"1", "2", "3"} {
			want(t, h.say(u+strings.Repeat("0", round), "画圈", nil), Accepted, ReasonVoted)
		}
		h.run(6 * time.Second)
	}
	for _, d := range h.decisions {
		if d.Platform != "vote" || d.Rule != "circle" {
			continue
		}
		switch {
		case d.Outcome == Accepted && d.Reason == ReasonVoteWon:
			won++
		case d.Outcome == Dropped && d.Reason == ReasonCooldownCommand && d.RetryAfter > 0:
			cooling++
		}
	}
	if won != 1 || cooling != 3 {
		t.Fatalf("in 24 s with a 60 s cooldown: %d won, %d refused for the cooldown; want 1 and 3", won, cooling)
	}
}

// TestVoteWinnerAtAFullQueue: when gifts' priority commands fill the
// queue, the window's winner is dropped as queue_full, not reported won
// and lost.
func TestVoteWinnerAtAFullQueue(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "policy: queue", "policy: vote", 1))
	h.eng.mu.Lock()
	for range 4 { // queue_size 4: four priority commands bought with gifts
		h.eng.exec.push(job{priority: true, dec: Decision{Rule: "left"}})
	}
	h.eng.mu.Unlock()
	for _, u := range []string{"1", "2"} {
		want(t, h.say(u, "右", nil), Accepted, ReasonVoted)
	}
	h.eng.mu.Lock()
	h.eng.closeVote(h.now.Add(6 * time.Second))
	h.eng.mu.Unlock()
	last := h.decisions[len(h.decisions)-1]
	if last.Platform != "vote" || last.Outcome != Dropped || last.Reason != ReasonQueueFull {
		t.Fatalf("last decision %+v, want the winner dropped as queue_full", last)
	}
}
