package control

import (
	"testing"
	"time"
)

// TestComboRepeatsNoMoreThanMaxRepeat: a combo repeats a command no more
// than one message of its own may (max_repeat): 画圈+画圈+画圈 is 画圈3,
// which a max_repeat of 1 does not allow, and 左3+左3 is 左6, past the
// default cap of 5. Within the caps the parts run; a sequence or a
// switch may be a part, as everything the rig plays may.
func TestComboRepeatsNoMoreThanMaxRepeat(t *testing.T) {
	h := newHarness(t, roomYAML)
	for i, c := range []struct {
		text   string
		reason string
	}{
		{"画圈+画圈+画圈", string(ReasonCombo)},
		{"画圈+画圈", string(ReasonCombo)},
		{"左3+左3", string(ReasonCombo)},
		{"左3+右+左2", string(ReasonQueued)},
		{"画圈+左", string(ReasonQueued)},
	} {
		user := string(rune('a' + i))
		d := h.say(user, c.text, nil)
		if string(d.Reason) != c.reason {
			t.Errorf("%q: %s/%s (combo %s), want %s", c.text, d.Outcome, d.Reason, d.Combo, c.reason)
		}
		h.run(5 * time.Second)
	}
	n := 0
	for _, d := range h.decisions {
		if d.Rule == "circle+left" && d.Reason == ReasonRan {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("画圈+左 ran %d times, want once", n)
	}
}
