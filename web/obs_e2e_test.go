package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// labelsOf gives a server the labels of a loaded rules.yaml, as
// cmd/cattease does.
func labelsOf(t *testing.T, f *config.File) func() map[string]Label {
	t.Helper()
	m := map[string]Label{}
	for name, l := range f.Labels() {
		m[name] = Label{Zh: l.Zh, En: l.En}
	}
	if m["wand_tease"] != (Label{Zh: "逗猫棒", En: "Wand"}) {
		t.Fatalf("testdata/rules.yaml: wand_tease has label %+v", m["wand_tease"])
	}
	return func() map[string]Label { return m }
}

// roomStatus is a busy room in queue mode: four waiting, the first with a
// place bought by a gift, the laser cooling down, the policy meter low.
func roomStatus(now time.Time) control.Status {
	return control.Status{Policy: control.PolicyQueue, QueueLen: 4, QueueCap: 16, Timeouts: 2,
		Cooldowns: map[string]time.Duration{"laser": 3 * time.Second},
		Waiting: []control.Waiting{
			{Position: 1, UserName: "猫奴", Platform: "bilibili", Rule: "left", Repeat: 3, Priority: true, ETA: 2 * time.Second},
			{Position: 2, UserName: "小鱼", Platform: "douyu", Rule: "wand_tease", ETA: 5 * time.Second},
			{Position: 3, UserName: "阿花", Platform: "bilibili", Rule: "circle", ETA: 9 * time.Second},
			{Position: 4, UserName: "江***", Platform: "bilibili", Rule: "right", ETA: 14 * time.Second}},
		Meter: &control.MeterStatus{Share: 0.35, Votes: 6, MinVotes: 5, Enter: 0.6, Leave: 0.4, Base: "queue", Cooldown: time.Minute}}
}

// voteStatus is the same room voting: a window with 12 s left, the meter
// past its enter mark.
func voteStatus(now time.Time) control.Status {
	s := roomStatus(now)
	s.Policy, s.Waiting, s.QueueLen = control.PolicyVote, nil, 0
	s.Vote = &control.VoteStatus{Window: 20 * time.Second, EndsIn: 12 * time.Second, Voters: 9, Tally: []control.VoteCount{
		{Rule: "left", Repeat: 2, Votes: 5}, {Rule: "wand_tease", Votes: 3}, {Rule: "circle", Votes: 1}}}
	s.Meter.Share, s.Meter.Votes = 0.72, 18
	return s
}

// roomDecisions fill the feed: a labelled rule, a combo, a moderation, a
// switch to the vote policy, a gift's thanks, and a refusal.
func roomDecisions(s *Server, now time.Time) {
	acc := func(id, plat, user, rule string, reason string) control.Decision {
		return control.Decision{Time: now, EventID: id, Platform: plat, UserName: user, Rule: rule,
			Outcome: control.Accepted, Reason: actuators.Reason(reason)}
	}
	d := acc("1", "bilibili", "猫奴", "left", "ran")
	d.Repeat = 2
	s.Decision(d)
	s.Decision(acc("2", "douyu", "小鱼", "wand_tease", "queued"))
	d = acc("3", "bilibili", "阿花", "left", "queued")
	d.Combo = "left×3+up×2"
	s.Decision(d)
	d = acc("4", "bilibili", "房管", "mute", "moderation")
	d.Target, d.Until = "小黑", now.Add(10*time.Minute)
	s.Decision(d)
	roomGift(s, now)
	s.Decision(control.Decision{Time: now, EventID: "6", Platform: "bilibili", UserName: "小黑", Rule: "left",
		Outcome: control.Dropped, Reason: control.ReasonCooldownUser, RetryAfter: 2 * time.Second})
}

// roomGift is the room's gift, made at now: its thanks shows for a few
// seconds from then, so a test that looks at it later sends it again (the
// same event: the feed keeps one line).
func roomGift(s *Server, now time.Time) {
	s.Decision(control.Decision{Time: now, EventID: "5", Platform: "bilibili", UserName: "猫奴", Text: "小心心",
		Outcome: control.Accepted, Reason: control.ReasonGift, Until: now.Add(3 * time.Minute),
		Grant: &control.Grant{Gift: "小心心", Count: 10, ValueCents: 1000, Priority: 3, Extra: 2}})
}

// newRoomServer serves the fake engine and rig with the room above on
// 127.0.0.1, frames at the real pace, and the labels of testdata/rules.yaml;
// moderates gives the engine moderation.
func newRoomServer(t *testing.T, moderates bool) (*httptest.Server, *Server, *fakeEngine) {
	t.Helper()
	f, err := config.Load("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, eng, rig := newTestServer(testToken)
	now := time.Now()
	s.Now, s.Labels = time.Now, labelsOf(t, f)
	eng.commands = []string{"left", "right", "laser", "circle", "wand_tease", "stop", "resume"}
	eng.setStatus(roomStatus(now))
	rig.state.Session = safety.Session{Phase: "play", Until: now.Add(4 * time.Minute), LaserToday: 23 * time.Second,
		LaserBudget: 20 * time.Minute}
	rig.state.Ceiling = 35
	if moderates {
		s.Engine = fakeModEngine{eng}
	}
	roomDecisions(s, now)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, s, eng
}

// fontWalk finds every visible piece of text on the page and its size on
// screen: an SVG text's font-size is in map units, so it is scaled by the
// map's transform. It returns the count and the ones under 14 px.
const fontWalk = `(() => {
	const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	let n = 0; const small = [];
	while (w.nextNode()) {
		const tn = w.currentNode, e = tn.parentElement;
		if (!e || !tn.textContent.trim() || e.closest("title, script, style")) continue;
		const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
		if (r.width === 0 || r.height === 0 || cs.visibility === "hidden" || Number(cs.opacity) === 0) continue;
		if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) continue;
		let px = parseFloat(cs.fontSize);
		if (e instanceof SVGElement) { const m = e.getScreenCTM(); px *= Math.hypot(m.a, m.b); }
		n++;
		if (px < 14) small.push(tn.textContent.trim().slice(0, 20) + " " + px.toFixed(1) + "px");
	}
	return JSON.stringify({n, small});
})()`

// legible checks that no visible text is under 14 px, with at least min
// pieces of text seen.
func legible(t *testing.T, ctx context.Context, what string, min int) {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](fontWalk))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		N     int      `json:"n"`
		Small []string `json:"small"`
	}
	if err := json.Unmarshal([]byte(res), &got); err != nil {
		t.Fatalf("%s: font walk %q: %v", what, res, err)
	}
	if got.N < min || len(got.Small) > 0 {
		t.Errorf("%s at 1280×720: %d pieces of text (want ≥ %d), under 14px: %q", what, got.N, min, got.Small)
	}
}

// box is the overlay's share of the screen, "w%×h%".
func box(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const r = document.getElementById("overlay").getBoundingClientRect();
		return Math.round(100 * r.width / innerWidth) + "%×" + Math.round(100 * r.height / innerHeight) + "%"; })()`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "a frame", `Number(document.body.dataset.seq || 0) > 0 && document.body.dataset.conn === "online"`)
}

// TestBrowserOBS: the overlay as OBS uses it. Custom CSS, added the way
// obs-browser adds it (a <style> element after load), applies with no CSP
// violation while an inline script is still refused; no visible text is
// under 14 px at 1280×720, default or compact; ?parts=map&compact=1 shows
// the map only; a rule's label from rules.yaml names it.
func TestBrowserOBS(t *testing.T) {
	ctx := browser(t)
	ts, s, _ := newRoomServer(t, false)
	viewport(t, ctx, 1920, 1080, false)
	roomGift(s, time.Now())
	open(t, ctx, ts.URL+"/overlay?preview=1")
	until(t, ctx, "the room", `document.getElementById("waiting").children.length === 4 && !document.getElementById("gift").hidden`)
	screenshot(t, ctx, "overlay-1080.png")
	t.Logf("1920×1080: the overlay covers %s", box(t, ctx))

	const obsCSS = `(() => {
		window.__csp = [];
		document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));
		const css = "body.ct .chip { color: rgb(1, 2, 3); } :root { --accent: rgb(4, 5, 6); }";
		const style = document.createElement("style");
		style.textContent = css;
		document.querySelector("head").appendChild(style);
		const s = document.createElement("script");
		s.textContent = "window.__ran = 1";
		document.head.appendChild(s);
	})()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](obsCSS)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the custom CSS applied", `getComputedStyle(document.getElementById("policy")).color === "rgb(1, 2, 3)" &&
		getComputedStyle(document.querySelector("#feed .cmd")).color === "rgb(4, 5, 6)"`)
	until(t, ctx, "the inline script refused", `window.__csp.includes("script-src-elem") && window.__ran === undefined`)
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__csp.join(",")`)); strings.Contains(v, "style") {
		t.Errorf("the custom CSS was refused: %s", v)
	}

	feed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("feed").textContent`))
	if err != nil || !strings.Contains(feed, "逗猫棒") || strings.Contains(feed, "wand_tease") {
		t.Errorf("the feed names the labelled rule: %q (%v)", feed, err)
	}

	viewport(t, ctx, 1280, 720, false)
	roomGift(s, time.Now())
	open(t, ctx, ts.URL+"/overlay?preview=1")
	until(t, ctx, "the room at 720p", `innerHeight === 720 && !document.getElementById("gift").hidden`)
	legible(t, ctx, "the default overlay", 30)
	screenshot(t, ctx, "overlay-720.png")
	roomGift(s, time.Now())
	open(t, ctx, ts.URL+"/overlay?preview=1&compact=1")
	until(t, ctx, "the compact room", `document.getElementById("waiting").children.length === 4`)
	legible(t, ctx, "the compact overlay", 15)
	t.Logf("compact: the overlay covers %s", box(t, ctx))
	screenshot(t, ctx, "overlay-compact.png")

	open(t, ctx, ts.URL+"/overlay?parts=map&compact=1&lang=en")
	only, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const seen = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
		const map = document.getElementById("map-card");
		const outside = [...document.querySelectorAll("#overlay *")].filter((e) => seen(e) && !map.contains(e) && e !== map);
		return (seen(map) ? "map" : "no map") + (outside.length ? " + " + outside.map((e) => e.id || e.className).join(" ") : "");
	})()`))
	if err != nil || only != "map" {
		t.Errorf("?parts=map&compact=1 shows %q (%v), want the map only", only, err)
	}
	open(t, ctx, ts.URL+"/overlay?lang=en&parts=feed")
	until(t, ctx, "the English label", `document.getElementById("feed").textContent.includes("Wand")`)
}

// TestBrowserRoom: the room's shared play on the overlay (the vote's bars
// and time left, the meter's marks, the queue with a gift-bought place,
// the gift's thanks, 包场) and the panel's moderation and policies.
func TestBrowserRoom(t *testing.T) {
	ctx := browser(t)
	ts, s, eng := newRoomServer(t, true)
	viewport(t, ctx, 1280, 720, false)
	roomGift(s, time.Now())
	open(t, ctx, ts.URL+"/overlay")
	until(t, ctx, "the queue", `document.querySelector("#waiting [data-position='1']") !== null`)
	q, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const li = document.querySelector("#waiting [data-position='1']");
		return li.className + "|" + li.textContent; })()`))
	if err != nil || !strings.Contains(q, "prio") || !strings.Contains(q, "猫奴") || !strings.Contains(q, "约 2秒") {
		t.Errorf("first waiting: %q (%v), want 猫奴 marked priority with 约 2秒", q, err)
	}
	until(t, ctx, "the gift's thanks", `!document.getElementById("gift").hidden`)
	gift, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#gift .thanks").textContent + "|" + document.querySelector("#gift .what").textContent`))
	if gift != "谢谢 猫奴 送的 小心心 ×10!|插队 3次 · 额外指令 2次" {
		t.Errorf("gift thanks %q, want 谢谢 猫奴 送的 小心心 ×10!|插队 3次 · 额外指令 2次 (what it bought, not the time its credit has left)", gift)
	}
	meter, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`["meter-fill", "meter-enter", "meter-leave"].map((id) => {
		const e = document.getElementById(id); return e.style.width || e.style.left; }).join(" ")`))
	if meter != "35% 60% 40%" {
		t.Errorf("meter fill and marks %q, want 35%% 60%% 40%%", meter)
	}

	now := time.Now()
	eng.setStatus(voteStatus(now))
	until(t, ctx, "the vote", `!document.getElementById("vote").hidden && document.querySelectorAll("#tally .opt").length === 3`)
	until(t, ctx, "the vote's time left", `/^还剩 (12|11|10)秒$/.test(document.getElementById("vote-left").textContent)`)
	bars, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#tally .opt")].map((o) =>
		o.querySelector(".name").textContent + "=" + o.querySelector(".n").textContent + "@" + o.querySelector(".bar i").style.width).join(" ")`))
	if bars != "← 左 ×2=5@100% 逗猫棒=3@60% ◯ 画圈=1@20%" {
		t.Errorf("tally %q", bars)
	}
	legible(t, ctx, "the vote", 30)
	viewport(t, ctx, 1920, 1080, false)
	roomGift(s, time.Now())
	open(t, ctx, ts.URL+"/overlay?preview=1")
	until(t, ctx, "the vote at 1080p", `!document.getElementById("vote").hidden && document.getElementById("meter").classList.contains("on")`)
	screenshot(t, ctx, "overlay-vote.png")

	st := roomStatus(now)
	st.Exclusive = &control.ExclusiveStatus{UserName: "阿花", Platform: "bilibili", Until: now.Add(4*time.Minute + 30*time.Second), By: "gift", Pending: 2}
	eng.setStatus(st)
	until(t, ctx, "包场", `/^包场中：阿花 · 还剩 [34]:\d\d · 待执行 2$/.test(document.getElementById("exclusive").textContent)`)

	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel", `document.body.dataset.auth === "yes" && document.querySelector("[data-pattern=wand_tease]") !== null`)
	until(t, ctx, "the policies and the room", `document.getElementById("policy").options.length === 4 &&
		document.getElementById("timeouts").textContent === "禁言中 2 人" && document.getElementById("exclusive-chip") !== null`)
	label, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("[data-pattern=wand_tease]").textContent`))
	if label != "逗猫棒" {
		t.Errorf("the pattern button says %q, want the label 逗猫棒", label)
	}
	pol, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.getElementById("policy").options].map((o) => o.value).join(",")`))
	if pol != strings.Join(control.Policies(), ",") {
		t.Errorf("policy select %q, want %q", pol, control.Policies())
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("mod-target"), "小黑"),
		chromedp.SetValue(chromedp.ID("mod-minutes"), "10"), chromedp.Click(chromedp.ID("mod-go"))); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the timeout done", `document.getElementById("msg").textContent === "禁言：好了"`)
	if c := eng.Calls(); len(c) != 1 || c[0] != "timeout 小黑 10m0s" {
		t.Errorf("engine calls %q, want one timeout of 小黑 for 10m", c)
	}
	screenshot(t, ctx, "panel-room.png")
}
