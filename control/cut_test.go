package control

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/config"
)

// holdQueue keeps the queue from moving: nothing is released for an hour.
func (h *harness) holdQueue() {
	h.eng.mu.Lock()
	h.eng.exec.pace = time.Hour
	h.eng.exec.released = h.now
	h.eng.mu.Unlock()
}

// told returns the decisions of one event after the first n, in order.
func (h *harness) told(n int, eventID string) []Decision {
	var out []Decision
	for _, d := range h.decisions[n:] {
		if d.EventID == eventID {
			out = append(out, d)
		}
	}
	return out
}

// TestPolicySwitchTellsEveryCutCommand: a moderator's 模式 最新 shrinks
// the queue to one place; every command cut from it is told, once, that
// the policy changed, and the first in line keeps its place.
func TestPolicySwitchTellsEveryCutCommand(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.holdQueue()
	var queued []Decision
	for _, u := range []string{"2", "3", "4", "5"} {
		d := h.say(u, "左", nil)
		want(t, d, Accepted, ReasonQueued)
		queued = append(queued, d)
	}
	n := len(h.decisions)
	want(t, h.say("1", "模式 最新", mod), Accepted, ReasonPolicy)
	st := h.eng.Status(h.now)
	if st.QueueLen != 1 || st.Waiting[0].UserName != "u2" {
		t.Fatalf("waiting %+v, want u2's alone", st.Waiting)
	}
	if got := h.told(n, queued[0].EventID); len(got) != 0 {
		t.Fatalf("the kept command was told %+v", got)
	}
	for _, q := range queued[1:] {
		got := h.told(n, q.EventID)
		if len(got) != 1 || got[0].Outcome != Dropped || got[0].Reason != ReasonPolicy || got[0].Policy != PolicyLatest {
			t.Fatalf("%s's cut command was told %+v, want one policy drop naming latest", q.UserName, got)
		}
	}
	if c := st.Decisions["dropped:policy"]; c != 3 {
		t.Fatalf("dropped:policy counted %d, want 3", c)
	}
}

// TestPanelPolicySwitchTellsTheCutCommands: the panel's switch goes the
// same way as a moderator's.
func TestPanelPolicySwitchTellsTheCutCommands(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.holdQueue()
	for _, u := range []string{"2", "3", "4"} {
		want(t, h.say(u, "左", nil), Accepted, ReasonQueued)
	}
	n := len(h.decisions)
	if err := h.eng.SetPolicy(PolicyLatest); err != nil {
		t.Fatal(err)
	}
	if got := len(h.decisions) - n; got != 2 {
		t.Fatalf("%d decisions for 2 cut commands: %+v", got, h.decisions[n:])
	}
	for _, d := range h.decisions[n:] {
		want(t, d, Dropped, ReasonPolicy)
	}
}

// TestReloadShrinkTellsTheCutCommands: a reload that lowers
// play.queue_size drops the commands past the new size as queue_full,
// each told once, and the ones kept run.
func TestReloadShrinkTellsTheCutCommands(t *testing.T) {
	rules := strings.Replace(testRules, "user_cooldown: 2s", "user_cooldown: 0s", 1)
	h := newHarness(t, rules)
	h.holdQueue()
	var queued []Decision
	for _, u := range []string{"1", "2", "3", "4"} {
		d := h.say(u, "右", nil)
		want(t, d, Accepted, ReasonQueued)
		queued = append(queued, d)
	}
	f, err := config.Parse("new.yaml", []byte(strings.Replace(rules, "queue_size: 4", "queue_size: 2", 1)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	n := len(h.decisions)
	if err := h.eng.Reload(h.now, r); err != nil {
		t.Fatal(err)
	}
	for i, q := range queued {
		got := h.told(n, q.EventID)
		switch {
		case i < 2 && len(got) != 0:
			t.Fatalf("kept command %d told %+v", i, got)
		case i >= 2 && (len(got) != 1 || got[0].Outcome != Dropped || got[0].Reason != ReasonQueueFull):
			t.Fatalf("cut command %d told %+v, want one queue_full drop", i, got)
		}
	}
	h.run(5 * time.Second)
	final := map[string]Decision{}
	for _, d := range h.decisions {
		final[d.EventID] = d
	}
	for _, q := range queued {
		if d := final[q.EventID]; d.Reason == ReasonQueued {
			t.Fatalf("event %s was left queued: %+v", q.EventID, d)
		}
	}
}

// TestShrinkKeepsPaidJobsFirst: when the queue shrinks, jobs bought with
// a gift keep their places ahead of ordinary ones, wherever they stood;
// the order of the kept jobs is unchanged.
func TestShrinkKeepsPaidJobsFirst(t *testing.T) {
	mk := func(name string, prio bool) job { return job{dec: Decision{EventID: name}, priority: prio} }
	for _, c := range []struct {
		queue []job
		cap   int
		keep  string
		cut   string
	}{
		{[]job{mk("a", false), mk("b", false), mk("P", true)}, 1, "P", "ab"},
		{[]job{mk("a", false), mk("P", true), mk("b", false), mk("Q", true)}, 3, "aPQ", "b"},
		{[]job{mk("P", true), mk("Q", true), mk("R", true)}, 2, "PQ", "R"},
		{[]job{mk("a", false), mk("b", false)}, 4, "ab", ""},
	} {
		x := executor{queue: c.queue}
		cut := x.shrink(c.cap)
		var keep, gone string
		for _, j := range x.queue {
			keep += j.dec.EventID
		}
		for _, j := range cut {
			gone += j.dec.EventID
		}
		if keep != c.keep || gone != c.cut {
			t.Errorf("cap %d: kept %q cut %q, want %q and %q", c.cap, keep, gone, c.keep, c.cut)
		}
	}
}
