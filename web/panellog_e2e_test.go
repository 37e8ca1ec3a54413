package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// TestBrowserPanelLogFlood: 40 chat lines at once, a microsecond apart
// (all in one of the browser's milliseconds), the last 20 also in the
// engine's recent as the engine keeps them. The panel's log shows the 30
// newest, newest first, whatever order the frame's recent and decisions
// brought them in; a command that ran later keeps its place and its
// first time.
func TestBrowserPanelLogFlood(t *testing.T) {
	ctx := browser(t)
	s, eng, _, ts := browserServer(t)
	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel", `document.body.dataset.auth === "yes" && document.body.dataset.conn === "online"`)

	base := time.Now().Truncate(time.Millisecond)
	var ds []control.Decision
	for i := 1; i <= 40; i++ {
		d := control.Decision{Time: base.Add(time.Duration(i) * time.Microsecond), EventID: fmt.Sprint("c-", i), Platform: "console",
			UserName: fmt.Sprintf("u%02d", i), Text: "左", Rule: "left", Outcome: control.Dropped, Reason: control.ReasonRateGlobal}
		if i == 15 {
			d.Outcome, d.Reason = control.Accepted, control.ReasonQueued
		}
		ds = append(ds, d)
	}
	st := eng.Status(time.Now())
	st.Recent = ds[20:] // the engine's recent holds each decision before the page is told of it
	eng.setStatus(st)
	for _, d := range ds {
		s.Decision(d)
	}
	ran := ds[14]
	ran.Time, ran.Reason = base.Add(2*time.Second), control.ReasonRan
	st.Recent = slices.Concat(ds[21:], []control.Decision{ran})
	eng.setStatus(st)
	s.Decision(ran)

	const rows = `[...document.querySelectorAll("#audit tbody tr")].map((tr) => tr.cells[1].textContent.slice(4)).join(" ")`
	var want []string
	for i := 40; i > 10; i-- {
		want = append(want, fmt.Sprintf("u%02d", i))
	}
	until(t, ctx, "u15 run", `document.querySelector("#audit tr[data-event='console:c-15']")?.dataset.reason === "ran"`)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](rows))
	if err != nil || got != strings.Join(want, " ") {
		t.Errorf("the log after a flood:\n%s\n(%v), want\n%s", got, err, strings.Join(want, " "))
	}
	first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#audit tr[data-event='console:c-15']").dataset.first`))
	if want := ds[14].Time.Format(time.RFC3339Nano); first != want {
		t.Errorf("u15's row says it came at %s, want its first decision's %s", first, want)
	}
}
