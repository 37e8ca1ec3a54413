package control

import (
	"strings"
	"testing"
	"time"
)

// TestReloadKeepsAnOpenVoteTrue: a vote window open across a reload that
// moves the commands in the list charges, when it closes, the cooldowns
// of the commands voted for, not of whatever took their places.
func TestReloadKeepsAnOpenVoteTrue(t *testing.T) {
	yaml := strings.Replace(roomYAML, "policy: queue", "policy: vote", 1)
	h := newHarness(t, yaml)
	want(t, h.say("2", "左", nil), Accepted, ReasonVoted)
	want(t, h.say("3", "左", nil), Accepted, ReasonVoted)
	moved := strings.Replace(yaml, "commands:\n",
		"commands:\n  - {name: wave, aliases: [挥手], do: {move: pan, by: 3°}, cooldown: 1h}\n", 1)
	if err := h.eng.Reload(h.now, compileText(t, moved)); err != nil {
		t.Fatal(err)
	}
	h.run(6 * time.Second)
	want(t, h.lastOf("left"), Accepted, ReasonRan)
	want(t, h.say("4", "挥手", nil), Accepted, ReasonVoted)
	h.run(6 * time.Second)
	if d := h.lastOf("wave"); d.Reason != ReasonVoteWon && d.Reason != ReasonRan {
		t.Fatalf("the wave voted for: %s/%s, want it run (its cooldown untouched)", d.Outcome, d.Reason)
	}
}

// TestReloadOutOfVoteAbandonsTheWindow: a reload whose policy is not vote
// ends an open window without a winner, as a switch of policy does.
func TestReloadOutOfVoteAbandonsTheWindow(t *testing.T) {
	yaml := strings.Replace(roomYAML, "policy: queue", "policy: vote", 1)
	h := newHarness(t, yaml)
	want(t, h.say("2", "左", nil), Accepted, ReasonVoted)
	if err := h.eng.Reload(h.now, compileText(t, roomYAML)); err != nil {
		t.Fatal(err)
	}
	n := len(h.decisions)
	h.run(6 * time.Second)
	for _, d := range h.decisions[n:] {
		if d.Rule == "left" {
			t.Fatalf("the vote ran after the policy left vote: %+v", d)
		}
	}
	if st := h.eng.Status(h.now); st.Vote != nil {
		t.Fatalf("vote status %+v after the reload", st.Vote)
	}
}
