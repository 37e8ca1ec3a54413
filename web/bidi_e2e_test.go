package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// ltr is JavaScript: whether tail, where it last occurs in the text node
// node (a JavaScript expression), is drawn left to right: each of its
// characters but spaces right of the one before. The text before it (a
// name, reversed as its writer asked) is not judged.
func ltr(node, tail string) string {
	return fmt.Sprintf(`(() => {
		const n = %s, tail = %q;
		if (!n || n.nodeType !== Node.TEXT_NODE) return false;
		const from = n.textContent.lastIndexOf(tail);
		if (from < 0) return false;
		const lefts = [];
		for (let i = from; i < from + tail.length; i++) {
			if (/\s/.test(n.textContent[i])) continue;
			const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
			lefts.push(r.getBoundingClientRect().left);
		}
		return lefts.length > 1 && lefts.every((x, i) => i === 0 || x > lefts[i - 1]);
	})()`, node, tail)
}

// inside is JavaScript: whether everything drawn in sel lies inside its box.
func inside(sel string) string {
	return fmt.Sprintf(`(() => {
		const e = document.querySelector(%q), r = document.createRange();
		r.selectNodeContents(e);
		const in_ = r.getBoundingClientRect(), box = e.getBoundingClientRect();
		return in_.width > 0 && in_.left >= box.left - 1 && in_.right <= box.right + 1;
	})()`, sel)
}

// TestBrowserRightToLeftNames: a viewer named with a right-to-left
// override (U+202E) reverses that name alone: the rest of the "last move"
// line, of the gift's thanks, of the 包场 banner and of the panel's 包场
// chip reads left to right; and a long name stays inside its banner.
func TestBrowserRightToLeftNames(t *testing.T) {
	ctx := browser(t)
	s, eng, _, ts := browserServer(t)
	const rlo = "\u202e"
	viewport(t, ctx, 1920, 1080, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")

	// A moderator's target, as it shows in the last move: "禁言 → ‮小黑 · B站".
	s.Decision(control.Decision{Time: time.Now(), EventID: "1", Platform: "bilibili", UserName: "房管", Rule: "mute",
		Target: rlo + "小黑abc", Outcome: control.Accepted, Reason: "moderation"})
	until(t, ctx, "the moderation in the last move", `document.getElementById("last-cmd").textContent.includes("B站")`)
	until(t, ctx, "the last move after a reversed target, left to right", ltr(`document.getElementById("last-cmd").firstChild`, " · B站"))
	s.Decision(control.Decision{Time: time.Now(), EventID: "2", Platform: "bilibili", UserName: rlo + "evil", Rule: "left",
		Outcome: control.Accepted, Reason: control.ReasonRan})
	until(t, ctx, "the reversed name as the last mover", `document.getElementById("last-user").textContent.includes("evil")`)
	until(t, ctx, "the last move after a reversed name, left to right", ltr(`document.getElementById("last-cmd").firstChild`, "← 左 · B站"))

	s.Decision(control.Decision{Time: time.Now(), EventID: "3", Platform: "bilibili", UserName: rlo + "坏人", Outcome: control.Accepted,
		Reason: control.ReasonGift, Grant: &control.Grant{Gift: "小心心", Count: 10, Priority: 1}})
	until(t, ctx, "the gift's thanks", `!document.getElementById("gift").hidden && document.getElementById("gift").textContent.includes("坏人")`)
	until(t, ctx, "the thanks after a reversed name, left to right", ltr(`document.querySelector("#gift .user").nextSibling`, " 送的 小心心 ×10!"))

	st := roomStatus(time.Now())
	st.Exclusive = &control.ExclusiveStatus{UserName: rlo + "阿花", Platform: "bilibili", Until: time.Now().Add(4 * time.Minute), By: "gift"}
	eng.setStatus(st)
	until(t, ctx, "包场", `!document.getElementById("exclusive").hidden`)
	until(t, ctx, "the 包场 banner after a reversed name, left to right", ltr(`document.querySelector("#exclusive .user").nextSibling`, " · 还剩 "))

	long := strings.Repeat("W", 80)
	s.Decision(control.Decision{Time: time.Now(), EventID: "4", Platform: "bilibili", UserName: long, Outcome: control.Accepted,
		Reason: control.ReasonGift, Grant: &control.Grant{Gift: "小心心", Count: 1, Priority: 1}})
	until(t, ctx, "a long name's thanks", `document.getElementById("gift").textContent.includes("WWWW")`)
	until(t, ctx, "the long name inside its banner", inside("#gift"))

	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel online", `document.body.dataset.conn === "online"`)
	until(t, ctx, "the panel's 包场 chip after a reversed name, left to right",
		ltr(`document.getElementById("exclusive-chip").lastChild`, " · 3:"))
}
