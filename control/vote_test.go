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
