package control

import (
	"strings"
	"testing"
	"time"
)

// napRules adds 歇, a sequence that moves and then waits five seconds,
// and 停顿, one that waits between two moves.
var napRules = strings.Replace(testRules, "  - {name: stop,",
	"  - {name: nap, aliases: [歇], do: {sequence: nap}}\n"+
		"  - {name: pause2, aliases: [停顿], do: {sequence: pause2}}\n  - {name: stop,", 1) +
	"  nap:\n    - {move: pan, to: 10°}\n    - {wait: 5s}\n" +
	"  pause2:\n    - {move: pan, to: 10°}\n    - {wait: 5s}\n    - {move: pan, to: 0°}\n"

// TestTrailingWaitIsTold: a sequence ending in a wait is told it ran when
// its last wait begins, every step having been sent, and an emergency
// stop during that wait leaves it so: it ran. A stop during a wait with
// steps still to come tells the command it was stopped.
func TestTrailingWaitIsTold(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // what the command is told after it is queued
	}{
		{"歇", []string{"accepted/ran"}},
		{"停顿", []string{"dropped/stopped"}},
	} {
		t.Run(c.text, func(t *testing.T) {
			h := newHarness(t, napRules)
			d := h.say("2", c.text, nil)
			want(t, d, Accepted, ReasonQueued)
			n := len(h.decisions)
			h.run(time.Second) // into the five-second wait
			h.say("1", "停", mod)
			h.run(10 * time.Second)
			var got []string
			for _, x := range h.told(n, d.EventID) {
				got = append(got, string(x.Outcome)+"/"+string(x.Reason))
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Fatalf("%s was told %v, want %v", c.text, got, c.want)
			}
		})
	}
}

// TestTrailingWaitRunsToTheEnd: a sequence ending in a wait is told it
// ran once, and holds its turn through the wait: the next command starts
// after it.
func TestTrailingWaitRunsToTheEnd(t *testing.T) {
	h := newHarness(t, napRules)
	d := h.say("2", "歇", nil)
	next := h.say("3", "左", nil)
	n := len(h.decisions)
	h.run(3 * time.Second)
	if told := h.told(n, next.EventID); len(told) != 0 {
		t.Fatalf("the next command was told %+v during the wait", told)
	}
	h.run(5 * time.Second)
	told := h.told(n, d.EventID)
	if len(told) != 1 {
		t.Fatalf("歇 was told %+v, want ran once", told)
	}
	want(t, told[0], Accepted, ReasonRan)
	if told := h.told(n, next.EventID); len(told) != 1 || told[0].Reason != ReasonRan {
		t.Fatalf("the next command was told %+v, want ran", told)
	}
}
