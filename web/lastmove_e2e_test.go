package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// TestBrowserLastMoveLongName: a long name on the overlay's last move is
// cut short like the feed's names, and the command after it shows.
func TestBrowserLastMoveLongName(t *testing.T) {
	ctx := browser(t)
	s, _, _, ts := browserServer(t)
	viewport(t, ctx, 1280, 720, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")
	s.Decision(control.Decision{Time: time.Now(), EventID: "1", Platform: "bilibili", UserName: strings.Repeat("W", 60),
		Rule: "left", Repeat: 3, Outcome: control.Accepted, Reason: control.ReasonRan})
	until(t, ctx, "the last move", `document.getElementById("last-cmd").textContent === "← 左 ×3 · B站"`)
	seen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const line = document.querySelector(".last").getBoundingClientRect(), cmd = document.getElementById("last-cmd").getBoundingClientRect();
		return cmd.left >= line.left && cmd.right <= line.right + 1 ? "shown" : "cut: " + JSON.stringify([line.left, line.right, cmd.left, cmd.right]);
	})()`))
	if err != nil || seen != "shown" {
		t.Errorf("the command after a 60-character name: %s (%v)", seen, err)
	}
}
