package control

import (
	"strings"
	"testing"
	"time"
)

// TestReloadResizesTheMutes: a reload that lowers max_timeouts bounds the
// mutes at once, keeping those that end last; one that raises it lets
// more be held.
func TestReloadResizesTheMutes(t *testing.T) {
	yaml := strings.Replace(roomYAML, "  min_level: 0\n", "  min_level: 0\n  max_timeouts: 3\n", 1)
	h := newHarness(t, yaml)
	for i, u := range []string{"u2", "u3", "u4"} {
		want(t, h.say("1", "禁言 "+u+" "+string(rune('1'+i))+"m", mod), Accepted, ReasonModeration)
	}
	if err := h.eng.Reload(h.now, compileText(t, strings.Replace(yaml, "max_timeouts: 3", "max_timeouts: 2", 1))); err != nil {
		t.Fatal(err)
	}
	if n := h.eng.Status(h.now).Timeouts; n != 2 {
		t.Fatalf("%d mutes after the reload, want 2", n)
	}
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued) // the soonest to end went
	want(t, h.say("3", "左", nil), Dropped, ReasonTimeout)
	if err := h.eng.Reload(h.now, compileText(t, strings.Replace(yaml, "max_timeouts: 3", "max_timeouts: 5", 1))); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"u5", "u6", "u7"} {
		want(t, h.say("1", "禁言 "+u, mod), Accepted, ReasonModeration)
	}
	if n := h.eng.Status(h.now.Add(time.Second)).Timeouts; n != 5 {
		t.Fatalf("%d mutes, want the 5 max_timeouts now holds", n)
	}
}
