package control

import (
	"strings"
	"testing"
)

// TestComboFullWidthSeparator: a Chinese input method types ＋ for +;
// 左3＋右2 is the combo 左3+右2, not 左3 with the rest dropped, and a
// separator configured full-width takes the half-width one too.
func TestComboFullWidthSeparator(t *testing.T) {
	for _, c := range []struct{ sep, text string }{
		{`"+"`, "左3＋右2"},
		{`"+"`, "左3+右2"},
		{`"＋"`, "左3+右2"},
		{`"＋"`, "左3＋右2"},
	} {
		h := newHarness(t, strings.Replace(roomYAML, `separator: "+"`, "separator: "+c.sep, 1))
		d := h.say("2", c.text, nil)
		want(t, d, Accepted, ReasonQueued)
		if d.Combo != "left×3+right×2" || d.Repeat != 5 {
			t.Errorf("separator %s, %q: combo %q ×%d, want left×3+right×2 ×5", c.sep, c.text, d.Combo, d.Repeat)
		}
	}
}
