package web

import (
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPanelFollowsTheServer: the panel's pattern buttons and their
// labels follow a reload of rules.yaml and a server that comes back with
// other rules; while the stream is gone its state chips are dimmed, as
// the last known state; a policy the engine refuses does not stay in the
// select.
func TestBrowserPanelFollowsTheServer(t *testing.T) {
	ctx := browser(t)
	var labels atomic.Pointer[map[string]Label]
	labels.Store(&map[string]Label{})
	url, _, _, stop := servePanel(t, "127.0.0.1:0", testToken, func(s *Server, eng *fakeEngine) {
		s.Labels = func() map[string]Label { return *labels.Load() }
		s.Reload = func() ([]string, error) {
			eng.setCommands("left", "circle", "zigzag", "stop")
			labels.Store(&map[string]Label{"circle": {Zh: "转圈圈", En: "Spin"}})
			return []string{"hardware", "safety"}, nil
		}
	})
	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/panel?lang=en#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the first rules' buttons", `document.body.dataset.auth === "yes" &&
		document.querySelector("[data-pattern=circle]") !== null && document.querySelector("[data-pattern=zigzag]") === null`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("reload"))); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the reloaded rules' buttons and labels", `document.querySelector("[data-pattern=zigzag]") !== null &&
		document.querySelector("[data-pattern=circle]").textContent === "Spin"`)
	// The file also changed sections read only at start: the panel says
	// they wait for a restart, not a plain ok.
	until(t, ctx, "the sections that wait for a restart", `document.getElementById("msg").textContent ===
		"Reload config: done\nThese sections take effect after a restart (the running ones stay): hardware, safety"`)

	stop()
	until(t, ctx, "the state dimmed while offline", `document.body.dataset.conn === "offline" &&
		Number(getComputedStyle(document.getElementById("state")).opacity) < 0.5`)
	servePanel(t, url[len("http://"):], testToken, func(s *Server, eng *fakeEngine) {
		eng.setCommands("left", "wiggle", "stop")
		eng.refuse = "fair"
	})
	until(t, ctx, "the restarted server's buttons", `document.body.dataset.conn === "online" &&
		Number(getComputedStyle(document.getElementById("state")).opacity) === 1 &&
		document.querySelector("[data-pattern=wiggle]") !== null && document.querySelector("[data-pattern=zigzag]") === null`)

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const sel = document.getElementById("policy");
		sel.focus(); sel.value = "fair"; sel.dispatchEvent(new Event("change")); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the refused policy taken back", `document.getElementById("msg").textContent.startsWith("Play policy: failed (400)") &&
		document.activeElement === document.getElementById("policy") && document.getElementById("policy").value === "queue"`)
}

// TestBrowserPanelFollowsAReloadItDidNotMake: when rules.yaml is saved (it
// is reloaded within seconds) or cattease gets SIGHUP, the rules change
// without the panel's reload button; its buttons follow within a frame or
// two: a new command gets its button, a removed one loses it, and a new
// label shows.
func TestBrowserPanelFollowsAReloadItDidNotMake(t *testing.T) {
	ctx := browser(t)
	var labels atomic.Pointer[map[string]Label]
	labels.Store(&map[string]Label{})
	var eng *fakeEngine
	url, _, _, _ := servePanel(t, "127.0.0.1:0", testToken, func(s *Server, e *fakeEngine) {
		s.Labels = func() map[string]Label { return *labels.Load() }
		eng = e
	})
	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/panel?lang=en#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the first rules' buttons", `document.body.dataset.auth === "yes" &&
		document.querySelector("[data-pattern=left]") !== null && document.querySelector("[data-pattern=circle]") !== null`)
	// What watchRules does when the streamer saves rules.yaml: new rules in the engine, nothing from the panel.
	eng.setCommands("circle", "zigzag", "stop")
	labels.Store(&map[string]Label{"circle": {Zh: "转圈圈", En: "Spin"}})
	until(t, ctx, "the new rules' buttons", `document.querySelector("[data-pattern=zigzag]") !== null &&
		document.querySelector("[data-pattern=left]") === null &&
		document.querySelector("[data-pattern=circle]").textContent === "Spin"`)
}
