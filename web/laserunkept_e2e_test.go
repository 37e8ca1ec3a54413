package web

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLaserNotKept: the panel's warning that the laser switch is
// not kept on disk comes from the frames (laser_unkept), under the laser
// buttons, on a phone without scrolling: it shows after a forbid whose
// save failed, goes once the engine's retry saves it, is there again
// after a reload, and an allow whose file could not be removed says a
// restart would forbid the laser again, not that it would lose the
// allow. Before, only the button's answer said so, in the message line
// below the fold, until the next action.
func TestBrowserLaserNotKept(t *testing.T) {
	ctx := browser(t)
	_, eng, _, ts := browserServer(t)
	viewport(t, ctx, 412, 1000, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=en#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel", `document.body.dataset.auth === "yes" && document.body.dataset.conn === "online" &&
		document.getElementById("laser-unkept").hidden`)

	eng.setUnkept("forbid") // the save of the forbid fails
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("laser-off"))); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the warning of a forbid not kept", `(() => {
		const w = document.getElementById("laser-unkept");
		return !w.hidden && w.textContent.includes("a restart now would allow the laser again") &&
			document.getElementById("msg").textContent === "Laser: done";
	})()`)
	// Under the buttons, in sight on the phone with the page at its top.
	until(t, ctx, "the warning beside the buttons", `(() => {
		window.scrollTo(0, 0);
		const w = document.getElementById("laser-unkept").getBoundingClientRect();
		const b = document.getElementById("laser-off").getBoundingClientRect();
		return w.height > 0 && w.top >= b.bottom && w.top - b.bottom < 30 && w.bottom <= window.innerHeight;
	})()`)

	eng.setUnkept("") // the engine's retry saves it
	until(t, ctx, "the warning gone once kept", `document.getElementById("laser-unkept").hidden &&
		document.getElementById("laser-unkept").textContent === ""`)

	// An allow whose file cannot be removed: a restart would forbid the
	// laser again. A reload still shows it, in Chinese too.
	eng.setUnkept("allow")
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the warning of an allow not kept, after a reload", `(() => {
		const w = document.getElementById("laser-unkept");
		return document.body.dataset.auth === "yes" && !w.hidden && w.dataset.lost === "allow" &&
			w.textContent.includes("现在重启会重新禁止激光") && !w.textContent.includes("丢掉");
	})()`)
	eng.setUnkept("")
	until(t, ctx, "the warning gone", `document.getElementById("laser-unkept").hidden`)
}
