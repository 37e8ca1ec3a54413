package web

import (
	"encoding/json"
	"testing"

	"github.com/cattease/cattease/control"
)

// pageDecision is a decision as a page reads it from a frame.
type pageDecision struct {
	Key      string `json:"key"`
	EventID  string `json:"event_id"`
	Platform string `json:"platform"`
	UserName string `json:"user_name"`
	Reason   string `json:"reason"`
}

// TestDecisionsWithoutAnIDNeverMatch: Douyu's gifts come without an event
// ID. Each keeps its own line in the feed, under a key of its own in the
// feed and in the frame's decisions alike, and a later refusal without an
// ID replaces none of them; a command with an ID that was queued and then
// ran is still one line, under one key.
func TestDecisionsWithoutAnIDNeverMatch(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	gift := func(user string) control.Decision {
		return control.Decision{Time: t0, Platform: "douyu", UserName: user, Outcome: control.Accepted,
			Reason: control.ReasonGift, Grant: &control.Grant{Gift: "鱼丸", Count: 1}}
	}
	s.Decision(gift("阿花"))
	s.Decision(gift("小鱼"))
	s.Decision(control.Decision{Time: t0, Platform: "douyu", UserName: "小黑", Rule: "left",
		Outcome: control.Dropped, Reason: control.ReasonCooldownUser})
	s.Decision(control.Decision{Time: t0, EventID: "7", Platform: "bilibili", UserName: "猫奴", Rule: "left",
		Outcome: control.Accepted, Reason: control.ReasonQueued})
	s.Decision(control.Decision{Time: t0, EventID: "7", Platform: "bilibili", UserName: "猫奴", Rule: "left",
		Outcome: control.Accepted, Reason: control.ReasonRan})

	s.hub.mu.Lock()
	batch := keyed(s.hub.batch)
	s.hub.mu.Unlock()
	var f struct {
		Feed      []pageDecision `json:"feed"`
		Decisions []pageDecision `json:"decisions"`
	}
	if err := json.Unmarshal(s.frame(1, batch, 0), &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Feed) != 3 || f.Feed[0].Reason != "ran" || f.Feed[1].UserName != "小鱼" || f.Feed[2].UserName != "阿花" {
		t.Fatalf("feed %+v, want 猫奴's ran, then both gifts", f.Feed)
	}
	if len(f.Decisions) != 5 {
		t.Fatalf("decisions %+v", f.Decisions)
	}
	keys := map[string]bool{}
	for _, d := range f.Decisions[:4] {
		if d.Key == "" || keys[d.Key] {
			t.Fatalf("decision %+v: key empty or taken: %+v", d, f.Decisions)
		}
		keys[d.Key] = true
	}
	if f.Decisions[4].Key != f.Decisions[3].Key || f.Decisions[3].Key != "e:bilibili:7" {
		t.Errorf("a queued command and its run: keys %q and %q, want e:bilibili:7 both", f.Decisions[3].Key, f.Decisions[4].Key)
	}
	for i, want := range []pageDecision{f.Decisions[4], f.Decisions[1], f.Decisions[0]} {
		if f.Feed[i].Key != want.Key {
			t.Errorf("feed[%d] key %q, its decision's %q", i, f.Feed[i].Key, want.Key)
		}
	}

	// A page left open across a restart meets a new process's numbers.
	again, _, _ := newTestServer(testToken)
	again.Decision(gift("阿花"))
	if k := again.hub.feed.list()[0].Key; k == f.Decisions[0].Key {
		t.Errorf("the first gift after a restart has the key %q of the first before", k)
	}
}
