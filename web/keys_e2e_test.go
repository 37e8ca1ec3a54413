package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// TestBrowserDouyuGifts: Douyu's gifts come without an event ID. The
// overlay thanks each one, not only the first, and its feed, like the
// panel's log, follows new gifts once it is full.
func TestBrowserDouyuGifts(t *testing.T) {
	ctx := browser(t)
	s, _, _, ts := browserServer(t)
	gift := func(user string) {
		s.Decision(control.Decision{Time: time.Now(), Platform: "douyu", UserName: user, Outcome: control.Accepted,
			Reason: control.ReasonGift, Text: "鱼丸", Grant: &control.Grant{Gift: "鱼丸", Count: 1, Priority: 1}})
	}
	viewport(t, ctx, 1920, 1080, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")

	gift("阿花")
	until(t, ctx, "thanks to 阿花", `!document.getElementById("gift").hidden &&
		document.querySelector("#gift .user").textContent === "阿花"`)
	gift("小鱼")
	until(t, ctx, "thanks to 小鱼, the second Douyu gift", `!document.getElementById("gift").hidden &&
		document.querySelector("#gift .user").textContent === "小鱼"`)

	const first = `document.querySelector("#feed .item .user").textContent`
	for i := range FeedSize {
		gift(fmt.Sprint("鱼", i))
	}
	until(t, ctx, "a full feed", fmt.Sprintf(`document.querySelectorAll("#feed .item").length === %d && %s === "鱼%d"`,
		FeedSize, first, FeedSize-1))
	gift("新来的")
	until(t, ctx, "the newest gift atop the full feed", first+` === "新来的"`)

	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=en")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel online", `document.body.dataset.conn === "online"`)
	const rows, top = 30, `document.querySelector("#audit tbody tr td:nth-child(2)").textContent`
	for i := range rows {
		gift(fmt.Sprint("猫", i))
	}
	until(t, ctx, "a full log", fmt.Sprintf(`document.querySelectorAll("#audit tbody tr").length === %d && %s === "Douyu 猫%d"`,
		rows, top, rows-1))
	gift("最新的")
	until(t, ctx, "the newest gift atop the full log", top+` === "Douyu 最新的"`)
}
