package web

import (
	"encoding/json"
	"sync/atomic"
	"testing"
)

// TestCommandsTag: every frame carries the tag of the panel's commands,
// the same as GET /api/commands gives with them; it stays while they do
// and changes when a reload changes a command or a label.
func TestCommandsTag(t *testing.T) {
	s, eng, _ := newTestServer("")
	var labels atomic.Pointer[map[string]Label]
	labels.Store(&map[string]Label{"circle": {Zh: "转圈", En: "Circle"}})
	s.Labels = func() map[string]Label { return *labels.Load() }
	h := s.Handler()
	tags := func() (frame, list string) {
		t.Helper()
		var f Frame
		if err := json.Unmarshal(s.frame(1, nil, 0), &f); err != nil {
			t.Fatal(err)
		}
		var l commandList
		if err := json.Unmarshal(do(t, h, "GET", "/api/commands", "").Body.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if f.CommandsTag == "" || f.CommandsTag != l.Tag {
			t.Fatalf("frame's tag %q, /api/commands' %q: want one, not empty", f.CommandsTag, l.Tag)
		}
		return f.CommandsTag, l.Tag
	}
	first, _ := tags()
	if again, _ := tags(); again != first {
		t.Fatalf("the tag changed from %q to %q with nothing reloaded", first, again)
	}
	seen := map[string]string{first: "the first rules"}
	for _, c := range []struct {
		what   string
		change func()
	}{
		{"a command added", func() { eng.setCommands("left", "circle", "zigzag", "stop") }},
		{"a command removed", func() { eng.setCommands("circle", "zigzag", "stop") }},
		{"the order changed", func() { eng.setCommands("zigzag", "circle", "stop") }},
		{"a label changed", func() { labels.Store(&map[string]Label{"circle": {Zh: "转圈圈", En: "Spin"}}) }},
		{"a label dropped", func() { labels.Store(&map[string]Label{}) }},
	} {
		c.change()
		tag, _ := tags()
		if was, ok := seen[tag]; ok {
			t.Errorf("%s: tag %q, as for %s", c.what, tag, was)
		}
		seen[tag] = c.what
	}
}
