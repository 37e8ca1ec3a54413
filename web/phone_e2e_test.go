package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// TestBrowserPanelOnAPhone: on a phone 390 px wide, a long unbroken name
// and message in the log, and a long name in the 包场 chip, wrap: the
// panel is never wider than the screen.
func TestBrowserPanelOnAPhone(t *testing.T) {
	ctx := browser(t)
	s, eng, _, ts := browserServer(t)
	viewport(t, ctx, 390, 844, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel", `document.body.dataset.auth === "yes" && document.body.dataset.conn === "online"`)
	st := eng.Status(time.Now())
	st.Exclusive = &control.ExclusiveStatus{UserName: strings.Repeat("Z", 64), Platform: "bilibili", Until: time.Now().Add(time.Hour), By: "gift"}
	eng.setStatus(st)
	s.Decision(control.Decision{Time: time.Now(), EventID: "1", Platform: "bilibili", UserName: strings.Repeat("X", 64),
		Text: "左" + strings.Repeat("啊", 150), Rule: "left", Outcome: control.Accepted, Reason: control.ReasonRan})
	s.Decision(control.Decision{Time: time.Now(), EventID: "2", Platform: "bilibili", UserName: "房管",
		Text: "禁言 " + strings.Repeat("Y", 60), Rule: "mute", Target: strings.Repeat("Y", 60), Outcome: control.Dropped, Reason: "no_target"})
	until(t, ctx, "the rows and the chip", `document.querySelectorAll("#audit tbody tr").length === 2 && document.getElementById("exclusive-chip") !== null`)
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const out = [document.documentElement.scrollWidth, document.getElementById("audit").getBoundingClientRect().right,
			document.getElementById("exclusive-chip").getBoundingClientRect().right].filter((x) => x > 390.5);
		return out.map(Math.round).join(" ");
	})()`))
	if err != nil || wide != "" {
		t.Errorf("on a 390 px phone: the page, the log or the chip reach %s px (%v)", wide, err)
	}
}
