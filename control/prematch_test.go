package control

import (
	"strings"
	"testing"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
)

// TestPrematchHoldsOnlyForItsRules: replay's reader matches chat ahead of
// the engine; the engine takes that answer only when it was found with
// the rules in force, and matches again after a reload.
func TestPrematchHoldsOnlyForItsRules(t *testing.T) {
	h := newHarness(t, testRules)
	text := strings.Replace(testRules, "aliases: [左, left]", "aliases: [left]", 1)
	swapped := compileText(t, strings.Replace(text, "aliases: [右, right]", "aliases: [右, 左, right]", 1))
	ev := func(id, text string) *danmu.Event {
		return &danmu.Event{Platform: "test", Kind: danmu.KindChat, ID: id, Time: h.now,
			User: danmu.User{ID: id, Name: "u" + id, Role: danmu.RoleViewer}, Text: text}
	}

	var pm prematch
	pm.find(swapped, "左") // 左 is right under the swapped rules
	if !pm.ok || pm.req.rule != "right" {
		t.Fatalf("swapped rules matched 左 as %q (%v)", pm.req.rule, pm.ok)
	}
	if d := h.eng.handle(h.now, ev("1", "左"), &pm); d.Rule != "left" {
		t.Errorf("a prematch from other rules decided %q, want the engine's own left", d.Rule)
	}

	h.eng.mu.Lock()
	rules := h.eng.rules
	h.eng.mu.Unlock()
	pm.find(rules, "你好")
	if d := h.eng.handle(h.now, ev("2", "你好"), &pm); d.Outcome != Ignored {
		t.Errorf("chat decided as %v/%v", d.Outcome, d.Reason)
	}
	pm.find(rules, "右")
	if d := h.eng.handle(h.now, ev("3", "右"), &pm); d.Rule != "right" || d.Outcome != Accepted {
		t.Errorf("a prematch from the engine's rules: %q %v/%v", d.Rule, d.Outcome, d.Reason)
	}

	if err := h.eng.Reload(h.now, swapped); err != nil {
		t.Fatal(err)
	}
	pm.find(rules, "左") // found with the rules before the reload
	if d := h.eng.handle(h.now, ev("4", "左"), &pm); d.Rule != "right" {
		t.Errorf("after a reload a stale prematch decided %q, want right", d.Rule)
	}
}

// compileText compiles rules from YAML text, failing tb on any error.
func compileText(tb testing.TB, yaml string) *Rules {
	tb.Helper()
	f, err := config.Parse("test.yaml", []byte(yaml))
	if err != nil {
		tb.Fatal(err)
	}
	r, err := Compile(f)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
