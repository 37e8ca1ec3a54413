package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// roomMade records what the engine decides on its own, as it names them:
// a vote's result and a policy switch under platform and user "vote", the
// streamer's panel actions under "panel" (control/vote.go, moderate.go,
// state.go).
func roomMade(s *Server) {
	now := time.Now()
	d := func(id, plat, rule string, x control.Decision) control.Decision {
		x.Time, x.EventID, x.Platform, x.UserName, x.Rule, x.Outcome = now, id, plat, plat, rule, control.Accepted
		return x
	}
	s.Decision(d("panel-1", "panel", "left", control.Decision{Text: "left", Reason: control.ReasonRan, Repeat: 1}))
	s.Decision(d("panel-2", "panel", "timeout", control.Decision{Text: "timeout 小黑", Target: "小黑", Reason: control.ReasonModeration}))
	s.Decision(d("meter-1", "vote", "policy", control.Decision{Policy: control.PolicyVote, Reason: control.ReasonPolicy}))
	s.Decision(d("vote-1", "vote", "left", control.Decision{Text: "3/5", Reason: control.ReasonRan, Repeat: 1}))
}

// feedRows is JavaScript: the overlay's feed, a row a line, its parts
// joined by "|", without the isolate marks around a target.
const feedRows = `[...document.querySelectorAll("#feed .item")].map((li) =>
	[...li.children].map((e) => e.textContent.replace(/[\u2068\u2069]/g, "")).join("|")).join("\n")`

// TestBrowserRoomDecisionsNamedByPlatform: a vote's result, a policy
// switch and the streamer's panel actions are shown as 投票 / 主播 alone,
// never by the engine's internal names (vote, panel, policy), on the
// overlay's feed and last move and in the panel's log, in both languages.
func TestBrowserRoomDecisionsNamedByPlatform(t *testing.T) {
	ctx := browser(t)
	s, _, _, ts := browserServer(t)
	viewport(t, ctx, 1920, 1080, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")
	roomMade(s)
	until(t, ctx, "the four in the feed", `document.querySelectorAll("#feed .item").length === 4`)
	want := strings.Join([]string{"投票|← 左|已执行", "投票|投票模式|模式已切换", "主播|禁言 → 小黑|房管操作", "主播|← 左|已执行"}, "\n")
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](feedRows)); err != nil || got != want {
		t.Errorf("the feed:\n%s\n(%v), want\n%s", got, err, want)
	}
	last, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".last").textContent.replace(/\s+/g, " ")`))
	if last != "最后操作 投票 ← 左" {
		t.Errorf("the last move %q, want 最后操作 投票 ← 左", last)
	}

	open(t, ctx, ts.URL+"/overlay?preview=1&lang=en")
	until(t, ctx, "the English feed", `document.querySelectorAll("#feed .item").length === 4`)
	want = strings.Join([]string{"vote|← left|done", "vote|Vote mode|mode changed", "streamer|time out → 小黑|moderation", "streamer|← left|done"}, "\n")
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](feedRows)); err != nil || got != want {
		t.Errorf("the English feed:\n%s\n(%v), want\n%s", got, err, want)
	}

	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel", `document.body.dataset.auth === "yes" && document.body.dataset.conn === "online"`)
	roomMade(s) // the log shows what comes while it is open (and the engine's recent, none here)
	until(t, ctx, "the log", `document.querySelectorAll("#audit tbody tr").length === 4`)
	want = strings.Join([]string{"投票|← 左 · 3/5|✓ 已执行", "投票|投票模式|✓ 模式已切换", "主播|禁言 → 小黑|✓ 房管操作", "主播|← 左|✓ 已执行"}, "\n")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#audit tbody tr")].map((tr) =>
		[...tr.cells].slice(1).map((c) => c.textContent).join("|")).join("\n")`))
	if err != nil || got != want {
		t.Errorf("the panel's log:\n%s\n(%v), want\n%s", got, err, want)
	}
}
