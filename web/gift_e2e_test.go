package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// TestBrowserGiftThanksIsBrief: a gift's thanks is a thank-you of a few
// seconds, not a record of the credit it bought (an hour with the shipped
// credit_for, used up meanwhile); a long name or gift takes four lines at
// most; and a cattease restarted without the gift in its feed takes the
// thanks down, while one whose feed still holds it keeps it.
func TestBrowserGiftThanksIsBrief(t *testing.T) {
	ctx := browser(t)
	// Dated a minute ahead, so that only a restart can take this thanks
	// down while the test runs.
	long := control.Decision{Time: time.Now().Add(time.Minute), EventID: "g1", Platform: "bilibili",
		UserName: strings.Repeat("W", 200), Outcome: control.Accepted, Reason: control.ReasonGift,
		Until: time.Now().Add(time.Hour), Grant: &control.Grant{Gift: strings.Repeat("长", 200), Count: 10, Priority: 3, Extra: 2}}
	url, s, _, stop := servePanel(t, "127.0.0.1:0", testToken, nil)
	s.Decision(long)
	viewport(t, ctx, 1920, 1080, false)
	open(t, ctx, url+"/overlay?preview=1")
	until(t, ctx, "the thanks", `!document.getElementById("gift").hidden`)
	size, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
		const box = document.getElementById("gift").getBoundingClientRect(), name = document.querySelector("#gift .user").getBoundingClientRect();
		return (box.height / rem).toFixed(1) + " " + (name.width / rem).toFixed(1) + " " + (name.height / rem).toFixed(1);
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	var h, nameW, nameH float64
	if _, err := fmt.Sscan(size, &h, &nameW, &nameH); err != nil || h > 7 || nameW > 12.1 || nameH > 1.7 {
		t.Errorf("the thanks of a 200-character name for a 200-character gift: %q rem (banner height, name width and height), want ≤ 7, ≤ 12, one line", size)
	}
	until(t, ctx, "the long name inside its banner", inside("#gift"))

	// Restarted with the gift in its feed: the thanks stays.
	stop()
	until(t, ctx, "offline", `document.body.dataset.conn === "offline"`)
	addr := strings.TrimPrefix(url, "http://")
	_, s, _, stop = servePanel(t, addr, testToken, nil)
	s.Decision(long)
	until(t, ctx, "back online", `document.body.dataset.conn === "online"`)
	seq, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`Number(document.body.dataset.seq)`))
	until(t, ctx, "two frames later", `Number(document.body.dataset.seq) >= `+fmt.Sprint(seq+2))
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("gift").hidden`)); hidden {
		t.Error("a server whose feed holds the gift took its thanks down")
	}

	// Restarted without it: the thanks goes.
	stop()
	until(t, ctx, "offline again", `document.body.dataset.conn === "offline"`)
	_, s, _, _ = servePanel(t, addr, testToken, nil)
	until(t, ctx, "the thanks gone after a restart", `document.body.dataset.conn === "online" && document.getElementById("gift").hidden`)

	// A gift 9 s old whose credit lasts an hour: thanked for a few seconds more.
	s.Decision(control.Decision{Time: time.Now().Add(-9 * time.Second), EventID: "g2", Platform: "bilibili", UserName: "猫奴",
		Outcome: control.Accepted, Reason: control.ReasonGift, Until: time.Now().Add(time.Hour),
		Grant: &control.Grant{Gift: "小心心", Count: 10, Priority: 3}})
	until(t, ctx, "the new thanks", `!document.getElementById("gift").hidden && document.getElementById("gift").textContent.includes("猫奴")`)
	if txt, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("gift").textContent`)); strings.Contains(txt, "还剩") {
		t.Errorf("the thanks %q counts the credit down", txt)
	}
	until(t, ctx, "the thanks over, 12 s after the gift", `document.getElementById("gift").hidden`)
}
