package web

import (
	"io/fs"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/danmu"
)

// TestSourceErrorTexts: every class of a chat source's error has a
// Chinese and an English text on the pages, so the panel never shows a
// raw key like "not_found".
func TestSourceErrorTexts(t *testing.T) {
	b, err := fs.ReadFile(assets, "common.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start := strings.Index(src, "const sourceErrors = {")
	if start < 0 {
		t.Fatal("common.js: no sourceErrors block")
	}
	block, _, ok := strings.Cut(src[start:], "\n  };")
	if !ok {
		t.Fatal("common.js: sourceErrors block not closed")
	}
	han := regexp.MustCompile(`\p{Han}`)
	zh, en := map[string]string{}, map[string]string{}
	for _, line := range strings.Split(block, "\n")[1:] {
		m := reasonLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("common.js: sourceErrors line not in the form `key: { zh: \"…\", en: \"…\" },`: %q", line)
			continue
		}
		zh[m[1]], en[m[1]] = m[2], m[3]
	}
	classes := []string{danmu.ErrClassTimeout, danmu.ErrClassRefused, danmu.ErrClassDNS, danmu.ErrClassNetwork,
		danmu.ErrClassTLS, danmu.ErrClassClosed, danmu.ErrClassAuth, danmu.ErrClassAPI, danmu.ErrClassNotFound,
		danmu.ErrClassProtocol, danmu.ErrClassOther}
	known := map[string]bool{}
	for _, c := range classes {
		known[c] = true
		if !han.MatchString(zh[c]) {
			t.Errorf("error class %q has no Chinese text in common.js (got %q)", c, zh[c])
		}
		if en[c] == "" || han.MatchString(en[c]) {
			t.Errorf("error class %q has no English text in common.js (got %q)", c, en[c])
		}
	}
	for c := range zh {
		if !known[c] {
			t.Errorf("common.js translates %q, which is not a danmu.ErrClass", c)
		}
	}
}

// sourcesFeed is what Server.Sources reports, set by the test.
type sourcesFeed struct {
	mu   sync.Mutex
	list []SourceStatus
}

func (f *sourcesFeed) set(l ...SourceStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list = l
}

func (f *sourcesFeed) get() []SourceStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]SourceStatus(nil), f.list...)
}

// TestBrowserChatSources: a chat room that drops is seen. The panel has a
// chip per source (the console only once it has ended): connected, then
// reconnecting in red with the time since the loss, the attempt and the
// error in words, connected again, ended in grey with its reason. The
// overlay says why viewers' commands do nothing only once a source has
// been down for 10 s, names the platform while another one's chat still
// arrives, and says nothing when all is well or under ?parts= without feed.
func TestBrowserChatSources(t *testing.T) {
	ctx := browser(t)
	var feed sourcesFeed
	s, _, _ := newTestServer(testToken)
	s.Now = time.Now
	s.Sources = feed.get
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)

	now := time.Now()
	bili := SourceStatus{Platform: "bilibili", Room: "12345", State: "connected", Since: now.Add(-10 * time.Minute),
		LastEvent: now, Events: 500}
	douyuUp := SourceStatus{Platform: "douyu", Room: "9999", State: "connected", Since: now.Add(-5 * time.Minute),
		LastEvent: now.Add(-3*time.Minute - 5*time.Second), Events: 40}
	consoleUp := SourceStatus{Platform: "console", Room: "console", State: "connected", Since: now.Add(-10 * time.Minute)}
	down := func(src SourceStatus, lost time.Time) SourceStatus {
		src.State, src.Since, src.Attempts, src.Error, src.Reconnects = "reconnecting", lost, 3, danmu.ErrClassRefused, 3
		return src
	}
	back := func(src SourceStatus) SourceStatus {
		src.State, src.Since, src.LastEvent = "connected", time.Now(), time.Now()
		return src
	}

	// The panel.
	feed.set(bili, douyuUp, consoleUp)
	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	const chips = `[...document.querySelectorAll("#state .source")].map((e) => e.className + "=" + e.textContent).join(" | ")`
	until(t, ctx, "the sources connected", chips+` === "source ok=B站 12345 已连接 | source ok=斗鱼 9999 已连接 · 最后弹幕 3分钟前" &&
		!document.getElementById("state").textContent.includes("控制台")`)
	feed.set(bili, down(douyuUp, time.Now().Add(-42*time.Second)), consoleUp)
	until(t, ctx, "Douyu reconnecting", `/^source ok=B站 12345 已连接 \| source bad=斗鱼 9999 断线 0:4\d · 第3次重连 · 连接被拒$/.test(`+chips+`)`)
	feed.set(bili, back(douyuUp), consoleUp)
	until(t, ctx, "Douyu back", chips+` === "source ok=B站 12345 已连接 | source ok=斗鱼 9999 已连接"`)
	ended := douyuUp
	ended.State, ended.Since, ended.Error = "ended", time.Now(), danmu.ErrClassNotFound
	consoleEnded := consoleUp
	consoleEnded.State, consoleEnded.Since = "ended", time.Now()
	openPlat := SourceStatus{Platform: "bilibili-open", State: "connecting", Since: time.Now()}
	feed.set(bili, ended, openPlat, consoleEnded)
	until(t, ctx, "Douyu ended, the Open Platform connecting, the console ended", chips+` === "source ok=B站 12345 已连接 | `+
		`source ended failed=斗鱼 9999 已结束 · 房间不存在 | source=B站开放平台 连接中… | source small=控制台 已结束"`)
	feed.set(bili, down(douyuUp, time.Now().Add(-75*time.Second)))
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=en")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "Douyu reconnecting in English", `/^source ok=Bilibili 12345 connected \| source bad=Douyu 9999 down 1:1\d · retry 3 · connection refused$/.test(`+chips+`)`)

	// The overlay.
	const lost = `(() => { const e = document.getElementById("chat-lost"); return e.hidden ? "" : e.dataset.state + "=" + e.textContent; })()`
	feed.set(bili, douyuUp, consoleUp)
	viewport(t, ctx, 1280, 720, false)
	overlayAt := func(url string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
		until(t, ctx, "a frame", `Number(document.body.dataset.seq || 0) > 0 && document.body.dataset.conn === "online"`)
	}
	overlayAt(ts.URL + "/overlay?preview=1")
	// When the line shows: never within 10 s of the loss.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.__shown = 0; setInterval(() => {
		if (!window.__shown && !document.getElementById("chat-lost").hidden) window.__shown = Date.now(); }, 10)`)); err != nil {
		t.Fatal(err)
	}
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](lost)); err != nil || got != "" {
		t.Fatalf("all connected, the overlay says %q (%v)", got, err)
	}
	lostAt := time.Now().Add(-7 * time.Second)
	feed.set(bili, down(douyuUp, lostAt), consoleUp)
	// The 10 ms watcher may not have seen the line yet when until does.
	until(t, ctx, "the overlay's line for Douyu", lost+` === "reconnecting=斗鱼弹幕连接中断，正在重连…" && window.__shown > 0`)
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__shown`))
	if err != nil {
		t.Fatal(err)
	}
	if early := time.UnixMilli(int64(shown)).Sub(lostAt); early < 10*time.Second-5*time.Millisecond {
		t.Errorf("the overlay said the chat was lost %v after the loss, want ≥ 10 s", early)
	}
	feed.set(bili, back(douyuUp), consoleUp)
	until(t, ctx, "the overlay's line gone", lost+` === ""`)
	long := time.Now().Add(-time.Minute)
	feed.set(down(bili, long), down(douyuUp, long), consoleUp)
	until(t, ctx, "every platform down", lost+` === "reconnecting=弹幕连接中断，正在重连…"`)
	ended.Since = long
	feed.set(ended)
	until(t, ctx, "the only room ended", lost+` === "ended=弹幕连接已断开，指令暂时无效"`)
	feed.set(bili, down(douyuUp, long), consoleUp)
	overlayAt(ts.URL + "/overlay?lang=en&compact=1")
	until(t, ctx, "the English line", lost+` === "reconnecting=Douyu chat connection lost, reconnecting…"`)
	if cut, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const e = document.getElementById("chat-lost");
		return e.scrollWidth > e.clientWidth; })()`)); err != nil || cut {
		t.Errorf("compact, the line is cut short (%v)", err)
	}
	overlayAt(ts.URL + "/overlay?parts=map,queue,session")
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.getElementById("chat-lost");
		return e.hidden + " " + getComputedStyle(e).display; })()`)); err != nil || got != "false none" {
		t.Errorf("without the feed part, the line is %q (%v), want drawn but not shown", got, err)
	}
}
